//! OpenAPI Schema Objects to JSON Schema 2020-12.
//!
//! [`convert`] rewrites one Schema Object, walking only schema positions (`properties` values,
//! `items`, `allOf` members, ...), so a property literally named `nullable` or `$ref` is data,
//! not a keyword. Every `$ref` met on the way is handed to a [`RefSink`], which decides what it
//! becomes (the spec bundles every referenced schema under one registry resource).
//!
//! OpenAPI 3.0 rules applied ([`Dialect::Oas30`]):
//! - `nullable: true` with `type` makes `type` an array with `"null"` (and adds `null` to
//!   `enum`); without `type` it wraps the schema as `anyOf: [schema, {type: null}]`.
//! - boolean `exclusiveMinimum`/`exclusiveMaximum`: `true` takes the bound from
//!   `minimum`/`maximum`; `false` is dropped.
//! - keywords beside `$ref` are ignored, as 3.0 says, except `nullable`, which wraps.
//! - `example` becomes the 2020-12 annotation `examples: [example]`, which builders of valid
//!   values read; `discriminator`, `xml` and `externalDocs` are dropped; `x-` keywords stay.
//!
//! 3.1 schemas ([`Dialect::Oas31`]) are 2020-12 already: only their `$ref`s are rewritten,
//! and the 3.0 keywords some of them still carry (`nullable`, boolean `exclusiveMinimum`)
//! are read as in 3.0 and told to the [`RefSink`].
//!
//! For both, tuple `items: [...]` becomes `prefixItems`, a `readOnly` property is not
//! required in a request and a `writeOnly` property is not required in a response
//! ([`Direction`]).

use serde_json::{Map, Value, json};

use super::files::ref_of;
use crate::pointer;

/// Which OpenAPI schema dialect a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// OpenAPI 3.0: an extended subset of JSON Schema draft 4 (wright-00).
    Oas30,
    /// OpenAPI 3.1: JSON Schema 2020-12 plus annotations.
    Oas31,
}

/// Which way a value travels, deciding whether `readOnly` or `writeOnly` properties may be
/// missing although `required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by the client: `readOnly` properties need not be present.
    Request,
    /// Sent by the server: `writeOnly` properties need not be present.
    Response,
}

/// Receives the `$ref`s met while converting.
pub trait RefSink {
    /// The `$ref` value to emit for `reference`, which was written at `at` (a JSON Pointer
    /// relative to the converted schema).
    fn rewrite(&mut self, reference: &str, at: &str) -> String;

    /// The schema a reference points to, so a `$ref` property's `readOnly`/`writeOnly` flag
    /// can be seen; `None` when unknown.
    fn target(&mut self, reference: &str, at: &str) -> Option<Value>;

    /// Says that what the converted schema holds at `converted` (and below) is written at
    /// `original` (both relative JSON Pointers), where the conversion moved it: under a
    /// nullable `anyOf` wrapper, or from tuple `items` to `prefixItems`.
    fn moved(&mut self, converted: &str, original: &str) {
        let _ = (converted, original);
    }

    /// Tells of something read liberally at `at` (a relative JSON Pointer).
    fn note(&mut self, at: &str, message: &str) {
        let _ = (at, message);
    }
}

/// Keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];

/// Keywords whose value is an array of schemas.
const SCHEMA_LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// OpenAPI 3.0 keywords with no JSON Schema meaning.
const DROPPED_30: &[&str] = &[
    "discriminator",
    "example",
    "xml",
    "externalDocs",
    "nullable",
];

/// Converts one Schema Object to JSON Schema 2020-12.
pub fn convert(
    schema: &Value,
    dialect: Dialect,
    direction: Direction,
    sink: &mut dyn RefSink,
) -> Value {
    Converter {
        dialect,
        direction,
        sink,
    }
    .schema(schema, &At::root())
}

/// Where a schema is: its pointer in the original (for `$ref` diagnostics) and in the
/// converted schema, which differ below a moved node.
#[derive(Debug, Clone)]
struct At {
    original: String,
    converted: String,
}

impl At {
    fn root() -> At {
        At {
            original: String::new(),
            converted: String::new(),
        }
    }

    fn child(&self, token: &str) -> At {
        self.child_as(token, token)
    }

    /// A child written under `original` and converted to `converted`.
    fn child_as(&self, original: &str, converted: &str) -> At {
        At {
            original: pointer::join(&self.original, original),
            converted: pointer::join(&self.converted, converted),
        }
    }
}

struct Converter<'s> {
    dialect: Dialect,
    direction: Direction,
    sink: &'s mut dyn RefSink,
}

