//! The `accord` command line: `run`, `merge`, `verify`, `keygen`, `mock`, `lint`, `list`,
//! `checks` and `bench`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use accord::app::{self, TargetArgs};
use accord::baseline::FailOn;
use accord::exec::{Limits, RunOptions};
use accord::partition::{Partition, PartitionInfo};
use accord::{check, exit, gate, mock, plan, profile::Profile, report};

/// Contract tests and conformance runs for HTTP APIs described by OpenAPI.
#[derive(Parser)]
#[command(name = "accord", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run suites against a target (default: every suite under suites/ against the built-in mocks).
    Run(Box<RunArgs>),
    /// Combine the results of partial runs (`run --partition k/n`) into one set of reports.
    Merge(MergeArgs),
    /// Check a report directory against its manifest and signature; say what changed.
    Verify(VerifyArgs),
    /// Make an Ed25519 key pair for signing reports (ACCORD_SIGNING_KEY).
    Keygen(KeygenArgs),
    /// Serve a built-in reference mock on loopback.
    Mock(MockArgs),
    /// Load every spec and suite, offline, and report every problem.
    Lint(PathsArgs),
    /// List the cases with their ids, titles and requirements, offline.
    List(PathsArgs),
    /// List every check with its id, summary and the rule it enforces.
    Checks,
    /// Measure spec loading and request throughput against the built-in mock.
    Bench(BenchArgs),
}

