//! Paths, operations, parameters, request bodies, responses and schemas of a Swagger 2.0
//! document, each converted to its OpenAPI 3.0 form.
//!
//! The main type is [`Converter`]; it records in [`Origins`] where every moved or synthesised
//! part is written in the original file, so a diagnostic about a converted `requestBody` or
//! parameter `schema` lands on the body parameter or on the parameter's `type`.

use serde_json::{Map, Value, json};

use super::Origins;
use crate::diag::Diagnostic;
use crate::pointer;
use crate::yaml::Document;

/// HTTP methods of a Swagger 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

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

/// Media types whose body is a set of form fields.
const FORM_TYPES: [&str; 2] = ["application/x-www-form-urlencoded", "multipart/form-data"];

const JSON: &str = "application/json";

/// Converts the parts of one document, remembering where each came from.
pub(crate) struct Converter<'d> {
    doc: &'d Document,
    pub origins: Origins,
    diags: Vec<Diagnostic>,
    /// Document-wide `consumes` and `produces`.
    pub consumes: Vec<String>,
    pub produces: Vec<String>,
}

/// A body or form parameter waiting to be merged into a request body, with its place.
type Pending = (Value, String);

impl<'d> Converter<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Converter {
            doc,
            origins: Origins::default(),
            diags: Vec::new(),
            consumes: Vec::new(),
            produces: Vec::new(),
        }
    }

    pub fn finish(self) -> (Origins, Vec<Diagnostic>) {
        (self.origins, self.diags)
    }

    pub fn paths(&mut self, paths: &Value) -> Value {
        let Value::Object(map) = paths else {
            return paths.clone();
        };
        let converted = map
            .iter()
            .map(|(template, item)| {
                let at = pointer::join("/paths", template);
                let value = if template.starts_with("x-") {
                    item.clone()
                } else {
                    self.path_item(item, &at)
                };
                (template.clone(), value)
            })
            .collect();
        Value::Object(converted)
    }

    fn path_item(&mut self, item: &Value, at: &str) -> Value {
        let Value::Object(map) = item else {
            return item.clone();
        };
        let (shared, shared_bodies) = self.parameters(map.get("parameters"), at, at);
        let mut out = Map::new();
        for (key, value) in map {
            if key == "parameters" {
                if let Some(list) = &shared {
                    out.insert(key.clone(), list.clone());
                }
            } else if METHODS.contains(&key.as_str()) {
                let op_at = pointer::join(at, key);
                out.insert(key.clone(), self.operation(value, &op_at, &shared_bodies));
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, op: &Value, at: &str, inherited: &[Pending]) -> Value {
        let Value::Object(map) = op else {
            return op.clone();
        };
        let consumes = own_or(map.get("consumes"), &self.consumes);
        let produces = own_or(map.get("produces"), &self.produces);
        let (params, mut bodies) = self.parameters(map.get("parameters"), at, at);
        for (p, from) in inherited {
            let overridden = bodies
                .iter()
                .any(|(q, _)| q.get("name") == p.get("name") && q.get("in") == p.get("in"));
            if !overridden {
                bodies.push((p.clone(), from.clone()));
            }
        }
        let mut out = Map::new();
        for (key, value) in map {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    if let Some(list) = &params {
                        out.insert(key.clone(), list.clone());
                    }
                }
                "responses" => {
                    let responses = self.responses(value, &pointer::join(at, key), &produces);
                    out.insert(key.clone(), responses);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let to = pointer::join(at, "requestBody");
        let (body, form): (Vec<Pending>, Vec<Pending>) = bodies
            .into_iter()
            .partition(|(p, _)| p.get("in").and_then(Value::as_str) == Some("body"));
        match (body.as_slice(), form.is_empty()) {
            ([], true) => {}
            ([], false) => {
                out.insert("requestBody".into(), self.form_body(&form, &to, &consumes));
            }
            ([(p, from)], true) => {
                out.insert(
                    "requestBody".into(),
                    self.request_body(p, from, &to, &consumes),
                );
            }
            ([_, (_, second), ..], _) => self.diags.push(
                self.doc
                    .diag(second, "an operation has at most one `in: body` parameter"),
            ),
            ([_], false) => self.diags.push(self.doc.diag(
                &form[0].1,
                "`in: formData` parameters cannot be used beside an `in: body` parameter",
            )),
        }
        Value::Object(out)
    }

    /// Converts a parameter list: the non-body parameters (when there is a list), and the
    /// body and form parameters set aside with their places. A `$ref` to a top-level
    /// parameter of this file is followed to see where it goes.
    fn parameters(
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
    fn value_schema(&mut self, map: &Map<String, Value>) -> Map<String, Value> {
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
        file_type(&mut schema);
        schema
    }

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
    fn form_body(&mut self, fields: &[Pending], to: &str, consumes: &[String]) -> Value {
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

    fn responses(&mut self, responses: &Value, at: &str, produces: &[String]) -> Value {
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

    /// `content` with the same schema under each media type.
    fn content(&mut self, media: &[&str], schema: &Value, to: &str, schema_from: &str) -> Value {
        let mut content = Map::new();
        for m in media {
            let at = pointer::join(&pointer::join(&pointer::join(to, "content"), m), "schema");
            self.origins.add(at, schema_from);
            content.insert((*m).to_owned(), json!({ "schema": schema }));
        }
        Value::Object(content)
    }

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
fn file_type(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
}

/// Where a converted parameter keeps a `collectionFormat` that no OpenAPI 3.0 style of its
/// location states (`tsv`, or `ssv` in a header), for the parameter index to read.
pub(crate) const COLLECTION_FORMAT: &str = "x-collection-format";

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

/// An operation's own `consumes`/`produces`, or the document's.
fn own_or(own: Option<&Value>, document: &[String]) -> Vec<String> {
    match own {
        Some(_) => super::strings(own),
        None => document.to_vec(),
    }
}

fn copy_keys(from: &Value, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(v) = from.get(*key) {
            to.insert((*key).to_owned(), v.clone());
        }
    }
}
