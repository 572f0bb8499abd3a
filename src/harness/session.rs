//! One run of a [`Harness`](super::Harness): what its trials share.
//!
//! An API's target starts, and its variables and secrets are gathered, when the first case of
//! that API runs; every later case of the API reuses them. Each case runs through the same
//! executor as `accord run`, and its result is kept for the reports. The main type is
//! [`Session`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use libtest_mimic::{Completion, Failed};

use super::target::{Started, Target};
use crate::app::{self, TargetArgs};
use crate::exec::{self, Limits, gate::Gates, transport::Transport};
use crate::mock::RunningMock;
use crate::plan::{Plan, PlannedSuite};
use crate::profile::Profile;
use crate::redact::Redactor;
use crate::run::{self, CaseResult, Outcome};

/// A target shared by the APIs it serves: started once, stopped at the end.
pub(crate) struct Slot {
    target: Mutex<Option<Target>>,
    vars: Vec<(String, String)>,
    secrets: Vec<(String, String)>,
    started: Mutex<Option<Started>>,
    /// The base URL and description once started, or why it could not start.
    outcome: OnceLock<Result<(String, String), String>>,
}

impl Slot {
    pub(crate) fn new(target: Target) -> Slot {
        Slot {
            vars: target.vars().to_vec(),
            secrets: target.secrets().to_vec(),
            target: Mutex::new(Some(target)),
            started: Mutex::new(None),
            outcome: OnceLock::new(),
        }
    }

    fn start(&self, runtime: &tokio::runtime::Runtime) -> Result<(String, String), String> {
        self.outcome
            .get_or_init(|| {
                let target = lock(&self.target)
                    .take()
                    .ok_or("the target was already used")?;
                let started = runtime.block_on(target.start())?;
                let shown = (started.base_url.clone(), started.described.clone());
                *lock(&self.started) = Some(started);
                Ok(shown)
            })
            .clone()
    }
}

/// One API, ready for its cases.
struct Api {
    target: exec::Target,
    transport: Transport,
    redactor: Redactor,
    /// What reports say the target was.
    shown: run::Target,
    /// Destructive cases hold it alone: they change the target's state under other cases.
    exclusive: RwLock<()>,
    /// The profile's `concurrency` for the target.
    in_flight: tokio::sync::Semaphore,
}

/// What every trial of one run shares.
pub(crate) struct Session {
    pub(crate) plan: Arc<Plan>,
    profile: Option<Profile>,
    profile_dir: Option<PathBuf>,
    slots: HashMap<String, Arc<Slot>>,
    apis: HashMap<String, OnceLock<Result<Arc<Api>, String>>>,
    snapshots: HashMap<PathBuf, String>,
    runtime: OnceLock<tokio::runtime::Runtime>,
    mocks: Mutex<Vec<RunningMock>>,
    results: Mutex<Vec<(usize, CaseResult)>>,
    pub(crate) started_at: std::time::SystemTime,
    pub(crate) clock: std::time::Instant,
}

/// What a finished session leaves for the reports.
pub(crate) struct Finished {
    /// The cases that ran, with their position in the plan, in plan order.
    pub(crate) results: Vec<(usize, CaseResult)>,
    pub(crate) targets: Vec<run::Target>,
    pub(crate) secrets: Vec<String>,
}

