//! Swagger 2.0 documents, converted to OpenAPI 3.0 when they are loaded.
//!
//! The main function is [`convert`]. It rewrites the document's `serde_json::Value` into an
//! OpenAPI 3.0.3 document, so everything after it (structure checks, `$ref`s, the operation
//! index, schema conversion) treats a Swagger file like any 3.0 file:
//! - `host` + `basePath` + `schemes` become `servers`; `definitions`, top-level `parameters`,
//!   `responses` and `securityDefinitions` move under `components`, and every `$ref` into them
//!   is rewritten, in this file and in the files it refers to.
//! - `in: body` and `in: formData` parameters become a `requestBody` with one media type per
//!   `consumes` entry; other parameters and response headers gain a `schema` built from their
//!   `type`, `format`, `items`, bounds and `collectionFormat` ([`operation`]).
//! - response `schema`s become `content` for each `produces` media type (default
//!   `application/json`); `x-nullable` becomes `nullable`; `type: file` becomes a binary
//!   string; a string `discriminator` becomes `{propertyName: ...}`.
//!
//! The positions of the original text are kept: [`Origins`] maps pointers of the converted
//! document back to where the same thing is written in the file (`/components/schemas/X` to
//! `/definitions/X`, `.../requestBody/content/application~1json/schema` to the body
//! parameter's `schema`), and [`reword`] turns converted `$ref`s in messages back into the
//! user's own spelling.

mod operation;

pub(crate) use operation::COLLECTION_FORMAT;

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::files::holds_literal;
use crate::diag::Diagnostic;
use crate::pointer;
use crate::yaml::Document;

/// The OpenAPI version a converted document declares.
pub(crate) const CONVERTED_VERSION: &str = "3.0.3";

/// Renamed top-level sections: Swagger 2.0 pointer prefix and OpenAPI 3.0 prefix.
const SECTIONS: [(&str, &str); 4] = [
    ("/definitions/", "/components/schemas/"),
    ("/parameters/", "/components/parameters/"),
    ("/responses/", "/components/responses/"),
    ("/securityDefinitions/", "/components/securitySchemes/"),
];

/// A converted document, where its parts came from, and what could not be converted.
#[derive(Debug)]
pub(crate) struct Conversion {
    pub value: Value,
    pub origins: Origins,
    pub diags: Vec<Diagnostic>,
}

/// Maps pointers of a converted document back to pointers of the original one.
///
/// Each entry maps a converted prefix to an original prefix; a pointer is translated by its
/// longest mapped prefix, and pointers under no entry are the same in both documents.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    map: HashMap<String, String>,
}

impl Origins {
    /// Records that `converted` (and everything under it) is written at `original`.
    pub fn add(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        self.map.insert(converted.into(), original.into());
    }

    /// The original pointer of a converted one.
    pub fn original(&self, converted: &str) -> String {
        let mut cut = converted.len();
        loop {
            let prefix = &converted[..cut];
            if let Some(original) = self.map.get(prefix) {
                return format!("{original}{}", &converted[cut..]);
            }
            match prefix.rfind('/') {
                Some(i) => cut = i,
                None => return converted.to_owned(),
            }
        }
    }
}

/// The `swagger` version of a document: `None` for a document without `swagger`, an error
/// for any version other than 2.0.
pub(crate) fn version(doc: &Document) -> Result<Option<String>, Vec<Diagnostic>> {
    let Some(found) = doc.value.get("swagger") else {
        return Ok(None);
    };
    match found {
        Value::String(v) if v == "2.0" => Ok(Some(v.clone())),
        Value::String(v) => Err(vec![doc.diag(
            "/swagger",
            format!("unsupported Swagger version `{v}`: accord reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x"),
        )]),
        other => Err(vec![
            doc.diag(
                "/swagger",
                format!("`swagger` must be a string, found `{other}`"),
            )
            .with_help("quote the version: swagger: \"2.0\""),
        ]),
    }
}

/// Converts a Swagger 2.0 document (`root`), or a file such a document refers to, to
/// OpenAPI 3.0. Only the root gains `openapi` and `servers`.
pub(crate) fn convert(doc: &Document, root: bool) -> Conversion {
    let mut converter = operation::Converter::new(doc);
    let value = match &doc.value {
        Value::Object(map) => Value::Object(converter.document(map, root)),
        other => other.clone(),
    };
    let mut value = value;
    rewrite_refs(&mut value, None);
    let (origins, diags) = converter.finish();
    Conversion {
        value,
        origins,
        diags,
    }
}

/// Turns converted `$ref`s and pointers in a message back into Swagger 2.0 spelling.
pub(crate) fn reword(text: &str) -> String {
    SECTIONS
        .iter()
        .fold(text.to_owned(), |text, (swagger, openapi)| {
            text.replace(openapi, swagger)
        })
}

