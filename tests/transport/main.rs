//! The command line against sandbox-like servers: mutual TLS, OAuth client credentials,
//! retries of a busy server, the request budget, and secrets kept out of every artifact.
//! Each test writes a profile, runs the `accord` binary, and reads what the server counted
//! and what the reports say.

#[path = "../common/mod.rs"]
mod common;
mod server;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;

use server::Config;

const SUITE: &str = "tests/fixtures/transport/suite.yaml";
const TOKEN: &str = "static-token-4d1c9e";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls")
}

/// Writes `profile.toml` in `dir` and runs the suite's cases matching `filters` with it.
fn run(dir: &Path, profile: &str, filters: &[&str], env: &[(&str, &str)]) -> Output {
    let path = dir.join("profile.toml");
    std::fs::write(&path, profile).unwrap();
    let mut cmd = common::accord();
    cmd.args(["run", SUITE, "--quiet", "--env"])
        .arg(&path)
        .args(common::report_args(dir));
    for f in filters {
        cmd.args(["--filter", f]);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap()
}

fn case<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in {results}"))
}

fn assert_exit(out: &Output, code: i32) {
    let (stdout, stderr) = text(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

fn static_token_profile(base_url: &str, extra: &str) -> String {
    format!(
        "name = \"sandbox\"\n[targets.sandbox]\nbase_url = \"{base_url}\"\n{extra}\n[targets.sandbox.secrets]\ntoken = {{ env = \"SANDBOX_TOKEN\" }}\n"
    )
}

#[test]
fn mutual_tls_runs_with_the_client_identity_and_errors_clearly_without_it() {
    let config = Config {
        static_token: Some(TOKEN.into()),
        ..Config::default()
    };
    let server = server::mutual_tls(config, &fixtures());
    let f = fixtures();
    let pem = |name: &str| f.join(name).display().to_string();
    let dir = common::scratch("mtls-with");
    let with = static_token_profile(
        &server.base_url,
        &format!(
            "[targets.sandbox.tls]\nclient_cert = \"{}\"\nclient_key = \"{}\"\nca = \"{}\"",
            pem("client.pem"),
            pem("client-key.pem"),
            pem("ca.pem")
        ),
    );
    let out = run(&dir, &with, &["ok-1"], &[("SANDBOX_TOKEN", TOKEN)]);
    assert_exit(&out, 0);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 1);

    let dir = common::scratch("mtls-without");
    let without = static_token_profile(
        &server.base_url,
        &format!(
            "retries = 0\n[targets.sandbox.tls]\nca = \"{}\"",
            pem("ca.pem")
        ),
    );
    let out = run(&dir, &without, &["ok-1"], &[("SANDBOX_TOKEN", TOKEN)]);
    assert_exit(&out, 3);
    let r = results(&dir);
    let error = &case(&r, "ok-1")["errors"][0];
    assert_eq!(error["kind"], "tls", "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("client certificate") && message.contains("tls.client_cert"),
        "{message}"
    );
    assert_eq!(
        server.counts.api.load(Ordering::SeqCst),
        1,
        "nothing got through"
    );
}

fn oauth_profile(server: &server::Server, secret_env: &str, extra: &str) -> String {
    format!(
        "[targets.sandbox]\nbase_url = \"{}\"\n{extra}\n[targets.sandbox.oauth2]\ntoken_url = \"{}\"\nclient_id = \"accord-ci\"\nclient_secret = {{ env = \"{secret_env}\" }}\nscope = \"items:read\"\n",
        server.base_url, server.token_url
    )
}

const CLIENT_SECRET: &str = "client-secret-a81f07";

fn oauth_server(lifetime: Duration) -> server::Server {
    server::plain(Config {
        oauth: Some(("accord-ci".into(), CLIENT_SECRET.into())),
        lifetime,
        ..Config::default()
    })
}

fn assert_no_tokens(dir: &Path, server: &server::Server, out: &Output) {
    let (stdout, stderr) = text(out);
    let issued = server.counts.issued.lock().unwrap().clone();
    assert!(!issued.is_empty());
    for secret in issued.iter().map(String::as_str).chain([CLIENT_SECRET]) {
        common::assert_no_secret(dir, secret, &[&stdout, &stderr]);
    }
}

#[test]
fn one_access_token_serves_many_requests() {
    let server = oauth_server(Duration::from_secs(3600));
    let dir = common::scratch("oauth-once");
    let out = run(
        &dir,
        &oauth_profile(&server, "SANDBOX_CLIENT_SECRET", ""),
        &["ok-"],
        &[("SANDBOX_CLIENT_SECRET", CLIENT_SECRET)],
    );
    assert_exit(&out, 0);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 5);
    assert_eq!(server.counts.token.load(Ordering::SeqCst), 1, "one fetch");
    assert_eq!(server.counts.refused.load(Ordering::SeqCst), 0);
    assert_no_tokens(&dir, &server, &out);
}

