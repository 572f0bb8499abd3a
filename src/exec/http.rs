//! Sending one request and reading its response within a time limit and a size cap. Every way
//! a server can misbehave at the transport level (refused, silent, dropped, oversize, not UTF-8)
//! ends as a recorded response or a `HarnessError` with the evidence gathered so far.

use std::time::{Duration, Instant};

use super::policy::Tls;
use crate::exchange::RecordedResponse;
use crate::finding::HarnessErrorKind;

/// Limits for one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From sending until the end of the body.
    pub timeout: Duration,
    /// Largest body read; a larger one is a harness error.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_body: 10 * 1024 * 1024,
        }
    }
}

/// A built client: no redirects followed (a contract test must see them), rustls, no proxy
/// from the environment surprises beyond reqwest's defaults.
pub fn client(limits: &Limits) -> Result<reqwest::Client, String> {
    client_for(limits, None)
}

/// A client as [`client`] builds it, with a TLS client identity and extra trusted roots.
///
/// A client without TLS settings of its own is built once per runtime and connect timeout and
/// then shared (a clone shares the connection pool): building one loads the system's root
/// certificates, and a fresh pool opens every connection again. Pooled connections belong to
/// the runtime that opened them, so a client is only shared within its runtime.
pub fn client_for(limits: &Limits, tls: Option<&Tls>) -> Result<reqwest::Client, String> {
    shared_client(limits, tls, Speaks::Any)
}

/// A client for plain `http://` URLs alone, where it speaks HTTP/1.1 only. The client of
/// [`client_for`] keeps a copy of every request to send it again on its own when an HTTP/2
/// server refuses a stream or closes the connection gracefully; over HTTP/1.1 that never
/// happens, so this one keeps no copy.
pub fn plain_http_client(limits: &Limits) -> Result<reqwest::Client, String> {
    shared_client(limits, None, Speaks::Http1)
}

/// Which protocols a client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaks {
    /// HTTP/1.1, and HTTP/2 where the server offers it over TLS.
    Any,
    /// HTTP/1.1 only.
    Http1,
}

fn shared_client(
    limits: &Limits,
    tls: Option<&Tls>,
    speaks: Speaks,
) -> Result<reqwest::Client, String> {
    let connect_timeout = Duration::from_secs(10).min(limits.timeout);
    let plain = tls.is_none_or(|t| t.identity.is_none() && t.roots.is_empty());
    let runtime = tokio::runtime::Handle::try_current().map(|h| h.id());
    let (true, Ok(runtime)) = (plain, runtime) else {
        return build_client(connect_timeout, tls, speaks);
    };
    type Shared = Vec<(Duration, Speaks, tokio::runtime::Id, reqwest::Client)>;
    static SHARED: std::sync::Mutex<Shared> = std::sync::Mutex::new(Vec::new());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((.., c)) = shared
        .iter()
        .find(|(t, s, r, _)| *t == connect_timeout && *s == speaks && *r == runtime)
    {
        return Ok(c.clone());
    }
    let client = build_client(connect_timeout, None, speaks)?;
    shared.retain(|(t, s, ..)| (*t, *s) != (connect_timeout, speaks));
    shared.push((connect_timeout, speaks, runtime, client.clone()));
    Ok(client)
}

fn build_client(
    connect_timeout: Duration,
    tls: Option<&Tls>,
    speaks: Speaks,
) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .user_agent(concat!("accord/", env!("CARGO_PKG_VERSION")));
    if speaks == Speaks::Http1 {
        builder = builder
            .http1_only()
            .retry(reqwest::retry::never().max_retries_per_request(0));
    }
    if let Some(tls) = tls {
        if let Some(identity) = &tls.identity {
            builder = builder.identity(identity.clone());
        }
        if !tls.roots.is_empty() {
            builder = builder.tls_certs_merge(tls.roots.iter().cloned());
        }
    }
    builder
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {}", describe(&e)))
}

/// What came of sending.
#[derive(Debug)]
pub enum Sent {
    /// A complete response.
    Response(RecordedResponse, Duration),
    /// A failure; `partial` holds what arrived before it (status, headers, part of the body).
    Failed {
        kind: HarnessErrorKind,
        message: String,
        partial: Option<RecordedResponse>,
        elapsed: Duration,
    },
}

/// How much of an oversize body is kept as evidence.
const EVIDENCE_BYTES: usize = 64 * 1024;

