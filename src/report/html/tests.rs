use super::case::{body, cards};
use super::*;
use crate::exchange::Exchange;
use crate::finding::Finding;
use crate::finding::Where;
use crate::report::fixture;

#[test]
fn snapshot_with_waivers_and_baseline() {
    fixture::snapshot_settings().bind(|| {
        insta::assert_snapshot!("html_ci", render(&fixture::summary_for_ci()));
    });
}

#[test]
fn snapshot() {
    fixture::snapshot_settings().bind(|| {
        insta::assert_snapshot!("html", render(&fixture::summary()));
    });
}

#[test]
fn a_long_walks_middle_pages_show_as_one_line_in_every_report() {
    let mut s = fixture::summary();
    let first = s.cases[0].exchanges[0].clone();
    let pages: Vec<Exchange> = (1..=12)
        .map(|n| {
            let mut x = first.clone();
            x.page = Some(n);
            if (3..=10).contains(&n) {
                x.curl = String::new();
                x.request.headers.clear();
                let r = x.response.as_mut().unwrap();
                r.headers.clear();
                r.body.clear();
                r.digest = Some(Default::default());
            }
            x
        })
        .collect();
    s.cases[0].exchanges = pages;
    let line = "tep 1, pages 3-10: 8 pages with no findings of their own, all answered 200";
    let html = render(&s);
    assert_eq!(html.matches(line).count(), 1, "{html}");
    assert!(html.contains("Step 1, page 11</strong>"));
    assert!(!html.contains("Step 1, page 5</strong>"));
    let cert = super::super::certificate::render(&s, &[]);
    assert_eq!(cert.matches(line).count(), 1);
    let junit = super::super::junit::render(&s);
    assert_eq!(junit.matches(line).count(), 1);
}

fn hostile() -> RunSummary {
    let mut s = fixture::summary();
    let r = s.cases[0].exchanges[0].response.as_mut().unwrap();
    r.body = "<script>alert(1)</script>".into();
    r.headers
        .push(("x-evil".into(), "\"><img src=x onerror=alert(1)>".into()));
    s.cases[1].findings[0].actual = Some("<script>alert(2)</script>".into());
    s.cases[1].title = "</title><script>alert(3)</script>".into();
    s
}

#[test]
fn server_bytes_are_escaped() {
    let html = render(&hostile());
    assert!(!html.contains("<script"), "raw script tag in output");
    assert!(!html.contains("<img"), "raw img tag in output");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;script&gt;alert(2)"));
}

#[test]
fn loads_nothing_and_runs_nothing() {
    let html = render(&fixture::summary());
    for banned in ["<script", "<link", "src=", "@import", "url(", "http-equiv"] {
        assert!(!html.contains(banned), "found {banned}");
    }
}

#[test]
fn huge_bodies_are_cut() {
    let mut s = fixture::summary();
    let r = s.cases[0].exchanges[0].response.as_mut().unwrap();
    r.body = "x".repeat(5 * 1024 * 1024);
    r.body_bytes = r.body.len();
    let html = render(&s);
    assert!(html.len() < 200 * 1024, "report is {} bytes", html.len());
    assert!(html.contains("Shown: the first 64 KiB of 5242880 bytes"));
}

#[test]
fn cuts_on_a_char_boundary() {
    let b = body(&"é".repeat(BODY_SHOWN_MAX), Some("not UTF-8"));
    assert!(b.text.len() <= BODY_SHOWN_MAX);
    assert_eq!(b.notes.len(), 2);
    assert_eq!(b.notes[0], "not UTF-8");
}

#[test]
fn failing_cases_come_first_and_passing_evidence_folds() {
    let html = render(&fixture::summary());
    let failed = html.find("id=\"case-cdr.accounts.product-category-valid\"");
    let errored = html.find("id=\"case-cdr.products.product-detail\"");
    let passed = html.find("id=\"case-cdr.accounts.list-accounts-paginated\"");
    assert!(failed < errored && errored < passed, "order");
    assert!(failed.is_some());
    let passed_section = &html[passed.unwrap()..];
    assert!(passed_section.contains("<details class=\"evidence\">"));
}

