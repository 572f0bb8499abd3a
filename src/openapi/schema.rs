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
//! 3.1 schemas ([`Dialect::Oas31`]) are 2020-12 already: only their `$ref`s are rewritten.
//! For both, a `readOnly` property is not required in a request and a `writeOnly` property is
//! not required in a response ([`Direction`]).

use serde_json::{Map, Value, json};

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
    .schema(schema, "")
}

struct Converter<'s> {
    dialect: Dialect,
    direction: Direction,
    sink: &'s mut dyn RefSink,
}

impl Converter<'_> {
    fn schema(&mut self, schema: &Value, at: &str) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        match self.dialect {
            Dialect::Oas30 => self.schema_30(map, at),
            Dialect::Oas31 => Value::Object(self.keywords(map, at)),
        }
    }

    fn schema_30(&mut self, map: &Map<String, Value>, at: &str) -> Value {
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = self.sink.rewrite(reference, &pointer::join(at, "$ref"));
            let only_ref = json!({ "$ref": target });
            return if nullable {
                json!({ "anyOf": [only_ref, { "type": "null" }] })
            } else {
                only_ref
            };
        }
        let mut out = self.keywords(map, at);
        if let Some(example) = map.get("example").filter(|_| !out.contains_key("examples")) {
            out.insert("examples".into(), json!([example]));
        }
        for name in DROPPED_30 {
            out.remove(*name);
        }
        exclusive_bound(&mut out, "exclusiveMinimum", "minimum");
        exclusive_bound(&mut out, "exclusiveMaximum", "maximum");
        if let Some(Value::Array(_)) = out.get("items") {
            let tuple = out.remove("items").unwrap_or_default();
            out.insert("prefixItems".into(), tuple);
        }
        if !nullable {
            return Value::Object(out);
        }
        add_null_to_enum(&mut out);
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(Value::Array(types)) => {
                if !types.iter().any(|t| t == "null") {
                    types.push(json!("null"));
                }
            }
            _ => {
                let combined = ["allOf", "anyOf", "oneOf", "not"]
                    .iter()
                    .any(|k| out.contains_key(*k));
                if combined {
                    return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
                }
            }
        }
        Value::Object(out)
    }

    /// Copies a schema's keywords, converting subschemas and filtering `required`.
    fn keywords(&mut self, map: &Map<String, Value>, at: &str) -> Map<String, Value> {
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map {
            let here = pointer::join(at, key);
            let converted = if key == "$schema" {
                continue;
            } else if key == "$ref" {
                match value.as_str() {
                    Some(r) => Value::String(self.sink.rewrite(r, &here)),
                    None => value.clone(),
                }
            } else if key.starts_with("x-") {
                value.clone()
            } else if ONE_SCHEMA.contains(&key.as_str()) {
                self.schema(value, &here)
            } else if SCHEMA_LIST.contains(&key.as_str()) {
                match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, s)| self.schema(s, &pointer::join(&here, &i.to_string())))
                            .collect(),
                    ),
                    other => other.clone(),
                }
            } else if SCHEMA_MAP.contains(&key.as_str()) {
                match value {
                    Value::Object(members) => Value::Object(
                        members
                            .iter()
                            .map(|(k, s)| (k.clone(), self.schema(s, &pointer::join(&here, k))))
                            .collect(),
                    ),
                    other => other.clone(),
                }
            } else if key == "required" {
                self.required(map, value, at)
            } else {
                value.clone()
            };
            out.insert(key.clone(), converted);
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
mod tests {
    use super::*;

    /// Records refs and answers targets from a fixed map.
    #[derive(Default)]
    struct Sink {
        seen: Vec<(String, String)>,
        targets: Map<String, Value>,
    }

    impl RefSink for Sink {
        fn rewrite(&mut self, reference: &str, at: &str) -> String {
            self.seen.push((reference.into(), at.into()));
            format!("urn:x#{reference}")
        }
        fn target(&mut self, reference: &str, _at: &str) -> Option<Value> {
            self.targets.get(reference).cloned()
        }
    }

    fn c30(schema: Value) -> Value {
        convert(
            &schema,
            Dialect::Oas30,
            Direction::Response,
            &mut Sink::default(),
        )
    }

    #[test]
    fn nullable_with_type_becomes_type_array() {
        assert_eq!(
            c30(json!({"type": "string", "nullable": true})),
            json!({"type": ["string", "null"]})
        );
    }

    #[test]
    fn nullable_enum_gains_null() {
        assert_eq!(
            c30(json!({"type": "string", "enum": ["A", "B"], "nullable": true})),
            json!({"type": ["string", "null"], "enum": ["A", "B", null]})
        );
    }

