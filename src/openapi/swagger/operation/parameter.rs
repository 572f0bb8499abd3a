//! Parameters: a list split into the parameters that stay and the body and form parameters
//! that become a request body, and a non-body parameter's value keywords moved into its
//! `schema`, with `collectionFormat` as `style` and `explode`.

use serde_json::{Map, Value, json};

use super::{Converter, Pending};
use crate::pointer;

/// Keys of a non-body parameter, header or items object that describe its value.
const VALUE_KEYS: [&str; 16] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

/// Where a converted parameter keeps a `collectionFormat` that no OpenAPI 3.0 style of its
/// location states (`tsv`, or `ssv` in a header), for the parameter index to read.
pub(crate) const COLLECTION_FORMAT: &str = "x-collection-format";

impl Converter<'_> {
    /// Converts a parameter list: the non-body parameters (when there is a list), and the
    /// body and form parameters set aside with their places. A `$ref` to a top-level
    /// parameter of this file is followed to see where it goes.
    pub(super) fn parameters(
        &mut self,
        list: Option<&Value>,
        from: &str,
        to: &str,
    ) -> (Option<Value>, Vec<Pending>) {
        let Some(Value::Array(items)) = list else {
            return (list.cloned(), Vec::new());
        };
        let (from, to) = (
            pointer::join(from, "parameters"),
            pointer::join(to, "parameters"),
        );
        let mut kept = Vec::new();
        let mut bodies = Vec::new();
        for (i, p) in items.iter().enumerate() {
            let at = pointer::join(&from, &i.to_string());
            let (target, target_at) = self.follow_local(p, &at);
            if matches!(
                target.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                bodies.push((target, target_at));
                continue;
            }
            let new_at = pointer::join(&to, &kept.len().to_string());
            let converted = if p.get("$ref").is_some() {
                self.origins.add(new_at.clone(), at);
                p.clone()
            } else {
                self.parameter(p, &at, &new_at)
            };
            kept.push(converted);
        }
        (Some(Value::Array(kept)), bodies)
    }

    /// The parameter a local `#/parameters/...` reference names, or the value itself.
    fn follow_local(&self, p: &Value, at: &str) -> (Value, String) {
        let target = p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .filter(|r| r.starts_with("/parameters/"))
            .and_then(|r| Some((self.doc.value.pointer(r)?, r)));
        match target {
            Some((value, pointer)) => (value.clone(), pointer.to_owned()),
            None => (p.clone(), at.to_owned()),
        }
    }

    /// A non-body parameter: its value keywords move into `schema`; `collectionFormat`
    /// becomes `style`/`explode`.
    pub fn parameter(&mut self, p: &Value, from: &str, to: &str) -> Value {
        let Value::Object(map) = p else {
            return p.clone();
        };
        let mut out = Map::new();
        for (key, value) in map {
            let is_value_key = VALUE_KEYS.contains(&key.as_str())
                || key == "collectionFormat"
                || key == "x-nullable";
            if !is_value_key {
                out.insert(key.clone(), value.clone());
            }
        }
        if !out.contains_key("schema") {
            out.insert("schema".into(), Value::Object(self.value_schema(map)));
            self.origins.add(pointer::join(to, "schema"), from);
        }
        let location = map.get("in").and_then(Value::as_str).unwrap_or_default();
        let is_array = map.get("type").and_then(Value::as_str) == Some("array");
        if is_array && let Some((style, explode)) = style(location, map.get("collectionFormat")) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        } else if is_array && let Some(format) = map.get("collectionFormat") {
            out.insert(COLLECTION_FORMAT.into(), format.clone());
        }
        self.origins.add(to, from);
        Value::Object(out)
    }

    /// The schema that a parameter's, header's or items object's value keywords make.
    pub(super) fn value_schema(&mut self, map: &Map<String, Value>) -> Map<String, Value> {
        let mut schema = Map::new();
        for (key, value) in map {
            match key.as_str() {
                "items" => {
                    let items = match value {
                        Value::Object(items) => Value::Object(self.value_schema(items)),
                        other => other.clone(),
                    };
                    schema.insert(key.clone(), items);
                }
                "x-nullable" => {
                    schema.insert("nullable".into(), value.clone());
                }
                k if VALUE_KEYS.contains(&k) => {
                    schema.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        super::schema::file_type(&mut schema);
        schema
    }
}

/// `style` and `explode` for an array parameter's `collectionFormat` (default `csv`); `None`
/// where the OpenAPI 3.0 default already means the same, or nothing does (`tsv`).
fn style(location: &str, format: Option<&Value>) -> Option<(&'static str, bool)> {
    let format = format.and_then(Value::as_str).unwrap_or("csv");
    match (location, format) {
        ("query", "csv") => Some(("form", false)),
        ("query", "multi") => Some(("form", true)),
        ("query", "ssv") => Some(("spaceDelimited", false)),
        ("query", "pipes") => Some(("pipeDelimited", false)),
        ("path" | "header", "csv") => Some(("simple", false)),
        _ => None,
    }
}
