//! The command line as a user meets it: exit codes, diagnostics, listings, reports, secrets.

mod common;

use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = common::accord().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn lint_accepts_the_shipped_suites() {
    let (code, out, err) = run(&["lint"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn lint_reports_every_problem_with_positions_and_exit_2() {
    let (code, _, err) = run(&["lint", "tests/fixtures/lint/bad-suite.yaml"]);
    assert_eq!(code, 2, "{err}");
    common::snapshot_settings("lint").bind(|| {
        insta::assert_snapshot!("bad_suite", err);
    });
}

#[test]
fn lint_reports_a_broken_spec_and_broken_yaml() {
    let (code, _, err) = run(&["lint", "tests/fixtures/lint/broken-spec"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("tests/fixtures/lint/broken-spec/spec.yaml:12:"),
        "{err}"
    );
    let (code, _, err) = run(&["lint", "tests/fixtures/lint/bad-yaml.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tests/fixtures/lint/bad-yaml.yaml:"), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
}

#[test]
fn lint_reads_a_directory_of_specs_as_specs() {
    let (code, out, err) = run(&["lint", "specs"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(err, "", "the shipped specs lint clean");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert_eq!(
        lines[2],
        "ok: specs/cdr/banking-accounts-v2.yaml (OpenAPI 3.0.3, 1 operation, 12 schemas)"
    );
    assert!(lines.iter().all(|l| l.starts_with("ok: specs/")), "{out}");
}

#[test]
fn lint_reports_a_specs_warnings_located_and_exits_0() {
    let (code, out, err) = run(&["lint", "tests/fixtures/specs/liberal/examples.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "ok: tests/fixtures/specs/liberal/examples.yaml (OpenAPI 3.0.3, 2 operations, 4 schemas), 5 warnings\n"
    );
    common::snapshot_settings("lint").bind(|| {
        insta::assert_snapshot!("spec_examples", err);
    });
}

#[test]
fn lint_refuses_a_broken_spec_with_every_problem_once() {
    let (code, out, err) = run(&["lint", "tests/fixtures/specs/bad/refs.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.starts_with("refused: tests/fixtures/specs/bad/refs.yaml, "),
        "{out}"
    );
    assert!(
        err.contains("error: broken $ref `#/components/responses/Nope`"),
        "{err}"
    );
    assert!(
        err.contains("warning: broken $ref `#/components/schemas/Acount`"),
        "a broken $ref in a schema nothing uses is a warning: {err}"
    );
    let (code, _, err) = run(&["lint", "tests/fixtures/lint/broken-spec"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.matches("broken $ref").count(),
        1,
        "the spec and the suite that names it do not repeat a problem: {err}"
    );
}

#[test]
fn list_names_every_case_without_a_network() {
    let (code, out, _) = run(&["list"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("cdr::accounts::list-accounts\t")),
        "{out}"
    );
    assert!(
        out.contains("[headers.x-v, urn:au-cds:error:cds-all:Header/UnsupportedVersion]"),
        "{out}"
    );
    assert!(
        out.lines().any(
            |l| l.starts_with("cdr::accounts::pagination-size-over-maximum\t")
                && l.ends_with("[pagination.standard]")
        ),
        "{out}"
    );
}

#[test]
fn requirements_prints_a_catalogue_offline_and_refuses_an_api_without_one() {
    let (code, out, err) = run(&["requirements", "cdr"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("cdr: ") && out.contains("(suites/cdr/requirements.yaml)"),
        "{out}"
    );
    assert!(
        out.contains(
            "\npagination.defaults  MUST  Consumer Data Standards 1.36.0, Pagination › Query Parameters\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("tested by checks pagination-walk; cases pagination-walk-default; proven by faults default-page-size-wrong"),
        "{out}"
    );
    assert!(out.contains("  untestable: "), "{out}");
    let (code, _, err) = run(&["requirements", "cdx"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: no suite covers api `cdx`; did you mean `cdr`?\n"
    );
    let dir = common::scratch("no-catalogue");
    let root = std::env::current_dir().unwrap();
    let suite = std::fs::read_to_string("suites/akahu/accounts.yaml")
        .unwrap()
        .replace("catalogue: requirements.yaml\n", "")
        .replace(
            "spec: ../../specs/",
            &format!("spec: {}/specs/", root.display()),
        );
    std::fs::write(dir.join("accounts.yaml"), suite).unwrap();
    let (code, _, err) = run(&["requirements", "akahu", "--suites", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("api `akahu` has no requirements catalogue"),
        "{err}"
    );
}

#[test]
fn a_citation_outside_the_catalogue_is_located() {
    let dir = common::scratch("catalogue-citation");
    let suite = std::fs::read_to_string("suites/cdr/accounts.yaml")
        .unwrap()
        .replace("spec: ../../specs/", "spec: SPECS/")
        .replace("catalogue: requirements.yaml", "catalogue: CAT")
        .replace(
            "requirements: [accounts.is-owned]",
            "requirements: [accounts.is-ownd]",
        );
    let root = std::env::current_dir().unwrap();
    let suite = suite
        .replace("SPECS/", &format!("{}/specs/", root.display()))
        .replace(
            "CAT",
            &format!("{}/suites/cdr/requirements.yaml", root.display()),
        );
    let path = dir.join("accounts.yaml");
    std::fs::write(&path, &suite).unwrap();
    let (code, _, err) = run(&["lint", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let line = suite
        .lines()
        .position(|l| l.contains("accounts.is-ownd"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("accounts.yaml:{line}:"))
            && err.contains("requirement `accounts.is-ownd` is not in the cdr catalogue")
            && err.contains("did you mean `accounts.is-owned`?"),
        "{err}"
    );
}

#[test]
fn checks_and_faults_are_listed() {
    let (_, out, _) = run(&["checks"]);
    for id in [
        "status-documented",
        "content-type",
        "response-schema",
        "response-headers",
        "pagination-page",
    ] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
    let (_, out, _) = run(&["mock", "--list-faults"]);
    assert!(
        out.contains("cdr (CDR Get Accounts v2):") && out.contains("no-interaction-id"),
        "{out}"
    );
}

#[test]
fn the_default_run_passes_and_writes_readable_reports() {
    let dir = common::scratch("default-run");
    let out = common::accord()
        .arg("run")
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or("");
    assert!(
        last.ends_with(" passed, 0 failed, 2 skipped"),
        "closing line (the two generated cases the suites exclude are skipped): {last}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["totals"]["failed"], 0);
    assert!(results["totals"]["passed"].as_u64().unwrap() > 20);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(!html.contains("<script"));
    if let Ok(py) = Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag, sum(1 for _ in r.iter('testcase')))"])
        .arg(dir.join("junit.xml"))
        .output()
    {
        let text = String::from_utf8_lossy(&py.stdout);
        assert!(py.status.success() && text.starts_with("testsuites "), "python could not read junit.xml: {text}");
        assert_eq!(text.trim().split(' ').nth(1).unwrap(), results["totals"]["cases"].to_string());
    }
}

#[test]
fn an_unreachable_target_is_exit_3_and_reports_are_still_written() {
    let dir = common::scratch("unreachable");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let target = format!("http://127.0.0.1:{port}/cds-au/v1");
    let out = common::accord()
        .args([
            "run",
            "suites/cdr",
            "--target",
            &target,
            "--quiet",
            "--filter",
            "list-accounts",
        ])
        .args(common::report_args(&dir))
        .env("ACCORD_CDR_TOKEN", "unreachable-secret-token")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["cases"][0]["errors"][0]["kind"], "connect");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains("<error"), "{junit}");
    common::assert_no_secret(
        &dir,
        "unreachable-secret-token",
        &[
            &String::from_utf8_lossy(&out.stdout),
            &String::from_utf8_lossy(&out.stderr),
        ],
    );
}

#[test]
fn missing_variables_and_bad_arguments_are_exit_2() {
    let (code, _, err) = run(&[
        "run",
        "suites/cdr",
        "--target",
        "http://127.0.0.1:9/cds-au/v1",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("requires `token`") && err.contains("ACCORD_CDR_TOKEN"),
        "{err}"
    );
    let (code, _, err) = run(&["run", "--target", "not a url"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["run", "--env", "tests/fixtures/profile/missing.toml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn destructive_cases_are_refused_away_from_loopback() {
    let dir = common::scratch("destructive");
    let out = common::accord()
        .args([
            "run",
            "tests/fixtures/destructive.yaml",
            "--target",
            "http://accord-test.invalid/cds-au/v1",
            "--quiet",
        ])
        .args(common::report_args(&dir))
        .env("ACCORD_CDR_TOKEN", "destructive-token")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["cases"][0]["outcome"], "skipped");
    assert!(
        results["cases"][0]["skip_reason"]
            .as_str()
            .unwrap()
            .contains("--allow-destructive")
    );
    assert!(
        results["cases"][0]["exchanges"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing may be sent"
    );
}

/// A profile whose token comes from a file, against `accord mock` in its own process.
#[test]
fn a_profile_secret_from_a_file_reaches_the_target_and_no_artifact() {
    let dir = common::scratch("profile");
    let token = "file-secret-token-52d9a1";
    let mock = common::MockProcess::start("cdr", &["--token", token]);
    let url = &mock.url;
    std::fs::write(dir.join("token.txt"), format!("{token}\n")).unwrap();
    std::fs::write(
        dir.join("profile.toml"),
        format!("name = \"local\"\n[targets.cdr]\nbase_url = \"{url}\"\n[targets.cdr.secrets]\ntoken = {{ file = \"token.txt\" }}\n"),
    )
    .unwrap();
    let out = common::accord()
        .args(["run", "suites/cdr", "--env"])
        .arg(dir.join("profile.toml"))
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    drop(mock);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["profile"], "local");
    common::assert_no_secret(&dir, token, &[&stdout, &stderr]);
}

/// Target data in a profile is checked against the suites' `var_formats` before anything is
/// sent: a wrong IRD number is quoted, a malformed secret is described but never shown.
#[test]
fn bad_target_data_in_a_profile_is_exit_2_before_any_request() {
    let dir = common::scratch("bad-inputs");
    let jwt = "not-a-jwt-6f1c0e";
    std::fs::write(
        dir.join("profile.toml"),
        "name = \"bad\"\n[targets.ird-pir]\nbase_url = \"http://127.0.0.1:9/gateway/calculators\"\n[targets.ird-pir.vars]\nird = \"136410133\"\nfiling_period = \"2024-02-30\"\n[targets.ird-pir.secrets]\ntoken = { env = \"BAD_INPUTS_TOKEN\" }\njwt = { env = \"BAD_INPUTS_JWT\" }\njwt_start_logon = { env = \"BAD_INPUTS_JWT\" }\n",
    )
    .unwrap();
    let out = common::accord()
        .args(["run", "suites/ird-pir", "--env"])
        .arg(dir.join("profile.toml"))
        .args(common::report_args(&dir))
        .env("BAD_INPUTS_TOKEN", "tok with space")
        .env("BAD_INPUTS_JWT", jwt)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    for expected in [
        "targets.ird-pir.vars.ird = \"136410133\": not a valid IRD number: the check digit is 3, the calculation gives 2",
        "targets.ird-pir.vars.filing_period = \"2024-02-30\": not a calendar date",
        "targets.ird-pir.secrets.token (environment variable BAD_INPUTS_TOKEN): it has a space at character 4",
        "targets.ird-pir.secrets.jwt (environment variable BAD_INPUTS_JWT): not a JWT",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(!stderr.contains(jwt) && !stdout.contains(jwt), "{stderr}");
    assert!(!stderr.contains("tok with space"), "{stderr}");
    assert!(!dir.join("results.json").exists(), "nothing ran");
}

#[test]
fn required_coverage_holds_on_the_whole_suite_and_fails_without_one_case() {
    let dir = common::scratch("coverage-whole");
    let out = common::accord()
        .args(["run", "suites/cdr", "--require-coverage", "all"])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("cdr coverage: statuses 5/5 (4 exempt), errors 7/7"),
        "{stdout}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let cdr = &results["coverage"]["apis"][0];
    assert_eq!(
        cdr["required"],
        serde_json::json!(["statuses", "errors", "requirements"])
    );
    for d in ["statuses", "errors", "requirements"] {
        assert_eq!(cdr[d]["missed"], 0, "{d}");
    }

    let (_, list, _) = run(&["list", "suites/cdr"]);
    let kept: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|n| *n != "cdr::accounts::pagination-page-out-of-range")
        .collect();
    let dir = common::scratch("coverage-filtered");
    let mut cmd = common::accord();
    cmd.args(["run", "suites/cdr", "--quiet", "--require-coverage", "all"]);
    for name in &kept {
        cmd.args(["--filter", name]);
    }
    let out = cmd.args(common::report_args(&dir)).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or("")
            .ends_with(" passed, 0 failed, 1 skipped"),
        "the case the suite excludes is listed, selected and skipped: {stdout}"
    );
    for missed in [
        "required coverage not met: cdr: 1 documented statuses not covered: listAccounts 422",
        "required coverage not met: cdr: 1 catalogued error codes not covered: urn:au-cds:error:cds-all:Field/InvalidPage",
        "urn:au-cds:error:cds-all:Field/InvalidPage",
        "requirements not covered: accounts.error-codes-422",
    ] {
        assert!(stdout.contains(missed), "{missed}\n{stdout}");
    }
    assert!(stderr.contains("required coverage incomplete"), "{stderr}");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&junit).expect("valid JUnit");
    let coverage = report.test_suites.last().unwrap();
    assert_eq!(coverage.name.as_str(), "accord::coverage");
    assert_eq!(
        coverage.failures, 3,
        "statuses, errors and requirements each missed something: the catalogue names the case for the 422 rules"
    );
}

#[test]
fn records_is_for_the_cdr_mock_only() {
    let (code, _, err) = run(&["mock", "aggregator", "--port", "0", "--records", "5"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--records is served by the cdr mock only"),
        "{err}"
    );
}

/// `--spec API=FILE` judges a suite against the provider's own document: operations it names
/// differently are matched by method and path, and one it lacks is a located error.
#[test]
fn a_suite_runs_against_another_spec_with_other_operation_ids() {
    let dir = common::scratch("spec-override");
    let spec_dir = dir.join("provider");
    std::fs::create_dir_all(&spec_dir).unwrap();
    for f in ["banking-accounts-v2.yaml", "common.yaml"] {
        let text = std::fs::read_to_string(format!("specs/cdr/{f}")).unwrap();
        let text = text.replace("operationId: listAccounts", "operationId: getAccounts");
        std::fs::write(spec_dir.join(f), text).unwrap();
    }
    let spec = spec_dir.join("banking-accounts-v2.yaml");
    let arg = format!("cdr={}", spec.display());
    let out = common::accord()
        .args(["run", "suites/cdr", "--quiet", "--filter", "list-accounts"])
        .args(["--spec", &arg])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(
        results["cases"][0]["exchanges"][0]["operation"], "getAccounts",
        "the exchange was matched in the provider's spec"
    );

    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replace("/banking/accounts:", "/banking/accounts-list:"),
    )
    .unwrap();
    let (code, _, err) = run(&["lint", "suites/cdr"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["run", "suites/cdr", "--spec", &arg]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("operation `listAccounts` (GET /banking/accounts) has no counterpart in"),
        "{err}"
    );
    assert!(err.contains("suites/cdr/accounts.yaml:"), "{err}");
    let (code, _, err) = run(&["run", "suites/cdr", "--spec", "cdr"]);
    assert_eq!(code, 2, "{err}");
}

/// A generated case the suite excludes is not sent, and every report names it with the
/// suite's reason: the terminal, JUnit (skipped, type `excluded`), results.json, the HTML
/// report and the certificate.
#[test]
fn excluded_generated_cases_appear_in_every_report_with_their_reason() {
    let dir = common::scratch("excluded");
    let case = "negative-listAccounts-header-x-cds-client-headers-not-Base64";
    let reason = "x-cds-client-headers is only for customer-present calls";
    let out = common::accord()
        .args(["run", "suites/cdr", "--filter", case])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "EXCLUDED cdr::accounts::{case}  suites/cdr/accounts.yaml:"
        )) && stdout.contains(&format!("    excluded by the suite: {reason}")),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("0 passed, 0 failed, 1 skipped"));
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let c = &results["cases"][0];
    assert_eq!(
        (&c["outcome"], &c["excluded"]),
        (&Value::from("skipped"), &Value::from(true))
    );
    assert!(c["skip_reason"].as_str().unwrap().contains(reason), "{c}");
    assert!(
        c["exchanges"].as_array().unwrap().is_empty(),
        "nothing is sent"
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&junit).expect("valid JUnit");
    let tc = &report.test_suites[0].test_cases[0];
    match &tc.status {
        quick_junit::TestCaseStatus::Skipped { message, ty, .. } => {
            assert!(message.as_deref().unwrap_or("").contains(reason), "{junit}");
            assert_eq!(ty.as_deref(), Some("excluded"));
        }
        other => panic!("expected skipped, got {other:?}"),
    }
    for page in ["report.html", "certificate.html"] {
        let html = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(
            html.contains(">excluded<") && html.contains(reason),
            "{page} names the exclusion and its reason"
        );
    }
}

/// A target URL without the spec's base path makes every request 404: every report says which
/// base URL was probably meant, and that URL makes the same run pass.
#[test]
fn a_target_without_the_specs_base_path_gets_a_hint_in_every_report() {
    let token = "base-path-token";
    let mock = common::MockProcess::start("cdr", &["--token", token]);
    let url = mock.url.clone();
    let origin = url
        .strip_suffix("/cds-au/v1")
        .expect("the mock serves the base path");
    let run_at = |target: &str, dir: &std::path::Path| {
        common::accord()
            .args(["run", "suites/cdr", "--quiet", "--filter", "list-accounts"])
            .args(["--target", target])
            .args(common::report_args(dir))
            .env("ACCORD_CDR_TOKEN", token)
            .output()
            .unwrap()
    };
    let wrong = common::scratch("base-path-wrong");
    let out = run_at(origin, &wrong);
    let right = common::scratch("base-path-right");
    let fixed = run_at(&url, &right);
    drop(mock);

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let meant = format!("the base URL was probably {url}");
    assert!(
        stdout.contains("hint: ") && stdout.contains(&meant),
        "{stdout}"
    );
    assert!(
        stdout.contains("the spec's server URL has the path /cds-au/v1"),
        "{stdout}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(wrong.join("results.json")).unwrap())
            .unwrap();
    assert_eq!(results["hints"][0]["suggested"], url.as_str());
    assert_eq!(results["hints"][0]["base_path"], "/cds-au/v1");
    let junit = std::fs::read_to_string(wrong.join("junit.xml")).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&junit).expect("valid JUnit");
    let suite = &report.test_suites[0];
    assert!(
        suite
            .properties
            .iter()
            .any(|p| p.name.as_str() == "hint" && p.value.as_str().contains(&meant)),
        "{junit}"
    );
    for page in ["report.html", "certificate.html"] {
        let html = std::fs::read_to_string(wrong.join(page)).unwrap();
        let shown = meant.replace('/', "&#x2f;");
        assert!(
            html.contains(&meant) || html.contains(&shown),
            "{page} gives the hint"
        );
    }

    let stdout = String::from_utf8_lossy(&fixed.stdout);
    assert_eq!(fixed.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("hint:"), "{stdout}");
}

/// The cdr suites run against the provider's own file (the Get Accounts part of the official CDS
/// banking document): a conformant holder passes, statuses the standard requires but the file
/// lacks are documented by the suite's declarations, an exemption of a status the file does not
/// list is a note, and a fault is still caught by its check with the file's schema.
#[test]
fn the_cdr_suites_hold_against_the_official_banking_file() {
    let spec = "cdr=tests/fixtures/cds-official/banking-accounts.yaml";
    let dir = common::scratch("cds-official");
    let out = common::accord()
        .args(["run", "suites/cdr", "--spec", spec, "--color", "never"])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains(", 0 failed, "), "{stdout}");
    assert!(
        stdout.contains("cdr coverage: statuses 4/4, "),
        "only Get Accounts' statuses count: {stdout}"
    );
    assert!(
        stdout
            .contains("cdr coverage note: the exemption of status 403 (suites/cdr/accounts.yaml:"),
        "{stdout}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let missing = results["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "auth-token-missing")
        .unwrap();
    assert_eq!(
        missing["choices"][0]["chosen"], "status 401, documented by protocol.auth",
        "{missing:#}"
    );
    assert_eq!(missing["choices"][0]["source"], "codes.401");

    let dir = common::scratch("cds-official-fault");
    let out = common::accord()
        .args(["run", "suites/cdr", "--spec", spec, "--quiet"])
        .args([
            "--fault",
            "missing-required-field",
            "--filter",
            "list-accounts",
        ])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let findings = results["cases"][0]["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["check"] == "response-schema"
            && f["message"].as_str().unwrap().contains("maskedNumber")),
        "{findings:#?}"
    );
}
