//! The library's test harness, used as a service's own tests would use it: every case of the
//! Akahu suite as a trial against the Akahu reference mock, served in-process, spawned as a
//! command, or reached by URL through a profile. libtest's output goes to a log file
//! (`--logfile`) so the tests can read what a user would see.

mod common;

use std::path::Path;
use std::process::Command;

use accord::harness::{Arguments, Conclusion};
use accord::mock::{self, MockOptions};
use accord::{Harness, Target};

const TOKEN: &str = "harness-test-token";
const SUITES: &str = "suites/akahu";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A built-in mock as an in-process router, with these faults and the credentials it issues.
fn mock_target(api: &str, faults: &[&str]) -> Target {
    let m = mock::find(api).expect("a built-in mock");
    let opts = MockOptions {
        token: TOKEN.into(),
        faults: faults.iter().map(|f| f.to_string()).collect(),
        ..MockOptions::default()
    };
    let credentials = (m.credentials)(&opts);
    let mut target = Target::router(move || (m.app)(&opts).expect("the mock builds"))
        .base_path(m.base_path)
        .secret("token", TOKEN);
    for (name, value) in credentials {
        target = target.secret(name, value);
    }
    target
}

/// Arguments that write libtest's output to `dir/log.txt`.
fn args(dir: &Path, extra: &[&str]) -> Arguments {
    let log = dir.join("log.txt").display().to_string();
    let mut all = vec!["conformance", "--test-threads", "2", "--logfile", &log];
    all.extend(extra);
    Arguments::from_iter(all)
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("log.txt")).unwrap()
}

/// What libtest's line `test NAME ... VERDICT` says of a test.
fn verdict<'l>(log: &'l str, name: &str) -> Option<&'l str> {
    log.lines().find_map(|l| {
        let rest = l.strip_prefix("test ")?.strip_prefix(name)?;
        rest.trim_start().strip_prefix("... ")
    })
}

fn results(dir: &Path) -> accord::run::RunSummary {
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap();
    accord::run::json::parse(&text).unwrap()
}

/// The suite's case names, as the trials are named.
fn case_names() -> Vec<String> {
    let plan = accord::plan::load(&[root().join(SUITES)]).unwrap();
    accord::partition::selection(&plan, &[])
}

/// Runs the harness from the repository's root, as `cargo test` does.
fn run(harness: Harness, args: &Arguments) -> Conclusion {
    harness.run_with(args, Vec::new()).expect("the suites load")
}

#[test]
fn every_case_is_a_trial_that_passes_on_the_conformant_service() {
    let dir = common::scratch("harness-pass");
    let c = run(
        Harness::suites(SUITES)
            .target(mock_target("akahu", &[]))
            .reports(&dir),
        &args(&dir, &[]),
    );
    let names = case_names();
    assert_eq!(
        (c.num_passed, c.num_failed),
        (names.len() as u64, 0),
        "{}",
        log(&dir)
    );
    let log = log(&dir);
    for name in &names {
        assert_eq!(verdict(&log, name), Some("ok"), "{name}:\n{log}");
    }
    let summary = results(&dir);
    assert_eq!(summary.cases.len(), names.len());
    assert_eq!(summary.targets.len(), 1);
    assert_eq!(summary.targets[0].base_url, "in-process service at /v1");
    assert!(!summary.targets[0].mock);
    common::assert_no_secret(&dir, TOKEN, &[&log]);
}

#[test]
fn a_broken_rule_fails_its_case_with_the_terminals_findings() {
    let dir = common::scratch("harness-fault");
    let c = run(
        Harness::suites(SUITES)
            .target(mock_target("akahu", &["unknown-url-500"]))
            .reports(&dir),
        &args(&dir, &[]),
    );
    let log = log(&dir);
    assert_eq!(c.num_failed, 1, "{log}");
    assert_eq!(
        verdict(&log, "akahu::accounts::unknown-url"),
        Some("FAILED")
    );
    let summary = results(&dir);
    let failed: Vec<&accord::run::CaseResult> = summary
        .cases
        .iter()
        .filter(|c| c.outcome.is_failing())
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].name, "akahu::accounts::unknown-url");
    assert!(
        failed[0]
            .findings
            .iter()
            .any(|f| f.check == "expect-status")
    );
    assert!(
        log.contains("---- akahu::accounts::unknown-url ----\nFAIL akahu::accounts::unknown-url  suites/akahu/accounts.yaml:"),
        "{log}"
    );
    let terminal = accord::report::terminal::summary(&summary, false);
    for line in terminal.lines().take_while(|l| !l.is_empty()) {
        assert!(
            log.contains(line),
            "the trial's message lacks `{line}`:\n{log}"
        );
    }
}

