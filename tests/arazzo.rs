//! Arazzo documents through the `accord` binary: the workflows under suites/ pass on the
//! built-in mocks and catch their fault switches with the right check; the control-flow
//! actions behave as the specification says; a broken document is refused with located
//! errors; and a workflow published with the specification (tests/fixtures/arazzo/oai) runs
//! without edits against a conformant implementation on loopback.

mod common;

use std::path::Path;

use accord::run::{CaseResult, Outcome, RunSummary};
use common::{accord, assert_no_secret, output, report_args, scratch};

/// Runs `accord run` over `paths` with extra arguments; returns the exit code and results.
fn run(
    name: &str,
    paths: &[&str],
    extra: &[&str],
    env: &[(&str, &str)],
) -> (i32, RunSummary, String) {
    let dir = scratch(name);
    let mut cmd = accord();
    cmd.arg("run")
        .args(paths)
        .args(report_args(&dir))
        .arg("--quiet")
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = output(&mut cmd);
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap_or_else(|_| {
        panic!(
            "no results.json\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    let summary = accord::run::json::parse(&text).unwrap();
    (out.code, summary, format!("{}\n{}", out.stdout, out.stderr))
}

fn case<'a>(s: &'a RunSummary, id: &str) -> &'a CaseResult {
    s.cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

const CDR: &str = "suites/workflows/cdr-accounts.arazzo.yaml";
const IRD: &str = "suites/workflows/ird-account.arazzo.yaml";

#[test]
fn suite_workflows_pass_on_the_mocks() {
    let (code, s, out) = run("arazzo-pass", &[CDR, IRD], &[], &[]);
    assert_eq!(code, 0, "{out}");
    let names: Vec<&str> = s.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cdr::cdr-accounts::list-then-filter",
            "ird-account::ird-account::listed-account-matches"
        ]
    );
    assert!(
        s.cases.iter().all(|c| c.outcome == Outcome::Passed),
        "{out}"
    );
    let ird = case(&s, "listed-account-matches");
    assert_eq!(ird.exchanges.len(), 2);
    assert_eq!(
        ird.requirements,
        ["Account API use case 2", "POST /list", "POST /account"]
    );
}

#[test]
fn suite_workflows_catch_fault_switches() {
    for (file, fault, id, check, place) in [
        (
            CDR,
            "filter-ignored-product-category",
            "list-then-filter",
            "success-criteria",
            ":55:",
        ),
        (
            CDR,
            "missing-required-field",
            "list-then-filter",
            "response-schema",
            "",
        ),
        (
            CDR,
            "no-version-header",
            "list-then-filter",
            "expect-header",
            ":61:",
        ),
        (
            IRD,
            "list-id-type-wrong",
            "listed-account-matches",
            "success-criteria",
            ":50:",
        ),
        (
            IRD,
            "missing-filing-frequency",
            "listed-account-matches",
            "response-schema",
            "",
        ),
    ] {
        let (code, s, out) = run(
            &format!("arazzo-{fault}"),
            &[file],
            &["--fault", fault],
            &[],
        );
        assert_eq!(code, 1, "{fault}: {out}");
        let c = case(&s, id);
        assert_eq!(c.outcome, Outcome::Failed, "{fault}: {out}");
        let f = c
            .findings
            .iter()
            .find(|f| f.check == check)
            .unwrap_or_else(|| panic!("{fault}: no {check} finding\n{out}"));
        let at = f.suite_location.clone().unwrap_or_default();
        if !place.is_empty() {
            assert!(at.starts_with(file) && at.contains(place), "{fault}: {at}");
        }
    }
}

#[test]
fn actions_dependencies_and_nested_workflows() {
    let (code, s, out) = run(
        "arazzo-flow",
        &["tests/fixtures/arazzo/flow.arazzo.yaml"],
        &[],
        &[],
    );
    assert_eq!(code, 1, "{out}");
    let statuses = |id: &str| -> Vec<u16> {
        case(&s, id)
            .exchanges
            .iter()
            .map(|x| x.response.as_ref().unwrap().status)
            .collect()
    };
    let retried = case(&s, "retry-then-give-up");
    assert_eq!(retried.outcome, Outcome::Failed);
    assert_eq!(
        statuses("retry-then-give-up"),
        [406, 406, 406],
        "two retries, then failure"
    );
    assert_eq!(retried.findings.len(), 1);
    assert!(
        retried.findings[0]
            .message
            .contains("`$statusCode == 200` is false ($statusCode = 406)"),
        "{:?}",
        retried.findings
    );
    let goto = case(&s, "goto-on-failure");
    assert_eq!(goto.outcome, Outcome::Passed, "{out}");
    assert_eq!(statuses("goto-on-failure"), [406, 200]);
    assert_eq!(
        goto.findings[0].severity,
        accord::finding::Severity::Warning
    );
    for (id, exchanges) in [
        ("count-accounts", 1),
        ("calls-a-workflow", 2),
        ("after-a-dependency", 2),
        ("end-early", 1),
    ] {
        let c = case(&s, id);
        assert_eq!(c.outcome, Outcome::Passed, "{id}: {out}");
        assert_eq!(c.exchanges.len(), exchanges, "{id}");
    }
}

