//! The field readers every object reader is built from: an object checked against its
//! [`Field`]s (required, optional, new in 1.1; unknown keys refused, `x-` extensions kept), and
//! strings, lists and maps read at a pointer, each problem collected with its place.

use super::*;

/// A field an object may have.
pub(super) struct Field {
    name: &'static str,
    required: bool,
    /// The first version with the field.
    since: Version,
}

pub(super) const fn req(name: &'static str) -> Field {
    Field {
        name,
        required: true,
        since: Version::V1_0,
    }
}

pub(super) const fn opt(name: &'static str) -> Field {
    Field {
        name,
        required: false,
        since: Version::V1_0,
    }
}

pub(super) const fn v11(name: &'static str) -> Field {
    Field {
        name,
        required: false,
        since: Version::V1_1,
    }
}

impl<'d> Reader<'d> {
    pub(super) fn problem(&mut self, at: &str, message: impl Into<String>) {
        let d = self.doc.diag(at, message);
        self.problems.push(d);
    }

    /// Checks that `v` is an object with these fields; `None` (and a problem) otherwise.
    pub(super) fn object<'v>(
        &mut self,
        v: &'v Value,
        at: &str,
        what: &str,
        fields: &[Field],
        extensible: bool,
    ) -> Option<Obj<'v>> {
        let Some(map) = v.as_object() else {
            self.problem(at, format!("{what} must be an object, found {}", kind(v)));
            return None;
        };
        for key in map.keys() {
            let ptr = pointer::join(at, key);
            match fields.iter().find(|f| f.name == key) {
                Some(f) if f.since > self.version => {
                    let d = self
                        .doc
                        .diag_key(
                            &ptr,
                            format!(
                                "`{key}` is an Arazzo {} field; this document declares arazzo {}",
                                f.since.as_str(),
                                self.version.as_str()
                            ),
                        )
                        .with_help(format!(
                            "declare `arazzo: {}.0` to use it",
                            f.since.as_str()
                        ));
                    self.problems.push(d);
                }
                Some(_) => {}
                None if extensible && key.starts_with("x-") => {}
                None => {
                    let mut d = self
                        .doc
                        .diag_key(&ptr, format!("unknown key `{key}` in {what}"));
                    let names = fields
                        .iter()
                        .filter(|f| f.since <= self.version)
                        .map(|f| f.name);
                    if let Some(s) = did_you_mean(key, names.clone()) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    } else {
                        let all: Vec<&str> = names.collect();
                        let ext = if extensible {
                            ", or an `x-` extension"
                        } else {
                            ""
                        };
                        d = d.with_help(format!("expected one of: {}{ext}", all.join(", ")));
                    }
                    self.problems.push(d);
                }
            }
        }
        for f in fields {
            if f.required && !map.contains_key(f.name) && f.since <= self.version {
                self.problem(at, format!("{what} lacks the required field `{}`", f.name));
            }
        }
        Some(map)
    }

    /// An optional string field.
    pub(super) fn string(&mut self, map: Obj<'_>, at: &str, key: &str) -> Option<String> {
        match map.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.problem(
                    &pointer::join(at, key),
                    format!("`{key}` must be a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// A required string field (its absence is reported by [`Reader::object`]).
    pub(super) fn text(&mut self, map: Obj<'_>, at: &str, key: &str) -> String {
        self.string(map, at, key).unwrap_or_default()
    }

    /// An optional array field, as (pointer, element) pairs.
    pub(super) fn list<'v>(
        &mut self,
        map: Obj<'v>,
        at: &str,
        key: &str,
    ) -> Vec<(String, &'v Value)> {
        let here = pointer::join(at, key);
        match map.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (pointer::join(&here, &i.to_string()), v))
                .collect(),
            Some(other) => {
                self.problem(
                    &here,
                    format!("`{key}` must be a list, found {}", kind(other)),
                );
                Vec::new()
            }
        }
    }

    /// An optional map field, as (name, pointer, value) triples.
    pub(super) fn entries<'v>(
        &mut self,
        map: Obj<'v>,
        at: &str,
        key: &str,
    ) -> Vec<(String, String, &'v Value)> {
        let here = pointer::join(at, key);
        match map.get(key) {
            None => Vec::new(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), pointer::join(&here, k), v))
                .collect(),
            Some(other) => {
                self.problem(
                    &here,
                    format!("`{key}` must be a map, found {}", kind(other)),
                );
                Vec::new()
            }
        }
    }

    pub(super) fn strings(&mut self, map: Obj<'_>, at: &str, key: &str) -> Vec<Named> {
        let mut out = Vec::new();
        for (p, v) in self.list(map, at, key) {
            match v.as_str() {
                Some(s) => out.push(Named {
                    name: s.to_owned(),
                    at: p,
                }),
                None => self.problem(&p, format!("expected a string, found {}", kind(v))),
            }
        }
        out
    }
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
