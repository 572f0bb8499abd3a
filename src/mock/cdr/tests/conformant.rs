//! The conformant mock: authentication, interaction ids, error bodies, routes and the account
//! payload.

use serde_json::Value;

use super::{ACCOUNTS, Cds, Mock, TOKEN, dataset, send};

const UUID_LEN: usize = 36;

fn is_v4_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4) && s.len() == UUID_LEN
}

#[tokio::test]
async fn missing_wrong_and_malformed_tokens_get_401() {
    let mock = Mock::start(&[]).await;
    let url = mock.url(ACCOUNTS);
    let cases = [
        mock.bare(&url).header("x-v", "2"),
        mock.bare(&url).header("x-v", "2").bearer_auth("other"),
        mock.bare(&url)
            .header("x-v", "2")
            .header("authorization", TOKEN),
        mock.bare(&url)
            .header("x-v", "2")
            .header("authorization", format!("Basic {TOKEN}")),
    ];
    for (i, request) in cases.into_iter().enumerate() {
        let reply = send(request).await;
        assert_eq!(reply.status, 401, "case {i}");
        assert!(
            reply
                .header("www-authenticate")
                .unwrap()
                .starts_with("Bearer")
        );
        assert!(is_v4_uuid(reply.header("x-fapi-interaction-id").unwrap()));
        assert_eq!(
            reply.code(),
            "urn:au-cds:error:cds-all:GeneralError/Expected"
        );
    }
    let lower = mock
        .bare(&url)
        .header("x-v", "2")
        .header("authorization", format!("bearer {TOKEN}"));
    assert_eq!(send(lower).await.status, 200);
    mock.stop().await;
}

#[tokio::test]
async fn auth_is_checked_before_versions() {
    let mock = Mock::start(&[]).await;
    let reply = send(mock.bare(&mock.url(ACCOUNTS))).await;
    assert_eq!(reply.status, 401);
}

#[tokio::test]
async fn interaction_id_is_played_back_on_success_and_error() {
    let mock = Mock::start(&[]).await;
    let id = "5f2d5b3e-1c1a-4e4b-9c1e-0d8b7a6f5e4d";
    let ok = send(mock.get(ACCOUNTS).header("x-fapi-interaction-id", id)).await;
    assert_eq!(
        (ok.status, ok.header("x-fapi-interaction-id")),
        (200, Some(id))
    );
    let bad = send(
        mock.get(&format!("{ACCOUNTS}?page=abc"))
            .header("x-fapi-interaction-id", id),
    )
    .await;
    assert_eq!(
        (bad.status, bad.header("x-fapi-interaction-id")),
        (400, Some(id))
    );
    let unauth = send(
        mock.bare(&mock.url(ACCOUNTS))
            .header("x-fapi-interaction-id", id),
    )
    .await;
    assert_eq!(
        (unauth.status, unauth.header("x-fapi-interaction-id")),
        (401, Some(id))
    );
}

#[tokio::test]
async fn interaction_id_is_a_fresh_uuid_when_not_sent() {
    let mock = Mock::start(&[]).await;
    let a = mock.fetch(ACCOUNTS).await;
    let b = mock.fetch(ACCOUNTS).await;
    let e = mock.fetch(&format!("{ACCOUNTS}?page-size=0")).await;
    let ids: Vec<&str> = [&a, &b, &e]
        .iter()
        .map(|r| r.header("x-fapi-interaction-id").unwrap())
        .collect();
    assert!(ids.iter().all(|id| is_v4_uuid(id)), "{ids:?}");
    assert!(ids[0] != ids[1] && ids[1] != ids[2]);
}

#[tokio::test]
async fn success_has_json_content_type_and_version() {
    let mock = Mock::start(&[]).await;
    let reply = mock.fetch(ACCOUNTS).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("x-v"), Some("2"));
    let keys: Vec<&String> = reply.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["data", "links", "meta"]);
}

