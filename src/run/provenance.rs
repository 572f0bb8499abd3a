//! What a run's verdicts rest on: the SHA-256 of every spec, suite, catalogue, snapshot and
//! other file the run read (`inputs` in results.json and the certificate).

use std::path::Path;

use crate::digest::sha256_hex;
use crate::openapi::normalise;
use crate::plan::Plan;
use crate::run::{Input, InputKind, RunSummary};

/// The suites, specs (every file of each), requirements catalogues and stored snapshots of a
/// plan, with their digests, sorted by kind then path.
pub fn plan_inputs(plan: &Plan) -> Vec<Input> {
    let mut out = Vec::new();
    // A plan may hold one suite many times over (a repeated run); each is digested once.
    let mut seen = std::collections::HashSet::new();
    for ps in &plan.suites {
        if !seen.insert(std::sync::Arc::as_ptr(&ps.suite)) {
            continue;
        }
        out.push(Input {
            kind: InputKind::Suite,
            path: shown(&ps.suite.doc.file),
            sha256: sha256_hex(ps.suite.doc.text.as_bytes()),
        });
    }
    for spec in &plan.specs {
        for (path, sha256) in &spec.sources {
            out.push(Input {
                kind: InputKind::Spec,
                path: shown(path),
                sha256: sha256.clone(),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for cat in plan.suites.iter().filter_map(|ps| ps.catalogue.as_ref()) {
        if !seen.insert(std::sync::Arc::as_ptr(cat)) {
            continue;
        }
        out.push(Input {
            kind: InputKind::Catalogue,
            path: shown(&cat.doc.file),
            sha256: sha256_hex(cat.doc.text.as_bytes()),
        });
    }
    for (path, text) in crate::plan::read_snapshots(plan) {
        out.push(Input {
            kind: InputKind::Snapshot,
            path: shown(&path.display().to_string()),
            sha256: sha256_hex(text.as_bytes()),
        });
    }
    out.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    out.dedup();
    out
}

/// A path as a reader should see it: `.` and `..` folded (`specs/cdr/accounts.yaml`).
fn shown(path: &str) -> String {
    normalise(Path::new(path)).display().to_string()
}

/// One more input read from `path` (a profile, waivers file, baseline or recording).
pub fn file_input(kind: InputKind, path: &Path) -> std::io::Result<Input> {
    let bytes = std::fs::read(path)?;
    Ok(Input {
        kind,
        path: path.display().to_string(),
        sha256: sha256_hex(&bytes),
    })
}

/// Adds inputs to a summary's, keeping them sorted and without repeats.
pub fn add_inputs(summary: &mut RunSummary, more: impl IntoIterator<Item = Input>) {
    summary.inputs.extend(more);
    summary
        .inputs
        .sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    summary.inputs.dedup();
}
