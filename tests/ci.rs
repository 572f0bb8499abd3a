//! The command line for CI at scale: baselines, waivers, partitions with `merge`, and replay.

mod common;

use common::Out;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

fn accord(args: &[&str], reports: Option<&Path>, env: &[(&str, &str)]) -> Out {
    let mut cmd = common::accord();
    cmd.args(args);
    if let Some(dir) = reports {
        cmd.args(common::report_args(dir));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::output(&mut cmd)
}

fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap()
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

fn case<'a>(results: &'a Value, name: &str) -> &'a Value {
    results["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

/// A run of the CDR suite against its mock, with the faults given, into a scratch directory.
fn cdr_run(name: &str, extra: &[&str], env: &[(&str, &str)]) -> (PathBuf, Out) {
    let dir = common::scratch(name);
    let mut args = vec!["run", "suites/cdr"];
    args.extend_from_slice(extra);
    let out = accord(&args, Some(&dir), env);
    (dir, out)
}

/// Recordings of the CDR suite, clean and with `wrong-type`, made once for every test here.
fn recordings() -> &'static (PathBuf, PathBuf) {
    static RECORDED: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    RECORDED.get_or_init(|| {
        let (clean, out) = cdr_run("ci-clean", &[], &[]);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        let (faulty, out) = cdr_run("ci-wrong-type", &["--fault", "wrong-type"], &[]);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        (clean.join("results.json"), faulty.join("results.json"))
    })
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_baseline_marks_every_case_in_every_report() {
    let (clean, faulty) = recordings();
    let (dir, out) = cdr_run(
        "ci-baseline",
        &["--fault", "wrong-type", "--baseline", path(clean)],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = results(&dir);
    let failed = r["totals"]["failed"].as_u64().unwrap();
    assert!(failed > 0);
    assert_eq!(r["baseline"]["totals"]["new_failures"], failed);
    assert_eq!(
        case(&r, "cdr::accounts::list-accounts")["baseline"],
        "new-failure"
    );
    assert_eq!(
        case(&r, "cdr::accounts::version-missing")["baseline"],
        "still-passing"
    );
    let line = format!(
        "baseline {}: {failed} new failures, 0 fixed, 0 still failing,",
        path(clean)
    );
    assert!(out.stdout.contains(&line), "{}", out.stdout);
    assert!(read(&dir, "junit.xml").contains(r#"<property name="baseline" value="new-failure"/>"#));
    let html = read(&dir, "report.html");
    assert!(html.contains(r#"<span class="mark new-failure">new-failure</span>"#));
    assert!(html.contains("Compared with the baseline"));

    let (dir, out) = cdr_run("ci-fixed", &["--baseline", path(faulty)], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(results(&dir)["baseline"]["totals"]["fixed"], failed);
}

#[test]
fn fail_on_new_lets_known_failures_pass_but_not_new_ones() {
    let (_, faulty) = recordings();
    let args = [
        "--fault",
        "wrong-type",
        "--baseline",
        path(faulty),
        "--fail-on",
        "new",
    ];
    let (dir, out) = cdr_run("ci-fail-on-new", &args, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let r = results(&dir);
    assert!(r["totals"]["failed"].as_u64().unwrap() > 0);
    assert_eq!(r["baseline"]["totals"]["new_failures"], 0);
    assert_eq!(r["baseline"]["fail_on"], "new");
    assert!(
        out.stdout.contains("(only new failures fail the run)"),
        "{}",
        out.stdout
    );

    let args = [
        "--fault",
        "wrong-type",
        "--fault",
        "no-version-check",
        "--baseline",
        path(faulty),
        "--fail-on",
        "new",
    ];
    let (dir, out) = cdr_run("ci-fail-on-new-2", &args, &[]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        case(&results(&dir), "cdr::accounts::version-missing")["baseline"],
        "new-failure"
    );
}

#[test]
fn a_baseline_of_another_format_or_without_one_is_refused() {
    let (clean, _) = recordings();
    let dir = common::scratch("ci-format");
    let text =
        std::fs::read_to_string(clean)
            .unwrap()
            .replacen("\"format\": 1", "\"format\": 2", 1);
    let other = dir.join("v2.json");
    std::fs::write(&other, text).unwrap();
    let out = accord(
        &["run", "suites/cdr", "--baseline", path(&other)],
        Some(&dir),
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("results format 2 is not supported (this accord reads format 1)"),
        "{}",
        out.stderr
    );
    assert!(!dir.join("results.json").exists(), "nothing may run");
    let out = accord(&["run", "suites/cdr", "--fail-on", "new"], Some(&dir), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--fail-on new needs --baseline"),
        "{}",
        out.stderr
    );
}

const LIST: &str = "cdr::accounts::list-accounts";
const PAGE: &str = "cdr::accounts::version-range-highest";

fn waivers_file(dir: &Path, text: &str) -> String {
    let file = dir.join("waivers.yaml");
    std::fs::write(&file, text).unwrap();
    file.display().to_string()
}

fn two_waivers(expires: &str) -> String {
    format!(
        "waivers:\n  - case: {LIST}\n    reason: holder sends totalRecords as text until 4.2\n    owner: alice@example.com\n    expires: {expires}\n  - case: {PAGE}\n    check: response-schema\n    reason: same fault\n    owner: bob@example.com\n    expires: {expires}\n"
    )
}

#[test]
fn waived_failures_show_everywhere_and_do_not_fail_the_run() {
    let dir = common::scratch("ci-waived");
    let file = waivers_file(&dir, &two_waivers("2026-12-31"));
    let args = [
        "run",
        "suites/cdr",
        "--fault",
        "wrong-type",
        "--filter",
        LIST,
        "--filter",
        PAGE,
        "--waivers",
        &file,
    ];
    let today = [("ACCORD_TODAY", "2026-12-31")];
    let out = accord(&args, Some(&dir), &today);
    let r = results(&dir);
    let list = case(&r, LIST);
    assert_eq!(list["outcome"], "waived", "{}", out.stdout);
    assert_eq!(list["waivers"][0]["owner"], "alice@example.com");
    assert_eq!(list["waivers"][0]["expires"], "2026-12-31");
    assert_eq!(case(&r, PAGE)["outcome"], "waived");
    assert_eq!(r["totals"]["waived"], 2);
    assert_eq!(r["totals"]["failed"], 0);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let waiver = "[every check] holder sends totalRecords as text until 4.2 (owner alice@example.com, expires 2026-12-31)";
    assert!(
        out.stdout.contains(&format!("WAIVED {LIST}")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(waiver), "{}", out.stdout);
    let junit = read(&dir, "junit.xml");
    assert!(
        junit.contains(&format!(r#"<property name="waiver" value="{waiver}"/>"#)),
        "{junit}"
    );
    assert!(junit.contains(r#"type="waived""#));
    let html = read(&dir, "report.html");
    assert!(html.contains(r#"<span class="badge waived">waived</span>"#));
    assert!(html.contains(
        "holder sends totalRecords as text until 4.2 · owner alice@example.com · expires 2026-12-31"
    ));

    let out = accord(&args, Some(&dir), &[("ACCORD_TODAY", "2027-01-01")]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(&format!(
            "expired waiver: `{LIST}` expired on 2026-12-31 (owner alice@example.com, {file}:2:5)"
        )),
        "{}",
        out.stdout
    );
    let r = results(&dir);
    assert_eq!(case(&r, LIST)["outcome"], "failed");
    assert_eq!(r["waiver_problems"][1]["kind"], "expired");
    assert!(read(&dir, "junit.xml").contains(r#"type="expired-waiver""#));
    assert!(read(&dir, "report.html").contains("Waivers that fail the run"));
}

#[test]
fn a_waiver_whose_failure_is_gone_fails_the_run() {
    let dir = common::scratch("ci-stale");
    let file = waivers_file(&dir, &two_waivers("2026-12-31"));
    let args = [
        "run",
        "suites/cdr",
        "--quiet",
        "--filter",
        LIST,
        "--filter",
        PAGE,
        "--waivers",
        &file,
    ];
    let out = accord(&args, Some(&dir), &[("ACCORD_TODAY", "2026-06-01")]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!(
            "stale waiver: remove it: `{LIST}` passes now (owner alice@example.com, {file}:2:5)"
        )),
        "{}",
        out.stdout
    );
    assert_eq!(
        results(&dir)["waiver_problems"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn unknown_names_in_the_waivers_file_are_located() {
    let dir = common::scratch("ci-waivers-bad");
    let file = waivers_file(
        &dir,
        "waivers:\n  - case: cdr::accounts::list-acounts\n    check: response-shema\n    reason: r\n    owner: o\n    expires: 2026-12-31\n",
    );
    let out = accord(&["run", "suites/cdr", "--waivers", &file], Some(&dir), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!("{file}:2:11")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("did you mean `cdr::accounts::list-accounts`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("{file}:3:12")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `response-schema`?"),
        "{}",
        out.stderr
    );
    let out = accord(
        &["run", "suites/cdr", "--waivers", &file],
        Some(&dir),
        &[("ACCORD_TODAY", "soon")],
    );
    assert_eq!(out.code, 2);
}

/// Replaces what differs between two runs of the same cases: ports, generated ids, clocks.
fn normalise(text: &str) -> String {
    let rules = [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        (
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "[uuid]",
        ),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[time]"),
        (
            r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT",
            "[date]",
        ),
        (r#""duration_ms": \d+"#, r#""duration_ms": 0"#),
        (r#"time="[\d.]+""#, r#"time="0""#),
        (r"\b\d+(\.\d+)? ?(ms|s)\b", "[duration]"),
    ];
    let mut out = text.to_owned();
    for (pattern, with) in rules {
        out = regex::Regex::new(pattern)
            .unwrap()
            .replace_all(&out, with)
            .into_owned();
    }
    out
}

#[test]
fn three_partitions_merge_into_the_single_run() {
    let whole = common::scratch("ci-whole");
    let out = accord(&["run", "--quiet"], Some(&whole), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut parts = Vec::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let dir = common::scratch(&format!("ci-part{k}"));
        let share = format!("{k}/3");
        let out = accord(&["run", "--quiet", "--partition", &share], Some(&dir), &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let r = results(&dir);
        assert_eq!(r["partition"]["index"], k);
        sizes.push(r["cases"].as_array().unwrap().len());
        parts.push(dir.join("results.json").display().to_string());
    }
    let total = results(&whole)["cases"].as_array().unwrap().len();
    assert_eq!(sizes.iter().sum::<usize>(), total);
    let merged = common::scratch("ci-merged");
    let mut args = vec!["merge", "--out", path(&merged)];
    args.extend(parts.iter().rev().map(String::as_str));
    let out = accord(&args, None, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let totals = &results(&whole)["totals"];
    let closing = format!(
        "{} passed, 0 failed, {} skipped\n",
        totals["passed"], totals["skipped"]
    );
    assert!(out.stdout.ends_with(&closing), "{}", out.stdout);
    for file in ["results.json", "junit.xml", "report.html"] {
        let (a, b) = (
            normalise(&read(&whole, file)),
            normalise(&read(&merged, file)),
        );
        if a != b {
            let diff = similar::TextDiff::from_lines(&a, &b);
            panic!("{file} differs:\n{}", diff.unified_diff().context_radius(2));
        }
    }

    let out = accord(
        &[
            "merge",
            "--out",
            path(&merged),
            &parts[0],
            &parts[1],
            &parts[1],
        ],
        None,
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("are both share 2/3"), "{}", out.stderr);
    assert!(
        out.stderr.contains("missing share") || out.stderr.contains("cases are in both"),
        "{}",
        out.stderr
    );
    let single = whole.join("results.json");
    let out = accord(
        &["merge", "--out", path(&merged), &parts[0], path(&single)],
        None,
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a partial run"),
        "{}",
        out.stderr
    );
}

type Verdicts = Vec<(String, String, Vec<(String, String)>)>;

fn verdicts(r: &Value) -> Verdicts {
    r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let findings = c["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["check"].to_string(), f["message"].to_string()))
                .collect();
            (c["name"].to_string(), c["outcome"].to_string(), findings)
        })
        .collect()
}

/// The verdicts without the warnings a replay adds about walk pages it could not judge one by
/// one (their bodies were not kept).
fn judged(r: &Value) -> Verdicts {
    let mut out = verdicts(r);
    for (_, _, findings) in &mut out {
        findings.retain(|(check, _)| check != "\"replay\"");
    }
    out
}

#[test]
fn a_replay_grades_the_recording_again_with_the_current_suite() {
    let (clean, faulty) = recordings();
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(faulty).unwrap()).unwrap();
    let dir = common::scratch("ci-replay");
    let out = accord(
        &["run", "suites/cdr", "--replay", path(faulty)],
        Some(&dir),
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("nothing is sent"), "{}", out.stderr);
    let replayed = results(&dir);
    assert_eq!(judged(&replayed), judged(&recorded));

    let out = accord(
        &["run", "suites/cdr", "--quiet", "--replay", path(clean)],
        Some(&dir),
        &[],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(case(&results(&dir), LIST)["outcome"], "passed");

    let copy = dir.join("suites/cdr");
    std::fs::create_dir_all(&copy).unwrap();
    let spec = std::fs::canonicalize("specs/cdr/banking-accounts-v2.yaml").unwrap();
    let suite = std::fs::read_to_string("suites/cdr/accounts.yaml")
        .unwrap()
        .replace("../../specs/cdr/banking-accounts-v2.yaml", path(&spec));
    let changed = suite.replacen(
        "/meta/totalRecords: {type: integer, min: 0}",
        "/meta/totalRecords: {type: string}",
        1,
    );
    assert_ne!(changed, suite, "the expectation to change is in the suite");
    std::fs::write(copy.join("accounts.yaml"), changed).unwrap();
    std::fs::copy(
        "suites/cdr/requirements.yaml",
        copy.join("requirements.yaml"),
    )
    .unwrap();
    let out = accord(
        &["run", path(&copy), "--quiet", "--replay", path(clean)],
        Some(&dir),
        &[],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let r = results(&dir);
    let list = case(&r, LIST);
    assert_eq!(list["outcome"], "failed");
    assert_eq!(list["findings"][0]["check"], "expect-body");
    assert_eq!(
        list["findings"][0]["where"]["pointer"],
        "/meta/totalRecords"
    );
    assert_eq!(r["totals"]["failed"], 1, "only the changed case fails");
}

#[test]
fn a_replay_judges_a_recorded_walk_again() {
    const WALK: &str = "cdr::accounts::pagination-walk-default";
    let (recording, out) = cdr_run(
        "ci-walk-loops",
        &["--fault", "next-link-loops", "--filter", WALK],
        &[],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let recorded = results(&recording);
    let walk_findings = |r: &Value| -> Vec<Value> {
        case(r, WALK)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "pagination-walk")
            .cloned()
            .collect()
    };
    assert!(!walk_findings(&recorded).is_empty());
    let dir = common::scratch("ci-walk-replay");
    let out = accord(
        &[
            "run",
            "suites/cdr",
            "--quiet",
            "--filter",
            WALK,
            "--replay",
            path(&recording.join("results.json")),
        ],
        Some(&dir),
        &[],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let replayed = results(&dir);
    assert_eq!(case(&replayed, WALK)["outcome"], "failed");
    assert_eq!(case(&replayed, WALK)["errors"], serde_json::json!([]));
    assert_eq!(walk_findings(&replayed), walk_findings(&recorded));
    assert_eq!(judged(&replayed), judged(&recorded));
}
