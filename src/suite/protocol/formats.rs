//! Domain formats (`protocol.formats`): values at JSON Pointers of request and response bodies
//! that must be of a named format, each judged by the check of the same name. The formats are
//! the ones a provider defines beyond JSON Schema, with a published algorithm:
//!
//! - `ird-number`: a New Zealand Inland Revenue (IRD) number, in range and passing the
//!   modulus-11 check digit (`irdnum`).
//!
//! A declaration may be limited to some operations and to bodies where other members hold
//! given values (`when`), for a member that only holds an IRD number when its type says so.
//! The main type is [`Format`].

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::pointer;

/// One `protocol.formats` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format {
    /// JSON Pointer into the body; `*` selects every element.
    pub at: String,
    pub format: FormatName,
    /// The bodies judged: responses (the default), requests, or both.
    #[serde(rename = "in", default = "responses_only")]
    pub sides: Vec<Side>,
    /// The operations (`operationId`) it applies to; every operation when empty.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Values other members of the same body must have for the format to apply (pointer to
    /// value).
    #[serde(default)]
    pub when: IndexMap<String, Value>,
    /// The clause findings cite; the format's published reference when absent.
    pub requirement: Option<String>,
}

/// A domain format, named as its check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatName {
    IrdNumber,
}

/// Which body of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Request,
    Response,
}

fn responses_only() -> Vec<Side> {
    vec![Side::Response]
}

impl Format {
    /// The clause findings cite.
    pub fn requirement(&self) -> &str {
        match (&self.requirement, self.format) {
            (Some(r), _) => r,
            (None, FormatName::IrdNumber) => "IR Number Validation Modulus 11 Digit Check",
        }
    }

    /// True when this entry judges `side` bodies of `operation` and `body` meets `when`.
    pub fn applies(&self, side: Side, operation: Option<&str>, body: &Value) -> bool {
        self.sides.contains(&side)
            && (self.operations.is_empty()
                || operation.is_some_and(|o| self.operations.iter().any(|x| x == o)))
            && self
                .when
                .iter()
                .all(|(at, want)| body.pointer(at) == Some(want))
    }

    /// The values at `at` that the body holds, with their concrete pointers.
    pub fn values<'a>(&self, body: &'a Value) -> Vec<(String, &'a Value)> {
        pointer::select(body, &self.at)
            .into_iter()
            .filter_map(|s| s.value.map(|v| (s.pointer, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn format(yaml: serde_json::Value) -> Format {
        serde_json::from_value(yaml).unwrap()
    }

    #[test]
    fn applies_by_side_operation_and_condition() {
        let f = format(json!({
            "at": "/CustomerID", "format": "ird-number", "in": ["request"],
            "operations": ["listPOST"], "when": {"/CustomerIDType": "IRD"}
        }));
        let ird = json!({"CustomerID": "049091850", "CustomerIDType": "IRD"});
        let cst = json!({"CustomerID": "1512150403", "CustomerIDType": "CST"});
        assert!(f.applies(Side::Request, Some("listPOST"), &ird));
        assert!(!f.applies(Side::Response, Some("listPOST"), &ird));
        assert!(!f.applies(Side::Request, Some("accountPOST"), &ird));
        assert!(!f.applies(Side::Request, Some("listPOST"), &cst));
        assert_eq!(
            f.requirement(),
            "IR Number Validation Modulus 11 Digit Check"
        );
    }

    #[test]
    fn responses_are_the_default_side_and_wildcards_select_each_value() {
        let f = format(json!({"at": "/items/*/ird", "format": "ird-number"}));
        assert_eq!(f.sides, [Side::Response]);
        let body = json!({"items": [{"ird": "1"}, {}, {"ird": 2}]});
        let got: Vec<String> = f.values(&body).into_iter().map(|(p, _)| p).collect();
        assert_eq!(got, ["/items/0/ird", "/items/2/ird"]);
    }
}
