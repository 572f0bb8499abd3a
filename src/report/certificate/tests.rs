use super::*;
use crate::finding::Where;
use crate::report::fixture;
use crate::run::InputKind;

fn artifacts() -> Vec<FileDigest> {
    vec![FileDigest {
        path: "results.json".into(),
        bytes: 1234,
        sha256: "ab".repeat(32),
    }]
}

fn with_inputs(mut s: RunSummary) -> RunSummary {
    s.inputs = vec![
        Input {
            kind: InputKind::Suite,
            path: "suites/cdr/accounts.yaml".into(),
            sha256: "11".repeat(32),
        },
        Input {
            kind: InputKind::Spec,
            path: "specs/cdr/banking-accounts-v2.yaml".into(),
            sha256: "22".repeat(32),
        },
    ];
    s
}

#[test]
fn snapshot() {
    fixture::snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "certificate",
            render(&with_inputs(fixture::summary_with_coverage()), &artifacts())
        );
    });
}

#[test]
fn states_who_what_and_when() {
    let html = render(&with_inputs(fixture::summary()), &artifacts());
    for needle in [
        "accord 0.1.0",
        "local-mock",
        "2026-11-02T09:30:00Z",
        // 30.081 s later.
        "2026-11-02T09:30:30.081Z",
        "suites&#x2f;cdr&#x2f;accounts.yaml",
        &"11".repeat(32),
        &"22".repeat(32),
        &"ab".repeat(32),
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
}

#[test]
fn verdicts_name_the_worst_that_happened() {
    let label = |s: &RunSummary| verdict(s).label;
    let mut s = fixture::summary();
    assert_eq!(label(&s), "Does not conform");
    s.cases.retain(|c| c.outcome != Outcome::Failed);
    assert_eq!(label(&s), "Inconclusive");
    s.cases.retain(|c| c.outcome != Outcome::Errored);
    assert_eq!(label(&s), "Conforms, with 1 warning");
    let warned = s.cases.clone();
    for c in &mut s.cases {
        c.findings.clear();
    }
    assert_eq!(label(&s), "Conforms");
    s.cases[1].exchanges = s.cases[0].exchanges.clone();
    s.assessment = Some(crate::run::assess::assess(
        &s.cases,
        crate::run::assess::Thresholds {
            max_skipped: 0.2,
            ..Default::default()
        },
    ));
    assert_eq!(
        label(&s),
        "Inconclusive",
        "1 of 3 cases skipped after sending"
    );
    s.assessment = None;
    s.cases = warned;
    s.cases[0].outcome = Outcome::Waived;
    assert_eq!(label(&s), "Conforms with waivers, with 1 warning");
    s.partition = Some(crate::partition::PartitionInfo {
        index: 1,
        count: 2,
        selection: Vec::new(),
    });
    assert_eq!(label(&s), "Partial run");
    // A baseline that excuses old failures does not make a certificate pass.
    let ci = fixture::summary_for_ci();
    assert_eq!(label(&ci), "Does not conform");
}

#[test]
fn each_requirement_gets_the_verdict_of_its_cases() {
    let s = fixture::summary_with_coverage();
    let apis = apis(&s);
    let rows: Vec<(&str, &str)> = apis
        .iter()
        .flat_map(|a| a.requirements.iter().map(|r| (r.clause, r.label)))
        .collect();
    assert!(!rows.is_empty());
    for (clause, label) in &rows {
        let item = s.coverage.as_ref().unwrap().apis[0]
            .requirements
            .items
            .iter()
            .find(|i| i.id == *clause)
            .unwrap();
        let outcomes: Vec<Outcome> = item
            .cases
            .iter()
            .filter_map(|n| s.cases.iter().find(|c| c.name == *n))
            .map(|c| c.outcome)
            .collect();
        let expected = if item.state == State::Exempt {
            "exempt"
        } else if outcomes.contains(&Outcome::Failed) {
            "not met"
        } else if outcomes.contains(&Outcome::Errored) {
            "inconclusive"
        } else if outcomes.iter().all(|o| *o == Outcome::Skipped) {
            "not tested"
        } else {
            "met"
        };
        assert_eq!(label, &expected, "{clause}");
    }
    // Without coverage, the clauses the cases cite.
    let plain = fixture::summary();
    let rows: Vec<(String, &str)> = apis_of(&plain);
    assert!(rows.contains(&("CDS-BankingProductCategory".into(), "not met")));
    assert!(rows.contains(&("CDS-GetAccounts".into(), "met")));
    assert!(rows.contains(&("CDS-GetProductDetail".into(), "inconclusive")));
}

fn apis_of(s: &RunSummary) -> Vec<(String, &'static str)> {
    apis(s)
        .iter()
        .flat_map(|a| {
            a.requirements
                .iter()
                .map(|r| (r.clause.to_owned(), r.label))
        })
        .collect()
}

#[test]
fn snapshot_differences_show_as_coloured_diffs() {
    let mut s = fixture::summary();
    let stored = "{\n  \"a\": 1,\n  \"b\": 2\n}\n";
    let got = "{\n  \"a\": 1,\n  \"b\": 3\n}\n";
    let unified = similar::TextDiff::from_lines(stored, got)
        .unified_diff()
        .header("snapshot", "received")
        .to_string();
    s.cases[1].findings.push(
        Finding::new(
            "expect-snapshot",
            0,
            Where::body(""),
            "body differs from snapshot `x`",
        )
        .actual(unified),
    );
    s.cases[1].findings.push(
        Finding::new("expect-body", 0, Where::body(""), "body differs")
            .expected("line one\nline two")
            .actual("line one\nline 2"),
    );
    let html = render(&s, &[]);
    assert!(
        html.contains("<span class=\"del\">-  &quot;b&quot;: 2</span>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"add\">+  &quot;b&quot;: 3</span>"));
    assert!(html.contains("<span class=\"del\">-line two</span>"));
    assert!(html.contains("<span class=\"add\">+line 2</span>"));
    assert!(html.contains("<span class=\"hunk\">@@"));
    assert!(html.contains("<span class=\"hunk\">--- expected</span>"));
}

#[test]
fn server_bytes_stay_inert_and_nothing_loads() {
    let mut s = fixture::summary();
    let r = s.cases[0].exchanges[0].response.as_mut().unwrap();
    r.body = "<script>alert(1)</script><img src=http://127.0.0.1:9/x>".into();
    r.headers
        .push(("x-evil".into(), "\"><iframe src=//evil>".into()));
    s.cases[1].title = "</title><script>alert(3)</script>".into();
    s.targets[0].base_url = "http://x/<style>@import url(http://evil)</style>".into();
    let html = render(&s, &[]);
    for banned in ["<script", "<img", "<iframe", "<link", "<style>@"] {
        assert!(!html.contains(banned), "found {banned}");
    }
    let plain = render(&fixture::summary(), &[]);
    for banned in [
        "<script", "<link", "src=", "@import", "url(", "http://", "https://",
    ] {
        assert!(!plain.contains(banned), "the page itself has {banned}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert_eq!(html.matches("http-equiv").count(), 1);
    assert!(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'"));
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(
        !html.contains("<details"),
        "evidence must print without unfolding"
    );
}

#[test]
fn a_catalogue_prints_every_statement_with_its_source_and_how_it_is_tested() {
    use crate::catalogue::Level;
    use crate::run::coverage::Statement;
    let plain = fixture::summary_with_coverage();
    assert!(catalogues(&plain).is_empty());
    assert!(!render(&plain, &artifacts()).contains("id=\"catalogue\""));

    let mut s = fixture::summary_with_coverage();
    let items = &mut s.coverage.as_mut().unwrap().apis[0].requirements.items;
    items[0].statement = Some(Statement {
        level: Level::Must,
        source: "Consumer Data Standards 1.36.0, Pagination › Query Parameters".into(),
        says: "page-size: a default of 25 will be assumed <b>".into(),
        checks: vec!["pagination-walk".into()],
        faults: vec!["default-page-size-wrong".into()],
        status: "tested".into(),
        why: None,
        note: None,
    });
    items[1].statement = Some(Statement {
        level: Level::Should,
        source: "Consumer Data Standards 1.36.0, HTTP Headers".into(),
        says: "Include Retry-After with 429.".into(),
        checks: Vec::new(),
        faults: Vec::new(),
        status: "untestable".into(),
        why: Some("No conformant request can be made to be throttled.".into()),
        note: Some("Read as applying to 429 only.".into()),
    });
    let cats = catalogues(&s);
    assert_eq!(cats.len(), 1);
    let rows: Vec<(&str, &str, &str)> = cats[0]
        .statements
        .iter()
        .map(|r| (r.id, r.level, r.how.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "CDS Get Accounts v2",
                "MUST",
                "checks pagination-walk; proven by fault switches default-page-size-wrong"
            ),
            (
                "CDS Pagination",
                "SHOULD",
                "untestable: No conformant request can be made to be throttled."
            ),
        ]
    );
    let html = render(&s, &artifacts());
    let section =
        &html[html.find("id=\"catalogue\"").unwrap()..html.find("id=\"evidence\"").unwrap()];
    assert!(
        section.contains("page-size: a default of 25 will be assumed &lt;b&gt;"),
        "{section}"
    );
    assert!(section.contains("Consumer Data Standards 1.36.0, Pagination › Query Parameters"));
    assert!(section.contains("Read as applying to 429 only."));
}
