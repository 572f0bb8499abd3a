//! Hand-written suites: YAML files that name a spec and list cases of ordered request steps,
//! with captures and expectations.
//!
//! The format is described by `suites/suite.schema.json` (JSON Schema, for editors) and in
//! docs/suite-format.md. [`load::load_suite`] turns a file into a [`Suite`], reporting every
//! problem of the file at once with `file:line:col`; [`load::read_suite`] also keeps the sound
//! part of a broken file, so lint can check it against its spec in the same pass. The main type
//! is [`Suite`].

pub mod form;
pub mod load;
pub mod sendable;
mod status;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::yaml::Document;

pub use status::{StatusMatch, StatusSet};

/// A loaded suite.
#[derive(Debug)]
pub struct Suite {
    /// File stem (`accounts` for `suites/cdr/accounts.yaml`): the middle part of test names.
    pub name: String,
    pub file: SuiteFile,
    /// The source, for locating expectations in findings; shared by the suites a spec-only
    /// run makes of one derived file (one per operation).
    pub doc: std::sync::Arc<Document>,
    /// The spec path, resolved relative to the suite file.
    pub spec_path: std::path::PathBuf,
    /// The catalogue path, resolved relative to the suite file.
    pub catalogue_path: Option<std::path::PathBuf>,
    /// Where snapshots of this suite live.
    pub snapshot_dir: std::path::PathBuf,
    /// Top-level keys left out because they are broken: only a suite read for lint, whose
    /// problems are reported anyway, has any. Checks that need one of them stay silent.
    pub dropped: Vec<String>,
}

impl Suite {
    /// JSON Pointer of a case in the suite document: its declaration for a generated case.
    pub fn case_pointer(&self, ci: usize) -> String {
        match self.file.cases.get(ci).and_then(|c| c.origin.as_ref()) {
            Some(origin) => origin.clone(),
            None => format!("/cases/{ci}"),
        }
    }

    /// JSON Pointer of a step in the suite document: its declaration for a generated step.
    pub fn step_pointer(&self, ci: usize, si: usize) -> String {
        let step = self.file.cases.get(ci).and_then(|c| c.steps.get(si));
        match step.and_then(|s| s.origin.as_ref()) {
            Some(origin) => origin.clone(),
            None => format!("/cases/{ci}/steps/{si}"),
        }
    }

    /// `api::suite::case`
    pub fn case_name(&self, case: &Case) -> String {
        format!("{}::{}::{}", self.file.api, self.name, case.id)
    }

    /// `file:line:col` of a node of the suite.
    pub fn location(&self, pointer: &str) -> String {
        self.doc.location(pointer)
    }

    /// The level the suite gives a finding of check `check` in case `ci`, with the reason and
    /// where it is said: the case's own `grade` first, then the suite's. A generated case
    /// inherits nothing from the declaration it came from.
    pub fn grade(&self, ci: usize, check: &str) -> Option<(Level, String)> {
        let case = self.file.cases.get(ci)?;
        let names = |g: &Grade| g.check.0.iter().any(|c| c == check);
        let own = (case.origin.is_none())
            .then(|| case.grade.iter().position(names))
            .flatten()
            .map(|gi| {
                (
                    &case.grade[gi],
                    format!("{}/grade/{gi}", self.case_pointer(ci)),
                )
            });
        let suite = || {
            self.file
                .grade
                .iter()
                .position(|g| names(g) && g.case.as_ref().is_none_or(|c| c.0.contains(&case.id)))
                .map(|gi| (&self.file.grade[gi], format!("/grade/{gi}")))
        };
        let (g, at) = own.or_else(suite)?;
        Some((g.level, format!("{} ({})", g.reason, self.location(&at))))
    }
}

/// The top level of a suite file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteFile {
    /// Short API name (`cdr`): the first part of test names, and the key of the target.
    pub api: String,
    /// Path of the OpenAPI document, relative to the suite file.
    pub spec: String,
    /// Path of the API's requirements catalogue, relative to the suite file.
    pub catalogue: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Variables the target profile must define (`token`).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Variables with default values, overridable by the profile.
    #[serde(default)]
    pub vars: IndexMap<String, Scalar>,
    /// The format a variable's value must have; a target's value without it stops the run
    /// before anything is sent.
    #[serde(default)]
    pub var_formats: IndexMap<String, crate::inputs::Format>,
    /// Where an error response carries its error codes.
    pub errors: Option<ErrorShape>,
    /// Headers and query parameters sent by every step unless a step overrides them.
    #[serde(default)]
    pub defaults: Defaults,
    /// Directory for body snapshots, relative to the suite file (default `snapshots`).
    pub snapshots: Option<String>,
    /// Protocol rules of the API, declared once: every suite of the API is checked against
    /// them, and they generate cases of their own.
    pub protocol: Option<crate::protocol::Protocol>,
    /// Levels this suite gives checks' findings in its cases (generated ones included), each
    /// with a reason.
    #[serde(default)]
    pub grade: Vec<Grade>,
    /// Hand-written cases; none when the protocol rules generate every case.
    #[serde(default)]
    pub cases: Vec<Case>,
}

