//! OpenAPI documents: load (3.0.x and 3.1, YAML or JSON, `$ref`s within and across files),
//! index operations, and compile response schemas to JSON Schema validators.
//!
//! The main type is [`Spec`]. Schemas stay as `serde_json::Value`; 3.0 schemas are converted to
//! JSON Schema 2020-12 before compiling (see [`schema`]).

pub mod schema;

use serde_json::Value;

use crate::diag::Diagnostic;

/// A loaded, indexed OpenAPI document.
#[derive(Debug)]
pub struct Spec {
    /// The file as the user named it.
    pub file: String,
    /// `3.0` or `3.1` (from the `openapi` field).
    pub version: String,
    /// `info.title` and `info.version`.
    pub title: String,
    pub api_version: String,
    /// Base path from the first server URL (`/cds-au/v1`), "" when none.
    pub base_path: String,
    pub operations: Vec<Operation>,
}

/// One operation: a method on a path template.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: Option<String>,
    /// Upper-case method.
    pub method: String,
    /// Path template as written under `paths` (`/banking/accounts/{accountId}`).
    pub path: String,
    pub parameters: Vec<Parameter>,
    pub responses: Vec<Response>,
    /// `file#/paths/~1banking~1accounts/get`
    pub location: String,
}

impl Operation {
    /// `operationId`, or `METHOD /path` when there is none.
    pub fn name(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method, self.path))
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: ParamIn,
    pub required: bool,
    /// Key into the spec's compiled schemas, when the parameter has a schema.
    pub schema: Option<SchemaRef>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX` or `default`, as written.
    pub status: String,
    pub headers: Vec<HeaderSpec>,
    pub content: Vec<MediaType>,
    /// `file#/paths/.../responses/200`
    pub location: String,
}

#[derive(Debug, Clone)]
pub struct HeaderSpec {
    /// Lower case.
    pub name: String,
    pub required: bool,
    pub schema: Option<SchemaRef>,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    /// Lower case, as written (may be a range like `application/*`).
    pub media_type: String,
    pub schema: Option<SchemaRef>,
}

/// A handle on one compiled schema of a [`Spec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SchemaRef(pub usize);

/// One way a value broke its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON Pointer into the validated value.
    pub instance_path: String,
    /// JSON Pointer into the (converted) schema.
    pub schema_path: String,
    pub message: String,
}

impl Spec {
    /// Loads, resolves and indexes a spec, compiling every schema once.
    pub fn load(_path: &std::path::Path) -> Result<Spec, Vec<Diagnostic>> {
        unimplemented!()
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id.as_deref() == Some(id))
    }

    /// The operation whose method and path template match a request path (with or without the
    /// base path), with the path parameters it binds.
    pub fn match_path(
        &self,
        _method: &str,
        _path: &str,
    ) -> Option<(&Operation, Vec<(String, String)>)> {
        unimplemented!()
    }

    /// Validates a header value (a string, coerced to the schema's type) against a compiled schema.
    pub fn validate_header(&self, _schema: SchemaRef, _value: &str) -> Vec<SchemaViolation> {
        unimplemented!()
    }

    /// Validates a value against a compiled schema.
    pub fn validate(&self, _schema: SchemaRef, _value: &Value) -> Vec<SchemaViolation> {
        unimplemented!()
    }
}