/// Sends a request and reads the whole response under the limits.
pub async fn send(client: &reqwest::Client, req: reqwest::Request, limits: &Limits) -> Sent {
    let start = Instant::now();
    // What has arrived, kept outside the exchange so a timeout still has it as evidence.
    let mut head: Option<(u16, Vec<(String, String)>)> = None;
    let mut body: Vec<u8> = Vec::new();
    // One time limit for the whole exchange, from sending to the end of the body.
    let exchanged = exchange(client, req, limits, start, &mut head, &mut body);
    match tokio::time::timeout(limits.timeout, exchanged).await {
        Ok(sent) => sent,
        Err(_) => {
            let partial = head.map(|(status, headers)| {
                let received = body.len();
                record(
                    status,
                    headers,
                    body,
                    received,
                    Some("cut short: the body did not finish in time"),
                )
            });
            timeout(limits, partial, start)
        }
    }
}

/// Sends the request and reads the response, leaving its status and headers in `head` and
/// its body in `body` as they arrive.
async fn exchange(
    client: &reqwest::Client,
    req: reqwest::Request,
    limits: &Limits,
    start: Instant,
    head: &mut Option<(u16, Vec<(String, String)>)>,
    body: &mut Vec<u8>,
) -> Sent {
    let https = req.url().scheme() == "https";
    let mut resp = match client.execute(req).await {
        Err(e) => {
            let message = describe(&e);
            let hint = tls_hint(&message)
                .or_else(|| https.then(|| closed_after_handshake(&message)).flatten());
            let (kind, message) = if let Some(hint) = hint {
                (HarnessErrorKind::Tls, format!("{hint} ({message})"))
            } else if e.is_timeout() {
                (HarnessErrorKind::Timeout, message)
            } else if e.is_connect() {
                (HarnessErrorKind::Connect, message)
            } else {
                (HarnessErrorKind::Transport, message)
            };
            return Sent::Failed {
                kind,
                message,
                partial: None,
                elapsed: start.elapsed(),
            };
        }
        Ok(r) => r,
    };
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                // Header names come from the client in lower case already.
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // Sized from Content-Length when the server gives it, so a long body is not copied as it
    // grows; a length claimed past 1 MiB (or the cap) is not taken on trust.
    let expected = resp
        .content_length()
        .unwrap_or(0)
        .min(limits.max_body.min(1 << 20) as u64);
    body.reserve(expected as usize);
    *head = Some((status, headers));
    loop {
        match resp.chunk().await {
            Err(e) => {
                let (status, headers, body) = taken(head, body);
                let received = body.len();
                let partial = record(
                    status,
                    headers,
                    body,
                    received,
                    Some("cut short: the connection broke"),
                );
                return Sent::Failed {
                    kind: if e.is_timeout() {
                        HarnessErrorKind::Timeout
                    } else {
                        HarnessErrorKind::Transport
                    },
                    message: format!(
                        "the connection broke while reading the body after {} bytes: {}",
                        received,
                        describe(&e)
                    ),
                    partial: Some(partial),
                    elapsed: start.elapsed(),
                };
            }
            Ok(None) => break,
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limits.max_body {
                    let seen = body.len() + chunk.len();
                    let (status, headers, mut body) = taken(head, body);
                    body.extend_from_slice(
                        &chunk[..EVIDENCE_BYTES.saturating_sub(body.len()).min(chunk.len())],
                    );
                    body.truncate(EVIDENCE_BYTES);
                    let note = format!(
                        "cut at {} bytes: the body exceeds the {} byte cap",
                        body.len(),
                        limits.max_body
                    );
                    return Sent::Failed {
                        kind: HarnessErrorKind::BodyTooLarge,
                        message: format!(
                            "the body is larger than the {} byte cap (more than {seen} bytes arrived)",
                            limits.max_body
                        ),
                        partial: Some(record(status, headers, body, seen, Some(&note))),
                        elapsed: start.elapsed(),
                    };
                }
                body.extend_from_slice(&chunk);
            }
        }
    }
    let (status, headers, body) = taken(head, body);
    let n = body.len();
    Sent::Response(record(status, headers, body, n, None), start.elapsed())
}

/// The head and the body read so far, taken to be recorded.
fn taken(
    head: &mut Option<(u16, Vec<(String, String)>)>,
    body: &mut Vec<u8>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let (status, headers) = head.take().expect("the head arrived before the body");
    (status, headers, std::mem::take(body))
}

fn timeout(limits: &Limits, partial: Option<RecordedResponse>, start: Instant) -> Sent {
    Sent::Failed {
        kind: HarnessErrorKind::Timeout,
        message: format!(
            "no complete response within {:.1}s",
            limits.timeout.as_secs_f64()
        ),
        partial,
        elapsed: start.elapsed(),
    }
}

