//! Form bodies against a server accord did not build: `tests/fixtures/forms/server.py`, a
//! Python server (standard library only) that parses URL-encoded and multipart bodies itself
//! and checks every field as `openapi.yaml` and `swagger.yaml` there state. Spec-only runs,
//! the suite `accord init` writes and a hand-written suite (`form:`, `multipart:`) all pass
//! on it; with one of its faults switched on, the run fails with the check that names it.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const OPENAPI: &str = "tests/fixtures/forms/openapi.yaml";
const SWAGGER: &str = "tests/fixtures/forms/swagger.yaml";
const SUITE: &str = "tests/fixtures/forms/suite.yaml";

/// The password the hand-written suite sends in its form, and its form-encoded text.
const SECRET: (&str, &str) = ("p@ss word/1", "p%40ss+word%2F1");

/// `server.py` serving on a free loopback port; stopped when dropped.
type Server = common::MockProcess;

/// Starts `server.py`, with `fault` switched on.
fn server(fault: Option<&str>) -> Server {
    let mut cmd = Command::new("python3");
    cmd.arg("tests/fixtures/forms/server.py")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null());
    if let Some(f) = fault {
        cmd.args(["--fault", f]);
    }
    let server = common::MockProcess::spawn(cmd);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    server
}

/// Runs accord with reports under `dir`; its output and results.json.
fn accord(args: &[&str], dir: &Path) -> (common::Out, Value) {
    let mut cmd = common::accord();
    cmd.args(args)
        .arg("--quiet")
        .args(common::report_args(dir))
        .env("ACCORD_FORMS_PASSWORD", SECRET.0);
    let out = common::output(&mut cmd);
    let results = std::fs::read_to_string(dir.join("results.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    (out, results)
}

/// `openapi` for `tests/fixtures/forms/openapi.yaml`.
fn stem(spec: &str) -> String {
    Path::new(spec)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn spec_only(spec: &str, server: &Server, dir: &Path) -> (common::Out, Value) {
    accord(&["run", "--spec", spec, "--target", &server.url], dir)
}

/// The case of that name.
fn case<'a>(results: &'a Value, name: &str) -> &'a Value {
    results["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name} in {results:#}"))
}

/// (outcome, `severity:check` of each finding) of a case.
fn verdict(results: &Value, name: &str) -> (String, Vec<String>) {
    let c = case(results, name);
    let findings = common::finding_labels(c);
    (c["outcome"].as_str().unwrap_or("").to_owned(), findings)
}

/// Every case passed without a finding.
fn all_clean(results: &Value) -> Vec<String> {
    results["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["outcome"] != "passed" || c["findings"].as_array().is_some_and(|f| !f.is_empty())
        })
        .map(|c| format!("{}: {} {}", c["name"], c["outcome"], c["findings"]))
        .collect()
}