    #[test]
    fn nullable_false_is_dropped() {
        assert_eq!(
            c30(json!({"type": "integer", "nullable": false})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn nullable_without_type_wraps_combinators() {
        assert_eq!(
            c30(json!({"allOf": [{"type": "object"}], "nullable": true})),
            json!({"anyOf": [{"allOf": [{"type": "object"}]}, {"type": "null"}]})
        );
    }

    #[test]
    fn nullable_without_type_or_combinator_accepts_anything_already() {
        assert_eq!(
            c30(json!({"description": "d", "nullable": true})),
            json!({"description": "d"})
        );
    }

    #[test]
    fn nullable_ref_wraps_and_other_ref_siblings_are_ignored() {
        assert_eq!(
            c30(json!({"$ref": "#/A", "nullable": true, "description": "x", "maxLength": 2})),
            json!({"anyOf": [{"$ref": "urn:x##/A"}, {"type": "null"}]})
        );
        assert_eq!(
            c30(json!({"$ref": "#/A", "type": "string"})),
            json!({"$ref": "urn:x##/A"})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numbers() {
        assert_eq!(
            c30(
                json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                       "maximum": 10, "exclusiveMaximum": false})
            ),
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
        );
        assert_eq!(
            c30(json!({"exclusiveMaximum": true, "maximum": 5})),
            json!({"exclusiveMaximum": 5})
        );
        assert_eq!(c30(json!({"exclusiveMinimum": true})), json!({}));
    }

    #[test]
    fn openapi_only_keywords_are_dropped_and_vendor_keywords_kept() {
        assert_eq!(
            c30(
                json!({"type": "string", "example": "x", "xml": {"name": "a"},
                       "externalDocs": {"url": "u"}, "discriminator": {"propertyName": "k"},
                       "x-cds-type": "AmountString", "x-conditional": ["a"]})
            ),
            json!({"type": "string", "examples": ["x"], "x-cds-type": "AmountString",
                   "x-conditional": ["a"]})
        );
    }

    #[test]
    fn property_named_like_a_keyword_survives() {
        let got = c30(json!({
            "type": "object",
            "properties": {
                "nullable": {"type": "boolean"},
                "$ref": {"type": "string"},
                "example": {"type": "string", "nullable": true}
            },
            "required": ["nullable"]
        }));
        assert_eq!(
            got,
            json!({
                "type": "object",
                "properties": {
                    "nullable": {"type": "boolean"},
                    "$ref": {"type": "string"},
                    "example": {"type": ["string", "null"]}
                },
                "required": ["nullable"]
            })
        );
    }

    #[test]
    fn vendor_keyword_contents_are_not_walked() {
        let got = c30(json!({"x-meta": {"nullable": true, "type": "string", "$ref": "#/nope"}}));
        assert_eq!(
            got,
            json!({"x-meta": {"nullable": true, "type": "string", "$ref": "#/nope"}})
        );
    }

    #[test]
    fn nested_positions_are_converted() {
        let got = c30(json!({
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": "string", "nullable": true},
                      "properties": {"a": {"oneOf": [{"type": "integer", "nullable": true}]}}},
            "not": {"type": "string", "example": "e"}
        }));
        assert_eq!(
            got,
            json!({
                "type": "array",
                "items": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                          "properties": {"a": {"oneOf": [{"type": ["integer", "null"]}]}}},
                "not": {"type": "string", "examples": ["e"]}
            })
        );
    }

    #[test]
    fn refs_are_reported_with_their_position() {
        let mut sink = Sink::default();
        convert(
            &json!({"properties": {"a": {"$ref": "#/A"}}, "allOf": [{"$ref": "other.yaml#/B"}]}),
            Dialect::Oas30,
            Direction::Response,
            &mut sink,
        );
        assert_eq!(
            sink.seen,
            vec![
                ("#/A".to_string(), "/properties/a/$ref".to_string()),
                ("other.yaml#/B".to_string(), "/allOf/0/$ref".to_string())
            ]
        );
    }

    #[test]
    fn read_only_and_write_only_leave_required_by_direction() {
        let schema = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "readOnly": true},
                "secret": {"type": "string", "writeOnly": true},
                "name": {"type": "string"},
                "viaRef": {"$ref": "#/Ro"}
            },
            "required": ["id", "secret", "name", "viaRef"]
        });
        let mut sink = Sink::default();
        sink.targets
            .insert("#/Ro".into(), json!({"type": "string", "readOnly": true}));
        let response = convert(&schema, Dialect::Oas30, Direction::Response, &mut sink);
        assert_eq!(response["required"], json!(["id", "name", "viaRef"]));
        let request = convert(&schema, Dialect::Oas30, Direction::Request, &mut sink);
        assert_eq!(request["required"], json!(["secret", "name"]));
    }

    #[test]
    fn tuple_items_become_prefix_items() {
        assert_eq!(
            c30(json!({"items": [{"type": "string"}]})),
            json!({"prefixItems": [{"type": "string"}]})
        );
    }

    #[test]
    fn oas31_passes_through_except_refs() {
        let schema = json!({
            "$schema": "https://spec.openapis.org/oas/3.1/dialect/base",
            "type": ["string", "null"], "exclusiveMinimum": 3,
            "$ref": "#/A", "description": "siblings apply in 3.1", "nullable": true
        });
        let got = convert(
            &schema,
            Dialect::Oas31,
            Direction::Response,
            &mut Sink::default(),
        );
        assert_eq!(
            got,
            json!({"type": ["string", "null"], "exclusiveMinimum": 3, "$ref": "urn:x##/A",
                   "description": "siblings apply in 3.1", "nullable": true})
        );
    }
}
