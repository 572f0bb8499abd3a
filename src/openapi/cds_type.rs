//! The `x-cds-type` vendor keyword: the common field types of the Consumer Data Standards.
//!
//! The CDS OpenAPI files carry no `format`s; they annotate fields with `x-cds-type`
//! (`AmountString`, `DateTimeString`, `PositiveInteger`, ...), whose meaning is given in the
//! standard's "Common Field Types" table. [`keyword`] is registered with `jsonschema` under that
//! name, so validation finds every typed value wherever it sits; the `cds-type` check reports
//! what it finds, and the `response-schema` check leaves it alone. Each type checks only what
//! the table defines and never more: types with no fixed form (`ExternalRef`, `String`, `Enum`)
//! accept any value, unknown type names are ignored, and a value of the wrong JSON kind is left
//! to the `type` keyword. The masked types (`MaskedAccountString`, `MaskedPANString`) show at
//! most the last four digits, masked with lower-case `x`; the table says "should" for them, so
//! [`is_advisory`] marks their violations as warnings. `RateString` is not held to
//! [-1.0, 1.0]: newer editions of the table dropped that range.

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

use crate::template::full_date;

/// The jsonschema keyword factory for `x-cds-type`.
pub fn keyword<'a>(
    parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let typed_integer = match parent.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    Ok(Box::new(CdsType {
        name: value.as_str().unwrap_or_default().to_owned(),
        typed_integer,
    }))
}

struct CdsType {
    name: String,
    /// `type: integer` beside the keyword already rejects fractions; do not report twice.
    typed_integer: bool,
}

