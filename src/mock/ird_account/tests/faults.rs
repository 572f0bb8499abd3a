//! One test per fault switch: the same request to the conformant and the faulty registry,
//! showing the one rule the switch breaks.

use axum::http::StatusCode;
use serde_json::json;

use super::*;
use crate::mock::testing::{Loopback, send};

fn pair(fault: &str) -> (Registry, Registry) {
    (registry(&[]), registry(&[fault]))
}

const INC: &str = "132243158INC003";

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

#[test]
fn delegate_sees_all() {
    let (good, bad) = pair("delegate-sees-all");
    assert_eq!(ids(&list_as(&good, ".delegate", ME)).len(), 2);
    assert_eq!(ids(&list_as(&bad, ".delegate", ME)).len(), 4);
    assert_eq!(
        account_as(&bad, ".delegate", "132243158FAM005").status,
        StatusCode::OK
    );
    assert_eq!(list_as(&bad, ".delegate", OTHER).code(), "EV1022");
}

#[test]
fn stranger_gets_data() {
    let (good, bad) = pair("stranger-gets-data");
    assert_eq!(list_as(&good, ".stranger", ME).code(), "EV1022");
    assert_eq!(list_as(&bad, ".stranger", ME).status, StatusCode::OK);
    assert_eq!(account_as(&bad, ".stranger", INC).status, StatusCode::OK);
}

#[test]
fn agent_denied() {
    let (good, bad) = pair("agent-denied");
    assert_eq!(list_as(&good, ".agent", ME).status, StatusCode::OK);
    assert_eq!(list_as(&bad, ".agent", ME).code(), "EV1022");
    assert_eq!(list_as(&bad, ".agency", ME).status, StatusCode::OK);
}

#[test]
fn agency_denied() {
    let (good, bad) = pair("agency-denied");
    assert_eq!(list_as(&good, ".agency", OTHER).status, StatusCode::OK);
    assert_eq!(list_as(&bad, ".agency", OTHER).code(), "EV1022");
    assert_eq!(list_as(&bad, ".agent", ME).status, StatusCode::OK);
}

#[test]
fn other_customer_visible() {
    let (good, bad) = pair("other-customer-visible");
    assert_eq!(list_as(&good, "", OTHER).code(), "EV1022");
    assert_eq!(list_as(&bad, "", OTHER).status, StatusCode::OK);
    assert_eq!(list_as(&bad, ".stranger", OTHER).code(), "EV1022");
}

#[test]
fn wrong_access_code() {
    let (good, bad) = pair("wrong-access-code");
    let (g, b) = (
        list_as(&good, ".stranger", ME),
        list_as(&bad, ".stranger", ME),
    );
    assert_eq!((g.status, g.code()), (StatusCode::FORBIDDEN, "EV1022"));
    assert_eq!((b.status, b.code()), (StatusCode::FORBIDDEN, "EV1020"));
    assert_eq!(list_as(&bad, "", "123456789").code(), "EV2234");
}

#[test]
fn access_denied_unauthorised() {
    let (good, bad) = pair("access-denied-unauthorised");
    assert_eq!(
        account_as(&good, ".stranger", INC).status,
        StatusCode::FORBIDDEN
    );
    let b = account_as(&bad, ".stranger", INC);
    assert_eq!((b.status, b.code()), (StatusCode::UNAUTHORIZED, "EV1022"));
}

#[test]
fn missing_filing_frequency() {
    let (good, bad) = pair("missing-filing-frequency");
    assert!(account_as(&good, "", INC).body["Account"]["FilingFrequency"].is_string());
    let b = account_as(&bad, "", INC);
    assert!(b.body["Account"].get("FilingFrequency").is_none());
    assert!(b.body["Account"]["AccountType"].is_string());
}

#[test]
fn cease_before_commence() {
    let (good, bad) = pair("cease-before-commence");
    assert_eq!(
        account_as(&good, "", INC).body["Account"]["Cease"],
        "9999-12-31"
    );
    let b = &account_as(&bad, "", INC).body["Account"];
    assert_eq!(
        (b["Commence"].as_str(), b["Cease"].as_str()),
        (Some("2010-04-01"), Some("2009-04-01"))
    );
}

#[test]
fn account_id_ignored() {
    let (good, bad) = pair("account-id-ignored");
    assert_eq!(account_as(&good, "", INC).body["Account"]["ID"], INC);
    assert_eq!(
        account_as(&bad, "", INC).body["Account"]["ID"],
        "132243158FAM005"
    );
    assert_eq!(account_as(&bad, "", "132243158INC999").code(), "CST404");
}

#[test]
fn list_id_type_wrong() {
    let (good, bad) = pair("list-id-type-wrong");
    assert_eq!(list_as(&good, "", ME).body["Accounts"][0]["IDType"], "ACC");
    let b = list_as(&bad, "", ME);
    assert_eq!(ids(&b), ids(&list_as(&good, "", ME)));
    assert_eq!(b.body["Accounts"][0]["IDType"], "KSF");
    let fetched = bad.account(
        Some(&bearer("")),
        &body(json!({"AccountID": ids(&b)[0], "AccountIDType": "KSF"})),
    );
    assert_eq!(fetched.code(), "CST404");
}

