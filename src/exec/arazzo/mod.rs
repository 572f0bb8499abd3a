//! Running an Arazzo workflow as a case: its steps in order, each request sent through the
//! target's transport, recorded and judged by every check, then its success criteria, its
//! outputs, and the action its outcome selects (`end`, `goto` a step or a workflow, `retry`
//! after `retryAfter` seconds up to `retryLimit` times).
//!
//! A step whose criteria fail and that no `goto` or successful `retry` answers fails the case
//! with a `success-criteria` finding at the criterion. A failure that a `goto` handles is
//! reported as a warning. What accord cannot judge (an XPath criterion, an AsyncAPI step, a
//! step that never runs) is a harness error. The main entry is [`run_case`].

mod request;

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

    /// The first success action (the step's, then the workflow's not overridden by name)
    /// whose criteria hold.
    fn success_action(
        &self,
        wi: usize,
        si: usize,
        scope: &Scope,
    ) -> Option<(SuccessKind, Option<Label>)> {
        let doc = &self.flows.doc;
        let w = &doc.workflows[wi];
        let own: Vec<&SuccessAction> = w.steps[si]
            .on_success
            .iter()
            .filter_map(|a| success(doc, a))
            .collect();
        let inherited = w
            .success_actions
            .iter()
            .filter_map(|a| success(doc, a))
            .filter(|a| !own.iter().any(|o| o.name == a.name));
        own.iter()
            .copied()
            .chain(inherited)
            .find(|a| holds(&a.criteria, doc, scope))
            .map(|a| (a.kind, a.goto.clone()))
    }

    /// The first failure action whose criteria hold; a `retry` whose limit is spent gives
    /// way to the actions after it.
    fn failure_action(
        &self,
        wi: usize,
        si: usize,
        scope: &Scope,
        retries: &HashMap<(usize, String), u64>,
    ) -> Option<&'a FailureAction> {
        let flows: &'a Flows = self.flows;
        let doc = &flows.doc;
        let w = &doc.workflows[wi];
        let own: Vec<&FailureAction> = w.steps[si]
            .on_failure
            .iter()
            .filter_map(|a| failure(doc, a))
            .collect();
        let inherited = w
            .failure_actions
            .iter()
            .filter_map(|a| failure(doc, a))
            .filter(|a| !own.iter().any(|o| o.name == a.name));
        own.iter().copied().chain(inherited).find(|a| {
            let spent = a.kind == FailureKind::Retry
                && retries.get(&(si, a.name.clone())).copied().unwrap_or(0)
                    >= a.retry_limit.unwrap_or(1);
            !spent && holds(&a.criteria, doc, scope)
        })
    }

    /// Runs one step; records its exchanges and judges its criteria.
    fn step<'s>(
        &'s mut self,
        wi: usize,
        si: usize,
        scope: &'s mut Scope,
        vars: &'s mut Vars,
        case_step: usize,
        depth: usize,
    ) -> Boxed<'s, StepOutcome> {
        Box::pin(async move {
            let flows = self.flows;
            let doc = &flows.doc;
            let w = &doc.workflows[wi];
            let s = &w.steps[si];
            match &s.target {
                StepTarget::Workflow(id) => {
                    let Some(sub) = doc.workflows.iter().position(|x| &x.id == id) else {
                        self.error(
                            case_step,
                            HarnessErrorKind::InvalidRequest,
                            &format!("no workflow `{id}`"),
                        );
                        return StepOutcome::Broken;
                    };
                    let mut sub_inputs = Map::new();
                    // Parameters of a step that runs a workflow are its inputs; of the
                    // workflow's own parameters, those without a location are too.
                    let inherited = request::parameters(doc, &[&w.parameters]);
                    let own = request::parameters(doc, &[&s.parameters]);
                    let params = inherited
                        .into_iter()
                        .filter(|p| p.location.is_none())
                        .chain(own);
                    for p in params {
                        match eval::resolve(p.value, doc, scope) {
                            Ok(Some(v)) => {
                                sub_inputs.insert(p.name.to_owned(), v);
                            }
                            Ok(None) => {}
                            Err(e) => {
                                self.error(case_step, HarnessErrorKind::InvalidRequest, &e);
                                return StepOutcome::Broken;
                            }
                        }
                    }
                    let f = self
                        .workflow(
                            sub,
                            Value::Object(sub_inputs),
                            vars,
                            Some(case_step),
                            depth + 1,
                        )
                        .await;
                    match f.end {
                        End::Broken => return StepOutcome::Broken,
                        End::Failed => {
                            return StepOutcome::Failed(
                                format!("{}/workflowId", s.at),
                                format!("workflow `{id}` failed"),
                            );
                        }
                        End::Done => {}
                    }
                    scope.outputs = f.outputs;
                    scope.exchange = f.last;
                }
                StepTarget::ChannelPath(_) => {
                    self.error(
                        case_step,
                        HarnessErrorKind::InvalidRequest,
                        &format!(
                            "step `{}` is an AsyncAPI step; accord runs HTTP steps only",
                            s.id
                        ),
                    );
                    return StepOutcome::Broken;
                }
                StepTarget::OperationId(_) | StepTarget::OperationPath(_) => {
                    let Some((spec, op)) = flows.operation(wi, si) else {
                        self.error(case_step, HarnessErrorKind::InvalidRequest, &format!("step `{}` calls an AsyncAPI operation; accord runs HTTP steps only", s.id));
                        return StepOutcome::Broken;
                    };
                    if let Some(b) = self.send(wi, si, spec, op, scope, vars, case_step).await {
                        return b;
                    }
                }
            }
            for (k, c) in s.success_criteria.iter().enumerate() {
                match criterion::judge(c, doc, scope) {
                    Verdict::Pass => {}
                    Verdict::Fail(why) => {
                        return StepOutcome::Failed(format!("{}/successCriteria/{k}", s.at), why);
                    }
                    Verdict::Error(e) => {
                        self.error(
                            case_step,
                            HarnessErrorKind::InvalidRequest,
                            &format!("step `{}`: {e}", s.id),
                        );
                        return StepOutcome::Broken;
                    }
                }
            }
            StepOutcome::Passed
        })
    }

    /// Sends an operation step's request and judges the exchange; `Some` when the step
    /// cannot go on.
    #[expect(clippy::too_many_arguments, reason = "one step's whole context")]
    async fn send(
        &mut self,
        wi: usize,
        si: usize,
        spec: &'a crate::openapi::Spec,
        op: &'a crate::openapi::Operation,
        scope: &mut Scope,
        vars: &mut Vars,
        case_step: usize,
    ) -> Option<StepOutcome> {
        let doc = &self.flows.doc;
        let w = &doc.workflows[wi];
        let s = &w.steps[si];
        let parts = match request::parts(doc, w, s, spec, op, scope) {
            Ok(p) => p,
            Err(e) => {
                self.error(
                    case_step,
                    HarnessErrorKind::InvalidRequest,
                    &format!("step `{}`: {e}", s.id),
                );
                return Some(StepOutcome::Broken);
            }
        };
        let case = &self.ps.suite.file.cases[self.result_case()];
        let shadow = &self.ps.suite.file.cases[wi].steps[si];
        let expected = shadow
            .expect
            .status
            .as_ref()
            .map(StatusSet::codes)
            .unwrap_or_default();
        let client = self.transport.sender().client().clone();
        let target = self.target;
        let sent = self
            .transport
            .send_step(vars, &expected, !case.destructive, |_| {
                request::build(&parts, op, target, &client)
            })
            .await;
        let (built, delivery) = match sent {
            Ok(x) => x,
            Err(e) => {
                self.error(case_step, e.kind, &e.message);
                return Some(StepOutcome::Broken);
            }
        };
        let raw = match &delivery.sent {
            super::http::Sent::Response(r, _) => {
                Some((r.status, r.headers.clone(), r.body.clone()))
            }
            _ => None,
        };
        let recorded = super::record(case_step, &built, delivery, self.redactor);
        if let Some(e) = recorded.error {
            self.result.exchanges.extend(recorded.exchange);
            self.result.errors.push(e);
            return Some(StepOutcome::Broken);
        }
        let exchange = recorded
            .exchange
            .expect("an exchange when sending succeeded");
        let mut judged = judge::Judged {
            suite: self.ps,
            case: wi,
            step: si,
            operation: Some(op),
            exchange,
            json: recorded.raw_json.clone(),
        };
        let mut out = judge::checks(&mut judged, vars, self.snapshots, self.redactor);
        for f in &mut out.findings {
            f.step = case_step;
        }
        self.result.findings.extend(out.findings);
        self.pending.extend(out.snapshots);
        self.result.exchanges.push(judged.exchange);
        let response = raw.map(|(status, headers, body)| {
            let body = match recorded.raw_json {
                Some(v) => Body::Json(v),
                None => Body::Text(body),
            };
            (
                status,
                eval::Message {
                    headers,
                    body: Some(body),
                    ..Default::default()
                },
            )
        });
        scope.exchange = Some(Exchange {
            url: built.url.clone(),
            method: built.method.clone(),
            request: request::message(&parts, &built),
            status: response.as_ref().map(|(s, _)| *s),
            response: response.map(|(_, m)| m),
        });
        None
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

/// How one step came out.
enum StepOutcome {
    Passed,
    /// A criterion did not hold: the pointer of the criterion, and why.
    Failed(String, String),
    Broken,
}

fn success<'d>(
    doc: &'d crate::arazzo::Arazzo,
    a: &'d Reusable<SuccessAction>,
) -> Option<&'d SuccessAction> {
    match a {
        Reusable::Inline(a) => Some(a),
        Reusable::Reference(r) => doc.components.success_actions.get(&r.name),
    }
}

fn failure<'d>(
    doc: &'d crate::arazzo::Arazzo,
    a: &'d Reusable<FailureAction>,
) -> Option<&'d FailureAction> {
    match a {
        Reusable::Inline(a) => Some(a),
        Reusable::Reference(r) => doc.components.failure_actions.get(&r.name),
    }
}

/// True when every criterion passes (an empty list always does).
fn holds(cs: &[Criterion], doc: &crate::arazzo::Arazzo, scope: &Scope) -> bool {
    criterion::judge_all(cs, doc, scope).0.passed()
}

/// Seconds from a `Retry-After` header of the last response (delay-seconds form only).
fn retry_after(scope: &Scope) -> Option<f64> {
    let m = scope.exchange.as_ref()?.response.as_ref()?;
    m.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
}
