//! JUnit XML, the format CI systems read.
//!
//! One `<testsuite>` per API and suite (named `api::suite`), one `<testcase>` per case (named by
//! the case id, classname `api::suite`). A failed case carries `<failure>` (the server broke a
//! rule); an errored case carries `<error>` (accord could not test); a skipped case carries
//! `<skipped>` (type `excluded` for a generated case the suite excludes, the reason in its
//! message), and so does a waived case (type `waived`, the waivers in its message).
//! Requirement ids, the suite location, waived checks, waivers, the baseline mark and what the
//! server chose where the sources allow several answers (`chose`) are testcase `<properties>`;
//! a hint about an API's target (see [`crate::run::hint`]) is a `hint` property of each of the API's
//! suites, and their `<system-err>`. Finding and error texts come from
//! [`describe`] and
//! [`describe_error`], so they read as in every other report.
//!
//! Warnings are not failures: a case whose findings are all warnings is a passing testcase.
//! Each warning is a `warning` property of its testcase (the first line of the finding) and is
//! written out in full in the testcase's `<system-out>`; a testsuite with warnings carries their
//! number as its `warnings` property. CI consumers that read only `<failure>` and `<error>`
//! therefore stay green on warnings, and those that show properties or output show them.
//!
//! Three extra suites appear only when they have something to say: `accord::waivers`, one failing
//! testcase per waiver that fails the run; `accord::inconclusive`, one errored testcase (type
//! `inconclusive`) per API whose run tested too little to conclude ([`crate::run::assess`]); and
//! `accord::baseline`, with no testcases, whose properties hold the baseline file, its counts
//! and the removed cases.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{describe, describe_error, describe_error_line, describe_line};
use crate::run::baseline::FailOn;
use crate::run::waivers::ProblemKind;
use crate::run::{CaseResult, Outcome, RunSummary};

/// Renders the run as JUnit XML.
pub fn render(summary: &RunSummary) -> String {
    let mut report = Report::new("accord");
    report.set_time(Duration::from_millis(summary.duration_ms));
    let mut suites: Vec<TestSuite> = Vec::new();
    for case in &summary.cases {
        let name = format!("{}::{}", case.api, case.suite);
        let at = match suites.iter().position(|s| s.name.as_str() == name) {
            Some(i) => i,
            None => {
                let mut suite = TestSuite::new(name.as_str());
                suite
                    .extra
                    .insert("timestamp".into(), summary.started_at.as_str().into());
                suite.set_time(Duration::ZERO);
                suites.push(suite);
                suites.len() - 1
            }
        };
        let suite = &mut suites[at];
        let time = suite.time.unwrap_or_default() + Duration::from_millis(case.duration_ms);
        suite.set_time(time);
        suite.add_test_case(test_case(case, &name));
    }
    for suite in &mut suites {
        let hints: Vec<&str> = summary
            .hints
            .iter()
            .filter(|h| suite.name.as_str().split("::").next() == Some(h.api.as_str()))
            .map(|h| h.message.as_str())
            .collect();
        for h in &hints {
            suite.add_property(Property::new("hint", *h));
        }
        if !hints.is_empty() {
            let text: Vec<String> = hints.iter().map(|h| format!("hint: {h}")).collect();
            suite.set_system_err(text.join("\n"));
        }
        let warnings: usize = summary
            .cases
            .iter()
            .filter(|c| format!("{}::{}", c.api, c.suite) == suite.name.as_str())
            .map(CaseResult::warnings)
            .sum();
        if warnings > 0 {
            suite.add_property(Property::new("warnings", warnings.to_string().as_str()));
        }
    }
    suites.extend(waiver_suite(summary));
    suites.extend(inconclusive_suite(summary));
    suites.extend(baseline_suite(summary));
    report.add_test_suites(suites);
    if let Some(c) = &summary.coverage {
        report.add_test_suite(super::coverage::junit_suite(c, &summary.started_at));
    }
    match report.to_string() {
        Ok(xml) => xml,
        Err(e) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- JUnit serialization failed: {} -->\n<testsuites name=\"accord\"/>\n",
            e.to_string().replace("--", "- -")
        ),
    }
}

fn test_case(case: &CaseResult, classname: &str) -> TestCase {
    let mut tc = TestCase::new(case.id.as_str(), status(case));
    tc.set_classname(classname);
    tc.set_time(Duration::from_millis(case.duration_ms));
    for r in &case.requirements {
        tc.add_property(Property::new("requirement", r.as_str()));
    }
    tc.add_property(Property::new("location", case.location.as_str()));
    for w in &case.waived {
        tc.add_property(Property::new(
            "waived",
            format!("{}: {}", w.check, w.reason).as_str(),
        ));
    }
    for w in &case.waivers {
        tc.add_property(Property::new("waiver", w.describe().as_str()));
    }
    if let Some(mark) = case.baseline {
        tc.add_property(Property::new("baseline", mark.as_str()));
    }
    for f in case.findings.iter().filter(|f| !f.fails()) {
        tc.add_property(Property::new("warning", describe_line(f).as_str()));
    }
    for c in &case.choices {
        tc.add_property(Property::new("chose", c.describe().as_str()));
    }
    let out = system_out(case);
    if !out.is_empty() {
        tc.set_system_out(out);
    }
    tc
}

