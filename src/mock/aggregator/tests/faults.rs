//! One test per fault switch: the same request to the conformant and the faulty mock, showing
//! the one rule the switch breaks.

use serde_json::{Value, json};

use super::{Aggregator, Mock, Reply, send};

/// The conformant mock and one with `fault` on, both on seed 1.
async fn pair(fault: &str) -> (Mock, Mock) {
    (Mock::start(&[]).await, Mock::start(&[fault]).await)
}

async fn both(mocks: &(Mock, Mock), action: &str, body: Value) -> (Reply, Reply) {
    (
        mocks.0.call(action, body.clone()).await,
        mocks.1.call(action, body).await,
    )
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("faults.rs");
    for fault in super::super::FAULTS {
        assert!(
            source.contains(&format!("\"{}\"", fault.name)),
            "no test for {}",
            fault.name
        );
    }
}

#[tokio::test]
async fn limit_ignored() {
    let mocks = pair("limit-ignored").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 2})).await;
    assert_eq!((good.ids().len(), bad.ids().len()), (2, 10));
    let (good, bad) = both(&mocks, "list", json!({"limit": 101})).await;
    assert_eq!((good.status, bad.status), (400, 400));
}

#[tokio::test]
async fn limit_bounds_and_types() {
    for (fault, body, served) in [
        ("max-limit-not-enforced", json!({"limit": 101}), 200),
        ("zero-limit-accepted", json!({"limit": 0}), 200),
        ("limit-type-not-checked", json!({"limit": "3"}), 200),
        ("negative-skip-accepted", json!({"skip": -1}), 200),
    ] {
        let mocks = pair(fault).await;
        let (good, bad) = both(&mocks, "list", body).await;
        assert_eq!((good.status, bad.status), (400, served), "{fault}");
        let (good, bad) = both(&mocks, "list", json!({"limit": 5, "skip": 1})).await;
        assert_eq!(good.body, bad.body, "{fault} changes valid pages");
    }
}

#[tokio::test]
async fn limit_over_maximum_served() {
    let fault = "limit-over-maximum-served";
    let (good, bad) = (Mock::seeded(2, &[]).await, Mock::seeded(2, &[fault]).await);
    let over = json!({"limit": 150});
    let (good_page, bad_page) = (
        good.call("list", over.clone()).await,
        bad.call("list", over).await,
    );
    assert_eq!((good_page.status, bad_page.status), (400, 200));
    assert!(
        bad_page.ids().len() > 100,
        "seed 2 holds more than 100 accounts"
    );
    let max = json!({"limit": 100});
    let (good_page, bad_page) = (
        good.call("list", max.clone()).await,
        bad.call("list", max).await,
    );
    assert_eq!(good_page.body, bad_page.body, "{fault} changes valid pages");
}

#[tokio::test]
async fn default_limit_wrong() {
    let mocks = pair("default-limit-wrong").await;
    let (good, bad) = both(&mocks, "list", json!({})).await;
    assert_eq!((good.ids().len(), bad.ids().len()), (10, 20));
}

#[tokio::test]
async fn has_more_on_last_page() {
    let mocks = pair("has-more-on-last-page").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 100})).await;
    assert_eq!((good.has_more(), bad.has_more()), (false, true));
    let (good, bad) = both(&mocks, "list", json!({"limit": 1, "skip": 99})).await;
    assert_eq!((good.has_more(), bad.has_more()), (false, false));
}

#[tokio::test]
async fn has_more_always_false() {
    let mocks = pair("has-more-always-false").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 1})).await;
    assert_eq!((good.has_more(), bad.has_more()), (true, false));
}

#[tokio::test]
async fn skip_shifts() {
    for (fault, shift) in [("skip-repeats", -1), ("skip-gaps", 1)] {
        let mocks = pair(fault).await;
        let window = mocks.0.list(json!({"limit": 6})).await.ids();
        let (good, bad) = both(&mocks, "list", json!({"limit": 2, "skip": 2})).await;
        assert_eq!(good.ids()[0], window[2]);
        assert_eq!(bad.ids()[0], window[(2 + shift) as usize], "{fault}");
        let (good, bad) = both(&mocks, "list", json!({"limit": 4})).await;
        assert_eq!(good.body, bad.body, "{fault} moves the first page");
    }
}