#[derive(Args)]
struct PathsArgs {
    /// Suite files or directories searched for *.yaml.
    #[arg(default_value = "suites")]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
struct RunArgs {
    /// Suite files or directories searched for *.yaml.
    #[arg(default_value = "suites")]
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
    /// No live progress line.
    #[arg(long)]
    quiet: bool,
    /// An earlier run's results.json: mark every case new-failure, fixed, still-failing, ...
    #[arg(long, value_name = "RESULTS")]
    baseline: Option<PathBuf>,
    /// What fails the run: `any` failing case, or only `new` failures (needs --baseline).
    #[arg(long, value_name = "any|new", default_value = "any")]
    fail_on: FailOn,
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
    /// Judge an API's suites against another spec, e.g. the provider's own Swagger file
    /// (`API=FILE`, repeatable); operations are matched by id, else by method and path.
    #[arg(long = "spec", value_name = "API=FILE")]
    specs: Vec<String>,
}

#[derive(Args)]
struct MergeArgs {
    /// The results.json of every partial run.
    #[arg(required = true)]
    results: Vec<PathBuf>,
    /// Directory for junit.xml, report.html, results.json, certificate.html and the manifest.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
}

#[derive(Args)]
struct VerifyArgs {
    /// The directory holding manifest.json (and manifest.sig).
    #[arg(default_value = "reports")]
    dir: PathBuf,
    /// The Ed25519 public key that must have signed (PEM, base64 or a file holding either).
    #[arg(long, value_name = "KEY")]
    public_key: Option<String>,
    /// Fail when the manifest is not signed.
    #[arg(long)]
    require_signature: bool,
}

#[derive(Args)]
struct KeygenArgs {
    /// Where to write the private key (PEM); the public key goes to FILE.pub.
    #[arg(long, value_name = "FILE", default_value = "accord-signing.pem")]
    out: PathBuf,
}

#[derive(Args)]
struct MockArgs {
    /// The API to serve (see --list-faults for the names).
    api: Option<String>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Switch a fault on (repeatable).
    #[arg(long)]
    fault: Vec<String>,
    /// Seed of the generated data (0 is the empty data set).
    #[arg(long, default_value_t = 1)]
    data_seed: u64,
    /// Records to serve instead of the data seed's count (cdr only), e.g. 10000 for large walks.
    #[arg(long)]
    records: Option<usize>,
    /// The bearer token the mock accepts.
    #[arg(long, default_value = "accord-mock-token")]
    token: String,
    /// List every mock's fault switches and exit.
    #[arg(long)]
    list_faults: bool,
}

#[derive(Args)]
struct BenchArgs {
    /// Requests in the throughput run.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    /// Cases in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Another spec to time loading and compiling (repeatable).
    #[arg(long)]
    spec: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(a) => runtime().block_on(run(*a)),
        Command::Merge(a) => merge(a),
        Command::Verify(a) => verify(a),
        Command::Keygen(a) => keygen(a),
        Command::Mock(a) => runtime().block_on(serve_mock(a)),
        Command::Lint(a) => lint(a),
        Command::List(a) => list(a),
        Command::Checks => checks(),
        Command::Bench(a) => {
            runtime().block_on(accord::bench::run(a.requests, a.concurrency, &a.spec))
        }
    };
    ExitCode::from(code as u8)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn print_diagnostics(diags: &[accord::diag::Diagnostic]) {
    for d in diags {
        eprint!("{}", d.render());
    }
    eprintln!(
        "{} problem{} found",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
}

async fn run(a: RunArgs) -> i32 {
    let mut overrides = Vec::new();
    for s in &a.specs {
        match s.split_once('=') {
            Some((api, file)) if !api.is_empty() && !file.is_empty() => {
                overrides.push((api.to_owned(), PathBuf::from(file)));
            }
            _ => {
                eprintln!("error: --spec {s}: write --spec API=FILE");
                return exit::INVALID_INPUT;
            }
        }
    }
    let plan = match plan::load_with(&a.paths, &overrides) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
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
    let require_coverage =
        match accord::coverage::Dimension::parse_list(&a.require_coverage.join(",")) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: --require-coverage: {e}");
                return exit::INVALID_INPUT;
            }
        };
    if !(a.timeout > 0.0 && a.timeout.is_finite()) {
        eprintln!("error: --timeout must be a positive number of seconds");
        return exit::INVALID_INPUT;
    }
    let extras = match Extras::load(&a, &plan) {
        Ok(x) => x,
        Err(code) => return code,
    };
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
        eprintln!(
            "error: --fault switches faults in the built-in mocks; it cannot be used with --target or --env"
        );
        return exit::INVALID_INPUT;
    }
    if let Some((file, recording)) = &extras.replay {
        eprintln!("replaying {file}: nothing is sent");
        let opts = RunOptions {
            filters: a.filter.clone(),
            partition: a.partition,
            ..RunOptions::default()
        };
        let vars = accord::replay::target_vars(&plan, profile.as_ref());
        let mut progress = progress(a.quiet);
        let summary = accord::replay::run(&plan, recording, &vars, &opts, |e| progress.on_event(e));
        return conclude(&a, &plan, &extras, summary, &[], key.as_ref());
    }
    let resolved = match app::resolve(&plan, &args).await {
        Ok(r) => r,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
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
    };
    for t in resolved.targets.values() {
        eprintln!(
            "{}: {}{}",
            t.api,
            resolved.redactor.text(&t.base_url),
            if t.mock { " (built-in mock)" } else { "" }
        );
    }
    let mut progress = progress(a.quiet);
    let summary =
        accord::exec::run_plan(&plan, &resolved.targets, &resolved.redactor, &opts, |e| {
            progress.on_event(e)
        })
        .await;
    let secrets = resolved.redactor.secrets().to_vec();
    resolved.stop().await;
    conclude(&a, &plan, &extras, summary, &secrets, key.as_ref())
}

/// The signing key from the environment; a key that cannot be read exits with 2 before
/// anything runs.
fn signing_key() -> Result<Option<accord::seal::keys::SigningKey>, i32> {
    accord::seal::keys::SigningKey::from_env().map_err(|e| {
        eprintln!("error: {e}");
        exit::INVALID_INPUT
    })
}

fn progress(quiet: bool) -> report::terminal::Progress {
    if quiet {
        report::terminal::Progress::with_writer(Box::new(std::io::sink()), false)
    } else {
        report::terminal::Progress::new()
    }
}

