//! The one shape every check reports in, and the separate shape for "could not test".
//!
//! A [`Finding`] says the implementation broke a rule (a *mismatch*); a [`HarnessError`] says
//! accord could not test at all (unreachable target, timeout, oversize body, undefined
//! variable). Reports keep them apart: JUnit `<failure>` versus `<error>`, exit code 1 versus 3.
//!
//! Every finding has a level, its [`Severity`]: an *error* breaks a rule the sources state as
//! mandatory and fails its case; a *warning* departs from a recommendation, or from a constraint
//! the sources do not say the server must enforce, and fails nothing unless the run asks for it
//! (`--fail-on warnings`). A check picks the level; a suite may change it with a reason
//! ([`Finding::graded`]), and every report shows that reason beside the finding.

use serde::{Deserialize, Serialize};

/// How much a finding weighs: its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A mandatory rule was broken: fails the case.
    Error,
    /// A recommendation was not followed: reported apart, does not fail the case.
    Warning,
}

impl Severity {
    /// The level as reports name it: `failure` or `warning`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "failure",
            Severity::Warning => "warning",
        }
    }
}

/// The part of an exchange a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Status,
    Header,
    Body,
    /// The exchange as a whole (e.g. a capture that could not be taken).
    Exchange,
}

/// Where in an exchange a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Where {
    pub part: Part,
    /// Header name, lower case, for `Part::Header`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// JSON Pointer into the response body, for `Part::Body`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Where {
    pub fn status() -> Self {
        Where {
            part: Part::Status,
            header: None,
            pointer: None,
        }
    }
    pub fn header(name: &str) -> Self {
        Where {
            part: Part::Header,
            header: Some(name.to_ascii_lowercase()),
            pointer: None,
        }
    }
    pub fn body(pointer: &str) -> Self {
        Where {
            part: Part::Body,
            header: None,
            pointer: Some(pointer.to_owned()),
        }
    }
    pub fn exchange() -> Self {
        Where {
            part: Part::Exchange,
            header: None,
            pointer: None,
        }
    }
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.part {
            Part::Status => f.write_str("status"),
            Part::Header => write!(f, "header {}", self.header.as_deref().unwrap_or("")),
            Part::Body => match self.pointer.as_deref() {
                Some("") | None => f.write_str("body"),
                Some(p) => write!(f, "body {p}"),
            },
            Part::Exchange => f.write_str("exchange"),
        }
    }
}

/// One broken rule, found by one check in one exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable kebab-case id of the check (`response-schema`).
    pub check: String,
    pub severity: Severity,
    /// Index of the step (exchange) in the case.
    pub step: usize,
    /// For a step that walks a paginated list: the page (1-based position in the walk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    #[serde(rename = "where")]
    pub at: Where,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// One sentence, the same in every report.
    pub message: String,
    /// The rule the check enforces (a standard's clause, an RFC section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Spec file and JSON Pointer of what the rule came from (`specs/x.yaml#/paths/...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_location: Option<String>,
    /// Suite `file:line:col` of the expectation, when a suite asserted it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suite_location: Option<String>,
    /// Why the finding has its level, when something other than the check chose it (a
    /// suite's `grade`, a negative case the sources do not say must be refused,
    /// `--fail-on warnings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
    /// On the one finding that stands for the repeats of a rule broken many times in a case:
    /// how many more times, and where ([`crate::run::repeats`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<Repeats>,
}

/// The breaks of one rule that a case's report does not list one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeats {
    /// How many more times the rule broke, beyond the findings listed in full.
    pub more: usize,
    /// How many times the rule broke in the case, those listed in full included.
    pub total: usize,
    /// The walk pages the repeats were on, as runs of consecutive pages `[first, last]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<[usize; 2]>,
    /// Each distinct place the repeats broke at (`body /data/accounts/7/balance`), when they
    /// differ from one another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

