//! A fixed, hand-built run summary that every report format's tests render.
//!
//! Five cases cover every shape a report must show: a pass with two exchanges, a failure with
//! findings on the body, a header and the status, a timeout with no response, a skip, and a
//! pass with a waived check. The clock is fixed so snapshots are stable; [`snapshot_settings`]
//! files them all under `snapshots/report/`.

use crate::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::finding::{Finding, HarnessError, HarnessErrorKind, Where};
use crate::run::{CaseResult, Outcome, RESULTS_FORMAT, RunSummary, Target, Waived};

const BASE: &str = "http://127.0.0.1:8080/cds-au/v1";

/// The insta settings of every report snapshot: filed under `snapshots/report/` by name alone,
/// whichever source file asserts them.
pub(crate) fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/report"),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// A GET exchange with a JSON response.
pub(crate) fn exchange(step: usize, path: &str, status: u16, body: &str) -> Exchange {
    let url = format!("{BASE}{path}");
    Exchange {
        step,
        page: None,
        pages_to: None,
        link: None,
        operation: Some("listAccounts".into()),
        request: RecordedRequest {
            method: "GET".into(),
            url: url.clone(),
            headers: headers(&[
                ("x-v", "2"),
                ("authorization", "Bearer [redacted]"),
                (
                    "x-fapi-interaction-id",
                    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                ),
            ]),
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            headers: headers(&[
                ("content-type", "application/json"),
                ("x-v", "2"),
                (
                    "x-fapi-interaction-id",
                    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                ),
            ]),
            body: body.to_owned(),
            body_bytes: body.len(),
            body_note: None,
            digest: None,
            json: serde_json::from_str(body).ok(),
        }),
        duration_ms: 12,
        curl: format!(
            "curl -X GET '{url}' -H 'x-v: 2' -H 'authorization: Bearer [redacted]' \
             -H 'x-fapi-interaction-id: 6ba7b810-9dad-11d1-80b4-00c04fd430c8'"
        ),
        attempts: 1,
        retried: Vec::new(),
    }
}

fn case(suite: &str, id: &str, title: &str, line: usize, outcome: Outcome) -> CaseResult {
    CaseResult {
        name: format!("cdr::{suite}::{id}"),
        api: "cdr".into(),
        suite: suite.into(),
        id: id.into(),
        title: title.into(),
        requirements: Vec::new(),
        location: format!("suites/cdr/{suite}.yaml:{line}:5"),
        outcome,
        skip_reason: None,
        skipped: outcome == Outcome::Skipped,
        excluded: false,
        duration_ms: 25,
        exchanges: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        waived: Vec::new(),
        waivers: Vec::new(),
        baseline: None,
        choices: Vec::new(),
        refusals: 0,
    }
}

fn passed_with_two_pages() -> CaseResult {
    let mut c = case(
        "accounts",
        "list-accounts-paginated",
        "Accounts are listed across pages with working links",
        4,
        Outcome::Passed,
    );
    c.requirements = vec!["CDS-pagination".into(), "CDS-GetAccounts".into()];
    c.exchanges = vec![
        exchange(
            0,
            "/banking/accounts?page-size=1",
            200,
            r#"{"data":{"accounts":[{"accountId":"acc-1","productCategory":"TRANS_AND_SAVINGS_ACCOUNTS"}]},"links":{"self":"http://127.0.0.1:8080/cds-au/v1/banking/accounts?page-size=1","next":"http://127.0.0.1:8080/cds-au/v1/banking/accounts?page=2&page-size=1"},"meta":{"totalRecords":2,"totalPages":2}}"#,
        ),
        exchange(
            1,
            "/banking/accounts?page=2&page-size=1",
            200,
            r#"{"data":{"accounts":[{"accountId":"acc-2","productCategory":"TERM_DEPOSITS"}]},"links":{"self":"http://127.0.0.1:8080/cds-au/v1/banking/accounts?page=2&page-size=1"},"meta":{"totalRecords":2,"totalPages":2}}"#,
        ),
    ];
    c.duration_ms = 31;
    c
}

