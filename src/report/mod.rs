//! Every report format, each a pure function of a [`RunSummary`].
//!
//! - [`junit`]: JUnit XML for CI (one `<testsuite>` per API and suite, failures apart from errors).
//! - [`html`]: one self-contained HTML file with every exchange as evidence.
//! - [`certificate`]: the printable certification report, with input and artifact digests.
//! - [`json`](crate::run::json): `results.json`, the full record, written and read back by the
//!   run area.
//! - [`terminal`]: the closing summary and the live [`terminal::Progress`] line.
//! - [`coverage`]: what each format shows of the run's coverage.
//!
//! A finding reads the same in every format because every format renders it through
//! [`describe`]; harness errors go through [`describe_error`]. [`write_all`] writes the four file
//! formats and passes each through [`redact_text`] on the way out.

pub mod certificate;
pub mod coverage;
pub mod html;
pub mod junit;
pub mod shown;
pub mod terminal;

#[cfg(test)]
pub(crate) mod fixture;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, HarnessError, Severity};
use crate::run::RunSummary;

/// Longest `expected`/`actual` value kept on the first line of a description.
const INLINE_VALUE_MAX: usize = 120;

/// Renders a finding in the one text form every report uses.
///
/// The first line stands alone (terminal summaries and JUnit messages use just that line):
///
/// ```text
/// [response-schema] step 1, body /data/accounts/0/productCategory: "SAVINGS" is not one of the allowed values (expected: one of TRANS_AND_SAVINGS_ACCOUNTS, TERM_DEPOSITS, actual: "SAVINGS")
///   rule: CDS Banking API 1.34, BankingProductCategory
///   spec: specs/cds-banking.yaml#/components/schemas/BankingProductCategory
///   suite: suites/cdr/accounts.yaml:14:9
/// ```
///
/// Steps count from 1. A warning says so after the check id. Values that are long or span
/// lines move from the first line to indented `expected:`/`actual:` blocks. When something other
/// than the check chose the finding's level, a `warning because:` (or `failure because:`) block
/// says why.
pub fn describe(f: &Finding) -> String {
    let mut out = describe_line(f);
    let long = |v: &Option<String>| v.as_deref().is_some_and(|v| !is_inline(v));
    if long(&f.expected) || long(&f.actual) {
        for (label, value) in [("expected", &f.expected), ("actual", &f.actual)] {
            if let Some(v) = value {
                push_block(&mut out, label, v);
            }
        }
    }
    if let Some(reason) = &f.severity_reason {
        push_block(&mut out, &format!("{} because", f.severity.word()), reason);
    }
    for (label, value) in [
        ("rule", &f.rule),
        ("spec", &f.spec_location),
        ("suite", &f.suite_location),
    ] {
        if let Some(v) = value {
            push_block(&mut out, label, v);
        }
    }
    out
}

/// The first line of [`describe`]: check id, step, where, message, and short expected/actual.
pub fn describe_line(f: &Finding) -> String {
    let mut out = format!("[{}]", f.check);
    if f.severity == Severity::Warning {
        out.push_str(" warning:");
    }
    let _ = write!(out, " step {}", f.step + 1);
    if let Some(page) = f.page {
        let _ = write!(out, ", page {page}");
    }
    let _ = write!(out, ", {}: {}", f.at, f.message);
    let expected = f.expected.as_deref().filter(|v| is_inline(v));
    let actual = f.actual.as_deref().filter(|v| is_inline(v));
    let all_inline =
        f.expected.as_deref().is_none_or(is_inline) && f.actual.as_deref().is_none_or(is_inline);
    if all_inline {
        match (expected, actual) {
            (Some(e), Some(a)) => {
                let _ = write!(out, " (expected: {e}, actual: {a})");
            }
            (Some(e), None) => {
                let _ = write!(out, " (expected: {e})");
            }
            (None, Some(a)) => {
                let _ = write!(out, " (actual: {a})");
            }
            (None, None) => {}
        }
    }
    out
}

/// Renders a harness error in the one text form every report uses:
/// `[timeout] step 2: no response within 30s` plus an indented `curl:` line when known.
pub fn describe_error(e: &HarnessError) -> String {
    let mut out = describe_error_line(e);
    if let Some(curl) = &e.curl {
        push_block(&mut out, "curl", curl);
    }
    out
}

/// The first line of [`describe_error`].
pub fn describe_error_line(e: &HarnessError) -> String {
    format!("[{}] step {}: {}", e.kind.as_str(), e.step + 1, e.message)
}

