//! The routes over real TCP on loopback: paths, methods, headers and unknown fault names.

use std::net::SocketAddr;

use serde_json::{Value, json};

use super::{ME, TOKEN};
use crate::mock::{MockOptions, serve};

#[tokio::test]
async fn routes_answer_json_under_the_base_path() {
    let opts = MockOptions {
        token: TOKEN.into(),
        ..MockOptions::default()
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let mock = serve(&super::super::API, &opts, addr).await.unwrap();
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", mock.base_url);
    assert!(mock.base_url.ends_with("/secure/gateway/account"));

    let list = client
        .post(url("/list"))
        .bearer_auth(TOKEN)
        .body(json!({"CustomerID": ME, "CustomerIDType": "IRD"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    assert_eq!(
        list.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = serde_json::from_str(&list.text().await.unwrap()).unwrap();
    assert_eq!(body["Accounts"].as_array().unwrap().len(), 4);

    let account = client
        .post(url("/account"))
        .header("authorization", TOKEN)
        .body(json!({"AccountID": "132243158GST004", "AccountIDType": "ACC"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200);

    let get = client.get(url("/list")).send().await.unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    let elsewhere = client.post(url("/other")).send().await.unwrap();
    assert_eq!(elsewhere.status(), 404);
    mock.stop().await;
}

#[test]
fn unknown_faults_are_refused() {
    let opts = MockOptions {
        faults: vec!["nope".into()],
        ..MockOptions::default()
    };
    let err = (super::super::API.app)(&opts).unwrap_err();
    assert!(err.contains("`nope`"), "{err}");
}
