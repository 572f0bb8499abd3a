//! Finding suite files: every YAML file under the given paths, and Arazzo documents in JSON,
//! that is not an OpenAPI or Swagger document nor a requirements catalogue.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Suite files under the given paths: files as given, directories searched recursively for
/// `*.yaml` and `*.yml` (and Arazzo documents in JSON), sorted so runs are reproducible.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.is_dir() {
            crate::openapi::files_under(p, &is_suite_file, &mut out);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            problems.push(Diagnostic::file(
                p.display().to_string(),
                "no such file or directory",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// True for a suite file: YAML, or an Arazzo document in JSON, that is not an OpenAPI or
/// Swagger document nor a requirements catalogue.
fn is_suite_file(path: &Path) -> bool {
    (path.extension().is_some_and(|x| x == "yaml" || x == "yml")
        || crate::arazzo::load::is_arazzo_file(path))
        && !crate::openapi::is_spec_file(path)
        && !is_catalogue_file(path)
}

/// True for a requirements catalogue: its first key says so.
fn is_catalogue_file(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .map(str::trim_start)
            .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("---"))
            .is_some_and(|l| l.starts_with(crate::catalogue::FIRST_KEY))
    })
}
