//! The conditions of the specification's Criterion Object section and example documents.

use super::*;
use crate::arazzo::eval::{Body, Exchange, Message};
use serde_json::json;

fn doc() -> Arazzo {
    let text = "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: s, url: ./s.yaml}]\nworkflows:\n  - workflowId: w\n    steps: [{stepId: s, operationId: op}]\n";
    let d = crate::yaml::Document::parse("a.arazzo.yaml", text).unwrap();
    crate::arazzo::load::from_document(&d).unwrap()
}

fn scope(status: u16, body: Value) -> Scope {
    let mut s = Scope {
        inputs: json!({"threshold": 1}),
        ..Scope::default()
    };
    let mut outs = serde_json::Map::new();
    outs.insert("eligibilityCheckRequired".into(), json!(true));
    s.steps.insert("checkLoanCanBeProvided".into(), outs);
    s.exchange = Some(Exchange {
        status: Some(status),
        response: Some(Message {
            headers: vec![("X-Rate-Limit".into(), "10".into())],
            body: Some(Body::Json(body)),
            ..Message::default()
        }),
        ..Exchange::default()
    });
    s
}

fn holds(cond: &str, s: &Scope) -> bool {
    parse(cond)
        .unwrap_or_else(|e| panic!("{cond}: {e}"))
        .holds(&doc(), s)
        .unwrap()
}

#[test]
fn the_specification_examples() {
    let ok = scope(
        200,
        json!({"data": [1], "count": 2, "existingCustomerNotEligible": false}),
    );
    let not_found = scope(404, json!({}));
    assert!(holds("$statusCode == 200", &ok));
    assert!(!holds("$statusCode == 200", &not_found));
    assert!(holds(
        "$statusCode == 200 && $response.body.data != null",
        &ok
    ));
    assert!(!holds(
        "$statusCode == 200 && $response.body.data != null",
        &not_found
    ));
    assert!(holds("$response.body.count > $inputs.threshold", &ok));
    assert!(holds("$statusCode == 200 || $statusCode == 201", &ok));
    assert!(holds(
        "$response.body#/existingCustomerNotEligible == false",
        &ok
    ));
    assert!(holds("$response.body#/redirectAuthToken == null", &ok));
    assert!(!holds("$response.body#/redirectAuthToken != null", &ok));
    assert!(holds(
        "$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired == true",
        &ok
    ));
    // The 1.0.1 components example, in JSON, wraps the condition in braces.
    assert!(holds("{$statusCode == 200}", &ok));
}

#[test]
fn operators_and_literals() {
    let s = scope(
        200,
        json!({"name": "Rex", "tags": ["a", "b"], "price": "12.50", "quote": "it's"}),
    );
    assert!(
        holds("$response.body#/name == 'rex'", &s),
        "strings ignore case"
    );
    assert!(
        holds("$response.body#/quote == 'it''s'", &s),
        "doubled quote"
    );
    assert!(
        holds("$response.body#/price > 12", &s),
        "numeric strings compare as numbers"
    );
    assert!(holds("$response.header.X-Rate-Limit >= 10", &s));
    assert!(holds("$response.body.tags[1] == 'b'", &s));
    assert!(holds("!($statusCode == 404)", &s));
    assert!(holds(
        "($statusCode >= 200 && $statusCode < 300) || false",
        &s
    ));
    assert!(!holds("null == 0", &s), "null equals only null");
    assert!(holds("null == null", &s));
    assert!(!holds("$response.body#/name", &s), "only true passes");
    assert!(holds("true", &s));
    assert!(
        !holds("$response.body#/name < 3", &s),
        "no order between text and number"
    );
}

#[test]
fn reports_where_a_condition_is_broken() {
    for (text, at, message) in [
        (
            "$statusCode == ",
            15,
            "expected a value, found end of condition",
        ),
        ("$statusCode = 200", 12, "unexpected `=`"),
        (
            "$statusCode == available",
            15,
            "write strings in single quotes",
        ),
        ("$statuscode == 200", 0, "did you mean `$statusCode`?"),
        ("($statusCode == 200", 19, "expected `)`"),
        ("$statusCode == 'ok", 15, "without its closing quote"),
        ("$statusCode == 200 200", 19, "after a complete condition"),
        ("", 0, "empty"),
    ] {
        let e = parse(text).expect_err(text);
        assert!(e.message.contains(message), "{text}: {}", e.message);
        assert_eq!(e.at, at, "{text}: {}", e.message);
    }
}

#[test]
fn lists_its_expressions() {
    let c = parse("$statusCode == 200 && ($response.body#/a != $inputs.b)").unwrap();
    let texts: Vec<&str> = c.expressions().iter().map(|(_, s)| *s).collect();
    assert_eq!(texts, vec!["$statusCode", "$response.body#/a", "$inputs.b"]);
}
