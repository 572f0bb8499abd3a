//! Coverage in every report: one short line per API on the terminal (plus what a required
//! dimension missed), a `accord::coverage` test suite in JUnit, and a section of the HTML page.
//! results.json carries the [`Coverage`] record itself.
//!
//! JUnit: the `accord::coverage` `<testsuite>` holds one property per API and dimension
//! (`cdr statuses` = `5 of 5 covered, 4 exempt`) and one per missed item (`cdr missed status` =
//! `listAccounts 403`). Only a required dimension becomes a `<testcase>` (named `api
//! dimension`): failed when it missed something, passed otherwise, so a run without
//! `--require-coverage` keeps one testcase per suite case.

use std::fmt::Write as _;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::run::coverage::{ApiCoverage, Coverage, Dimension, Item, State, Tally};

/// Case names shown per item in the HTML page before "and N more".
const CASES_SHOWN: usize = 3;

/// `covered of total` (items that could be covered), plus exempt ones when there are.
pub fn counts(t: &Tally) -> String {
    let mut out = format!("{}/{}", t.covered, t.covered + t.missed);
    if t.exempt > 0 {
        let _ = write!(out, " ({} exempt)", t.exempt);
    }
    out
}

/// The terminal lines: `cdr coverage: statuses 5/5 (4 exempt), errors 7/7 (7 exempt),
/// requirements 32/32`, and for each required dimension that missed something, what it missed.
pub fn terminal(c: &Coverage) -> String {
    let mut out = String::new();
    for a in &c.apis {
        let parts: Vec<String> = Dimension::ALL
            .iter()
            .filter(|d| !a.tally(**d).items.is_empty())
            .map(|d| format!("{d} {}", counts(a.tally(*d))))
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "{} coverage: {}", a.api, parts.join(", "));
        }
        for n in &a.notes {
            let _ = writeln!(out, "{} coverage note: {n}", a.api);
        }
    }
    out.push_str(&unmet(c));
    out
}

/// One line per required coverage dimension the run left incomplete (what fails the run).
pub fn unmet(c: &Coverage) -> String {
    let mut out = String::new();
    for u in c.unmet() {
        let _ = writeln!(out, "required coverage not met: {u}");
    }
    out
}

fn singular(d: Dimension) -> &'static str {
    match d {
        Dimension::Statuses => "status",
        Dimension::Errors => "error",
        Dimension::Requirements => "requirement",
    }
}

/// The `accord::coverage` test suite.
pub fn junit_suite(c: &Coverage, started_at: &str) -> TestSuite {
    let mut suite = TestSuite::new("accord::coverage");
    suite.extra.insert("timestamp".into(), started_at.into());
    suite.set_time(Duration::ZERO);
    for a in &c.apis {
        for d in Dimension::ALL {
            let t = a.tally(d);
            let mut value = format!("{} of {} covered", t.covered, t.covered + t.missed);
            if t.exempt > 0 {
                let _ = write!(value, ", {} exempt", t.exempt);
            }
            suite.add_property(Property::new(
                format!("{} {d}", a.api).as_str(),
                value.as_str(),
            ));
            for i in t.missed_items() {
                let name = format!("{} missed {}", a.api, singular(d));
                suite.add_property(Property::new(name.as_str(), i.id.as_str()));
            }
        }
        for n in &a.notes {
            let name = format!("{} coverage note", a.api);
            suite.add_property(Property::new(name.as_str(), n.as_str()));
        }
        for d in &a.required {
            suite.add_test_case(required_case(a, *d));
        }
    }
    suite
}

fn required_case(a: &ApiCoverage, d: Dimension) -> TestCase {
    let missed: Vec<&Item> = a.tally(d).missed_items().collect();
    let status = if missed.is_empty() {
        TestCaseStatus::success()
    } else {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(format!(
            "{} {} not covered, and the run requires them",
            missed.len(),
            d.noun()
        ));
        s.set_type("coverage");
        let lines: Vec<&str> = missed.iter().map(|i| i.id.as_str()).collect();
        s.set_description(lines.join("\n"));
        s
    };
    let mut tc = TestCase::new(format!("{} {d}", a.api).as_str(), status);
    tc.set_classname("accord::coverage");
    tc.set_time(Duration::ZERO);
    tc
}

/// The HTML section's data.
#[derive(Debug, Serialize)]
pub struct HtmlCoverage {
    pub apis: Vec<HtmlApi>,
}