/// Applies waivers, baseline and partition record, then writes and prints the reports.
fn conclude(
    a: &RunArgs,
    plan: &plan::Plan,
    extras: &Extras,
    mut summary: accord::run::RunSummary,
    secrets: &[String],
    key: Option<&accord::seal::keys::SigningKey>,
) -> i32 {
    use accord::run::InputKind;
    let files = [
        (InputKind::Profile, a.profile.as_ref()),
        (InputKind::Waivers, a.waivers.as_ref()),
        (InputKind::Baseline, a.baseline.as_ref()),
        (InputKind::Recording, a.replay.as_ref()),
    ];
    let more = files
        .into_iter()
        .filter_map(|(kind, path)| accord::seal::file_input(kind, path?).ok());
    accord::seal::add_inputs(&mut summary, more);
    gate::finish(
        &mut summary,
        gate::Finish {
            waivers: extras
                .waivers
                .as_ref()
                .map(|(w, today)| (w, today.as_str())),
            baseline: extras
                .baseline
                .as_ref()
                .map(|(file, b)| (b, file.as_str(), a.fail_on)),
            known: Some(&extras.known),
            partition: a.partition.map(|p| PartitionInfo {
                index: p.index,
                count: p.count,
                selection: accord::partition::selection(plan, &a.filter),
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

/// What `run` reads besides suites and profile: waivers, baseline and recording.
struct Extras {
    known: std::collections::HashSet<String>,
    waivers: Option<(accord::waivers::Waivers, String)>,
    baseline: Option<(String, accord::run::RunSummary)>,
    replay: Option<(String, accord::run::RunSummary)>,
}

impl Extras {
    /// Reads every extra input and checks the flags fit together; problems exit with 2.
    fn load(a: &RunArgs, plan: &plan::Plan) -> Result<Extras, i32> {
        let fail = |message: String| {
            eprintln!("error: {message}");
            exit::INVALID_INPUT
        };
        if a.fail_on == FailOn::New && a.baseline.is_none() {
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
        let known = accord::partition::all_names(plan);
        let waivers = match &a.waivers {
            Some(path) => {
                let w = accord::waivers::load(path, &known).map_err(|d| {
                    print_diagnostics(&d);
                    exit::INVALID_INPUT
                })?;
                let today = accord::waivers::today().map_err(fail)?;
                Some((w, today))
            }
            None => None,
        };
        let read = |path: &PathBuf, flag: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("{flag} {}: cannot read: {e}", path.display()))
                .and_then(|text| {
                    report::json::parse(&text)
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
        })
    }
}

/// Writes and seals the reports, prints the terminal summary and returns the exit code.
fn write_and_conclude(
    summary: &accord::run::RunSummary,
    paths: &report::Paths,
    secrets: &[String],
    key: Option<&accord::seal::keys::SigningKey>,
) -> i32 {
    let written = report::write_sealed(summary, paths, secrets, key);
    let color = std::io::IsTerminal::is_terminal(&std::io::stdout());
    print!("{}", report::terminal::summary(summary, color));
    let (sealed, unsealed) = match written {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::CANNOT_TEST;
        }
    };
    for p in &unsealed {
        eprintln!(
            "warning: {} lies outside {}, so manifest.json does not cover it",
            p.display(),
            paths.seal_dir().display()
        );
    }
    if summary
        .coverage
        .as_ref()
        .is_some_and(|c| !c.unmet().is_empty())
    {
        eprintln!(
            "error: the run left required coverage incomplete (--require-coverage or protocol.coverage.require); see `required coverage not met` above"
        );
    }
    let mut shown: Vec<String> = [&paths.junit, &paths.html, &paths.json, &paths.certificate]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    shown.extend(sealed.iter().map(|p| p.display().to_string()));
    eprintln!("reports: {}", shown.join(", "));
    gate::exit_code(summary)
}

fn merge(a: MergeArgs) -> i32 {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for path in &a.results {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match report::json::parse(&text) {
                Ok(s) => parts.push((file, s)),
                Err(e) => problems.push(format!("{file}: {e}")),
            },
            Err(e) => problems.push(format!("{file}: cannot read: {e}")),
        }
    }
    let merged = if problems.is_empty() {
        accord::merge::merge(parts)
    } else {
        Err(problems)
    };
    let key = match signing_key() {
        Ok(k) => k,
        Err(code) => return code,
    };
    match merged {
        Ok(summary) => {
            write_and_conclude(&summary, &report::Paths::in_dir(&a.out), &[], key.as_ref())
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            exit::INVALID_INPUT
        }
    }
}

fn verify(a: VerifyArgs) -> i32 {
    let public_key = match a
        .public_key
        .as_deref()
        .map(accord::seal::keys::PublicKey::parse)
    {
        Some(Err(e)) => {
            eprintln!("error: --public-key: {e}");
            return exit::INVALID_INPUT;
        }
        Some(Ok(k)) => Some(k),
        None => None,
    };
    let opts = accord::seal::verify::Options {
        public_key,
        require_signature: a.require_signature,
    };
    match accord::seal::verify::verify(&a.dir, &opts) {
        Ok(v) => {
            println!("verify {}", a.dir.display());
            print!("{}", v.render());
            if v.holds() { exit::PASS } else { exit::FAIL }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::INVALID_INPUT
        }
    }
}

fn keygen(a: KeygenArgs) -> i32 {
    match accord::seal::keys::keygen(&a.out) {
        Ok(public) => {
            println!(
                "private key: {} (keep it secret; give it to runs as ACCORD_SIGNING_KEY or ACCORD_SIGNING_KEY_FILE)",
                a.out.display()
            );
            println!(
                "public key:  {}.pub (publish it; readers pass it to `accord verify --public-key`)",
                a.out.display()
            );
            println!("key id:      {}", public.id());
            exit::PASS
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::INVALID_INPUT
        }
    }
}

async fn serve_mock(a: MockArgs) -> i32 {
    if a.list_faults {
        for api in mock::apis() {
            println!("{} ({}):", api.name, api.title);
            for f in api.faults {
                println!("  {:<32} {}", f.name, f.summary);
            }
        }
        return exit::PASS;
    }
    let Some(name) = a.api else {
        eprintln!(
            "error: name the API to serve: {}",
            mock::apis()
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::INVALID_INPUT;
    };
    let Some(api) = mock::find(&name) else {
        eprintln!(
            "error: no mock named `{name}`; there are: {}",
            mock::apis()
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::INVALID_INPUT;
    };
    if a.records.is_some() && api.name != "cdr" {
        eprintln!("error: --records is served by the cdr mock only");
        return exit::INVALID_INPUT;
    }
    let opts = mock::MockOptions {
        token: a.token.clone(),
        data_seed: a.data_seed,
        faults: a.fault.clone(),
        records: a.records,
    };
    let running = match mock::serve(
        api,
        &opts,
        std::net::SocketAddr::from(([127, 0, 0, 1], a.port)),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot serve the {name} mock: {e}");
            return exit::INVALID_INPUT;
        }
    };
    // A reader that stops listening must not bring the server down, so write errors are ignored.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{} mock serving at {}", api.title, running.base_url);
    let _ = writeln!(out, "accepts: Authorization: Bearer {}", a.token);
    for (name, value) in (api.credentials)(&opts) {
        let _ = writeln!(out, "{name}: {value}");
    }
    if !a.fault.is_empty() {
        let _ = writeln!(out, "faults on: {}", a.fault.join(", "));
    }
    let _ = out.flush();
    let _ = tokio::signal::ctrl_c().await;
    running.stop().await;
    exit::PASS
}

fn lint(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            let cases: usize = p.suites.iter().map(|s| s.suite.file.cases.len()).sum();
            println!(
                "ok: {} suites, {} cases, {} specs",
                p.suites.len(),
                cases,
                p.specs.len()
            );
            exit::PASS
        }
        Err(d) => {
            print_diagnostics(&d);
            exit::INVALID_INPUT
        }
    }
}

fn list(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            for s in &p.suites {
                for c in &s.suite.file.cases {
                    println!(
                        "{}\t{}\t[{}]",
                        s.suite.case_name(c),
                        c.title,
                        c.requirements.join(", ")
                    );
                }
            }
            exit::PASS
        }
        Err(d) => {
            print_diagnostics(&d);
            exit::INVALID_INPUT
        }
    }
}

fn checks() -> i32 {
    for c in check::CHECKS {
        let kind = if c.automatic() {
            "automatic"
        } else {
            "expectation"
        };
        println!(
            "{:<20} {:<12} {}\n{:<33} rule: {}",
            c.id(),
            kind,
            c.summary(),
            "",
            c.rule()
        );
    }
    exit::PASS
}