#[tokio::test]
async fn errors_are_response_error_list_v2() {
    let mock = Mock::start(&[]).await;
    let reply = mock.fetch(&format!("{ACCOUNTS}?open-status=open")).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("x-v").is_none());
    let errors = reply.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "urn:au-cds:error:cds-all:Field/Invalid");
    assert_eq!(errors[0]["title"], "Invalid Field");
    assert!(
        errors[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("open-status")
    );
}

#[tokio::test]
async fn invalid_query_values_name_the_field() {
    let mock = Mock::start(&[]).await;
    let cases = [
        ("product-category=SAVINGS", "product-category"),
        ("product-category=leases", "product-category"),
        ("open-status=", "open-status"),
        ("is-owned=yes", "is-owned"),
        ("is-owned=TRUE", "is-owned"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("page-size=abc", "page-size"),
        ("page-size=0", "page-size"),
        ("page=x&page-size=y", "page"),
    ];
    for (query, field) in cases {
        let reply = mock.fetch(&format!("{ACCOUNTS}?{query}")).await;
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(
            reply.code(),
            "urn:au-cds:error:cds-all:Field/Invalid",
            "{query}"
        );
        let detail = reply.body["errors"][0]["detail"].as_str().unwrap();
        assert!(
            detail.starts_with(&format!("{field}:")),
            "{query}: {detail}"
        );
    }
}

#[tokio::test]
async fn unknown_route_is_404_resource_not_found() {
    let mock = Mock::start(&[]).await;
    let id = "0c8a7e4c-3d69-4b0f-8d3c-3f1d6a3a0b11";
    let reply = send(
        mock.get("/banking/accounts/abc/balance")
            .header("x-fapi-interaction-id", id),
    )
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "urn:au-cds:error:cds-all:Resource/NotFound");
    assert_eq!(reply.body["errors"][0]["title"], "Resource Not Found");
    assert_eq!(reply.header("x-fapi-interaction-id"), Some(id));
}

#[tokio::test]
async fn other_methods_are_405() {
    let mock = Mock::start(&[]).await;
    let request = mock
        .client()
        .post(mock.url(ACCOUNTS))
        .bearer_auth(TOKEN)
        .header("x-v", "2");
    let reply = send(request).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));
    assert!(reply.header("x-fapi-interaction-id").is_some());
}

#[tokio::test]
async fn accept_is_honoured_as_rfc_7231_reads_it() {
    let mock = Mock::start(&[]).await;
    for ok in [
        "*/*",
        "application/json",
        "application/json;charset=UTF-8",
        "AppliCAtion/JSon;Charset=uTf-8",
        "text/html, application/*;q=0.5",
    ] {
        let reply = send(mock.get(ACCOUNTS).header("accept", ok)).await;
        assert_eq!(reply.status, 200, "{ok}");
    }
    for refused in [
        "application/xml",
        "application/json;charset=ISO-8859-1",
        "application/json;q=0",
    ] {
        let reply = send(mock.get(ACCOUNTS).header("accept", refused)).await;
        assert_eq!(reply.status, 406, "{refused}");
        assert_eq!(
            reply.body["errors"][0]["code"],
            "urn:au-cds:error:cds-all:GeneralError/Expected"
        );
        assert!(reply.header("x-fapi-interaction-id").is_some());
    }
}

#[tokio::test]
async fn accounts_are_banking_account_v2() {
    let mock = Mock::start(&[]).await;
    let pages = mock.walk(&format!("{ACCOUNTS}?page-size=1000")).await;
    assert_eq!(pages.len(), 1);
    let served = pages[0].accounts();
    assert_eq!(served, &dataset(1));
    let required = [
        "accountId",
        "displayName",
        "accountOwnership",
        "maskedNumber",
        "productCategory",
        "productName",
    ];
    for account in served {
        for field in required {
            assert!(account[field].is_string(), "{field} in {account}");
        }
    }
    let has = |field: &str| served.iter().filter(|a| a.get(field).is_some()).count();
    for optional in ["creationDate", "nickname", "openStatus", "isOwned"] {
        assert!(
            has(optional) > 0 && has(optional) < served.len(),
            "{optional}"
        );
    }
    assert!(
        served
            .iter()
            .all(|a| a.get("isOwned").is_none_or(Value::is_boolean))
    );
}