#[test]
fn an_expired_access_token_is_replaced_before_use() {
    let server = oauth_server(Duration::from_secs(1));
    let dir = common::scratch("oauth-expiry");
    let out = run(
        &dir,
        &oauth_profile(&server, "SANDBOX_CLIENT_SECRET", ""),
        &["outlive-token"],
        &[("SANDBOX_CLIENT_SECRET", CLIENT_SECRET)],
    );
    assert_exit(&out, 0);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 3);
    assert_eq!(
        server.counts.token.load(Ordering::SeqCst),
        2,
        "a second fetch"
    );
    assert_eq!(
        server.counts.refused.load(Ordering::SeqCst),
        0,
        "renewed before the server refused it"
    );
    assert_no_tokens(&dir, &server, &out);
}

#[test]
fn a_refused_access_token_is_replaced_once() {
    let server = oauth_server(Duration::from_secs(3600));
    let dir = common::scratch("oauth-refused");
    let out = run(
        &dir,
        &oauth_profile(&server, "SANDBOX_CLIENT_SECRET", ""),
        &["revoked-token"],
        &[("SANDBOX_CLIENT_SECRET", CLIENT_SECRET)],
    );
    assert_exit(&out, 0);
    assert_eq!(server.counts.token.load(Ordering::SeqCst), 2);
    assert_eq!(server.counts.refused.load(Ordering::SeqCst), 1);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 4);
    let r = results(&dir);
    let step = &case(&r, "revoked-token")["exchanges"][1];
    assert_eq!(step["attempts"], 2, "{step}");
    assert_eq!(step["response"]["status"], 200);
    assert!(
        step["retried"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("HTTP 401 Unauthorized"),
        "{step}"
    );
    assert_no_tokens(&dir, &server, &out);
}

#[test]
fn a_busy_server_is_retried_and_one_that_stays_busy_is_an_infrastructure_error() {
    let server = server::plain(Config {
        static_token: Some(TOKEN.into()),
        ..Config::default()
    });
    let dir = common::scratch("retries");
    let out = run(
        &dir,
        &static_token_profile(&server.base_url, ""),
        &["flaky", "down"],
        &[("SANDBOX_TOKEN", TOKEN)],
    );
    assert_exit(&out, 3);
    assert_eq!(
        server.counts.api.load(Ordering::SeqCst),
        6,
        "3 attempts each"
    );
    let r = results(&dir);
    assert_eq!(r["totals"]["failed"], 0);
    assert_eq!(r["totals"]["errored"], 1);

    let flaky = case(&r, "flaky");
    assert_eq!(flaky["outcome"], "passed");
    let x = &flaky["exchanges"][0];
    assert_eq!(x["attempts"], 3, "{x}");
    assert_eq!(x["retried"].as_array().unwrap().len(), 2);
    assert_eq!(
        x["retried"][0]["reason"],
        "HTTP 503 Service Unavailable (Retry-After: 1)"
    );
    assert_eq!(x["retried"][0]["wait_ms"], 1000);

    let down = case(&r, "down");
    assert_eq!(down["outcome"], "errored");
    assert!(down["findings"].as_array().unwrap().is_empty(), "{down}");
    assert_eq!(down["errors"][0]["kind"], "unavailable");
    assert_eq!(
        down["errors"][0]["message"],
        "gave up after 3 attempts: the last got HTTP 503 Service Unavailable (Retry-After: 1); all 2 retries were spent"
    );
    assert_eq!(down["exchanges"][0]["response"]["status"], 503);

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<error") && !junit.contains("<failure"),
        "{junit}"
    );
    assert!(junit.contains("3 attempts: HTTP 503"), "{junit}");
    let (stdout, _) = text(&out);
    assert_eq!(stdout.lines().last(), Some("1 passed, 0 failed, 1 errored"));
    assert!(stdout.contains("ERROR sandbox::suite::down"), "{stdout}");
}

#[test]
fn no_more_requests_than_the_budget_reach_the_server() {
    let server = server::plain(Config {
        static_token: Some(TOKEN.into()),
        ..Config::default()
    });
    let dir = common::scratch("budget");
    let out = run(
        &dir,
        &static_token_profile(&server.base_url, "budget = 3\nconcurrency = 2"),
        &["ok-"],
        &[("SANDBOX_TOKEN", TOKEN)],
    );
    assert_exit(&out, 3);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 3);
    let r = results(&dir);
    assert_eq!(r["totals"]["passed"], 3);
    assert_eq!(r["totals"]["errored"], 2);
    let refused: Vec<&Value> = r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "errored")
        .collect();
    for c in refused {
        let e = &c["errors"][0];
        assert_eq!(e["kind"], "budget", "{c}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("not sent: the budget of 3 requests to 127.0.0.1:"),
            "{e}"
        );
        assert!(
            c["exchanges"].as_array().unwrap().is_empty(),
            "nothing sent"
        );
        assert!(e["curl"].as_str().unwrap().starts_with("curl "));
    }
}

