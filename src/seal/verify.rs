//! `accord verify <dir>`: checks a report directory against its manifest and signature.
//!
//! Every file the manifest lists is digested again; a change is named down to the case and
//! field of results.json that differ. Files the manifest does not list are reported but do not
//! fail verification, since they were never attested. The signature, when there is one, is
//! checked over manifest.json's exact bytes; `--public-key` pins who must have signed.
//! The main type is [`Verdict`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::keys::{ALGORITHM, PublicKey, SignatureFile, b64_decode};
use super::{MANIFEST_FILE, Manifest, ResultsDigest, SIGNATURE_FILE, digest_results};
use crate::digest::sha256_hex;

/// What the caller demands of the signature.
#[derive(Debug, Default)]
pub struct Options {
    /// The key that must have signed.
    pub public_key: Option<PublicKey>,
    /// Fail when the manifest is not signed.
    pub require_signature: bool,
}

/// How one listed file compares with the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Intact,
    Changed {
        recorded: String,
        found: String,
        bytes_was: u64,
        bytes_now: u64,
        /// For results.json: the fields and cases that differ.
        details: Vec<String>,
    },
    Missing,
    /// The manifest names a path outside its directory.
    Outside,
}

/// The signature's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    Unsigned,
    Valid { key_id: String, pinned: bool },
    Invalid { key_id: String },
    WrongKey { found: String, expected: String },
    Unreadable(String),
}

/// The outcome of verifying a directory.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub dir: String,
    pub files: Vec<(String, FileState)>,
    /// Files under the directory the manifest does not list.
    pub extra: Vec<String>,
    pub signature: Signature,
    pub require_signature: bool,
}

impl Verdict {
    /// True when every listed file is intact and the signature meets the options.
    pub fn holds(&self) -> bool {
        self.files.iter().all(|(_, s)| *s == FileState::Intact)
            && match &self.signature {
                Signature::Valid { .. } => true,
                Signature::Unsigned => !self.require_signature,
                _ => false,
            }
    }

    /// The text `accord verify` prints.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (path, state) in &self.files {
            match state {
                FileState::Intact => {
                    let _ = writeln!(out, "  ok       {path}");
                }
                FileState::Changed {
                    recorded,
                    found,
                    bytes_was,
                    bytes_now,
                    details,
                } => {
                    let _ = writeln!(
                        out,
                        "  CHANGED  {path}: sha256 {} recorded, {} found ({bytes_now} bytes, was {bytes_was})",
                        &recorded[..recorded.len().min(16)],
                        &found[..found.len().min(16)]
                    );
                    for d in details {
                        let _ = writeln!(out, "             {d}");
                    }
                }
                FileState::Missing => {
                    let _ = writeln!(out, "  MISSING  {path}: listed in the manifest, not found");
                }
                FileState::Outside => {
                    let _ = writeln!(
                        out,
                        "  REFUSED  {path}: the manifest names a path outside {}",
                        self.dir
                    );
                }
            }
        }
        for path in &self.extra {
            let _ = writeln!(
                out,
                "  extra    {path}: not listed in the manifest (not attested)"
            );
        }
        let sig = match &self.signature {
            Signature::Unsigned if self.require_signature => {
                format!("MISSING: {SIGNATURE_FILE} not found, and a signature is required")
            }
            Signature::Unsigned => {
                format!("none ({SIGNATURE_FILE} not found; the manifest is not signed)")
            }
            Signature::Valid {
                key_id,
                pinned: true,
            } => {
                format!("valid {ALGORITHM} signature by the expected key {key_id}")
            }
            Signature::Valid {
                key_id,
                pinned: false,
            } => format!(
                "valid {ALGORITHM} signature by key {key_id} (pass --public-key to require this signer)"
            ),
            Signature::Invalid { key_id } => format!(
                "INVALID: the signature by key {key_id} does not match {MANIFEST_FILE}: the manifest or the signature was changed after signing"
            ),
            Signature::WrongKey { found, expected } => {
                format!("WRONG KEY: signed by {found}, but --public-key expects {expected}")
            }
            Signature::Unreadable(why) => format!("UNREADABLE: {SIGNATURE_FILE}: {why}"),
        };
        let _ = writeln!(out, "signature: {sig}");
        let changed = self
            .files
            .iter()
            .filter(|(_, s)| *s != FileState::Intact)
            .count();
        let verdict = if self.holds() {
            format!(
                "verified: {} file{} match the manifest",
                self.files.len(),
                if self.files.len() == 1 { "" } else { "s" }
            )
        } else if changed > 0 {
            format!(
                "NOT VERIFIED: {changed} of {} file{} differ from the manifest",
                self.files.len(),
                if self.files.len() == 1 { "" } else { "s" }
            )
        } else {
            "NOT VERIFIED: the signature does not hold".to_owned()
        };
        let _ = writeln!(out, "{verdict}");
        out
    }
}

