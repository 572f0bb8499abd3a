//! Validation of what a request to the aggregator mock carries: the API key and the JSON body.
//!
//! [`authorise`] checks `X-Ivy-Api-Key`; [`body`] reads the JSON object; [`list_params`] and
//! [`account_id`] read the fields of the list and by-id end points. Every failure is an
//! [`ApiError`].

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::error::{ApiError, Code};
use super::fault::{Faults, Switch};

/// The API key header of the Authentication page.
pub(crate) const API_KEY: &str = "x-ivy-api-key";

pub(crate) const DEFAULT_LIMIT: i64 = 10;
pub(crate) const MAX_LIMIT: i64 = 100;

/// The limit a faulty mock uses when none is given.
const WRONG_DEFAULT_LIMIT: i64 = 20;

/// The page a list request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub(crate) limit: usize,
    pub(crate) skip: usize,
}

/// Refuses a request whose API key is missing or not `token`.
pub(crate) fn authorise(headers: &HeaderMap, token: &str, faults: Faults) -> Result<(), ApiError> {
    if faults.on(Switch::NoAuth) {
        return Ok(());
    }
    match headers.get(API_KEY).map(|v| v.as_bytes()) {
        Some(key) if key == token.as_bytes() => Ok(()),
        Some(_) => Err(ApiError::new(
            Code::Unauthenticated,
            "The API key is invalid or outdated",
        )),
        None => Err(ApiError::new(
            Code::Unauthenticated,
            "The X-Ivy-Api-Key header is missing",
        )),
    }
}

/// The body as a JSON object; an empty body counts as `{}`.
pub(crate) fn body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            Code::Validation,
            "The request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            Code::Validation,
            format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// An integer written as a JSON number without a fractional part.
