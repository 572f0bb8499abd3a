//! A case's steps: the request each sends, what it captures from the response, and how a
//! step walks a paginated list.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{Expect, Scalar};

/// One request, what to capture from its response, and what to expect of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: Option<String>,
    pub request: Request,
    #[serde(default)]
    pub capture: IndexMap<String, Capture>,
    #[serde(default)]
    pub expect: Expect,
    /// Walk every page of the list the request asks for, per the API's `protocol.pagination`:
    /// each page is an exchange of this step, judged by every check, and `pagination-walk`
    /// judges the whole walk.
    pub walk: Option<Walk>,
    /// Statuses that say the target lacks the data the step asks for (a 404 to a request
    /// whose ids are examples, not the target's): the case is skipped, the exchange recorded
    /// and not judged.
    #[serde(default)]
    pub skip_if_status: Vec<u16>,
    /// For a generated step: the pointer of the declaration it came from.
    #[serde(skip)]
    pub origin: Option<String>,
}

/// How a step walks a paginated list (the style comes from `protocol.pagination`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Walk {
    /// Most pages to request before the walk counts as runaway; the declaration's
    /// `max_pages` when absent.
    pub max_pages: Option<u64>,
    /// The walk must see the records the previous walk of the case saw (in the same order for
    /// the offset style): how styles without totals prove that no record went missing.
    #[serde(default)]
    pub same_as_previous: bool,
}

/// What to send. Exactly one of `operation`, `path` (with `method`) or `url` says where.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// An `operationId` of the spec.
    pub operation: Option<String>,
    /// HTTP method; required with `path` or `url`, taken from the spec with `operation`.
    pub method: Option<String>,
    /// A path template of the spec, relative to its base path.
    pub path: Option<String>,
    /// An absolute URL (usually a captured link); its operation is found by matching the spec.
    pub url: Option<String>,
    /// Values for `{name}` segments of the path template.
    #[serde(default)]
    pub path_params: IndexMap<String, Scalar>,
    /// Query parameters; `null` removes a default.
    #[serde(default)]
    pub query: IndexMap<String, Option<Scalar>>,
    /// Headers; `null` removes a default.
    #[serde(default)]
    pub headers: IndexMap<String, Option<Scalar>>,
    /// A JSON body.
    pub body: Option<Value>,
    /// A form body, sent `application/x-www-form-urlencoded`: field name to value ([`form`](super::form)).
    pub form: Option<IndexMap<String, Value>>,
    /// A `multipart/form-data` body: field name to value or part ([`form`](super::form)).
    pub multipart: Option<IndexMap<String, Value>>,
    /// A link a walked page gave, parsed (never from a suite file): sent as the server wrote
    /// it. `url` holds its text; its placeholders are not filled, since the text is the
    /// server's, not the suite's, and it is not parsed again.
    #[serde(skip)]
    pub link: Option<url::Url>,
}

/// Where a captured value comes from: a response header or a JSON Pointer into the body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub header: Option<String>,
    pub body: Option<String>,
    /// When the value is missing, skip the rest of the case (the target lacks the data the case
    /// needs) instead of failing it.
    pub skip_if_missing: Option<bool>,
}
