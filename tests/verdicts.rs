//! Black-box tests of how runs are judged: warnings apart from failures in every report, warnings
//! failing a run only when asked, and runs that tested too little called inconclusive.

mod common;

use common::{accord, output, report_args, scratch};

fn run(dir: &std::path::Path, args: &[&str]) -> common::Out {
    let mut cmd = accord();
    cmd.arg("run").args(args).args(report_args(dir));
    output(&mut cmd)
}

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn a_lenient_service_passes_with_warnings_shown_apart_in_every_report() {
    let dir = scratch("verdicts-lenient");
    let out = run(&dir, &["suites/ird-pir", "--fault", "lenient-soft-match"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let count = regex::Regex::new(r"(?m)^\d+ passed, 0 failed, \d+ warnings$").unwrap();
    assert!(count.is_match(&out.stdout), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("WARN ird-pir::pir::address-country-invalid")
    );

    let results: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    let warnings = results["totals"]["warnings"].as_u64().unwrap();
    assert!(warnings > 0);
    assert_eq!(results["totals"]["failed"], 0);
    let graded = results["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .find(|f| f["check"] == "negative-rejected")
        .unwrap();
    assert_eq!(graded["severity"], "warning");
    assert!(
        graded["severity_reason"]
            .as_str()
            .unwrap()
            .starts_with("no source says the service must refuse")
    );

    let junit = quick_junit_report(&read(&dir, "junit.xml"));
    assert_eq!((junit.failures, junit.errors), (0, 0));
    let warned: usize = junit
        .test_suites
        .iter()
        .flat_map(|s| &s.test_cases)
        .map(|c| {
            c.properties
                .iter()
                .filter(|p| p.name.as_str() == "warning")
                .count()
        })
        .sum();
    assert_eq!(warned as u64, warnings);

    let html = read(&dir, "report.html");
    assert!(html.contains(&format!("Passed, with {warnings} warnings")));
    let certificate = read(&dir, "certificate.html");
    assert!(certificate.contains(&format!("Conforms, with {warnings} warnings")));
    assert!(certificate.contains("Warning because"));
}

fn quick_junit_report(xml: &str) -> quick_junit::Report {
    quick_junit::Report::deserialize_from_str(xml).expect("valid JUnit")
}

#[test]
fn warnings_fail_the_run_only_when_asked() {
    let dir = scratch("verdicts-fail-on-warnings");
    let out = run(
        &dir,
        &[
            "suites/ird-pir",
            "--fault",
            "lenient-soft-match",
            "--filter",
            "address-country-invalid",
            "--fail-on",
            "warnings",
        ],
    );
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.ends_with("0 passed, 1 failed\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("warnings count as failures in this run")
    );
    let results: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    assert_eq!(results["fail_on_warnings"], true);
    let finding = &results["cases"][0]["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert!(
        finding["severity_reason"]
            .as_str()
            .unwrap()
            .ends_with("counted as a failure by --fail-on warnings"),
        "{finding}"
    );
    assert!(read(&dir, "certificate.html").contains("Does not conform"));

    let out = run(
        &dir,
        &[
            "suites/ird-pir",
            "--filter",
            "address-country-invalid",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("not `any`, `new` or `warnings`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_run_whose_cases_lack_their_data_is_inconclusive() {
    let dir = scratch("verdicts-inconclusive");
    let out = run(
        &dir,
        &[
            "suites/cdr",
            "--records",
            "0",
            "--filter",
            "cdr::accounts::filter-product-category",
        ],
    );
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "INCONCLUSIVE cdr: 1 of 1 cases were skipped because the target lacks the data they need (more than 50%)"
        ),
        "{}",
        out.stdout
    );
    let results: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    assert_eq!(results["assessment"]["apis"][0]["skipped_for_data"], 1);
    let junit = quick_junit_report(&read(&dir, "junit.xml"));
    assert!(
        junit
            .test_suites
            .iter()
            .any(|s| s.name.as_str() == "accord::inconclusive" && s.errors == 1)
    );
    assert!(read(&dir, "report.html").contains("Inconclusive"));
    assert!(read(&dir, "certificate.html").contains(">Inconclusive<"));
}
