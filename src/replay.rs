//! Re-grading a recorded run offline (`accord run --replay results.json`): nothing is sent.
//!
//! Every selected case of the current suites is matched by name to its recording, and each of
//! its steps to the recorded exchange of the same index. The exchange is judged again by the
//! current checks, spec and step expectations through the same code a live run uses
//! (`exec::judge`), and captures are taken from the recorded responses so later steps
//! see the same variables. A case the recording lacks, or whose steps no longer fit it (fewer
//! steps, another method or operation), gets a `replay` harness error naming the difference.
//!
//! A `walk` step is replayed page by page and judged again as a whole (see `src/replay/walk_replay.rs`).
//!
//! Recordings are redacted: secrets read `[redacted]` in headers, URLs and bodies, and so do
//! the suite variables a replay cannot know (`requires`, profile secrets). Bodies are parsed
//! again from their recorded text.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::Value;

use crate::exchange::Exchange;
use crate::exec::{self, RunOptions, judge};
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::openapi::{Operation, Spec};
use crate::plan::{Plan, PlannedSuite};
use crate::profile::Profile;
use crate::redact::Redactor;
use crate::run::{CaseResult, Event, Outcome, RunSummary};
use crate::suite::Step;
use crate::template::Vars;

/// What replaced secrets in a recording.
const REDACTED: &str = "[redacted]";

/// The variables each API's cases start from in a replay: the profile's plain `vars`, and
/// `[redacted]` for secrets and for every variable a suite requires that the profile lacks.
pub fn target_vars(plan: &Plan, profile: Option<&Profile>) -> HashMap<String, Vars> {
    let mut out: HashMap<String, Vars> = HashMap::new();
    for ps in &plan.suites {
        let api = &ps.suite.file.api;
        let vars = out.entry(api.clone()).or_default();
        if let Some(t) = profile.and_then(|p| p.targets.get(api)) {
            for (k, v) in &t.vars {
                vars.set(k.clone(), Value::String(v.clone()));
            }
            for k in t.secrets.keys() {
                vars.set(k.clone(), Value::String(REDACTED.into()));
            }
        }
        for name in &ps.suite.file.requires {
            if !vars.contains(name) {
                vars.set(name.clone(), Value::String(REDACTED.into()));
            }
        }
    }
    out
}

