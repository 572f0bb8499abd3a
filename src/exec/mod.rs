//! Running a plan: cases concurrently up to a limit, the steps of a case in order, each exchange
//! recorded (secrets redacted) and judged by the checks as soon as it completes. A `walk` step
//! follows the pages of a list, one exchange per page, and the walk is judged as a whole at its
//! end (`walk`).
//!
//! The main entry is [`run_plan`]; [`Target`] says where an API's requests go and its
//! [`Policy`] how (credentials, TLS, limits, retries). Each step goes out through the target's
//! [`transport::Transport`].

mod arazzo;
pub mod breaker;
pub mod curl;
pub mod gate;
pub mod http;
pub(crate) mod judge;
pub mod oauth;
pub mod policy;
pub(crate) mod request;
pub mod retry;
pub mod transport;
pub(crate) mod walk;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use crate::check;
use crate::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::finding::HarnessError;
use crate::plan::{Plan, PlannedSuite};
use crate::redact::Redactor;
use crate::run::{CaseResult, Event, Outcome, RunSummary, Waived};
use crate::template::Vars;

pub use http::Limits;
pub use policy::Policy;
use transport::Transport;

/// Where one API's requests go, and the variables its suites may use there.
#[derive(Debug, Clone)]
pub struct Target {
    pub api: String,
    /// Includes the API's base path (`https://holder.example/cds-au/v1`).
    pub base_url: String,
    pub vars: Vars,
    /// True for accord's own mocks.
    pub mock: bool,
    pub limits: Limits,
    /// Credentials, TLS, limits and retries (the default for mocks and `--target`).
    pub policy: Policy,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Cases in flight at once.
    pub concurrency: usize,
    /// Store received bodies as snapshots instead of failing on a difference.
    pub update_snapshots: bool,
    /// The profile's name, for reports.
    pub profile: Option<String>,
    /// Only cases whose `api::suite::case` name contains one of these (all when empty).
    pub filters: Vec<String>,
    /// Send destructive cases to targets that are not on loopback.
    pub allow_destructive: bool,
    /// Only this share of the selected cases (`--partition k/n`).
    pub partition: Option<crate::partition::Partition>,
    /// Coverage dimensions every API of the run must cover fully.
    pub require_coverage: Vec<crate::run::coverage::Dimension>,
    /// How long the whole run may take; cases unfinished then error with kind `deadline`.
    pub deadline: Option<std::time::Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 8,
            update_snapshots: false,
            profile: None,
            filters: Vec::new(),
            allow_destructive: false,
            partition: None,
            require_coverage: Vec::new(),
            deadline: None,
        }
    }
}

