//! `accord run`: load suites, resolve targets, send, judge, and write every report.

use std::path::PathBuf;

use clap::Args;

mod fail_on;
mod spec;

use fail_on::FailOnArg;
use spec::{SpecArgs, spec_only};

use super::{print_diagnostics, signing_key, write_and_conclude};
use crate::app::{self, TargetArgs};
use crate::exec::{Limits, RunOptions};
use crate::partition::{Partition, PartitionInfo};
use crate::run::baseline::FailOn;
use crate::run::verdict;
use crate::term::errln;
use crate::{exit, plan, profile::Profile, report};

#[derive(Args)]
pub struct RunArgs {
    /// Suite files or directories searched for *.yaml (default: suites); none with
    /// `--spec FILE`.
    paths: Vec<PathBuf>,
    /// Base URL of the implementation under test (`URL`, or `API=URL` when several APIs run).
    #[arg(long, value_name = "URL")]
    target: Vec<String>,
    /// Environment profile (TOML): targets, variables and where secrets come from.
    #[arg(long = "env", value_name = "FILE")]
    profile: Option<PathBuf>,
    /// JUnit XML report.
    #[arg(long, default_value = "reports/junit.xml")]
    junit: PathBuf,
    /// Self-contained HTML report.
    #[arg(long, default_value = "reports/report.html")]
    html: PathBuf,
    /// Whole run as JSON; manifest.json (and manifest.sig) are written beside it.
    #[arg(long, default_value = "reports/results.json")]
    json: PathBuf,
    /// Printable certification report.
    #[arg(long, default_value = "reports/certificate.html")]
    certificate: PathBuf,
    /// Only cases whose `api::suite::case` name contains this text (repeatable).
    #[arg(long)]
    filter: Vec<String>,
    /// Cases in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds allowed per request, body included.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Seconds the whole run may take: cases unfinished then error, and every report is
    /// written with what the run has (default: the profile's `deadline_secs`, else none).
    #[arg(long, value_name = "SECONDS")]
    deadline: Option<f64>,
    /// Largest response body read, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_body: usize,
    /// Store received bodies as the snapshots instead of failing on a difference.
    #[arg(long)]
    update_snapshots: bool,
    /// Data seed of the built-in mocks.
    #[arg(long, default_value_t = 1)]
    data_seed: u64,
    /// Records the built-in cdr mock serves, instead of its data seed's count.
    #[arg(long)]
    records: Option<usize>,
    /// Switch a fault on in the built-in mocks (repeatable; for demonstrating the checks).
    #[arg(long)]
    fault: Vec<String>,
    /// Send destructive cases to targets that are not on loopback.
    #[arg(long)]
    allow_destructive: bool,
    /// An earlier run's results.json: mark every case new-failure, fixed, still-failing, ...
    #[arg(long, value_name = "RESULTS")]
    baseline: Option<PathBuf>,
    /// What fails the run: `any` failing case, or only `new` failures (needs --baseline); add
    /// `warnings` (`any,warnings`, `new,warnings`) to count every warning as a failure.
    #[arg(long, value_name = "any|new|warnings", default_value = "any")]
    fail_on: FailOnArg,
    /// Known failures excused until a date (YAML: case, check, reason, owner, expires).
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Run share K of N of the selected cases (1-based), to split a run across CI jobs.
    #[arg(long, value_name = "K/N")]
    partition: Option<Partition>,
    /// Re-grade a recorded results.json offline with the current suites: nothing is sent.
    #[arg(long, value_name = "RESULTS")]
    replay: Option<PathBuf>,
    /// Fail the run unless it covers every documented status, catalogued error code and/or
    /// requirement of each API it runs (comma-separated: statuses, errors, requirements, all).
    #[arg(long, value_name = "DIMENSIONS")]
    require_coverage: Vec<String>,
    /// `FILE`: run the cases derived from an OpenAPI or Swagger document alone, without
    /// suites. `API=FILE` (repeatable): judge an API's suites against another spec, e.g. the
    /// provider's own Swagger file; operations are matched by id, else by method and path.
    #[arg(long = "spec", value_name = "FILE|API=FILE")]
    specs: Vec<String>,
    /// The API name of a spec-only run (`--spec FILE`): the first part of case names and the
    /// key of its profile target (default: from the file name).
    #[arg(long, value_name = "NAME")]
    api: Option<String>,
}