fn status(case: &CaseResult) -> TestCaseStatus {
    match case.outcome {
        Outcome::Passed => TestCaseStatus::success(),
        Outcome::Skipped => {
            let mut s = TestCaseStatus::skipped();
            if let Some(reason) = &case.skip_reason {
                s.set_message(reason.as_str());
            }
            if case.excluded {
                s.set_type("excluded");
            }
            s
        }
        Outcome::Failed => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let failing: Vec<_> = case.findings.iter().filter(|f| f.fails()).collect();
            if let Some(first) = failing.first() {
                let times = failing.iter().map(|f| crate::run::repeats::times(f)).sum();
                s.set_message(with_count(describe_line(first), times, "finding"));
                s.set_type(first.check.as_str());
            }
            s.set_description(join(case.findings.iter().map(describe)));
            s
        }
        Outcome::Waived => {
            let mut s = TestCaseStatus::skipped();
            let waivers: Vec<String> = case.waivers.iter().map(|w| w.describe()).collect();
            s.set_message(format!("waived: {}", waivers.join("; ")));
            s.set_type("waived");
            s.set_description(join(case.findings.iter().map(describe)));
            s
        }
        Outcome::Errored => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            if let Some(first) = case.errors.first() {
                s.set_message(with_count(
                    describe_error_line(first),
                    case.errors.len(),
                    "error",
                ));
                s.set_type(first.kind.as_str());
            }
            let errors = case.errors.iter().map(describe_error);
            let findings = case.findings.iter().map(describe);
            s.set_description(join(errors.chain(findings)));
            s
        }
    }
}

/// One failing testcase per waiver that fails the run, so CI shows each.
fn waiver_suite(summary: &RunSummary) -> Option<TestSuite> {
    if summary.waiver_problems.is_empty() {
        return None;
    }
    let mut suite = TestSuite::new("accord::waivers");
    suite
        .extra
        .insert("timestamp".into(), summary.started_at.as_str().into());
    for p in &summary.waiver_problems {
        let kind = match p.kind {
            ProblemKind::Expired => "expired-waiver",
            ProblemKind::Stale => "stale-waiver",
        };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(p.message.as_str());
        status.set_type(kind);
        let name = match &p.check {
            Some(c) => format!("{} [{c}]", p.case),
            None => p.case.clone(),
        };
        let mut tc = TestCase::new(name.as_str(), status);
        tc.set_classname("accord::waivers");
        tc.add_property(Property::new("owner", p.owner.as_str()));
        tc.add_property(Property::new("expires", p.expires.as_str()));
        tc.add_property(Property::new("location", p.location.as_str()));
        suite.add_test_case(tc);
    }
    Some(suite)
}

/// One errored testcase per API whose run tested too little to conclude.
fn inconclusive_suite(summary: &RunSummary) -> Option<TestSuite> {
    let a = summary.assessment.as_ref()?;
    let apis: Vec<_> = a.inconclusive().collect();
    if apis.is_empty() {
        return None;
    }
    let mut suite = TestSuite::new("accord::inconclusive");
    suite
        .extra
        .insert("timestamp".into(), summary.started_at.as_str().into());
    for api in apis {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(format!(
            "{} tested too little to conclude: {}",
            api.api,
            api.inconclusive.join("; ")
        ));
        status.set_type("inconclusive");
        let mut tc = TestCase::new(api.api.as_str(), status);
        tc.set_classname("accord::inconclusive");
        suite.add_test_case(tc);
    }
    Some(suite)
}

/// The baseline comparison as properties of a suite without testcases.
fn baseline_suite(summary: &RunSummary) -> Option<TestSuite> {
    let b = summary.baseline.as_ref()?;
    let mut suite = TestSuite::new("accord::baseline");
    suite
        .extra
        .insert("timestamp".into(), summary.started_at.as_str().into());
    suite.add_property(Property::new("baseline", b.file.as_str()));
    suite.add_property(Property::new("counts", b.phrase().as_str()));
    suite.add_property(Property::new(
        "fail-on",
        match b.fail_on {
            FailOn::Any => "any",
            FailOn::New => "new",
        },
    ));
    for name in &b.removed {
        suite.add_property(Property::new("removed", name.as_str()));
    }
    Some(suite)
}