fn names(results: &Value) -> Vec<String> {
    results["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn spec_only_runs_send_forms_the_server_accepts_and_break_their_fields() {
    let server = server(None);
    for (spec, negatives) in [
        (
            OPENAPI,
            &[
                "forms::createSession::negative-form-age-not-integer",
                "forms::createSession::negative-form-scope-0-not-in-enum",
                "forms::createSession::negative-form-user-missing",
                "forms::uploadReceipt::negative-multipart-total-not-number",
                "forms::uploadReceipt::negative-multipart-receipt-missing",
            ][..],
        ),
        (
            SWAGGER,
            &[
                "forms::addNote::negative-form-priority-not-integer",
                "forms::uploadAvatar::negative-multipart-image-missing",
            ][..],
        ),
    ] {
        let dir = common::scratch(&format!("forms-spec-only-{}", stem(spec)));
        let (out, results) = spec_only(spec, &server, &dir);
        assert_eq!(out.code, 0, "{spec}: {}{}", out.stdout, out.stderr);
        assert_eq!(all_clean(&results), Vec::<String>::new(), "{spec}");
        let got = names(&results);
        for n in negatives {
            assert!(got.iter().any(|g| g == n), "{spec}: {n} in {got:#?}");
        }
    }
    let dir = common::scratch("forms-spec-only-sent");
    let (_, results) = spec_only(OPENAPI, &server, &dir);
    let sent = &case(&results, "forms::createSession::valid")["exchanges"][0]["request"];
    assert_eq!(sent["body"], "user=ann&age=30&scope=read&scope=write");
    assert_eq!(
        sent["headers"][0],
        serde_json::json!(["content-type", "application/x-www-form-urlencoded"])
    );
    let upload = &case(&results, "forms::uploadReceipt::valid")["exchanges"][0];
    let body = upload["request"]["body"].as_str().unwrap();
    assert!(
        body.contains(
            "Content-Disposition: form-data; name=\"receipt\"; filename=\"receipt\"\r\nContent-Type: text/csv\r\n\r\nitem,price\nsoup,12.50\n\r\n"
        ),
        "{body}"
    );
    let answered: Value =
        serde_json::from_str(upload["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        answered,
        serde_json::json!({"note": "lunch", "total": 12.5, "filename": "receipt", "type": "text/csv", "size": 22})
    );
}

#[test]
fn a_suite_sends_form_and_multipart_bodies_with_secrets_redacted() {
    let lint = common::output(common::accord().args(["lint", SUITE]));
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);
    let server = server(None);
    let dir = common::scratch("forms-suite");
    let (out, results) = accord(&["run", SUITE, "--target", &server.url], &dir);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(all_clean(&results), Vec::<String>::new());
    assert_eq!(names(&results).len(), 5, "{results:#}");
    let sent = &case(&results, "forms::suite::sign-in")["exchanges"][0];
    assert_eq!(
        sent["request"]["body"],
        "user=ann+lee&password=[redacted]&age=30&scope=read&scope=write"
    );
    assert!(
        sent["curl"].as_str().unwrap().ends_with(
            "--data-raw 'user=ann+lee&password=[redacted]&age=30&scope=read&scope=write'"
        ),
        "{}",
        sent["curl"]
    );
    for secret in [SECRET.0, SECRET.1] {
        common::assert_no_secret(&dir, secret, &[&out.stdout, &out.stderr]);
    }
}

#[test]
fn init_writes_form_requests_that_lint_clean_and_pass() {
    let server = server(None);
    for (api, spec) in [("forms", OPENAPI), ("forms-v2", SWAGGER)] {
        let dir = common::scratch(&format!("forms-init-{api}"));
        let out = common::output(common::accord().args([
            "init",
            spec,
            "--api",
            api,
            "--dir",
            &dir.display().to_string(),
        ]));
        assert_eq!(out.code, 0, "{api}: {}", out.stderr);
        let suite = dir.join("suites").join(api).display().to_string();
        let text =
            std::fs::read_to_string(dir.join("suites").join(api).join(format!("{api}.yaml")))
                .unwrap();
        assert!(
            !text.contains("NOTE"),
            "{api}: every body is built:\n{text}"
        );
        let lint = common::output(common::accord().args(["lint", &suite]));
        assert_eq!(lint.code, 0, "{api}: {}{}", lint.stdout, lint.stderr);
        let (out, results) = accord(
            &["run", &suite, "--target", &server.url],
            &dir.join("reports"),
        );
        assert_eq!(out.code, 0, "{api}: {}{}", out.stdout, out.stderr);
        assert_eq!(all_clean(&results), Vec::<String>::new(), "{api}");
    }
}

#[test]
fn a_response_breaking_its_schema_fails_response_schema() {
    let server = server(Some("bad-response"));
    for (spec, valid) in [
        (
            OPENAPI,
            ["forms::createSession::valid", "forms::uploadReceipt::valid"],
        ),
        (
            SWAGGER,
            ["forms::addNote::valid", "forms::uploadAvatar::valid"],
        ),
    ] {
        let dir = common::scratch(&format!("forms-bad-response-{}", stem(spec)));
        let (out, results) = spec_only(spec, &server, &dir);
        assert_eq!(out.code, 1, "{spec}: {}{}", out.stdout, out.stderr);
        for name in valid {
            let (outcome, findings) = verdict(&results, name);
            assert_eq!(outcome, "failed", "{name}");
            assert_eq!(findings, ["error:response-schema"], "{name}");
        }
    }
}

#[test]
fn a_server_that_accepts_a_missing_required_field_fails_where_the_sources_say_it_must_refuse() {
    let server = server(Some("lenient"));
    let dir = common::scratch("forms-lenient-suite");
    let (out, results) = accord(&["run", SUITE, "--target", &server.url], &dir);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        verdict(
            &results,
            "forms::suite::negative-createSession-form-user-missing"
        ),
        (
            "failed".to_owned(),
            vec!["error:negative-rejected".to_owned()]
        )
    );
    assert_eq!(
        verdict(&results, "forms::suite::sign-in-without-user"),
        ("failed".to_owned(), vec!["error:expect-status".to_owned()])
    );
    assert_eq!(verdict(&results, "forms::suite::sign-in").0, "passed");

    // The document alone states the rule for valid requests only: a warning.
    let dir = common::scratch("forms-lenient-spec-only");
    let (out, results) = spec_only(OPENAPI, &server, &dir);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        verdict(&results, "forms::createSession::negative-form-user-missing"),
        (
            "passed".to_owned(),
            vec!["warning:negative-rejected".to_owned()]
        )
    );
}
