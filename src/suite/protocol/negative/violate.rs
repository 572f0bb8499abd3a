//! Ways to break one declared rule of one value: the replacement value, named after the rule.
//!
//! [`violations`] reads a value's [`Facts`] (and its valid value, where the broken value is
//! built from it) and proposes one [`Violation`] per rule, in a fixed order. Values are fixed
//! strings and numbers or derived from the valid value, never random, so the same spec and
//! suite give the same cases on every run. Where a rule can be broken several ways (a
//! pattern), alternatives share a name and the first one that breaks only that rule is used.

use serde_json::{Value, json};

use super::Kind;
use super::facts::Facts;

/// One way to break one rule of one value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Violation {
    pub kind: Kind,
    /// The last part of the case id: `not-integer`, `missing`, `too-long`.
    pub name: String,
    /// The rule as the spec states it: `type integer`, `maxLength 10`.
    pub rule: String,
    /// What the request does, for titles: `is not an integer`.
    pub says: String,
    /// The keyword schema validation names when only this rule is broken.
    pub keyword: &'static str,
    /// The value sent instead; `None` leaves the value out.
    pub value: Option<Value>,
}

/// How a value travels: as text (a parameter) or as JSON (a body member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Carrier {
    Text,
    Json,
}

/// Leaving out a required value.
pub(super) fn missing() -> Violation {
    Violation {
        kind: Kind::Missing,
        name: "missing".into(),
        rule: "required".into(),
        says: "is missing".into(),
        keyword: "required",
        value: None,
    }
}

/// The violations of a value's own rules (not its members'), in a fixed order: type,
/// enumeration, bounds, length, items, pattern, format and CDS type.
pub(super) fn violations(f: &Facts<'_>, base: Option<&Value>, carrier: Carrier) -> Vec<Violation> {
    if f.open {
        return Vec::new();
    }
    let mut out = Vec::new();
    out.extend(wrong_type(f, carrier));
    out.extend(outside_enum(f));
    out.extend(bounds(f));
    let text = base.and_then(Value::as_str);
    if f.admits("string") {
        out.extend(length(f, text.unwrap_or_default()));
        if let Some(p) = f.pattern {
            out.extend(pattern(p, text));
        }
        out.extend(f.format.and_then(bad_format));
    }
    if carrier == Carrier::Json
        && let Some(items) = base.and_then(Value::as_array)
    {
        out.extend(item_count(f, items));
    }
    out.extend(f.cds_type.and_then(|t| bad_cds_type(f, t, carrier)));
    out
}

