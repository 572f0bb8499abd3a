//! Tests of the Akahu mock over real TCP on loopback: the conformant behaviour rule by rule, and
//! for every fault switch the one difference it makes.

mod conformant;
mod faults;

use std::net::SocketAddr;

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::APP_ID;
use crate::mock::{MockOptions, RunningMock, serve};

pub(super) const TOKEN: &str = "test-user-token";
pub(super) const ACCOUNTS: &str = "/accounts";

/// A mock serving on `127.0.0.1:0` plus a client for it.
pub(super) struct Mock {
    running: RunningMock,
    pub(super) client: reqwest::Client,
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

    pub(super) fn items(&self) -> &Vec<Value> {
        self.body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items in {}", self.body))
    }

    /// Whether this is an error body: `success: false` and a string `message`.
    pub(super) fn is_error_body(&self) -> bool {
        self.body["success"] == false && self.body["message"].is_string()
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

    /// A request without any header.
    pub(super) fn bare(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    /// A request with the app id but no user token.
    pub(super) fn app_only(&self, path: &str) -> reqwest::RequestBuilder {
        self.bare(path).header("x-akahu-id", APP_ID)
    }

    /// A request with the user token and the app id.
    pub(super) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.app_only(path).bearer_auth(TOKEN)
    }

    pub(super) async fn fetch(&self, path: &str) -> Reply {
        send(self.get(path)).await
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

/// The accounts of `seed` as the conformant mock serves them, for expected values.
pub(super) fn dataset(seed: u64) -> Vec<Value> {
    super::data::generate(seed)
        .iter()
        .map(|a| serde_json::to_value(a).unwrap())
        .collect()
}

#[tokio::test]
async fn unknown_fault_is_rejected_with_the_known_names() {
    let opts = MockOptions {
        faults: vec!["no-such".into()],
        ..MockOptions::default()
    };
    let err = (super::API.app)(&opts).unwrap_err();
    assert!(
        err.contains("no-such") && err.contains("missing-id"),
        "{err}"
    );
}

#[tokio::test]
async fn api_is_registered() {
    let api = crate::mock::find("akahu").unwrap();
    assert_eq!(api.base_path, "/v1");
    assert_eq!(api.faults.len(), super::FAULTS.len());
}
