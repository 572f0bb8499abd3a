//! Contract tests in `cargo test`: a [`Harness`] turns every case of a set of suites into one
//! libtest-mimic trial named `api::suite::case`, runs it against a [`Target`] (a URL, a
//! service served in-process, or a command), and writes the usual reports when asked.
//!
//! The crate documentation walks through using it. This module holds the builder
//! ([`Harness`]) and the [`Target`]s; inside, `session` holds the state the trials share and
//! `reports` writes the reports.

#![warn(missing_docs)]

mod reports;
mod session;
mod target;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

pub use libtest_mimic::{Arguments, Conclusion, Trial};
pub use target::Target;

use crate::term::{err, errln};
use session::{Session, Slot};

/// Every case of some suites as its own test, run against a target.
///
/// Build it in the `main` of a test target declared with `harness = false`, then call
/// [`run`](Harness::run):
///
/// ```no_run
/// use accord::{Harness, Target};
///
/// fn main() -> std::process::ExitCode {
///     Harness::suites("tests/conformance")
///         .target(Target::url("http://127.0.0.1:8080/v1").secret("token", "test-token"))
///         .run()
/// }
/// ```
///
/// Nothing is loaded, started or sent until `run`; listing the tests (`--list`) loads the
/// suites and their specs but starts no target and opens no connection.
#[derive(Debug)]
pub struct Harness {
    source: Source,
    target: Option<Target>,
    targets: Vec<(String, Target)>,
    profile: Option<PathBuf>,
    reports: Option<PathBuf>,
}

/// Where the cases come from.
#[derive(Debug)]
enum Source {
    /// Suite files, and directories searched for `*.yaml`.
    Suites(Vec<PathBuf>),
    /// An OpenAPI document alone, and the API name its cases take.
    Spec {
        path: PathBuf,
        api: String,
        /// Suites added with `with_suites`, which a spec-only run refuses.
        extra: Vec<PathBuf>,
    },
}

impl Harness {
    /// The cases of the suites at `path`: a suite file, or a directory searched (with its
    /// subdirectories) for `*.yaml` and `*.yml`. A relative path is taken from the current
    /// directory, which `cargo test` sets to the package's root.
    pub fn suites(path: impl Into<PathBuf>) -> Harness {
        Harness::new(Source::Suites(vec![path.into()]))
    }

    /// The cases derived from an OpenAPI (3.0, 3.1) or Swagger 2.0 document alone, as
    /// `accord run --spec FILE` derives them: for every operation a valid request built from
    /// the document, then requests that break one rule of its input (graded as warnings) and
    /// requests without each credential its security requires. Tests are named
    /// `api::operation::case`. A case that sends a credential no source supplies is ignored,
    /// with the variable to set.
    ///
    /// ```no_run
    /// use accord::{Harness, Target};
    ///
    /// fn main() -> std::process::ExitCode {
    ///     Harness::spec("openapi.yaml", "shelf")
    ///         .target(Target::url("http://127.0.0.1:8080/v1").secret("token", "test-token"))
    ///         .run()
    /// }
    /// ```
    pub fn spec(path: impl Into<PathBuf>, api: impl Into<String>) -> Harness {
        Harness::new(Source::Spec {
            path: path.into(),
            api: api.into(),
            extra: Vec::new(),
        })
    }

    fn new(source: Source) -> Harness {
        Harness {
            source,
            target: None,
            targets: Vec::new(),
            profile: None,
            reports: None,
        }
    }

    /// Adds the suites at another path (not to a [`spec`](Harness::spec) run, which runs the
    /// document alone).
    pub fn with_suites(mut self, path: impl Into<PathBuf>) -> Harness {
        match &mut self.source {
            Source::Suites(paths) => paths.push(path.into()),
            Source::Spec { extra, .. } => extra.push(path.into()),
        }
        self
    }

