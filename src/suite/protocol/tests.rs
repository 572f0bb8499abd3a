use std::path::Path;

use crate::suite::load::from_document;
use crate::suite::protocol::correlation::is_uuid;
use crate::yaml::Document;

fn suite(protocol: &str) -> crate::suite::Suite {
    let text = format!(
        "api: t\nspec: t.yaml\nprotocol:\n{protocol}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
    );
    let doc = Document::parse("t.yaml", text).unwrap();
    from_document(Path::new("t.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"))
}

const CORRELATION: &str = "  correlation:\n    header: x-request-id\n    requirement: R-7\n    success:\n      request: {operation: listThings}\n      expect: {status: 200}\n    error:\n      request: {operation: listThings, headers: {x-v: 0}}\n      expect: {status: 400}\n";

#[test]
fn correlation_generates_four_cases_pointing_at_their_declaration() {
    let s = suite(CORRELATION);
    let cases = crate::suite::protocol::generate(&s.file);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "correlation-echoed",
            "correlation-generated",
            "correlation-echoed-on-error",
            "correlation-generated-on-error"
        ]
    );
    let sent = &cases[0].steps[0].request.headers["x-request-id"];
    assert_eq!(sent.as_ref().unwrap().0, "{{$uuid}}");
    assert!(cases[1].steps[0].request.headers["x-request-id"].is_none());
    assert_eq!(
        cases[2].steps[0].request.headers["x-v"].as_ref().unwrap().0,
        "0"
    );
    assert_eq!(
        cases[3].origin.as_deref(),
        Some("/protocol/correlation/error")
    );
    assert_eq!(cases[0].requirements, ["R-7"]);
    let at = s.location(cases[3].origin.as_deref().unwrap());
    assert!(at.starts_with("t.yaml:11:"), "{at}");
}

#[test]
fn no_error_probe_means_two_cases() {
    let s = suite(
        "  correlation:\n    header: x-request-id\n    requirement: R-7\n    success:\n      request: {operation: listThings}\n",
    );
    assert_eq!(crate::suite::protocol::generate(&s.file).len(), 2);
}

#[test]
fn unknown_protocol_keys_are_located() {
    let text = "api: t\nspec: t.yaml\nprotocol:\n  corelation: {}\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: x}\n        expect: {status: 200}\n";
    let doc = Document::parse("t.yaml", text.to_owned()).unwrap();
    let err = from_document(Path::new("t.yaml"), doc).unwrap_err();
    assert_eq!((err[0].line, err[0].col), (4, 3));
    assert_eq!(err[0].message, "unknown key `corelation`");
    assert_eq!(err[0].help.as_deref(), Some("did you mean `correlation`?"));
}

#[test]
fn uuids_are_recognised_by_layout_version_and_variant() {
    assert!(is_uuid("9d2c4a10-61f3-4b8e-a2c7-0e5f3d9b1a64"));
    assert!(is_uuid("9D2C4A10-61F3-1B8E-B2C7-0E5F3D9B1A64"));
    assert!(
        !is_uuid("9d2c4a10-61f3-0b8e-a2c7-0e5f3d9b1a64"),
        "version 0"
    );
    assert!(
        !is_uuid("9d2c4a10-61f3-4b8e-72c7-0e5f3d9b1a64"),
        "NCS variant"
    );
    assert!(!is_uuid("9d2c4a1061f34b8ea2c70e5f3d9b1a64"));
    assert!(!is_uuid("9d2c4a10-61f3-4b8e-a2c7-0e5f3d9b1a6g"));
    assert!(!is_uuid("req-42"));
}

const CDS_PAGINATION: &str = "  pagination:\n    style: cds\n    requirement: CDS Pagination\n    request: {operation: listThings}\n    items: /data/accounts\n    id: /accountId\n    default_size: 25\n    max_size: 1000\n    filter: {open-status: OPEN}\n    invalid_page: {status: 422, error: urn:x:InvalidPage}\n    invalid_size: {status: 400, error: urn:x:InvalidPageSize}\n";

fn query(step: &crate::suite::Step) -> Vec<(String, String)> {
    step.request
        .query
        .iter()
        .map(|(k, v)| (k.clone(), v.as_ref().map_or("null".into(), |s| s.0.clone())))
        .collect()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

#[test]
fn cds_pagination_generates_walks_and_bound_probes() {
    let s = suite(CDS_PAGINATION);
    let cases = crate::suite::protocol::generate(&s.file);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pagination-walk-default",
            "pagination-walk-size-1",
            "pagination-walk-max-size",
            "pagination-walk-filtered",
            "pagination-page-out-of-range",
            "pagination-size-over-maximum"
        ]
    );
    for c in &cases[..4] {
        assert_eq!(c.steps.len(), 1, "cds walks prove completeness by totals");
        let walk = c.steps[0].walk.as_ref().unwrap();
        assert!(!walk.same_as_previous && walk.max_pages.is_none());
        assert_eq!(c.requirements, ["CDS Pagination"]);
    }
    assert!(query(&cases[0].steps[0]).is_empty());
    assert_eq!(query(&cases[1].steps[0]), [pair("page-size", "1")]);
    assert_eq!(query(&cases[2].steps[0]), [pair("page-size", "1000")]);
    assert_eq!(
        query(&cases[3].steps[0]),
        [pair("open-status", "OPEN"), pair("page-size", "1")]
    );
    assert_eq!(
        cases[3].origin.as_deref(),
        Some("/protocol/pagination/filter")
    );
    let beyond = &cases[4];
    assert_eq!(beyond.steps.len(), 2);
    assert_eq!(
        beyond.steps[0].capture["any_record"].body.as_deref(),
        Some("/data/accounts/0")
    );
    assert_eq!(
        query(&beyond.steps[1]),
        [pair("page-size", "1000"), pair("page", "99999")]
    );
    assert_eq!(
        beyond.steps[1].expect.status.as_ref().unwrap().codes(),
        [422]
    );
    assert_eq!(
        beyond.steps[1].expect.error.as_ref().unwrap().0,
        ["urn:x:InvalidPage"]
    );
    let oversize = &cases[5];
    assert_eq!(query(&oversize.steps[0]), [pair("page-size", "1001")]);
    assert_eq!(
        oversize.steps[0].expect.status.as_ref().unwrap().codes(),
        [400]
    );
    assert!(oversize.steps[0].walk.is_none());
    let at = s.location(oversize.origin.as_deref().unwrap());
    assert!(at.starts_with("t.yaml:14:"), "{at}");
}

