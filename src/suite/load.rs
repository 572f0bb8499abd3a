//! Reading a suite file: YAML with positions, then the suite JSON Schema (every structural
//! problem at once), then the typed model, then the rules a schema cannot express (unique ids,
//! known variables, one way to name a request, a case that asserts something).
//!
//! One pass reports everything: the parts the schema finds broken (a case, an optional
//! top-level key) are left out and the rest is read and judged as usual, so a broken case does
//! not hide an undefined variable in the next one. [`read_suite`] returns that sound part
//! ([`Read`]) for checks against the spec; rules that need a part left out stay silent rather
//! than report its absence.
//!
//! The schema's part is in `schema`, what it leaves sound in `sound`, and the rules in `rules`
//! (those of the whole file) and `case` (those of one case).

mod case;
mod rules;
mod schema;
mod sound;

use std::collections::HashSet;
use std::path::Path;

use super::{Suite, SuiteFile};
use crate::diag::Diagnostic;
use crate::pointer;
use crate::yaml::Document;
use rules::semantic_problems;
use schema::structural_problems;
use sound::Sound;

pub(crate) use case::body_keys_problem;
pub use schema::SUITE_SCHEMA;

/// A suite file as far as it could be read.
#[derive(Debug)]
pub struct Read {
    /// The sound part of the suite (broken cases and broken optional top-level keys left
    /// out), so that checks against its spec still run; `None` when its `api` or `spec`
    /// cannot be read.
    pub suite: Option<Suite>,
    /// Every problem of the file, ordered by position.
    pub problems: Vec<Diagnostic>,
}

/// Loads a suite; every problem in the file comes back at once.
pub fn load_suite(path: &Path) -> Result<Suite, Vec<Diagnostic>> {
    strict(read_suite(path))
}

/// Builds a suite from an already parsed document.
pub fn from_document(path: &Path, doc: Document) -> Result<Suite, Vec<Diagnostic>> {
    strict(read_document(path, doc))
}

fn strict(read: Read) -> Result<Suite, Vec<Diagnostic>> {
    match read.suite {
        Some(suite) if read.problems.is_empty() => Ok(suite),
        _ => Err(read.problems),
    }
}

/// Reads a suite for lint: its problems, and as much of it as is sound.
pub fn read_suite(path: &Path) -> Read {
    match Document::load(path) {
        Ok(doc) => read_document(path, doc),
        Err(problems) => Read {
            suite: None,
            problems,
        },
    }
}

/// Reads a parsed suite: the schema first, then the rules a schema cannot state, run on every
/// part of the file the schema found sound, so that one pass reports everything.
pub fn read_document(path: &Path, doc: Document) -> Read {
    let structural = structural_problems(&doc);
    let sound = Sound::of(&doc.value, structural.iter().map(|(at, _)| at.as_str()));
    let mut problems: Vec<Diagnostic> = structural.into_iter().map(|(_, d)| d).collect();
    let Some(value) = sound.value(&doc.value) else {
        return Read {
            suite: None,
            problems,
        };
    };
    let mut file: SuiteFile = match serde_path_to_error::deserialize(&value) {
        Ok(file) => file,
        Err(e) => {
            let ptr = path_to_pointer(&e.path().to_string());
            let ptr = sound.in_document(&ptr);
            problems.push(doc.diag(&ptr, e.inner().to_string()));
            return Read {
                suite: None,
                problems: sorted(problems),
            };
        }
    };
    problems.extend(semantic_problems(&doc, &file, &sound));
    let problems = sorted(problems);
    if !sound.api_and_spec {
        return Read {
            suite: None,
            problems,
        };
    }
    if sound.cases.iter().enumerate().any(|(i, ci)| i != *ci) {
        for (case, ci) in file.cases.iter_mut().zip(&sound.cases) {
            case.origin = Some(format!("/cases/{ci}"));
            for (si, step) in case.steps.iter_mut().enumerate() {
                step.origin = Some(format!("/cases/{ci}/steps/{si}"));
            }
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Read {
        suite: Some(Suite {
            name,
            spec_path: dir.join(&file.spec),
            catalogue_path: file.catalogue.as_ref().map(|c| dir.join(c)),
            snapshot_dir: dir.join(file.snapshots.as_deref().unwrap_or("snapshots")),
            dropped: sound.dropped,
            file,
            doc: std::sync::Arc::new(doc),
        }),
        problems,
    }
}

fn sorted(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by_key(|d| (d.line, d.col));
    let mut seen = HashSet::new();
    problems.retain(|d| seen.insert((d.to_string(), d.help.clone())));
    problems
}

/// `cases[0].steps[1].expect` (serde_path_to_error) to `/cases/0/steps/1/expect`.
pub(crate) fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let (name, rest) = part
            .split_once('[')
            .map(|(n, r)| (n, Some(r)))
            .unwrap_or((part, None));
        if !name.is_empty() {
            out = pointer::join(&out, name);
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                out = pointer::join(&out, idx.trim_end_matches(']'));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
