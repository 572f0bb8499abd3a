//! One test per fault switch: the same request to the conformant and the faulty mock, showing
//! the one rule the switch breaks and, where it matters, what it leaves alone.

use serde_json::Value;

use super::{ACCOUNTS, Akahu, Mock, Reply, TOKEN, dataset, send};

/// The conformant mock and one with `fault` on, both on seed 1.
async fn pair(fault: &str) -> (Mock, Mock) {
    (Mock::start(&[]).await, Mock::start(&[fault]).await)
}

async fn both(pair: &(Mock, Mock), path: &str) -> (Reply, Reply) {
    (pair.0.fetch(path).await, pair.1.fetch(path).await)
}

fn account_path(i: usize) -> String {
    format!("{ACCOUNTS}/{}", dataset(1)[i]["_id"].as_str().unwrap())
}

const UNKNOWN: &str = "/accounts/acc_doesnotexist";

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
async fn wrong_success_flag() {
    let mocks = pair("wrong-success-flag").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(
        (&good.body["success"], &bad.body["success"]),
        (&true.into(), &false.into())
    );
    assert_eq!((bad.status, bad.items()), (200, good.items()));
    let (_, one) = both(&mocks, &account_path(0)).await;
    assert_eq!(one.body["success"], false);
    assert!(mocks.1.fetch(UNKNOWN).await.is_error_body());
}

#[tokio::test]
async fn items_missing() {
    let mocks = pair("items-missing").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert!(good.body["items"].is_array());
    assert_eq!(bad.body, serde_json::json!({"success": true}));
    assert!(mocks.1.fetch(&account_path(0)).await.body["item"].is_object());
}

#[tokio::test]
async fn item_wrong_key() {
    let mocks = pair("item-wrong-key").await;
    let (good, bad) = both(&mocks, &account_path(0)).await;
    assert!(bad.body.get("item").is_none());
    assert_eq!(bad.body["account"], good.body["item"]);
}

#[tokio::test]
async fn unknown_id_found() {
    let mocks = pair("unknown-id-found").await;
    let (good, bad) = both(&mocks, UNKNOWN).await;
    assert_eq!((good.status, bad.status), (404, 200));
    assert_eq!(bad.body["item"], dataset(1)[0]);
    let (_, known) = both(&mocks, &account_path(2)).await;
    assert_eq!(known.body["item"], dataset(1)[2]);
}

