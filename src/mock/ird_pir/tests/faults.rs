//! One test per fault switch: the same request to the conformant and the faulty mock, showing
//! the one rule the switch breaks.

use serde_json::{Value, json};

use super::{Auth, Mock, NO_ACCESS, NO_RATE, Pir, RATE_28, Reply, SCHEME};

/// The conformant mock and one with `fault` on, both on seed 1.
async fn pair(fault: &str) -> (Mock, Mock) {
    (Mock::start(&[]).await, Mock::start(&[fault]).await)
}

async fn both(mocks: &(Mock, Mock), auth: Auth, body: Value) -> (Reply, Reply) {
    (
        mocks.0.post(auth, body.clone()).await,
        mocks.1.post(auth, body).await,
    )
}

fn rate_28() -> Value {
    json!({"IRD": RATE_28, "FilingPeriod": "2024-03-31"})
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("faults.rs");
    for fault in super::super::FAULTS {
        assert!(
            source.contains(&format!("pair(\"{}\")", fault.name)),
            "no test for {}",
            fault.name
        );
    }
}

#[tokio::test]
async fn mod11_not_checked() {
    let mocks = pair("mod11-not-checked").await;
    let (good, bad) = both(&mocks, Auth::Bearer, json!({"IRD": "136410133"})).await;
    assert_eq!((good.code(), bad.code()), ("EV1100", "EV1041"));
}

#[tokio::test]
async fn range_not_checked() {
    let mocks = pair("range-not-checked").await;
    let (good, bad) = both(&mocks, Auth::Bearer, json!({"IRD": "999999999"})).await;
    assert_eq!((good.code(), bad.code()), ("EV1100", "EV1041"));
    let (_, low) = both(&mocks, Auth::Bearer, json!({"IRD": "09125568"})).await;
    assert_eq!(low.code(), "EV1100");
}

#[tokio::test]
async fn eight_digit_not_padded() {
    let mocks = pair("eight-digit-not-padded").await;
    let (good, bad) = both(&mocks, Auth::Bearer, json!({"IRD": NO_RATE})).await;
    assert_eq!((good.status, bad.code()), (200, "EV1100"));
}

#[tokio::test]
async fn pie_ird_echoed_when_absent() {
    let mocks = pair("pie-ird-echoed-when-absent").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert!(good.body.get("PieIRD").is_none());
    assert_eq!(bad.body["PieIRD"], SCHEME);
}

#[tokio::test]
async fn pie_ird_not_echoed() {
    let mocks = pair("pie-ird-not-echoed").await;
    let body = json!({"IRD": RATE_28, "PieIRD": SCHEME});
    let (good, bad) = both(&mocks, Auth::Jwt, body).await;
    assert_eq!(good.body["PieIRD"], SCHEME);
    assert_eq!((bad.status, bad.body.get("PieIRD")), (200, None));
}

#[tokio::test]
async fn rate_and_not_found() {
    let mocks = pair("rate-and-not-found").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert!(good.body.get("PirRateNotFound").is_none());
    assert_eq!(bad.body["PirRateNotFound"], false);
    assert_eq!(bad.body["SuggestedPirRate"], 28.0);
}

#[tokio::test]
async fn rate_as_string() {
    let mocks = pair("rate-as-string").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert_eq!(good.body["SuggestedPirRate"], 28.0);
    assert_eq!(bad.body["SuggestedPirRate"], "28");
}

#[tokio::test]
async fn ev_code_wrong_status() {
    let mocks = pair("ev-code-wrong-status").await;
    let (good, bad) = both(&mocks, Auth::Bearer, json!({"IRD": "1234"})).await;
    assert_eq!((good.status, bad.status, bad.code()), (400, 422, "EV1100"));
    let (_, per100) = both(
        &mocks,
        Auth::Bearer,
        json!({"IRD": RATE_28, "FilingPeriod": "2015-03-31"}),
    )
    .await;
    assert_eq!(per100.status, 400);
}