/// A changed level for the findings of some checks, with the reason every report shows
/// beside them: a suite lowers a rule its sources only recommend to a warning, or raises one
/// they make mandatory to a failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// In the suite's `grade` only: the ids of the cases it applies to; every case of the
    /// suite when absent. A case's own `grade` applies to that case.
    pub case: Option<OneOrMany>,
    /// The check ids whose findings take the level.
    pub check: OneOrMany,
    pub level: Level,
    /// Why: the sentence of the source that makes the rule a recommendation or a must.
    pub reason: String,
}

/// The level a finding is judged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the case.
    Failure,
    /// Reported apart; fails nothing unless the run counts warnings as failures.
    Warning,
}

impl Level {
    pub fn severity(self) -> crate::finding::Severity {
        match self {
            Level::Failure => crate::finding::Severity::Error,
            Level::Warning => crate::finding::Severity::Warning,
        }
    }
}

impl SuiteFile {
    /// The JSON Pointers (with `*`) at which this suite's error responses carry their codes;
    /// empty when the suite declares none.
    pub fn error_code_pointers(&self) -> &[String] {
        self.errors
            .as_ref()
            .map(|e| e.codes.as_slice())
            .unwrap_or_default()
    }
}

/// JSON Pointers (with `*`) at which error responses carry their codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorShape {
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default)]
    pub headers: IndexMap<String, Scalar>,
    #[serde(default)]
    pub query: IndexMap<String, Scalar>,
}

/// One case: ordered steps, judged together.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Stable kebab-case id, unique in the suite.
    pub id: String,
    pub title: String,
    /// Requirement ids the case checks (standard clauses, error codes).
    pub requirements: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The case changes state on the target: it runs after every other case, and only against
    /// loopback unless the run allows destructive cases.
    #[serde(default)]
    pub destructive: bool,
    /// Automatic checks switched off for this case, each with a reason.
    #[serde(default)]
    pub waive: Vec<Waiver>,
    /// Levels this case gives checks' findings, each with a reason.
    #[serde(default)]
    pub grade: Vec<Grade>,
    pub steps: Vec<Step>,
    /// For a case generated from the `protocol` section: the pointer of its declaration (of
    /// the exclusion, for an excluded case).
    #[serde(skip)]
    pub origin: Option<String>,
    /// Why the case cannot run here, when it cannot (a spec-only run without a credential
    /// the case sends): it is reported skipped with this reason.
    #[serde(skip)]
    pub skip: Option<String>,
    /// For a generated case the suite excludes: the reason it gives. The case is not run;
    /// every report lists it as skipped, with the reason.
    #[serde(skip)]
    pub excluded: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub check: String,
    pub reason: String,
}

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
    /// A form body, sent `application/x-www-form-urlencoded`: field name to value ([`form`]).
    pub form: Option<IndexMap<String, Value>>,
    /// A `multipart/form-data` body: field name to value or part ([`form`]).
    pub multipart: Option<IndexMap<String, Value>>,
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

/// What the response must satisfy, on top of the automatic checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub status: Option<StatusSet>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderAssert>,
    #[serde(default)]
    pub body: IndexMap<String, BodyAssert>,
    /// Error code(s): the response must carry one of them where the suite's `errors` says.
    pub error: Option<OneOrMany>,
    pub snapshot: Option<Snapshot>,
    /// The page is consistent with its request, meta and links, per a pagination style.
    pub pagination: Option<Pagination>,
    /// For a generated negative request: the one rule it breaks, so the response must reject
    /// it (`negative-rejected`).
    #[serde(skip)]
    pub negative: Option<crate::protocol::negative::Broken>,
    /// Answers the sources allow besides one another: the response must satisfy one of them
    /// (as well as the rest of `expect`), and every report says which one it chose.
    #[serde(default)]
    pub one_of: Vec<Alternative>,
}

/// One answer the sources allow, and where they allow it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub status: Option<StatusSet>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderAssert>,
    #[serde(default)]
    pub body: IndexMap<String, BodyAssert>,
    pub error: Option<OneOrMany>,
    /// The clause or sentence of the sources that allows this answer.
    pub source: String,
}

impl Alternative {
    /// The alternative as an expectation of its own.
    pub fn expect(&self) -> Expect {
        Expect {
            status: self.status.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            error: self.error.clone(),
            ..Expect::default()
        }
    }

