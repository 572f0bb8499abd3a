//! Running an Arazzo workflow as a case: its steps in order, each request sent through the
//! target's transport, recorded and judged by every check, then its success criteria, its
//! outputs, and the action its outcome selects (`end`, `goto` a step or a workflow, `retry`
//! after `retryAfter` seconds up to `retryLimit` times).
//!
//! A step whose criteria fail and that no `goto` or successful `retry` answers fails the case
//! with a `success-criteria` finding at the criterion. A failure that a `goto` handles is
//! reported as a warning. What accord cannot judge (an XPath criterion, an AsyncAPI step, a
//! step that never runs) is a harness error. The main entry is [`run_case`].

mod action;
mod request;
mod step;

use action::retry_after;
use step::StepOutcome;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::transport::Transport;
use super::{Target, blank_result, judge};
use crate::arazzo::criterion::{self, Verdict};
use crate::arazzo::eval::{self, Body, Exchange, Scope, WorkflowRecord};
use crate::arazzo::model::{
    Criterion, FailureAction, FailureKind, Label, Reusable, SuccessAction, SuccessKind,
    Target as StepTarget,
};
use crate::arazzo::plan::Flows;
use crate::check;
use crate::finding::{Finding, HarnessError, HarnessErrorKind, Where};
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::suite::StatusSet;
use crate::template::Vars;

/// Most steps one case may run, so that a `goto` loop ends.
const MOST_STEPS: usize = 500;
/// Deepest nesting of workflows run by steps, `goto` or `dependsOn`.
const DEEPEST: usize = 16;

/// Runs workflow `ci` of the document as a case.
pub(crate) async fn run_case(
    ps: &PlannedSuite,
    flows: &Flows,
    ci: usize,
    target: &Target,
    transport: &Transport,
    redactor: &Redactor,
    snapshots: &HashMap<PathBuf, String>,
) -> (CaseResult, Vec<(PathBuf, String)>) {
    let clock = Instant::now();
    let mut vars = super::base_vars(&ps.suite, &target.vars);
    let mut r = Runner {
        ps,
        flows,
        target,
        transport,
        redactor,
        snapshots,
        result: blank_result(ps, ci),
        pending: Vec::new(),
        done: HashMap::new(),
        steps_run: 0,
    };
    if let Err(e) = transport.credentials(&mut vars).await {
        r.error(0, e.kind, &e.message);
    } else {
        let inputs = inputs_of(flows, ci, &vars);
        let _ = r.workflow(ci, inputs, &mut vars, None, 0).await;
    }
    let mut result = r.result;
    result.duration_ms = clock.elapsed().as_millis() as u64;
    (result, r.pending)
}

/// A workflow's inputs from the target's variables (or the schema's `default`), read as the
/// input schema types them.
fn inputs_of(flows: &Flows, wi: usize, vars: &Vars) -> Value {
    let w = &flows.doc.workflows[wi];
    let schema = w
        .inputs
        .as_ref()
        .map(|s| crate::arazzo::plan::resolve_input_ref(&flows.doc, s, 0));
    let mut out = Map::new();
    for name in &flows.inputs[wi].0 {
        let property = schema
            .and_then(|s| s.pointer(&format!("/properties/{}", crate::pointer::escape(name))))
            .map(|p| crate::arazzo::plan::resolve_input_ref(&flows.doc, p, 0));
        let Some(v) = vars
            .get(name)
            .or_else(|| property.and_then(|p| p.get("default")).cloned())
        else {
            continue;
        };
        let declared = property.and_then(|p| p.get("type")).and_then(Value::as_str);
        let v = match (&v, declared) {
            (Value::String(s), Some("integer" | "number" | "boolean" | "array" | "object")) => {
                serde_json::from_str(s).unwrap_or(v)
            }
            _ => v,
        };
        out.insert(name.clone(), v);
    }
    Value::Object(out)
}

/// How a workflow (or a step) came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// It ran to its end, or an `end` action ended it.
    Done,
    /// A step failed and nothing answered the failure.
    Failed,
    /// accord could not go on (a harness error is recorded).
    Broken,
}

type Boxed<'s, T> = Pin<Box<dyn Future<Output = T> + Send + 's>>;

