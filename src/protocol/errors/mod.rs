//! Error catalogues: every error code an API documents, with the status it comes with, its
//! title and the situation that triggers it, declared once in `protocol.errors`.
//!
//! The catalogue arms the automatic check `error-catalogue` (every code an error response
//! carries is catalogued, with its catalogued status, for an operation that may return it, in
//! an error object holding the required fields), makes the loader refuse an `expect.error`
//! naming a code that is not catalogued ([`crate::plan::lint::errors`]), and gives run coverage its list of error
//! codes. The main type is [`ErrorCatalogue`]; [`read_objects`] finds the error objects of a
//! body and the codes each carries.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::pointer;

/// The `protocol.errors` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCatalogue {
    /// The clause cited by findings (`CDS Error Codes`).
    pub requirement: String,
    /// JSON Pointer (with `*`) of the error objects of an error body. By default, the part of
    /// the suite's first `errors.codes` pointer up to its last `*` (`/errors/*` for
    /// `/errors/*/code`), or the whole body when that pointer has no `*`.
    pub objects: Option<String>,
    /// Members every error object must have (`[code, title, detail]`).
    #[serde(default)]
    pub fields: Vec<String>,
    /// Every documented error code.
    pub catalogue: Vec<Entry>,
}

/// One documented error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    /// The status (or statuses, or a class such as `4XX`) the code comes with.
    pub status: Statuses,
    /// The code's documented title.
    pub title: String,
    /// The situation that triggers it.
    pub when: String,
    /// The operations that may answer with it: every operation when absent; none (`[]`) for a
    /// code of the standard that no operation of this API returns, catalogued so that a
    /// response carrying it is named rather than unknown.
    pub operations: Option<Vec<String>>,
}

impl Entry {
    /// True when operation `op` (its `operationId`, or `METHOD /path`) may answer with the code.
    pub fn applies_to(&self, op: &str) -> bool {
        self.operations
            .as_ref()
            .is_none_or(|ops| ops.iter().any(|o| o == op))
    }

    /// True when at least one operation of the API may answer with the code.
    pub fn applies(&self) -> bool {
        self.operations.as_ref().is_none_or(|ops| !ops.is_empty())
    }

    /// `operations` for messages: `every operation`, or the names joined.
    pub fn operations_text(&self) -> String {
        match &self.operations {
            None => "every operation".to_owned(),
            Some(ops) if ops.is_empty() => "no operation of this API".to_owned(),
            Some(ops) => ops.join(", "),
        }
    }
}

/// One status or class of statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// `404`
    Exact(u16),
    /// `4XX`: the hundreds digit.
    Class(u16),
}

impl StatusMatch {
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusMatch::Exact(s) => s == status,
            StatusMatch::Class(c) => status / 100 == c,
        }
    }

    /// Reads `404`, `"404"` or `"4XX"`.
    pub fn parse(v: &Value) -> Result<StatusMatch, String> {
        let bad = || format!("a status is an integer from 100 to 599 or a class like 4XX, not {v}");
        if let Some(n) = v.as_u64() {
            return (100..=599)
                .contains(&n)
                .then_some(StatusMatch::Exact(n as u16))
                .ok_or_else(bad);
        }
        let s = v.as_str().ok_or_else(bad)?;
        let b = s.as_bytes();
        if b.len() == 3 && matches!(b[0], b'1'..=b'5') && b[1..].eq_ignore_ascii_case(b"XX") {
            return Ok(StatusMatch::Class(u16::from(b[0] - b'0')));
        }
        match s.parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) => Ok(StatusMatch::Exact(n)),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for StatusMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusMatch::Exact(s) => write!(f, "{s}"),
            StatusMatch::Class(c) => write!(f, "{c}XX"),
        }
    }
}

/// The statuses a code comes with: one, a class, or a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Value")]
pub struct Statuses(pub Vec<StatusMatch>);

impl TryFrom<Value> for Statuses {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        match &v {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(StatusMatch::parse)
                .collect::<Result<_, _>>()
                .map(Statuses),
            _ => StatusMatch::parse(&v).map(|s| Statuses(vec![s])),
        }
    }
}

impl Statuses {
    pub fn matches(&self, status: u16) -> bool {
        self.0.iter().any(|s| s.matches(status))
    }
}

impl std::fmt::Display for Statuses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(" or "))
    }
}

impl ErrorCatalogue {
    /// The entry for `code`.
    pub fn entry(&self, code: &str) -> Option<&Entry> {
        self.catalogue.iter().find(|e| e.code == code)
    }

    /// Where a suite whose codes sit at `codes` finds its error objects: the declared
    /// `objects`, or the part of the first code pointer up to its last `*`.
    pub fn objects_pointer(&self, codes: &[String]) -> Option<String> {
        if let Some(o) = &self.objects {
            return Some(o.clone());
        }
        let first = codes.first()?;
        Some(match first.rfind("/*") {
            Some(i) => first[..i + 2].to_owned(),
            None => String::new(),
        })
    }
}

/// One error object of an error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorObject<'a> {
    /// Its JSON Pointer in the body.
    pub pointer: String,
    pub members: &'a Map<String, Value>,
    /// Each code it carries: the concrete pointer and the code.
    pub codes: Vec<(String, String)>,
}

/// The error objects at `objects` in `body`, with the codes found at those of the `codes`
/// pointers that lie inside an object. Values that are not JSON objects are passed over: the
/// response schema judges the body's shape.
pub fn read_objects<'a>(body: &'a Value, objects: &str, codes: &[String]) -> Vec<ErrorObject<'a>> {
    let inside: Vec<&str> = codes
        .iter()
        .filter_map(|c| {
            if objects.is_empty() {
                Some(c.as_str())
            } else {
                c.strip_prefix(objects).filter(|rest| rest.starts_with('/'))
            }
        })
        .collect();
    pointer::select(body, objects)
        .into_iter()
        .filter_map(|s| {
            let members = s.value?.as_object()?;
            let object = s.value?;
            let codes = inside
                .iter()
                .flat_map(|rel| pointer::select(object, rel))
                .filter_map(|c| {
                    let code = c.value?.as_str()?;
                    Some((format!("{}{}", s.pointer, c.pointer), code.to_owned()))
                })
                .collect();
            Some(ErrorObject {
                pointer: s.pointer,
                members,
                codes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
