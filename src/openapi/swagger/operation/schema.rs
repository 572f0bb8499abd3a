//! Schema Objects: a Swagger 2.0 schema in OpenAPI 3.0 terms (`x-nullable`, a string
//! `discriminator`, `type: file`), its shape unchanged so that pointers inside it need no
//! mapping.

use serde_json::{Map, Value, json};

use super::Converter;

impl Converter<'_> {
    /// A Swagger 2.0 Schema Object in OpenAPI 3.0 terms. Its shape stays the same, so
    /// pointers inside it need no mapping.
    pub fn schema(&mut self, schema: &Value) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        let mut out = Map::new();
        for (key, value) in map {
            let converted = match key.as_str() {
                "x-nullable" => {
                    out.insert("nullable".into(), value.clone());
                    continue;
                }
                "discriminator" => match value {
                    Value::String(name) => json!({ "propertyName": name }),
                    other => other.clone(),
                },
                "properties" => match value {
                    Value::Object(props) => Value::Object(
                        props
                            .iter()
                            .map(|(k, s)| (k.clone(), self.schema(s)))
                            .collect(),
                    ),
                    other => other.clone(),
                },
                "items" | "additionalProperties" | "not" => self.schema(value),
                "allOf" | "anyOf" | "oneOf" => match value {
                    Value::Array(list) => {
                        Value::Array(list.iter().map(|s| self.schema(s)).collect())
                    }
                    other => other.clone(),
                },
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        file_type(&mut out);
        Value::Object(out)
    }
}

/// OpenAPI 3.0 has no `file` type: a file is a binary string.
pub(super) fn file_type(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
}
