//! Responses: `schema` becomes `content` for each produced media type, with the matching
//! `examples` entry, and each response header gains a `schema` built from its value keywords.

use serde_json::{Map, Value, json};

use super::{Converter, JSON, copy_keys};
use crate::pointer;

impl Converter<'_> {
    pub(super) fn responses(&mut self, responses: &Value, at: &str, produces: &[String]) -> Value {
        let Value::Object(map) = responses else {
            return responses.clone();
        };
        let converted = map
            .iter()
            .map(|(status, r)| {
                let value = if status.starts_with("x-") {
                    r.clone()
                } else {
                    let here = pointer::join(at, status);
                    self.response(r, &here, &here, produces)
                };
                (status.clone(), value)
            })
            .collect();
        Value::Object(converted)
    }

    /// A response: `schema` becomes `content` for each produced media type (with the
    /// matching `examples` entry), and each header gains a `schema`.
    pub fn response(&mut self, r: &Value, from: &str, to: &str, produces: &[String]) -> Value {
        let Value::Object(map) = r else {
            return r.clone();
        };
        if map.contains_key("$ref") {
            return r.clone();
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            map.get("description").cloned().unwrap_or_else(|| json!("")),
        );
        for (key, value) in map.iter().filter(|(k, _)| k.starts_with("x-")) {
            out.insert(key.clone(), value.clone());
        }
        if let Some(Value::Object(headers)) = map.get("headers") {
            let mut converted = Map::new();
            for (name, h) in headers {
                let h_from = pointer::join(&pointer::join(from, "headers"), name);
                let h_to = pointer::join(&pointer::join(to, "headers"), name);
                let mut header = Map::new();
                copy_keys(h, &mut header, &["description"]);
                if let Value::Object(h_map) = h {
                    header.insert("schema".into(), Value::Object(self.value_schema(h_map)));
                }
                self.origins
                    .add(pointer::join(&h_to, "schema"), h_from.clone());
                self.origins.add(h_to, h_from);
                converted.insert(name.clone(), Value::Object(header));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(schema) = map.get("schema") {
            let schema = self.schema(schema);
            let mut media: Vec<&str> = produces.iter().map(String::as_str).collect();
            if media.is_empty() {
                media.push(JSON);
            }
            let mut content = self.content(&media, &schema, to, &pointer::join(from, "schema"));
            if let (Some(Value::Object(examples)), Value::Object(content)) =
                (map.get("examples"), &mut content)
            {
                for (m, example) in examples {
                    if let Some(Value::Object(entry)) = content.get_mut(m) {
                        entry.insert("example".into(), example.clone());
                        let at = pointer::join(&pointer::join(to, "content"), m);
                        let written = pointer::join(&pointer::join(from, "examples"), m);
                        self.origins.add(pointer::join(&at, "example"), written);
                    }
                }
            }
            out.insert("content".into(), content);
        }
        if from != to {
            self.origins.add(to, from);
        }
        Value::Object(out)
    }
}