#[tokio::test]
async fn not_found_success_true() {
    let mocks = pair("not-found-success-true").await;
    let (good, bad) = both(&mocks, UNKNOWN).await;
    assert_eq!(
        (good.body["success"].clone(), bad.body["success"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(bad.status, 404);
    let unauthorised = send(mocks.1.app_only(ACCOUNTS)).await;
    assert!(unauthorised.is_error_body());
}

#[tokio::test]
async fn error_without_message() {
    let mocks = pair("error-without-message").await;
    let (good, bad) = both(&mocks, UNKNOWN).await;
    assert!(good.is_error_body());
    assert_eq!(bad.body, serde_json::json!({"success": false}));
    let unauthorised = send(mocks.1.app_only(ACCOUNTS)).await;
    assert_eq!(unauthorised.status, 401);
    assert!(unauthorised.body.get("message").is_none());
}

#[tokio::test]
async fn no_user_token_accepted() {
    let (good, bad) = pair("no-user-token-accepted").await;
    assert_eq!(send(good.app_only(ACCOUNTS)).await.status, 401);
    assert_eq!(send(bad.app_only(ACCOUNTS)).await.status, 200);
    assert_eq!(
        send(bad.app_only(ACCOUNTS).bearer_auth("x")).await.status,
        401
    );
}

#[tokio::test]
async fn invalid_user_token_accepted() {
    let (good, bad) = pair("invalid-user-token-accepted").await;
    let other = |m: &Mock| m.app_only(ACCOUNTS).bearer_auth("other");
    assert_eq!(send(other(&good)).await.status, 401);
    assert_eq!(send(other(&bad)).await.status, 200);
    assert_eq!(send(bad.app_only(ACCOUNTS)).await.status, 401);
}

#[tokio::test]
async fn malformed_token_accepted() {
    let (good, bad) = pair("malformed-token-accepted").await;
    let raw = |m: &Mock| m.app_only(ACCOUNTS).header("authorization", TOKEN);
    assert_eq!(send(raw(&good)).await.status, 401);
    assert_eq!(send(raw(&bad)).await.status, 200);
    let raw_other = bad.app_only(ACCOUNTS).header("authorization", "other");
    assert_eq!(send(raw_other).await.status, 401);
}

#[tokio::test]
async fn invalid_token_400() {
    let (good, bad) = pair("invalid-token-400").await;
    let other = |m: &Mock| m.app_only(ACCOUNTS).bearer_auth("other");
    assert_eq!(send(other(&good)).await.status, 401);
    let refused = send(other(&bad)).await;
    assert_eq!(refused.status, 400);
    assert!(refused.is_error_body());
    assert_eq!(send(bad.app_only(ACCOUNTS)).await.status, 401);
}

#[tokio::test]
async fn no_app_id_accepted() {
    let (good, bad) = pair("no-app-id-accepted").await;
    let no_app = |m: &Mock| m.bare(ACCOUNTS).bearer_auth(TOKEN);
    assert_eq!(send(no_app(&good)).await.status, 401);
    assert_eq!(send(no_app(&bad)).await.status, 200);
    let wrong = no_app(&bad).header("x-akahu-id", "app_token_other");
    assert_eq!(send(wrong).await.status, 403);
}

#[tokio::test]
async fn wrong_app_id_accepted() {
    let (good, bad) = pair("wrong-app-id-accepted").await;
    let wrong = |m: &Mock| {
        m.bare(ACCOUNTS)
            .bearer_auth(TOKEN)
            .header("x-akahu-id", "app_token_other")
    };
    assert_eq!(send(wrong(&good)).await.status, 403);
    assert_eq!(send(wrong(&bad)).await.status, 200);
    assert_eq!(
        send(bad.bare(ACCOUNTS).bearer_auth(TOKEN)).await.status,
        401
    );
}

/// The accounts of both replies with `field` removed, to show nothing else changed.
fn without(reply: &Reply, field: &str) -> Vec<Value> {
    let mut items = reply.items().clone();
    for item in &mut items {
        item.as_object_mut().unwrap().remove(field);
    }
    items
}

#[tokio::test]
async fn bad_status_enum() {
    let mocks = pair("bad-status-enum").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert!(good.items().iter().all(|a| a["status"] != "OPEN"));
    assert!(bad.items().iter().all(|a| a["status"] == "OPEN"));
    assert_eq!(without(&bad, "status"), without(&good, "status"));
}

#[tokio::test]
async fn bad_type_enum() {
    let mocks = pair("bad-type-enum").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    for (g, b) in good.items().iter().zip(bad.items()) {
        let want = if g["type"] == "CHECKING" {
            "CURRENT".into()
        } else {
            g["type"].clone()
        };
        assert_eq!(b["type"], want);
    }
    assert!(bad.items().iter().any(|a| a["type"] == "CURRENT"));
}

#[tokio::test]
async fn balance_as_string() {
    let mocks = pair("balance-as-string").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    let with_balance = good
        .items()
        .iter()
        .position(|a| a["balance"].is_object())
        .unwrap();
    let current = good.items()[with_balance]["balance"]["current"]
        .as_f64()
        .unwrap();
    assert_eq!(
        bad.items()[with_balance]["balance"]["current"],
        format!("{current:.2}")
    );
    assert_eq!(without(&bad, "balance"), without(&good, "balance"));
}

#[tokio::test]
async fn missing_id() {
    let mocks = pair("missing-id").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert!(bad.items().iter().all(|a| a.get("_id").is_none()));
    assert_eq!(bad.items(), &without(&good, "_id"));
    let (_, one) = both(&mocks, &account_path(0)).await;
    assert_eq!((one.status, one.body["item"].get("_id")), (200, None));
}

#[tokio::test]
async fn list_get_disagree() {
    let mocks = pair("list-get-disagree").await;
    let (good, bad) = both(&mocks, &account_path(1)).await;
    assert_eq!(good.body["item"], dataset(1)[1]);
    assert_ne!(bad.body["item"]["name"], good.body["item"]["name"]);
    assert_eq!(bad.body["item"]["_id"], good.body["item"]["_id"]);
    assert_eq!(mocks.1.fetch(ACCOUNTS).await.items(), &dataset(1));
}

#[tokio::test]
async fn get_ignores_id() {
    let mocks = pair("get-ignores-id").await;
    let (good, bad) = both(&mocks, &account_path(3)).await;
    assert_eq!(good.body["item"], dataset(1)[3]);
    assert_eq!(bad.body["item"], dataset(1)[0]);
    assert_eq!(mocks.1.fetch(UNKNOWN).await.status, 404);
}

#[tokio::test]
async fn wrong_content_type() {
    let mocks = pair("wrong-content-type").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(good.header("content-type"), Some("application/json"));
    assert_eq!(bad.header("content-type"), Some("text/plain"));
    assert_eq!(bad.items(), good.items());
    let error = mocks.1.fetch(UNKNOWN).await;
    assert_eq!(error.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn unknown_url_500() {
    let mocks = pair("unknown-url-500").await;
    let (good, bad) = both(&mocks, "/no-such-resource").await;
    assert_eq!((good.status, bad.status), (404, 500));
    assert!(bad.is_error_body());
    assert_eq!(mocks.1.fetch(UNKNOWN).await.status, 404);
}

#[tokio::test]
async fn refreshed_not_utc() {
    let mocks = pair("refreshed-not-utc").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    let utc = good.items()[0]["refreshed"]["balance"].as_str().unwrap();
    let local = bad.items()[0]["refreshed"]["balance"].as_str().unwrap();
    assert!(utc.ends_with('Z'), "{utc}");
    assert_eq!(local, format!("{}+13:00", &utc[..utc.len() - 1]));
    assert_eq!(
        good.items()[0]["refreshed"]["meta"],
        bad.items()[0]["refreshed"]["meta"]
    );
}
