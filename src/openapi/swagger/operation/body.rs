//! Request bodies: an `in: body` parameter as a request body with one media type per
//! `consumes` entry, and `in: formData` parameters merged into one object schema under the form
//! media types, each array field with its encoding.

use serde_json::{Map, Value, json};

use super::parameter::COLLECTION_FORMAT;
use super::{Converter, JSON, Pending, copy_keys};
use crate::pointer;

/// Media types whose body is a set of form fields.
const FORM_TYPES: [&str; 2] = ["application/x-www-form-urlencoded", "multipart/form-data"];

impl Converter<'_> {
    /// An `in: body` parameter as a request body with one media type per `consumes` entry
    /// that is not a form type (default `application/json`).
    pub fn request_body(&mut self, p: &Value, from: &str, to: &str, consumes: &[String]) -> Value {
        let mut out = Map::new();
        copy_keys(p, &mut out, &["description"]);
        let schema = match p.get("schema") {
            Some(s) => self.schema(s),
            None => {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let msg = format!("body parameter `{name}` has no `schema`");
                self.diags.push(self.doc.diag_key(from, msg));
                json!({})
            }
        };
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| !is_form(m))
            .collect();
        if media.is_empty() {
            media.push(JSON);
        }
        let content = self.content(&media, &schema, to, &pointer::join(from, "schema"));
        out.insert("content".into(), content);
        if p.get("required") == Some(&Value::Bool(true)) {
            out.insert("required".into(), json!(true));
        }
        self.origins.add(to, from);
        Value::Object(out)
    }

    /// `in: formData` parameters as one object schema under the form media types of
    /// `consumes` (default: multipart when a field is a file, URL-encoded otherwise).
    pub(super) fn form_body(&mut self, fields: &[Pending], to: &str, consumes: &[String]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut has_file = false;
        for (p, _) in fields {
            let Value::Object(map) = p else { continue };
            let name = map.get("name").and_then(Value::as_str).unwrap_or_default();
            has_file |= map.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.value_schema(map);
            copy_keys(p, &mut schema, &["description"]);
            properties.insert(name.to_owned(), Value::Object(schema));
            if map.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            if map.get("type").and_then(Value::as_str) == Some("array") {
                encoding.insert(name.to_owned(), field_encoding(map.get("collectionFormat")));
            }
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| is_form(m))
            .collect();
        if media.is_empty() {
            media.push(if has_file {
                FORM_TYPES[1]
            } else {
                FORM_TYPES[0]
            });
        }
        for m in &media {
            let schema_at =
                pointer::join(&pointer::join(&pointer::join(to, "content"), m), "schema");
            for (p, from) in fields {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let at = pointer::join(&pointer::join(&schema_at, "properties"), name);
                self.origins.add(at, from.clone());
            }
            self.origins.add(schema_at, fields[0].1.clone());
        }
        let content: Map<String, Value> = media
            .iter()
            .map(|m| {
                let mut entry = json!({ "schema": schema });
                if !encoding.is_empty() {
                    entry["encoding"] = Value::Object(encoding.clone());
                }
                ((*m).to_owned(), entry)
            })
            .collect();
        self.origins.add(to, fields[0].1.clone());
        let mut out = json!({ "content": content });
        if !required.is_empty() {
            out["required"] = json!(true);
        }
        out
    }
}

/// The Encoding Object of an array form field: its `collectionFormat` (default `csv`) as a
/// style, `tsv` (which no OpenAPI 3 style states) kept aside as for parameters.
fn field_encoding(format: Option<&Value>) -> Value {
    match format.and_then(Value::as_str).unwrap_or("csv") {
        "multi" => json!({ "style": "form", "explode": true }),
        "ssv" => json!({ "style": "spaceDelimited", "explode": false }),
        "pipes" => json!({ "style": "pipeDelimited", "explode": false }),
        "tsv" => json!({ COLLECTION_FORMAT: "tsv", "explode": false }),
        _ => json!({ "style": "form", "explode": false }),
    }
}

fn is_form(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    FORM_TYPES.iter().any(|f| essence.eq_ignore_ascii_case(f))
}
