//! Running a plan: cases concurrently up to a limit, the steps of a case in order, each exchange
//! recorded (secrets redacted) and judged by the checks as soon as it completes. A `walk` step
//! follows the pages of a list, one exchange per page, and the walk is judged as a whole at its
//! end (`page_walk`).
//!
//! The main entry is [`run_plan`]; [`Target`] says where an API's requests go and its
//! [`Policy`] how (credentials, TLS, limits, retries). One case runs in `case`, each of its
//! steps is sent, recorded and judged in `step`, through the target's
//! [`transport::Transport`].

mod arazzo;
pub mod breaker;
mod case;
pub mod curl;
pub mod gate;
pub mod http;
pub(crate) mod judge;
pub mod oauth;
pub(crate) mod page_walk;
pub mod policy;
pub(crate) mod request;
pub mod retry;
mod step;
pub mod transport;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::finding::HarnessError;
use crate::plan::Plan;
use crate::redact::Redactor;
use crate::run::{CaseResult, Event, RunSummary};
use crate::template::Vars;

pub(crate) use case::{base_vars, blank_result, case_vars, excluded, not_run};
pub use case::{run_case, run_case_with};
pub use http::Limits;
pub use policy::Policy;
pub(crate) use step::{Env, record, record_taken, send_and_judge};
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
    let (safe, destructive) = start_order(plan, &selected, opts.concurrency);
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
    // Twice the cases that may run at once: cases held back by their own target's limit
    // leave others room to start.
    let window = opts.concurrency.max(1).saturating_mul(2);
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
            let suite = ps.clone();
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
            // Other cases are spawned as there is room: a few more than can run at once wait
            // their turn, not the whole plan (each waiting task holds its state).
            let keep = if phase == 1 { 0 } else { window - 1 };
            let joined = join_down_to(
                keep,
                &mut tasks,
                deadline,
                &mut on_event,
                &mut results,
                &mut pending,
            );
            if joined.await.is_err() {
                late = true;
                break 'phases;
            }
        }
        let joined = join_down_to(
            0,
            &mut tasks,
            deadline,
            &mut on_event,
            &mut results,
            &mut pending,
        );
        if joined.await.is_err() {
            late = true;
            break 'phases;
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
    if opts.update_snapshots {
        store_snapshots(&mut results, pending);
    }
    let cases = in_plan_order(results);
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

/// Takes finished case tasks as they end until at most `keep` are left, or the run's deadline
/// passes.
async fn join_down_to(
    keep: usize,
    tasks: &mut tokio::task::JoinSet<Finished>,
    deadline: Option<tokio::time::Instant>,
    on_event: &mut impl FnMut(&Event<'_>),
    results: &mut Vec<(usize, CaseResult)>,
    pending: &mut Vec<(usize, Vec<(PathBuf, String)>)>,
) -> Result<(), Late> {
    while tasks.len() > keep {
        match join_before(tasks, deadline).await? {
            Some(joined) => finished(joined, on_event, results, pending),
            None => break,
        }
    }
    Ok(())
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

/// The selected cases, numbered in the plan's order, in the order they start: those that may
/// run at once, then the destructive ones, which run one at a time in the plan's order.
///
/// A run lasts at least as long as its longest case. When several run at once, the cases
/// that walk paginated lists (then those with the most steps) start first, so the short ones
/// fill the end instead of one long walk running alone after all the others. Results keep the
/// plan's order; one case at a time keeps it for starting too.
fn start_order(
    plan: &Plan,
    selected: &[(usize, usize)],
    concurrency: usize,
) -> (Vec<Ordered>, Vec<Ordered>) {
    let is_destructive =
        |(si, ci): &(usize, usize)| plan.suites[*si].suite.file.cases[*ci].destructive;
    let (mut safe, destructive): (Vec<Ordered>, Vec<Ordered>) = selected
        .iter()
        .copied()
        .enumerate()
        .partition(|(_, c)| !is_destructive(c));
    if concurrency > 1 {
        safe.sort_by_key(|(_, (si, ci))| std::cmp::Reverse(length(&plan.suites[*si], *ci)));
    }
    (safe, destructive)
}

/// How long a case is likely to take, to start the longest first: its walks (each many pages),
/// then its steps.
fn length(ps: &crate::plan::PlannedSuite, ci: usize) -> (usize, usize) {
    let steps = &ps.suite.file.cases[ci].steps;
    let walks = steps.iter().filter(|s| s.walk.is_some()).count();
    (walks, steps.len())
}

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

/// Writes new snapshots and drops the findings they answer.
/// The results in the order of the plan (the order each was started under), as a stable sort
/// by that order puts them; only their places are sorted, not the results themselves.
fn in_plan_order(results: Vec<(usize, CaseResult)>) -> Vec<CaseResult> {
    let mut places: Vec<(usize, usize)> = results
        .iter()
        .enumerate()
        .map(|(at, (order, _))| (*order, at))
        .collect();
    places.sort_unstable();
    let mut results: Vec<Option<CaseResult>> = results.into_iter().map(|(_, r)| Some(r)).collect();
    let mut ordered = Vec::with_capacity(results.len());
    ordered.extend(places.into_iter().filter_map(|(_, at)| results[at].take()));
    ordered
}

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
            c.findings
                .retain(|f| f.check != crate::check::expect_snapshot::ID);
            c.judge();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_plan_order_and_equal_orders_keep_theirs() {
        let (plan, selected) = cdr();
        let ps = &plan.suites[selected[0].0];
        let named = |order: usize, name: &str| {
            let mut r = blank_result(ps, selected[0].1);
            r.name = name.to_owned();
            (order, r)
        };
        let results = vec![
            named(2, "c"),
            named(0, "a"),
            named(1, "b1"),
            named(3, "d"),
            named(1, "b2"),
        ];
        let names: Vec<String> = in_plan_order(results).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["a", "b1", "b2", "c", "d"]);
    }

    fn cdr() -> (Plan, Vec<(usize, usize)>) {
        let plan = crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the CDR suite loads");
        let selected = crate::partition::select(&plan, &[], None);
        (plan, selected)
    }

    fn walks(plan: &Plan, (si, ci): (usize, usize)) -> bool {
        plan.suites[si].suite.file.cases[ci]
            .steps
            .iter()
            .any(|s| s.walk.is_some())
    }

    #[test]
    fn the_longest_cases_start_first_when_several_run_at_once() {
        let (plan, selected) = cdr();
        let walking = selected.iter().filter(|c| walks(&plan, **c)).count();
        assert!(walking >= 2 && selected.len() > walking);
        let (safe, destructive) = start_order(&plan, &selected, 8);
        assert!(destructive.is_empty());
        assert_eq!(safe.len(), selected.len());
        assert!(
            safe[..walking].iter().all(|(_, c)| walks(&plan, *c)),
            "the walks start first"
        );
        // Each keeps its number in the plan's order, and equals keep their order.
        assert!(safe.iter().all(|(order, c)| selected[*order] == *c));
        assert!(safe[walking..].windows(2).all(|w| {
            length(&plan.suites[w[0].1.0], w[0].1.1) != length(&plan.suites[w[1].1.0], w[1].1.1)
                || w[0].0 < w[1].0
        }));
    }

    #[test]
    fn one_case_at_a_time_starts_in_the_plans_order() {
        let (plan, selected) = cdr();
        let (safe, _) = start_order(&plan, &selected, 1);
        let expected: Vec<Ordered> = selected.iter().copied().enumerate().collect();
        assert_eq!(safe, expected);
    }
}