pub async fn run(mut a: RunArgs) -> i32 {
    let specs = match SpecArgs::parse(&a.specs) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let profile = match &a.profile {
        Some(p) => match Profile::load(p) {
            Ok(p) => Some(p),
            Err(d) => {
                print_diagnostics(&d);
                return exit::INVALID_INPUT;
            }
        },
        None => None,
    };
    let plan = match &specs.alone {
        Some(file) => {
            if !a.paths.is_empty() || !specs.overrides.is_empty() {
                errln!(
                    "error: --spec {} runs the document alone, without suites; to judge suites against another spec write --spec API=FILE",
                    file.display()
                );
                return exit::INVALID_INPUT;
            }
            match spec_only(&a, file, profile.as_ref()) {
                Ok(p) => p,
                Err(code) => return code,
            }
        }
        None => {
            if a.api.is_some() {
                errln!("error: --api names the API of a spec-only run (--spec FILE)");
                return exit::INVALID_INPUT;
            }
            if a.paths.is_empty() {
                a.paths.push(PathBuf::from("suites"));
            }
            match plan::load_with(&a.paths, &specs.overrides) {
                Ok(p) => p,
                Err(d) => {
                    print_diagnostics(&d);
                    return exit::INVALID_INPUT;
                }
            }
        }
    };
    if let Err(code) = check_filters(&plan, &a.filter) {
        return code;
    }
    let require_coverage =
        match crate::run::coverage::Dimension::parse_list(&a.require_coverage.join(",")) {
            Ok(d) => d,
            Err(e) => {
                errln!("error: --require-coverage: {e}");
                return exit::INVALID_INPUT;
            }
        };
    if !(a.timeout > 0.0 && a.timeout.is_finite()) {
        errln!("error: --timeout must be a positive number of seconds");
        return exit::INVALID_INPUT;
    }
    let deadline = match deadline(&a, profile.as_ref()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut extras = match Extras::load(&a, &plan) {
        Ok(x) => x,
        Err(code) => return code,
    };
    extras.verdict = profile.as_ref().map(|p| p.verdict.clone());
    let key = match signing_key() {
        Ok(k) => k,
        Err(code) => return code,
    };
    let args = TargetArgs {
        targets: a.target.clone(),
        profile_dir: a
            .profile
            .as_ref()
            .and_then(|p| p.parent().map(PathBuf::from)),
        profile: profile.clone(),
        limits: Limits {
            timeout: std::time::Duration::from_secs_f64(a.timeout),
            max_body: a.max_body,
        },
        data_seed: a.data_seed,
        faults: a.fault.clone(),
        records: a.records,
    };
    if !a.fault.is_empty() && (!a.target.is_empty() || profile.is_some()) {
        errln!(
            "error: --fault switches faults in the built-in mocks; it cannot be used with --target or --env"
        );
        return exit::INVALID_INPUT;
    }
    if let Some((file, recording)) = &extras.replay {
        if !crate::term::quiet() {
            errln!("replaying {file}: nothing is sent");
        }
        let opts = RunOptions {
            filters: a.filter.clone(),
            partition: a.partition,
            ..RunOptions::default()
        };
        let vars = crate::replay::target_vars(&plan, profile.as_ref());
        let mut progress = progress();
        let summary = crate::replay::run(&plan, recording, &vars, &opts, |e| progress.on_event(e));
        return conclude(&a, &plan, &extras, summary, &[], key.as_ref());
    }
    let resolved = match app::resolve(&plan, &args).await {
        Ok(r) => r,
        Err(problems) => {
            for p in &problems {
                errln!("error: {p}");
            }
            return exit::INVALID_INPUT;
        }
    };
    let opts = RunOptions {
        concurrency: a.concurrency,
        update_snapshots: a.update_snapshots,
        profile: profile.and_then(|p| p.name),
        filters: a.filter.clone(),
        allow_destructive: a.allow_destructive,
        partition: a.partition,
        require_coverage,
        deadline,
    };
    for t in resolved.targets.values().filter(|_| !crate::term::quiet()) {
        errln!(
            "{}: {}{}",
            t.api,
            resolved.redactor.text(&t.base_url),
            if t.mock { " (built-in mock)" } else { "" }
        );
    }
    let mut progress = progress();
    let summary = crate::exec::run_plan(&plan, &resolved.targets, &resolved.redactor, &opts, |e| {
        progress.on_event(e)
    })
    .await;
    let secrets = resolved.redactor.secrets().to_vec();
    resolved.stop().await;
    conclude(&a, &plan, &extras, summary, &secrets, key.as_ref())
}

/// The run's deadline: `--deadline`, else the profile's `deadline_secs` (checked when the
/// profile was read); a `--deadline` that is not a positive number of seconds exits with 2.
fn deadline(a: &RunArgs, profile: Option<&Profile>) -> Result<Option<std::time::Duration>, i32> {
    let secs = a.deadline.or_else(|| {
        profile
            .and_then(|p| p.deadline_secs.as_ref())
            .map(|d| *d.get_ref())
    });
    match secs {
        None => Ok(None),
        Some(s) if s > 0.0 && s.is_finite() && s < 1e9 => {
            Ok(Some(std::time::Duration::from_secs_f64(s)))
        }
        Some(s) => {
            errln!("error: --deadline must be a positive number of seconds, not {s}");
            Err(exit::INVALID_INPUT)
        }
    }
}

/// Refuses a `--filter` that selects no case: a mistyped filter would otherwise run nothing
/// and pass.
fn check_filters(plan: &plan::Plan, filters: &[String]) -> Result<(), i32> {
    let unmatched = crate::partition::unmatched_filters(plan, filters);
    for (filter, near) in &unmatched {
        errln!("error: --filter `{filter}` selects no case");
        if !near.is_empty() {
            errln!("  closest case names:");
            for n in near {
                errln!("    {n}");
            }
        }
    }
    if unmatched.is_empty() {
        Ok(())
    } else {
        Err(exit::INVALID_INPUT)
    }
}

fn progress() -> report::terminal::Progress {
    if crate::term::quiet() {
        report::terminal::Progress::with_writer(Box::new(std::io::sink()), false)
    } else {
        report::terminal::Progress::new()
    }
}

/// Applies the verdict policy, waivers, baseline and partition record, then writes and prints
/// the reports.
fn conclude(
    a: &RunArgs,
    plan: &plan::Plan,
    extras: &Extras,
    mut summary: crate::run::RunSummary,
    secrets: &[String],
    key: Option<&crate::seal::keys::SigningKey>,
) -> i32 {
    use crate::run::InputKind;
    let files = [
        (InputKind::Profile, a.profile.as_ref()),
        (InputKind::Waivers, a.waivers.as_ref()),
        (InputKind::Baseline, a.baseline.as_ref()),
        (InputKind::Recording, a.replay.as_ref()),
    ];
    let more = files
        .into_iter()
        .filter_map(|(kind, path)| crate::run::provenance::file_input(kind, path?).ok());
    crate::run::provenance::add_inputs(&mut summary, more);
    let policy = extras.verdict.clone().unwrap_or_default();
    verdict::finish(
        &mut summary,
        verdict::Finish {
            fail_on_warnings: a.fail_on.warnings || policy.fail_on_warnings,
            thresholds: Some(crate::run::assess::Thresholds::of(&policy)),
            waivers: extras
                .waivers
                .as_ref()
                .map(|(w, today)| (w, today.as_str())),
            baseline: extras
                .baseline
                .as_ref()
                .map(|(file, b)| (b, file.as_str(), a.fail_on.cases)),
            known: Some(&extras.known),
            partition: a.partition.map(|p| PartitionInfo {
                index: p.index,
                count: p.count,
                selection: crate::partition::selection(plan, &a.filter),
            }),
        },
    );
    let paths = report::Paths {
        junit: a.junit.clone(),
        html: a.html.clone(),
        json: a.json.clone(),
        certificate: a.certificate.clone(),
    };
    write_and_conclude(&summary, &paths, secrets, key)
}

/// What `run` reads besides suites and profile (waivers, baseline and recording), and the
/// profile's verdict policy.
struct Extras {
    known: std::collections::HashSet<String>,
    waivers: Option<(crate::run::waivers::Waivers, String)>,
    baseline: Option<(String, crate::run::RunSummary)>,
    replay: Option<(String, crate::run::RunSummary)>,
    /// The profile's `[verdict]` table.
    verdict: Option<crate::profile::VerdictPolicy>,
}

impl Extras {
    /// Reads every extra input and checks the flags fit together; problems exit with 2.
    fn load(a: &RunArgs, plan: &plan::Plan) -> Result<Extras, i32> {
        let fail = |message: String| {
            errln!("error: {message}");
            exit::INVALID_INPUT
        };
        if a.fail_on.cases == FailOn::New && a.baseline.is_none() {
            return Err(fail(
                "--fail-on new needs --baseline: new failures are those the baseline did not have"
                    .into(),
            ));
        }
        if a.replay.is_some() && (!a.target.is_empty() || !a.fault.is_empty()) {
            return Err(fail(
                "--replay re-grades a recording and sends nothing: --target and --fault do not apply"
                    .into(),
            ));
        }
        if a.replay.is_some() && a.update_snapshots {
            return Err(fail(
                "--update-snapshots cannot be used with --replay: store snapshots from a live run"
                    .into(),
            ));
        }
        let known = crate::partition::all_names(plan);
        let waivers = match &a.waivers {
            Some(path) => {
                let w = crate::run::waivers::load(path, &known).map_err(|d| {
                    print_diagnostics(&d);
                    exit::INVALID_INPUT
                })?;
                let today = crate::run::waivers::today().map_err(fail)?;
                Some((w, today))
            }
            None => None,
        };
        let read = |path: &PathBuf, flag: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("{flag} {}: cannot read: {e}", path.display()))
                .and_then(|text| {
                    crate::run::json::parse(&text)
                        .map_err(|e| format!("{flag} {}: {e}", path.display()))
                })
                .map(|s| (path.display().to_string(), s))
        };
        let baseline = match &a.baseline {
            Some(p) => Some(read(p, "--baseline").map_err(fail)?),
            None => None,
        };
        let replay = match &a.replay {
            Some(p) => Some(read(p, "--replay").map_err(fail)?),
            None => None,
        };
        Ok(Extras {
            known,
            waivers,
            baseline,
            replay,
            verdict: None,
        })
    }
}
