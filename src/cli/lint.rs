//! `accord lint`: load every spec and suite offline and report every problem.
//!
//! The paths may name suites, specs, or directories that hold either. OpenAPI and Swagger
//! documents (told by their top-level `openapi` or `swagger` key) are linted on their own by
//! [`lint_specs`]; suite files are loaded as a run would load them, with the specs they name,
//! by [`lint_suites`]. Errors make the exit code 2; warnings are printed and leave it 0.

use std::path::PathBuf;

use super::{PathsArgs, print_diagnostics};
use crate::diag::Diagnostic;
use crate::term::{err, outln};
use crate::{exit, openapi, plan};

pub fn lint(a: PathsArgs) -> i32 {
    let specs = openapi::find_specs(&a.paths);
    let suites = suite_paths(&a.paths, &specs);
    let (mut code, shown) = lint_specs(&specs);
    if !suites.is_empty() {
        code = code.max(lint_suites(&suites, &shown));
    }
    code
}

/// The paths that may hold suites: files that are not specs, and directories where suites
/// are found (or where no spec was found either, so that an empty directory is reported).
fn suite_paths(paths: &[PathBuf], specs: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| {
            if p.is_dir() {
                let has_specs = specs.iter().any(|s| s.starts_with(p));
                let has_suites =
                    plan::discover(std::slice::from_ref(*p)).is_ok_and(|found| !found.is_empty());
                has_suites || !has_specs
            } else {
                !specs.contains(p)
            }
        })
        .cloned()
        .collect()
}

/// Loads the suites under `paths` with their specs; problems of a spec already `shown` by
/// [`lint_specs`] are not repeated.
fn lint_suites(paths: &[PathBuf], shown: &[Diagnostic]) -> i32 {
    match plan::load(paths) {
        Ok(p) => {
            outln!("{}", suites_ok(&p));
            exit::PASS
        }
        Err(mut d) => {
            d.retain(|x| !shown.contains(x));
            if !d.is_empty() {
                print_diagnostics(&d);
            }
            exit::INVALID_INPUT
        }
    }
}

/// The line a clean suite lint ends with: suites, cases to run (and excluded), specs.
fn suites_ok(p: &plan::Plan) -> String {
    let all = p.suites.iter().flat_map(|s| &s.suite.file.cases);
    let (mut cases, mut excluded) = (0, 0);
    for c in all {
        if c.excluded.is_some() {
            excluded += 1;
        } else {
            cases += 1;
        }
    }
    let excluded = match excluded {
        0 => String::new(),
        1 => " (1 generated case excluded)".to_owned(),
        n => format!(" ({n} generated cases excluded)"),
    };
    format!(
        "ok: {} suites, {cases} cases{excluded}, {} specs",
        p.suites.len(),
        p.specs.len()
    )
}

/// Lints each spec on its own: every problem, located, then one line per spec. Returns the
/// exit code and the problems shown.
fn lint_specs(specs: &[PathBuf]) -> (i32, Vec<Diagnostic>) {
    let mut code = exit::PASS;
    let mut lines = Vec::new();
    let mut shown = Vec::new();
    for path in specs {
        let name = path.display();
        match openapi::lint(path) {
            Ok(linted) => {
                render(&linted.diagnostics);
                shown.extend(linted.diagnostics.iter().cloned());
                let spec = &linted.spec;
                let kind = if spec.version.starts_with('2') {
                    "Swagger"
                } else {
                    "OpenAPI"
                };
                lines.push(format!(
                    "ok: {name} ({kind} {}, {}, {}){}",
                    spec.version,
                    counted(spec.operations.len(), "operation"),
                    counted(spec.schema_count(), "schema"),
                    count(&linted.diagnostics)
                ));
            }
            Err(diags) => {
                render(&diags);
                lines.push(format!("refused: {name}{}", count(&diags)));
                shown.extend(diags);
                code = exit::INVALID_INPUT;
            }
        }
    }
    for line in lines {
        outln!("{line}");
    }
    (code, shown)
}

fn render(diags: &[Diagnostic]) {
    for d in diags {
        err!("{}", d.render());
    }
}

/// `, 2 errors, 1 warning`, or nothing.
fn count(diags: &[Diagnostic]) -> String {
    let warnings = diags.iter().filter(|d| d.is_warning()).count();
    let errors = diags.len() - warnings;
    let mut out = String::new();
    for (n, word) in [(errors, "error"), (warnings, "warning")] {
        if n > 0 {
            out.push_str(&format!(", {}", counted(n, word)));
        }
    }
    out
}

/// `1 operation`, `2 operations`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
