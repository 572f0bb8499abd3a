//! The conformant mock: the two routes, the response wrapper, error bodies and the order of the
//! authentication checks.

use super::{ACCOUNTS, Akahu, Mock, TOKEN, dataset, send};
use crate::mock::akahu::APP_ID;

#[tokio::test]
async fn list_serves_every_account_in_the_success_wrapper() {
    let mock = Mock::start(&[]).await;
    let reply = mock.fetch(ACCOUNTS).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.body["success"], true);
    assert_eq!(reply.items(), &dataset(1));
    assert_eq!(reply.body.as_object().unwrap().len(), 2);
}

#[tokio::test]
async fn seed_zero_is_a_user_without_accounts() {
    let mock = Mock::seeded(0, &[]).await;
    let reply = mock.fetch(ACCOUNTS).await;
    assert_eq!((reply.status, reply.items().len()), (200, 0));
    let unknown = mock.fetch(&format!("{ACCOUNTS}/acc_none")).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn every_listed_account_is_served_alone_under_item() {
    let mock = Mock::start(&[]).await;
    for account in dataset(1) {
        let id = account["_id"].as_str().unwrap();
        let reply = mock.fetch(&format!("{ACCOUNTS}/{id}")).await;
        assert_eq!(reply.status, 200, "{id}");
        assert_eq!(reply.body["success"], true);
        assert_eq!(reply.body["item"], account);
        assert!(reply.body.get("items").is_none());
    }
}

#[tokio::test]
async fn unknown_ids_urls_and_methods_get_404_error_bodies() {
    let mock = Mock::start(&[]).await;
    for path in [
        format!("{ACCOUNTS}/acc_doesnotexist"),
        "/no-such-resource".to_string(),
        format!("{ACCOUNTS}/x/transactions-of-nothing"),
    ] {
        let reply = mock.fetch(&path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.is_error_body(), "{path}: {}", reply.body);
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    let post = mock
        .client()
        .post(mock.url(ACCOUNTS))
        .bearer_auth(TOKEN)
        .header("x-akahu-id", APP_ID);
    assert_eq!(send(post).await.status, 404);
}

#[tokio::test]
async fn missing_malformed_and_wrong_user_tokens_get_401() {
    let mock = Mock::start(&[]).await;
    let cases = [
        mock.app_only(ACCOUNTS),
        mock.app_only(ACCOUNTS).bearer_auth("other"),
        mock.app_only(ACCOUNTS).header("authorization", TOKEN),
        mock.app_only(ACCOUNTS)
            .header("authorization", format!("Basic {TOKEN}")),
    ];
    for (i, request) in cases.into_iter().enumerate() {
        let reply = send(request).await;
        assert_eq!(reply.status, 401, "case {i}");
        assert!(reply.is_error_body(), "case {i}");
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let mock = Mock::start(&[]).await;
    let request = mock
        .app_only(ACCOUNTS)
        .header("authorization", format!("bearer {TOKEN}"));
    assert_eq!(send(request).await.status, 200);
}

#[tokio::test]
async fn app_id_missing_is_401_and_wrong_is_403() {
    let mock = Mock::start(&[]).await;
    let missing = send(mock.bare(ACCOUNTS).bearer_auth(TOKEN)).await;
    assert_eq!(missing.status, 401);
    assert!(
        missing.body["message"]
            .as_str()
            .unwrap()
            .contains("X-Akahu-ID")
    );
    let wrong = send(
        mock.bare(ACCOUNTS)
            .bearer_auth(TOKEN)
            .header("x-akahu-id", "app_token_other"),
    )
    .await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.is_error_body());
}

#[tokio::test]
async fn checks_run_in_the_documented_order() {
    let mock = Mock::start(&[]).await;
    let neither = send(mock.bare(ACCOUNTS)).await;
    assert_eq!(neither.body["message"], "Missing X-Akahu-ID header");
    let bad_token_and_app = send(
        mock.bare(ACCOUNTS)
            .bearer_auth("other")
            .header("x-akahu-id", "app_token_other"),
    )
    .await;
    assert_eq!(bad_token_and_app.status, 401);
    let unauthenticated_unknown = send(mock.app_only(&format!("{ACCOUNTS}/acc_x"))).await;
    assert_eq!(unauthenticated_unknown.status, 401);
}
