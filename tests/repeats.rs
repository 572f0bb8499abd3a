//! A rule broken on every page of a long walk reads as its first five breaks and one finding
//! with the count, in every report: the CDR mock serves 72 accounts with `meta.totalRecords` a
//! string (fault `wrong-type`) and the walk goes one record a page.

mod common;

use serde_json::Value;

const CASE: &str = "cdr::accounts::pagination-walk-size-1";
const REST: &str = "… and 67 more pages broke the same rule: pages 6–72";

#[test]
fn a_rule_broken_on_72_pages_is_reported_5_times_then_once_with_the_count() {
    let dir = common::scratch("repeats-walk");
    let out = common::output(
        common::accord()
            .args([
                "run",
                "suites/cdr",
                "--fault",
                "wrong-type",
                "--records",
                "72",
            ])
            .args(["--filter", CASE, "--color", "never"])
            .args(common::report_args(&dir)),
    );
    assert_eq!(
        out.code, 1,
        "a collapsed failure still fails: {}",
        out.stderr
    );
    let broken = |text: &str| text.matches("/meta/totalRecords").count();
    assert_eq!(broken(&out.stdout), 6, "{}", out.stdout);
    assert!(out.stdout.contains(REST), "{}", out.stdout);

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let case = &json["cases"][0];
    assert_eq!(case["outcome"], "failed");
    let schema: Vec<&Value> = case["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["where"]["pointer"] == "/meta/totalRecords")
        .collect();
    assert_eq!(schema.len(), 6);
    let pages: Vec<&Value> = schema.iter().map(|f| &f["page"]).collect();
    assert_eq!(pages[..5], [1, 2, 3, 4, 5]);
    let last = schema[5];
    assert_eq!(last["message"], REST);
    assert_eq!(last["severity"], "error");
    assert_eq!(last["repeats"]["more"], 67);
    assert_eq!(last["repeats"]["total"], 72);
    assert_eq!(last["repeats"]["pages"], serde_json::json!([[6, 72]]));

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert_eq!(
        broken(&junit),
        7,
        "five in full and the count, plus the message line"
    );
    assert!(junit.contains(REST));

    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("67 more pages broke the same rule"));
}
