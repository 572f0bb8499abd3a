//! Validation of a Get Accounts request: bearer token, version headers and query parameters.
//!
//! Each step returns the [`CdsError`] the standard asks for; the handler runs them in the order
//! documented on the module [`super`]. The main type is [`ListQuery`].

use axum::http::{HeaderMap, header};

use super::data::{OpenStatus, PRODUCT_CATEGORIES};
use super::error::{CdsError, Code};
use super::fault::{Faults, Switch};

/// The only version of Get Accounts this holder serves.
pub(crate) const SUPPORTED_VERSION: u64 = 2;

/// Default page size of standard pagination.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 25;

/// The default page size under the `default-page-size-wrong` fault.
const WRONG_DEFAULT_PAGE_SIZE: u64 = 10;

/// Largest page size of standard pagination.
pub(crate) const MAX_PAGE_SIZE: u64 = 1000;

/// The filters and paging of a valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub(crate) product_category: Option<&'static str>,
    /// `None` means ALL.
    pub(crate) open_status: Option<OpenStatus>,
    pub(crate) is_owned: Option<bool>,
    pub(crate) page: u64,
    /// The page size in effect, after defaults and faults.
    pub(crate) page_size: u64,
    /// The filter and page-size parameters as sent, for the navigation links.
    pub(crate) carried: Vec<(&'static str, String)>,
}

/// Checks `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235 section 2.1).
pub(crate) fn authorise(headers: &HeaderMap, token: &str, faults: Faults) -> Result<(), CdsError> {
    if faults.on(Switch::NoAuth) {
        return Ok(());
    }
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(CdsError::unauthorised(
            "The Authorization header is missing",
            "Bearer realm=\"cds-au\"",
        ));
    };
    let presented = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t);
    match presented {
        Some(t) if t == token => Ok(()),
        _ => Err(CdsError::unauthorised(
            "The bearer token is malformed or not valid",
            "Bearer realm=\"cds-au\", error=\"invalid_token\"",
        )),
    }
}

