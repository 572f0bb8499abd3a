//! Judging one completed exchange of a case: the checks, then the captures a later step needs.
//!
//! A live run ([`super::run_case`]) and a replay ([`crate::replay`]) both go through [`step`],
//! so a recorded exchange is graded exactly as a fresh one.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::check::{self, StepContext};
use crate::exchange::Exchange;
use crate::finding::{Finding, Where};
use crate::openapi::{Operation, SchemaViolation};
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::template::Vars;

/// What the case does after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// On to the next step.
    Next,
    /// The case ends here (a capture is missing); judge it as it stands.
    Stop,
    /// The case is skipped: the target lacks the data it needs, and nothing failed.
    Skipped,
}

/// One exchange to judge, with the case it belongs to.
pub struct Judged<'a> {
    pub suite: &'a PlannedSuite,
    /// Case index in the suite.
    pub case: usize,
    /// Step index in the case.
    pub step: usize,
    pub operation: Option<&'a Operation>,
    /// The exchange as recorded (secrets redacted); it must hold a response.
    pub exchange: Exchange,
    /// The response body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// Whether `json` is the recorded body parsed, as it is when redaction left the body as
    /// it came: then the record may keep it ([`kept_json`]).
    pub json_is_body: bool,
}

/// The largest error body whose parsed JSON stays with its exchange.
const KEPT_JSON_BYTES: usize = 4096;

/// Whether a response's parsed body stays with its recorded exchange once it is judged: an
/// error body (status 400 or more) small enough to cost little, which the run's summary reads
/// again (error titles, error coverage) and need not parse a second time.
pub(crate) fn kept_json(status: u16, body: &str) -> bool {
    status >= 400 && body.len() <= KEPT_JSON_BYTES
}

/// Runs every check the case does not waive on the exchange; findings come back redacted.
/// The parsed body is lent to the recorded response while the checks run, and taken back.
pub(crate) fn checks(
    j: &mut Judged<'_>,
    vars: &Vars,
    snapshots: &HashMap<PathBuf, String>,
    redactor: &Redactor,
) -> check::Output {
    let case = &j.suite.suite.file.cases[j.case];
    let waived: Vec<String> = case.waive.iter().map(|w| w.check.clone()).collect();
    let response = j
        .exchange
        .response
        .as_mut()
        .expect("only exchanges with a response are judged");
    let violations = j.json.as_mut().and_then(|json| {
        check::body_violations(&j.suite.spec, j.operation, response, json, &waived)
    });
    response.json = j.json.take();
    let out = run_checks(j, &waived, violations.as_deref(), vars, snapshots, redactor);
    j.json = j.exchange.response.as_mut().and_then(|r| r.json.take());
    out
}

fn run_checks(
    j: &Judged<'_>,
    waived: &[String],
    body_violations: Option<&[SchemaViolation]>,
    vars: &Vars,
    snapshots: &HashMap<PathBuf, String>,
    redactor: &Redactor,
) -> check::Output {
    let suite = &j.suite.suite;
    let (ci, si) = (j.case, j.step);
    let case = &suite.file.cases[ci];
    let step_at = suite.step_pointer(ci, si);
    let cx = StepContext {
        step: si,
        exchange: &j.exchange,
        response: j
            .exchange
            .response
            .as_ref()
            .expect("only exchanges with a response are judged"),
        spec: &j.suite.spec,
        operation: j.operation,
        suite,
        case_id: &case.id,
        requirements: &case.requirements,
        expect: &case.steps[si].expect,
        expect_at: format!("{step_at}/expect"),
        step_at,
        protocol: j.suite.protocol.as_deref(),
        vars,
        snapshots,
        body_violations,
    };
    let mut out = check::run_all(&cx, waived);
    check::grade(&mut out.findings, suite, ci);
    out.findings = out
        .findings
        .into_iter()
        .map(|f| redact_finding(f, redactor))
        .collect();
    out
}

