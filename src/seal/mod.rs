//! Sealing a run so others can trust its reports without rerunning it.
//!
//! - [`Manifest`] lists the SHA-256 of every artifact a run wrote, plus one digest per case
//!   and per top-level field of results.json so a change can be named precisely.
//! - [`keys`] signs the manifest with Ed25519 (key from the environment) and reads public keys.
//! - [`verify`] checks a report directory against its manifest and signature and says exactly
//!   what changed.

pub mod keys;
pub mod verify;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::digest::sha256_hex;
use crate::openapi::normalise;
use crate::run::{Input, Outcome, RunSummary};

/// Format version of manifest.json.
pub const MANIFEST_FORMAT: u32 = 1;

/// The manifest's file name inside a report directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The detached signature's file name inside a report directory.
pub const SIGNATURE_FILE: &str = "manifest.sig";

/// The SHA-256 digests of a run's artifacts: what `accord verify` checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `accord 0.1.0`.
    pub generator: String,
    pub started_at: String,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Every artifact, by path relative to the manifest's directory.
    pub files: Vec<FileDigest>,
    /// The results file, broken down so a change to it can be named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<ResultsDigest>,
    /// The inputs the verdicts rest on, as recorded in results.json.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
}

/// One artifact's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// results.json digested field by field and case by case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsDigest {
    pub path: String,
    /// Every top-level field but `cases`, in file order.
    pub fields: Vec<FieldDigest>,
    pub cases: Vec<CaseDigest>,
}

/// One top-level field of results.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDigest {
    pub name: String,
    pub sha256: String,
}

/// One case of results.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDigest {
    pub name: String,
    pub outcome: Outcome,
    pub sha256: String,
}

/// The digest of a JSON value in its compact form, member order as in the file.
fn value_digest(v: &Value) -> String {
    sha256_hex(serde_json::to_string(v).unwrap_or_default().as_bytes())
}

/// Breaks results.json text down into field and case digests; `None` when it is not a JSON
/// object.
pub fn digest_results(path: &str, text: &str) -> Option<ResultsDigest> {
    let Value::Object(map) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    let fields = map
        .iter()
        .filter(|(k, _)| k.as_str() != "cases")
        .map(|(k, v)| FieldDigest {
            name: k.clone(),
            sha256: value_digest(v),
        })
        .collect();
    let cases = map
        .get("cases")
        .and_then(Value::as_array)
        .map(|cases| {
            cases
                .iter()
                .map(|c| CaseDigest {
                    name: c["name"].as_str().unwrap_or_default().to_owned(),
                    outcome: serde_json::from_value(c["outcome"].clone())
                        .unwrap_or(Outcome::Errored),
                    sha256: value_digest(c),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ResultsDigest {
        path: path.to_owned(),
        fields,
        cases,
    })
}

/// `path` relative to `dir`, with `/` separators; `None` when it is not under `dir`.
pub fn relative(dir: &Path, path: &Path) -> Option<String> {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    };
    let (dir, path) = (normalise(&abs(dir)), normalise(&abs(path)));
    let rest = path.strip_prefix(&dir).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

impl Manifest {
    /// Digests the artifacts of `summary` written at `artifacts`, naming each relative to
    /// `dir` (the manifest's directory); `results` is the results.json among them.
    pub fn build(
        summary: &RunSummary,
        dir: &Path,
        artifacts: &[&Path],
        results: &Path,
    ) -> Result<Manifest, String> {
        let mut files = Vec::new();
        let mut results_digest = None;
        for path in artifacts {
            let name = relative(dir, path).ok_or_else(|| {
                format!(
                    "{} is outside {}: write every report under the manifest's directory",
                    path.display(),
                    dir.display()
                )
            })?;
            let bytes =
                std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            if *path == results {
                results_digest = digest_results(&name, &String::from_utf8_lossy(&bytes));
            }
            files.push(FileDigest {
                path: name,
                bytes: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Manifest {
            format: MANIFEST_FORMAT,
            generator: format!("accord {}", env!("CARGO_PKG_VERSION")),
            started_at: summary.started_at.clone(),
            duration_ms: summary.duration_ms,
            profile: summary.profile.clone(),
            files,
            results: results_digest,
            inputs: summary.inputs.clone(),
        })
    }

    /// The manifest as written: pretty JSON with a final newline.
    pub fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Writes `dir/manifest.json` over `artifacts` and, with a key, `dir/manifest.sig`; returns the
/// paths written. A stale signature from an earlier run is removed so it cannot seem to vouch
/// for this one.
pub fn seal(
    summary: &RunSummary,
    dir: &Path,
    artifacts: &[&Path],
    results: &Path,
    key: Option<&keys::SigningKey>,
) -> Result<Vec<PathBuf>, String> {
    let manifest = Manifest::build(summary, dir, artifacts, results)?;
    let text = manifest.render();
    let path = dir.join(MANIFEST_FILE);
    std::fs::write(&path, &text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    let sig_path = dir.join(SIGNATURE_FILE);
    let mut written = vec![path];
    match key {
        Some(key) => {
            let sig = key.sign(text.as_bytes());
            std::fs::write(&sig_path, sig.render())
                .map_err(|e| format!("{}: cannot write: {e}", sig_path.display()))?;
            written.push(sig_path);
        }
        None => {
            if sig_path.exists() {
                std::fs::remove_file(&sig_path)
                    .map_err(|e| format!("{}: cannot remove: {e}", sig_path.display()))?;
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
