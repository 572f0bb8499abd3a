use super::*;
use crate::finding::{Finding, Where};
use crate::report::fixture;

fn known() -> HashSet<String> {
    fixture::summary()
        .cases
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn load_text(text: &str) -> Result<Waivers, Vec<Diagnostic>> {
    let doc = Document::parse("waivers.yaml", text).expect("YAML");
    parse(&doc, &known())
}

const GOOD: &str = "waivers:
  - case: cdr::accounts::product-category-valid
    check: response-schema
    reason: the holder fixes the enum in 4.2
    owner: alice
    expires: 2026-12-31
";

#[test]
fn reads_entries_with_their_locations() {
    let w = load_text(GOOD).expect("valid");
    assert_eq!(w.entries.len(), 1);
    assert_eq!(w.entries[0].check.as_deref(), Some("response-schema"));
    assert_eq!(w.entries[0].expires, "2026-12-31");
    assert_eq!(w.entries[0].location, "waivers.yaml:2:5");
}

#[test]
fn every_problem_is_located_with_a_suggestion() {
    let text = "waivers:
  - case: cdr::accounts::product-category-vaild
    check: response-shema
    reason: r
    owner: o
    expires: 2026-02-30
  - case: cdr::common::outages
    reasn: r
    owner: o
    expires: 2026-01-01
";
    let errs = load_text(text).expect_err("invalid");
    let shown: Vec<String> = errs.iter().map(|d| format!("{d} | {:?}", d.help)).collect();
    let all = shown.join("\n");
    assert!(
        all.contains("waivers.yaml:2:11: no case named `cdr::accounts::product-category-vaild`")
            && all.contains("did you mean `cdr::accounts::product-category-valid`?"),
        "{all}"
    );
    assert!(
        all.contains("waivers.yaml:3:12: no check named `response-shema`")
            && all.contains("did you mean `response-schema`?"),
        "{all}"
    );
    assert!(
        all.contains("waivers.yaml:6:14: `2026-02-30` is not a date"),
        "{all}"
    );
    assert!(
        all.contains("waivers.yaml:8:5: unknown key `reasn`")
            && all.contains("did you mean `reason`?"),
        "{all}"
    );
    assert!(all.contains("waivers.yaml:7:5: missing `reason`"), "{all}");
    assert_eq!(errs.len(), 5, "{all}");
}

#[test]
fn a_second_waiver_for_the_same_failure_is_refused() {
    let text = format!("{GOOD}{}", &GOOD["waivers:\n".len()..]);
    let errs = load_text(&text).expect_err("duplicate");
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].message.starts_with("a second waiver"),
        "{}",
        errs[0]
    );
    assert!(load_text("waiver: []\n").is_err());
    assert!(load_text("waivers: []\n").is_ok());
}

#[test]
fn dates_are_real_days() {
    assert!(is_date("2028-02-29"));
    assert!(!is_date("2027-02-29"));
    assert!(!is_date("2027-13-01"));
    assert!(!is_date("27-01-01"));
    assert!(!is_date("2027-1-011"));
}

fn waiver(case: &str, check: Option<&str>, expires: &str) -> Waiver {
    Waiver {
        case: case.into(),
        check: check.map(str::to_owned),
        reason: "known".into(),
        owner: "alice".into(),
        expires: expires.into(),
        location: "w.yaml:2:5".into(),
    }
}

fn applied(entries: Vec<Waiver>, today: &str) -> RunSummary {
    let mut s = fixture::summary();
    apply(&mut s, &Waivers { entries }, today);
    s
}

const FAILED: &str = "cdr::accounts::product-category-valid";

#[test]
fn a_waiver_for_the_whole_case_waives_it() {
    let s = applied(vec![waiver(FAILED, None, "2026-12-31")], "2026-12-31");
    assert_eq!(s.cases[1].outcome, Outcome::Waived);
    assert_eq!(s.cases[1].waivers.len(), 1);
    assert_eq!(s.totals.waived, 1);
    assert_eq!(s.totals.failed, 0);
    assert!(s.waiver_problems.is_empty());
    assert_eq!(
        s.cases[1].waivers[0].describe(),
        "[every check] known (owner alice, expires 2026-12-31)"
    );
}

#[test]
fn a_case_stays_failed_while_an_unwaived_check_fails() {
    let s = applied(
        vec![waiver(FAILED, Some("response-schema"), "2027-01-01")],
        "2026-11-02",
    );
    assert_eq!(s.cases[1].outcome, Outcome::Failed);
    assert_eq!(s.cases[1].waivers.len(), 1);
    let all = ["response-schema", "header-equals", "status"]
        .iter()
        .map(|c| waiver(FAILED, Some(c), "2027-01-01"))
        .collect();
    let s = applied(all, "2026-11-02");
    assert_eq!(s.cases[1].outcome, Outcome::Waived);
}

#[test]
fn an_expired_waiver_excuses_nothing_and_is_named() {
    let s = applied(vec![waiver(FAILED, None, "2026-11-01")], "2026-11-02");
    assert_eq!(s.cases[1].outcome, Outcome::Failed);
    assert_eq!(s.waiver_problems.len(), 1);
    let p = &s.waiver_problems[0];
    assert_eq!(p.kind, ProblemKind::Expired);
    assert_eq!(
        p.message,
        "expired waiver: `cdr::accounts::product-category-valid` expired on 2026-11-01 (owner alice, w.yaml:2:5): renew it or fix the failure"
    );
}

#[test]
fn a_waiver_whose_failure_is_gone_is_stale() {
    let s = applied(
        vec![
            waiver("cdr::common::outages", None, "2027-01-01"),
            waiver(FAILED, Some("expect-body"), "2027-01-01"),
        ],
        "2026-11-02",
    );
    let messages: Vec<&str> = s
        .waiver_problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "stale waiver: remove it: `cdr::common::outages` passes now (owner alice, w.yaml:2:5)",
            "stale waiver: remove it: check `expect-body` no longer fails in `cdr::accounts::product-category-valid` (owner alice, w.yaml:2:5)",
        ]
    );
    assert!(
        s.waiver_problems
            .iter()
            .all(|p| p.kind == ProblemKind::Stale)
    );
}

#[test]
fn warnings_do_not_keep_a_waiver_alive_and_unjudged_cases_are_left_alone() {
    let mut s = fixture::summary();
    s.cases[0]
        .findings
        .push(Finding::new("status-documented", 0, Where::status(), "w").warning());
    apply(
        &mut s,
        &Waivers {
            entries: vec![
                waiver("cdr::accounts::list-accounts-paginated", None, "2027-01-01"),
                waiver("cdr::products::product-detail", None, "2027-01-01"),
                waiver("cdr::payments::create-payment", None, "2027-01-01"),
            ],
        },
        "2026-11-02",
    );
    assert_eq!(s.waiver_problems.len(), 1, "{:?}", s.waiver_problems);
    assert_eq!(s.cases[2].outcome, Outcome::Errored);
    assert_eq!(s.cases[3].outcome, Outcome::Skipped);
}

#[test]
fn problems_order_by_position() {
    let mut s = applied(
        vec![waiver("cdr::common::outages", None, "2020-01-01")],
        "2026-01-01",
    );
    let mut p = s.waiver_problems.remove(0);
    assert_eq!(p.order_key(), ("w.yaml".into(), 2, 5));
    p.location = "dir:x/w.yaml:10:3".into();
    assert_eq!(p.order_key(), ("dir:x/w.yaml".into(), 10, 3));
}