/// Re-grades the selected cases of `plan` from `recording`; `on_event` hears each case.
pub fn run(
    plan: &Plan,
    recording: &RunSummary,
    vars: &HashMap<String, Vars>,
    opts: &RunOptions,
    mut on_event: impl FnMut(&Event<'_>),
) -> RunSummary {
    let started = std::time::SystemTime::now();
    let clock = Instant::now();
    let snapshots = crate::plan::read_snapshots(plan);
    let selected = crate::partition::select(plan, &opts.filters, opts.partition);
    on_event(&Event::Started {
        total: selected.len(),
    });
    let recorded: HashMap<&str, &CaseResult> = recording
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    let no_vars = Vars::default();
    let mut cases = Vec::new();
    for (si, ci) in selected {
        let ps = &plan.suites[si];
        let name = ps.suite.case_name(&ps.suite.file.cases[ci]);
        let api = &ps.suite.file.api;
        let base_path = recording
            .targets
            .iter()
            .find(|t| t.api == *api)
            .and_then(|t| url::Url::parse(&t.base_url).ok())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let replayed = exec::excluded(ps, ci).unwrap_or_else(|| {
            let mut r = case(
                ps,
                ci,
                recorded.get(name.as_str()).copied(),
                vars.get(api).unwrap_or(&no_vars),
                &base_path,
                &snapshots,
            );
            r.close();
            r
        });
        on_event(&Event::CaseFinished(&replayed));
        cases.push(replayed);
    }
    let apis = plan.apis();
    let targets = recording
        .targets
        .iter()
        .filter(|t| apis.contains(&t.api))
        .cloned()
        .collect();
    let summary = RunSummary::of_plan(
        plan,
        cases,
        started,
        clock.elapsed().as_millis() as u64,
        recording.profile.clone(),
        targets,
        &opts.require_coverage,
    );
    on_event(&Event::Finished(&summary));
    summary
}

fn replay_error(step: usize, message: String) -> HarnessError {
    HarnessError {
        kind: HarnessErrorKind::Replay,
        step,
        message,
        curl: None,
    }
}

/// Re-grades one case from its recording, leaving the result to be closed.
fn case(
    ps: &PlannedSuite,
    ci: usize,
    recorded: Option<&CaseResult>,
    target_vars: &Vars,
    base_path: &str,
    snapshots: &HashMap<std::path::PathBuf, String>,
) -> CaseResult {
    let mut result = exec::blank_result(ps, ci);
    if ps.arazzo.is_some() {
        result.skip("replaying an Arazzo workflow is not supported yet: run it live".into());
        return result;
    }
    let steps = &ps.suite.file.cases[ci].steps;
    let Some(rec) = recorded else {
        result.errors.push(replay_error(
            0,
            format!(
                "the recording has no case `{}`: record the run again to replay it",
                result.name
            ),
        ));
        return result;
    };
    result.duration_ms = rec.duration_ms;
    if rec.outcome == Outcome::Skipped && rec.exchanges.is_empty() {
        result.skip_reason = rec.skip_reason.clone();
        result.skipped = true;
        return result;
    }
    let redactor = Redactor::new(Vec::new());
    let mut pending = Vec::new();
    let mut vars = exec::case_vars(&ps.suite, target_vars);
    let mut previous_walk = None;
    for (si, step) in steps.iter().enumerate() {
        if let Some(w) = &step.walk {
            let walked = walk_replay::Walked {
                ps,
                ci,
                si,
                step,
                walk: w,
                rec,
                base_path,
                snapshots,
                redactor: &redactor,
            };
            match walk_replay::replay(
                &walked,
                &vars,
                &mut previous_walk,
                &mut result,
                &mut pending,
            ) {
                walk_replay::Flow::Next => continue,
                walk_replay::Flow::Stop => break,
                walk_replay::Flow::Skipped => return result,
            }
        }
        let exchange = rec.exchanges.iter().find(|e| e.step == si);
        let errors: Vec<HarnessError> = rec
            .errors
            .iter()
            .filter(|e| e.step == si)
            .cloned()
            .collect();
        let Some(exchange) = exchange.filter(|e| e.response.is_some() && errors.is_empty()) else {
            result.exchanges.extend(exchange.cloned());
            if errors.is_empty() {
                result.errors.push(replay_error(
                    si,
                    format!(
                        "the recording of this case ends after {} step{} but the suite has {}: record the case again",
                        si,
                        if si == 1 { "" } else { "s" },
                        steps.len()
                    ),
                ));
            }
            result.errors.extend(errors);
            break;
        };
        let operation = match operation_of(&ps.spec, step, exchange, base_path) {
            Ok(op) => op,
            Err(message) => {
                result.errors.push(replay_error(
                    si,
                    format!(
                        "{message}: the suite changed since the recording; record the case again"
                    ),
                ));
                break;
            }
        };
        let judged = judge::Judged {
            suite: ps,
            case: ci,
            step: si,
            operation,
            json: body_json(exchange),
            json_is_body: true,
            exchange: exchange.clone(),
        };
        match judge::step(
            judged,
            &mut vars,
            snapshots,
            &redactor,
            &mut result,
            &mut pending,
        ) {
            judge::Flow::Next => {}
            judge::Flow::Stop => break,
            judge::Flow::Skipped => return result,
        }
    }
    if result.errors.is_empty() && rec.exchanges.iter().any(|e| e.step >= steps.len()) {
        result.errors.push(replay_error(
            steps.len(),
            format!(
                "the recording of this case has more steps than the suite's {}: record the case again",
                steps.len()
            ),
        ));
    }
    result
}

/// The recorded body parsed as JSON, when it was recorded whole and is JSON.
fn body_json(exchange: &Exchange) -> Option<Value> {
    let r = exchange.response.as_ref()?;
    r.json.clone().or_else(|| {
        r.body_note
            .is_none()
            .then(|| serde_json::from_str(&r.body).ok())
            .flatten()
    })
}

/// The spec operation of a step, checked against the recorded request: the method and, for a
/// step that names an operation or path, the operation the recorded URL falls under must agree.
fn operation_of<'s>(
    spec: &'s Spec,
    step: &Step,
    exchange: &Exchange,
    base_path: &str,
) -> Result<Option<&'s Operation>, String> {
    let r = &step.request;
    let sent = &exchange.request;
    let path = url::Url::parse(&sent.url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let path = path
        .strip_prefix(base_path)
        .filter(|p| !base_path.is_empty() && p.starts_with('/'))
        .unwrap_or(&path);
    let recorded = spec.match_path(&sent.method, path).map(|(o, _)| o);
    let step_no = exchange.step + 1;
    let wanted: Option<&Operation> = if let Some(id) = &r.operation {
        Some(
            spec.operation(id)
                .ok_or_else(|| format!("step {step_no}: operation `{id}` is not in the spec"))?,
        )
    } else if let Some(p) = &r.path {
        let method = r.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
        spec.operations
            .iter()
            .find(|o| o.path == *p && o.method == method)
    } else {
        let method = r.method.as_deref().unwrap_or("GET");
        if !method.eq_ignore_ascii_case(&sent.method) {
            return Err(format!(
                "step {step_no} sends {} but the recording has {} {}",
                method.to_ascii_uppercase(),
                sent.method,
                path
            ));
        }
        return Ok(recorded);
    };
    match wanted {
        Some(op) if recorded.is_some_and(|o| o.location == op.location) => Ok(Some(op)),
        Some(op) => Err(format!(
            "step {step_no} sends {} {} but the recording has {} {}",
            op.method, op.path, sent.method, path
        )),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests;
mod walk_replay;
