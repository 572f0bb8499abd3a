//! Every suite case as its own test, named `api::suite::case`, against the built-in mocks; plus,
//! per mock, one test per fault switch (the suite must catch it, with the right check; a lenient
//! variant must pass with warnings) and one per alternative data seed (the suite must hold on
//! data it has not seen).
//!
//! Listing (`cargo test --test suites -- --list`) loads suites and specs only: no mock starts
//! and no connection opens until a test runs.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use libtest_mimic::{Arguments, Failed, Trial};

use accord::exec::{self, Limits, RunOptions, Target};
use accord::mock::{self, MockOptions};
use accord::plan::{self, Plan};
use accord::redact::Redactor;
use accord::run::{Outcome, RunSummary};
use accord::template::Vars;

/// Which case must fail, with which check, under each fault switch of a mock: one file per
/// API, `tests/fixtures/caught/<api>.txt`, one `fault case check` line per fault.
fn caught(api: &str) -> Vec<(String, String, String)> {
    caught_lines(api)
        .into_iter()
        .map(|l| (l.fault, l.case, l.check))
        .collect()
}

/// One line of a caught table.
struct Caught {
    fault: String,
    case: String,
    check: String,
    /// The data seed the fault is run on: 1, or `seed=N` after the check, for a fault that
    /// only a larger data set shows (a page maximum, say).
    seed: u64,
    /// `warning` after the check: the fault breaks a recommendation, so the case passes with a
    /// warning of the check instead of failing.
    warns: bool,
}

fn caught_lines(api: &str) -> Vec<Caught> {
    let path = root().join(format!("tests/fixtures/caught/{api}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let mut line = Caught {
                fault: w.next()?.to_owned(),
                case: w.next()?.to_owned(),
                check: w.next()?.to_owned(),
                seed: 1,
                warns: false,
            };
            for word in w {
                match word.strip_prefix("seed=") {
                    Some(n) => line.seed = n.parse().ok()?,
                    None if word == "warning" => line.warns = true,
                    None => return None,
                }
            }
            Some(line)
        })
        .collect()
}

/// Data seeds the suites must also hold on (0 is the empty data set).
const OTHER_SEEDS: &[u64] = &[0, 2, 3, 5, 8, 13];

const TOKEN: &str = "suite-test-token";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_plan() -> Arc<Plan> {
    match plan::load(&[PathBuf::from("suites")]) {
        Ok(p) => Arc::new(p),
        Err(d) => {
            for x in &d {
                eprint!("{}", x.render());
            }
            panic!("the suites under suites/ must load");
        }
    }
}

