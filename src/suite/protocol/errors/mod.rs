//! Error catalogues: every error code an API documents, with the status it comes with, its
//! title and the situation that triggers it, declared once in `protocol.errors`.
//!
//! The catalogue arms the automatic check `error-catalogue` (every code an error response
//! carries is catalogued, with its catalogued status, for an operation that may return it, in
//! an error object holding the required fields), makes the loader refuse an `expect.error`
//! naming a code that is not catalogued ([`crate::plan::lint::errors`]), and gives run coverage its list of error
//! codes. Its `names_input` arms `error-detail-names-input`, which holds the detail of some codes
//! to the input a generated negative request broke. The main type is [`ErrorCatalogue`];
//! [`read_objects`] finds the error objects of a body and the codes each carries.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::pointer;
pub use crate::suite::StatusSet;

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
    /// The codes whose error detail should name the input a request broke, judged on the
    /// generated negative requests by `error-detail-names-input`.
    pub names_input: Option<NamesInput>,
    /// Where each code sits in `catalogue` (its first entry), made on the first lookup: every
    /// error response of a run looks its codes up.
    #[serde(skip)]
    index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// Codes whose detail names the input a request broke (CDS Error Codes: "The error description
/// SHOULD be the parameter name of the invalid field", "... the HTTP header name").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesInput {
    /// The clause cited by findings.
    pub requirement: String,
    /// The member of an error object that holds its detail (`detail`).
    pub member: String,
    /// The catalogued codes the recommendation covers.
    pub codes: Vec<String>,
}

/// One documented error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    /// The status (or statuses, or a class such as `4XX`) the code comes with.
    pub status: StatusSet,
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

impl ErrorCatalogue {
    /// The entry for `code`.
    pub fn entry(&self, code: &str) -> Option<&Entry> {
        let index = self.index.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(self.catalogue.len());
            for (i, e) in self.catalogue.iter().enumerate() {
                index.entry(e.code.clone()).or_insert(i);
            }
            index
        });
        index.get(code).and_then(|&i| self.catalogue.get(i))
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
    let inside = inside(objects, codes);
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

/// What [`read_objects`] reads, in its order, without writing out where each object and code
/// sits: each error object's members and the codes in it. For readers that need no pointer,
/// over every error body of a run.
pub fn read_codes<'a>(
    body: &'a Value,
    objects: &str,
    codes: &[String],
) -> Vec<(&'a Map<String, Value>, Vec<&'a str>)> {
    let inside = inside(objects, codes);
    pointer::values(body, objects)
        .into_iter()
        .filter_map(|object| {
            let members = object.as_object()?;
            let codes = inside
                .iter()
                .flat_map(|rel| pointer::values(object, rel))
                .filter_map(Value::as_str)
                .collect();
            Some((members, codes))
        })
        .collect()
}

/// The `codes` pointers that lie inside the objects at `objects`, relative to an object.
fn inside<'c>(objects: &str, codes: &'c [String]) -> Vec<&'c str> {
    codes
        .iter()
        .filter_map(|c| {
            if objects.is_empty() {
                Some(c.as_str())
            } else {
                c.strip_prefix(objects).filter(|rest| rest.starts_with('/'))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