#[test]
fn retries_count_against_the_budget() {
    let server = server::plain(Config {
        static_token: Some(TOKEN.into()),
        ..Config::default()
    });
    let dir = common::scratch("budget-retries");
    let out = run(
        &dir,
        &static_token_profile(&server.base_url, "budget = 2"),
        &["down"],
        &[("SANDBOX_TOKEN", TOKEN)],
    );
    assert_exit(&out, 3);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 2);
    let r = results(&dir);
    let down = case(&r, "down");
    assert_eq!(down["errors"][0]["kind"], "budget");
    assert!(
        down["errors"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("is spent (after 2 attempts)"),
        "{down}"
    );
    assert_eq!(down["exchanges"][0]["attempts"], 2);
    assert_eq!(down["exchanges"][0]["response"]["status"], 503);
}

#[test]
fn planted_secrets_reach_no_artifact() {
    const APP_SECRET: &str = "app-secret-0c55e2";
    const HEADER_SECRET: &str = "header-secret-7e4b90";
    let server = oauth_server(Duration::from_secs(3600));
    let dir = common::scratch("secrets");
    let profile = format!(
        "{}[targets.sandbox.secrets]\napp_id = {{ env = \"SANDBOX_APP\" }}\n[targets.sandbox.headers]\nx-partner-secret = {{ env = \"SANDBOX_HEADER\" }}\nx-partner = \"plain-partner\"\n",
        oauth_profile(&server, "SANDBOX_CLIENT_SECRET", "")
    );
    let env = [
        ("SANDBOX_CLIENT_SECRET", CLIENT_SECRET),
        ("SANDBOX_APP", APP_SECRET),
        ("SANDBOX_HEADER", HEADER_SECRET),
    ];
    let out = run(&dir, &profile, &["echo", "ok-1"], &env);
    assert_exit(&out, 0);
    let r = results(&dir);
    let echoed = case(&r, "echo")["exchanges"][0]["response"]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        echoed.contains("x-partner=plain-partner")
            && echoed.contains("x-partner-secret=[redacted]")
            && echoed.contains("x-app-id-echo=[redacted]")
            && echoed.contains("authorization=Bearer [redacted]"),
        "every planted value reached the server and came back masked: {echoed}"
    );
    let (stdout, stderr) = text(&out);
    let issued = server.counts.issued.lock().unwrap().clone();
    for secret in [CLIENT_SECRET, APP_SECRET, HEADER_SECRET]
        .into_iter()
        .chain(issued.iter().map(String::as_str))
    {
        common::assert_no_secret(&dir, secret, &[&stdout, &stderr]);
    }
}

#[test]
fn a_failing_token_endpoint_is_an_auth_error_without_its_secrets() {
    let server = server::plain(Config {
        oauth: Some(("accord-ci".into(), CLIENT_SECRET.into())),
        lifetime: Duration::from_secs(3600),
        token_endpoint_fails: true,
        ..Config::default()
    });
    let dir = common::scratch("token-fails");
    let profile = oauth_profile(&server, "SANDBOX_CLIENT_SECRET", "retries = 0")
        .replace("scope = ", "client_auth = \"body\"\nscope = ");
    let out = run(
        &dir,
        &profile,
        &["ok-1", "ok-2"],
        &[("SANDBOX_CLIENT_SECRET", CLIENT_SECRET)],
    );
    assert_exit(&out, 3);
    assert_eq!(server.counts.api.load(Ordering::SeqCst), 0);
    assert_eq!(
        server.counts.token.load(Ordering::SeqCst),
        1,
        "a failing token endpoint is asked once"
    );
    let r = results(&dir);
    assert_eq!(r["totals"]["errored"], 2);
    let e = &case(&r, "ok-1")["errors"][0];
    assert_eq!(e["kind"], "auth");
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("HTTP 400: invalid_client (rejected")
            && message.contains("client_secret=[redacted]"),
        "{message}"
    );
    let (stdout, stderr) = text(&out);
    common::assert_no_secret(&dir, CLIENT_SECRET, &[&stdout, &stderr]);
}

#[test]
fn a_profile_may_allow_destructive_cases_away_from_loopback() {
    let dir = common::scratch("allow-destructive");
    let path = dir.join("profile.toml");
    std::fs::write(
        &path,
        "[targets.cdr]\nbase_url = \"http://accord-test.invalid/cds-au/v1\"\nallow_destructive = true\nretries = 0\n",
    )
    .unwrap();
    let out = common::accord()
        .args(["run", "tests/fixtures/destructive.yaml", "--quiet", "--env"])
        .arg(&path)
        .args(common::report_args(&dir))
        .env("ACCORD_CDR_TOKEN", "destructive-token")
        .output()
        .unwrap();
    assert_exit(&out, 3);
    let r = results(&dir);
    assert_eq!(r["cases"][0]["outcome"], "errored", "it was attempted");
    assert_eq!(r["cases"][0]["errors"][0]["kind"], "connect");
}

#[test]
fn unknown_profile_keys_are_invalid_input_with_a_position() {
    let dir = common::scratch("bad-profile");
    let out = run(
        &dir,
        "[targets.sandbox]\nbase_url = \"http://127.0.0.1:9/api\"\nrate_limt = 5\n",
        &[],
        &[],
    );
    assert_exit(&out, 2);
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains("invalid profile: unknown field `rate_limt`")
            && stderr.contains("profile.toml:3:1"),
        "{stderr}"
    );
}
