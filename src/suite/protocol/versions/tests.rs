use std::path::Path;

use super::{Asked, asked, positive_integer};
use crate::suite::Case;
use crate::suite::load::from_document;
use crate::yaml::Document;

fn suite(protocol: &str) -> crate::suite::Suite {
    let text = format!(
        "api: t\nspec: t.yaml\nerrors:\n  codes: [/errors/*/code]\nprotocol:\n{protocol}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
    );
    let doc = Document::parse("t.yaml", text).unwrap();
    from_document(Path::new("t.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"))
}

const CDS: &str = "  versions:
    requirement: R-v
    header: x-v
    min_header: x-min-v
    response_header: x-v
    supported: [2]
    probe:
      request: {operation: listThings}
      expect: {status: 200}
    missing: {status: 400, error: E-missing}
    invalid: {status: 400, error: E-invalid}
    unsupported: {status: 406, error: E-unsupported}
";

/// Each case as `id: x-v, x-min-v -> status`.
fn matrix(cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .map(|c| {
            let step = &c.steps[0];
            let h = |n: &str| match step.request.headers.get(n) {
                Some(Some(v)) => v.0.clone(),
                Some(None) => "-".to_owned(),
                None => "?".to_owned(),
            };
            let status = step
                .expect
                .status
                .as_ref()
                .map(|s| s.codes()[0])
                .unwrap_or(0);
            format!("{}: {}, {} -> {status}", c.id, h("x-v"), h("x-min-v"))
        })
        .collect()
}

#[test]
fn a_single_supported_version_gives_the_whole_matrix() {
    let s = suite(CDS);
    let cases = crate::suite::protocol::generate(&s.file);
    assert_eq!(
        matrix(&cases),
        [
            "version-supported-2: 2, - -> 200",
            "version-above: 3, - -> 406",
            "version-below: 1, - -> 406",
            "version-range-highest: 2, 1 -> 200",
            "version-range-includes-supported: 3, 2 -> 200",
            "version-range-above: 4, 3 -> 406",
            "version-min-above-x-v: 2, 5 -> 200",
            "version-min-above-x-v-unsupported: 1, 5 -> 406",
            "version-not-an-integer: abc, - -> 400",
            "version-zero: 0, - -> 400",
            "version-negative: -1, - -> 400",
            "version-min-not-an-integer: 2, abc -> 400",
            "version-min-negative: 2, -1 -> 400",
            "version-missing: -, - -> 400",
        ]
    );
    let above = &cases[1];
    assert_eq!(above.requirements, ["R-v", "E-unsupported"]);
    assert_eq!(above.tags, ["protocol"]);
    assert_eq!(
        above.steps[0].origin.as_deref(),
        Some("/protocol/versions/unsupported")
    );
    assert_eq!(
        cases[0].steps[0].origin.as_deref(),
        Some("/protocol/versions/probe")
    );
    assert_eq!(cases[0].requirements, ["R-v"]);
    let at = s.location(above.steps[0].origin.as_deref().unwrap());
    assert!(at.starts_with("t.yaml:17:"), "{at}");
    assert!(
        cases[4].title.contains("version 2, the highest"),
        "{}",
        cases[4].title
    );
}

#[test]
fn several_versions_and_other_header_names() {
    let decl = "  versions:
    requirement: R
    header: api-version
    response_header: served-version
    supported: [1]
    operations: {listThings: [3, 4, 6]}
    probe: {request: {operation: listThings}}
    unsupported: {status: 400}
";
    let cases = crate::suite::protocol::generate(&suite(decl).file);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "version-supported-3",
            "version-supported-4",
            "version-supported-6",
            "version-above",
            "version-below"
        ]
    );
    let sent = |c: &Case| c.steps[0].request.headers["api-version"].clone().unwrap().0;
    assert_eq!(sent(&cases[3]), "7");
    assert_eq!(sent(&cases[4]), "2");
    assert!(cases[0].steps[0].expect.status.is_none());
}

#[test]
fn requests_are_read_as_the_standard_says() {
    let r = |v: Option<&str>, min: Option<&str>| asked("x-v", v, Some("x-min-v"), min);
    assert_eq!(r(None, Some("1")), Asked::Missing);
    assert_eq!(r(Some("3"), Some("1")), Asked::Range { lo: 1, hi: 3 });
    assert_eq!(r(Some("3"), Some("3")), Asked::Range { lo: 3, hi: 3 });
    assert_eq!(r(Some("2"), Some("5")), Asked::Range { lo: 2, hi: 2 });
    assert_eq!(
        r(Some("2"), Some("0")),
        Asked::Invalid {
            header: "x-min-v".into(),
            value: "0".into()
        }
    );
    assert_eq!(
        r(Some("v2"), Some("1")),
        Asked::Invalid {
            header: "x-v".into(),
            value: "v2".into()
        }
    );
    assert_eq!(
        asked("x-v", Some("3"), None, Some("1")),
        Asked::Range { lo: 3, hi: 3 }
    );
    let supported = [2, 4];
    assert_eq!(r(Some("5"), Some("1")).served(&supported), Some(4));
    assert_eq!(r(Some("3"), Some("1")).served(&supported), Some(2));
    assert_eq!(r(Some("3"), None).served(&supported), None);
    assert_eq!(r(None, None).served(&supported), None);
}

#[test]
fn positive_integers_are_strict_and_saturate() {
    assert_eq!(positive_integer("2"), Some(2));
    assert_eq!(positive_integer("007"), Some(7));
    assert_eq!(positive_integer("99999999999999999999999"), Some(u64::MAX));
    for bad in ["", "0", "-1", "+2", "2.0", " 2", "abc"] {
        assert_eq!(positive_integer(bad), None, "{bad:?}");
    }
}
