//! Tests of the PIR mock over real TCP on loopback: the conformant behaviour rule by rule, and
//! for every fault switch the one difference it makes.

mod conformant;
mod faults;

use serde_json::Value;

use crate::mock::MockOptions;

pub(super) const TOKEN: &str = "test-token";
/// Persona with a 28% rate in every year from 2019.
pub(super) const RATE_28: &str = "139276507";
/// Persona neither caller may see.
pub(super) const NO_ACCESS: &str = "139276329";
/// Eight-digit persona without a rate.
pub(super) const NO_RATE: &str = "87654321";
/// The mock's KiwiSaver scheme.
pub(super) const SCHEME: &str = "094123453";

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub(super) enum Auth {
    None,
    Bearer,
    /// The issued JWT with a null `startLogon`.
    Jwt,
    /// The issued JWT whose `startLogon` is the tax preparer's myIR user.
    StartLogon,
    Raw(&'static str),
}

/// A credential the mock issues for [`TOKEN`].
pub(super) fn credential(name: &str) -> String {
    let opts = MockOptions {
        token: TOKEN.into(),
        ..MockOptions::default()
    };
    super::request::credentials(&opts)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no credential {name}"))
}

/// A mock serving on `127.0.0.1:0` plus a client for it.
pub(super) struct Mock {
    base_url: String,
    client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A recorded response.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) content_type: String,
    pub(super) body: Value,
}

impl Reply {
    /// The `code` of the first error object.
    pub(super) fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }
}

impl Mock {
    /// The conformant mock (empty `faults`) or a faulty one, on data seed 1.
    pub(super) async fn start(faults: &[&str]) -> Mock {
        Mock::build(1, faults, super::limit::DAILY_QUERY_LIMIT).await
    }

    pub(super) async fn build(seed: u64, faults: &[&str], limit: usize) -> Mock {
        let opts = MockOptions {
            token: TOKEN.into(),
            data_seed: seed,
            faults: faults.iter().map(|f| f.to_string()).collect(),
            records: None,
        };
        let app = super::router(&opts, limit).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Mock {
            base_url: format!("http://{addr}{}", super::BASE_PATH),
            client: reqwest::Client::new(),
            shutdown: Some(tx),
        }
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// POSTs `body` (raw text) to `/pir`.
    pub(super) async fn post_raw(&self, auth: Auth, body: &str) -> Reply {
        let mut rb = self.client.post(self.url("/pir")).body(body.to_string());
        rb = match auth {
            Auth::None => rb,
            Auth::Bearer => rb.bearer_auth(TOKEN),
            Auth::Jwt => rb.header("authorization", credential("jwt")),
            Auth::StartLogon => rb.header("authorization", credential("jwt_start_logon")),
            Auth::Raw(v) => rb.header("authorization", v),
        };
        send(rb).await
    }

    /// POSTs a JSON body to `/pir`.
    pub(super) async fn post(&self, auth: Auth, body: Value) -> Reply {
        self.post_raw(auth, &body.to_string()).await
    }

    pub(super) fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

pub(super) async fn send(rb: reqwest::RequestBuilder) -> Reply {
    let resp = rb.send().await.expect("the mock answers");
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = resp.text().await.unwrap_or_default();
    Reply {
        status,
        content_type,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}
