//! Reading and changing the probe's inputs: suite variables filled offline, the value a
//! request sends for a parameter, the body members to break, and setting a value at a pointer.

use indexmap::IndexMap;
use serde_json::Value;

use super::facts::Facts;
use super::violate::{self, Carrier, Violation};
use crate::openapi::{SchemaViolation, Spec};
use crate::pointer;
use crate::suite::{Scalar, SuiteFile};
use crate::template::{self, Vars};

/// The suite's variable defaults that are known offline, each filled from those before it.
pub(super) fn suite_vars(file: &SuiteFile) -> Vars {
    let mut vars = Vars::default();
    for (name, value) in &file.vars {
        if let Some(text) = fill(&value.0, &vars) {
            vars.set(name.clone(), Value::String(text));
        }
    }
    vars
}

/// A text with its placeholders filled, unless one is a built-in (fresh on every use) or
/// unknown offline.
pub(super) fn fill(text: &str, vars: &Vars) -> Option<String> {
    let names = template::variables_in(text);
    if names.iter().any(|n| n.starts_with('$')) {
        return None;
    }
    template::render(text, vars).ok()
}

/// A JSON value with every fillable placeholder filled; the others stay as written.
pub(super) fn fill_value(value: &Value, vars: &Vars) -> Value {
    match value {
        Value::String(s) => fill(s, vars).map_or_else(|| value.clone(), Value::String),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_value(v, vars)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_value(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The text a parameter carries for a JSON value.
pub(super) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value a request sends for a parameter: the step's own (a `null` there removes it), else
/// the suite's default. Header names compare without case.
pub(super) fn effective<'a>(
    defaults: &'a IndexMap<String, Scalar>,
    step: &'a IndexMap<String, Option<Scalar>>,
    name: &str,
    fold: bool,
) -> Option<&'a str> {
    let same = |k: &String| {
        if fold {
            k.eq_ignore_ascii_case(name)
        } else {
            k == name
        }
    };
    if let Some((_, v)) = step.iter().find(|(k, _)| same(k)) {
        return v.as_ref().map(|s| s.0.as_str());
    }
    defaults
        .iter()
        .find(|(k, _)| same(k))
        .map(|(_, v)| v.0.as_str())
}

/// True when validation found something new, all of it under `keyword`.
pub(super) fn confirms(
    found: &[SchemaViolation],
    keyword: &str,
    already: &[(String, String)],
) -> bool {
    let new: Vec<_> = found
        .iter()
        .filter(|v| {
            !already
                .iter()
                .any(|(i, s)| *i == v.instance_path && *s == v.schema_path)
        })
        .collect();
    !new.is_empty() && new.iter().all(|v| v.keyword() == keyword)
}

/// Proposals for the members of an object the base request holds, and theirs in turn: a
/// required member left out, then each member's own rules. Arrays are entered through their
/// first element.
pub(super) fn members(
    spec: &Spec,
    schema: &Value,
    base: &Value,
    at: &str,
    out: &mut Vec<(String, Violation)>,
) {
    let f = Facts::of(spec, schema);
    let Some(object) = base.as_object().filter(|_| !f.open) else {
        return;
    };
    for (name, member) in &f.properties {
        let here = pointer::join(at, name);
        let value = object.get(*name);
        if value.is_some() && f.required.contains(name) {
            out.push((here.clone(), violate::missing()));
        }
        let mf = Facts::of(spec, member);
        for v in violate::violations(&mf, value, Carrier::Json) {
            out.push((here.clone(), v));
        }
        match value {
            Some(v @ Value::Object(_)) => members(spec, member, v, &here, out),
            Some(Value::Array(items)) => {
                if let (Some(first), Some(item_schema)) = (items.first(), mf.items) {
                    let first_at = pointer::join(&here, "0");
                    let itf = Facts::of(spec, item_schema);
                    for v in violate::violations(&itf, Some(first), Carrier::Json) {
                        out.push((first_at.clone(), v));
                    }
                    members(spec, item_schema, first, &first_at, out);
                }
            }
            _ => {}
        }
    }
    for name in f
        .required
        .iter()
        .filter(|n| !f.properties.iter().any(|(p, _)| p == *n))
    {
        if object.contains_key(*name) {
            out.push((pointer::join(at, name), violate::missing()));
        }
    }
}

/// Sets (or, with `None`, removes) the value at a pointer whose parent exists.
pub(super) fn put(root: &mut Value, at: &str, value: Option<Value>) -> bool {
    let Some(mut tokens) = pointer::tokens(at) else {
        return false;
    };
    let Some(last) = tokens.pop() else {
        return false;
    };
    let mut node = root;
    for t in &tokens {
        node = match node {
            Value::Object(m) => match m.get_mut(t) {
                Some(n) => n,
                None => return false,
            },
            Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    match (node, value) {
        (Value::Object(m), Some(v)) => {
            m.insert(last, v);
            true
        }
        (Value::Object(m), None) => m.shift_remove(&last).is_some(),
        (Value::Array(a), Some(v)) => match last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
            Some(slot) => {
                *slot = v;
                true
            }
            None => false,
        },
        _ => false,
    }
}