#[test]
fn listing_starts_nothing() {
    let dir = common::scratch("harness-list");
    let marker = dir.join("started");
    let mut command = Command::new("sh");
    command.args(["-c", "touch \"$1\"; sleep 30", "sh"]);
    command.arg(&marker).arg("{port}");
    let c = run(
        Harness::suites(SUITES)
            .with_suites("suites/cdr")
            .target_for(
                "akahu",
                Target::router(|| panic!("listing must not start a target")),
            )
            .target_for("cdr", Target::command(command))
            .reports(&dir),
        &args(&dir, &["--list"]),
    );
    assert_eq!((c.num_passed, c.num_failed), (0, 0));
    let log = log(&dir);
    for name in case_names() {
        assert!(log.contains(&format!("{name}: test")), "{name}:\n{log}");
    }
    assert!(log.contains("cdr::accounts::"), "{log}");
    assert!(!marker.exists(), "listing spawned the command");
    assert!(!dir.join("results.json").exists(), "listing wrote reports");
}

#[test]
fn a_command_is_spawned_waited_for_and_stopped() {
    let dir = common::scratch("harness-command");
    let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
    command.args(["mock", "akahu", "--port", "{port}", "--token", TOKEN]);
    command.stdout(std::process::Stdio::null());
    let c = run(
        Harness::suites(SUITES)
            .target(
                Target::command(command)
                    .base_path("/v1")
                    .secret("token", TOKEN),
            )
            .reports(&dir),
        &args(&dir, &["akahu::accounts::get-account", "--exact"]),
    );
    assert_eq!((c.num_passed, c.num_failed), (1, 0), "{}", log(&dir));
    let summary = results(&dir);
    assert_eq!(summary.targets[0].base_url, "command `accord` at /v1");
    let url = url::Url::parse(&summary.cases[0].exchanges[0].request.url).unwrap();
    let port = url.port().unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the command still listens on {port} after the run"
    );
}

#[test]
fn a_command_that_dies_fails_its_cases_with_the_reason() {
    let dir = common::scratch("harness-dies");
    let mut command = Command::new("sh");
    command.args(["-c", "exit 3", "{port}"]);
    let c = run(
        Harness::suites(SUITES).target(Target::command(command)),
        &args(&dir, &["akahu::accounts::list-accounts", "--exact"]),
    );
    assert_eq!(c.num_failed, 1);
    let log = log(&dir);
    assert!(
        log.contains("cannot test: the command exited (exit status: 3) before it was ready"),
        "{log}"
    );
}

#[test]
fn an_excluded_case_is_ignored_with_its_reason_and_starts_nothing() {
    let dir = common::scratch("harness-excluded");
    let name = "cdr::accounts::negative-listAccounts-header-x-cds-client-headers-not-Base64";
    let c = run(
        Harness::suites("suites/cdr/accounts.yaml").target(Target::router(|| {
            panic!("an excluded case must not start its target")
        })),
        &args(&dir, &[name, "--exact"]),
    );
    let log = log(&dir);
    assert_eq!((c.num_ignored, c.num_failed), (1, 0), "{log}");
    let verdict = verdict(&log, name).unwrap_or_default();
    assert!(
        verdict.starts_with(
            "ignored (excluded by the suite: x-cds-client-headers is only for customer-present calls"
        ),
        "{log}"
    );
}

