//! Paths, operations, parameters, request bodies, responses and schemas of a Swagger 2.0
//! document, each converted to its OpenAPI 3.0 form.
//!
//! The main type is [`Converter`]; it records in [`Origins`] where every moved or synthesised
//! part is written in the original file, so a diagnostic about a converted `requestBody` or
//! parameter `schema` lands on the body parameter or on the parameter's `type`.
//!
//! Paths and operations are converted here; parameters in `parameter`, request bodies in
//! `body`, responses in `response` and Schema Objects in `schema`.

mod body;
mod parameter;
mod response;
mod schema;

use serde_json::{Map, Value, json};

use super::Origins;
use crate::diag::Diagnostic;
use crate::pointer;
use crate::yaml::Document;

pub(crate) use parameter::COLLECTION_FORMAT;

/// HTTP methods of a Swagger 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

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