impl<'i> Keyword<'i> for CdsType {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.is_valid(instance) {
            return Ok(());
        }
        let hint = describe(&self.name)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        Err(ValidationError::custom(format!(
            "{instance} is not a valid {}{hint}",
            self.name
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        let fraction = instance
            .as_number()
            .is_some_and(|n| n.as_f64().is_some_and(|f| f.fract() != 0.0));
        (self.typed_integer && fraction) || is_valid(&self.name, instance)
    }
}

/// True when `value` is a valid instance of the CDS type `name` (or the type imposes nothing
/// on values of its kind).
pub fn is_valid(name: &str, value: &Value) -> bool {
    if let Some(s) = value.as_str() {
        return match name {
            "ASCIIString" => s.is_ascii(),
            "DateString" => full_date(s).is_some(),
            "TimeString" => is_full_time(s),
            "DateTimeString" => is_date_time(s),
            "AmountString" => is_amount(s),
            "RateString" => is_rate(s),
            "CurrencyString" => s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()),
            "Base64" => is_base64(s),
            "URIString" => is_uri(s),
            "MaskedAccountString" | "MaskedPANString" => is_masked(s),
            _ => true,
        };
    }
    if let Some(n) = value.as_number() {
        let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
        let f = n.as_f64().unwrap_or_default();
        return match name {
            "PositiveInteger" => integral && f >= 1.0,
            "NaturalNumber" => integral && f >= 0.0,
            "NegativeInteger" => integral && f <= 0.0,
            "Integer" => integral,
            _ => true,
        };
    }
    true
}

/// True for the types the table describes with "should": a violation is a warning.
pub fn is_advisory(name: &str) -> bool {
    matches!(name, "MaskedAccountString" | "MaskedPANString")
}

/// A short reminder of what a type means, for messages.
pub fn describe(name: &str) -> Option<&'static str> {
    Some(match name {
        "ASCIIString" => "ASCII characters only",
        "DateString" => "an RFC 3339 full-date such as 2024-05-01",
        "TimeString" => "an RFC 3339 full-time such as 15:43:00Z",
        "DateTimeString" => "an RFC 3339 date-time such as 2024-05-01T15:43:00Z",
        "AmountString" => "digits, a point and at least 2 decimals, such as -1001.23",
        "RateString" => "a decimal number such as 0.0525",
        "CurrencyString" => "an ISO 4217 code such as AUD",
        "Base64" => "RFC 4648 base64",
        "URIString" => "a URI with a scheme",
        "MaskedAccountString" | "MaskedPANString" => {
            "every digit but the last four replaced by a lower-case x, such as xxxx xxxx xxxx 1234"
        }
        "PositiveInteger" => "an integer of 1 or more",
        "NaturalNumber" => "an integer of 0 or more",
        "NegativeInteger" => "an integer of 0 or less",
        "Integer" => "a whole number",
        _ => return None,
    })
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn number(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && digits(s))
        .then(|| s.parse().ok())
        .flatten()
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac]` then `Z` or `+HH:MM`/`-HH:MM`.
fn is_full_time(s: &str) -> bool {
    let (partial, offset) = if let Some(p) = s.strip_suffix(['Z', 'z']) {
        (p, None)
    } else if s.len() > 6 && s.is_char_boundary(s.len() - 6) {
        let (p, o) = s.split_at(s.len() - 6);
        (p, Some(o))
    } else {
        return false;
    };
    if let Some(o) = offset {
        let ok = o.is_ascii()
            && o.starts_with(['+', '-'])
            && o.as_bytes()[3] == b':'
            && number(&o[1..3], 2).is_some_and(|h| h <= 23)
            && number(&o[4..6], 2).is_some_and(|m| m <= 59);
        if !ok {
            return false;
        }
    }
    let (hms, frac) = partial.split_once('.').unwrap_or((partial, "0"));
    let mut parts = hms.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    digits(frac)
        && number(h, 2).is_some_and(|h| h <= 23)
        && number(m, 2).is_some_and(|m| m <= 59)
        && number(sec, 2).is_some_and(|s| s <= 60)
}

/// RFC 3339 `date-time`: full-date, `T` (either case), full-time.
fn is_date_time(s: &str) -> bool {
    match s.find(['T', 't']) {
        Some(i) => full_date(&s[..i]).is_some() && is_full_time(&s[i + 1..]),
        None => false,
    }
}

/// Digits before the point, counting only significant ones (leading zeros do not count).
fn significant(int: &str) -> usize {
    int.trim_start_matches('0').len()
}

/// `AmountString`: optional `-`, 1 to 16 significant integer digits, a point, 2 or more decimals.
fn is_amount(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let Some((int, frac)) = unsigned.split_once('.') else {
        return false;
    };
    digits(int) && significant(int) <= 16 && digits(frac) && frac.len() >= 2
}

/// `RateString`: optional `-`, 1 to 16 significant integer digits, up to 16 decimals.
fn is_rate(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    digits(int) && significant(int) <= 16 && frac.is_none_or(|f| digits(f) && f.len() <= 16)
}

/// RFC 4648 base64, in the standard or the URL-safe alphabet, padded correctly or unpadded.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    let standard = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let url_safe = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (standard || url_safe)
        && pad <= 2
        && if pad > 0 {
            s.len() % 4 == 0
        } else {
            body.len() % 4 != 1
        }
}

/// A masked number: at most four digits, all after the last mask character, which is a
/// lower-case `x`.
fn is_masked(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let last_mask = s.bytes().rposition(|b| b == b'x');
    let first_digit = s.bytes().position(|b| b.is_ascii_digit());
    digits <= 4
        && !s.contains('X')
        && match (last_mask, first_digit) {
            (Some(m), Some(d)) => m < d,
            _ => true,
        }
}

/// RFC 3986 `URI`: a scheme, `:`, then only URI characters with well-formed `%` escapes.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok || rest.matches('#').count() > 1 {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(name: &str, v: Value) -> bool {
        is_valid(name, &v)
    }

    #[test]
    fn amount_string_follows_the_table() {
        for good in [
            "0.01",
            "10.00",
            "1234567.89",
            "-1001.23",
            "1.999",
            "1234567890123456.00",
        ] {
            assert!(ok("AmountString", json!(good)), "{good}");
        }
        for bad in [
            "12.3x",
            "10",
            "10.0",
            "+1.00",
            "1,000.00",
            "$1.00",
            ".50",
            "12345678901234567.00",
            "",
        ] {
            assert!(!ok("AmountString", json!(bad)), "{bad}");
        }
    }

    #[test]
    fn rate_string_needs_digits_only() {
        for good in ["0.05", "-1.0", "1", "0.1234567890123456", "2.5"] {
            assert!(ok("RateString", json!(good)), "{good}");
        }
        for bad in ["5%", "0.12345678901234567", "1e-3", "", "."] {
            assert!(!ok("RateString", json!(bad)), "{bad}");
        }
    }

    #[test]
    fn dates_and_times_follow_rfc_3339() {
        for good in ["2007-05-01", "2024-02-29", "2000-02-29"] {
            assert!(ok("DateString", json!(good)), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2007-13-01",
            "2007-5-1",
            "2007-05-01T00:00:00Z",
            "20070501",
        ] {
            assert!(!ok("DateString", json!(bad)), "{bad}");
        }
        for good in [
            "2007-05-01T15:43:00.12345Z",
            "2012-12-25T15:43:00-08:00",
            "1997-01-12T15:43:00.121Z",
            "2016-12-31t23:59:60z",
        ] {
            assert!(ok("DateTimeString", json!(good)), "{good}");
        }
        for bad in [
            "2007-05-01",
            "2007-05-01T25:00:00Z",
            "2007-05-01T15:43:00",
            "2007-05-01 15:43:00Z",
            "2007-05-01T15:43:00+0800",
            "2007-05-01T15:43:00.Z",
        ] {
            assert!(!ok("DateTimeString", json!(bad)), "{bad}");
        }
        assert!(ok("TimeString", json!("15:43:00-12:00")));
        assert!(!ok("TimeString", json!("15:43")));
    }

    #[test]
    fn currency_ascii_base64_uri() {
        assert!(ok("CurrencyString", json!("AUD")));
        assert!(!ok("CurrencyString", json!("aud")));
        assert!(!ok("CurrencyString", json!("AUDD")));
        assert!(ok("ASCIIString", json!("plain text")));
        assert!(!ok("ASCIIString", json!("café")));
        for good in ["Q29uc3VtZXIgRGF0YSBSaWdodA==", "", "YWJj", "YWI", "-_8"] {
            assert!(ok("Base64", json!(good)), "{good}");
        }
        for bad in ["Q29u c3Vt", "YWJj=", "Y", "YWJj===", "+-"] {
            assert!(!ok("Base64", json!(bad)), "{bad}");
        }
        for good in [
            "http://www.google.com",
            "https://x.au/a?b=1&c=%20#f",
            "urn:au-cds:error:cds-all:Field/Invalid",
        ] {
            assert!(ok("URIString", json!(good)), "{good}");
        }
        for bad in [
            "www.google.com",
            "/relative/path",
            "http://x/a b",
            "http://x/%zz",
            "1http://x",
            "a:b#c#d",
        ] {
            assert!(!ok("URIString", json!(bad)), "{bad}");
        }
    }

    #[test]
    fn integer_types_check_sign_and_wholeness() {
        assert!(ok("PositiveInteger", json!(1)));
        assert!(!ok("PositiveInteger", json!(0)));
        assert!(!ok("PositiveInteger", json!(1.5)));
        assert!(ok("NaturalNumber", json!(0)));
        assert!(!ok("NaturalNumber", json!(-1)));
        assert!(ok("NegativeInteger", json!(0)));
        assert!(ok("NegativeInteger", json!(-5)));
        assert!(!ok("NegativeInteger", json!(5)));
        assert!(ok("Integer", json!(2.0)));
        assert!(!ok("Integer", json!(2.5)));
    }

    #[test]
    fn masked_numbers_show_at_most_the_last_four_digits() {
        for good in [
            "xxxx xxxx xxxx 1234",
            "xxx-xxx xxxxx1234",
            "xxxxxx1234",
            "xx12",
        ] {
            assert!(ok("MaskedAccountString", json!(good)), "{good}");
            assert!(ok("MaskedPANString", json!(good)), "{good}");
        }
        for bad in [
            "062-001 12345678",
            "4111 1111 1111 1111",
            "XXXX XXXX XXXX 1234",
            "1234 xxxx",
            "xxxx12x34",
        ] {
            assert!(!ok("MaskedAccountString", json!(bad)), "{bad}");
        }
        assert!(is_advisory("MaskedPANString"));
        assert!(!is_advisory("DateString"));
    }

    #[test]
    fn loose_and_unknown_types_accept_anything() {
        for name in ["ExternalRef", "String", "Enum", "Whatever"] {
            assert!(ok(name, json!("anything at all")), "{name}");
        }
        assert!(
            ok("AmountString", json!(12)),
            "a wrong kind is left to `type`"
        );
        assert!(
            ok("PositiveInteger", json!("0")),
            "a wrong kind is left to `type`"
        );
    }

    #[test]
    fn keyword_reports_a_readable_message() {
        let validator = jsonschema::options()
            .with_keyword("x-cds-type", keyword)
            .build(&json!({"type": "string", "x-cds-type": "AmountString"}))
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json!("12.3x"))
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            vec![
                "\"12.3x\" is not a valid AmountString (digits, a point and at least 2 decimals, such as -1001.23)"
            ]
        );
    }

    #[test]
    fn fractions_are_reported_once() {
        let count = |schema: Value| {
            let v = jsonschema::options()
                .with_keyword("x-cds-type", keyword)
                .build(&schema)
                .unwrap();
            v.iter_errors(&json!(1.5)).count()
        };
        assert_eq!(
            count(json!({"type": "integer", "x-cds-type": "PositiveInteger"})),
            1
        );
        assert_eq!(
            count(json!({"type": "number", "x-cds-type": "PositiveInteger"})),
            1
        );
        assert_eq!(count(json!({"x-cds-type": "Integer"})), 1);
    }
}
