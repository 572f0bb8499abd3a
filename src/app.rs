//! What the commands share: choosing a target for each API (a profile, `--target`, or the
//! built-in mocks), gathering the variables and secrets suites need, and starting mocks.

use std::collections::HashMap;
use std::net::SocketAddr;

use serde_json::Value;

use crate::exec::{Limits, Policy, Target};
use crate::mock::{self, MockOptions, RunningMock};
use crate::plan::Plan;
use crate::profile::{self, Profile};
use crate::redact::Redactor;
use crate::template::Vars;

/// Where the user pointed the run.
#[derive(Debug, Clone, Default)]
pub struct TargetArgs {
    /// `--target URL` (one API) or `--target api=URL`.
    pub targets: Vec<String>,
    pub profile: Option<Profile>,
    /// Directory of the profile file, for secret files given relative to it.
    pub profile_dir: Option<std::path::PathBuf>,
    pub limits: Limits,
    /// Seed of the mocks' data when the built-in mocks serve.
    pub data_seed: u64,
    /// Faults to switch on in the built-in mocks.
    pub faults: Vec<String>,
    /// Records the built-in mocks serve instead of their data seed's count (cdr).
    pub records: Option<usize>,
}

/// Targets chosen for a run, and anything started for it.
pub struct Resolved {
    pub targets: HashMap<String, Target>,
    pub redactor: Redactor,
    pub mocks: Vec<RunningMock>,
}

impl Resolved {
    /// Stops the mocks started for the run.
    pub async fn stop(self) {
        for m in self.mocks {
            m.stop().await;
        }
    }
}

/// Chooses a target for every API in the plan. With neither `--target` nor a profile, the
/// built-in mocks start on loopback. Errors are for the user (exit code 2).
pub async fn resolve(plan: &Plan, args: &TargetArgs) -> Result<Resolved, Vec<String>> {
    let apis = plan.apis();
    let mut explicit: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    for t in &args.targets {
        match t.split_once('=') {
            Some((api, url)) if !api.contains('/') && !api.contains(':') => {
                explicit.insert(api.to_owned(), url.to_owned());
            }
            _ if apis.len() == 1 => {
                explicit.insert(apis[0].clone(), t.clone());
            }
            _ => problems.push(format!(
                "--target {t}: the suites cover several APIs ({}); write --target API=URL",
                apis.join(", ")
            )),
        }
    }
    for (api, url) in &explicit {
        if !apis.contains(api) {
            problems.push(format!(
                "--target names api `{api}`, which no selected suite covers"
            ));
        }
        if url::Url::parse(url)
            .map(|u| !matches!(u.scheme(), "http" | "https"))
            .unwrap_or(true)
        {
            problems.push(format!("--target {url}: not an absolute http(s) URL"));
        }
    }
    let use_mocks = args.targets.is_empty() && args.profile.is_none();
    let mut secrets: Vec<String> = Vec::new();
    let mut targets = HashMap::new();
    let mut mocks = Vec::new();
    for api in &apis {
        let tp = args.profile.as_ref().and_then(|p| p.targets.get(api));
        let mut vars = Vars::default();
        let mut mock_flag = false;
        let base_url = if let Some(url) = explicit.get(api) {
            url.clone()
        } else if let Some(url) = tp.and_then(|t| t.base_url.clone()) {
            url
        } else if use_mocks {
            let Some(m) = mock::find(api) else {
                problems.push(format!(
                    "there is no built-in mock for api `{api}`: give --target or a profile"
                ));
                continue;
            };
            let token = format!("mock-{}", uuid::Uuid::new_v4().simple());
            let opts = MockOptions {
                token: token.clone(),
                data_seed: args.data_seed,
                faults: args.faults.clone(),
                records: args.records,
            };
            match mock::serve(m, &opts, SocketAddr::from(([127, 0, 0, 1], 0))).await {
                Ok(running) => {
                    for (name, value) in (m.credentials)(&opts) {
                        vars.set(name, Value::String(value.clone()));
                        secrets.push(value);
                    }
                    vars.set("token", Value::String(token.clone()));
                    secrets.push(token);
                    mock_flag = true;
                    let url = running.base_url.clone();
                    mocks.push(running);
                    url
                }
                Err(e) => {
                    problems.push(format!("cannot start the {api} mock: {e}"));
                    continue;
                }
            }
        } else {
            problems.push(format!("no target for api `{api}`: add targets.{api}.base_url to the profile or give --target"));
            continue;
        };
        let mut limits = args.limits;
        let mut policy = Policy::default();
        if let Some(t) = tp {
            for (k, v) in &t.vars {
                vars.set(k.clone(), Value::String(v.clone()));
            }
            let base = args.profile_dir.clone().unwrap_or_default();
            for (k, s) in &t.secrets {
                match s.read(&base) {
                    Ok(v) => {
                        secrets.push(v.clone());
                        vars.set(k.clone(), Value::String(v));
                    }
                    Err(e) => problems.push(format!("targets.{api}.secrets.{k}: {e}")),
                }
            }
            if let Some(secs) = t.timeout_secs {
                limits.timeout = std::time::Duration::from_secs(secs);
            }
            match Policy::from_profile(api, t, &base, &mut secrets) {
                Ok(p) => policy = p,
                Err(e) => problems.extend(e),
            }
        }
        for ps in plan.suites.iter().filter(|s| &s.suite.file.api == api) {
            // A defaulted variable may also come from the environment (as a secret).
            for name in ps.suite.file.vars.keys() {
                if vars.contains(name) {
                    continue;
                }
                if let Ok(v) = std::env::var(profile::env_var_name(api, name)) {
                    secrets.push(v.clone());
                    vars.set(name.clone(), Value::String(v));
                }
            }
            for name in &ps.suite.file.requires {
                if vars.contains(name)
                    || policy.oauth2.as_ref().is_some_and(|o| &o.variable == name)
                {
                    continue;
                }
                let env = profile::env_var_name(api, name);
                match std::env::var(&env) {
                    Ok(v) => {
                        secrets.push(v.clone());
                        vars.set(name.clone(), Value::String(v));
                    }
                    Err(_) => problems.push(format!(
                        "suite {} requires `{name}`: set it in the profile (targets.{api}.vars or .secrets) or in the environment variable {env}",
                        ps.suite.doc.file
                    )),
                }
            }
        }
        // An Arazzo workflow's optional inputs may also come from the environment (as secrets).
        let arazzo = plan.suites.iter().filter(|s| &s.suite.file.api == api);
        for flows in arazzo.filter_map(|s| s.arazzo.as_ref()) {
            for name in flows.optional_inputs() {
                if vars.contains(&name) {
                    continue;
                }
                if let Ok(v) = std::env::var(profile::env_var_name(api, &name)) {
                    secrets.push(v.clone());
                    vars.set(name, Value::String(v));
                }
            }
        }
        for ps in plan.suites.iter().filter(|s| &s.suite.file.api == api) {
            problems.extend(crate::inputs::target_problems(
                api,
                &vars,
                tp,
                &ps.suite.doc.file,
                &ps.suite.file.var_formats,
            ));
        }
        targets.insert(
            api.clone(),
            Target {
                api: api.clone(),
                base_url,
                vars,
                mock: mock_flag,
                limits,
                policy,
            },
        );
    }
    problems.sort();
    problems.dedup();
    if !problems.is_empty() {
        for m in mocks {
            m.stop().await;
        }
        return Err(problems);
    }
    Ok(Resolved {
        targets,
        redactor: Redactor::new(secrets),
        mocks,
    })
}