/// Builds a recorded response; bytes that are not UTF-8 are replaced and noted.
fn record(
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    received: usize,
    note: Option<&str>,
) -> RecordedResponse {
    // JSON is UTF-8 throughout, so a body that is not UTF-8 is not JSON either; one that is
    // is checked once here, not again by the parser for every string in it.
    let (text, utf8_note, json) = match String::from_utf8(body) {
        Ok(s) => {
            let json = crate::json::parse(&s);
            (s, None, json)
        }
        Err(e) => (
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Some(format!(
                "not valid UTF-8 (first bad byte at offset {}); shown with replacement characters",
                e.utf8_error().valid_up_to()
            )),
            None,
        ),
    };
    let body_note = match (note, utf8_note) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.map(str::to_owned).or(b),
    };
    RecordedResponse {
        status,
        headers,
        body: text,
        body_bytes: received,
        body_note,
        digest: None,
        json,
    }
}

/// What to do about a failed TLS handshake, read from the error chain (rustls names the alert
/// or the verification failure there); `None` when the failure is not about TLS.
fn tls_hint(message: &str) -> Option<&'static str> {
    const HINTS: &[(&str, &str)] = &[
        (
            "CertificateRequired",
            "the server requires a client certificate (mutual TLS): give the target's tls.client_cert and tls.client_key in the profile",
        ),
        (
            "alert: UnknownCA",
            "the server does not trust the client certificate (TLS alert UnknownCA): check the target's tls.client_cert",
        ),
        (
            "alert: BadCertificate",
            "the server refused the client certificate (TLS alert BadCertificate): check the target's tls.client_cert and tls.client_key",
        ),
        (
            "invalid peer certificate",
            "the server's certificate is not trusted: add its CA as the target's tls.ca in the profile",
        ),
        (
            "alert: HandshakeFailure",
            "the TLS handshake failed (alert HandshakeFailure): the server may require a client certificate or other TLS settings",
        ),
    ];
    HINTS
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, hint)| *hint)
}

/// A TLS 1.3 server that refuses the client's certificate sends its alert after the client has
/// finished the handshake; when the connection ends before the request is written, the HTTP
/// client reports only that it was not ready, and the alert is lost. On an https target that
/// is the mark of a refused (or missing) client certificate, so it says so, as a likelihood.
fn closed_after_handshake(message: &str) -> Option<&'static str> {
    message.contains("connection was not ready").then_some(
        "the TLS connection closed before the request could be sent: the server may require a client certificate (mutual TLS); check the target's tls.client_cert and tls.client_key in the profile",
    )
}

/// reqwest's error with its sources, which carry the useful part ("connection refused").
fn describe(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let s_msg = s.to_string();
        if !msg.contains(&s_msg) {
            msg.push_str(": ");
            msg.push_str(&s_msg);
        }
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_json_only_when_it_is_utf8_json() {
        let json = |body: &[u8]| record(200, Vec::new(), body.to_vec(), body.len(), None).json;
        assert_eq!(
            json(br#"{"a":"\u00e9"}"#),
            Some(serde_json::json!({"a": "\u{e9}"}))
        );
        assert_eq!(
            json(b"{\"a\":\"\xc3\xa9\"}"),
            Some(serde_json::json!({"a": "\u{e9}"}))
        );
        assert_eq!(json(b"{\"a\":\"\xff\"}"), None);
        assert_eq!(json(b"<html>"), None);
        let bad = record(200, Vec::new(), b"\xff{}".to_vec(), 3, None);
        assert_eq!((bad.json, bad.body.as_str()), (None, "\u{fffd}{}"));
    }

    #[test]
    fn tls_failures_say_what_to_fix() {
        let hint = tls_hint(
            "error sending request: client error (SendRequest): connection error: received fatal alert: CertificateRequired",
        );
        assert!(hint.is_some_and(|h| h.contains("tls.client_cert")));
        assert!(
            tls_hint("invalid peer certificate: UnknownIssuer")
                .is_some_and(|h| h.contains("tls.ca"))
        );
        assert_eq!(tls_hint("tcp connect error: Connection refused"), None);
        let lost = "client error (Canceled): operation was canceled: connection was not ready";
        assert!(
            closed_after_handshake(lost)
                .unwrap()
                .contains("tls.client_cert")
        );
        assert_eq!(closed_after_handshake("connection reset by peer"), None);
    }
}