impl Session {
    pub(crate) fn new(
        plan: Arc<Plan>,
        profile: Option<(Profile, Option<PathBuf>)>,
        slots: HashMap<String, Arc<Slot>>,
    ) -> Session {
        let apis = plan
            .apis()
            .into_iter()
            .map(|a| (a, OnceLock::new()))
            .collect();
        let snapshots = crate::plan::read_snapshots(&plan);
        let (profile, profile_dir) = match profile {
            Some((p, dir)) => (Some(p), dir),
            None => (None, None),
        };
        Session {
            plan,
            profile,
            profile_dir,
            slots,
            apis,
            snapshots,
            runtime: OnceLock::new(),
            mocks: Mutex::new(Vec::new()),
            results: Mutex::new(Vec::new()),
            started_at: std::time::SystemTime::now(),
            clock: std::time::Instant::now(),
        }
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime")
        })
    }

    fn api(&self, name: &str) -> Result<Arc<Api>, String> {
        self.apis
            .get(name)
            .ok_or_else(|| format!("no suite covers api `{name}`"))?
            .get_or_init(|| self.open(name).map(Arc::new))
            .clone()
    }

    /// Starts the API's target and gathers its variables and secrets, the way `accord run`
    /// does for `--target` and `--env`.
    fn open(&self, api: &str) -> Result<Api, String> {
        let runtime = self.runtime();
        let slot = self.slots.get(api);
        let started = slot.map(|s| s.start(runtime)).transpose()?;
        let values = slot
            .into_iter()
            .flat_map(|s| s.vars.iter().chain(&s.secrets));
        let profile = with_values(self.profile.as_ref(), api, values);
        let plan = Plan {
            suites: self
                .plan
                .suites
                .iter()
                .filter(|s| s.suite.file.api == api)
                .cloned()
                .collect(),
            specs: Vec::new(),
        };
        let args = TargetArgs {
            targets: started
                .iter()
                .map(|(url, _)| format!("{api}={url}"))
                .collect(),
            profile,
            profile_dir: self.profile_dir.clone(),
            limits: Limits::default(),
            data_seed: 1,
            ..TargetArgs::default()
        };
        let resolved = runtime
            .block_on(app::resolve(&plan, &args))
            .map_err(|p| p.join("\n"))?;
        for (_, secret) in slot.iter().flat_map(|s| &s.secrets) {
            resolved.redactor.add(secret.clone());
        }
        let target = resolved
            .targets
            .get(api)
            .cloned()
            .ok_or_else(|| format!("no target for api `{api}`"))?;
        let gates = Arc::new(Gates::new([(
            target.base_url.as_str(),
            target.policy.rate_limit,
            target.policy.budget,
        )]));
        let transport = Transport::new(&target, gates, &resolved.redactor)?;
        let shown = run::Target {
            api: api.to_owned(),
            base_url: match &started {
                Some((_, described)) => resolved.redactor.text(described),
                None => resolved.redactor.text(&target.base_url),
            },
            mock: target.mock,
        };
        lock(&self.mocks).extend(resolved.mocks);
        let permits = target
            .policy
            .concurrency
            .unwrap_or(tokio::sync::Semaphore::MAX_PERMITS)
            .clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        Ok(Api {
            transport,
            redactor: resolved.redactor,
            shown,
            exclusive: RwLock::new(()),
            in_flight: tokio::sync::Semaphore::new(permits),
            target,
        })
    }

    /// Runs one case: the body of its trial.
    pub(crate) fn run_case(
        &self,
        si: usize,
        ci: usize,
        order: usize,
    ) -> Result<Completion, Failed> {
        let ps = &self.plan.suites[si];
        let before = exec::excluded(ps, ci).or_else(|| {
            let why = ps.suite.file.cases[ci].skip.as_ref()?;
            Some(skipped(ps, ci, why))
        });
        if let Some(result) = before {
            let why = result.skip_reason.clone().unwrap_or_default();
            lock(&self.results).push((order, result));
            return Ok(Completion::ignored_with(why));
        }
        let api = self
            .api(&ps.suite.file.api)
            .map_err(|e| Failed::from(format!("cannot test: {e}")))?;
        let destructive = ps.suite.file.cases[ci].destructive;
        let result = if destructive
            && !api.target.policy.allow_destructive
            && !exec::is_loopback(&api.target.base_url)
        {
            skipped(
                ps,
                ci,
                "destructive case refused: the target is not on loopback (allow it with allow_destructive = true for the target in the profile)",
            )
        } else {
            let _alone = destructive.then(|| {
                api.exclusive
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
            });
            let _shared = (!destructive)
                .then(|| api.exclusive.read().unwrap_or_else(PoisonError::into_inner));
            self.runtime().block_on(async {
                let _permit = api.in_flight.acquire().await;
                exec::run_case_with(
                    ps,
                    ci,
                    &api.target,
                    &api.transport,
                    &api.redactor,
                    &self.snapshots,
                )
                .await
                .0
            })
        };
        let verdict = match result.outcome {
            Outcome::Passed | Outcome::Waived => Ok(Completion::Completed),
            Outcome::Skipped => Ok(Completion::ignored_with(
                result.skip_reason.clone().unwrap_or_default(),
            )),
            Outcome::Failed | Outcome::Errored => {
                Err(Failed::from(api.redactor.text(&failure_text(&result))))
            }
        };
        lock(&self.results).push((order, result));
        verdict
    }

    /// Stops every target and mock the run started, and hands over what the reports need.
    pub(crate) fn finish(&self) -> Finished {
        let mut targets = Vec::new();
        let mut secrets = Vec::new();
        for cell in self.apis.values() {
            if let Some(Ok(api)) = cell.get() {
                targets.push(api.shown.clone());
                secrets.extend(api.redactor.secrets());
            }
        }
        targets.sort_by(|a, b| a.api.cmp(&b.api));
        if let Some(runtime) = self.runtime.get() {
            runtime.block_on(async {
                for slot in self.slots.values() {
                    let started = lock(&slot.started).take();
                    if let Some(mut s) = started {
                        s.stop().await;
                    }
                }
                let mocks: Vec<RunningMock> = lock(&self.mocks).drain(..).collect();
                for m in mocks {
                    m.stop().await;
                }
            });
        }
        let mut results = std::mem::take(&mut *lock(&self.results));
        results.sort_by_key(|(order, _)| *order);
        Finished {
            results,
            targets,
            secrets,
        }
    }
}

/// The profile with the variables and secrets given in code (`values`) set on `api`'s target,
/// over the profile's own; `None` when there is neither.
pub(crate) fn with_values<'v>(
    profile: Option<&Profile>,
    api: &str,
    values: impl IntoIterator<Item = &'v (String, String)>,
) -> Option<Profile> {
    let mut values = values.into_iter().peekable();
    if profile.is_none() && values.peek().is_none() {
        return None;
    }
    let mut profile = profile.cloned().unwrap_or_default();
    let target = profile.targets.entry(api.to_owned()).or_default();
    for (k, v) in values {
        target.vars.insert(k.clone(), v.clone());
    }
    Some(profile)
}

/// A case that did not run, with the reason.
fn skipped(ps: &PlannedSuite, ci: usize, why: &str) -> CaseResult {
    exec::not_run(ps, ci, why.to_owned())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a failing trial says: the case's line from the terminal summary, then each harness
/// error and finding in the text every report uses.
pub(crate) fn failure_text(case: &CaseResult) -> String {
    let label = match case.outcome {
        Outcome::Errored => "ERROR",
        _ => "FAIL",
    };
    let mut out = format!("{label} {}  {}", case.name, case.location);
    let errors = case.errors.iter().map(crate::report::describe_error);
    let findings = case.findings.iter().map(crate::report::describe);
    for text in errors.chain(findings) {
        for line in text.lines() {
            out.push_str("\n    ");
            out.push_str(line);
        }
    }
    out
}