    /// The target of every API that [`target_for`](Harness::target_for) does not name. It
    /// starts once, however many APIs it serves.
    ///
    /// With no target at all, each API's target comes from the profile, and failing that
    /// from accord's built-in mock of that API, as with `accord run`.
    pub fn target(mut self, target: Target) -> Harness {
        self.target = Some(target);
        self
    }

    /// The target of one API (the `api` of its suites).
    pub fn target_for(mut self, api: impl Into<String>, target: Target) -> Harness {
        self.targets.push((api.into(), target));
        self
    }

    /// An environment profile (TOML, as for `accord run --env`): base URLs, variables, where
    /// secrets come from, OAuth 2.0, mutual TLS, rate limits and budgets. A target given in
    /// code takes the place of the profile's `base_url`, and its variables and secrets take
    /// precedence over the profile's.
    pub fn profile(mut self, path: impl Into<PathBuf>) -> Harness {
        self.profile = Some(path.into());
        self
    }

    /// Writes the reports of the run into `dir`; the environment variable `ACCORD_REPORTS`,
    /// when set, names the directory instead.
    ///
    /// When one process runs the cases (`cargo test`), that is `junit.xml`, `report.html`,
    /// `results.json`, `certificate.html` and `manifest.json` (signed when
    /// `ACCORD_SIGNING_KEY` is set), covering the cases it ran. When every test runs in a
    /// process of its own (cargo-nextest), each writes `cases/<name>.json`, and
    /// `accord merge DIR/cases/*.json --out DIR` joins them into the same reports.
    pub fn reports(mut self, dir: impl Into<PathBuf>) -> Harness {
        self.reports = Some(dir.into());
        self
    }

    /// Runs the cases with the test binary's command-line arguments (the same as libtest's:
    /// a filter, `--exact`, `--list`, `--test-threads`, ...) and returns the exit code for
    /// `main`: 0 when every case passed, 101 when one failed or could not be tested, 2 when a
    /// suite, spec or profile does not load (its problems are printed with `file:line:col`).
    pub fn run(self) -> ExitCode {
        match self.run_with(&Arguments::from_args(), Vec::new()) {
            Ok(conclusion) => conclusion.exit_code(),
            Err(e) => {
                err!("{e}");
                ExitCode::from(crate::exit::INVALID_INPUT as u8)
            }
        }
    }