#[test]
fn a_profile_gives_the_url_and_the_secret() {
    let dir = common::scratch("harness-profile");
    let mock = common::MockProcess::start("akahu", &["--token", TOKEN]);
    std::fs::write(dir.join("token.txt"), TOKEN).unwrap();
    let profile = dir.join("profile.toml");
    std::fs::write(
        &profile,
        format!(
            "name = \"local\"\n[targets.akahu]\nbase_url = \"{}\"\n[targets.akahu.secrets]\ntoken = {{ file = \"token.txt\" }}\n",
            mock.url
        ),
    )
    .unwrap();
    let c = run(
        Harness::suites(SUITES).profile(&profile).reports(&dir),
        &args(&dir, &[]),
    );
    assert_eq!(c.num_failed, 0, "{}", log(&dir));
    let summary = results(&dir);
    assert_eq!(summary.profile.as_deref(), Some("local"));
    assert_eq!(summary.targets[0].base_url, mock.url);
    assert!(
        summary
            .inputs
            .iter()
            .any(|i| i.kind == accord::run::InputKind::Profile)
    );
    common::assert_no_secret(&dir, TOKEN, &[&log(&dir)]);
}

#[test]
fn a_spec_alone_gives_a_trial_per_derived_case() {
    const SPEC: &str = "specs/aggregator/accounts.yaml";
    let dir = common::scratch("harness-spec");
    let c = run(
        Harness::spec(SPEC, "aggregator").target(mock_target("aggregator", &["no-auth"])),
        &args(&dir, &[]),
    );
    let text = log(&dir);
    assert_eq!(c.num_failed, 1, "{text}");
    assert!(c.num_passed > 3, "{text}");
    let missing = "aggregator::listAccounts::auth-token-missing";
    assert_eq!(verdict(&text, missing), Some("FAILED"), "{text}");
    assert_eq!(
        verdict(&text, "aggregator::listAccounts::valid"),
        Some("ok"),
        "{text}"
    );

    let dir = common::scratch("harness-spec-no-token");
    let c = run(
        Harness::spec(SPEC, "aggregator").target(Target::url("http://127.0.0.1:9")),
        &args(&dir, &["aggregator::listAccounts::valid", "--exact"]),
    );
    assert_eq!(c.num_ignored, 1);
    let log = log(&dir);
    assert_eq!(
        verdict(&log, "aggregator::listAccounts::valid"),
        Some(
            "ignored (needs the credential `token`: set ACCORD_AGGREGATOR_TOKEN or targets.aggregator.secrets.token in a profile)"
        ),
        "{log}"
    );
    let e = Harness::spec(SPEC, "aggregator")
        .with_suites(SUITES)
        .run_with(&args(&dir, &[]), Vec::new())
        .unwrap_err();
    assert!(e.to_string().contains("cannot add suites"), "{e}");
}

#[test]
fn bad_input_is_an_error_with_its_location() {
    let dir = common::scratch("harness-bad");
    let suite = dir.join("bad.yaml");
    std::fs::write(
        &suite,
        format!(
            "api: akahu\nspec: {}\ncasez: []\n",
            root().join("specs/akahu/accounts.yaml").display()
        ),
    )
    .unwrap();
    let e = Harness::suites(&suite)
        .run_with(&args(&dir, &[]), Vec::new())
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains(&format!("{}:3:1", suite.display())), "{text}");
    let e = Harness::suites(root().join(SUITES))
        .target_for("akahoo", Target::url("http://127.0.0.1:9"))
        .run_with(&args(&dir, &[]), Vec::new())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no suite covers api `akahoo` (the suites cover akahu)"),
        "{e}"
    );
}

/// A line without its trailing `# comment` and spaces.
fn code(line: &str) -> &str {
    line.split(" #").next().unwrap_or("").trim_end()
}

/// The worked example of docs/cargo-test.md is the example crate's: its test file as it is,
/// and its suite line for line.
#[test]
fn the_docs_quote_the_example_crate() {
    let page = std::fs::read_to_string(root().join("docs/cargo-test.md")).unwrap();
    let example = root().join("examples/shelf");
    for test in ["tests/conformance.rs", "tests/spec.rs"] {
        let main = std::fs::read_to_string(example.join(test)).unwrap();
        assert!(
            page.contains(&format!("```rust\n{main}```")),
            "docs/cargo-test.md must quote examples/shelf/{test} as it is"
        );
    }
    let suite = std::fs::read_to_string(example.join("tests/conformance/books.yaml")).unwrap();
    let lines: Vec<&str> = suite.lines().map(code).collect();
    let quoted = page
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the page quotes the suite");
    for line in quoted.lines().map(code) {
        assert!(
            lines.contains(&line),
            "docs/cargo-test.md quotes `{line}`, which examples/shelf/tests/conformance/books.yaml lacks"
        );
    }
}
