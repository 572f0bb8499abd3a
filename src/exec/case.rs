//! One case from start to end: its blank result and starting variables, a case skipped or
//! excluded before it runs ([`not_run`], [`excluded`]), and its steps sent in order
//! ([`run_case_with`]), the result [closed](CaseResult::close) once where the case ends.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::transport::Transport;
use super::{Env, Target, arazzo, gate, judge, page_walk, record_taken, request};
use crate::finding::HarnessError;
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::{CaseResult, Outcome, Waived};
use crate::template::Vars;

/// The result of a generated case the suite excludes, or `None` for a case to run.
pub(crate) fn excluded(ps: &PlannedSuite, ci: usize) -> Option<CaseResult> {
    let reason = ps.suite.file.cases[ci].excluded.as_ref()?;
    let mut r = not_run(ps, ci, format!("excluded by the suite: {reason}"));
    r.excluded = true;
    Some(r)
}

/// The closed result of a case skipped before it ran, with the reason.
pub(crate) fn not_run(ps: &PlannedSuite, ci: usize, reason: String) -> CaseResult {
    let mut r = blank_result(ps, ci);
    r.skip(reason);
    r.close();
    r
}

pub(crate) fn blank_result(ps: &PlannedSuite, ci: usize) -> CaseResult {
    let case = &ps.suite.file.cases[ci];
    CaseResult {
        name: ps.suite.case_name(case),
        api: ps.suite.file.api.clone(),
        suite: ps.suite.name.clone(),
        id: case.id.clone(),
        title: case.title.clone(),
        requirements: case.requirements.clone(),
        location: ps.suite.location(&ps.suite.case_pointer(ci)),
        outcome: Outcome::Passed,
        skip_reason: None,
        skipped: false,
        excluded: false,
        duration_ms: 0,
        exchanges: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        waived: case
            .waive
            .iter()
            .map(|w| Waived {
                check: w.check.clone(),
                reason: w.reason.clone(),
            })
            .collect(),
        waivers: Vec::new(),
        baseline: None,
        choices: Vec::new(),
        refusals: 0,
    }
}

/// The variables a case starts with: the suite's defaults, overridden by the target's.
pub(crate) fn case_vars(suite: &crate::suite::Suite, target: &Vars) -> Vars {
    let mut vars = base_vars(suite, target);
    fill_defaults(suite, target, &mut vars);
    vars
}

/// The suite's defaults as written, overridden by the target's values.
pub(crate) fn base_vars(suite: &crate::suite::Suite, target: &Vars) -> Vars {
    let mut vars = Vars::default();
    for (k, v) in &suite.file.vars {
        vars.set(k.clone(), Value::String(v.0.clone()));
    }
    vars.overlay(target);
    vars
}

/// Fills the defaults built from other variables (`jwt: "{{token}}"`); a value the target
/// supplies is taken as it is.
fn fill_defaults(suite: &crate::suite::Suite, target: &Vars, vars: &mut Vars) {
    for (k, v) in &suite.file.vars {
        if !target.contains(k)
            && let Ok(filled) = crate::template::render(&v.0, vars)
        {
            vars.set(k.clone(), Value::String(filled));
        }
    }
}

/// Runs one case's steps in order over `client`, with the target's policy but no limits
/// shared with other cases; see [`run_case_with`].
pub async fn run_case(
    ps: &PlannedSuite,
    ci: usize,
    target: &Target,
    client: &reqwest::Client,
    redactor: &Redactor,
    snapshots: &HashMap<PathBuf, String>,
) -> (CaseResult, Vec<(PathBuf, String)>) {
    let transport = Transport::with_client(
        client.clone(),
        target,
        Arc::new(gate::Gates::default()),
        redactor,
    );
    run_case_with(ps, ci, target, &transport, redactor, snapshots).await
}

