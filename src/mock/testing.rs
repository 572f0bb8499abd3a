//! The harness the mocks' tests share: a mock serving on `127.0.0.1:0` with a client for it
//! ([`Loopback`]), and responses recorded as status, headers and body ([`Reply`]).
//!
//! Each mock's test module adds what differs per API on top: the requests it builds (token
//! header, version header, method) and the readers of its body shape.

use std::net::SocketAddr;

use axum::Router;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{MockApi, MockOptions, RunningMock, serve, serve_router};

/// Options for a test mock accepting `token`, on data seed `seed`, with `faults` on.
pub(crate) fn options(token: &str, seed: u64, faults: &[&str]) -> MockOptions {
    MockOptions {
        token: token.into(),
        data_seed: seed,
        faults: faults.iter().map(|f| f.to_string()).collect(),
        records: None,
    }
}

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A mock serving on `127.0.0.1:0` plus a client for it.
pub(crate) struct Loopback {
    running: RunningMock,
    client: reqwest::Client,
}

impl Loopback {
    /// Serves `api` with `opts`.
    pub(crate) async fn start(api: &MockApi, opts: &MockOptions) -> Loopback {
        Loopback::new(serve(api, opts, any_port()).await.unwrap())
    }

    /// Serves a router built by the test (for options `MockOptions` does not carry).
    pub(crate) async fn start_router(app: Router, base_path: &str) -> Loopback {
        Loopback::new(serve_router(app, base_path, any_port()).await.unwrap())
    }

    fn new(running: RunningMock) -> Loopback {
        Loopback {
            running,
            client: reqwest::Client::new(),
        }
    }

    /// Scheme and authority, e.g. `http://127.0.0.1:40123`.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.running.addr)
    }

    /// The URL of `path_and_query` under the mock's base path.
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.running.base_url)
    }

    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Stops the server and waits for it.
    pub(crate) async fn stop(self) {
        self.running.stop().await;
    }
}

/// A recorded response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    /// The body as JSON; a body that is not JSON is kept as a JSON string.
    pub(crate) body: Value,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Content-Type`, "" when there is none.
    pub(crate) fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

/// Sends `request` and records the response; the mock must answer.
pub(crate) async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}