impl Finding {
    /// A failing finding with the given check id, location and message.
    pub fn new(check: &str, step: usize, at: Where, message: impl Into<String>) -> Self {
        Finding {
            check: check.to_owned(),
            severity: Severity::Error,
            step,
            page: None,
            at,
            expected: None,
            actual: None,
            message: message.into(),
            rule: None,
            spec_location: None,
            suite_location: None,
            severity_reason: None,
            repeats: None,
        }
    }
    pub fn expected(mut self, v: impl Into<String>) -> Self {
        self.expected = Some(v.into());
        self
    }
    pub fn actual(mut self, v: impl Into<String>) -> Self {
        self.actual = Some(v.into());
        self
    }
    pub fn rule(mut self, v: impl Into<String>) -> Self {
        self.rule = Some(v.into());
        self
    }
    pub fn spec_location(mut self, v: Option<String>) -> Self {
        self.spec_location = v;
        self
    }
    pub fn suite_location(mut self, v: Option<String>) -> Self {
        self.suite_location = v;
        self
    }
    pub fn page(mut self, page: usize) -> Self {
        self.page = Some(page);
        self
    }
    /// The same finding at warning level: the check's rule is a recommendation.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
    /// The same finding at `level`, with the reason every report shows beside it.
    pub fn graded(mut self, level: Severity, reason: impl Into<String>) -> Self {
        self.severity = level;
        self.severity_reason = Some(reason.into());
        self
    }
    /// True when the finding fails its case.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What the server chose where the sources allow more than one answer: one status or code of a
/// list, or one of a step's `one_of` alternatives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Index of the step (exchange) in the case.
    pub step: usize,
    /// What the expectation allowed: `status 401 or 403`, `2 alternatives`.
    pub allowed: String,
    /// What the server answered: `403`, `alternative 2: status 400, error EV1100`.
    pub chosen: String,
    /// The clause of the sources that allows the chosen answer, when the suite says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Suite `file:line:col` of the expectation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_location: Option<String>,
}

impl Choice {
    /// `step 2: status 403 (allowed: 401 or 403)`, plus `, per <source>` when known.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "step {}: {} (allowed: {})",
            self.step + 1,
            self.chosen,
            self.allowed
        );
        if let Some(s) = &self.source {
            out.push_str(&format!(", per {s}"));
        }
        out
    }
}

/// Why accord could not test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HarnessErrorKind {
    /// No TCP/TLS connection could be made.
    Connect,
    /// The request or the body read took longer than the timeout.
    Timeout,
    /// The connection broke mid-exchange.
    Transport,
    /// The body was larger than the cap.
    BodyTooLarge,
    /// A variable the step needs is not defined (profile, capture).
    UndefinedVariable,
    /// The request could not be built (bad URL, bad header value).
    InvalidRequest,
    /// A replayed case does not fit its recording (missing case, fewer or other steps).
    Replay,
    /// The TLS handshake failed: a client certificate the server wants, or a server
    /// certificate accord does not trust.
    Tls,
    /// Credentials could not be obtained (the OAuth token endpoint failed or refused).
    Auth,
    /// The target kept answering 429 or 503 through every retry.
    Unavailable,
    /// The run's request budget for the host was spent, so the request was not sent.
    Budget,
    /// The run's deadline (`--deadline`, the profile's `deadline_secs`) passed before the case
    /// finished.
    Deadline,
}

impl HarnessErrorKind {
    /// The kebab-case name of the kind, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            HarnessErrorKind::Connect => "connect",
            HarnessErrorKind::Timeout => "timeout",
            HarnessErrorKind::Transport => "transport",
            HarnessErrorKind::BodyTooLarge => "body-too-large",
            HarnessErrorKind::UndefinedVariable => "undefined-variable",
            HarnessErrorKind::InvalidRequest => "invalid-request",
            HarnessErrorKind::Replay => "replay",
            HarnessErrorKind::Tls => "tls",
            HarnessErrorKind::Auth => "auth",
            HarnessErrorKind::Unavailable => "unavailable",
            HarnessErrorKind::Budget => "budget",
            HarnessErrorKind::Deadline => "deadline",
        }
    }
}

/// One "could not test" event, with the evidence gathered before it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarnessError {
    pub kind: HarnessErrorKind,
    pub step: usize,
    pub message: String,
    /// The curl line of the request being attempted, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curl: Option<String>,
}
