use super::{Coverage, Dimension, State, compute, counts_for};
use crate::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::plan::Plan;
use crate::run::{CaseResult, Outcome};

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \"200\": {description: ok}\n        \"400\": {description: bad}\n        5XX: {description: trouble}\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        \"200\": {description: ok}\n        default: {description: anything else}\n";

const SUITE: &str = r#"api: t
spec: things.openapi.yaml
errors:
  codes: [/errors/*/code]
protocol:
  errors:
    requirement: R
    catalogue:
      - {code: BAD, status: 400, title: Bad, when: a field is bad}
      - {code: DOWN, status: 5XX, title: Down, when: the server failed}
      - {code: ELSEWHERE, status: 404, title: Elsewhere, when: never here, operations: []}
  coverage:
    require: [errors]
    requirements: [Listing, Paging]
    exempt:
      - {status: 5XX, reason: cannot be provoked}
      - {error: DOWN, reason: cannot be provoked}
cases:
  - id: list
    title: List
    requirements: [Listing (first page)]
    steps:
      - request: {operation: listThings}
        expect: {status: 200}
  - id: bad
    title: Bad
    requirements: [BAD]
    steps:
      - request: {operation: listThings}
        expect: {status: 400, error: BAD}
  - id: one
    title: One
    requirements: [Fetching]
    steps:
      - request: {operation: getThing, path_params: {id: x}}
        expect: {status: 200}
"#;

fn plan() -> Plan {
    plan_of(SUITE)
}

fn plan_of(suite: &str) -> Plan {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("accord-coverage-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("things.openapi.yaml"), SPEC).unwrap();
    std::fs::write(dir.join("things.yaml"), suite).unwrap();
    crate::plan::load(&[dir.join("things.yaml")]).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn exchange(operation: &str, status: u16, body: &str) -> Exchange {
    Exchange {
        step: 0,
        operation: Some(operation.into()),
        request: RecordedRequest {
            method: "GET".into(),
            url: "http://127.0.0.1/things".into(),
            headers: Vec::new(),
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
            body_bytes: body.len(),
            body_note: None,
            digest: None,
            json: None,
        }),
        duration_ms: 1,
        curl: String::new(),
        attempts: 1,
        retried: Vec::new(),
        page: None,
        pages_to: None,
        link: None,
    }
}

fn case(id: &str, requirements: &[&str], outcome: Outcome, exchanges: Vec<Exchange>) -> CaseResult {
    CaseResult {
        name: format!("t::things::{id}"),
        api: "t".into(),
        suite: "things".into(),
        id: id.into(),
        title: id.into(),
        requirements: requirements.iter().map(|r| r.to_string()).collect(),
        location: String::new(),
        outcome,
        skip_reason: None,
        skipped: outcome == Outcome::Skipped,
        excluded: false,
        duration_ms: 1,
        exchanges,
        findings: Vec::new(),
        errors: Vec::new(),
        waived: Vec::new(),
        waivers: Vec::new(),
        baseline: None,
        choices: Vec::new(),
        refusals: 0,
    }
}

fn states(c: &Coverage, d: Dimension) -> Vec<(String, State)> {
    c.apis[0]
        .tally(d)
        .items
        .iter()
        .map(|i| (i.id.clone(), i.state))
        .collect()
}

fn owned(items: &[(&str, State)]) -> Vec<(String, State)> {
    items.iter().map(|(i, s)| (i.to_string(), *s)).collect()
}

#[test]
fn statuses_count_per_operation_with_classes_and_exemptions() {
    let cases = [
        case(
            "list",
            &["Listing (first page)"],
            Outcome::Passed,
            vec![exchange("listThings", 200, "{}")],
        ),
        case(
            "one",
            &["Fetching"],
            Outcome::Failed,
            vec![exchange("getThing", 418, "{}")],
        ),
    ];
    let c = compute(&plan(), &cases, &[]);
    assert_eq!(
        states(&c, Dimension::Statuses),
        owned(&[
            ("listThings 200", State::Covered),
            ("listThings 400", State::Missed),
            ("listThings 5XX", State::Exempt),
            ("getThing 200", State::Missed),
        ])
    );
    let t = &c.apis[0].statuses;
    assert_eq!((t.covered, t.missed, t.exempt), (1, 2, 1));
    assert_eq!(t.items[2].reason.as_deref(), Some("cannot be provoked"));
    assert_eq!(t.items[0].cases, ["t::things::list"]);
    let served = [case(
        "x",
        &[],
        Outcome::Passed,
        vec![exchange("listThings", 503, "")],
    )];
    let c = compute(&plan(), &served, &[]);
    assert_eq!(c.apis[0].statuses.items[2].state, State::Covered);
}

#[test]
fn statuses_leave_out_the_operations_no_exchange_reached() {
    let cases = [case(
        "list",
        &["Listing (first page)"],
        Outcome::Passed,
        vec![exchange("listThings", 200, "{}")],
    )];
    let c = compute(&plan(), &cases, &[]);
    assert_eq!(
        states(&c, Dimension::Statuses),
        owned(&[
            ("listThings 200", State::Covered),
            ("listThings 400", State::Missed),
            ("listThings 5XX", State::Exempt),
        ])
    );
}

#[test]
fn an_exemption_of_a_status_the_spec_does_not_list_is_a_note() {
    let suite = SUITE.replace(
        "      - {status: 5XX, reason: cannot be provoked}\n",
        "      - {status: 5XX, reason: cannot be provoked}\n      - {status: 429, reason: throttling}\n",
    );
    let cases = [case(
        "list",
        &[],
        Outcome::Passed,
        vec![exchange("listThings", 200, "{}")],
    )];
    let c = compute(&plan_of(&suite), &cases, &[]);
    let notes = &c.apis[0].notes;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("the exemption of status 429 (")
            && notes[0].contains("things.yaml:17:18) exempts nothing: ")
            && notes[0].ends_with("things.openapi.yaml documents no status 429"),
        "{}",
        notes[0]
    );
    assert!(compute(&plan(), &cases, &[]).apis[0].notes.is_empty());
}

#[test]
fn error_codes_count_when_an_error_response_carries_them() {
    let cases = [
        case(
            "bad",
            &["BAD"],
            Outcome::Passed,
            vec![exchange(
                "listThings",
                400,
                r#"{"errors":[{"code":"BAD"}]}"#,
            )],
        ),
        case(
            "ok",
            &[],
            Outcome::Passed,
            vec![exchange(
                "listThings",
                200,
                r#"{"errors":[{"code":"DOWN"}]}"#,
            )],
        ),
    ];
    let c = compute(&plan(), &cases, &[]);
    assert_eq!(
        states(&c, Dimension::Errors),
        owned(&[("BAD", State::Covered), ("DOWN", State::Exempt)])
    );
    let item = &c.apis[0].errors.items[0];
    assert_eq!(
        (item.status.as_deref(), item.title.as_deref()),
        (Some("400"), Some("Bad"))
    );
    assert_eq!(item.cases, ["t::things::bad"]);
}

#[test]
fn requirements_count_for_cases_that_reached_a_verdict() {
    let cases = [
        case(
            "list",
            &["Listing (first page)"],
            Outcome::Failed,
            Vec::new(),
        ),
        case("bad", &["BAD"], Outcome::Errored, Vec::new()),
    ];
    let c = compute(&plan(), &cases, &[]);
    assert_eq!(
        states(&c, Dimension::Requirements),
        owned(&[
            ("Listing", State::Covered),
            ("Paging", State::Missed),
            ("Listing (first page)", State::Covered),
            ("BAD", State::Missed),
            ("Fetching", State::Missed),
        ])
    );
    let declared: Vec<Option<bool>> = c.apis[0]
        .requirements
        .items
        .iter()
        .map(|i| i.declared)
        .collect();
    assert_eq!(
        declared,
        [
            Some(true),
            Some(true),
            Some(false),
            Some(false),
            Some(false)
        ]
    );
}

#[test]
fn a_requirement_with_detail_counts_for_the_bare_one_only() {
    assert!(counts_for("CDS Pagination", "CDS Pagination"));
    assert!(counts_for("CDS Pagination (page-size)", "CDS Pagination"));
    assert!(!counts_for("CDS Pagination", "CDS Pagination (page-size)"));
    assert!(!counts_for("CDS Paginations", "CDS Pagination"));
    assert!(!counts_for("CDS Pagination, links", "CDS Pagination"));
}

#[test]
fn required_dimensions_come_from_the_run_and_the_api() {
    let cases = [case(
        "list",
        &["Listing (first page)"],
        Outcome::Passed,
        vec![exchange("listThings", 200, "{}")],
    )];
    let c = compute(&plan(), &cases, &[Dimension::Statuses]);
    assert_eq!(c.apis[0].required, [Dimension::Statuses, Dimension::Errors]);
    let unmet: Vec<String> = c.unmet().iter().map(ToString::to_string).collect();
    assert_eq!(
        unmet,
        [
            "t: 1 documented statuses not covered: listThings 400",
            "t: 1 catalogued error codes not covered: BAD",
        ]
    );
    let all = [
        case(
            "list",
            &[],
            Outcome::Passed,
            vec![
                exchange("listThings", 200, "{}"),
                exchange("getThing", 200, "{}"),
            ],
        ),
        case(
            "bad",
            &[],
            Outcome::Passed,
            vec![exchange(
                "listThings",
                400,
                r#"{"errors":[{"code":"BAD"}]}"#,
            )],
        ),
    ];
    assert!(
        compute(&plan(), &all, &[Dimension::Statuses])
            .unmet()
            .is_empty()
    );
}

#[test]
fn only_apis_with_selected_cases_are_covered() {
    assert!(compute(&plan(), &[], &Dimension::ALL).apis.is_empty());
}

#[test]
fn dimensions_parse_from_a_list() {
    assert_eq!(
        Dimension::parse_list("errors, statuses,errors").unwrap(),
        [Dimension::Statuses, Dimension::Errors]
    );
    assert_eq!(Dimension::parse_list("all").unwrap(), Dimension::ALL);
    assert!(Dimension::parse_list("").unwrap().is_empty());
    let err = Dimension::parse_list("statuses,errs").unwrap_err();
    assert!(err.contains("`errs`"), "{err}");
}

#[test]
fn a_catalogued_requirement_lists_its_cases_in_run_order_each_once() {
    let plan = crate::plan::load(&[std::path::PathBuf::from("suites/cdr")]).expect("CDR loads");
    let cat = plan
        .suites
        .iter()
        .find_map(|s| s.catalogue.as_deref())
        .expect("the CDR suites have a catalogue");
    // Cases that cite requirements, are named by a requirement's `cases`, both, twice over,
    // or reach no verdict, in an order unlike the catalogue's.
    let named: Vec<(&str, &str)> = cat
        .requirements
        .iter()
        .flat_map(|r| r.cases.iter().map(|c| (r.id.as_str(), c.as_str())))
        .collect();
    let ids: Vec<&str> = cat.requirements.iter().map(|r| r.id.as_str()).collect();
    let mut cases = Vec::new();
    for i in 0..60 {
        let outcome = [Outcome::Passed, Outcome::Failed, Outcome::Errored][i % 3];
        let (by, id) = if i % 4 == 0 {
            named[i % named.len()]
        } else {
            ("", "plain")
        };
        // Every eighth both is named by a requirement and cites it.
        let first = if i % 8 == 0 {
            by
        } else {
            ids[(i * 7) % ids.len()]
        };
        let cites = [first, ids[(i * 3) % ids.len()]];
        let mut c = case(
            id,
            &cites[..(i % 3).max(usize::from(i % 8 == 0))],
            outcome,
            Vec::new(),
        );
        c.api = "cdr".into();
        c.name = format!("cdr::case-{i}");
        cases.push(c);
    }
    let c = compute(&plan, &cases, &[]);
    let got = &c
        .apis
        .iter()
        .find(|a| a.api == "cdr")
        .unwrap()
        .requirements
        .items;
    assert_eq!(got.len(), cat.requirements.len());
    let mut listed = 0;
    for (item, r) in got.iter().zip(&cat.requirements) {
        let direct: Vec<String> = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Passed | Outcome::Failed))
            .filter(|c| c.requirements.contains(&r.id) || r.cases.contains(&c.id))
            .map(|c| c.name.clone())
            .collect();
        assert_eq!(item.cases, direct, "{}", r.id);
        listed += direct.len();
    }
    assert!(listed > 20, "the cases reach the requirements ({listed})");
}
