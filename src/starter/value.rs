//! Valid values built from a schema, deterministically: the schema's own example first, then
//! its `const`, `default` or first `enum` value, then the smallest value its rules allow
//! (required members only, as many items as `minItems` asks, the lower bound, a string of
//! `minLength` characters, a sample of its `format`). `allOf` members are merged, the first
//! branch of `oneOf`/`anyOf` is taken. The caller validates what comes out against the spec:
//! a rule this builder does not read (a `pattern` without an example) makes an invalid value,
//! which the starter suite then flags for the user to fill in.

use serde_json::{Map, Value, json};

use crate::openapi::Spec;

/// Deepest schema nesting followed; deeper members are left out (recursive schemas).
const MAX_DEPTH: usize = 8;

/// A value for `schema` (a node of `spec`'s bundle).
pub fn sample(spec: &Spec, schema: &Value) -> Value {
    build(spec, schema, 0).unwrap_or(Value::Null)
}

fn build(spec: &Spec, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = spec.resolve(schema);
    let map = schema.as_object()?;
    if let Some(v) = map
        .get("examples")
        .and_then(|e| e.as_array()?.first().cloned())
        .or_else(|| map.get("example").cloned())
        .or_else(|| map.get("const").cloned())
        .or_else(|| map.get("default").cloned())
        .or_else(|| {
            map.get("enum")?
                .as_array()?
                .iter()
                .find(|v| !v.is_null())
                .cloned()
        })
    {
        return Some(v);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = map
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|b| b.get("type") != Some(&json!("null"))))
        {
            return build(spec, first, depth + 1);
        }
    }
    if let Some(members) = map.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut other = None;
        for m in members {
            match build(spec, m, depth + 1) {
                Some(Value::Object(o)) => merged.extend(o),
                Some(v) => other = Some(v),
                None => {}
            }
        }
        let own = own_value(spec, map, depth);
        if let Some(Value::Object(o)) = own {
            merged.extend(o);
        }
        return match other {
            Some(v) if merged.is_empty() => Some(v),
            _ => Some(Value::Object(merged)),
        };
    }
    own_value(spec, map, depth)
}

/// The smallest value of the schema's own `type`.
fn own_value(spec: &Spec, map: &Map<String, Value>, depth: usize) -> Option<Value> {
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ if map.contains_key("properties") => vec!["object"],
        _ if map.contains_key("items") => vec!["array"],
        _ => Vec::new(),
    };
    let t = types
        .iter()
        .copied()
        .find(|t| *t != "null")
        .unwrap_or(if types.is_empty() { "string" } else { "null" });
    let num = |k: &str| map.get(k).and_then(Value::as_f64);
    Some(match t {
        "object" => {
            let mut out = Map::new();
            let required: Vec<&str> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                for (name, s) in props {
                    if required.contains(&name.as_str())
                        && let Some(v) = build(spec, s, depth + 1)
                    {
                        out.insert(name.clone(), v);
                    }
                }
            }
            for name in required {
                if !out.contains_key(name) {
                    out.insert(name.to_owned(), json!("x"));
                }
            }
            Value::Object(out)
        }
        "array" => {
            let n = map.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            let n = map
                .get("maxItems")
                .and_then(Value::as_u64)
                .map_or(n, |m| n.min(m));
            let item = map
                .get("items")
                .and_then(|i| build(spec, i, depth + 1))
                .unwrap_or(json!("x"));
            Value::Array((0..n).map(|_| item.clone()).collect())
        }
        "integer" | "number" => {
            let low = [num("minimum"), num("exclusiveMinimum").map(|m| m + 1.0)]
                .into_iter()
                .flatten()
                .reduce(f64::max)
                .unwrap_or(1.0);
            let high = [num("maximum"), num("exclusiveMaximum").map(|m| m - 1.0)]
                .into_iter()
                .flatten()
                .reduce(f64::min);
            let v = match high {
                Some(h) if h < low => h,
                _ => low,
            };
            if t == "integer" || v.fract() == 0.0 {
                json!(v.ceil() as i64)
            } else {
                json!(v)
            }
        }
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => json!(string(map)),
    })
}

/// A sample string: one of its format, else one matching its pattern, else `minLength`
/// characters (at least one).
fn string(map: &Map<String, Value>) -> String {
    let format = map
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let sample = match format {
        "date" => "2024-01-31",
        "date-time" => "2024-01-31T10:00:00Z",
        "time" => "10:00:00Z",
        "email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "eA==",
        _ => "",
    };
    if !sample.is_empty() {
        return sample.to_owned();
    }
    if let Some(found) = map
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(super::pattern::sample)
    {
        return found;
    }
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(1);
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    "x".repeat(min.max(1).min(max) as usize)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::openapi::Spec;

    fn sample_of(schema: &str) -> serde_json::Value {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: S, version: \"1\"}}\npaths:\n  /s:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses:\n        \"200\": {{description: ok}}\ncomponents:\n  schemas:\n    Pet: {{type: object, required: [name], properties: {{name: {{type: string, example: rex}}, age: {{type: integer}}}}}}\n"
        );
        let spec = Spec::parse("s.yaml", &text).unwrap_or_else(|e| panic!("{e:?}"));
        let op = &spec.operations[0];
        let schema = spec.request_body(op).unwrap()[0].schema.unwrap();
        let value = super::sample(&spec, spec.schema_json(schema).unwrap());
        assert!(
            spec.validate(schema, &value).is_empty(),
            "{value} breaks {schema:?}"
        );
        value
    }

    #[test]
    fn examples_first_then_defaults_enums_and_bounds() {
        assert_eq!(
            sample_of("{$ref: '#/components/schemas/Pet'}"),
            json!({"name": "rex"})
        );
        assert_eq!(
            sample_of("{type: string, default: d, enum: [a, d]}"),
            json!("d")
        );
        assert_eq!(sample_of("{type: string, enum: [a, b]}"), json!("a"));
        assert_eq!(sample_of("{type: integer, minimum: 5}"), json!(5));
        assert_eq!(sample_of("{type: integer, maximum: 0}"), json!(0));
        assert_eq!(
            sample_of("{type: number, minimum: 2, exclusiveMinimum: true}"),
            json!(3)
        );
        assert_eq!(sample_of("{type: string, minLength: 3}"), json!("xxx"));
        assert_eq!(
            sample_of("{type: string, format: date}"),
            json!("2024-01-31")
        );
        assert_eq!(sample_of("{type: boolean}"), json!(true));
        assert_eq!(
            sample_of("{type: string, pattern: '^[0-9]{3}$'}"),
            json!("000")
        );
    }

    #[test]
    fn arrays_objects_and_combinations() {
        assert_eq!(
            sample_of("{type: array, minItems: 2, items: {type: integer}}"),
            json!([1, 1])
        );
        assert_eq!(
            sample_of(
                "{allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, required: [tag], properties: {tag: {type: string}}}]}"
            ),
            json!({"name": "rex", "tag": "x"})
        );
        assert_eq!(
            sample_of("{oneOf: [{type: integer}, {type: string}]}"),
            json!(1)
        );
        assert_eq!(sample_of("{type: string, nullable: true}"), json!("x"));
    }
}
