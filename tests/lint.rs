//! Suite lint as a user meets it: every problem of a file in one pass, located, and the
//! mistakes a run would otherwise blame on the server or on the network caught before sending.

mod common;

use serde_json::Value;

fn run(args: &[&str]) -> common::Out {
    common::output(common::accord().args(args))
}

/// Runs `accord lint` on a fixture that must be refused, and snapshots what it says.
fn refused(name: &str, path: &str) -> String {
    let out = run(&["lint", path]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    common::snapshot_settings("lint").bind(|| {
        insta::assert_snapshot!(name, out.stderr);
    });
    out.stderr
}

#[test]
fn every_problem_of_a_suite_comes_in_one_pass_and_none_twice() {
    let err = refused("one_pass", "tests/fixtures/lint/one-pass");
    for found in [
        "unknown key `max_sise`",
        "\"two hundred\" is not a status (an integer from 100 to 599), a class like 4XX",
        "operation `listAcounts` is not in",
        "undefined variable `next_page`",
        "duplicate case id `walk`",
    ] {
        assert!(err.contains(found), "{found}: {err}");
    }
    assert!(
        !err.contains("needs `protocol.pagination`"),
        "the walk is not blamed for the broken pagination rule: {err}"
    );
}

/// A forgotten path parameter used to lint clean and then stop the run with an error of
/// accord's own; now lint and run both refuse the suite before anything is sent.
#[test]
fn a_path_parameter_without_a_value_is_caught_before_sending() {
    let path = "tests/fixtures/lint/presend/path-param.yaml";
    let err = refused("presend_path_param", path);
    assert!(
        err.contains("path parameter `id` of GET /accounts/{id} has no value\n  --> tests/fixtures/lint/presend/path-param.yaml:18:22"),
        "{err}"
    );
    let out = run(&["run", path, "--quiet"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("has no value"), "{}", out.stderr);
}

/// A body the spec's own schema refuses used to lint clean and then fail the server, which
/// rightly answered 400; now it is refused where it is written, unless the case expects a 4xx.
#[test]
fn a_body_that_breaks_the_spec_is_caught_before_sending() {
    let err = refused("presend_body", "tests/fixtures/lint/presend/body.yaml");
    assert!(
        err.contains("body.yaml:18:66") && err.contains("body.yaml:26:30"),
        "{err}"
    );
    assert!(
        err.contains("2 problems found"),
        "the case expecting 400 is not judged: {err}"
    );
}

#[test]
fn a_suite_of_protocol_rules_alone_lints_and_runs() {
    let out = run(&["lint", "tests/fixtures/protocol-only"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("ok: 2 suites, "), "{}", out.stdout);

    let dir = common::scratch("protocol-only");
    let suite = "tests/fixtures/protocol-only/empty-cases.yaml";
    let mut cmd = common::accord();
    cmd.args(["run", suite, "--quiet"])
        .args(common::report_args(&dir));
    let out = common::output(&mut cmd);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["totals"]["failed"], 0);
    assert!(
        results["totals"]["passed"].as_u64().unwrap() >= 4,
        "{results}"
    );

    let mut cmd = common::accord();
    cmd.args(["run", suite, "--quiet", "--fault", "no-auth"])
        .args(common::report_args(&dir));
    let out = common::output(&mut cmd);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("FAIL cdr::empty-cases::auth-token-missing"),
        "{}",
        out.stdout
    );
}