    /// The alternative in a few words: `status 400, error EV1100`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.status {
            parts.push(format!("status {s}"));
        }
        if let Some(e) = &self.error {
            parts.push(format!("error {}", e.0.join(" or ")));
        }
        for name in self.headers.keys() {
            parts.push(format!("header {name}"));
        }
        for pointer in self.body.keys() {
            parts.push(format!("body {pointer}"));
        }
        parts.join(", ")
    }
}

/// How an API paginates, for the `pagination-page` check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `cds`: page / page-size query parameters, `links` (self, first, prev, next, last) and
    /// `meta` (totalRecords, totalPages), as the Consumer Data Standards define them.
    pub style: PaginationStyle,
    /// JSON Pointer of the array of records on the page.
    pub items: String,
    /// Page size when the request gives none.
    #[serde(default = "default_page_size")]
    pub default_size: u64,
}

fn default_page_size() -> u64 {
    25
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaginationStyle {
    Cds,
}

impl Expect {
    /// True when the step asserts something of its own.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.headers.is_empty()
            && self.body.is_empty()
            && self.error.is_none()
            && self.snapshot.is_none()
            && self.pagination.is_none()
            && self.negative.is_none()
            && self.one_of.is_empty()
    }

    /// Every status the step accepts, its own and those of its alternatives, with classes
    /// (`4XX`) spelled out.
    pub fn statuses(&self) -> Vec<u16> {
        let own = self.status.iter().flat_map(StatusSet::codes);
        let alternatives = self
            .one_of
            .iter()
            .filter_map(|a| a.status.as_ref())
            .flat_map(StatusSet::codes);
        let mut all: Vec<u16> = own.chain(alternatives).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The statuses the step accepts as written, its own and its alternatives', once each.
    pub fn status_matches(&self) -> Vec<StatusMatch> {
        let mut out: Vec<StatusMatch> = Vec::new();
        let own = self.status.iter().flat_map(|s| s.0.iter().copied());
        let alternatives = self
            .one_of
            .iter()
            .filter_map(|a| a.status.as_ref())
            .flat_map(|s| s.0.iter().copied());
        for s in own.chain(alternatives) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// A string written once or as a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Value")]
pub struct OneOrMany(pub Vec<String>);

impl TryFrom<Value> for OneOrMany {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        let items = match v {
            Value::Array(items) => items,
            other => vec![other],
        };
        items
            .into_iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("expected a string, found {i}"))
            })
            .collect::<Result<_, _>>()
            .map(OneOrMany)
    }
}

/// A header or query value: written as a string, number or boolean, sent as text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Value")]
pub struct Scalar(pub String);

impl TryFrom<Value> for Scalar {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(Scalar(s)),
            Value::Number(n) => Ok(Scalar(n.to_string())),
            Value::Bool(b) => Ok(Scalar(b.to_string())),
            other => Err(format!(
                "expected a string, number or boolean, found {other}"
            )),
        }
    }
}

/// Assertions on one response header. Several may be combined; all must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderAssert {
    pub present: Option<bool>,
    pub absent: Option<bool>,
    pub equals: Option<Scalar>,
    /// A regular expression the whole value must match.
    pub matches: Option<String>,
    /// The value must equal what the request sent in the header of the same name.
    pub equals_request: Option<bool>,
}

/// Assertions on the value(s) at a JSON Pointer of the body (`*` selects every element).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyAssert {
    pub exists: Option<bool>,
    pub absent: Option<bool>,
    /// With `*`: elements that lack the value are accepted; the other assertions apply to those that have it.
    pub optional: Option<bool>,
    pub equals: Option<Value>,
    pub not_equals: Option<Value>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<Value>>,
    pub matches: Option<String>,
    #[serde(rename = "type")]
    pub json_type: Option<String>,
    pub length: Option<Length>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// An exact length, or bounds.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Value")]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl TryFrom<Value> for Length {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        if let Some(n) = v.as_u64() {
            return Ok(Length {
                min: Some(n),
                max: Some(n),
            });
        }
        let Value::Object(map) = &v else {
            return Err(format!("a length is a number or {{min, max}}, not {v}"));
        };
        let bound = |k: &str| -> Result<Option<u64>, String> {
            match map.get(k) {
                None => Ok(None),
                Some(x) => x
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| format!("`{k}` must be a non-negative integer")),
            }
        };
        if let Some(k) = map.keys().find(|k| *k != "min" && *k != "max") {
            return Err(format!("unknown key `{k}` in length"));
        }
        Ok(Length {
            min: bound("min")?,
            max: bound("max")?,
        })
    }
}

/// A body snapshot: the response body (minus redacted pointers) must equal the stored one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub name: String,
    /// Pointers (with `*`) whose values are replaced by `"[redacted]"` before comparing.
    #[serde(default)]
    pub redact: Vec<String>,
}
