//! What a step expects of its response on top of the automatic checks: status, header and
//! body assertions, error codes, a body snapshot, a pagination style, and the alternative
//! answers the sources allow.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{OneOrMany, Scalar, StatusMatch, StatusSet};

/// What the response must satisfy, on top of the automatic checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub status: Option<StatusSet>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderAssert>,
    #[serde(default)]
    pub body: IndexMap<String, BodyAssert>,
    /// Error code(s): the response must carry one of them where the suite's `errors` says.
    pub error: Option<OneOrMany>,
    pub snapshot: Option<Snapshot>,
    /// The page is consistent with its request, meta and links, per a pagination style.
    pub pagination: Option<Pagination>,
    /// For a generated negative request: the one rule it breaks, so the response must reject
    /// it (`negative-rejected`).
    #[serde(skip)]
    pub negative: Option<crate::suite::protocol::negative::Broken>,
    /// Answers the sources allow besides one another: the response must satisfy one of them
    /// (as well as the rest of `expect`), and every report says which one it chose.
    #[serde(default)]
    pub one_of: Vec<Alternative>,
}

/// One answer the sources allow, and where they allow it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub status: Option<StatusSet>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderAssert>,
    #[serde(default)]
    pub body: IndexMap<String, BodyAssert>,
    pub error: Option<OneOrMany>,
    /// The clause or sentence of the sources that allows this answer.
    pub source: String,
}

impl Alternative {
    /// The alternative as an expectation of its own.
    pub fn expect(&self) -> Expect {
        Expect {
            status: self.status.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            error: self.error.clone(),
            ..Expect::default()
        }
    }

    /// The alternative in a few words: `status 400, error EV1100`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.status {
            parts.push(format!("status {s}"));
        }
        if let Some(e) = &self.error {
            parts.push(format!("error {}", e.0.join(" or ")));
        }
        for name in self.headers.keys() {
            parts.push(format!("header {name}"));
        }
        for pointer in self.body.keys() {
            parts.push(format!("body {pointer}"));
        }
        parts.join(", ")
    }
}

/// How an API paginates, for the `pagination-page` check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `cds`: page / page-size query parameters, `links` (self, first, prev, next, last) and
    /// `meta` (totalRecords, totalPages), as the Consumer Data Standards define them.
    pub style: PaginationStyle,
    /// JSON Pointer of the array of records on the page.
    pub items: String,
    /// Page size when the request gives none.
    #[serde(default = "default_page_size")]
    pub default_size: u64,
}

fn default_page_size() -> u64 {
    25
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaginationStyle {
    Cds,
}

impl Expect {
    /// True when the step asserts something of its own.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.headers.is_empty()
            && self.body.is_empty()
            && self.error.is_none()
            && self.snapshot.is_none()
            && self.pagination.is_none()
            && self.negative.is_none()
            && self.one_of.is_empty()
    }

    /// Every status the step accepts, its own and those of its alternatives, with classes
    /// (`4XX`) spelled out.
    pub fn statuses(&self) -> Vec<u16> {
        let own = self.status.iter().flat_map(StatusSet::codes);
        let alternatives = self
            .one_of
            .iter()
            .filter_map(|a| a.status.as_ref())
            .flat_map(StatusSet::codes);
        let mut all: Vec<u16> = own.chain(alternatives).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The statuses the step accepts as written, its own and its alternatives', once each.
    pub fn status_matches(&self) -> Vec<StatusMatch> {
        let mut out: Vec<StatusMatch> = Vec::new();
        let own = self.status.iter().flat_map(|s| s.0.iter().copied());
        let alternatives = self
            .one_of
            .iter()
            .filter_map(|a| a.status.as_ref())
            .flat_map(|s| s.0.iter().copied());
        for s in own.chain(alternatives) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// Assertions on one response header. Several may be combined; all must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderAssert {
    pub present: Option<bool>,
    pub absent: Option<bool>,
    pub equals: Option<Scalar>,
    /// A regular expression the whole value must match.
    pub matches: Option<String>,
    /// The value must equal what the request sent in the header of the same name.
    pub equals_request: Option<bool>,
}

/// Assertions on the value(s) at a JSON Pointer of the body (`*` selects every element).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyAssert {
    pub exists: Option<bool>,
    pub absent: Option<bool>,
    /// With `*`: elements that lack the value are accepted; the other assertions apply to those that have it.
    pub optional: Option<bool>,
    pub equals: Option<Value>,
    pub not_equals: Option<Value>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<Value>>,
    pub matches: Option<String>,
    #[serde(rename = "type")]
    pub json_type: Option<String>,
    pub length: Option<Length>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// An exact length, or bounds.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Value")]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl TryFrom<Value> for Length {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        if let Some(n) = v.as_u64() {
            return Ok(Length {
                min: Some(n),
                max: Some(n),
            });
        }
        let Value::Object(map) = &v else {
            return Err(format!("a length is a number or {{min, max}}, not {v}"));
        };
        let bound = |k: &str| -> Result<Option<u64>, String> {
            match map.get(k) {
                None => Ok(None),
                Some(x) => x
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| format!("`{k}` must be a non-negative integer")),
            }
        };
        if let Some(k) = map.keys().find(|k| *k != "min" && *k != "max") {
            return Err(format!("unknown key `{k}` in length"));
        }
        Ok(Length {
            min: bound("min")?,
            max: bound("max")?,
        })
    }
}

/// A body snapshot: the response body (minus redacted pointers) must equal the stored one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub name: String,
    /// Pointers (with `*`) whose values are replaced by `"[redacted]"` before comparing.
    #[serde(default)]
    pub redact: Vec<String>,
}