/// Runs every selected case of the plan against its API's target and returns the summary.
/// `on_event` hears each case as it finishes.
pub async fn run_plan(
    plan: &Plan,
    targets: &HashMap<String, Target>,
    redactor: &Redactor,
    opts: &RunOptions,
    mut on_event: impl FnMut(&Event<'_>),
) -> RunSummary {
    let started = std::time::SystemTime::now();
    let clock = Instant::now();
    let redactor = Arc::new(redactor.clone());
    let snapshots = Arc::new(crate::plan::read_snapshots(plan));
    let selected = crate::partition::select(plan, &opts.filters, opts.partition);
    on_event(&Event::Started {
        total: selected.len(),
    });
    let is_destructive =
        |(si, ci): &(usize, usize)| plan.suites[*si].suite.file.cases[*ci].destructive;
    let (safe, destructive): (Vec<Ordered>, Vec<Ordered>) = selected
        .iter()
        .copied()
        .enumerate()
        .partition(|(_, c)| !is_destructive(c));
    let gates =
        Arc::new(gate::Gates::new(targets.values().map(|t| {
            (t.base_url.as_str(), t.policy.rate_limit, t.policy.budget)
        })));
    let mut transports: HashMap<String, (Transport, Arc<tokio::sync::Semaphore>)> = HashMap::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let mut results: Vec<(usize, CaseResult)> = Vec::new();
    let mut pending: Vec<(usize, Vec<(PathBuf, String)>)> = Vec::new();
    let deadline = opts.deadline.map(|d| tokio::time::Instant::now() + d);
    let mut late = false;
    // Destructive cases run after every other case has finished, one at a time.
    'phases: for (phase, batch) in [safe, destructive].into_iter().enumerate() {
        let limit = if phase == 0 {
            limit.clone()
        } else {
            Arc::new(tokio::sync::Semaphore::new(1))
        };
        for (order, (si, ci)) in batch {
            let ps = &plan.suites[si];
            if let Some(r) = excluded(ps, ci) {
                on_event(&Event::CaseFinished(&r));
                results.push((order, r));
                continue;
            }
            let Some(target) = targets.get(&ps.suite.file.api).cloned() else {
                let r = not_run(ps, ci, format!("no target for api `{}`", ps.suite.file.api));
                on_event(&Event::CaseFinished(&r));
                results.push((order, r));
                continue;
            };
            if let Some(why) = &ps.suite.file.cases[ci].skip {
                let r = not_run(ps, ci, why.clone());
                on_event(&Event::CaseFinished(&r));
                results.push((order, r));
                continue;
            }
            if ps.suite.file.cases[ci].destructive
                && !opts.allow_destructive
                && !target.policy.allow_destructive
                && !is_loopback(&target.base_url)
            {
                let r = not_run(ps, ci, "destructive case refused: the target is not on loopback (allow with --allow-destructive, or allow_destructive = true for the target in the profile)".into());
                on_event(&Event::CaseFinished(&r));
                results.push((order, r));
                continue;
            }
            let (transport, own_limit) = match transports.get(&target.api) {
                Some(t) => t.clone(),
                None => match Transport::new(&target, gates.clone(), &redactor) {
                    Ok(t) => {
                        let cases = target
                            .policy
                            .concurrency
                            .unwrap_or(usize::MAX)
                            .clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
                        let entry = (t, Arc::new(tokio::sync::Semaphore::new(cases)));
                        transports.insert(target.api.clone(), entry.clone());
                        entry
                    }
                    Err(e) => {
                        let mut r = blank_result(ps, ci);
                        r.errors.push(HarnessError {
                            kind: crate::finding::HarnessErrorKind::InvalidRequest,
                            step: 0,
                            message: e,
                            curl: None,
                        });
                        r.close();
                        results.push((order, r));
                        continue;
                    }
                },
            };
            let suite = PlannedSuite {
                suite: ps.suite.clone(),
                spec: ps.spec.clone(),
                protocol: ps.protocol.clone(),
                arazzo: ps.arazzo.clone(),
                catalogue: ps.catalogue.clone(),
            };
            let (redactor, snapshots, limit) = (redactor.clone(), snapshots.clone(), limit.clone());
            tasks.spawn(async move {
                let _target_permit = own_limit.acquire_owned().await;
                let _permit = limit.acquire_owned().await;
                let (result, pending) =
                    run_case_with(&suite, ci, &target, &transport, &redactor, &snapshots).await;
                (order, result, pending)
            });
            // Destructive cases change the target's state, so each one finishes before the
            // next starts, in the order of the plan: the same run gives the same results.
            if phase == 1 {
                match join_before(&mut tasks, deadline).await {
                    Ok(Some(joined)) => finished(joined, &mut on_event, &mut results, &mut pending),
                    Ok(None) => {}
                    Err(Late) => {
                        late = true;
                        break 'phases;
                    }
                }
            }
        }
        loop {
            match join_before(&mut tasks, deadline).await {
                Ok(Some(joined)) => finished(joined, &mut on_event, &mut results, &mut pending),
                Ok(None) => break,
                Err(Late) => {
                    late = true;
                    break 'phases;
                }
            }
        }
    }
    if late {
        tasks.shutdown().await;
        let allowed = opts.deadline.unwrap_or_default();
        let done: std::collections::HashSet<usize> = results.iter().map(|(o, _)| *o).collect();
        for (order, &(si, ci)) in selected.iter().enumerate() {
            if done.contains(&order) {
                continue;
            }
            let mut r = blank_result(&plan.suites[si], ci);
            r.errors.push(HarnessError {
                kind: crate::finding::HarnessErrorKind::Deadline,
                step: 0,
                message: format!(
                    "the run's deadline of {} passed before this case finished",
                    crate::term::seconds(allowed.as_millis() as u64)
                ),
                curl: None,
            });
            r.close();
            on_event(&Event::CaseFinished(&r));
            results.push((order, r));
        }
    }
    gates
        .breakers()
        .tell_refusals(results.iter_mut().flat_map(|(_, r)| r.errors.iter_mut()));
    results.sort_by_key(|(o, _)| *o);
    if opts.update_snapshots {
        store_snapshots(&mut results, pending);
    }
    let cases: Vec<CaseResult> = results.into_iter().map(|(_, r)| r).collect();
    let mut api_targets: Vec<crate::run::Target> = targets
        .values()
        .filter(|t| plan.apis().contains(&t.api))
        .map(|t| crate::run::Target {
            api: t.api.clone(),
            base_url: redactor.text(&t.base_url),
            mock: t.mock,
        })
        .collect();
    api_targets.sort_by(|a, b| a.api.cmp(&b.api));
    let summary = RunSummary::of_plan(
        plan,
        cases,
        started,
        clock.elapsed().as_millis() as u64,
        opts.profile.clone(),
        api_targets,
        &opts.require_coverage,
    );
    on_event(&Event::Finished(&summary));
    summary
}

