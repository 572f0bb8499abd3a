//! The rules a schema declares for one value, read from the spec's converted (JSON Schema
//! 2020-12) form: `$ref`s followed, `allOf` members merged, a nullable `anyOf` wrapper seen
//! through. The main type is [`Facts`].
//!
//! Only what can be broken one rule at a time is gathered. A schema with a choice
//! (`oneOf`, a real `anyOf`, `not`, `if`) is marked [`Facts::open`]: no request is built to
//! break it, since a value outside one branch may well fit another.

use serde_json::Value;

use crate::openapi::Spec;

/// The rules of one value.
#[derive(Debug, Default)]
pub(super) struct Facts<'s> {
    /// JSON types, `null` left out.
    pub types: Vec<&'s str>,
    pub enumeration: Option<&'s [Value]>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub pattern: Option<&'s str>,
    pub format: Option<&'s str>,
    /// The Consumer Data Standards common field type (`x-cds-type`).
    pub cds_type: Option<&'s str>,
    /// Object members, in declaration order.
    pub properties: Vec<(&'s str, &'s Value)>,
    pub required: Vec<&'s str>,
    /// The schema of array elements.
    pub items: Option<&'s Value>,
    /// The schema offers a choice: nothing is generated for it.
    pub open: bool,
}

impl<'s> Facts<'s> {
    /// The rules of `schema`, a node of `spec`'s bundle.
    pub fn of(spec: &'s Spec, schema: &'s Value) -> Facts<'s> {
        let mut facts = Facts::default();
        facts.gather(spec, schema, 0);
        facts
    }

    /// True when the value may be of JSON type `t` (`integer` counts as a `number`).
    pub fn admits(&self, t: &str) -> bool {
        self.types.is_empty()
            || self
                .types
                .iter()
                .any(|x| *x == t || (*x == "number" && t == "integer"))
    }

    fn gather(&mut self, spec: &'s Spec, schema: &'s Value, depth: usize) {
        if depth > 16 {
            return;
        }
        let schema = spec.resolve(schema);
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(members) = map.get("anyOf").and_then(Value::as_array) {
            match nullable_wrapper(members) {
                Some(inner) => self.gather(spec, inner, depth + 1),
                None => self.open = true,
            }
        }
        if ["oneOf", "not", "if"].iter().any(|k| map.contains_key(*k)) {
            self.open = true;
        }
        if let Some(members) = map.get("allOf").and_then(Value::as_array) {
            for m in members {
                self.gather(spec, m, depth + 1);
            }
        }
        match map.get("type") {
            Some(Value::String(t)) if t != "null" => self.types.push(t),
            Some(Value::Array(ts)) => self
                .types
                .extend(ts.iter().filter_map(Value::as_str).filter(|t| *t != "null")),
            _ => {}
        }
        let num = |k: &str| map.get(k).and_then(Value::as_f64);
        let count = |k: &str| map.get(k).and_then(Value::as_u64);
        let text = |k: &str| map.get(k).and_then(Value::as_str);
        keep(
            &mut self.enumeration,
            map.get("enum")
                .and_then(|e| e.as_array().map(Vec::as_slice)),
        );
        keep(&mut self.min_length, count("minLength"));
        keep(&mut self.max_length, count("maxLength"));
        keep(&mut self.minimum, num("minimum"));
        keep(&mut self.maximum, num("maximum"));
        keep(&mut self.exclusive_minimum, num("exclusiveMinimum"));
        keep(&mut self.exclusive_maximum, num("exclusiveMaximum"));
        keep(&mut self.min_items, count("minItems"));
        keep(&mut self.max_items, count("maxItems"));
        keep(&mut self.pattern, text("pattern"));
        keep(&mut self.format, text("format"));
        keep(&mut self.cds_type, text("x-cds-type"));
        keep(&mut self.items, map.get("items"));
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for (name, s) in props {
                if !self.properties.iter().any(|(n, _)| n == name) {
                    self.properties.push((name, s));
                }
            }
        }
        if let Some(req) = map.get("required").and_then(Value::as_array) {
            for name in req.iter().filter_map(Value::as_str) {
                if !self.required.contains(&name) {
                    self.required.push(name);
                }
            }
        }
    }
}

/// The first value found wins: every `allOf` member's rule holds, so any one is a rule to break.
fn keep<T>(slot: &mut Option<T>, found: Option<T>) {
    if slot.is_none() {
        *slot = found;
    }
}

/// `anyOf: [schema, {type: null}]`, the form a nullable schema converts to: the schema.
fn nullable_wrapper(members: &[Value]) -> Option<&Value> {
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    match members {
        [a, b] if is_null(b) => Some(a),
        [a, b] if is_null(a) => Some(b),
        _ => None,
    }
}