#[test]
fn no_auth() {
    let (good, bad) = pair("no-auth");
    let request = body(json!({"CustomerID": ME, "CustomerIDType": "IRD"}));
    assert_eq!(good.list(None, &request).code(), "EV1021");
    assert_eq!(bad.list(None, &request).status, StatusCode::OK);
    assert_eq!(
        bad.list(Some("Bearer nope"), &request).status,
        StatusCode::OK
    );
}

#[test]
fn invalid_token_wrong_code() {
    let (good, bad) = pair("invalid-token-wrong-code");
    assert_eq!(good.list(Some("Bearer nope"), b"{}").code(), "EV1020");
    assert_eq!(bad.list(Some("Bearer nope"), b"{}").code(), "EV1021");
    assert_eq!(list_as(&bad, "", ME).status, StatusCode::OK);
}

#[test]
fn check_digit_not_validated() {
    let (good, bad) = pair("check-digit-not-validated");
    assert_eq!(list_as(&good, "", "123456789").code(), "EV2234");
    assert_eq!(list_as(&bad, "", "123456789").code(), "CST404");
}

#[test]
fn id_type_not_validated() {
    let (good, bad) = pair("id-type-not-validated");
    let request = body(json!({"CustomerID": ME, "CustomerIDType": ""}));
    assert_eq!(good.list(Some(&bearer("")), &request).code(), "EV1100");
    assert_eq!(bad.list(Some(&bearer("")), &request).status, StatusCode::OK);
}

#[test]
fn ineligible_account_served() {
    let (good, bad) = pair("ineligible-account-served");
    assert_eq!(account_as(&good, "", "132243158KSS004").code(), "ACT100");
    assert_eq!(
        account_as(&bad, "", "132243158KSS004").status,
        StatusCode::OK
    );
    assert_eq!(ids(&list_as(&bad, "", ME)).len(), 4);
}

#[test]
fn unknown_customer_empty() {
    let (good, bad) = pair("unknown-customer-empty");
    assert_eq!(list_as(&good, "", "140000019").code(), "CST404");
    let b = list_as(&bad, "", "140000019");
    assert_eq!((b.status, ids(&b).len()), (StatusCode::OK, 0));
}

#[test]
fn bad_status_value() {
    let (good, bad) = pair("bad-status-value");
    assert_eq!(account_as(&good, "", INC).body["Account"]["Status"], "ACT");
    assert_eq!(
        account_as(&bad, "", INC).body["Account"]["Status"],
        "ACTIVE"
    );
}

#[test]
fn error_missing_type() {
    let (good, bad) = pair("error-missing-type");
    assert_eq!(
        list_as(&good, ".stranger", ME).body["errors"][0]["type"],
        "security"
    );
    let b = list_as(&bad, ".stranger", ME);
    assert_eq!(b.code(), "EV1022");
    assert!(b.body["errors"][0].get("type").is_none());
}

#[test]
fn account_id_type_defaulted() {
    let (good, bad) = pair("account-id-type-defaulted");
    let request = body(json!({"AccountID": INC}));
    assert_eq!(good.account(Some(&bearer("")), &request).code(), "EV1100");
    let served = bad.account(Some(&bearer("")), &request);
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.body["Account"]["ID"], INC);
    let bogus = body(json!({"AccountID": INC, "AccountIDType": "XYZ"}));
    assert_eq!(bad.account(Some(&bearer("")), &bogus).code(), "EV1100");
}

/// Serves `r` on loopback, for the faults that live in the routes.
async fn serve(r: Registry) -> Loopback {
    let app = super::super::router(std::sync::Arc::new(r));
    Loopback::start_router(app, super::super::BASE_PATH).await
}

#[tokio::test]
async fn other_methods_served() {
    let (good, bad) = pair("other-methods-served");
    let (good, bad) = (serve(good).await, serve(bad).await);
    let list = json!({"CustomerID": ME, "CustomerIDType": "IRD"}).to_string();
    let get = |m: &Loopback| {
        m.client()
            .get(m.url("/list"))
            .bearer_auth(TOKEN)
            .body(list.clone())
    };
    assert_eq!(send(get(&good)).await.status, 405);
    let served = send(get(&bad)).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.body["Accounts"].as_array().unwrap().len(), 4);
    let update = json!({"AccountID": INC, "AccountIDType": "ACC"}).to_string();
    let put = send(
        bad.client()
            .put(bad.url("/account"))
            .bearer_auth(TOKEN)
            .body(update),
    )
    .await;
    assert_eq!(put.body["Account"]["ID"], INC);
    let unauthorised = send(bad.client().get(bad.url("/list")).body(list.clone())).await;
    assert_eq!(unauthorised.body["errors"][0]["code"], "EV1021");
    good.stop().await;
    bad.stop().await;
}

#[tokio::test]
async fn no_status_service() {
    let (good, bad) = pair("no-status-service");
    let (good, bad) = (serve(good).await, serve(bad).await);
    let ok = send(good.client().get(good.url("/status"))).await;
    assert_eq!((ok.status, ok.body.as_str()), (200, Some("OK")));
    assert_eq!(send(bad.client().get(bad.url("/status"))).await.status, 404);
    let list = json!({"CustomerID": ME, "CustomerIDType": "IRD"}).to_string();
    let served = send(
        bad.client()
            .post(bad.url("/list"))
            .bearer_auth(TOKEN)
            .body(list),
    )
    .await;
    assert_eq!(served.status, 200);
    good.stop().await;
    bad.stop().await;
}