/// Runs the checks on the exchange, records it in `result`, and takes the step's captures into
/// `vars`. Findings go through `redactor`; snapshots that differ go to `pending`.
pub fn step(
    mut j: Judged<'_>,
    vars: &mut Vars,
    snapshots: &HashMap<PathBuf, String>,
    redactor: &Redactor,
    result: &mut CaseResult,
    pending: &mut Vec<(PathBuf, String)>,
) -> Flow {
    let suite = &j.suite.suite;
    let (ci, si) = (j.case, j.step);
    let case = &suite.file.cases[ci];
    let step = &case.steps[si];
    let status = j.exchange.response.as_ref().map(|r| r.status);
    if let Some(status) = status.filter(|s| step.skip_if_status.contains(s)) {
        result.exchanges.push(j.exchange);
        return skip(
            result,
            format!(
                "step {} was answered {status}, which the step reads as the target lacking the data this case needs (skip_if_status)",
                si + 1
            ),
        );
    }
    let out = checks(&mut j, vars, snapshots, redactor);
    result.findings.extend(out.findings);
    result.choices.extend(out.choices);
    pending.extend(out.snapshots);
    let response = j
        .exchange
        .response
        .as_ref()
        .expect("only exchanges with a response are judged");
    let mut missing = Vec::new();
    for (name, cap) in &step.capture {
        let value = match (&cap.header, &cap.body) {
            (Some(h), _) => response.header(h).map(|v| Value::String(v.to_owned())),
            (None, Some(p)) => j.json.as_ref().and_then(|v| v.pointer(p)).cloned(),
            (None, None) => None,
        };
        match value {
            Some(v) => vars.set(name.clone(), v),
            None => missing.push((name, cap)),
        }
    }
    if j.json_is_body
        && let Some(r) = j.exchange.response.as_mut()
        && kept_json(r.status, &r.body)
    {
        r.json = j.json.take();
    }
    result.exchanges.push(j.exchange);
    // One missing value the suite marked as optional data explains the others taken from
    // the same absent record, so the case is skipped rather than failed.
    if missing.iter().any(|(_, c)| c.skip_if_missing == Some(true)) {
        let names: Vec<String> = missing.iter().map(|(n, _)| format!("`{n}`")).collect();
        return skip(
            result,
            format!(
                "step {} found no {} to go on with: the target lacks the data this case needs",
                si + 1,
                names.join(", ")
            ),
        );
    }
    if missing.is_empty() {
        return Flow::Next;
    }
    let first_capture = result.findings.len();
    for (name, cap) in missing {
        let (at, from) = match (&cap.header, &cap.body) {
            (Some(h), _) => (Where::header(h), format!("header `{h}`")),
            (_, p) => (
                Where::body(p.as_deref().unwrap_or("")),
                format!("body {}", p.as_deref().unwrap_or("")),
            ),
        };
        result.findings.push(
            Finding::new(
                check::CAPTURE,
                si,
                at,
                format!("cannot capture `{name}`: the response has no {from}"),
            )
            .expected("present")
            .actual("missing")
            .rule(case.requirements.join(", "))
            .suite_location(Some(suite.location(&format!(
                "{}/capture/{}",
                suite.step_pointer(ci, si),
                crate::pointer::escape(name)
            )))),
        );
    }
    check::grade(&mut result.findings[first_capture..], suite, ci);
    Flow::Stop
}

/// Skips the case for want of data, unless an earlier step already failed it: then the case
/// ends there and is judged as it stands.
fn skip(result: &mut CaseResult, reason: String) -> Flow {
    if result.skip(reason) {
        Flow::Skipped
    } else {
        Flow::Stop
    }
}

pub(crate) fn redact_finding(mut f: Finding, redactor: &Redactor) -> Finding {
    f.message = redactor.text(&f.message);
    f.expected = f.expected.map(|x| redactor.text(&x));
    f.actual = f.actual.map(|x| redactor.text(&x));
    f
}
