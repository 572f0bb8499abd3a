//! Hand-written suites: YAML files that name a spec and list cases of ordered request steps,
//! with captures and expectations.
//!
//! The format is described by `suites/suite.schema.json` (JSON Schema, for editors) and in
//! docs/suite-format.md. [`load::load_suite`] turns a file into a [`Suite`], reporting every
//! problem of the file at once with `file:line:col`; [`load::read_suite`] also keeps the sound
//! part of a broken file, so lint can check it against its spec in the same pass. The main type
//! is [`Suite`]: the file, its cases and their grades are here, a step's request and captures
//! in `step`, and what it expects of the response in `expect`.

mod expect;
pub mod form;
pub mod load;
pub mod protocol;
pub mod sendable;
mod status;
mod step;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::yaml::Document;

pub use expect::{
    Alternative, BodyAssert, Expect, HeaderAssert, Length, Pagination, PaginationStyle, Snapshot,
};
pub use status::{StatusMatch, StatusSet};
pub use step::{Capture, Request, Step, Walk};

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
    pub protocol: Option<crate::suite::protocol::Protocol>,
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
