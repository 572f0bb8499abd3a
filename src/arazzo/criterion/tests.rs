//! The criteria of the specification's Criterion Object section (1.0.1 and 1.1.0).

use super::*;
use crate::arazzo::eval::{Body, Exchange, Message};
use serde_json::json;

fn doc() -> Arazzo {
    let text = "arazzo: 1.1.0\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: s, url: ./s.yaml}]\nworkflows:\n  - workflowId: w\n    steps: [{stepId: s, operationId: op}]\n";
    let d = crate::yaml::Document::parse("a.arazzo.yaml", text).unwrap();
    crate::arazzo::load::from_document(&d).unwrap()
}

fn scope(status: u16, body: Value) -> Scope {
    Scope {
        inputs: json!({"expectedStatus": "available", "statusPattern": "ok|fine"}),
        exchange: Some(Exchange {
            status: Some(status),
            response: Some(Message {
                body: Some(Body::Json(body)),
                ..Message::default()
            }),
            ..Exchange::default()
        }),
        ..Scope::default()
    }
}

fn criterion(context: Option<&str>, condition: &str, kind: CriterionKind) -> Criterion {
    Criterion {
        context: context.map(str::to_owned),
        condition: condition.into(),
        kind,
        at: String::new(),
    }
}

fn jsonpath() -> CriterionKind {
    CriterionKind::JsonPath("rfc9535".into())
}

/// Each example with a body it must pass on and one it must fail on. RFC 9535 filters
/// select among the children of the node they apply to, and `count()` counts nodes: so
/// `$[?count(@.pets) > 0]` passes when a member of the body has a `pets` member (use
/// `length()` for the number of elements of an array).
#[test]
fn simple_regex_and_jsonpath_examples() {
    let d = doc();
    let pets = json!({"pets": [{"id": 1, "status": "available"}], "status": "ok"});
    let cases = [
        (
            criterion(None, "$statusCode == 200", CriterionKind::Simple),
            pets.clone(),
        ),
        (
            criterion(Some("$statusCode"), "^200$", CriterionKind::Regex),
            pets.clone(),
        ),
        (
            criterion(Some("$statusCode"), r"^2\d{2}$", CriterionKind::Regex),
            pets.clone(),
        ),
        (
            criterion(Some("$response.body"), "$[?count(@.pets) > 0]", jsonpath()),
            json!({"store": {"pets": []}}),
        ),
        (
            criterion(Some("$response.body"), "$.pets[*]", jsonpath()),
            pets.clone(),
        ),
        (
            criterion(
                Some("$response.body"),
                r#"$.pets[?(@.status == "{$inputs.expectedStatus}")]"#,
                jsonpath(),
            ),
            pets.clone(),
        ),
        (
            criterion(
                Some("$response.body.status"),
                "^({$inputs.statusPattern})$",
                CriterionKind::Regex,
            ),
            pets.clone(),
        ),
    ];
    let none = scope(503, json!({"pets": [], "status": "down"}));
    for (c, body) in &cases {
        assert_eq!(
            judge(c, &d, &scope(200, body.clone())),
            Verdict::Pass,
            "{}",
            c.condition
        );
        assert!(
            matches!(judge(c, &d, &none), Verdict::Fail(_)),
            "{} must fail on the 503",
            c.condition
        );
    }
    // In RFC 9535 an absent member is not `null`, so this published condition selects every
    // member of the body but for one whose `access_token` is null: it fails on `{}` only.
    let token = criterion(
        Some("$response.body"),
        "$[?@.access_token != null]",
        jsonpath(),
    );
    assert_eq!(
        judge(&token, &d, &scope(200, json!({"t": {"access_token": "x"}}))),
        Verdict::Pass
    );
    assert!(matches!(
        judge(&token, &d, &scope(200, json!({}))),
        Verdict::Fail(_)
    ));
}

#[test]
fn failures_say_what_was_seen() {
    let d = doc();
    let s = scope(404, json!({"pets": []}));
    assert_eq!(
        judge(
            &criterion(None, "$statusCode == 200", CriterionKind::Simple),
            &d,
            &s
        ),
        Verdict::Fail("`$statusCode == 200` is false ($statusCode = 404)".into())
    );
    assert_eq!(
        judge(
            &criterion(Some("$statusCode"), "^200$", CriterionKind::Regex),
            &d,
            &s
        ),
        Verdict::Fail("`^200$` does not match $statusCode = 404".into())
    );
    assert_eq!(
        judge(
            &criterion(Some("$response.body"), "$.pets[*]", jsonpath()),
            &d,
            &s
        ),
        Verdict::Fail("`$.pets[*]` selects nothing in $response.body = {\"pets\":[]}".into())
    );
    assert_eq!(
        judge(
            &criterion(Some("$response.body#/gone"), "x", CriterionKind::Regex),
            &d,
            &s
        ),
        Verdict::Fail("the context $response.body#/gone is undefined or null".into())
    );
}

#[test]
fn xpath_cannot_be_judged() {
    let c = criterion(
        Some("$response.body"),
        "count(/root/pets/*) > 0",
        CriterionKind::XPath("xpath-31".into()),
    );
    assert!(
        matches!(judge(&c, &doc(), &scope(200, json!({}))), Verdict::Error(m) if m.contains("not supported"))
    );
}

#[test]
fn lint_finds_what_is_broken_before_running() {
    let cases = [
        (criterion(None, "$.x", jsonpath()), "needs a `context`"),
        (
            criterion(Some("$response.body"), "$[?", jsonpath()),
            "not RFC 9535 JSONPath",
        ),
        (
            criterion(Some("$statusCode"), "([", CriterionKind::Regex),
            "invalid regular expression",
        ),
        (
            criterion(None, "$statusCode == ", CriterionKind::Simple),
            "expected a value",
        ),
        (
            criterion(Some("$respons.body"), "x", CriterionKind::Regex),
            "did you mean `$response`?",
        ),
    ];
    for (c, message) in cases {
        let got = check(&c);
        assert!(
            got.iter().any(|(_, m)| m.contains(message)),
            "{}: {got:?}",
            c.condition
        );
    }
    let templated = criterion(
        Some("$response.body"),
        "^({$inputs.p})$",
        CriterionKind::Regex,
    );
    assert!(check(&templated).is_empty(), "filled in at run time");
}
