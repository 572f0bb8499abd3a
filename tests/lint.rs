//! Suite lint as a user meets it: every problem of a file in one pass, located, and the
//! mistakes a run would otherwise blame on the server or on the network caught before sending.

mod common;

use serde_json::Value;

fn run(args: &[&str]) -> common::Out {
    common::output(common::accord().args(args))
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