fn failed_with_three_findings() -> CaseResult {
    let mut c = case(
        "accounts",
        "product-category-valid",
        "Every account has a product category from the standard's list",
        18,
        Outcome::Failed,
    );
    c.requirements = vec!["CDS-BankingProductCategory".into()];
    let mut ex = exchange(
        0,
        "/banking/accounts",
        201,
        r#"{"data":{"accounts":[{"accountId":"acc-1","productCategory":"SAVINGS"}]},"links":{"self":"http://127.0.0.1:8080/cds-au/v1/banking/accounts"},"meta":{"totalRecords":1,"totalPages":1}}"#,
    );
    if let Some(r) = ex.response.as_mut() {
        r.headers[1].1 = "3".into();
    }
    c.exchanges = vec![ex];
    c.findings = vec![
        Finding::new(
            "response-schema",
            0,
            Where::body("/data/accounts/0/productCategory"),
            "\"SAVINGS\" is not one of the allowed values",
        )
        .expected("one of TRANS_AND_SAVINGS_ACCOUNTS, TERM_DEPOSITS, TRAVEL_CARDS")
        .actual("\"SAVINGS\"")
        .rule("CDS Banking APIs, BankingProductCategory")
        .spec_location(Some(
            "specs/cds-banking.yaml#/components/schemas/BankingAccount/properties/productCategory"
                .into(),
        )),
        Finding::new(
            "header-equals",
            0,
            Where::header("x-v"),
            "x-v is not the version requested",
        )
        .expected("2")
        .actual("3")
        .rule("CDS Standards, HTTP Headers: x-v (response)")
        .suite_location(Some("suites/cdr/accounts.yaml:24:9".into())),
        Finding::new("status", 0, Where::status(), "unexpected status code")
            .expected("200")
            .actual("201")
            .spec_location(Some(
                "specs/cds-banking.yaml#/paths/~1banking~1accounts/get/responses".into(),
            ))
            .suite_location(Some("suites/cdr/accounts.yaml:22:9".into())),
    ];
    c.duration_ms = 14;
    c
}

fn errored_by_timeout() -> CaseResult {
    let mut c = case(
        "products",
        "product-detail",
        "A product's detail is served",
        7,
        Outcome::Errored,
    );
    c.requirements = vec!["CDS-GetProductDetail".into()];
    let url = format!("{BASE}/banking/products/prod-1");
    let curl = format!("curl -X GET '{url}' -H 'x-v: 4'");
    let mut ex = exchange(0, "/banking/products/prod-1", 200, "");
    ex.operation = Some("getProductDetail".into());
    ex.request.headers = headers(&[("x-v", "4")]);
    ex.response = None;
    ex.duration_ms = 30_000;
    ex.curl = curl.clone();
    c.exchanges = vec![ex];
    c.errors = vec![HarnessError {
        kind: HarnessErrorKind::Timeout,
        step: 0,
        message: "no response within 30s".into(),
        curl: Some(curl),
    }];
    c.duration_ms = 30_002;
    c
}

fn skipped_write() -> CaseResult {
    let mut c = case(
        "payments",
        "create-payment",
        "A payment can be created",
        3,
        Outcome::Skipped,
    );
    c.skip_reason = Some("writes are refused on a target that is not a mock".into());
    c.duration_ms = 0;
    c
}

fn passed_with_waiver() -> CaseResult {
    let mut c = case(
        "common",
        "outages",
        "Scheduled outages are published",
        5,
        Outcome::Passed,
    );
    c.requirements = vec!["CDS-GetOutages".into()];
    let mut ex = exchange(
        0,
        "/discovery/outages",
        200,
        r#"{"data":{"outages":[]},"links":{"self":"http://127.0.0.1:8080/cds-au/v1/discovery/outages"},"meta":{}}"#,
    );
    ex.operation = Some("getOutages".into());
    if let Some(r) = ex.response.as_mut() {
        r.headers.truncate(2);
    }
    c.exchanges = vec![ex];
    c.findings = vec![
        Finding::new(
            "expect-status",
            0,
            Where::status(),
            "expected status 304, got 200",
        )
        .expected("304")
        .actual("200")
        .graded(
            crate::finding::Severity::Warning,
            "the standard says a holder may answer 304 to a conditional request; it need not",
        )
        .suite_location(Some("suites/cdr/common.yaml:9:9".into())),
    ];
    c.waived = vec![Waived {
        check: "fapi-interaction-id".into(),
        reason:
            "public endpoint: the standard does not require the header on unauthenticated calls"
                .into(),
    }];
    c.duration_ms = 9;
    c
}

/// The fixed summary: five cases, fixed clock, one mock target.
pub(crate) fn summary() -> RunSummary {
    let cases = vec![
        passed_with_two_pages(),
        failed_with_three_findings(),
        errored_by_timeout(),
        skipped_write(),
        passed_with_waiver(),
    ];
    RunSummary {
        format: RESULTS_FORMAT,
        accord_version: "0.1.0".into(),
        started_at: "2026-11-02T09:30:00Z".into(),
        duration_ms: 30_081,
        profile: Some("local-mock".into()),
        targets: vec![Target {
            api: "cdr".into(),
            base_url: BASE.into(),
            mock: true,
        }],
        inputs: Vec::new(),
        totals: RunSummary::count(&cases),
        fail_on_warnings: false,
        baseline: None,
        waiver_problems: Vec::new(),
        hints: Vec::new(),
        partition: None,
        cases,
        coverage: None,
        assessment: None,
    }
}