#[tokio::test]
async fn account_shape_faults() {
    let mocks = pair("subcategory-mismatch").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 100})).await;
    let subcategories = |r: &Reply| -> Vec<Value> {
        r.body["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["category"] == "credit")
            .map(|a| a["subcategory"].clone())
            .collect()
    };
    assert!(!subcategories(&good).contains(&json!("savings")));
    assert!(subcategories(&bad).iter().all(|s| s == "savings"));

    let mocks = pair("bad-enum-value").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 2, "skip": 4})).await;
    assert_ne!(good.body["accounts"][0]["status"], "connected");
    assert_eq!(bad.body["accounts"][0]["status"], "connected");
    assert_eq!(good.body["accounts"][1], bad.body["accounts"][1]);

    let mocks = pair("missing-account-number").await;
    let (good, bad) = both(&mocks, "list", json!({"limit": 100})).await;
    let numbers = |r: &Reply| {
        r.body["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a.pointer("/financialAddress/sortCode"))
            .filter(|s| s.get("accountNumber").is_some())
            .count()
    };
    assert!(numbers(&good) > 0);
    assert_eq!(numbers(&bad), 0);
}

#[tokio::test]
async fn unknown_id_found() {
    let mocks = pair("unknown-id-found").await;
    let (good, bad) = both(&mocks, "retrieve", json!({"id": "nope"})).await;
    assert_eq!((good.status, bad.status), (404, 200));
    let (good, bad) = both(&mocks, "refresh", json!({"id": "nope"})).await;
    assert_eq!((good.status, bad.status), (404, 404));
}

#[tokio::test]
async fn retrieve_ignores_id() {
    let mocks = pair("retrieve-ignores-id").await;
    let ids = mocks.0.list(json!({"limit": 2})).await.ids();
    let (good, bad) = both(&mocks, "retrieve", json!({"id": ids[1]})).await;
    assert_eq!(good.body["id"], ids[1]);
    assert_eq!(bad.body["id"], ids[0]);
    let (good, bad) = both(&mocks, "retrieve", json!({"id": "nope"})).await;
    assert_eq!((good.status, bad.status), (404, 404));
}

#[tokio::test]
async fn id_type_not_checked() {
    let mocks = pair("id-type-not-checked").await;
    let (good, bad) = both(&mocks, "retrieve", json!({"id": 12345})).await;
    assert_eq!((good.status, bad.status), (400, 404));
}

#[tokio::test]
async fn disconnect_no_effect() {
    let mocks = pair("disconnect-no-effect").await;
    let id = mocks.0.list(json!({"limit": 1})).await.ids()[0].clone();
    let (good, bad) = both(&mocks, "disconnect", json!({"id": id})).await;
    assert_eq!((good.status, bad.status), (200, 200));
    let (good, bad) = both(&mocks, "retrieve", json!({"id": id})).await;
    assert_eq!(good.body["status"], "disconnected");
    assert_eq!(bad.body["status"], "active");
}

#[tokio::test]
async fn wrong_error_body() {
    let mocks = pair("wrong-error-body").await;
    let (good, bad) = both(&mocks, "retrieve", json!({})).await;
    assert_eq!((good.status, bad.status), (400, 400));
    assert_eq!(good.code(), "VALIDATION");
    assert!(bad.body.get("code").is_none() && bad.body.get("message").is_none());
    assert!(bad.body["error"].is_string());
}

#[tokio::test]
async fn no_auth() {
    let mocks = pair("no-auth").await;
    for m in [&mocks.0, &mocks.1] {
        let r = send(
            m.client()
                .post(m.url("/accounts/list"))
                .header("content-type", "application/json")
                .body(json!({}).to_string()),
        )
        .await;
        let expected = if std::ptr::eq(m, &mocks.0) { 401 } else { 200 };
        assert_eq!(r.status, expected);
    }
}

#[tokio::test]
async fn wrong_content_type() {
    let mocks = pair("wrong-content-type").await;
    let (good, bad) = both(&mocks, "list", json!({})).await;
    assert_eq!(good.header("content-type"), Some("application/json"));
    assert_eq!(bad.header("content-type"), Some("text/plain"));
    assert_eq!(good.body, bad.body);
    let (_, bad) = both(&mocks, "list", json!({"limit": 0})).await;
    assert_eq!(bad.header("content-type"), Some("application/json"));
}