fn integer(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// `limit` (1 to 100, default 10) and `skip` (at least 0, default 0).
pub(crate) fn list_params(
    body: &Map<String, Value>,
    faults: Faults,
) -> Result<PageRequest, ApiError> {
    let limit = match body.get("limit") {
        None | Some(Value::Null) if faults.on(Switch::DefaultLimitWrong) => WRONG_DEFAULT_LIMIT,
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(v) => {
            let n = match (integer(v), v) {
                (Some(n), _) => n,
                (None, Value::String(s)) if faults.on(Switch::LimitTypeNotChecked) => s
                    .parse()
                    .map_err(|_| ApiError::invalid("limit", "limit must be an integer"))?,
                _ => return Err(ApiError::invalid("limit", "limit must be an integer")),
            };
            let allowed = (n >= 1 || (n == 0 && faults.on(Switch::ZeroLimitAccepted)))
                && (n <= MAX_LIMIT
                    || faults.on(Switch::MaxLimitNotEnforced)
                    || faults.on(Switch::LimitOverMaximumServed));
            if !allowed {
                return Err(ApiError::invalid(
                    "limit",
                    format!("limit must be between 1 and {MAX_LIMIT}"),
                ));
            }
            if faults.on(Switch::LimitOverMaximumServed) {
                n
            } else {
                n.min(MAX_LIMIT)
            }
        }
    };
    let skip = match body.get("skip") {
        None | Some(Value::Null) => 0,
        Some(v) => match integer(v) {
            Some(n) if n >= 0 => n,
            Some(_) if faults.on(Switch::NegativeSkipAccepted) => 0,
            Some(_) => return Err(ApiError::invalid("skip", "skip must not be negative")),
            None => return Err(ApiError::invalid("skip", "skip must be an integer")),
        },
    };
    let limit = if faults.on(Switch::LimitIgnored) {
        DEFAULT_LIMIT
    } else {
        limit
    };
    Ok(PageRequest {
        limit: usize::try_from(limit).unwrap_or(0),
        skip: usize::try_from(skip).unwrap_or(usize::MAX),
    })
}

/// The `id` of a retrieve, refresh or disconnect request.
pub(crate) fn account_id(body: &Map<String, Value>, faults: Faults) -> Result<String, ApiError> {
    match body.get("id") {
        Some(Value::String(id)) => Ok(id.clone()),
        None | Some(Value::Null) => Err(ApiError::invalid("id", "id is required")),
        Some(other) if faults.on(Switch::IdTypeNotChecked) => Ok(other.to_string()),
        Some(_) => Err(ApiError::invalid("id", "id must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn page(v: Value, faults: &[&str]) -> Result<PageRequest, ApiError> {
        let names: Vec<String> = faults.iter().map(|f| f.to_string()).collect();
        list_params(&map(v), Faults::parse(&names).unwrap())
    }

    #[test]
    fn list_defaults_and_bounds() {
        let ok = |limit, skip| Ok(PageRequest { limit, skip });
        assert_eq!(page(json!({}), &[]), ok(10, 0));
        assert_eq!(page(json!({"limit": null, "skip": null}), &[]), ok(10, 0));
        assert_eq!(page(json!({"limit": 1, "skip": 3}), &[]), ok(1, 3));
        assert_eq!(page(json!({"limit": 100.0}), &[]), ok(100, 0));
        for bad in [
            json!({"limit": 0}),
            json!({"limit": -1}),
            json!({"limit": 101}),
            json!({"limit": 2.5}),
            json!({"limit": "5"}),
            json!({"limit": true}),
            json!({"skip": -1}),
            json!({"skip": "1"}),
            json!({"skip": 0.5}),
        ] {
            let err = page(bad.clone(), &[]).unwrap_err();
            assert_eq!(err.code, Code::Validation, "{bad}");
            assert!(err.param.is_some(), "{bad}");
        }
    }

    #[test]
    fn list_faults_relax_one_rule_each() {
        let ok = |limit, skip| Ok(PageRequest { limit, skip });
        assert_eq!(
            page(json!({"limit": 101}), &["max-limit-not-enforced"]),
            ok(100, 0)
        );
        assert!(page(json!({"limit": 0}), &["max-limit-not-enforced"]).is_err());
        assert_eq!(
            page(json!({"limit": 0}), &["zero-limit-accepted"]),
            ok(0, 0)
        );
        assert!(page(json!({"limit": -1}), &["zero-limit-accepted"]).is_err());
        assert_eq!(
            page(json!({"limit": "5"}), &["limit-type-not-checked"]),
            ok(5, 0)
        );
        assert_eq!(
            page(json!({"skip": -4}), &["negative-skip-accepted"]),
            ok(10, 0)
        );
        assert_eq!(page(json!({}), &["default-limit-wrong"]), ok(20, 0));
        assert_eq!(
            page(json!({"limit": 3}), &["default-limit-wrong"]),
            ok(3, 0)
        );
        assert_eq!(page(json!({"limit": 3}), &["limit-ignored"]), ok(10, 0));
        assert!(page(json!({"limit": 101}), &["limit-ignored"]).is_err());
    }

    #[test]
    fn ids_must_be_strings() {
        let none = Faults::default();
        assert_eq!(account_id(&map(json!({"id": "a"})), none), Ok("a".into()));
        for bad in [json!({}), json!({"id": null}), json!({"id": 7})] {
            assert_eq!(account_id(&map(bad), none).unwrap_err().param, Some("id"));
        }
        let lax = Faults::parse(&["id-type-not-checked".into()]).unwrap();
        assert_eq!(account_id(&map(json!({"id": 7})), lax), Ok("7".into()));
        assert!(account_id(&map(json!({})), lax).is_err());
    }

    #[test]
    fn bodies_must_be_json_objects() {
        assert_eq!(body(b"").unwrap(), Map::new());
        assert_eq!(body(b" \n").unwrap(), Map::new());
        assert!(body(b"[]").is_err());
        assert!(body(b"{").is_err());
        assert_eq!(body(br#"{"limit":2}"#).unwrap()["limit"], 2);
    }

    #[test]
    fn the_key_must_match() {
        let mut h = HeaderMap::new();
        let none = Faults::default();
        assert!(authorise(&h, "k", none).is_err());
        h.insert(API_KEY, "wrong".parse().unwrap());
        assert_eq!(
            authorise(&h, "k", none).unwrap_err().code,
            Code::Unauthenticated
        );
        h.insert(API_KEY, "k".parse().unwrap());
        assert!(authorise(&h, "k", none).is_ok());
        let open = Faults::parse(&["no-auth".into()]).unwrap();
        assert!(authorise(&HeaderMap::new(), "k", open).is_ok());
    }
}
