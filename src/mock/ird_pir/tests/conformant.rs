//! The conformant mock: both authorisation styles, field validation, access, filing periods,
//! the query limit and the response body.

use serde_json::json;

use super::{Auth, Mock, NO_ACCESS, NO_RATE, Pir, RATE_28, SCHEME, send};

#[tokio::test]
async fn oauth_caller_gets_the_persona_rate_without_pie_ird() {
    let mock = Mock::start(&[]).await;
    let r = mock
        .post(
            Auth::Bearer,
            json!({"IRD": RATE_28, "FilingPeriod": "2024-03-31"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.content_type(), "application/json; charset=utf-8");
    assert_eq!(r.body, json!({"IRD": RATE_28, "SuggestedPirRate": 28.0}));
    let current = mock.post(Auth::Bearer, json!({"IRD": RATE_28})).await;
    assert_eq!(current.body["SuggestedPirRate"], 28.0);
}

#[tokio::test]
async fn eight_digit_numbers_are_padded_and_echoed_with_nine() {
    let mock = Mock::start(&[]).await;
    let r = mock
        .post(Auth::Bearer, json!({"IRD": NO_RATE, "PieIRD": "94123453"}))
        .await;
    assert_eq!(
        r.body,
        json!({"IRD": "087654321", "PieIRD": SCHEME, "PirRateNotFound": true})
    );
}

#[tokio::test]
async fn jwt_caller_must_name_its_scheme_and_a_member() {
    let mock = Mock::start(&[]).await;
    let without = mock.post(Auth::Jwt, json!({"IRD": RATE_28})).await;
    assert_eq!((without.status, without.code()), (500, "PIR101"));
    let ok = mock
        .post(Auth::Jwt, json!({"IRD": RATE_28, "PieIRD": SCHEME}))
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["PieIRD"], SCHEME);
    let other = mock
        .post(Auth::Jwt, json!({"IRD": RATE_28, "PieIRD": "049091850"}))
        .await;
    assert_eq!((other.status, other.code()), (401, "EV1042"));
    let denied = mock
        .post(Auth::Jwt, json!({"IRD": NO_ACCESS, "PieIRD": SCHEME}))
        .await;
    assert_eq!((denied.status, denied.code()), (401, "EV1043"));
    let oauth_denied = mock.post(Auth::Bearer, json!({"IRD": NO_ACCESS})).await;
    assert_eq!((oauth_denied.status, oauth_denied.code()), (401, "EV1041"));
    let unknown = mock.post(Auth::Bearer, json!({"IRD": "136410132"})).await;
    assert_eq!(unknown.code(), "EV1041");
}

#[tokio::test]
async fn authorization_errors() {
    let mock = Mock::start(&[]).await;
    let body = json!({"IRD": RATE_28}).to_string();
    let missing = mock.post_raw(Auth::None, &body).await;
    assert_eq!((missing.status, missing.code()), (401, "EV1025"));
    assert_eq!(missing.body["errors"][0]["type"], "security");
    for wrong in ["Bearer nope", "nope", "Basic test-token"] {
        let r = mock.post_raw(Auth::Raw(wrong), &body).await;
        assert_eq!((r.status, r.code()), (401, "EV1024"), "{wrong}");
    }
    // Authentication comes before the body.
    let r = mock.post_raw(Auth::None, "").await;
    assert_eq!(r.code(), "EV1025");
}

#[tokio::test]
async fn field_errors_name_the_field() {
    let mock = Mock::start(&[]).await;
    let empty = mock.post_raw(Auth::Bearer, "").await;
    assert_eq!((empty.status, empty.code()), (400, "EV1000"));
    assert_eq!(mock.post_raw(Auth::Bearer, "{").await.code(), "EV1100");
    for (body, field) in [
        (json!({}), "IRD"),
        (json!({"IRD": "136410133"}), "IRD"),
        (json!({"IRD": "999999999"}), "IRD"),
        (
            json!({"IRD": RATE_28, "FilingPeriod": "2024-04-01"}),
            "FilingPeriod",
        ),
        (
            json!({"IRD": RATE_28, "Address": {"Street": "1 A St", "City": "X", "Country": "AB"}}),
            "Country",
        ),
    ] {
        let r = mock.post(Auth::Bearer, body.clone()).await;
        assert_eq!((r.status, r.code()), (400, "EV1100"), "{body}");
        let message = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.ends_with(&format!("Field: {field}")), "{message}");
    }
}

#[tokio::test]
async fn filing_period_must_exist_on_the_account() {
    let mock = Mock::start(&[]).await;
    let r = mock
        .post(
            Auth::Bearer,
            json!({"IRD": RATE_28, "FilingPeriod": "2015-03-31"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (400, "PER100"));
}

#[tokio::test]
async fn query_limit_answers_ir003_per_ird() {
    let mock = Mock::build(1, &[], 2).await;
    for _ in 0..2 {
        assert_eq!(
            mock.post(Auth::Bearer, json!({"IRD": RATE_28}))
                .await
                .status,
            200
        );
    }
    let r = mock.post(Auth::Bearer, json!({"IRD": RATE_28})).await;
    assert_eq!((r.status, r.code()), (401, "IR003"));
    assert_eq!(r.body["errors"][0]["type"], "result");
    let other = mock.post(Auth::Bearer, json!({"IRD": "139276272"})).await;
    assert_eq!(other.body["SuggestedPirRate"], 17.5);
}

#[tokio::test]
async fn seed_zero_keeps_the_personas() {
    let mock = Mock::build(0, &[], 10).await;
    let r = mock.post(Auth::Bearer, json!({"IRD": "139276310"})).await;
    assert_eq!(r.body["SuggestedPirRate"], 10.5);
}

#[tokio::test]
async fn other_routes_and_methods() {
    let mock = Mock::start(&[]).await;
    let status = send(mock.client().get(mock.url("/status"))).await;
    assert_eq!((status.status, status.body.as_str()), (200, Some("OK")));
    let get = send(mock.client().get(mock.url("/pir"))).await;
    assert_eq!(get.status, 405);
    let wrong = send(mock.client().post(mock.url("/wrong"))).await;
    assert_eq!(wrong.status, 404);
}