fn violation(
    kind: Kind,
    name: impl Into<String>,
    rule: impl Into<String>,
    says: impl Into<String>,
    keyword: &'static str,
    value: Value,
) -> Violation {
    Violation {
        kind,
        name: name.into(),
        rule: rule.into(),
        says: says.into(),
        keyword,
        value: Some(value),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn wrong_type(f: &Facts<'_>, carrier: Carrier) -> Option<Violation> {
    let declared = *f.types.first()?;
    let value = match carrier {
        Carrier::Text if f.admits("string") => return None,
        Carrier::Text if f.types.iter().all(|t| *t == "boolean") => json!("maybe"),
        Carrier::Text => json!("abc"),
        Carrier::Json if !f.admits("string") => json!("abc"),
        Carrier::Json if !f.admits("boolean") => json!(true),
        Carrier::Json if !f.admits("number") => json!(12345),
        Carrier::Json => return None,
    };
    Some(violation(
        Kind::Type,
        format!("not-{declared}"),
        format!("type {}", f.types.join(" or ")),
        format!("is not {} {declared}", article(declared)),
        "type",
        value,
    ))
}

fn outside_enum(f: &Facts<'_>) -> Option<Violation> {
    let values = f.enumeration.filter(|v| !v.is_empty())?;
    let named = values.iter().filter(|v| !v.is_null());
    if named.clone().next().is_none() || !named.clone().all(Value::is_string) {
        return None;
    }
    let mut bogus = "NOT_A_VALUE".to_owned();
    while values.iter().any(|v| v.as_str() == Some(bogus.as_str())) {
        bogus.push_str("_X");
    }
    let listed = if values.len() <= 6 {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        format!("[{}]", names.join(", "))
    } else {
        format!("of {} values", values.len())
    };
    Some(violation(
        Kind::Enum,
        "not-in-enum",
        format!("enum {listed}"),
        "is not one of its enumerated values",
        "enum",
        json!(bogus),
    ))
}

/// A number as JSON: an integer when it is whole.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn shown(n: f64) -> String {
    number(n).to_string()
}

fn bounds(f: &Facts<'_>) -> Vec<Violation> {
    if !f.admits("number") && !f.admits("integer") {
        return Vec::new();
    }
    let whole = f.admits("integer") && !f.types.contains(&"number");
    let step = |n: f64, down: bool| match (whole, down) {
        (true, true) => n.ceil() - 1.0,
        (true, false) => n.floor() + 1.0,
        (false, true) => n - 1.0,
        (false, false) => n + 1.0,
    };
    let mut out = Vec::new();
    if let Some(m) = f.minimum {
        let v = step(m, true);
        out.push(violation(
            Kind::Bounds,
            "below-minimum",
            format!("minimum {}", shown(m)),
            format!("is {}, below its minimum {}", shown(v), shown(m)),
            "minimum",
            number(v),
        ));
    }
    if let Some(m) = f.exclusive_minimum.filter(|m| !whole || m.fract() == 0.0) {
        out.push(violation(
            Kind::Bounds,
            "at-exclusive-minimum",
            format!("exclusiveMinimum {}", shown(m)),
            format!("is {}, not above its exclusive minimum", shown(m)),
            "exclusiveMinimum",
            number(m),
        ));
    }
    if let Some(m) = f.maximum {
        let v = step(m, false);
        out.push(violation(
            Kind::Bounds,
            "above-maximum",
            format!("maximum {}", shown(m)),
            format!("is {}, above its maximum {}", shown(v), shown(m)),
            "maximum",
            number(v),
        ));
    }
    if let Some(m) = f.exclusive_maximum.filter(|m| !whole || m.fract() == 0.0) {
        out.push(violation(
            Kind::Bounds,
            "at-exclusive-maximum",
            format!("exclusiveMaximum {}", shown(m)),
            format!("is {}, not below its exclusive maximum", shown(m)),
            "exclusiveMaximum",
            number(m),
        ));
    }
    out
}

/// `base` cut or grown to `len` characters; growing repeats its last character (`x` for an
/// empty base), so the value keeps the kind of characters it had.
fn sized(base: &str, len: usize) -> String {
    if base.chars().count() >= len {
        return base.chars().take(len).collect();
    }
    let fill = base.chars().last().unwrap_or('x');
    let mut out = base.to_owned();
    while out.chars().count() < len {
        out.push(fill);
    }
    out
}

fn length(f: &Facts<'_>, base: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(n) = f.min_length.filter(|n| *n > 0) {
        let short = sized(base, n as usize - 1);
        out.push(violation(
            Kind::Length,
            "too-short",
            format!("minLength {n}"),
            format!("has {} characters, fewer than its minLength {n}", n - 1),
            "minLength",
            json!(short),
        ));
    }
    if let Some(n) = f.max_length {
        let long = sized(base, n as usize + 1);
        out.push(violation(
            Kind::Length,
            "too-long",
            format!("maxLength {n}"),
            format!("has {} characters, more than its maxLength {n}", n + 1),
            "maxLength",
            json!(long),
        ));
    }
    out
}

fn item_count(f: &Facts<'_>, base: &[Value]) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(n) = f.min_items.filter(|n| *n > 0 && base.len() as u64 >= n - 1) {
        let fewer: Vec<Value> = base.iter().take(n as usize - 1).cloned().collect();
        out.push(violation(
            Kind::Items,
            "too-few-items",
            format!("minItems {n}"),
            format!("has {} items, fewer than its minItems {n}", n - 1),
            "minItems",
            Value::Array(fewer),
        ));
    }
    if let (Some(n), Some(last)) = (f.max_items, base.last()) {
        let mut more = base.to_vec();
        while (more.len() as u64) <= n {
            more.push(last.clone());
        }
        out.push(violation(
            Kind::Items,
            "too-many-items",
            format!("maxItems {n}"),
            format!("has {} items, more than its maxItems {n}", n + 1),
            "maxItems",
            Value::Array(more),
        ));
    }
    out
}

