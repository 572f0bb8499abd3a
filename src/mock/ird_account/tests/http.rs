//! The routes over real TCP on loopback: paths, methods and headers.

use serde_json::json;

use super::{ME, TOKEN};
use crate::mock::testing::{Loopback, options, send};

#[tokio::test]
async fn routes_answer_json_under_the_base_path() {
    let mock = Loopback::start(&super::super::API, &options(TOKEN, 1, &[])).await;
    let client = mock.client();
    assert!(mock.url("").ends_with("/secure/gateway/account"));

    let list = send(
        client
            .post(mock.url("/list"))
            .bearer_auth(TOKEN)
            .body(json!({"CustomerID": ME, "CustomerIDType": "IRD"}).to_string()),
    )
    .await;
    assert_eq!(list.status, 200);
    assert_eq!(list.content_type(), "application/json; charset=utf-8");
    assert_eq!(list.body["Accounts"].as_array().unwrap().len(), 4);

    let account = send(
        client
            .post(mock.url("/account"))
            .header("authorization", TOKEN)
            .body(json!({"AccountID": "132243158GST004", "AccountIDType": "ACC"}).to_string()),
    )
    .await;
    assert_eq!(account.status, 200);

    let get = send(client.get(mock.url("/list"))).await;
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
    let status = send(client.get(mock.url("/status"))).await;
    assert_eq!((status.status, status.body.as_str()), (200, Some("OK")));
    assert_eq!(status.content_type(), "text/plain");
    let elsewhere = send(client.post(mock.url("/other"))).await;
    assert_eq!(elsewhere.status, 404);
    mock.stop().await;
}
