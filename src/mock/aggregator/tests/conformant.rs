//! The conformant mock, rule by rule.

use serde_json::json;

use super::{Aggregator, Mock, TOKEN, send};

#[tokio::test]
async fn list_defaults_to_ten_and_pages_tile_the_set() {
    let mock = Mock::start(&[]).await;
    let all = mock.all_ids().await;
    assert!(all.len() > 20 && all.len() < 100, "{}", all.len());
    let first = mock.list(json!({})).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.ids(), all[..10]);
    assert!(first.has_more());
    let mut walked = Vec::new();
    for skip in (0..all.len()).step_by(7) {
        let page = mock.list(json!({"limit": 7, "skip": skip})).await;
        assert_eq!(page.has_more(), skip + 7 < all.len());
        walked.extend(page.ids());
    }
    assert_eq!(walked, all);
    let whole = mock.list(json!({"limit": 100})).await;
    assert_eq!(whole.ids(), all);
    assert!(!whole.has_more());
}

#[tokio::test]
async fn an_empty_body_is_the_default_page() {
    let mock = Mock::start(&[]).await;
    let bare = send(
        mock.client()
            .post(mock.url("/accounts/list"))
            .header("x-ivy-api-key", TOKEN),
    )
    .await;
    assert_eq!(bare.status, 200);
    assert_eq!(bare.ids().len(), 10);
}

#[tokio::test]
async fn bad_list_bodies_are_validation_errors_naming_the_field() {
    let mock = Mock::start(&[]).await;
    for (body, param) in [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": -1}), "limit"),
        (json!({"limit": 101}), "limit"),
        (json!({"limit": "10"}), "limit"),
        (json!({"limit": 2.5}), "limit"),
        (json!({"skip": -1}), "skip"),
        (json!({"skip": "2"}), "skip"),
    ] {
        let r = mock.list(body.clone()).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.code(), "VALIDATION");
        assert_eq!(r.body["param"], param);
        assert_eq!(r.body["statusCode"], 400);
        assert!(r.body["message"].is_string());
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    let not_object = mock.list(json!([1])).await;
    assert_eq!(not_object.status, 400);
}

#[tokio::test]
async fn a_skip_past_the_end_is_an_empty_last_page() {
    let mock = Mock::start(&[]).await;
    let r = mock.list(json!({"skip": 100_000})).await;
    assert_eq!(r.body, json!({"accounts": [], "hasMore": false}));
}

#[tokio::test]
async fn by_id_end_points_find_listed_accounts_and_refuse_others() {
    let mock = Mock::start(&[]).await;
    let listed = mock.list(json!({"limit": 3})).await.body["accounts"][2].clone();
    let id = listed["id"].clone();
    for action in ["retrieve", "refresh"] {
        let r = mock.call(action, json!({"id": id})).await;
        assert_eq!(r.status, 200, "{action}");
        assert_eq!(r.body, listed, "{action}");
        let unknown = mock.call(action, json!({"id": "nope"})).await;
        assert_eq!((unknown.status, unknown.code()), (404, "NOT_FOUND"));
        let missing = mock.call(action, json!({})).await;
        assert_eq!((missing.status, missing.code()), (400, "VALIDATION"));
        assert_eq!(missing.body["param"], "id");
        let number = mock.call(action, json!({"id": 42})).await;
        assert_eq!((number.status, number.code()), (400, "VALIDATION"));
    }
}

#[tokio::test]
async fn disconnect_changes_status_for_this_instance_only() {
    let mock = Mock::start(&[]).await;
    let other = Mock::start(&[]).await;
    let first = mock.list(json!({"limit": 1})).await.body["accounts"][0].clone();
    assert_eq!(first["status"], "active");
    let id = first["id"].clone();
    let r = mock.call("disconnect", json!({"id": id})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "disconnected");
    assert_eq!(r.body["id"], id);
    let again = mock.call("retrieve", json!({"id": id})).await;
    assert_eq!(again.body["status"], "disconnected");
    let listed = mock.list(json!({"limit": 1})).await;
    assert_eq!(listed.body["accounts"][0]["id"], id);
    assert_eq!(listed.body["accounts"][0]["status"], "disconnected");
    let twice = mock.call("disconnect", json!({"id": id})).await;
    assert_eq!(
        (twice.status, &twice.body["status"]),
        (200, &json!("disconnected"))
    );
    let untouched = other.call("retrieve", json!({"id": id})).await;
    assert_eq!(untouched.body["status"], "active");
    let unknown = mock.call("disconnect", json!({"id": "nope"})).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn the_api_key_is_required() {
    let mock = Mock::start(&[]).await;
    let url = mock.url("/accounts/list");
    let none = send(
        mock.client()
            .post(&url)
            .header("content-type", "application/json")
            .body(json!({}).to_string()),
    )
    .await;
    assert_eq!((none.status, none.code()), (401, "UNAUTHENTICATED"));
    let wrong = send(
        mock.client()
            .post(&url)
            .header("x-ivy-api-key", "other")
            .header("content-type", "application/json")
            .body(json!({}).to_string()),
    )
    .await;
    assert_eq!((wrong.status, wrong.code()), (401, "UNAUTHENTICATED"));
    let bearer = send(
        mock.client()
            .post(&url)
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(json!({}).to_string()),
    )
    .await;
    assert_eq!(bearer.status, 401);
}

#[tokio::test]
async fn other_methods_and_paths() {
    let mock = Mock::start(&[]).await;
    let get = send(mock.client().get(mock.url("/accounts/list"))).await;
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
    let missing = mock.call("delete", json!({})).await;
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn seed_zero_has_no_accounts() {
    let mock = Mock::seeded(0, &[]).await;
    let r = mock.list(json!({})).await;
    assert_eq!(r.body, json!({"accounts": [], "hasMore": false}));
    assert_eq!(mock.call("retrieve", json!({"id": "x"})).await.status, 404);
}