/// The fixed summary after a waivers file and a baseline: one case waived, one expired and one
/// stale waiver, and every baseline mark (new failure, fixed, still failing, still passing,
/// new, removed), with only new failures failing the run.
pub(crate) fn summary_for_ci() -> RunSummary {
    use crate::run::baseline::{self, FailOn};
    use crate::run::waivers::{self, Waiver, Waivers};
    let mut run = summary();
    let waiver = |case: &str, check: Option<&str>, expires: &str, line: usize| Waiver {
        case: case.into(),
        check: check.map(str::to_owned),
        reason: format!("known since release {line}"),
        owner: "payments-team@example.com".into(),
        expires: expires.into(),
        location: format!("waivers.yaml:{line}:5"),
    };
    let entries = vec![
        waiver(
            "cdr::accounts::product-category-valid",
            None,
            "2026-12-31",
            2,
        ),
        waiver(
            "cdr::common::outages",
            Some("response-schema"),
            "2026-10-31",
            7,
        ),
        waiver(
            "cdr::accounts::list-accounts-paginated",
            None,
            "2027-03-31",
            12,
        ),
    ];
    waivers::apply(&mut run, &Waivers { entries }, "2026-11-02");
    let mut base = summary();
    let outcomes = [
        Outcome::Failed,
        Outcome::Failed,
        Outcome::Passed,
        Outcome::Skipped,
        Outcome::Passed,
    ];
    for (c, o) in base.cases.iter_mut().zip(outcomes) {
        c.outcome = o;
    }
    base.cases.remove(3);
    let mut gone = base.cases[0].clone();
    gone.name = "cdr::accounts::list-accounts-legacy".into();
    base.cases.push(gone);
    let known = run.cases.iter().map(|c| c.name.clone()).collect();
    baseline::compare(
        &mut run,
        &base,
        "reports/nightly/results.json",
        &known,
        FailOn::New,
    );
    run
}

/// One coverage item for [`summary_with_coverage`].
fn covered(
    id: &str,
    state: crate::run::coverage::State,
    cases: &[&str],
) -> crate::run::coverage::Item {
    crate::run::coverage::Item {
        id: id.into(),
        operation: None,
        status: None,
        title: None,
        declared: None,
        state,
        reason: None,
        cases: cases.iter().map(|c| (*c).to_owned()).collect(),
        statement: None,
    }
}

fn tally(items: Vec<crate::run::coverage::Item>) -> crate::run::coverage::Tally {
    use crate::run::coverage::State;
    let count = |s: State| items.iter().filter(|i| i.state == s).count();
    crate::run::coverage::Tally {
        covered: count(State::Covered),
        missed: count(State::Missed),
        exempt: count(State::Exempt),
        items,
    }
}

/// The fixed summary plus coverage of the cdr API: statuses required and one missed, an
/// exempt status, a covered error code, a declared requirement no case ran.
pub(crate) fn summary_with_coverage() -> RunSummary {
    use crate::run::coverage::{ApiCoverage, Coverage, Dimension, Item, State};
    let status = |s: &str, state: State, cases: &[&str]| Item {
        operation: Some("listAccounts".into()),
        status: Some(s.into()),
        ..covered(&format!("listAccounts {s}"), state, cases)
    };
    let mut run = summary();
    run.coverage = Some(Coverage {
        apis: vec![ApiCoverage {
            api: "cdr".into(),
            required: vec![Dimension::Statuses],
            statuses: tally(vec![
                status(
                    "200",
                    State::Covered,
                    &["cdr::accounts::list-accounts-paginated"],
                ),
                status(
                    "400",
                    State::Covered,
                    &["cdr::accounts::product-category-valid"],
                ),
                status("422", State::Missed, &[]),
                Item {
                    reason: Some("Throttling cannot be provoked.".into()),
                    ..status("429", State::Exempt, &[])
                },
            ]),
            errors: tally(vec![Item {
                status: Some("422".into()),
                title: Some("Invalid Page".into()),
                ..covered(
                    "urn:au-cds:error:cds-all:Field/InvalidPage",
                    State::Covered,
                    &["cdr::accounts::list-accounts-paginated"],
                )
            }]),
            requirements: tally(vec![
                Item {
                    declared: Some(true),
                    ..covered(
                        "CDS Get Accounts v2",
                        State::Covered,
                        &["cdr::accounts::list-accounts-paginated"],
                    )
                },
                Item {
                    declared: Some(true),
                    ..covered("CDS Pagination", State::Missed, &[])
                },
            ]),
            notes: Vec::new(),
        }],
    });
    run
}

/// The fixed summary with the first exchange sent three times: twice refused with 503 and
/// Retry-After, then answered.
pub(crate) fn retried() -> RunSummary {
    let mut s = summary();
    let x = &mut s.cases[0].exchanges[0];
    x.attempts = 3;
    x.retried = vec![
        crate::exchange::Retried {
            reason: "HTTP 503 Service Unavailable (Retry-After: 1)".into(),
            wait_ms: 1000,
        };
        2
    ];
    s
}