fn with_count(first: String, count: usize, noun: &str) -> String {
    match count {
        0 | 1 => first,
        2 => format!("{first} (and 1 more {noun})"),
        n => format!("{first} (and {} more {noun}s)", n - 1),
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join("\n\n")
}

/// The reproduction lines: each request's curl command and what came back, plus warnings of
/// cases that did not fail.
fn system_out(case: &CaseResult) -> String {
    let mut lines = Vec::new();
    if case.outcome == Outcome::Passed {
        lines.extend(case.findings.iter().filter(|f| !f.fails()).map(describe));
    }
    for shown in super::shown::shown(&case.exchanges) {
        let ex = match shown {
            super::shown::Shown::One(ex) => ex,
            super::shown::Shown::Pages(run) => {
                lines.push(run.describe());
                continue;
            }
        };
        let answer = match &ex.response {
            Some(r) => format!("HTTP {} in {} ms", r.status, ex.duration_ms),
            None => format!("no response after {} ms", ex.duration_ms),
        };
        let page = ex.page.map(|p| format!(", page {p}")).unwrap_or_default();
        let mut line = format!("step {}{page}: {}\n  -> {answer}", ex.step + 1, ex.curl);
        if let Some(note) = ex.attempts_note() {
            line.push_str("\n  -> ");
            line.push_str(&note);
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn render_fixture() -> String {
        render(&fixture::summary())
    }

    #[test]
    fn snapshot_with_waivers_and_baseline() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("junit_ci", render(&fixture::summary_for_ci()));
        });
    }

    #[test]
    fn snapshot() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("junit", render_fixture());
        });
    }

    #[test]
    fn reads_back_with_a_junit_reader() {
        let xml = render_fixture();
        let report = Report::deserialize_from_str(&xml).expect("valid JUnit");
        assert_eq!(report.tests, 5);
        assert_eq!(report.failures, 1);
        assert_eq!(report.errors, 1);
        assert_eq!(report.skipped, 1);
        let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "cdr::accounts",
                "cdr::products",
                "cdr::payments",
                "cdr::common"
            ]
        );
        let accounts = &report.test_suites[0];
        assert_eq!(accounts.tests, 2);
        assert_eq!(accounts.time, Some(Duration::from_millis(45)));
        let failed = &accounts.test_cases[1];
        assert_eq!(failed.name.as_str(), "product-category-valid");
        assert_eq!(failed.classname.as_deref(), Some("cdr::accounts"));
        match &failed.status {
            TestCaseStatus::NonSuccess {
                kind,
                message,
                description,
                ..
            } => {
                assert_eq!(*kind, NonSuccessKind::Failure);
                let message = message.as_deref().unwrap_or("");
                assert!(message.starts_with("[response-schema] step 1, body /data/accounts/0"));
                assert!(message.ends_with("(and 2 more findings)"));
                let description = description.as_deref().unwrap_or("");
                assert_eq!(description.matches("\n\n[").count(), 2);
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(
            failed
                .properties
                .iter()
                .any(|p| p.name.as_str() == "requirement"
                    && p.value.as_str() == "CDS-BankingProductCategory")
        );
    }

    #[test]
    fn errors_stay_apart_from_failures() {
        let xml = render_fixture();
        let report = Report::deserialize_from_str(&xml).expect("valid JUnit");
        let errored = &report.test_suites[1].test_cases[0];
        match &errored.status {
            TestCaseStatus::NonSuccess {
                kind, message, ty, ..
            } => {
                assert_eq!(*kind, NonSuccessKind::Error);
                assert_eq!(
                    message.as_deref(),
                    Some("[timeout] step 1: no response within 30s")
                );
                assert_eq!(ty.as_deref(), Some("timeout"));
            }
            other => panic!("expected an error, got {other:?}"),
        }
        let skipped = &report.test_suites[2].test_cases[0];
        assert!(matches!(
            &skipped.status,
            TestCaseStatus::Skipped { message: Some(m), .. } if m.as_str().starts_with("writes are refused")
        ));
        let waived = &report.test_suites[3].test_cases[0];
        assert!(waived.properties.iter().any(|p| {
            p.name.as_str() == "waived"
                && p.value
                    .as_str()
                    .starts_with("fapi-interaction-id: public endpoint")
        }));
    }

    #[test]
    fn markup_in_messages_is_escaped() {
        let mut s = fixture::summary();
        s.cases[1].findings[0].message = "<failure> & \"quotes\" ]]>".into();
        let xml = render(&s);
        assert!(!xml.contains("<failure> &"));
        let report = Report::deserialize_from_str(&xml).expect("valid JUnit");
        match &report.test_suites[0].test_cases[1].status {
            TestCaseStatus::NonSuccess { message, .. } => {
                assert!(
                    message
                        .as_deref()
                        .unwrap_or("")
                        .contains("<failure> & \"quotes\" ]]>")
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn retries_are_told_beside_the_curl_line() {
        let xml = render(&fixture::retried());
        assert!(
            xml.contains(
                "-&gt; 3 attempts: HTTP 503 Service Unavailable (Retry-After: 1), waited 1.00s; HTTP 503"
            ),
            "{xml}"
        );
    }
}