type Finished = (usize, CaseResult, Vec<(PathBuf, String)>);

/// The run's deadline passed.
struct Late;

/// The next case task to end (`None` when none is left), or [`Late`] when the deadline comes
/// first.
async fn join_before(
    tasks: &mut tokio::task::JoinSet<Finished>,
    deadline: Option<tokio::time::Instant>,
) -> Result<Option<Result<Finished, tokio::task::JoinError>>, Late> {
    match deadline {
        Some(at) => tokio::time::timeout_at(at, tasks.join_next())
            .await
            .map_err(|_| Late),
        None => Ok(tasks.join_next().await),
    }
}

/// Records a finished case task: its result, its new snapshots, and the event.
fn finished(
    joined: Result<Finished, tokio::task::JoinError>,
    on_event: &mut impl FnMut(&Event<'_>),
    results: &mut Vec<(usize, CaseResult)>,
    pending: &mut Vec<(usize, Vec<(PathBuf, String)>)>,
) {
    if let Ok((order, result, snaps)) = joined {
        on_event(&Event::CaseFinished(&result));
        results.push((order, result));
        pending.push((order, snaps));
    }
}

/// A case (suite index, case index) with its place in the run order.
type Ordered = (usize, (usize, usize));

/// True when the URL's host is a loopback address or `localhost`.
pub fn is_loopback(base_url: &str) -> bool {
    match url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host().map(|h| h.to_owned()))
    {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

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
            let flow = walk::run(&env, si, step, w, &vars, &mut previous_walk, &mut result).await;
            pending.extend(flow.snapshots);
            match flow.next {
                walk::Next::Continue => continue,
                walk::Next::Stop => break,
                walk::Next::Skip => {
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
        let (built, delivery) = match sent {
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
        let recorded = record(si, &built, delivery, redactor);
        if let Some(e) = recorded.error {
            result.exchanges.extend(recorded.exchange);
            result.errors.push(e);
            break;
        }
        let exchange = recorded
            .exchange
            .expect("an exchange when sending succeeded");
        let raw_json = recorded.raw_json;
        let judged = judge::Judged {
            suite: ps,
            case: ci,
            step: si,
            operation: built.operation,
            exchange,
            json: raw_json,
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

/// What every step of a case shares.
pub(crate) struct Env<'a> {
    pub(crate) ps: &'a PlannedSuite,
    pub(crate) ci: usize,
    pub(crate) target: &'a Target,
    /// The target's transport: its client, limits, budget and retries.
    pub(crate) transport: &'a Transport,
    pub(crate) redactor: &'a Redactor,
    pub(crate) snapshots: &'a HashMap<PathBuf, String>,
    /// Checks the case switched off.
    pub(crate) waived: &'a [String],
}

/// One request sent, recorded and judged.
pub(crate) struct Sent {
    /// `None` when nothing was sent (the request budget refused it).
    pub(crate) exchange: Option<Exchange>,
    /// The response body as JSON, before redaction (for captures and walks).
    pub(crate) raw_json: Option<Value>,
    /// The checks' findings (redacted) and snapshots; empty when sending failed.
    pub(crate) output: check::Output,
    /// Why there is no complete response, when there is none.
    pub(crate) error: Option<HarnessError>,
}

/// Sends a built request, records the exchange with secrets redacted, and runs every check
/// the case does not waive on it.
pub(crate) async fn send_and_judge(
    env: &Env<'_>,
    si: usize,
    step: &crate::suite::Step,
    built: request::Built<'_>,
    vars: &Vars,
) -> Sent {
    let expected = step.expect.statuses();
    let case = &env.ps.suite.file.cases[env.ci];
    let delivery = env
        .transport
        .sender()
        .deliver(&built.request, &expected, !case.destructive)
        .await;
    let recorded = record(si, &built, delivery, env.redactor);
    let (Some(exchange), None) = (recorded.exchange, &recorded.error) else {
        return Sent {
            exchange: None,
            raw_json: recorded.raw_json,
            output: check::Output::default(),
            error: recorded.error,
        };
    };
    let mut judged = judge::Judged {
        suite: env.ps,
        case: env.ci,
        step: si,
        operation: built.operation,
        exchange,
        json: recorded.raw_json,
    };
    let output = judge::checks(&mut judged, vars, env.snapshots, env.redactor);
    Sent {
        exchange: Some(judged.exchange),
        raw_json: judged.json,
        output,
        error: None,
    }
}

/// A request as it went out and what came back, redacted for the record.
pub(crate) struct Recorded {
    /// `None` when nothing was sent (the request budget refused it).
    pub(crate) exchange: Option<Exchange>,
    /// The response body as JSON, before redaction.
    pub(crate) raw_json: Option<Value>,
    /// Why there is no complete response, when there is none.
    pub(crate) error: Option<HarnessError>,
}

/// Records a delivery: the redacted request with its curl line, the redacted response, the
/// attempts it took, and the harness error when the response did not come whole.
pub(crate) fn record(
    si: usize,
    built: &request::Built<'_>,
    delivery: transport::Delivery,
    redactor: &Redactor,
) -> Recorded {
    let curl = curl::curl_line(
        &built.method,
        &built.url,
        &built.headers,
        built.body.as_deref(),
        redactor,
    );
    let error = |kind, message: &str, curl: String| HarnessError {
        kind,
        step: si,
        message: redactor.text(message),
        curl: Some(curl),
    };
    if delivery.attempts == 0
        && let http::Sent::Failed { kind, message, .. } = delivery.sent
    {
        return Recorded {
            exchange: None,
            raw_json: None,
            error: Some(error(kind, &message, curl)),
        };
    }
    let (mut response, elapsed, failure) = match delivery.sent {
        http::Sent::Response(r, d) => (Some(r), d, None),
        http::Sent::Failed {
            kind,
            message,
            partial,
            elapsed,
        } => (partial, elapsed, Some((kind, message))),
    };
    let raw_json = response.as_mut().and_then(|r| r.json.take());
    let exchange = Exchange {
        step: si,
        page: None,
        link: None,
        operation: built.operation.map(|o| o.name()),
        request: RecordedRequest {
            method: built.method.clone(),
            url: redactor.text(&built.url),
            headers: built
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), redactor.header(n, v)))
                .collect(),
            body: built.body.as_deref().map(|b| redactor.text(b)),
        },
        response: response.map(|r| redact_response(r, redactor)),
        duration_ms: elapsed.as_millis() as u64,
        curl: curl.clone(),
        attempts: delivery.attempts,
        retried: delivery.retried,
    };
    Recorded {
        exchange: Some(exchange),
        raw_json,
        error: failure.map(|(kind, message)| error(kind, &message, curl)),
    }
}

fn redact_response(mut r: RecordedResponse, redactor: &Redactor) -> RecordedResponse {
    r.headers = r
        .headers
        .into_iter()
        .map(|(n, v)| {
            let v = redactor.header(&n, &v);
            (n, v)
        })
        .collect();
    r.body = redactor.owned(std::mem::take(&mut r.body));
    r.json = None;
    r
}

/// Writes new snapshots and drops the findings they answer.
fn store_snapshots(
    cases: &mut [(usize, CaseResult)],
    pending: Vec<(usize, Vec<(PathBuf, String)>)>,
) {
    for (order, snaps) in pending {
        if snaps.is_empty() {
            continue;
        }
        for (path, content) in snaps {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(&path, content);
        }
        if let Some((_, c)) = cases.iter_mut().find(|(o, _)| *o == order) {
            c.findings.retain(|f| f.check != "expect-snapshot");
            c.judge();
        }
    }
}
