//! Coverage declarations (`protocol.coverage`): what a run must exercise of the API, the
//! requirements the API's documentation states (so a section no case cites shows as a gap), and
//! the documented behaviour no suite can provoke on a conformant implementation, each with the
//! reason.
//!
//! The main type is [`CoverageRule`]; the computation over a run lives in [`crate::run::coverage`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::suite::Scalar;

/// The `protocol.coverage` declaration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRule {
    /// Dimensions every run of the API must cover fully (besides what `--require-coverage` asks).
    #[serde(default)]
    pub require: Vec<Dimension>,
    /// Requirement ids the API's documentation states. A case requirement `X (detail)` counts
    /// for `X`.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Documented behaviour that no suite can provoke, with the reason.
    #[serde(default)]
    pub exempt: Vec<Exempt>,
}

/// One exemption: exactly one of `status` (optionally for one `operation`), `error` or
/// `requirement`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exempt {
    /// A documented response status as the spec writes it (`429`, `5XX`, `default`).
    pub status: Option<Scalar>,
    /// With `status`: only this operation's (every operation's when absent).
    pub operation: Option<String>,
    /// A catalogued error code.
    pub error: Option<String>,
    /// A requirement id.
    pub requirement: Option<String>,
    pub reason: String,
}

/// The status exemptions of `rule` that name a status no operation of `spec` documents (within
/// the exemption's `operation`, when it names one): their index under `exempt` and the status.
pub fn undocumented_statuses<'a>(
    rule: &'a CoverageRule,
    spec: &crate::openapi::Spec,
) -> Vec<(usize, &'a str)> {
    rule.exempt
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let status = e.status.as_ref()?;
            let documented = spec
                .operations
                .iter()
                .filter(|o| e.operation.as_deref().is_none_or(|n| o.name() == n))
                .any(|o| {
                    o.responses
                        .iter()
                        .any(|r| r.status.eq_ignore_ascii_case(&status.0))
                });
            (!documented).then_some((i, status.0.as_str()))
        })
        .collect()
}

impl CoverageRule {
    /// The reason a documented status of `operation` is exempt, if it is.
    pub fn status_exempt(&self, operation: &str, status: &str) -> Option<&str> {
        self.exempt
            .iter()
            .find(|e| {
                e.status
                    .as_ref()
                    .is_some_and(|s| s.0.eq_ignore_ascii_case(status))
                    && e.operation.as_deref().is_none_or(|o| o == operation)
            })
            .map(|e| e.reason.as_str())
    }

    /// The reason an error code is exempt, if it is.
    pub fn error_exempt(&self, code: &str) -> Option<&str> {
        self.exempt
            .iter()
            .find(|e| e.error.as_deref() == Some(code))
            .map(|e| e.reason.as_str())
    }

    /// The reason a requirement is exempt, if it is.
    pub fn requirement_exempt(&self, id: &str) -> Option<&str> {
        self.exempt
            .iter()
            .find(|e| e.requirement.as_deref() == Some(id))
            .map(|e| e.reason.as_str())
    }
}

/// One dimension of coverage, as `required` and `--require-coverage` name it; the run area
/// computes each ([`crate::run::coverage`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// The documented response statuses of the operations a run exercised.
    Statuses,
    /// The codes of the API's error catalogue.
    Errors,
    /// The requirements the API declares or its cases cite.
    Requirements,
}

impl Dimension {
    /// Every dimension, in report order.
    pub const ALL: [Dimension; 3] = [
        Dimension::Statuses,
        Dimension::Errors,
        Dimension::Requirements,
    ];

    /// The dimension as results.json and the command line spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Statuses => "statuses",
            Dimension::Errors => "errors",
            Dimension::Requirements => "requirements",
        }
    }

    /// What a missed item of this dimension is, in words.
    pub fn noun(self) -> &'static str {
        match self {
            Dimension::Statuses => "documented statuses",
            Dimension::Errors => "catalogued error codes",
            Dimension::Requirements => "requirements",
        }
    }

    /// Reads a comma-separated list of dimensions; `all` means every one.
    pub fn parse_list(text: &str) -> Result<Vec<Dimension>, String> {
        let mut out = Vec::new();
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let dims: &[Dimension] = match word {
                "all" => &Dimension::ALL,
                "statuses" => &[Dimension::Statuses],
                "errors" => &[Dimension::Errors],
                "requirements" => &[Dimension::Requirements],
                other => {
                    return Err(format!(
                        "unknown coverage dimension `{other}`; use statuses, errors, requirements or all"
                    ));
                }
            };
            out.extend_from_slice(dims);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
