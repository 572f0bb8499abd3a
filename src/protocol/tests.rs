use std::path::Path;

use crate::protocol::correlation::is_uuid;
use crate::suite::load::from_document;
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
    let cases = crate::protocol::generate(&s.file);
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
    assert_eq!(crate::protocol::generate(&s.file).len(), 2);
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