impl operation::Converter<'_> {
    /// The whole document: top-level keys in their order, `servers` after `info`, and the
    /// collected `components` at the end.
    fn document(&mut self, root: &Map<String, Value>, is_root: bool) -> Map<String, Value> {
        self.consumes = strings(root.get("consumes"));
        self.produces = strings(root.get("produces"));
        let mut out = Map::new();
        if is_root {
            out.insert("openapi".into(), json!(CONVERTED_VERSION));
            self.origins.add("/openapi", "/swagger");
        }
        for (key, value) in root {
            match key.as_str() {
                "swagger"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions" => {}
                "paths" => {
                    let paths = self.paths(value);
                    out.insert(key.clone(), paths);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
            if key == "info"
                && is_root
                && let Some(servers) = self.servers(root)
            {
                out.insert("servers".into(), servers);
            }
        }
        if is_root && !root.contains_key("info") {
            out.extend(self.servers(root).map(|s| ("servers".to_owned(), s)));
        }
        let components = self.components(root);
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out
    }

    /// `servers` from `schemes`, `host` and `basePath`; none when both host and base path
    /// are absent. Without `schemes` the API is taken to be served over HTTPS.
    fn servers(&mut self, root: &Map<String, Value>) -> Option<Value> {
        let host = root.get("host").and_then(Value::as_str);
        let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
        let urls: Vec<String> = match host {
            None if base.is_empty() => return None,
            None => vec![base.to_owned()],
            Some(host) => {
                let mut schemes = strings(root.get("schemes"));
                if schemes.is_empty() {
                    schemes.push("https".into());
                }
                schemes
                    .iter()
                    .map(|s| format!("{s}://{host}{base}"))
                    .collect()
            }
        };
        let from = if root.contains_key("basePath") {
            "/basePath"
        } else {
            "/host"
        };
        self.origins.add("/servers", from);
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    fn components(&mut self, root: &Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(Value::Object(defs)) = root.get("definitions") {
            let schemas = defs
                .iter()
                .map(|(name, s)| (name.clone(), self.schema(s)))
                .collect();
            out.insert("schemas".into(), Value::Object(schemas));
            self.origins.add("/components/schemas", "/definitions");
        }
        if let Some(Value::Object(params)) = root.get("parameters") {
            let (mut plain, mut bodies) = (Map::new(), Map::new());
            for (name, p) in params {
                let from = pointer::join("/parameters", name);
                match p.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let to = pointer::join("/components/requestBodies", name);
                        let consumes = self.consumes.clone();
                        bodies.insert(name.clone(), self.request_body(p, &from, &to, &consumes));
                    }
                    // Form fields only mean something merged into one operation's body.
                    Some("formData") => {}
                    _ => {
                        let to = pointer::join("/components/parameters", name);
                        plain.insert(name.clone(), self.parameter(p, &from, &to));
                    }
                }
            }
            self.origins.add("/components/parameters", "/parameters");
            self.origins.add("/components/requestBodies", "/parameters");
            out.insert("parameters".into(), Value::Object(plain));
            if !bodies.is_empty() {
                out.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(Value::Object(responses)) = root.get("responses") {
            let produces = self.produces.clone();
            let converted = responses
                .iter()
                .map(|(name, r)| {
                    let from = pointer::join("/responses", name);
                    let to = pointer::join("/components/responses", name);
                    (name.clone(), self.response(r, &from, &to, &produces))
                })
                .collect();
            self.origins.add("/components/responses", "/responses");
            out.insert("responses".into(), Value::Object(converted));
        }
        if let Some(Value::Object(schemes)) = root.get("securityDefinitions") {
            let converted = schemes
                .iter()
                .map(|(name, s)| (name.clone(), security_scheme(s)))
                .collect();
            self.origins
                .add("/components/securitySchemes", "/securityDefinitions");
            out.insert("securitySchemes".into(), Value::Object(converted));
        }
        out
    }
}

/// A Swagger 2.0 Security Scheme as an OpenAPI 3.0 one (`basic` is HTTP basic, OAuth2's
/// single `flow` becomes the matching entry of `flows`).
fn security_scheme(scheme: &Value) -> Value {
    let Value::Object(map) = scheme else {
        return scheme.clone();
    };
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| k.starts_with("x-") || *k == "description")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let copy = |out: &mut Map<String, Value>, keys: &[&str]| {
        for key in keys {
            if let Some(v) = map.get(*key) {
                out.insert((*key).to_owned(), v.clone());
            }
        }
    };
    match map.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            copy(&mut out, &["name", "in"]);
        }
        Some("oauth2") => {
            let (flow, urls): (&str, &[&str]) = match map.get("flow").and_then(Value::as_str) {
                Some("implicit") => ("implicit", &["authorizationUrl"]),
                Some("password") => ("password", &["tokenUrl"]),
                Some("application") => ("clientCredentials", &["tokenUrl"]),
                _ => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            };
            let mut detail = Map::new();
            copy(&mut detail, urls);
            let scopes = map.get("scopes").cloned().unwrap_or_else(|| json!({}));
            detail.insert("scopes".into(), scopes);
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ flow: detail }));
        }
        _ => return scheme.clone(),
    }
    Value::Object(out)
}

/// Rewrites every `$ref` into a renamed section, in this file or another
/// (`common.yaml#/definitions/Error` becomes `common.yaml#/components/schemas/Error`).
/// Literal values (`example`, `default`, `enum`) and vendor extensions are left alone.
fn rewrite_refs(value: &mut Value, parent: Option<&str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = v {
                        *reference = rewrite_ref(reference);
                    }
                } else if !holds_literal(parent, key) {
                    rewrite_refs(v, Some(key));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, parent)),
        _ => {}
    }
}

fn rewrite_ref(reference: &str) -> String {
    let Some((file, fragment)) = reference.split_once('#') else {
        return reference.to_owned();
    };
    for (swagger, openapi) in SECTIONS {
        if let Some(rest) = fragment.strip_prefix(swagger) {
            return format!("{file}#{openapi}{rest}");
        }
    }
    reference.to_owned()
}

/// The strings of a list such as `consumes`; anything else is no list.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