#[tokio::test]
async fn empty_body_wrong_code() {
    let mocks = pair("empty-body-wrong-code").await;
    let good = mocks.0.post_raw(Auth::Bearer, "").await;
    let bad = mocks.1.post_raw(Auth::Bearer, "").await;
    assert_eq!((good.code(), bad.code()), ("EV1000", "EV1100"));
}

#[tokio::test]
async fn missing_token_wrong_code() {
    let mocks = pair("missing-token-wrong-code").await;
    let (good, bad) = both(&mocks, Auth::None, rate_28()).await;
    assert_eq!((good.code(), bad.code()), ("EV1025", "EV1024"));
}

#[tokio::test]
async fn filing_period_not_validated() {
    let mocks = pair("filing-period-not-validated").await;
    let body = json!({"IRD": RATE_28, "FilingPeriod": "2023-06-30"});
    let (good, bad) = both(&mocks, Auth::Bearer, body).await;
    assert_eq!((good.code(), bad.status), ("EV1100", 200));
}

#[tokio::test]
async fn per100_not_raised() {
    let mocks = pair("per100-not-raised").await;
    let body = json!({"IRD": RATE_28, "FilingPeriod": "2015-03-31"});
    let (good, bad) = both(&mocks, Auth::Bearer, body).await;
    assert_eq!(good.code(), "PER100");
    assert_eq!(bad.body["PirRateNotFound"], true);
}

#[tokio::test]
async fn pir101_not_raised() {
    let mocks = pair("pir101-not-raised").await;
    let (good, bad) = both(&mocks, Auth::Jwt, rate_28()).await;
    assert_eq!((good.code(), bad.status), ("PIR101", 200));
}

#[tokio::test]
async fn pir101_wrong_status() {
    let mocks = pair("pir101-wrong-status").await;
    let (good, bad) = both(&mocks, Auth::Jwt, rate_28()).await;
    assert_eq!((good.status, bad.status, bad.code()), (500, 401, "PIR101"));
}

#[tokio::test]
async fn bearer_rejected() {
    let mocks = pair("bearer-rejected").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert_eq!((good.status, bad.code()), (200, "EV1024"));
    let (_, jwt) = both(&mocks, Auth::Jwt, json!({"IRD": RATE_28, "PieIRD": SCHEME})).await;
    assert_eq!(jwt.status, 200);
}

#[tokio::test]
async fn raw_jwt_rejected() {
    let mocks = pair("raw-jwt-rejected").await;
    let body = json!({"IRD": RATE_28, "PieIRD": SCHEME});
    let (good, bad) = both(&mocks, Auth::Jwt, body).await;
    assert_eq!((good.status, bad.code()), (200, "EV1024"));
}

#[tokio::test]
async fn start_logon_ignored() {
    let mocks = pair("start-logon-ignored").await;
    let (good, bad) = both(&mocks, Auth::StartLogon, rate_28()).await;
    assert_eq!((good.status, bad.code()), (200, "PIR101"));
    let body = json!({"IRD": RATE_28, "PieIRD": SCHEME});
    let (good, bad) = both(&mocks, Auth::Jwt, body).await;
    assert_eq!((good.status, bad.status), (200, 200));
}

#[tokio::test]
async fn no_auth() {
    let mocks = pair("no-auth").await;
    let (good, bad) = both(&mocks, Auth::None, rate_28()).await;
    assert_eq!((good.code(), bad.status), ("EV1025", 200));
}

#[tokio::test]
async fn client_list_not_checked() {
    let mocks = pair("client-list-not-checked").await;
    let (good, bad) = both(&mocks, Auth::Bearer, json!({"IRD": NO_ACCESS})).await;
    assert_eq!((good.code(), bad.status), ("EV1041", 200));
    let (_, jwt) = both(
        &mocks,
        Auth::Jwt,
        json!({"IRD": NO_ACCESS, "PieIRD": SCHEME}),
    )
    .await;
    assert_eq!(jwt.code(), "EV1043");
}