struct Runner<'a> {
    ps: &'a PlannedSuite,
    flows: &'a Flows,
    target: &'a Target,
    transport: &'a Transport,
    redactor: &'a Redactor,
    snapshots: &'a HashMap<PathBuf, String>,
    result: CaseResult,
    pending: Vec<(PathBuf, String)>,
    /// Workflows that ran to their end in this case, for `$workflows.…` and `dependsOn`.
    done: HashMap<String, WorkflowRecord>,
    steps_run: usize,
}

/// What a workflow leaves behind for its caller.
struct Finished {
    end: End,
    outputs: Map<String, Value>,
    /// Its last exchange, for the criteria of the step that ran it.
    last: Option<Exchange>,
}

impl<'a> Runner<'a> {
    fn error(&mut self, step: usize, kind: HarnessErrorKind, message: &str) {
        self.result.errors.push(HarnessError {
            kind,
            step,
            message: self.redactor.text(message),
            curl: None,
        });
    }

    /// Runs workflow `wi` with `inputs`. `caller` is the case step that runs it (its
    /// exchanges are recorded under that step), `None` for the case's own workflow.
    fn workflow<'s>(
        &'s mut self,
        wi: usize,
        inputs: Value,
        vars: &'s mut Vars,
        caller: Option<usize>,
        depth: usize,
    ) -> Boxed<'s, Finished> {
        Box::pin(async move {
            let flows = self.flows;
            let doc = &flows.doc;
            let w = &doc.workflows[wi];
            let at_step = caller.unwrap_or(0);
            let broken = |runner: &mut Self, message: String| {
                runner.error(at_step, HarnessErrorKind::InvalidRequest, &message);
                Finished {
                    end: End::Broken,
                    outputs: Map::new(),
                    last: None,
                }
            };
            if depth > DEEPEST {
                return broken(
                    self,
                    format!(
                        "workflows nest deeper than {DEEPEST}: does `{}` call itself?",
                        w.id
                    ),
                );
            }
            for d in &w.depends_on {
                if self.done.contains_key(&d.name) {
                    continue;
                }
                let Some(di) = doc.workflows.iter().position(|x| x.id == d.name) else {
                    return broken(
                        self,
                        format!("`dependsOn: {}` names a workflow accord cannot run", d.name),
                    );
                };
                let dep_inputs = inputs_of(flows, di, vars);
                let f = self.workflow(di, dep_inputs, vars, caller, depth + 1).await;
                if f.end != End::Done {
                    return Finished {
                        end: f.end,
                        outputs: Map::new(),
                        last: None,
                    };
                }
            }
            let mut scope = Scope {
                inputs: inputs.clone(),
                workflows: self.done.clone(),
                ..Scope::default()
            };
            let mut i = 0;
            let mut retries: HashMap<(usize, String), u64> = HashMap::new();
            let mut end = End::Done;
            let mut last: Option<Exchange> = None;
            while i < w.steps.len() {
                self.steps_run += 1;
                if self.steps_run > MOST_STEPS {
                    return broken(
                        self,
                        format!("the case ran {MOST_STEPS} steps without ending: a `goto` loop?"),
                    );
                }
                let step = &w.steps[i];
                let case_step = caller.unwrap_or(i);
                if let Some(d) = step
                    .depends_on
                    .iter()
                    .find(|d| !d.name.starts_with('$') && !scope.steps.contains_key(&d.name))
                {
                    return broken(
                        self,
                        format!(
                            "step `{}` depends on step `{}`, which has not run",
                            step.id, d.name
                        ),
                    );
                }
                let outcome = self.step(wi, i, &mut scope, vars, case_step, depth).await;
                let failure = match outcome {
                    StepOutcome::Broken => {
                        end = End::Broken;
                        break;
                    }
                    StepOutcome::Passed => None,
                    StepOutcome::Failed(criterion_at, why) => Some((criterion_at, why)),
                };
                last = scope.exchange.clone();
                if failure.is_none() {
                    let outputs = self.outputs(&step.outputs, &scope, case_step);
                    scope.steps.insert(step.id.clone(), outputs);
                }
                match failure {
                    None => match self.success_action(wi, i, &scope) {
                        None => i += 1,
                        Some((SuccessKind::End, _)) => break,
                        Some((SuccessKind::Goto, Some(Label::Step(s)))) => {
                            i = w.step_index(&s).unwrap_or(w.steps.len());
                        }
                        Some((_, Some(Label::Workflow(id)))) => {
                            return self.transfer(&id, vars, caller, depth).await;
                        }
                        Some((SuccessKind::Goto, None)) => i += 1,
                    },
                    Some((criterion_at, why)) => {
                        let chosen = self.failure_action(wi, i, &scope, &retries);
                        let finding = |runner: &mut Self, severity_warning: bool, note: &str| {
                            let mut f = Finding::new(
                                check::SUCCESS_CRITERIA,
                                case_step,
                                Where::exchange(),
                                format!(
                                    "step `{}` failed its success criteria: {why}{note}",
                                    step.id
                                ),
                            )
                            .rule(runner.result.requirements.join(", "))
                            .suite_location(Some(runner.ps.suite.location(&criterion_at)));
                            if severity_warning {
                                f = f.warning();
                            }
                            let f = judge::redact_finding(f, runner.redactor);
                            runner.result.findings.push(f);
                        };
                        match chosen {
                            None => {
                                finding(self, false, "");
                                end = End::Failed;
                                break;
                            }
                            Some(a) => match a.kind {
                                FailureKind::End => {
                                    finding(
                                        self,
                                        false,
                                        &format!(" (`{}` ended the workflow)", a.name),
                                    );
                                    end = End::Failed;
                                    break;
                                }
                                FailureKind::Goto => {
                                    finding(
                                        self,
                                        true,
                                        &format!(" (`{}` went on from there)", a.name),
                                    );
                                    match &a.goto {
                                        Some(Label::Step(s)) => {
                                            i = w.step_index(s).unwrap_or(w.steps.len())
                                        }
                                        Some(Label::Workflow(id)) => {
                                            return self.transfer(id, vars, caller, depth).await;
                                        }
                                        None => i += 1,
                                    }
                                }
                                FailureKind::Retry => {
                                    *retries.entry((i, a.name.clone())).or_default() += 1;
                                    let wait = retry_after(&scope).or(a.retry_after).unwrap_or(0.0);
                                    tokio::time::sleep(Duration::from_secs_f64(
                                        wait.clamp(0.0, 300.0),
                                    ))
                                    .await;
                                    match &a.goto {
                                        Some(Label::Step(s)) => {
                                            if let Some(j) = w.step_index(s) {
                                                let _ = self
                                                    .step(wi, j, &mut scope, vars, case_step, depth)
                                                    .await;
                                            }
                                        }
                                        Some(Label::Workflow(id)) => {
                                            let _ = self.transfer(id, vars, caller, depth).await;
                                        }
                                        None => {}
                                    }
                                }
                            },
                        }
                    }
                }
            }
            let outputs = if end == End::Done {
                self.outputs(&w.outputs, &scope, at_step)
            } else {
                Map::new()
            };
            if end == End::Done {
                self.done.insert(
                    w.id.clone(),
                    WorkflowRecord {
                        inputs,
                        outputs: outputs.clone(),
                        steps: scope.steps.clone(),
                    },
                );
            }
            Finished { end, outputs, last }
        })
    }

    /// Control goes to another workflow for good: it runs with its inputs from the target,
    /// and its end is this workflow's end.
    async fn transfer(
        &mut self,
        id: &str,
        vars: &mut Vars,
        caller: Option<usize>,
        depth: usize,
    ) -> Finished {
        let Some(wi) = self.flows.doc.workflows.iter().position(|w| w.id == id) else {
            self.error(
                caller.unwrap_or(0),
                HarnessErrorKind::InvalidRequest,
                &format!("no workflow `{id}`"),
            );
            return Finished {
                end: End::Broken,
                outputs: Map::new(),
                last: None,
            };
        };
        let inputs = inputs_of(self.flows, wi, vars);
        self.workflow(wi, inputs, vars, caller, depth + 1).await
    }

    /// Evaluates outputs; one that cannot be evaluated is a harness error.
    fn outputs(
        &mut self,
        outputs: &indexmap::IndexMap<String, Value>,
        scope: &Scope,
        step: usize,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, v) in outputs {
            match eval::resolve(v, &self.flows.doc, scope) {
                Ok(Some(x)) => {
                    out.insert(name.clone(), x);
                }
                Ok(None) => {}
                Err(e) => self.error(
                    step,
                    HarnessErrorKind::InvalidRequest,
                    &format!("output `{name}`: {e}"),
                ),
            }
        }
        out
    }

    /// The index of the case's own workflow.
    fn result_case(&self) -> usize {
        self.flows
            .doc
            .workflows
            .iter()
            .position(|w| w.id == self.result.id)
            .unwrap_or(0)
    }
}