#[derive(Debug, Serialize)]
pub struct HtmlApi {
    pub api: String,
    pub dimensions: Vec<HtmlDimension>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct HtmlDimension {
    pub label: &'static str,
    pub required: bool,
    pub covered: usize,
    pub missed: usize,
    pub exempt: usize,
    pub items: Vec<HtmlItem>,
}

#[derive(Debug, Serialize)]
pub struct HtmlItem {
    pub id: String,
    /// The badge class: `passed`, `failed` or `skipped`.
    pub class: &'static str,
    pub state: &'static str,
    pub detail: String,
    pub cases: String,
}

/// Prepares the HTML section: every dimension that has items, with one row per item.
pub fn html(c: &Coverage) -> HtmlCoverage {
    HtmlCoverage {
        apis: c
            .apis
            .iter()
            .map(|a| HtmlApi {
                api: a.api.clone(),
                dimensions: Dimension::ALL
                    .iter()
                    .filter(|d| !a.tally(**d).items.is_empty())
                    .map(|d| html_dimension(a, *d))
                    .collect(),
                notes: a.notes.clone(),
            })
            .collect(),
    }
}

fn html_dimension(a: &ApiCoverage, d: Dimension) -> HtmlDimension {
    let t = a.tally(d);
    HtmlDimension {
        label: match d {
            Dimension::Statuses => "Documented statuses",
            Dimension::Errors => "Catalogued error codes",
            Dimension::Requirements => "Requirements",
        },
        required: a.required.contains(&d),
        covered: t.covered,
        missed: t.missed,
        exempt: t.exempt,
        items: t.items.iter().map(html_item).collect(),
    }
}

fn html_item(i: &Item) -> HtmlItem {
    let (class, state) = match i.state {
        State::Covered => ("passed", "covered"),
        State::Missed => ("failed", "missed"),
        State::Exempt => ("skipped", "exempt"),
    };
    let mut detail: Vec<String> = Vec::new();
    if let (Some(status), Some(_)) = (&i.status, &i.title) {
        detail.push(format!("status {status}"));
    }
    if let Some(title) = &i.title {
        detail.push(title.clone());
    }
    if i.declared == Some(true) {
        detail.push("declared by the API".into());
    }
    if let Some(r) = &i.reason {
        detail.push(r.clone());
    }
    let mut cases: Vec<&str> = i
        .cases
        .iter()
        .take(CASES_SHOWN)
        .map(String::as_str)
        .collect();
    let more = i.cases.len().saturating_sub(CASES_SHOWN);
    let more_text = format!("and {more} more");
    if more > 0 {
        cases.push(&more_text);
    }
    HtmlItem {
        id: i.id.clone(),
        class,
        state,
        detail: detail.join(" · "),
        cases: cases.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn terminal_shows_one_line_per_api_and_what_a_requirement_missed() {
        let run = fixture::summary_with_coverage();
        let c = run.coverage.as_ref().unwrap();
        assert_eq!(
            terminal(c),
            "cdr coverage: statuses 2/3 (1 exempt), errors 1/1, requirements 1/2\n\
             required coverage not met: cdr: 1 documented statuses not covered: listAccounts 422\n"
        );
    }

    #[test]
    fn junit_has_properties_and_a_testcase_per_required_dimension() {
        let run = fixture::summary_with_coverage();
        let xml = crate::report::junit::render(&run);
        let report = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit");
        let suite = report.test_suites.last().unwrap();
        assert_eq!(suite.name.as_str(), "accord::coverage");
        let props: Vec<(String, String)> = suite
            .properties
            .iter()
            .map(|p| (p.name.to_string(), p.value.to_string()))
            .collect();
        assert!(props.contains(&("cdr statuses".into(), "2 of 3 covered, 1 exempt".into())));
        assert!(props.contains(&("cdr missed status".into(), "listAccounts 422".into())));
        assert!(props.contains(&("cdr missed requirement".into(), "CDS Pagination".into())));
        assert_eq!(suite.test_cases.len(), 1);
        let tc = &suite.test_cases[0];
        assert_eq!(tc.name.as_str(), "cdr statuses");
        match &tc.status {
            TestCaseStatus::NonSuccess { kind, message, .. } => {
                assert_eq!(*kind, NonSuccessKind::Failure);
                assert_eq!(
                    message.as_deref(),
                    Some("1 documented statuses not covered, and the run requires them")
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert_eq!(report.tests, run.cases.len() + 1);
    }

    #[test]
    fn html_lists_every_item_with_its_state() {
        let run = fixture::summary_with_coverage();
        let page = crate::report::html::render(&run);
        let section = &page[page
            .find("<section id=\"coverage\">")
            .expect("a coverage section")..];
        for text in [
            "listAccounts 422",
            "Throttling cannot be provoked",
            "urn:au-cds:error:cds-all:Field&#x2f;InvalidPage",
            "status 422 · Invalid Page",
            "required",
        ] {
            assert!(section.contains(text), "{text} missing");
        }
        assert!(!crate::report::html::render(&fixture::summary()).contains("id=\"coverage\""));
    }

    #[test]
    fn results_json_carries_coverage_and_reads_it_back() {
        let run = fixture::summary_with_coverage();
        let text = crate::run::json::render(&run);
        let back = crate::run::json::parse(&text).expect("reads back");
        assert_eq!(back, run);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        fixture::snapshot_settings().bind(|| {
            insta::assert_json_snapshot!("json_coverage", value["coverage"]);
        });
        let plain = crate::run::json::render(&fixture::summary());
        assert!(!plain.contains("\"coverage\""));
    }

    #[test]
    fn long_case_lists_are_cut() {
        let item = Item {
            id: "x".into(),
            operation: None,
            status: None,
            title: None,
            declared: None,
            state: State::Covered,
            reason: None,
            cases: (0..5).map(|n| format!("c{n}")).collect(),
            statement: None,
        };
        assert_eq!(html_item(&item).cases, "c0, c1, c2, and 2 more");
    }
}
