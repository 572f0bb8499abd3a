//! Tests of the aggregator mock over real TCP on loopback: the conformant behaviour rule by
//! rule, and for every fault switch the one difference it makes.

mod conformant;
mod faults;

use std::net::SocketAddr;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::mock::{MockOptions, RunningMock, serve};

pub(super) const TOKEN: &str = "test-key";

/// A mock serving on `127.0.0.1:0` plus a client for it.
pub(super) struct Mock {
    running: RunningMock,
    client: reqwest::Client,
}

/// A recorded response.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    /// The body as JSON, `Null` if it is not JSON.
    pub(super) body: Value,
}

impl Reply {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(super) fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub(super) fn ids(&self) -> Vec<String> {
        self.body["accounts"]
            .as_array()
            .unwrap_or_else(|| panic!("no accounts in {}", self.body))
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    }

    pub(super) fn has_more(&self) -> bool {
        self.body["hasMore"]
            .as_bool()
            .unwrap_or_else(|| panic!("no hasMore in {}", self.body))
    }
}

impl Mock {
    /// The conformant mock (empty `faults`) or a faulty one, on data seed 1.
    pub(super) async fn start(faults: &[&str]) -> Mock {
        Mock::seeded(1, faults).await
    }

    pub(super) async fn seeded(seed: u64, faults: &[&str]) -> Mock {
        let opts = MockOptions {
            token: TOKEN.into(),
            data_seed: seed,
            faults: faults.iter().map(|f| f.to_string()).collect(),
            records: None,
        };
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let running = serve(&super::API, &opts, addr).await.unwrap();
        Mock {
            running,
            client: reqwest::Client::new(),
        }
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url)
    }

    /// A POST to `/accounts/{action}` with the key and a JSON body.
    pub(super) async fn call(&self, action: &str, body: Value) -> Reply {
        send(
            self.client
                .post(self.url(&format!("/accounts/{action}")))
                .header("x-ivy-api-key", TOKEN)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub(super) async fn list(&self, body: Value) -> Reply {
        self.call("list", body).await
    }

    /// Every account id, walking pages of 100.
    pub(super) async fn all_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        loop {
            let page = self.list(json!({"limit": 100, "skip": ids.len()})).await;
            assert_eq!(page.status, 200);
            ids.extend(page.ids());
            if !page.has_more() {
                return ids;
            }
        }
    }

    pub(super) fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

#[tokio::test]
async fn unknown_fault_is_rejected_with_the_known_names() {
    let opts = MockOptions {
        faults: vec!["no-such".into()],
        ..MockOptions::default()
    };
    let err = (super::API.app)(&opts).unwrap_err();
    assert!(
        err.contains("no-such") && err.contains("skip-gaps"),
        "{err}"
    );
}

#[tokio::test]
async fn api_is_registered() {
    let api = crate::mock::find("aggregator").unwrap();
    assert_eq!(api.base_path, "/api/services/data");
    assert_eq!(api.faults.len(), super::FAULTS.len());
}
