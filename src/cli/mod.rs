//! The `accord` command line: one file per command (`run`, `init`, `merge`, `verify`, `keygen`,
//! `mock`, `lint`, `list`, `checks`, `requirements`, `bench`); this module parses arguments and
//! dispatches.

mod bench;
mod checks;
mod init;
mod keygen;
mod lint;
mod list;
mod merge;
mod mock;
pub mod requirements;
mod run;
mod verify;

use crate::term::{err, errln, out};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::run::verdict;
use crate::{exit, report, term};

/// Contract tests and conformance runs for HTTP APIs described by OpenAPI.
#[derive(Parser)]
#[command(name = "accord", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set or CLICOLOR_FORCE
    /// asks for colour anyway), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: term::ColorChoice,
    /// Print only problems and the closing line.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run suites against a target (default: every suite under suites/ against the built-in
    /// mocks), or the cases derived from a spec alone (`--spec FILE`).
    Run(Box<run::RunArgs>),
    /// Write a starter suite and a profile template derived from an OpenAPI or Swagger file.
    Init(init::InitArgs),
    /// Combine the results of partial runs (`run --partition k/n`) into one set of reports.
    Merge(merge::MergeArgs),
    /// Check a report directory against its manifest and signature; say what changed.
    Verify(verify::VerifyArgs),
    /// Make an Ed25519 key pair for signing reports (ACCORD_SIGNING_KEY).
    Keygen(keygen::KeygenArgs),
    /// Serve a built-in reference mock on loopback.
    Mock(mock::MockArgs),
    /// Load every spec and suite, offline, and report every problem.
    Lint(PathsArgs),
    /// List the cases with their ids, titles and requirements, offline.
    List(PathsArgs),
    /// List every check with its id, summary and the rule it enforces.
    Checks,
    /// Print each API's requirements catalogue: every statement with what tests it, offline.
    Requirements(requirements::RequirementsArgs),
    /// Measure spec loading and request throughput against the built-in mock.
    Bench(bench::BenchArgs),
}

#[derive(Args)]
struct PathsArgs {
    /// Suite files or directories searched for *.yaml.
    #[arg(default_value = "suites")]
    paths: Vec<PathBuf>,
}

/// Parses the command line, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    term::init(term::Settings {
        color: cli.color,
        quiet: cli.quiet,
    });
    let code = match cli.command {
        Command::Run(a) => on_workers(run::run(*a)),
        Command::Init(a) => init::init(a),
        Command::Merge(a) => merge::merge(a),
        Command::Verify(a) => verify::verify(a),
        Command::Keygen(a) => keygen::keygen(a),
        Command::Mock(a) => on_workers(mock::serve_mock(a)),
        Command::Lint(a) => lint::lint(a),
        Command::List(a) => list::list(a),
        Command::Checks => checks::checks(),
        Command::Requirements(a) => requirements::requirements(a),
        Command::Bench(a) => on_workers(bench::bench(a)),
    };
    ExitCode::from(code as u8)
}

/// Runs a command's future as a task on the runtime's workers, not on the main thread: a
/// future driven by `block_on` is polled on a third thread, which every finished case has to
/// wake, so on a machine with few cores a run spends its time switching threads. A panic in
/// the command is raised again here, as it would have been.
fn on_workers<F>(f: F) -> i32
where
    F: std::future::Future<Output = i32> + Send + 'static,
{
    runtime().block_on(async {
        match tokio::spawn(f).await {
            Ok(code) => code,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn print_diagnostics(diags: &[crate::diag::Diagnostic]) {
    for d in diags {
        err!("{}", d.render());
    }
    errln!(
        "{} problem{} found",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
}

/// The signing key from the environment; a key that cannot be read exits with 2 before
/// anything runs.
fn signing_key() -> Result<Option<crate::seal::keys::SigningKey>, i32> {
    crate::seal::keys::SigningKey::from_env().map_err(|e| {
        errln!("error: {e}");
        exit::INVALID_INPUT
    })
}

/// Writes and seals the reports, prints the terminal summary and returns the exit code.
fn write_and_conclude(
    summary: &crate::run::RunSummary,
    paths: &report::Paths,
    secrets: &[String],
    key: Option<&crate::seal::keys::SigningKey>,
) -> i32 {
    let written = report::write_sealed(summary, paths, secrets, key);
    out!(
        "{}",
        report::terminal::summary_with(summary, term::color_stdout(), term::quiet())
    );
    let (sealed, unsealed) = match written {
        Ok(w) => w,
        Err(e) => {
            errln!("error: {e}");
            return exit::CANNOT_TEST;
        }
    };
    for p in &unsealed {
        errln!(
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
        errln!(
            "error: the run left required coverage incomplete (--require-coverage or protocol.coverage.require); see `required coverage not met` above"
        );
    }
    let mut shown: Vec<String> = [&paths.junit, &paths.html, &paths.json, &paths.certificate]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    shown.extend(sealed.iter().map(|p| p.display().to_string()));
    if !term::quiet() {
        errln!("reports: {}", shown.join(", "));
    }
    verdict::exit_code(summary)
}
