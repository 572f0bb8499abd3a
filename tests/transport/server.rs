//! A sandbox-like server for the transport tests, on loopback over HTTP or mutual TLS: an API
//! at `/api/item?mode=...` (see tests/fixtures/transport/suite.yaml) and an OAuth token
//! endpoint at `/oauth/token`, counting every request it sees.
//!
//! Modes: `ok` (checks the credential), `slow` (answers after 1.5 s), `revoke` (refuses the
//! first token it sees once with 401), `flaky` (503 with `Retry-After: 1` twice, then 200),
//! `down` (always 503 with `Retry-After: 1`), `echo` (returns every request header).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// How the server authenticates callers.
#[derive(Clone, Default)]
pub struct Config {
    /// The bearer token the API accepts; `None` with `oauth` unset accepts any.
    pub static_token: Option<String>,
    /// Issue tokens at `/oauth/token` to this client (id, secret), valid for `lifetime`.
    pub oauth: Option<(String, String)>,
    pub lifetime: Duration,
    /// The token endpoint refuses every request, echoing what it was sent.
    pub token_endpoint_fails: bool,
}

/// What the server saw.
#[derive(Default)]
pub struct Counts {
    /// Requests to the API.
    pub api: AtomicUsize,
    /// Requests to the token endpoint.
    pub token: AtomicUsize,
    /// 401 answers the API gave.
    pub refused: AtomicUsize,
    /// Every access token the token endpoint issued.
    pub issued: Mutex<Vec<String>>,
    flaky: AtomicUsize,
    revoked_once: AtomicBool,
}

struct Inner {
    config: Config,
    counts: Arc<Counts>,
    issued: Mutex<HashMap<String, Instant>>,
    revoked: Mutex<Vec<String>>,
}

/// A running server.
pub struct Server {
    pub base_url: String,
    pub token_url: String,
    pub counts: Arc<Counts>,
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn app(config: Config) -> (Router, Arc<Counts>) {
    let counts = Arc::new(Counts::default());
    let inner = Arc::new(Inner {
        config,
        counts: counts.clone(),
        issued: Mutex::new(HashMap::new()),
        revoked: Mutex::new(Vec::new()),
    });
    let router = Router::new()
        .route("/api/item", get(item))
        .route("/oauth/token", post(token))
        .with_state(inner);
    (router, counts)
}

/// Serves over plain HTTP on loopback.
pub fn plain(config: Config) -> Server {
    let (router, counts) = app(config);
    let listener = runtime()
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime().spawn(async move { axum::serve(listener, router).await });
    Server {
        base_url: format!("http://{addr}/api"),
        token_url: format!("http://{addr}/oauth/token"),
        counts,
    }
}

/// Serves over TLS on loopback, requiring a client certificate from the test CA.
pub fn mutual_tls(config: Config, fixtures: &std::path::Path) -> Server {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let ca = CertificateDer::from_pem_file(fixtures.join("ca.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
        .build()
        .unwrap();
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(fixtures.join("server.pem"))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_file(fixtures.join("server-key.pem")).unwrap();
    let mut tls = rustls::ServerConfig::builder()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .unwrap();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let (router, counts) = app(config);
    let tcp = runtime()
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = tcp.local_addr().unwrap();
    let listener = TlsListener {
        tcp,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(tls)),
    };
    runtime().spawn(async move { axum::serve(listener, router).await });
    Server {
        base_url: format!("https://localhost:{}/api", addr.port()),
        token_url: format!("https://localhost:{}/oauth/token", addr.port()),
        counts,
    }
}

/// TCP connections that complete a TLS handshake; the others are dropped.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                continue;
            };
            match self.acceptor.accept(stream).into_fallible().await {
                Ok(tls) => return (tls, addr),
                // Closing at once, with the client's first request still unread, would make
                // the kernel answer with a reset that can overtake the TLS alert already
                // sent; reading until the client hangs up lets the alert arrive first.
                Err((_, mut io)) => {
                    tokio::spawn(async move {
                        use tokio::io::AsyncReadExt;
                        let mut sink = [0u8; 4096];
                        let drain =
                            async { while matches!(io.read(&mut sink).await, Ok(n) if n > 0) {} };
                        let _ =
                            tokio::time::timeout(std::time::Duration::from_secs(5), drain).await;
                    });
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
}

impl Inner {
    /// True when the request's bearer token is one the server accepts now.
    fn accepts(&self, headers: &HeaderMap) -> bool {
        let presented = bearer(headers);
        if self.config.oauth.is_some() {
            let Some(token) = presented else { return false };
            if self.revoked.lock().unwrap().contains(&token) {
                return false;
            }
            return self
                .issued
                .lock()
                .unwrap()
                .get(&token)
                .is_some_and(|at| at.elapsed() < self.config.lifetime);
        }
        match &self.config.static_token {
            Some(t) => presented.as_deref() == Some(t.as_str()),
            None => true,
        }
    }
}

async fn item(
    State(s): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    s.counts.api.fetch_add(1, Ordering::SeqCst);
    let mode = q.get("mode").map(String::as_str).unwrap_or("");
    let busy = || {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "busy",
        )
            .into_response()
    };
    match mode {
        "flaky" if s.counts.flaky.fetch_add(1, Ordering::SeqCst) < 2 => return busy(),
        "down" => return busy(),
        "revoke" if !s.counts.revoked_once.swap(true, Ordering::SeqCst) => {
            if let Some(t) = bearer(&headers) {
                s.revoked.lock().unwrap().push(t);
            }
        }
        _ => {}
    }
    if !s.accepts(&headers) {
        s.counts.refused.fetch_add(1, Ordering::SeqCst);
        return json(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({"error": "invalid_token"}),
        );
    }
    if mode == "slow" {
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    if mode == "echo" {
        let all: Vec<String> = headers
            .iter()
            .map(|(n, v)| format!("{n}={}", String::from_utf8_lossy(v.as_bytes())))
            .collect();
        let all = all.join("; ");
        return (
            [(header::HeaderName::from_static("x-echo"), all.clone())],
            axum::Json(serde_json::json!({ "id": all })),
        )
            .into_response();
    }
    json(StatusCode::OK, serde_json::json!({"id": "item-1"}))
}

async fn token(State(s): State<Arc<Inner>>, headers: HeaderMap, body: String) -> Response {
    let n = s.counts.token.fetch_add(1, Ordering::SeqCst) + 1;
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if s.config.token_endpoint_fails {
        return json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({
                "error": "invalid_client",
                "error_description": format!("rejected {presented} with {body}"),
            }),
        );
    }
    let Some((id, secret)) = &s.config.oauth else {
        return json(StatusCode::NOT_FOUND, serde_json::json!({}));
    };
    let expected = format!("Basic {}", base64(format!("{id}:{secret}").as_bytes()));
    if presented != expected
        || form.get("grant_type").map(String::as_str) != Some("client_credentials")
    {
        return json(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({"error": "invalid_client"}),
        );
    }
    let value = format!("issued-{n}-{}", uuid::Uuid::new_v4().simple());
    s.issued
        .lock()
        .unwrap()
        .insert(value.clone(), Instant::now());
    s.counts.issued.lock().unwrap().push(value.clone());
    json(
        StatusCode::OK,
        serde_json::json!({
            "access_token": value,
            "token_type": "Bearer",
            "expires_in": s.config.lifetime.as_secs(),
        }),
    )
}

/// Standard base64 with padding, enough to check HTTP Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn base64_matches_the_rfc_examples() {
    assert_eq!(base64(b"foob"), "Zm9vYg==");
    assert_eq!(base64(b"fooba"), "Zm9vYmE=");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
}