/// Runs one case's steps in order through the target's transport; a harness error or a
/// missing capture ends the case. Returns the result, [closed](CaseResult::close), and the
/// snapshots that differ from (or are missing in) the store.
pub async fn run_case_with(
    ps: &PlannedSuite,
    ci: usize,
    target: &Target,
    transport: &Transport,
    redactor: &Redactor,
    snapshots: &HashMap<PathBuf, String>,
) -> (CaseResult, Vec<(PathBuf, String)>) {
    let (mut result, pending) = match &ps.arazzo {
        Some(flows) => {
            arazzo::run_case(ps, flows, ci, target, transport, redactor, snapshots).await
        }
        None => {
            if let Some(r) = excluded(ps, ci) {
                return (r, Vec::new());
            }
            run_steps(ps, ci, target, transport, redactor, snapshots).await
        }
    };
    result.close();
    (result, pending)
}

/// Runs the steps of case `ci`, leaving the result to be closed.
async fn run_steps(
    ps: &PlannedSuite,
    ci: usize,
    target: &Target,
    transport: &Transport,
    redactor: &Redactor,
    snapshots: &HashMap<PathBuf, String>,
) -> (CaseResult, Vec<(PathBuf, String)>) {
    let mut pending = Vec::new();
    let clock = Instant::now();
    let suite = &ps.suite;
    let case = &suite.file.cases[ci];
    let mut result = blank_result(ps, ci);
    let mut vars = base_vars(suite, &target.vars);
    // An access token is obtained before the defaults are filled, so those built from it
    // (`jwt: "{{token}}"`) carry it.
    if let Err(e) = transport.credentials(&mut vars).await {
        result.errors.push(HarnessError {
            message: redactor.text(&e.message),
            ..e
        });
        result.duration_ms = clock.elapsed().as_millis() as u64;
        return (result, pending);
    }
    fill_defaults(suite, &target.vars, &mut vars);
    let waived: Vec<String> = case.waive.iter().map(|w| w.check.clone()).collect();
    let env = Env {
        ps,
        ci,
        target,
        transport,
        redactor,
        snapshots,
        waived: &waived,
    };
    let mut previous_walk: Option<Vec<String>> = None;
    for (si, step) in case.steps.iter().enumerate() {
        if let Some(w) = &step.walk {
            let flow =
                page_walk::run(&env, si, step, w, &vars, &mut previous_walk, &mut result).await;
            pending.extend(flow.snapshots);
            match flow.next {
                page_walk::Next::Continue => continue,
                page_walk::Next::Stop => break,
                page_walk::Next::Skip => {
                    result.duration_ms = clock.elapsed().as_millis() as u64;
                    return (result, pending);
                }
            }
        }
        let expected = step.expect.statuses();
        let client = transport.sender().client();
        let sent = transport
            .send_step(&mut vars, &expected, !case.destructive, |vars| {
                request::build(suite, &ps.spec, step, target, vars, client)
            })
            .await;
        let (mut built, delivery) = match sent {
            Ok(sent) => sent,
            Err(e) => {
                result.errors.push(HarnessError {
                    step: si,
                    curl: None,
                    message: redactor.text(&e.message),
                    ..e
                });
                break;
            }
        };
        let recorded = record_taken(si, &mut built, delivery, redactor);
        if let Some(e) = recorded.error {
            result.exchanges.extend(recorded.exchange);
            result.errors.push(e);
            break;
        }
        let exchange = recorded
            .exchange
            .expect("an exchange when sending succeeded");
        let judged = judge::Judged {
            suite: ps,
            case: ci,
            step: si,
            operation: built.operation,
            exchange,
            json: recorded.raw_json,
            json_is_body: recorded.json_is_body,
        };
        match judge::step(
            judged,
            &mut vars,
            snapshots,
            redactor,
            &mut result,
            &mut pending,
        ) {
            judge::Flow::Next => {}
            judge::Flow::Stop => break,
            judge::Flow::Skipped => {
                result.duration_ms = clock.elapsed().as_millis() as u64;
                return (result, pending);
            }
        }
    }
    result.duration_ms = clock.elapsed().as_millis() as u64;
    (result, pending)
}
