//! What the index makes of `paths`: each [`Operation`] with its parameters, responses (headers,
//! links, content) and request body, and the [`SchemaRef`] handles that point into the
//! compiled schemas of its [`Spec`](super::Spec).

use serde_json::Value;

use super::style;

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
    /// The Security Requirement alternatives that apply (the operation's, else the
    /// document's): each a list of scheme names, all needed together. Empty, or an empty
    /// alternative: no credential needed.
    pub security: Vec<Vec<String>>,
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
    /// How the value is serialized (`style`, `explode`).
    pub serial: style::Serial,
    /// The parameter's own example (`example`, or the first of `examples`).
    pub example: Option<Value>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX` or `default`, as written.
    pub status: String,
    pub headers: Vec<HeaderSpec>,
    pub content: Vec<MediaType>,
    /// The response's Link Objects (OpenAPI 3): operations whose parameters its values give.
    pub links: Vec<Link>,
    /// `file#/paths/.../responses/200`
    pub location: String,
}

/// A Link Object: an operation a response leads to, and where its parameters come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The link's name under `links`.
    pub name: String,
    /// The operation it leads to, as `operationId` or `operationRef` names it.
    pub target: LinkTarget,
    /// Each parameter's name as written (`petId`, or `path.petId` to name its place) and its
    /// value as written: a runtime expression (`$response.body#/id`, also inside `{}`) or a
    /// constant.
    pub parameters: Vec<(String, Value)>,
}

/// How a Link Object names its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    OperationId(String),
    /// The reference as written (`#/paths/~1pets~1{petId}/get`).
    OperationRef(String),
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
    /// The media type's example (`example`, or the first of `examples`).
    pub example: Option<Value>,
    /// How the properties of a form body are encoded (`encoding`), by property name.
    pub encoding: Vec<(String, super::form::Encoding)>,
}

/// A handle on one compiled schema of a [`Spec`](super::Spec).
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
    /// `file#pointer` where the violated keyword is written
    /// (`common.yaml#/components/schemas/Account/required`).
    pub spec_location: String,
}

impl SchemaViolation {
    /// The keyword that failed: the last token of `schema_path` (`required`, `x-cds-type`).
    pub fn keyword(&self) -> &str {
        self.schema_path.rsplit('/').next().unwrap_or_default()
    }
}
