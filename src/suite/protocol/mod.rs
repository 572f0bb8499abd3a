//! Protocol rules: what an API promises on every operation (correlation ids, version
//! negotiation, authentication, and the other rules of this module), declared once in the `protocol:` section of one of the API's suites.
//!
//! A declaration does two things. It arms the matching automatic check, which then judges every
//! exchange of every suite of the API; and it generates cases of its own (listed by `accord
//! list`, run like hand-written ones), so that a suite author states *what* the API promises
//! and the harness works out *how* to test it. Generated cases carry the pointer of their
//! declaration, so findings point at it.
//!
//! The main type is [`Protocol`]; [`generate`] turns it into cases.

pub mod auth;
pub mod correlation;
pub mod coverage;
pub mod documented;
pub mod errors;
pub mod formats;
pub mod negative;
pub mod pagination;
pub mod versions;

use serde::Deserialize;

use crate::suite::{Case, Expect, Request, Step, SuiteFile};

/// The `protocol:` section of a suite.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// A correlation header: echoed when the client sends one, a fresh UUID when it does not.
    pub correlation: Option<correlation::Correlation>,
    /// Version negotiation by request headers: the highest supported version in the range asked for.
    pub versions: Option<versions::Versions>,
    /// The credentials every guarded operation demands, and the documented refusals.
    pub auth: Option<auth::Auth>,
    /// The API's error codes, each with its status, title and when it happens.
    pub errors: Option<errors::ErrorCatalogue>,
    /// What runs of the API must exercise, and what no suite can provoke.
    pub coverage: Option<coverage::CoverageRule>,
    /// Requests that each break one declared rule of an operation's input, to be rejected.
    pub negative: Option<negative::Negative>,
    /// Domain formats of values at JSON Pointers (`ird-number`), judged in requests and
    /// responses.
    #[serde(default)]
    pub formats: Vec<formats::Format>,
    /// How list end points paginate: walks of every page, and the refusals of bad paging.
    pub pagination: Option<pagination::Pagination>,
}

/// A request a rule builds cases from, and what its response must show besides the rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Steps sent first by every case built from the probe: their captures fill the
    /// request's placeholders (an id taken from a list, say).
    #[serde(default)]
    pub setup: Vec<Step>,
    pub request: Request,
    /// Statuses that say the target lacks the data the request names (a 404 to an id taken
    /// from examples): a case built from the probe that gets one is skipped.
    #[serde(default)]
    pub skip_if_status: Vec<u16>,
    #[serde(default)]
    pub expect: Expect,
}

impl Probe {
    /// A step sending this probe, with header overrides (`None` removes a header).
    pub fn step(&self, origin: &str, headers: &[(&str, Option<&str>)]) -> Step {
        let mut request = self.request.clone();
        for (name, value) in headers {
            request.headers.insert(
                (*name).to_owned(),
                value.map(|v| crate::suite::Scalar(v.to_owned())),
            );
        }
        Step {
            name: None,
            request,
            capture: Default::default(),
            expect: self.expect.clone(),
            walk: None,
            skip_if_status: self.skip_if_status.clone(),
            origin: Some(origin.to_owned()),
        }
    }

    /// The probe's `setup` steps, then `last`: the steps of a case built from the probe.
    pub fn steps(&self, origin: &str, last: Step) -> Vec<Step> {
        let mut out: Vec<Step> = self
            .setup
            .iter()
            .enumerate()
            .map(|(i, s)| Step {
                origin: Some(format!("{origin}/setup/{i}")),
                ..s.clone()
            })
            .collect();
        out.push(last);
        out
    }
}

/// A generated case.
pub fn case(id: &str, title: String, requirement: &str, origin: &str, steps: Vec<Step>) -> Case {
    Case {
        id: id.to_owned(),
        title,
        requirements: vec![requirement.to_owned()],
        tags: vec!["protocol".to_owned()],
        destructive: false,
        waive: Vec::new(),
        grade: Vec::new(),
        steps,
        origin: Some(origin.to_owned()),
        skip: None,
        excluded: None,
    }
}

/// The cases a suite's protocol rules generate, in a fixed order.
pub fn generate(file: &SuiteFile) -> Vec<Case> {
    let Some(p) = &file.protocol else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(c) = &p.correlation {
        out.extend(c.cases("/protocol/correlation"));
    }
    if let Some(v) = &p.versions {
        out.extend(v.cases("/protocol/versions"));
    }
    if let Some(a) = &p.auth {
        out.extend(a.cases(auth::AT));
    }
    if let Some(p) = &p.pagination {
        out.extend(p.cases("/protocol/pagination"));
    }
    out
}

/// The cases a suite's protocol rules generate from the spec, and problems with their
/// declarations (JSON Pointer into the suite, message).
pub fn generate_from_spec(
    file: &SuiteFile,
    spec: &crate::openapi::Spec,
) -> (Vec<Case>, Vec<(String, String)>) {
    let Some(p) = &file.protocol else {
        return (Vec::new(), Vec::new());
    };
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    if let Some(n) = &p.negative {
        let (c, e) = n.cases("/protocol/negative", file, spec);
        cases.extend(c);
        problems.extend(e);
    }
    (cases, problems)
}

#[cfg(test)]
mod tests;