/// Starts a mock with these options and returns its target.
async fn start(api: &str, seed: u64, faults: &[&str]) -> (Target, mock::RunningMock) {
    let m = mock::find(api).unwrap_or_else(|| panic!("no mock for {api}"));
    let opts = MockOptions {
        token: TOKEN.into(),
        data_seed: seed,
        faults: faults.iter().map(|f| f.to_string()).collect(),
        records: None,
    };
    let running = mock::serve(m, &opts, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the mock starts");
    let mut vars = Vars::default();
    for (name, value) in (m.credentials)(&opts) {
        vars.set(name, serde_json::Value::String(value));
    }
    vars.set("token", serde_json::Value::String(TOKEN.into()));
    let target = Target {
        api: api.into(),
        base_url: running.base_url.clone(),
        vars,
        mock: true,
        limits: Limits {
            timeout: std::time::Duration::from_secs(10),
            ..Limits::default()
        },
        policy: Default::default(),
    };
    (target, running)
}

/// The conformant mock of an API, started once and shared by the case tests.
fn shared_target(api: &str) -> Target {
    static TARGETS: OnceLock<std::sync::Mutex<HashMap<String, Target>>> = OnceLock::new();
    let map = TARGETS.get_or_init(Default::default);
    let mut map = map.lock().unwrap();
    if let Some(t) = map.get(api) {
        return t.clone();
    }
    let (target, running) = runtime().block_on(start(api, 1, &[]));
    std::mem::forget(running);
    map.insert(api.into(), target.clone());
    target
}

async fn run_api(plan: &Plan, api: &str, seed: u64, faults: &[&str]) -> RunSummary {
    let (target, running) = start(api, seed, faults).await;
    let targets = HashMap::from([(api.to_owned(), target)]);
    let opts = RunOptions {
        filters: vec![format!("{api}::")],
        ..RunOptions::default()
    };
    let summary = exec::run_plan(
        plan,
        &targets,
        &Redactor::new([TOKEN.to_owned()]),
        &opts,
        |_| {},
    )
    .await;
    running.stop().await;
    summary
}

fn describe_case(c: &accord::run::CaseResult) -> String {
    let mut out = format!("{} ({:?}) at {}\n", c.name, c.outcome, c.location);
    for f in &c.findings {
        out.push_str(&accord::report::describe(f));
        out.push('\n');
    }
    for e in &c.errors {
        out.push_str(&accord::report::describe_error(e));
        out.push('\n');
    }
    if let Some(r) = &c.skip_reason {
        out.push_str(&format!("skipped: {r}\n"));
    }
    out
}

fn case_trial(plan: Arc<Plan>, si: usize, ci: usize) -> Trial {
    let name = {
        let s = &plan.suites[si].suite;
        s.case_name(&s.file.cases[ci])
    };
    let excluded = plan.suites[si].suite.file.cases[ci].excluded.is_some();
    Trial::test(name, move || {
        let ps = &plan.suites[si];
        let api = ps.suite.file.api.clone();
        if mock::find(&api).is_none() {
            return Err(Failed::from(format!("no built-in mock for api `{api}`")));
        }
        let target = shared_target(&api);
        let client = exec::http::client(&target.limits).map_err(Failed::from)?;
        let redactor = Redactor::new([TOKEN.to_owned()]);
        let (result, _) = runtime().block_on(exec::run_case(
            ps,
            ci,
            &target,
            &client,
            &redactor,
            &HashMap::new(),
        ));
        match result.outcome {
            Outcome::Passed => Ok(()),
            Outcome::Skipped if result.excluded => Ok(()),
            Outcome::Skipped => Err(Failed::from(format!(
                "the reference mock must exercise every case\n{}",
                describe_case(&result)
            ))),
            _ => Err(Failed::from(describe_case(&result))),
        }
    })
    .with_ignored_flag(excluded)
}

/// Replaces what changes from run to run (ports, UUIDs, the order concurrent cases reach a
/// mock's request counter) so finding text can be snapshotted.
fn stable(text: &str) -> String {
    static RE: OnceLock<(regex::Regex, regex::Regex, regex::Regex)> = OnceLock::new();
    let (port, uuid, counter) = RE.get_or_init(|| {
        (
            regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap(),
            regex::Regex::new(
                r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            )
            .unwrap(),
            regex::Regex::new(r#""req-\d+""#).unwrap(),
        )
    });
    let text = port.replace_all(text, "127.0.0.1:[port]");
    let text = uuid.replace_all(&text, "[uuid]");
    counter.replace_all(&text, "\"req-[n]\"").into_owned()
}

fn fault_trial(plan: Arc<Plan>, api: &'static str, fault: &'static str) -> Trial {
    Trial::test(format!("faults::{api}::{fault}"), move || {
        let table = caught_lines(api);
        let Some(line) = table.iter().find(|l| l.fault == fault) else {
            return Err(Failed::from(format!(
                "fault `{fault}` has no line in tests/fixtures/caught/{api}.txt: say which case and check must catch it"
            )));
        };
        let (case, check) = (&line.case, &line.check);
        let summary = runtime().block_on(run_api(&plan, api, line.seed, &[fault]));
        if let Some(e) = summary.cases.iter().find(|c| c.outcome == Outcome::Errored) {
            return Err(Failed::from(format!(
                "no case may error under a fault\n{}",
                describe_case(e)
            )));
        }
        if (case.as_str(), check.as_str()) == ("-", "warnings") {
            return lenient(api, fault, &summary);
        }
        let Some(c) = summary.cases.iter().find(|c| c.id == *case) else {
            return Err(Failed::from(format!(
                "no case `{case}` in the {api} suites"
            )));
        };
        if line.warns {
            let warned = c.outcome == Outcome::Passed
                && c.findings
                    .iter()
                    .any(|f| f.check == *check && f.severity == accord::finding::Severity::Warning);
            if !warned {
                return Err(Failed::from(format!(
                    "fault `{fault}` must leave case `{case}` passing with a `{check}` warning\n{}",
                    describe_case(c)
                )));
            }
            return lenient(api, fault, &summary);
        }
        let caught = c.outcome == Outcome::Failed
            && c.findings
                .iter()
                .any(|f| f.check == *check && f.severity == accord::finding::Severity::Error);
        if !caught {
            return Err(Failed::from(format!(
                "fault `{fault}` must fail case `{case}` with a `{check}` finding\n{}",
                describe_case(c)
            )));
        }
        let text = stable(&describe_case(c));
        fault_snapshot(&format!("{api}__{fault}"), &text);
        Ok(())
    })
}

/// A lenient variant, or a fault that departs only from a recommendation, breaks no rule: every
/// case passes, some with warnings, and the certificate says "Conforms, with N warnings". The
/// warned cases and their findings are snapshotted, so the snapshot shows every warning the
/// switch draws (the conformant mock draws none).
fn lenient(api: &str, variant: &str, summary: &RunSummary) -> Result<(), Failed> {
    let failed: Vec<String> = summary
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .map(describe_case)
        .collect();
    if !failed.is_empty() {
        return Err(Failed::from(format!(
            "`{variant}` breaks no mandatory rule and must fail no case\n{}",
            failed.join("\n")
        )));
    }
    let warned: Vec<&accord::run::CaseResult> =
        summary.cases.iter().filter(|c| c.warnings() > 0).collect();
    if warned.is_empty() {
        return Err(Failed::from(format!("`{variant}` must draw warnings")));
    }
    let certificate = accord::report::certificate::render(summary, &[]);
    let verdict = format!(
        "Conforms, with {} warnings",
        warned.iter().map(|c| c.warnings()).sum::<usize>()
    );
    if !certificate.contains(&verdict) {
        return Err(Failed::from(format!(
            "the certificate under `{variant}` must say \"{verdict}\""
        )));
    }
    let text: String = warned.iter().map(|c| stable(&describe_case(c))).collect();
    fault_snapshot(&format!("{api}__{variant}"), &text);
    Ok(())
}

/// Compares `text` with `snapshots/faults/<name>.snap`.
fn fault_snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots/faults"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

fn seed_trial(plan: Arc<Plan>, api: &'static str, seed: u64) -> Trial {
    Trial::test(format!("seeds::{api}::seed-{seed}"), move || {
        let summary = runtime().block_on(run_api(&plan, api, seed, &[]));
        let bad: Vec<String> = summary
            .cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
            .map(describe_case)
            .collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(Failed::from(bad.join("\n")))
        }
    })
}

fn main() {
    let args = Arguments::from_args();
    let plan = load_plan();
    let mut trials: Vec<Trial> = plan
        .cases()
        .map(|(si, ci)| case_trial(plan.clone(), si, ci))
        .collect();
    for api in plan.apis() {
        let Some(m) = mock::find(&api) else { continue };
        for f in m.faults {
            trials.push(fault_trial(plan.clone(), m.name, f.name));
        }
        for seed in OTHER_SEEDS {
            trials.push(seed_trial(plan.clone(), m.name, *seed));
        }
    }
    for m in mock::apis() {
        for (fault, _, _) in caught(m.name) {
            if !m.faults.iter().any(|f| f.name == fault) {
                let name = format!("faults::{}::{fault}::exists", m.name);
                trials.push(Trial::test(name, move || {
                    Err(Failed::from(format!(
                        "tests/fixtures/caught names fault `{fault}`, which the mock does not have"
                    )))
                }));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