#[test]
fn opens_with_the_problems_and_groups_a_rule_into_one_card() {
    let mut run = fixture::summary();
    let broken = |n: usize| {
        Finding::new(
            "response-schema",
            0,
            Where::body("/meta/total"),
            "\"7\" is not",
        )
        .rule("OpenAPI 3 Media Type Object `schema`")
        .page(n)
    };
    let case = &mut run.cases[1];
    case.findings = (1..=9).map(broken).collect();
    case.close();
    assert_eq!(case.findings.len(), 6);
    let html = render(&run);
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at("href=\"#problems\"") < at("id=\"problems\""));
    assert!(at("id=\"problems\"") < at("id=\"cases\""));
    let problems = &html[at("id=\"problems\"")..at("id=\"cases\"")];
    for c in run.cases.iter().filter(|c| c.outcome.is_failing()) {
        assert!(problems.contains(&format!("href=\"#{}\"", anchor(&c.name))));
    }
    assert!(
        problems.contains("1 rule broken, 9 times in all"),
        "{problems}"
    );
    let article = &html[at("id=\"case-cdr.accounts.product-category-valid\"")..];
    let article = &article[..article.find("</article>").unwrap()];
    assert_eq!(
        article.matches("<div class=\"finding").count(),
        1,
        "{article}"
    );
    assert_eq!(
        article
            .matches("<li><span class=\"mono\">step 1, page")
            .count(),
        5
    );
    assert!(article.contains("… and 4 more pages broke the same rule: pages 6–9"));
}

#[test]
fn a_value_in_a_long_body_is_shown_with_its_pointer_and_a_few_lines() {
    let mut run = fixture::summary();
    let accounts: Vec<serde_json::Value> = (0..20)
            .map(|i| serde_json::json!({"accountId": format!("a{i}"), "balance": if i == 12 { serde_json::json!({"amount": "x"}) } else { serde_json::json!(i) }}))
            .collect();
    let body = serde_json::json!({"data": {"accounts": accounts}}).to_string();
    let case = &mut run.cases[1];
    case.exchanges[0].response.as_mut().unwrap().body = body;
    case.findings = vec![Finding::new(
        "response-schema",
        case.exchanges[0].step,
        Where::body("/data/accounts/12/balance"),
        "not a number",
    )];
    let card = &cards(&case.findings, &case.exchanges)[0];
    let c = card.context.as_ref().expect("context for a long body");
    assert_eq!(c.pointer, "/data/accounts/12/balance");
    let marked: Vec<&str> = c
        .lines
        .iter()
        .filter(|l| l.2)
        .map(|l| l.1.as_str())
        .collect();
    assert_eq!(
        marked,
        [
            "        \"balance\": {",
            "          \"amount\": \"x\"",
            "        }"
        ]
    );
    assert_eq!(c.lines.len(), 3 + 3 + 3);
    assert!(
        c.lines[2].1.contains("\"accountId\": \"a12\""),
        "{:?}",
        c.lines
    );
    let numbers: Vec<usize> = c.lines.iter().map(|l| l.0).collect();
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "{numbers:?}");
    let html = render(&run);
    assert!(html.contains("class=\"context\""));
    case_short_body_has_no_context(&mut run);
}

fn case_short_body_has_no_context(run: &mut RunSummary) {
    let case = &mut run.cases[1];
    case.exchanges[0].response.as_mut().unwrap().body = r#"{"data":{"balance":"x"}}"#.into();
    case.findings = vec![Finding::new(
        "response-schema",
        case.exchanges[0].step,
        Where::body("/data/balance"),
        "m",
    )];
    assert!(cards(&case.findings, &case.exchanges)[0].context.is_none());
}

#[test]
fn json_bodies_are_pretty() {
    let b = body(r#"{"a":[1,2]}"#, None);
    assert_eq!(b.text, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
    assert!(body("not json", None).notes.is_empty());
}

#[test]
fn retries_are_shown_with_the_exchange() {
    let page = render(&fixture::retried());
    assert!(
            page.contains("<p class=\"muted\">3 attempts: HTTP 503 Service Unavailable (Retry-After: 1), waited 1.00s;"),
            "{page}"
        );
}