fn is_inline(v: &str) -> bool {
    v.chars().count() <= INLINE_VALUE_MAX && !v.contains('\n')
}

fn push_block(out: &mut String, label: &str, value: &str) {
    let mut lines = value.lines();
    let _ = write!(out, "\n  {label}: {}", lines.next().unwrap_or(""));
    for line in lines {
        let _ = write!(out, "\n    {line}");
    }
}

/// Replaces every occurrence of every non-empty secret in `text` with `[redacted]`.
///
/// Exchanges are recorded already redacted; this is the last pass before bytes leave the
/// process, so a secret that slipped into a message or a server echo still does not leak.
/// Longer secrets go first so one that contains another is replaced whole.
pub fn redact_text(text: &str, secrets: &[String]) -> String {
    let mut sorted: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for s in sorted {
        if out.contains(s) {
            out = out.replace(s, "[redacted]");
        }
    }
    out
}

/// Every form a secret can take in the written reports: as is, escaped for XML and HTML, and
/// escaped inside a JSON string.
pub(crate) fn encoded_forms(secrets: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        let amp = s
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let xml = amp.replace('"', "&quot;").replace('\'', "&apos;");
        let html = amp
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
            .replace('/', "&#x2f;");
        let json = serde_json::to_string(s).unwrap_or_default();
        let json = json.trim_matches('"').to_owned();
        for form in [s.clone(), amp, xml, html, json] {
            if !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}

/// Where a run's reports go.
#[derive(Debug, Clone)]
pub struct Paths {
    pub junit: PathBuf,
    pub html: PathBuf,
    pub json: PathBuf,
    pub certificate: PathBuf,
}

impl Paths {
    /// The four reports under `dir` with their usual names.
    pub fn in_dir(dir: &Path) -> Paths {
        Paths {
            junit: dir.join("junit.xml"),
            html: dir.join("report.html"),
            json: dir.join("results.json"),
            certificate: dir.join("certificate.html"),
        }
    }

    /// The directory of results.json, where the manifest goes.
    pub fn seal_dir(&self) -> PathBuf {
        self.json
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Writes the JUnit, HTML and JSON reports and then the certificate (which lists the digests
/// of the other three as written), creating parent directories, each passed through
/// [`redact_text`] with `secrets` (and their escaped forms).
pub fn write_all(summary: &RunSummary, paths: &Paths, secrets: &[String]) -> std::io::Result<()> {
    let secrets = encoded_forms(secrets);
    let write = |path: &Path, text: &str| -> std::io::Result<Vec<u8>> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let bytes = redact_text(text, &secrets).into_bytes();
        std::fs::write(path, &bytes)?;
        Ok(bytes)
    };
    let dir = paths.seal_dir();
    let mut artifacts = Vec::new();
    for (path, text) in [
        (&paths.junit, junit::render(summary)),
        (&paths.html, html::render(summary)),
        (&paths.json, crate::run::json::render(summary)),
    ] {
        let bytes = write(path, &text)?;
        artifacts.push(crate::seal::FileDigest {
            path: crate::seal::relative(&dir, path).unwrap_or_else(|| path.display().to_string()),
            bytes: bytes.len() as u64,
            sha256: crate::digest::sha256_hex(&bytes),
        });
    }
    write(
        &paths.certificate,
        &certificate::render(summary, &artifacts),
    )?;
    Ok(())
}

/// Writes every report, then seals them: `manifest.json` beside results.json with the digest
/// of each report under that directory, signed into `manifest.sig` when a key is given.
/// Returns the manifest files written and the reports left out of the manifest because they
/// lie outside its directory.
pub fn write_sealed(
    summary: &RunSummary,
    paths: &Paths,
    secrets: &[String],
    key: Option<&crate::seal::keys::SigningKey>,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let mut secrets = secrets.to_vec();
    if let Some(k) = key {
        secrets.extend(k.secrets());
    }
    write_all(summary, paths, &secrets).map_err(|e| format!("cannot write the reports: {e}"))?;
    let dir = paths.seal_dir();
    let all = [&paths.junit, &paths.html, &paths.json, &paths.certificate];
    let (inside, outside): (Vec<&PathBuf>, Vec<&PathBuf>) = all
        .into_iter()
        .partition(|p| crate::seal::relative(&dir, p).is_some());
    let inside: Vec<&Path> = inside.into_iter().map(PathBuf::as_path).collect();
    let written = crate::seal::seal(summary, &dir, &inside, &paths.json, key)?;
    Ok((written, outside.into_iter().cloned().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{HarnessErrorKind, Where};
    use crate::report::fixture;

    #[test]
    fn short_values_stay_on_the_first_line() {
        let f = Finding::new("status", 0, Where::status(), "unexpected status")
            .expected("200")
            .actual("500")
            .rule("RFC 9110 15.3.1")
            .suite_location(Some("suites/a.yaml:3:5".into()));
        assert_eq!(
            describe(&f),
            "[status] step 1, status: unexpected status (expected: 200, actual: 500)\n  \
             rule: RFC 9110 15.3.1\n  suite: suites/a.yaml:3:5"
        );
    }

    #[test]
    fn a_page_of_a_walk_is_named_after_the_step() {
        let f = Finding::new("pagination-walk", 0, Where::body("/links/next"), "loops").page(7);
        assert_eq!(
            describe_line(&f),
            "[pagination-walk] step 1, page 7, body /links/next: loops"
        );
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["page"], 7);
        let plain = Finding::new("x", 0, Where::status(), "m");
        assert!(serde_json::to_value(&plain).unwrap().get("page").is_none());
    }

    #[test]
    fn long_values_move_to_blocks() {
        let f = Finding::new("body-equals", 1, Where::body(""), "body differs")
            .expected("{\n  \"a\": 1\n}")
            .actual("x")
            .warning();
        assert_eq!(
            describe(&f),
            "[body-equals] warning: step 2, body: body differs\n  expected: {\n      \"a\": 1\n    }\n  actual: x"
        );
    }

    #[test]
    fn errors_read_with_kind_and_step() {
        let e = HarnessError {
            kind: HarnessErrorKind::BodyTooLarge,
            step: 0,
            message: "body exceeds 10 MiB".into(),
            curl: Some("curl http://x".into()),
        };
        assert_eq!(
            describe_error(&e),
            "[body-too-large] step 1: body exceeds 10 MiB\n  curl: curl http://x"
        );
    }

    #[test]
    fn redacts_longest_secret_first_and_ignores_empty() {
        let secrets = vec!["abc".to_string(), String::new(), "abcdef".to_string()];
        assert_eq!(
            redact_text("x abcdef y abc", &secrets),
            "x [redacted] y [redacted]"
        );
    }

    fn html_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
            .replace('/', "&#x2f;")
    }

    #[test]
    fn findings_read_the_same_in_every_format() {
        let run = fixture::summary();
        let text = terminal::summary(&run, false);
        let xml = junit::render(&run);
        let report = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit");
        let failure = match &report.test_suites[0].test_cases[1].status {
            quick_junit::TestCaseStatus::NonSuccess { description, .. } => {
                description.as_deref().unwrap_or("").to_owned()
            }
            other => panic!("expected a failure, got {other:?}"),
        };
        let page = html::render(&run);
        let findings = &run.cases[1].findings;
        assert_eq!(findings.len(), 3);
        for f in findings {
            assert!(text.contains(&describe_line(f)), "terminal: {f:?}");
            assert!(failure.contains(&describe(f)), "junit: {f:?}");
            assert!(page.contains(&html_escape(&describe(f))), "html: {f:?}");
        }
    }

    #[test]
    fn write_all_creates_dirs_and_redacts() {
        let dir = std::env::temp_dir().join(format!("accord-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut run = fixture::summary();
        run.cases[1].findings[0].message = "token s3cr3t-value leaked".into();
        run.cases[1].findings[1].actual = Some("a&b\"c/d".into());
        let paths = [
            dir.join("a/junit.xml"),
            dir.join("b/report.html"),
            dir.join("results.json"),
            dir.join("c/certificate.html"),
        ];
        write_all(
            &run,
            &Paths {
                junit: paths[0].clone(),
                html: paths[1].clone(),
                json: paths[2].clone(),
                certificate: paths[3].clone(),
            },
            &["s3cr3t-value".to_string(), "a&b\"c/d".to_string()],
        )
        .expect("writes");
        for p in &paths {
            let body = std::fs::read_to_string(p).expect("written");
            assert!(!body.contains("s3cr3t-value"), "{}", p.display());
            assert!(
                !body.contains("c/d") && !body.contains("c&#x2f;d"),
                "{}",
                p.display()
            );
            assert!(body.contains("token [redacted] leaked"), "{}", p.display());
        }
        let back =
            crate::run::json::parse(&std::fs::read_to_string(&paths[2]).unwrap()).expect("parses");
        assert_eq!(back.cases.len(), run.cases.len());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