/// Alternatives that change the valid value's last character to another kind of character
/// (so the length stays), then one that appends a punctuation mark.
fn pattern(p: &str, base: Option<&str>) -> Vec<Violation> {
    let candidates: Vec<String> = match base {
        None | Some("") => vec!["!".to_owned()],
        Some(b) => {
            let mut chars: Vec<char> = b.chars().collect();
            let last = chars.pop().unwrap_or('x');
            let swaps: &[char] = if last.is_ascii_digit() {
                &['A', '-']
            } else if last.is_alphabetic() {
                &['0', '-']
            } else {
                &['A', '0']
            };
            let stem: String = chars.iter().collect();
            let mut out: Vec<String> = swaps.iter().map(|c| format!("{stem}{c}")).collect();
            out.push(format!("{b}!"));
            out
        }
    };
    candidates
        .into_iter()
        .map(|c| {
            violation(
                Kind::Pattern,
                "not-matching-pattern",
                format!("pattern {p}"),
                format!("does not match {p}"),
                "pattern",
                json!(c),
            )
        })
        .collect()
}

fn bad_format(format: &str) -> Option<Violation> {
    let value = match format {
        "date" => "2024-02-30",
        "date-time" => "2024-05-01T25:00:00Z",
        "time" => "25:00:00Z",
        "email" => "not-an-email",
        "uuid" => "not-a-uuid",
        "uri" => "not a uri",
        "ipv4" => "256.0.0.1",
        "ipv6" => "not-an-ipv6",
        _ => return None,
    };
    Some(violation(
        Kind::Format,
        format!("not-{format}"),
        format!("format {format}"),
        format!("is not a valid {format}"),
        "format",
        json!(value),
    ))
}

/// A value of the right JSON kind that is not an instance of the CDS common field type.
fn bad_cds_type(f: &Facts<'_>, name: &str, carrier: Carrier) -> Option<Violation> {
    let numeric = f.admits("integer") || f.admits("number");
    let value = match name {
        "PositiveInteger" if numeric => json!(0),
        "NaturalNumber" if numeric => json!(-1),
        "NegativeInteger" if numeric => json!(1),
        _ if !f.admits("string") => return None,
        "DateString" => json!("2024-02-30"),
        "DateTimeString" => json!("2024-05-01T25:00:00Z"),
        "TimeString" => json!("25:00:00Z"),
        "AmountString" => json!("1.5"),
        "RateString" => json!("5%"),
        "CurrencyString" => json!("aud"),
        "Base64" => json!("not base64!"),
        "URIString" => json!("not a uri"),
        "ASCIIString" if carrier == Carrier::Json => json!("caf\u{e9}"),
        "MaskedAccountString" | "MaskedPANString" => json!("4111 1111 1111 1111"),
        _ => return None,
    };
    Some(violation(
        Kind::Format,
        format!("not-{name}"),
        format!("x-cds-type {name} (CDS Common Field Types)"),
        format!("is not a valid {name}"),
        "x-cds-type",
        value,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_cuts_and_grows_with_the_last_character() {
        assert_eq!(sized("132243158", 8), "13224315");
        assert_eq!(sized("2104", 11), "21044444444");
        assert_eq!(sized("", 3), "xxx");
    }

    #[test]
    fn pattern_alternatives_keep_the_length_first() {
        let got: Vec<Value> = pattern("^[0-9]{9}$", Some("139276507"))
            .into_iter()
            .filter_map(|v| v.value)
            .collect();
        assert_eq!(
            got,
            [json!("13927650A"), json!("13927650-"), json!("139276507!")]
        );
        let country: Vec<Value> = pattern("^[A-Z]{2}$", Some("NZ"))
            .into_iter()
            .filter_map(|v| v.value)
            .collect();
        assert_eq!(country[0], json!("N0"));
    }

    #[test]
    fn numbers_stay_whole_for_integers() {
        assert_eq!(number(0.0), json!(0));
        assert_eq!(number(1.5), json!(1.5));
        assert_eq!(shown(-1.0), "-1");
    }
}