#[tokio::test]
async fn membership_not_checked() {
    let mocks = pair("membership-not-checked").await;
    let body = json!({"IRD": NO_ACCESS, "PieIRD": SCHEME});
    let (good, bad) = both(&mocks, Auth::Jwt, body).await;
    assert_eq!((good.code(), bad.status), ("EV1043", 200));
}

#[tokio::test]
async fn error_type_missing() {
    let mocks = pair("error-type-missing").await;
    let (good, bad) = both(&mocks, Auth::None, rate_28()).await;
    assert_eq!(good.body["errors"][0]["type"], "security");
    assert!(bad.body["errors"][0].get("type").is_none());
    assert_eq!(bad.code(), "EV1025");
}

#[tokio::test]
async fn wrong_content_type() {
    let mocks = pair("wrong-content-type").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert_eq!(good.content_type(), "application/json; charset=utf-8");
    assert_eq!(bad.content_type(), "text/plain; charset=utf-8");
    let (_, error) = both(&mocks, Auth::None, rate_28()).await;
    assert_eq!(error.content_type(), "application/json; charset=utf-8");
}

#[tokio::test]
async fn pie_ird_not_validated() {
    let mocks = pair("pie-ird-not-validated").await;
    for pie in [json!("012345678"), json!("09412345A"), json!(94_123_453)] {
        let body = json!({"IRD": RATE_28, "PieIRD": pie});
        let (good, bad) = both(&mocks, Auth::Bearer, body).await;
        assert_eq!((good.code(), bad.status), ("EV1100", 200), "{pie}");
        assert!(bad.body.get("PieIRD").is_none(), "{pie}");
    }
}

#[tokio::test]
async fn lenient_soft_match() {
    let mocks = pair("lenient-soft-match").await;
    let long = "G".repeat(51);
    for soft in [
        json!({"Address": {"Street": "1 A St", "City": "X", "Country": "AB"}}),
        json!({"Address": "1 A St"}),
        json!({"Name": {"FirstName": long, "LastName": "Allen"}}),
        json!({"Name": {"FirstName": "", "LastName": "Allen"}}),
        json!({"Name": {"FirstName": 5}}),
        json!({"Dob": "1990-13-01"}),
        json!({"FormattedName": "G".repeat(256)}),
    ] {
        let mut body = soft.clone();
        body["IRD"] = json!(RATE_28);
        let (good, lenient) = both(&mocks, Auth::Bearer, body).await;
        assert_eq!((good.code(), lenient.status), ("EV1100", 200), "{soft}");
    }
    let bad_ird = json!({"IRD": "136410133", "Dob": "1990-13-01"});
    let (_, lenient) = both(&mocks, Auth::Bearer, bad_ird).await;
    assert_eq!(
        lenient.code(),
        "EV1100",
        "the fields the build pack validates still are"
    );
}

#[tokio::test]
async fn response_ird_check_digit_wrong() {
    let mocks = pair("response-ird-check-digit-wrong").await;
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert_eq!(good.body["IRD"], RATE_28);
    assert_eq!(bad.body["IRD"], "139276508");
    assert!(crate::irdnum::check("139276508").is_err());
    assert_eq!(bad.body["SuggestedPirRate"], good.body["SuggestedPirRate"]);
    let body = json!({"IRD": NO_RATE});
    let (good, bad) = both(&mocks, Auth::Bearer, body).await;
    assert_eq!(good.body["IRD"], "087654321");
    assert_eq!(bad.body["IRD"], "087654322");
}

#[tokio::test]
async fn no_status_service() {
    let mocks = pair("no-status-service").await;
    let ok = crate::mock::testing::send(mocks.0.client().get(mocks.0.url("/status"))).await;
    assert_eq!((ok.status, ok.body.as_str()), (200, Some("OK")));
    let gone = crate::mock::testing::send(mocks.1.client().get(mocks.1.url("/status"))).await;
    assert_eq!(gone.status, 404);
    let (good, bad) = both(&mocks, Auth::Bearer, rate_28()).await;
    assert_eq!((good.status, bad.status), (200, 200));
}