    /// Runs the cases with these arguments, beside `trials` of your own, and returns the
    /// counts of the run; an error when the suites, their specs or the profile do not load.
    ///
    /// A case passes when every check held, fails (with the findings as its message) when
    /// one did not or when it could not be tested, and counts as ignored, with the reason,
    /// when the case was skipped (a capture it needs is missing on the target's data, the
    /// suite excludes it, or a spec-only case lacks a credential).
    pub fn run_with(self, args: &Arguments, trials: Vec<Trial>) -> Result<Conclusion, Error> {
        let profile = match &self.profile {
            Some(path) => {
                let p = crate::profile::Profile::load(path).map_err(Error::from_diagnostics)?;
                Some((p, path.parent().map(PathBuf::from)))
            }
            None => None,
        };
        let plan = self.load(profile.as_ref().map(|(p, _)| p))?;
        let apis = plan.apis();
        let mut problems = Vec::new();
        for (api, _) in &self.targets {
            if !apis.contains(api) {
                problems.push(format!(
                    "target_for(\"{api}\"): no suite covers api `{api}` (the suites cover {})",
                    apis.join(", ")
                ));
            }
        }
        let reports = std::env::var_os(reports::REPORTS_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or(self.reports.clone());
        let per_test = reports::process_per_test();
        let key = match &reports {
            Some(_) if !per_test => crate::seal::keys::SigningKey::from_env().unwrap_or_else(|e| {
                problems.push(e);
                None
            }),
            _ => None,
        };
        if !problems.is_empty() {
            return Err(Error { problems });
        }
        let shared = self.target.map(|t| Arc::new(Slot::new(t)));
        let mut own: HashMap<String, Arc<Slot>> = self
            .targets
            .into_iter()
            .map(|(api, t)| (api, Arc::new(Slot::new(t))))
            .collect();
        let slots = apis
            .iter()
            .filter_map(|api| {
                let slot = own.remove(api).or_else(|| shared.clone())?;
                Some((api.clone(), slot))
            })
            .collect();
        let plan = Arc::new(plan);
        let session = Arc::new(Session::new(plan.clone(), profile.clone(), slots));
        let mut all: Vec<Trial> = plan
            .cases()
            .enumerate()
            .map(|(order, (si, ci))| {
                let suite = &plan.suites[si].suite;
                let name = suite.case_name(&suite.file.cases[ci]);
                let session = session.clone();
                Trial::ignorable_test(name, move || session.run_case(si, ci, order))
            })
            .collect();
        all.extend(trials);
        let mut conclusion = libtest_mimic::run(args, all);
        let finished = session.finish();
        if let Some(dir) = reports
            && !finished.results.is_empty()
        {
            let profile_input = self.profile.as_ref().and_then(|path| {
                let input =
                    crate::run::provenance::file_input(crate::run::InputKind::Profile, path)
                        .ok()?;
                Some((profile.as_ref()?.0.name.clone(), input))
            });
            let request = reports::Request {
                dir: &dir,
                plan: &plan,
                profile: profile_input,
                started_at: session.started_at,
                duration_ms: session.clock.elapsed().as_millis() as u64,
                per_test,
                key: key.as_ref(),
            };
            match reports::write(&request, finished) {
                Ok(files) => {
                    let shown: Vec<String> =
                        files.iter().map(|p| p.display().to_string()).collect();
                    errln!("reports: {}", shown.join(", "));
                }
                Err(e) => {
                    errln!("error: {e}");
                    conclusion.num_failed += 1;
                }
            }
        }
        Ok(conclusion)
    }
}

impl Harness {
    /// The cases: the suites' with their specs, or those a spec-only run derives (knowing
    /// which credentials the profile, the targets' values, the environment or a built-in mock
    /// supply).
    fn load(&self, profile: Option<&crate::profile::Profile>) -> Result<crate::plan::Plan, Error> {
        match &self.source {
            Source::Suites(paths) => crate::plan::load(paths).map_err(Error::from_diagnostics),
            Source::Spec { path, extra, .. } if !extra.is_empty() => Err(Error {
                problems: vec![format!(
                    "Harness::spec runs {} alone: with_suites({}) cannot add suites to it",
                    path.display(),
                    extra[0].display()
                )],
            }),
            Source::Spec { path, api, .. } => {
                let code = self
                    .targets
                    .iter()
                    .find(|(a, _)| a == api)
                    .map(|(_, t)| t)
                    .or(self.target.as_ref());
                let values = code
                    .into_iter()
                    .flat_map(|t| t.vars().iter().chain(t.secrets()));
                let merged = session::with_values(profile, api, values);
                let target = merged.as_ref().and_then(|p| p.targets.get(api));
                let mock = code.is_none() && profile.is_none();
                let available = crate::starter::spec_only::available(api, target, mock);
                crate::starter::spec_only::plan(path, api, &available)
                    .map(|derived| derived.plan)
                    .map_err(Error::from_diagnostics)
            }
        }
    }
}

/// Why a [`Harness`] could not run: every problem of its suites, specs, profile or settings,
/// each with `file:line:col` where it has one.
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.problems))]
pub struct Error {
    problems: Vec<String>,
}

impl Error {
    fn from_diagnostics(diagnostics: Vec<crate::diag::Diagnostic>) -> Error {
        Error {
            problems: diagnostics.iter().map(|d| d.render()).collect(),
        }
    }

    /// Each problem, as printed.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

fn render(problems: &[String]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(p.trim_end());
        out.push('\n');
    }
    let n = problems.len();
    out.push_str(&format!(
        "{n} problem{} found\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

#[cfg(test)]
mod tests;