impl Converter<'_> {
    fn schema(&mut self, schema: &Value, at: &At) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        match self.dialect {
            Dialect::Oas30 => self.schema_30(map, at),
            Dialect::Oas31 => self.schema_31(map, at),
        }
    }

    fn schema_30(&mut self, map: &Map<String, Value>, at: &At) -> Value {
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = self
                .sink
                .rewrite(reference, &pointer::join(&at.original, "$ref"));
            let only_ref = json!({ "$ref": target });
            return if nullable {
                let inner = pointer::join(&pointer::join(&at.converted, "anyOf"), "0");
                self.sink.moved(&inner, &at.original);
                json!({ "anyOf": [only_ref, { "type": "null" }] })
            } else {
                only_ref
            };
        }
        let wrapped = nullable && needs_wrapper(map, &["allOf", "anyOf", "oneOf", "not"]);
        let at = self.inner(at, wrapped);
        let mut out = self.keywords(map, &at);
        if let Some(example) = map.get("example").filter(|_| !out.contains_key("examples")) {
            out.insert("examples".into(), json!([example]));
        }
        for name in DROPPED_30 {
            out.remove(*name);
        }
        exclusive_bound(&mut out, "exclusiveMinimum", "minimum");
        exclusive_bound(&mut out, "exclusiveMaximum", "maximum");
        finish_nullable(out, nullable, wrapped)
    }

    /// A 3.1 schema is JSON Schema already; the 3.0 keywords some 3.1 documents still use
    /// (`nullable`, boolean `exclusiveMinimum`) mean nothing else there, so they are read as
    /// 3.0 reads them, and told to the sink.
    fn schema_31(&mut self, map: &Map<String, Value>, at: &At) -> Value {
        let legacy: Vec<&str> = ["nullable", "exclusiveMinimum", "exclusiveMaximum"]
            .into_iter()
            .filter(|k| map.get(*k).is_some_and(Value::is_boolean))
            .collect();
        if legacy.is_empty() {
            return Value::Object(self.keywords(map, at));
        }
        for key in &legacy {
            let message = format!(
                "`{key}: {}` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it",
                map[*key]
            );
            self.sink.note(&pointer::join(&at.original, key), &message);
        }
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        let wrapped = nullable && needs_wrapper(map, &["allOf", "anyOf", "oneOf", "not", "$ref"]);
        let at = self.inner(at, wrapped);
        let mut out = self.keywords(map, &at);
        out.remove("nullable");
        exclusive_bound(&mut out, "exclusiveMinimum", "minimum");
        exclusive_bound(&mut out, "exclusiveMaximum", "maximum");
        finish_nullable(out, nullable, wrapped)
    }

    /// A name-to-schema map written as a `$ref` to a map elsewhere (`properties: {$ref:
    /// attributes.yml#/ids}`): JSON Schema would read a property named `$ref`, but bundlers
    /// put the map in its place, so each member becomes a `$ref` to that member.
    fn referenced_map(&mut self, key: &str, reference: &str, at: &At) -> Value {
        let ref_at = pointer::join(&at.original, "$ref");
        let Some(Value::Object(target)) = self.sink.target(reference, &ref_at) else {
            return json!({ "$ref": self.sink.rewrite(reference, &ref_at) });
        };
        let message = format!(
            "`{key}` is a `$ref`, which JSON Schema would read as a property named `$ref`; the map it points to is used, as bundlers do"
        );
        self.sink.note(&ref_at, &message);
        let base = if reference.contains('#') {
            reference.to_owned()
        } else {
            format!("{reference}#")
        };
        let members = target.keys().map(|name| {
            let token = pointer::escape(name).replace('%', "%25");
            let member = json!({ "$ref": format!("{base}/{token}") });
            (name.clone(), self.schema(&member, &at.child(name)))
        });
        Value::Object(members.collect())
    }

    /// Where the keywords of a schema go: under `anyOf/0` when it is wrapped for `null`.
    fn inner(&mut self, at: &At, wrapped: bool) -> At {
        if !wrapped {
            return at.clone();
        }
        let inner = At {
            original: at.original.clone(),
            converted: pointer::join(&pointer::join(&at.converted, "anyOf"), "0"),
        };
        self.sink.moved(&inner.converted, &inner.original);
        inner
    }

    /// Copies a schema's keywords, converting subschemas and filtering `required`.
    fn keywords(&mut self, map: &Map<String, Value>, at: &At) -> Map<String, Value> {
        let mut out = Map::with_capacity(map.len());
        let tuple = map.get("items").is_some_and(Value::is_array);
        for (key, value) in map {
            let here = match key.as_str() {
                "items" if tuple => at.child_as(key, "prefixItems"),
                "additionalItems" if tuple => at.child_as(key, "items"),
                _ => at.child(key),
            };
            if here.converted != pointer::join(&at.converted, key) {
                self.sink.moved(&here.converted, &here.original);
            }
            let converted = if key == "$schema" {
                continue;
            } else if key == "$ref" {
                match value.as_str() {
                    Some(r) => Value::String(self.sink.rewrite(r, &here.original)),
                    None => value.clone(),
                }
            } else if key.starts_with("x-") {
                value.clone()
            } else if ONE_SCHEMA.contains(&key.as_str()) && !value.is_array() {
                self.schema(value, &here)
            } else if SCHEMA_LIST.contains(&key.as_str()) || key == "items" {
                match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, s)| self.schema(s, &here.child(&i.to_string())))
                            .collect(),
                    ),
                    other => other.clone(),
                }
            } else if SCHEMA_MAP.contains(&key.as_str()) {
                match value {
                    Value::Object(members) if members.len() == 1 && ref_of(value).is_some() => {
                        self.referenced_map(key, ref_of(value).unwrap_or_default(), &here)
                    }
                    Value::Object(members) => Value::Object(
                        members
                            .iter()
                            .map(|(k, s)| (k.clone(), self.schema(s, &here.child(k))))
                            .collect(),
                    ),
                    other => other.clone(),
                }
            } else if key == "required" {
                self.required(map, value, &at.original)
            } else {
                value.clone()
            };
            out.insert(key.clone(), converted);
        }
        if tuple {
            tuple_items(&mut out);
        }
        out
    }

    /// Drops from `required` the properties this direction never carries.
    fn required(&mut self, map: &Map<String, Value>, required: &Value, at: &str) -> Value {
        let (Value::Array(names), Some(Value::Object(props))) = (required, map.get("properties"))
        else {
            return required.clone();
        };
        let skip_flag = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let kept = names
            .iter()
            .filter(|name| {
                let Some(prop) = name.as_str().and_then(|n| props.get(n)) else {
                    return true;
                };
                !self.has_flag(prop, skip_flag, at, name.as_str().unwrap_or_default())
            })
            .cloned()
            .collect();
        Value::Array(kept)
    }

    fn has_flag(&mut self, prop: &Value, flag: &str, at: &str, name: &str) -> bool {
        if prop.get(flag) == Some(&Value::Bool(true)) {
            return true;
        }
        let Some(reference) = prop.get("$ref").and_then(Value::as_str) else {
            return false;
        };
        let ref_at = pointer::join(
            &pointer::join(&pointer::join(at, "properties"), name),
            "$ref",
        );
        self.sink
            .target(reference, &ref_at)
            .is_some_and(|t| t.get(flag) == Some(&Value::Bool(true)))
    }
}