/// Checks `Accept` (CDS "HTTP Headers"): absent, or one media range that `application/json`
/// satisfies (`*/*`, `application/*`, `application/json`, compared case-insensitively as RFC
/// 7231 says; a `charset` parameter must name UTF-8 and `q=0` excludes the range). Anything
/// else is 406 with `GeneralError/Expected`, the standard's code for an error it names no code
/// for.
pub(crate) fn accept(headers: &HeaderMap, faults: Faults) -> Result<(), CdsError> {
    if faults.on(Switch::AcceptNotChecked) {
        return Ok(());
    }
    let Some(value) = headers.get(axum::http::header::ACCEPT) else {
        return Ok(());
    };
    let text = value.to_str().unwrap_or_default();
    let exact = faults.on(Switch::AcceptCaseSensitive);
    let same = |a: &str, b: &str| {
        if exact {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    let acceptable = text.split(',').any(|range| {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default();
        let params: Vec<(&str, &str)> = parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
            .collect();
        let param = |name: &str| params.iter().find(|(k, _)| same(k, name)).map(|(_, v)| *v);
        let media_ok = ["*/*", "application/*", "application/json"]
            .iter()
            .any(|m| same(media, m));
        let charset_ok = param("charset").is_none_or(|c| same(c, "utf-8") || same(c, "utf8"));
        let wanted = param("q").is_none_or(|q| q.parse::<f32>().map_or(true, |q| q > 0.0));
        media_ok && charset_ok && wanted
    });
    if acceptable {
        return Ok(());
    }
    let mut error = CdsError::new(
        Code::Expected,
        format!("Accept `{text}`: this end point serves application/json in UTF-8 only"),
    );
    error.status = axum::http::StatusCode::NOT_ACCEPTABLE;
    Err(error)
}

/// Negotiates the version from `x-v` and `x-min-v` (CDS "HTTP Headers"); `Ok` is the version
/// served.
pub(crate) fn negotiate(headers: &HeaderMap, faults: Faults) -> Result<u64, CdsError> {
    let Some(raw_v) = headers.get("x-v") else {
        if faults.on(Switch::NoVersionCheck) {
            return Ok(SUPPORTED_VERSION);
        }
        return Err(CdsError::new(Code::HeaderMissing, "x-v"));
    };
    let v = match positive_integer(raw_v.to_str().unwrap_or("")) {
        Some(v) => v,
        None if faults.on(Switch::InvalidVersionAccepted) => SUPPORTED_VERSION,
        None => return Err(invalid_version("x-v", raw_v.to_str().unwrap_or("?"))),
    };
    let min = match headers.get("x-min-v") {
        None => None,
        Some(raw) => match positive_integer(raw.to_str().unwrap_or("")) {
            Some(min) => Some(min),
            None if faults.on(Switch::XMinVNotValidated) => None,
            None => return Err(invalid_version("x-min-v", raw.to_str().unwrap_or("?"))),
        },
    };
    let empty_range = min.is_some_and(|m| m > v) && faults.on(Switch::XMinVAboveRefused);
    let min = min.filter(|&m| m < v && !faults.on(Switch::IgnoreXMinV));
    let lowest = min.unwrap_or(v);
    let served = (lowest..=v).contains(&SUPPORTED_VERSION)
        || (lowest > SUPPORTED_VERSION && faults.on(Switch::AcceptUnsupportedVersion))
        || (v < SUPPORTED_VERSION && faults.on(Switch::RetiredVersionServed));
    if served && !empty_range {
        Ok(SUPPORTED_VERSION)
    } else {
        Err(CdsError::new(
            Code::HeaderUnsupportedVersion,
            format!(
                "Requested versions {lowest} to {v}; supported versions: minimum {SUPPORTED_VERSION}, maximum {SUPPORTED_VERSION}"
            ),
        ))
    }
}

fn invalid_version(name: &str, value: &str) -> CdsError {
    CdsError::new(
        Code::HeaderInvalidVersion,
        format!("{name} must be a PositiveInteger, got '{value}'"),
    )
}

/// Under `cursor-prev-link-wrong-page`, `cursor=pg<n>` asks for page n: a cursor the
/// standard allows in pagination links.
pub(crate) const CURSOR_PREFIX: &str = "pg";

/// Parses a PositiveInteger: ASCII digits, not zero; values past `u64` saturate.
fn positive_integer(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = s.parse::<u64>().unwrap_or(u64::MAX);
    (value > 0).then_some(value)
}

/// Parses and validates the query string; the first occurrence of a parameter wins and unknown
/// parameters are ignored.
pub(crate) fn parse_query(raw: Option<&str>, faults: Faults) -> Result<ListQuery, CdsError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let invalid =
        |name: &str, rule: &str| CdsError::new(Code::FieldInvalid, format!("{name}: {rule}"));
    let mut carried = Vec::new();

    let product_category = match param("product-category") {
        None => None,
        Some(v) => {
            let Some(c) = PRODUCT_CATEGORIES.iter().find(|c| **c == v) else {
                return Err(invalid(
                    "product-category",
                    "must be one of the BankingProductCategory values",
                ));
            };
            carried.push(("product-category", v.to_string()));
            Some(*c)
        }
    };
    let open_status = match param("open-status") {
        None => None,
        Some(v) => {
            let status = match v {
                "ALL" => None,
                "OPEN" => Some(OpenStatus::Open),
                "CLOSED" => Some(OpenStatus::Closed),
                _ => return Err(invalid("open-status", "must be OPEN, CLOSED or ALL")),
            };
            carried.push(("open-status", v.to_string()));
            status
        }
    };
    let is_owned = match param("is-owned") {
        None => None,
        Some(v) => {
            let owned = match v {
                "true" => true,
                "false" => false,
                _ => return Err(invalid("is-owned", "must be a Boolean (true or false)")),
            };
            carried.push(("is-owned", v.to_string()));
            Some(owned)
        }
    };
    let cursor = param("cursor")
        .filter(|_| faults.on(Switch::CursorPrevLinkWrongPage))
        .and_then(|c| c.strip_prefix(CURSOR_PREFIX))
        .and_then(positive_integer);
    let page = match param("page") {
        None => cursor.unwrap_or(1),
        Some(v) if faults.on(Switch::PageZeroAccepted) && v.parse() == Ok(0u64) => 1,
        Some(v) => {
            positive_integer(v).ok_or_else(|| invalid("page", "must be a PositiveInteger"))?
        }
    };
    let requested_size = match param("page-size") {
        None => None,
        Some(v) => {
            let size = positive_integer(v)
                .ok_or_else(|| invalid("page-size", "must be a PositiveInteger"))?;
            carried.push(("page-size", v.to_string()));
            Some(size)
        }
    };
    let enforced = !faults.on(Switch::MaxPageSizeNotEnforced);
    if let Some(size) = requested_size.filter(|&s| s > MAX_PAGE_SIZE && enforced) {
        let mut error = CdsError::new(
            Code::FieldInvalidPageSize,
            format!("page-size {size} exceeds the maximum of {MAX_PAGE_SIZE}"),
        );
        if faults.on(Switch::OldPageSizeStatus) {
            error.status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        }
        return Err(error);
    }
    let default_size = if faults.on(Switch::DefaultPageSizeWrong) {
        WRONG_DEFAULT_PAGE_SIZE
    } else {
        DEFAULT_PAGE_SIZE
    };
    let page_size = match requested_size {
        Some(_) if faults.on(Switch::PageSizeIgnored) => DEFAULT_PAGE_SIZE,
        Some(size) => size,
        None => default_size,
    };
    Ok(ListQuery {
        product_category,
        open_status,
        is_owned,
        page,
        page_size,
        carried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_integer_is_strict() {
        assert_eq!(positive_integer("2"), Some(2));
        assert_eq!(positive_integer("002"), Some(2));
        assert_eq!(positive_integer("99999999999999999999999"), Some(u64::MAX));
        for bad in ["", "0", "-1", "+2", "2.0", " 2", "abc", "0x2"] {
            assert_eq!(positive_integer(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn query_defaults() {
        let q = parse_query(None, Faults::default()).unwrap();
        assert_eq!((q.page, q.page_size), (1, DEFAULT_PAGE_SIZE));
        assert_eq!(
            (q.product_category, q.open_status, q.is_owned),
            (None, None, None)
        );
        assert!(q.carried.is_empty());
    }

    #[test]
    fn query_keeps_filters_in_a_fixed_order() {
        let q = parse_query(
            Some("page-size=5&is-owned=false&open-status=ALL&product-category=LEASES&x=1"),
            Faults::default(),
        )
        .unwrap();
        let names: Vec<&str> = q.carried.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            ["product-category", "open-status", "is-owned", "page-size"]
        );
        assert_eq!(q.open_status, None);
        assert_eq!(q.is_owned, Some(false));
    }
}