#[test]
fn lint_locates_problems_in_a_broken_document() {
    let out = output(
        accord()
            .arg("lint")
            .arg("tests/fixtures/arazzo/broken.arazzo.yaml"),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    for expected in [
        "`$input` is not a runtime expression; did you mean `$inputs`?\n  --> tests/fixtures/arazzo/broken.arazzo.yaml:14:44",
        "unexpected `=` (at character 13 of the condition)\n  --> tests/fixtures/arazzo/broken.arazzo.yaml:16:24",
        "workflow `broken` has no step `lst`\n  --> tests/fixtures/arazzo/broken.arazzo.yaml:20:44",
        "= help: did you mean `list`?",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
    let fixed = std::fs::read_to_string("tests/fixtures/arazzo/broken.arazzo.yaml")
        .unwrap()
        .replace("$input.page", "$inputs.page")
        .replace("= 200", "== 200")
        .replace("lst", "list");
    let dir = scratch("arazzo-lint");
    let file = dir.join("broken.arazzo.yaml");
    std::fs::write(
        &file,
        fixed.replace(
            "../../../specs",
            &format!("{}/specs", env!("CARGO_MANIFEST_DIR")),
        ),
    )
    .unwrap();
    let out = output(accord().arg("lint").arg(&file));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("operation `listAccount` is not in")
            && out.stderr.contains("did you mean `listAccounts`?"),
        "{}",
        out.stderr
    );
}

/// A small OAuth service that does what `tests/fixtures/arazzo/oai/oauth.openapi.yaml`
/// describes: `/authorize` answers 200 (with the code, as the published workflow reads it
/// from the body), `/oauth/token` answers 200 with tokens for a known client.
mod oauth {
    use axum::extract::Query;
    use axum::http::StatusCode;
    use axum::routing::{get, post};
    use axum::{Json, Router};
    use serde_json::{Value, json};
    use std::collections::HashMap;

    pub const CLIENT: &str = "accord-client";
    pub const SECRET: &str = "s3cret-client-pass";

    pub fn app() -> Router {
        Router::new()
            .route("/authorize", get(authorize))
            .route("/oauth/token", post(token))
    }

    async fn authorize(Query(q): Query<HashMap<String, String>>) -> (StatusCode, Json<Value>) {
        let known = q.get("client_id").map(String::as_str) == Some(CLIENT)
            && q.get("response_type").map(String::as_str) == Some("code");
        if !known {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_request"})),
            );
        }
        (
            StatusCode::OK,
            Json(json!({"code": "code-1", "access_token": "pending", "state": q.get("state")})),
        )
    }

    async fn token(body: String) -> (StatusCode, Json<Value>) {
        let f: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let grant = f.get("grant_type").map(String::as_str).unwrap_or("");
        let authorised = match grant {
            "client_credentials" | "authorization_code" => {
                f.get("client_id").map(String::as_str) == Some(CLIENT)
                    && f.get("client_secret").map(String::as_str) == Some(SECRET)
                    && (grant != "authorization_code"
                        || f.get("code").map(String::as_str) == Some("code-1"))
            }
            "refresh_token" => f.get("refresh_token").map(String::as_str) == Some("refresh-1"),
            _ => false,
        };
        if !authorised {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_grant"})),
            );
        }
        (
            StatusCode::OK,
            Json(
                json!({"access_token": "access-1", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "refresh-1"}),
            ),
        )
    }
}

#[test]
fn a_published_workflow_runs_without_edits() {
    let file = "tests/fixtures/arazzo/oai/oauth.arazzo.yaml";
    assert!(Path::new(file).exists());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, oauth::app()).await });
    let target = format!("http://{addr}");
    let env = [
        ("ACCORD_APIM_AUTH_CLIENT_ID", oauth::CLIENT),
        ("ACCORD_APIM_AUTH_MY_CLIENT_ID", oauth::CLIENT),
        ("ACCORD_APIM_AUTH_CLIENT_SECRET", oauth::SECRET),
        ("ACCORD_APIM_AUTH_MY_CLIENT_SECRET", oauth::SECRET),
        ("ACCORD_APIM_AUTH_REDIRECT_URI", "https://client.example/cb"),
        (
            "ACCORD_APIM_AUTH_MY_REDIRECT_URI",
            "https://client.example/cb",
        ),
    ];
    let (code, s, out) = run("arazzo-oai", &[file], &["--target", &target], &env);
    assert_eq!(code, 0, "{out}");
    let ids: Vec<&str> = s.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "refresh-token-flow",
            "client-credentials-flow",
            "authorization-code-flow"
        ]
    );
    assert!(
        s.cases.iter().all(|c| c.outcome == Outcome::Passed),
        "{out}"
    );
    assert_eq!(
        case(&s, "refresh-token-flow").exchanges.len(),
        3,
        "auth flow, then refresh"
    );
    assert_no_secret(&scratch_dir("arazzo-oai"), oauth::SECRET, &[&out]);
    let (code, s, out) = run(
        "arazzo-oai-wrong",
        &[file],
        &["--target", &target, "--filter", "client-credentials-flow"],
        &[
            ("ACCORD_APIM_AUTH_CLIENT_ID", "someone-else"),
            ("ACCORD_APIM_AUTH_CLIENT_SECRET", oauth::SECRET),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        case(&s, "client-credentials-flow")
            .findings
            .iter()
            .any(|f| f
                .message
                .contains("`$statusCode == 200` is false ($statusCode = 400)")),
        "{out}"
    );
}

/// The directory [`run`] wrote a run's reports to.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()))
}