/// Every schema inside a Schema Object as written (itself first), with its relative JSON
/// Pointer; `$ref`s are not followed.
pub(crate) fn subschemas(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), schema)];
    while let Some((at, node)) = stack.pop() {
        let Value::Object(map) = node else { continue };
        for (key, value) in map {
            let here = pointer::join(&at, key);
            let is_list = SCHEMA_LIST.contains(&key.as_str()) || key == "items";
            match value {
                Value::Array(items) if is_list => stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (pointer::join(&here, &i.to_string()), s)),
                ),
                Value::Object(members) if SCHEMA_MAP.contains(&key.as_str()) => stack.extend(
                    members
                        .iter()
                        .map(|(name, s)| (pointer::join(&here, name), s)),
                ),
                Value::Object(_) if ONE_SCHEMA.contains(&key.as_str()) => {
                    stack.push((here, value));
                }
                _ => {}
            }
        }
        out.push((at, node));
    }
    out
}

/// True when a nullable schema without `type` has one of `keys`, so `null` can only be
/// admitted by wrapping it: `anyOf: [schema, {type: null}]`.
fn needs_wrapper(map: &Map<String, Value>, keys: &[&str]) -> bool {
    !map.contains_key("type") && keys.iter().any(|k| map.contains_key(*k))
}

/// Admits `null` in a converted schema that was `nullable: true`.
fn finish_nullable(mut out: Map<String, Value>, nullable: bool, wrapped: bool) -> Value {
    if !nullable {
        return Value::Object(out);
    }
    add_null_to_enum(&mut out);
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            out.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
            types.push(json!("null"));
        }
        _ if wrapped => {
            return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
        }
        _ => {}
    }
    Value::Object(out)
}

/// Turns draft 4 tuple `items: [...]` (found in 3.0 documents and read the same way in 3.1
/// ones, where an array has no other meaning) into `prefixItems`, and `additionalItems`
/// beside it into `items`.
fn tuple_items(out: &mut Map<String, Value>) {
    if !out.get("items").is_some_and(Value::is_array) {
        return;
    }
    let tuple = out.remove("items").unwrap_or_default();
    out.insert("prefixItems".into(), tuple);
    if let Some(rest) = out.remove("additionalItems") {
        out.insert("items".into(), rest);
    }
}

/// Turns a 3.0 boolean exclusive bound into the 2020-12 numeric form.
fn exclusive_bound(out: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    match out.get(exclusive) {
        Some(Value::Bool(true)) => match out.remove(bound) {
            Some(limit) => {
                out.insert(exclusive.into(), limit);
            }
            None => {
                out.remove(exclusive);
            }
        },
        Some(Value::Bool(false)) => {
            out.remove(exclusive);
        }
        _ => {}
    }
}

fn add_null_to_enum(out: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = out.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
}

#[cfg(test)]
mod tests;