#[test]
fn offset_pagination_walks_against_a_reference_and_probes_the_body() {
    let s = suite(
        "  pagination:\n    style: offset\n    requirement: R\n    request: {operation: listThings, body: {}}\n    in: body\n    items: /accounts\n    id: /id\n    more: /hasMore\n    default_size: 10\n    max_size: 100\n    invalid_page: {status: 400, error: VALIDATION}\n    invalid_size: {status: 400, error: VALIDATION}\n",
    );
    let cases = crate::suite::protocol::generate(&s.file);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pagination-walk-default",
            "pagination-walk-size-1",
            "pagination-walk-max-size",
            "pagination-page-out-of-range",
            "pagination-size-over-maximum"
        ]
    );
    let body = |c: usize, st: usize| cases[c].steps[st].request.body.clone().unwrap();
    let default = &cases[0].steps;
    assert_eq!(default.len(), 2);
    assert_eq!(body(0, 0), serde_json::json!({"limit": 100}));
    assert!(!default[0].walk.as_ref().unwrap().same_as_previous);
    assert_eq!(body(0, 1), serde_json::json!({}));
    assert!(default[1].walk.as_ref().unwrap().same_as_previous);
    assert_eq!(body(1, 1), serde_json::json!({"limit": 1}));
    assert_eq!(cases[2].steps.len(), 1, "the largest size is the reference");
    assert_eq!(body(3, 0), serde_json::json!({"skip": -1}));
    assert_eq!(body(4, 0), serde_json::json!({"limit": 101}));
    assert!(cases[4].steps[0].request.query.is_empty());
}

#[test]
fn cursor_pagination_probes_a_page_only_with_a_cursor_and_value() {
    let base = "  pagination:\n    style: cursor\n    requirement: R\n    request: {operation: listThings}\n    items: /items\n    id: /id\n    next: /next\n    default_size: 10\n    max_size: 50\n    invalid_page: {status: 400}\n";
    let ids = |yaml: &str| -> Vec<String> {
        crate::suite::protocol::generate(&suite(yaml).file)
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert!(!ids(base).contains(&"pagination-page-out-of-range".to_owned()));
    let with = format!("{base}    cursor_param: cursor\n    size_param: limit\n");
    assert!(!ids(&with).contains(&"pagination-page-out-of-range".to_owned()));
    let valued = with.replace("{status: 400}", "{status: 400, value: not-a-cursor}");
    let cases = crate::suite::protocol::generate(&suite(&valued).file);
    let probe = cases
        .iter()
        .find(|c| c.id == "pagination-page-out-of-range")
        .unwrap();
    assert_eq!(query(&probe.steps[0]), [pair("cursor", "not-a-cursor")]);
    let walk = cases
        .iter()
        .find(|c| c.id == "pagination-walk-size-1")
        .unwrap();
    assert_eq!(walk.steps.len(), 2);
    assert_eq!(query(&walk.steps[0]), [pair("limit", "50")]);
}

#[test]
fn offset_and_cursor_need_their_markers() {
    for (style, missing) in [("offset", "more"), ("cursor", "next")] {
        let text = format!(
            "api: t\nspec: t.yaml\nprotocol:\n  pagination:\n    style: {style}\n    requirement: R\n    request: {{operation: x}}\n    items: /items\n    id: /id\n    default_size: 10\n    max_size: 50\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: x}}\n        walk: {{}}\n"
        );
        let doc = Document::parse("t.yaml", text).unwrap();
        let err = from_document(Path::new("t.yaml"), doc).unwrap_err();
        assert!(
            err.iter()
                .any(|d| d.message == format!("missing required key \"{missing}\"")),
            "{style}: {err:#?}"
        );
    }
}

#[test]
fn a_walk_step_cannot_capture() {
    let text = "api: t\nspec: t.yaml\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: x}\n        walk: {max_pages: 5}\n        capture: {x: {body: /a}}\n";
    let doc = Document::parse("t.yaml", text.to_owned()).unwrap();
    let err = from_document(Path::new("t.yaml"), doc).unwrap_err();
    assert_eq!(
        err[0].message,
        "a `walk` step cannot capture: it has many responses"
    );
}