/// Verifies `dir` against `dir/manifest.json`; an unreadable manifest is an error.
pub fn verify(dir: &Path, opts: &Options) -> Result<Verdict, String> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let text = std::fs::read(&manifest_path)
        .map_err(|e| format!("{}: cannot read: {e}", manifest_path.display()))?;
    let signature = signature(dir, &text, opts);
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not an accord manifest: {e}",
            manifest_path.display(),
            e.line(),
            e.column()
        )
    })?;
    let mut files = Vec::new();
    let mut listed = HashSet::new();
    for f in &manifest.files {
        listed.insert(f.path.clone());
        let unsafe_path =
            Path::new(&f.path).is_absolute() || f.path.split(['/', '\\']).any(|part| part == "..");
        if unsafe_path {
            files.push((f.path.clone(), FileState::Outside));
            continue;
        }
        let state = match std::fs::read(dir.join(&f.path)) {
            Err(_) => FileState::Missing,
            Ok(bytes) => {
                let found = sha256_hex(&bytes);
                if found == f.sha256 {
                    FileState::Intact
                } else {
                    let details = match &manifest.results {
                        Some(r) if r.path == f.path => {
                            results_changes(r, &String::from_utf8_lossy(&bytes))
                        }
                        _ => Vec::new(),
                    };
                    FileState::Changed {
                        recorded: f.sha256.clone(),
                        found,
                        bytes_was: f.bytes,
                        bytes_now: bytes.len() as u64,
                        details,
                    }
                }
            }
        };
        files.push((f.path.clone(), state));
    }
    let mut extra = Vec::new();
    walk(dir, dir, &mut |rel| {
        if rel != MANIFEST_FILE && rel != SIGNATURE_FILE && !listed.contains(rel) {
            extra.push(rel.to_owned());
        }
    });
    extra.sort();
    Ok(Verdict {
        dir: dir.display().to_string(),
        files,
        extra,
        signature,
        require_signature: opts.require_signature || opts.public_key.is_some(),
    })
}

fn signature(dir: &Path, manifest: &[u8], opts: &Options) -> Signature {
    let path = dir.join(SIGNATURE_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Signature::Unsigned;
    };
    let sig: SignatureFile = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => return Signature::Unreadable(format!("{}:{}: {e}", e.line(), e.column())),
    };
    if sig.algorithm != ALGORITHM {
        return Signature::Unreadable(format!("algorithm `{}` is not {ALGORITHM}", sig.algorithm));
    }
    let signer = match PublicKey::parse(&sig.public_key) {
        Ok(k) => k,
        Err(e) => return Signature::Unreadable(format!("public_key: {e}")),
    };
    let Some(raw) = b64_decode(&sig.signature) else {
        return Signature::Unreadable("signature: not base64".into());
    };
    if let Some(expected) = &opts.public_key
        && *expected != signer
    {
        return Signature::WrongKey {
            found: signer.id(),
            expected: expected.id(),
        };
    }
    if signer.verifies(manifest, &raw) {
        Signature::Valid {
            key_id: signer.id(),
            pinned: opts.public_key.is_some(),
        }
    } else {
        Signature::Invalid {
            key_id: signer.id(),
        }
    }
}

/// What differs between recorded results digests and the results text found now.
fn results_changes(recorded: &ResultsDigest, text: &str) -> Vec<String> {
    let Some(now) = digest_results(&recorded.path, text) else {
        return vec!["no longer a JSON object: the file was cut or replaced".to_owned()];
    };
    let mut out = Vec::new();
    let now_fields: HashMap<&str, &str> = now
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.sha256.as_str()))
        .collect();
    for f in &recorded.fields {
        match now_fields.get(f.name.as_str()) {
            None => out.push(format!("field `{}` removed", f.name)),
            Some(d) if *d != f.sha256 => out.push(format!("field `{}` changed", f.name)),
            Some(_) => {}
        }
    }
    for f in &now.fields {
        if !recorded.fields.iter().any(|r| r.name == f.name) {
            out.push(format!("field `{}` added", f.name));
        }
    }
    let now_cases: HashMap<&str, &super::CaseDigest> =
        now.cases.iter().map(|c| (c.name.as_str(), c)).collect();
    for c in &recorded.cases {
        match now_cases.get(c.name.as_str()) {
            None => out.push(format!("case {} removed", c.name)),
            Some(n) if n.outcome != c.outcome => out.push(format!(
                "case {}: outcome was {}, now {}",
                c.name,
                c.outcome.as_str(),
                n.outcome.as_str()
            )),
            Some(n) if n.sha256 != c.sha256 => out.push(format!(
                "case {}: record changed (outcome still {})",
                c.name,
                c.outcome.as_str()
            )),
            Some(_) => {}
        }
    }
    for c in &now.cases {
        if !recorded.cases.iter().any(|r| r.name == c.name) {
            out.push(format!("case {} added", c.name));
        }
    }
    if out.is_empty() {
        out.push("same fields and cases: only layout (whitespace or order) changed".to_owned());
    }
    out
}

/// Calls `found` with the `/`-separated path of every file under `dir`.
fn walk(root: &Path, dir: &Path, found: &mut dyn FnMut(&str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(root, &path, found);
        } else if kind.is_file()
            && let Some(rel) = super::relative(root, &path)
        {
            found(&rel);
        }
    }
}
