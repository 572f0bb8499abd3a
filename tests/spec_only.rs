//! Spec-only runs (`accord run --spec FILE`) and starter suites (`accord init SPEC`), against
//! the built-in mocks: conformant ones pass with no failure, a lenient one gets warnings, and a
//! broken one fails with the check that names its fault.

mod common;

use std::path::Path;

use serde_json::Value;

/// The five built-in APIs and their documents.
const APIS: [(&str, &str); 5] = [
    ("cdr", "specs/cdr/banking-accounts-v2.yaml"),
    ("ird-account", "specs/ird-account/account.yaml"),
    ("ird-pir", "specs/ird-pir/pir.yaml"),
    ("akahu", "specs/akahu/accounts.yaml"),
    ("aggregator", "specs/aggregator/accounts.yaml"),
];

/// The Akahu mock's fixed app id, which its document's second scheme (`AppId`) carries.
const AKAHU_APP: (&str, &str) = ("ACCORD_AKAHU_APP_ID", "app_token_accord_mock");

fn accord(args: &[&str], dir: &Path) -> (common::Out, Value) {
    let mut cmd = common::accord();
    // Not `--quiet`: the note on how many cases the spec gave is part of what is tested.
    cmd.args(args)
        .args(common::report_args(dir))
        .env(AKAHU_APP.0, AKAHU_APP.1);
    let out = common::output(&mut cmd);
    let results = std::fs::read_to_string(dir.join("results.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    (out, results)
}

/// (case name, outcome, severities of its findings) of every case.
fn outcomes(results: &Value) -> Vec<(String, String, Vec<String>)> {
    results["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let severities = common::finding_labels(c);
            (
                c["name"].as_str().unwrap_or("").to_owned(),
                c["outcome"].as_str().unwrap_or("").to_owned(),
                severities,
            )
        })
        .collect()
}

#[test]
fn spec_only_runs_pass_on_every_built_in_mock() {
    for (api, spec) in APIS {
        let dir = common::scratch(&format!("spec-only-{api}"));
        let (out, results) = accord(&["run", "--spec", spec, "--api", api], &dir);
        assert_eq!(out.code, 0, "{api}: {}{}", out.stdout, out.stderr);
        let got = outcomes(&results);
        assert!(got.len() >= 3, "{api}: {got:#?}");
        assert!(got.iter().all(|(_, o, _)| o == "passed"), "{api}: {got:#?}");
        assert!(
            got.iter()
                .any(|(n, _, _)| n.starts_with(&format!("{api}::")) && n.ends_with("::valid")),
            "{api}: names are api::operation::case: {got:#?}"
        );
        assert!(out.stderr.contains("cases derived from"), "{}", out.stderr);
    }
    // `--quiet` keeps that note, like every other line but the errors, off the terminal.
    let dir = common::scratch("spec-only-quiet");
    let (out, _) = accord(
        &["run", "--spec", APIS[0].1, "--api", APIS[0].0, "--quiet"],
        &dir,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("cases derived from"), "{}", out.stderr);
}

/// A spec-only run of the aggregator's document against its mock with one fault switched on.
fn aggregator_with(fault: &str) -> (common::Out, Value) {
    let dir = common::scratch(&format!("spec-only-{fault}"));
    let spec = "specs/aggregator/accounts.yaml";
    accord(
        &[
            "run",
            "--spec",
            spec,
            "--api",
            "aggregator",
            "--fault",
            fault,
        ],
        &dir,
    )
}

#[test]
fn a_lenient_mock_gets_warnings_and_a_broken_one_fails() {
    let (out, results) = aggregator_with("max-limit-not-enforced");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let got = outcomes(&results);
    let above = got
        .iter()
        .find(|(n, _, _)| n == "aggregator::listAccounts::negative-body-limit-above-maximum")
        .unwrap_or_else(|| panic!("{got:#?}"));
    assert_eq!(above.1, "passed");
    assert_eq!(above.2, ["warning:negative-rejected"]);

    let (out, results) = aggregator_with("no-auth");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let failed: Vec<_> = outcomes(&results)
        .into_iter()
        .filter(|(_, o, _)| o == "failed")
        .collect();
    assert_eq!(
        failed,
        [(
            "aggregator::listAccounts::auth-token-missing".to_owned(),
            "failed".to_owned(),
            vec![
                "error:expect-status".to_owned(),
                "error:auth-no-data".to_owned()
            ]
        )]
    );

    let (out, results) = aggregator_with("bad-enum-value");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let list = outcomes(&results)
        .into_iter()
        .find(|(n, _, _)| n == "aggregator::listAccounts::valid")
        .unwrap();
    assert_eq!(list.1, "failed");
    assert!(
        list.2.contains(&"error:response-schema".to_owned()),
        "{list:?}"
    );
}

#[test]
fn missing_credentials_skip_the_cases_that_send_them() {
    let dir = common::scratch("spec-only-no-app-token");
    let mut cmd = common::accord();
    cmd.args([
        "run",
        "--spec",
        "specs/akahu/accounts.yaml",
        "--api",
        "akahu",
        "--quiet",
    ])
    .args(common::report_args(&dir))
    .env_remove(AKAHU_APP.0);
    let out = common::output(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("akahu: no credential `app_id`: the cases that send it are skipped (set ACCORD_AKAHU_APP_ID or targets.akahu.secrets.app_id in a profile)"),
        "{}",
        out.stderr
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let skipped = results["totals"]["skipped"].as_u64().unwrap();
    assert!(skipped >= 2, "{results}");
}

/// The Akahu profile that docs/builtin-apis.md describes (secrets `token` and `app_id`) serves
/// the suite and a spec-only run of the document alike: neither skips for a credential.
#[test]
fn one_akahu_profile_serves_the_suite_and_the_spec_alone() {
    let dir = common::scratch("akahu-one-profile");
    let mock = common::MockProcess::start("akahu", &["--token", "akahu-user-7c1e"]);
    std::fs::write(
        dir.join("profile.toml"),
        format!(
            "name = \"docs\"\n[targets.akahu]\nbase_url = \"{}\"\n[targets.akahu.secrets]\ntoken = {{ env = \"ONE_PROFILE_USER\" }}\napp_id = {{ env = \"ONE_PROFILE_APP\" }}\n",
            mock.url
        ),
    )
    .unwrap();
    for run in [
        &["run", "suites/akahu"][..],
        &[
            "run",
            "--spec",
            "specs/akahu/accounts.yaml",
            "--api",
            "akahu",
        ][..],
    ] {
        let out = common::output(
            common::accord()
                .args(run)
                .arg("--env")
                .arg(dir.join("profile.toml"))
                .args(common::report_args(&dir))
                .env_remove(AKAHU_APP.0)
                .env("ONE_PROFILE_USER", "akahu-user-7c1e")
                .env("ONE_PROFILE_APP", AKAHU_APP.1),
        );
        assert_eq!(out.code, 0, "{run:?}: {}{}", out.stdout, out.stderr);
        assert!(
            !out.stderr.contains("no credential"),
            "{run:?}: {}",
            out.stderr
        );
        let results: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap())
                .unwrap();
        assert_eq!(results["totals"]["skipped"], 0, "{run:?}: {results}");
        assert_eq!(results["totals"]["failed"], 0, "{run:?}: {results}");
    }
}

#[test]
fn spec_only_and_suites_do_not_mix() {
    let out = common::output(common::accord().args([
        "run",
        "suites/cdr",
        "--spec",
        "specs/cdr/banking-accounts-v2.yaml",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("runs the document alone, without suites; to judge suites against another spec write --spec API=FILE"),
        "{}",
        out.stderr
    );
    let out = common::output(common::accord().args(["run", "--api", "x"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--api names the API of a spec-only run")
    );
}

#[test]
fn init_writes_a_suite_that_lints_and_runs_on_every_built_in_mock() {
    for (api, spec) in APIS {
        let dir = common::scratch(&format!("init-{api}"));
        let init = || {
            let args = [
                "init",
                spec,
                "--api",
                api,
                "--dir",
                &dir.display().to_string(),
            ];
            common::output(common::accord().args(args))
        };
        let out = init();
        assert_eq!(out.code, 0, "{api}: {}", out.stderr);
        let suite_dir = dir.join("suites").join(api);
        let suite = suite_dir.display().to_string();
        let lint = common::output(common::accord().args(["lint", &suite]));
        assert_eq!(lint.code, 0, "{api}: {}{}", lint.stdout, lint.stderr);
        let profile =
            std::fs::read_to_string(dir.join("profiles").join(format!("{api}.toml"))).unwrap();
        assert!(profile.contains(&format!("[targets.{api}]")), "{profile}");
        if api == "cdr" {
            assert!(
                profile.contains("# [targets.cdr.headers]\n# authorization = { env = \"ACCORD_CDR_AUTHORIZATION\" }"),
                "a document without securitySchemes says where a credential goes: {profile}"
            );
        }
        let reports = dir.join("reports");
        let (out, results) = accord(&["run", &suite], &reports);
        assert_eq!(out.code, 0, "{api}: {}{}", out.stdout, out.stderr);
        assert!(
            outcomes(&results).iter().all(|(_, o, _)| o == "passed"),
            "{api}: {:#?}",
            outcomes(&results)
        );
        assert_eq!(init().code, 2, "init does not overwrite without --force");
    }
}

#[test]
fn init_profile_names_each_credential() {
    let dir = common::scratch("init-akahu-profile");
    let out = common::output(common::accord().args([
        "init",
        "specs/akahu/accounts.yaml",
        "--dir",
        &dir.display().to_string(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let profile = std::fs::read_to_string(dir.join("profiles/accounts.toml")).unwrap();
    assert!(
        profile.contains("token = { env = \"ACCORD_ACCOUNTS_TOKEN\" }"),
        "{profile}"
    );
    assert!(
        profile.contains("app_id = { env = \"ACCORD_ACCOUNTS_APP_ID\" }"),
        "{profile}"
    );
    assert!(
        profile.contains("base_url = \"http://localhost:8080/v1\""),
        "{profile}"
    );
    accord::profile::Profile::load(&dir.join("profiles/accounts.toml"))
        .unwrap_or_else(|d| panic!("{d:?}"));
}

/// An implementation written elsewhere: Prism (`@stoplight/prism-cli`) serving this
/// repository's pets documents (OpenAPI 3.0 and 3.1). Runs when ACCORD_PRISM names the
/// `prism` command.
#[test]
#[ignore = "needs Prism: set ACCORD_PRISM to the prism command"]
fn spec_only_runs_against_prism_have_no_failure() {
    let prism = std::env::var("ACCORD_PRISM").expect("ACCORD_PRISM");
    for (api, spec) in [
        ("pets", "tests/fixtures/spec-only/pets.yaml"),
        ("pets-31", "tests/fixtures/spec-only/pets-31.yaml"),
    ] {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = std::process::Command::new(&prism)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), spec])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed().as_secs() < 180, "Prism did not start");
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        let dir = common::scratch(&format!("spec-only-prism-{api}"));
        let target = format!("http://127.0.0.1:{port}");
        let mut cmd = common::accord();
        cmd.args(["run", "--spec", spec, "--target", &target, "--quiet"])
            .arg("--allow-destructive")
            .args(common::report_args(&dir))
            .env(
                accord::profile::env_var_name(api, "token"),
                "prism-accepts-any-token",
            );
        let out = common::output(&mut cmd);
        let _ = server.kill();
        let _ = server.wait();
        assert_eq!(out.code, 0, "{api}: {}{}", out.stdout, out.stderr);
        let results: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap())
                .unwrap();
        let got = outcomes(&results);
        assert!(got.iter().all(|(_, o, _)| o == "passed"), "{api}: {got:#?}");
        assert!(got.len() >= 14, "{api}: {got:#?}");
    }
}

/// `skip_if_status` reads a 404 to an id the target does not hold as missing data: the case
/// is skipped with the reason, its exchange recorded; without it the same answer fails.
#[test]
fn skip_if_status_skips_a_case_whose_id_the_target_lacks() {
    let dir = common::scratch("skip-if-status");
    let spec = std::fs::canonicalize("specs/akahu/accounts.yaml").unwrap();
    let suite = dir.join("suite.yaml");
    let case = |id: &str, skip: &str| {
        format!(
            "  - id: {id}\n    title: One account\n    requirements: [R]\n    steps:\n      - request: {{operation: getAccount, path_params: {{id: acc_not_held}}}}\n{skip}        expect: {{status: 200}}\n"
        )
    };
    std::fs::write(
        &suite,
        format!(
            "api: akahu\nspec: {}\nrequires: [token]\ndefaults:\n  headers:\n    authorization: \"Bearer {{{{token}}}}\"\n    x-akahu-id: app_token_accord_mock\ncases:\n{}{}",
            spec.display(),
            case("guessed", "        skip_if_status: [404]\n"),
            case("asserted", ""),
        ),
    )
    .unwrap();
    let reports = dir.join("reports");
    let (out, results) = accord(&["run", &suite.display().to_string()], &reports);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let cases = results["cases"].as_array().unwrap();
    let guessed = cases.iter().find(|c| c["name"] == "akahu::suite::guessed");
    let guessed = guessed.unwrap_or_else(|| panic!("{results:#}"));
    assert_eq!(guessed["outcome"], "skipped", "{guessed:#}");
    assert!(
        guessed.to_string().contains(
            "step 1 was answered 404, which the step reads as the target lacking the data this case needs (skip_if_status)"
        ),
        "{guessed:#}"
    );
    assert_eq!(guessed["exchanges"].as_array().map(Vec::len), Some(1));
    let asserted = cases.iter().find(|c| c["name"] == "akahu::suite::asserted");
    assert_eq!(asserted.unwrap()["outcome"], "failed", "{results:#}");
}
