//! Coverage declarations (`protocol.coverage`): what a run must exercise of the API, the
//! requirements the API's documentation states (so a section no case cites shows as a gap), and
//! the documented behaviour no suite can provoke on a conformant implementation, each with the
//! reason.
//!
//! The main type is [`CoverageRule`]; the computation over a run lives in [`crate::run::coverage`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, did_you_mean};
use crate::plan::{Plan, PlannedSuite};
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

/// Every exemption that names something the API does not document: an unknown operation, an
/// uncatalogued code, a requirement nothing states. A status the spec does not list is no load
/// error: the spec may be another than the suite's own (`--spec API=FILE`), and the exemption
/// then exempts nothing, which coverage reports as a note ([`undocumented_statuses`]).
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ps in &plan.suites {
        let Some(p) = &ps.suite.file.protocol else {
            continue;
        };
        let Some(rule) = &p.coverage else { continue };
        for (i, e) in rule.exempt.iter().enumerate() {
            let at = format!("/protocol/coverage/exempt/{i}");
            out.extend(exempt_problem(plan, ps, p, rule, e, &at));
        }
    }
    out
}

fn exempt_problem(
    plan: &Plan,
    ps: &PlannedSuite,
    p: &super::Protocol,
    rule: &CoverageRule,
    e: &Exempt,
    at: &str,
) -> Option<Diagnostic> {
    let doc = &ps.suite.doc;
    let named = [
        e.status.is_some(),
        e.error.is_some(),
        e.requirement.is_some(),
    ];
    if named.iter().filter(|b| **b).count() != 1 {
        return Some(doc.diag(
            at,
            "an exemption names exactly one of `status`, `error` or `requirement`",
        ));
    }
    let ops = &ps.spec.operations;
    if let Some(op) = &e.operation {
        if e.status.is_none() {
            return Some(doc.diag_key(
                &format!("{at}/operation"),
                "`operation` narrows a `status` exemption",
            ));
        }
        if !ops.iter().any(|o| o.name() == *op) {
            let mut d = doc.diag(
                &format!("{at}/operation"),
                format!("operation `{op}` is not in {}", ps.spec.file),
            );
            let names: Vec<String> = ops.iter().map(|o| o.name()).collect();
            if let Some(s) = did_you_mean(op, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            return Some(d);
        }
    }
    if let Some(code) = &e.error {
        let entry = p.errors.as_ref().and_then(|c| c.entry(code));
        if !entry.is_some_and(super::errors::Entry::applies) {
            return Some(doc.diag(
                &format!("{at}/error"),
                format!("`{code}` is not a catalogued error code of an operation of this API"),
            ));
        }
    }
    if let Some(req) = &e.requirement {
        let cited = plan
            .suites
            .iter()
            .filter(|s| s.suite.file.api == ps.suite.file.api)
            .flat_map(|s| &s.suite.file.cases)
            .any(|c| c.requirements.contains(req));
        if !cited && !rule.requirements.contains(req) {
            return Some(doc.diag(
                &format!("{at}/requirement"),
                format!("requirement `{req}` is neither declared under `requirements` nor cited by a case"),
            ));
        }
    }
    None
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

#[cfg(test)]
mod tests {
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \"200\": {description: ok}\n        \"429\": {description: slow down}\n";

    /// The diagnostics of a suite whose `protocol.coverage.exempt` holds `exempt`.
    fn problems(name: &str, exempt: &str) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("accord-exempt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("things.openapi.yaml"), SPEC).unwrap();
        let suite = format!(
            "api: t\nspec: things.openapi.yaml\nerrors:\n  codes: [/code]\nprotocol:\n  errors:\n    requirement: R\n    catalogue:\n      - {{code: SLOW, status: 429, title: Slow, when: too many}}\n      - {{code: AWAY, status: 503, title: Away, when: elsewhere, operations: []}}\n  coverage:\n    exempt:\n      - {exempt}\ncases:\n  - id: c\n    title: T\n    requirements: [Listing]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
        );
        std::fs::write(dir.join("things.yaml"), suite).unwrap();
        match crate::plan::load(&[dir.join("things.yaml")]) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .iter()
                .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
                .collect(),
        }
    }

    #[test]
    fn exemptions_of_documented_things_load() {
        for ok in [
            "{status: 429, reason: r}",
            "{status: 429, operation: listThings, reason: r}",
            "{error: SLOW, reason: r}",
            "{requirement: Listing, reason: r}",
            "{status: 500, reason: r}",
        ] {
            assert_eq!(problems("ok", ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn exemptions_of_undocumented_things_are_located() {
        assert_eq!(
            problems(
                "operation",
                "{status: 429, operation: listThing, reason: r}"
            )[0]
            .split(" is not in ")
            .next(),
            Some("13:34: operation `listThing`")
        );
        assert_eq!(
            problems("error", "{error: AWAY, reason: r}"),
            ["13:17: `AWAY` is not a catalogued error code of an operation of this API"]
        );
        assert_eq!(
            problems("requirement", "{requirement: Paging, reason: r}"),
            [
                "13:23: requirement `Paging` is neither declared under `requirements` nor cited by a case"
            ]
        );
        assert_eq!(
            problems("two", "{status: 429, error: SLOW, reason: r}"),
            ["13:9: an exemption names exactly one of `status`, `error` or `requirement`"]
        );
    }
}
