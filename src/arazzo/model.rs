//! The Arazzo document model (1.0.x and 1.1.x): what [`super::load`] builds from a file.
//!
//! Every object keeps `at`, the JSON Pointer of its node in the source, so that a later
//! problem (an unknown step id, a criterion that fails on a live response) is reported at
//! `file:line:col`. Values that may hold runtime expressions (parameter values, payloads,
//! outputs) stay JSON values and are read by [`super::eval`] when a step runs.

use indexmap::IndexMap;
use serde_json::Value;

/// The minor version of the specification a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V1_0,
    V1_1,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
        }
    }
}

/// A whole Arazzo document.
#[derive(Debug, Clone)]
pub struct Arazzo {
    pub version: Version,
    /// The `arazzo` field as written (`1.0.1`).
    pub version_text: String,
    /// `$self` (1.1): the document's own URI.
    pub self_uri: Option<String>,
    pub info: Info,
    pub sources: Vec<Source>,
    pub workflows: Vec<Workflow>,
    pub components: Components,
    /// `x-` fields of the root object.
    pub extensions: Extensions,
}

/// `x-` fields, by name.
pub type Extensions = IndexMap<String, Value>;

#[derive(Debug, Clone)]
pub struct Info {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub version: String,
}

/// A source description: an API description (or another Arazzo document) the workflows use.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    OpenApi,
    Arazzo,
    /// AsyncAPI (1.1).
    AsyncApi,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::OpenApi => "openapi",
            SourceKind::Arazzo => "arazzo",
            SourceKind::AsyncApi => "asyncapi",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Workflow {
    pub id: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// A JSON Schema for the inputs (may `$ref` into `components.inputs`).
    pub inputs: Option<Value>,
    /// Workflows that must complete before this one, by id or `$sourceDescriptions…`.
    pub depends_on: Vec<Named>,
    pub steps: Vec<Step>,
    pub success_actions: Vec<Reusable<SuccessAction>>,
    pub failure_actions: Vec<Reusable<FailureAction>>,
    /// Output name to an expression (or a selector object, 1.1).
    pub outputs: IndexMap<String, Value>,
    pub parameters: Vec<Reusable<Parameter>>,
    pub extensions: Extensions,
    pub at: String,
}

impl Workflow {
    /// The index of a step by id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }
}

/// A string with the pointer it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub at: String,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub description: Option<String>,
    pub target: Target,
    pub parameters: Vec<Reusable<Parameter>>,
    pub request_body: Option<RequestBody>,
    pub success_criteria: Vec<Criterion>,
    pub on_success: Vec<Reusable<SuccessAction>>,
    pub on_failure: Vec<Reusable<FailureAction>>,
    pub outputs: IndexMap<String, Value>,
    /// Milliseconds the step may take (1.1).
    pub timeout: Option<u64>,
    /// Steps that must have completed first (1.1).
    pub depends_on: Vec<Named>,
    /// `send` or `receive`, for AsyncAPI steps (1.1).
    pub action: Option<String>,
    pub correlation_id: Option<String>,
    pub extensions: Extensions,
    pub at: String,
}

/// What a step calls: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An `operationId`, plain or as `$sourceDescriptions.name.operationId`.
    OperationId(String),
    /// `{$sourceDescriptions.name.url}#/paths/~1pets/get`
    OperationPath(String),
    /// An AsyncAPI channel (1.1).
    ChannelPath(String),
    /// Another workflow of this document (or `$sourceDescriptions.name.workflowId`).
    Workflow(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum In {
    Path,
    Query,
    /// The whole query string (1.1).
    QueryString,
    Header,
    Cookie,
}

impl In {
    pub fn as_str(self) -> &'static str {
        match self {
            In::Path => "path",
            In::Query => "query",
            In::QueryString => "querystring",
            In::Header => "header",
            In::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    /// Absent for the parameters of a step that runs a workflow: they are its inputs.
    pub location: Option<In>,
    /// A constant, an expression, a template or a selector object (1.1).
    pub value: Value,
    pub at: String,
}

/// An object written in place, or a `reference` to one in `components`.
#[derive(Debug, Clone)]
pub enum Reusable<T> {
    Inline(T),
    Reference(Reference),
}

/// `{reference: $components.parameters.page, value: 1}`
#[derive(Debug, Clone)]
pub struct Reference {
    /// The component kind (`parameters`) and name (`page`).
    pub kind: String,
    pub name: String,
    /// For parameters: the value that replaces the component's own.
    pub value: Option<Value>,
    pub at: String,
}

/// Where control goes after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Step(String),
    Workflow(String),
}

#[derive(Debug, Clone)]
pub struct SuccessAction {
    pub name: String,
    pub kind: SuccessKind,
    pub goto: Option<Label>,
    /// Inputs for the workflow `goto` names (1.1).
    pub parameters: Vec<Reusable<Parameter>>,
    pub criteria: Vec<Criterion>,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessKind {
    End,
    Goto,
}

#[derive(Debug, Clone)]
pub struct FailureAction {
    pub name: String,
    pub kind: FailureKind,
    pub goto: Option<Label>,
    pub parameters: Vec<Reusable<Parameter>>,
    /// Seconds to wait before retrying.
    pub retry_after: Option<f64>,
    /// Retries allowed; one when absent.
    pub retry_limit: Option<u64>,
    pub criteria: Vec<Criterion>,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    End,
    Retry,
    Goto,
}

/// One assertion.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// The expression the condition applies to (required for every type but `simple`).
    pub context: Option<String>,
    pub condition: String,
    pub kind: CriterionKind,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CriterionKind {
    Simple,
    Regex,
    /// With the version named by an expression type object (`rfc9535` when absent).
    JsonPath(String),
    XPath(String),
}

impl CriterionKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            CriterionKind::Simple => "simple",
            CriterionKind::Regex => "regex",
            CriterionKind::JsonPath(_) => "jsonpath",
            CriterionKind::XPath(_) => "xpath",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content_type: Option<String>,
    pub payload: Option<Value>,
    pub replacements: Vec<Replacement>,
    pub at: String,
}

/// A value set at a location of the payload.
#[derive(Debug, Clone)]
pub struct Replacement {
    /// A JSON Pointer (JSONPath or XPath with `target_type`, 1.1).
    pub target: String,
    pub target_type: Option<String>,
    pub value: Value,
    pub at: String,
}

#[derive(Debug, Clone, Default)]
pub struct Components {
    pub inputs: IndexMap<String, Value>,
    pub parameters: IndexMap<String, Parameter>,
    pub success_actions: IndexMap<String, SuccessAction>,
    pub failure_actions: IndexMap<String, FailureAction>,
}

impl Arazzo {
    /// A workflow by id.
    pub fn workflow(&self, id: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|w| w.id == id)
    }

    /// A source description by name.
    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name == name)
    }
}
