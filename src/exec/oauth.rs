//! Credentials accord obtains for a target by itself: OAuth 2.0 access tokens by the
//! client-credentials grant (RFC 6749 §4.4).
//!
//! A suite states how its API takes a credential (`authorization: "Bearer {{token}}"`); the
//! profile states how to obtain it. A [`TokenSource`] fetches a token before the first request
//! of its API, hands the same token to every case, fetches a new one once `expires_in` has
//! passed, and once more when the API answers 401 to a request that carried it. The token
//! joins the run's redactor the moment it arrives, and the token endpoint's answers are never
//! recorded as evidence: an error says what went wrong with its secrets masked. A token
//! endpoint that failed is not asked again in the same run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::exec::http::Sent;
use crate::exec::transport::Sender;
use crate::profile::ClientAuth;
use crate::redact::Secret;

/// Longest part of a token endpoint's error body quoted in a message.
const ERROR_BODY_MAX: usize = 300;

/// A client-credentials grant, resolved from the profile.
#[derive(Debug, Clone)]
pub struct OAuth2Config {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// Space-separated scopes to ask for.
    pub scope: Option<String>,
    /// The suite variable the access token fills.
    pub variable: String,
    pub client_auth: ClientAuth,
    /// More form fields (`audience`, `resource`).
    pub params: Vec<(String, String)>,
}

/// An access token and the fetch it came from (later fetches have higher generations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub value: String,
    pub generation: u64,
}

/// Fetches and caches access tokens for one target.
#[derive(Debug)]
pub struct TokenSource {
    config: OAuth2Config,
    state: tokio::sync::Mutex<State>,
    fetches: AtomicU64,
}

#[derive(Debug, Default)]
struct State {
    held: Option<Held>,
    generation: u64,
    /// Why the last fetch failed; the endpoint is not asked again in this run.
    failure: Option<String>,
}

#[derive(Debug)]
struct Held {
    value: String,
    /// When to fetch a new token; `None` when the server gave no lifetime.
    renew_at: Option<Instant>,
    /// Fetched because the API refused the token before it.
    after_refusal: bool,
}

impl TokenSource {
    pub fn new(config: OAuth2Config) -> Self {
        TokenSource {
            config,
            state: tokio::sync::Mutex::new(State::default()),
            fetches: AtomicU64::new(0),
        }
    }

    pub fn config(&self) -> &OAuth2Config {
        &self.config
    }

    /// Requests made to the token endpoint so far (each attempt counts).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }

    /// The token to send now: the cached one while it lasts, else a new one. Concurrent
    /// callers wait for one fetch rather than each making their own.
    pub async fn current(&self, sender: &Sender) -> Result<Issued, String> {
        let mut state = self.state.lock().await;
        if let Some(held) = &state.held
            && fresh(held)
        {
            return Ok(Issued {
                value: held.value.clone(),
                generation: state.generation,
            });
        }
        self.fetch_into(&mut state, sender, false).await
    }

    /// After the API answered 401 to a request carrying token `generation`: a newer token to
    /// try, or `None` when another would not help because the refused token was itself
    /// fetched after a refusal.
    pub async fn renew_after_refusal(
        &self,
        generation: u64,
        sender: &Sender,
    ) -> Result<Option<Issued>, String> {
        let mut state = self.state.lock().await;
        let refused_is_current = state.generation == generation;
        match &state.held {
            Some(held) if !refused_is_current && fresh(held) => Ok(Some(Issued {
                value: held.value.clone(),
                generation: state.generation,
            })),
            Some(held) if refused_is_current && held.after_refusal => Ok(None),
            _ => self
                .fetch_into(&mut state, sender, refused_is_current)
                .await
                .map(Some),
        }
    }

    /// Fetches a token into the state. A failure is remembered: every later case of the run
    /// gets the same error instead of asking a failing endpoint again (it was retried already
    /// if the failure looked transient).
    async fn fetch_into(
        &self,
        state: &mut State,
        sender: &Sender,
        after_refusal: bool,
    ) -> Result<Issued, String> {
        if let Some(failure) = &state.failure {
            return Err(format!("{failure} (not asked again in this run)"));
        }
        let (value, lifetime) = match self.fetch(sender).await {
            Ok(fetched) => fetched,
            Err(e) => {
                state.failure = Some(e.clone());
                return Err(e);
            }
        };
        let now = Instant::now();
        state.generation += 1;
        state.held = Some(Held {
            value: value.clone(),
            renew_at: lifetime.map(|l| now + l.saturating_sub(early_by(l))),
            after_refusal,
        });
        Ok(Issued {
            value,
            generation: state.generation,
        })
    }

    /// One token request; the token is added to the redactor before anything else.
    async fn fetch(&self, sender: &Sender) -> Result<(String, Option<Duration>), String> {
        let c = &self.config;
        let request = token_request(c, sender.client())?;
        let delivery = sender.deliver(request, &[], true).await;
        self.fetches
            .fetch_add(u64::from(delivery.attempts), Ordering::SeqCst);
        let redact = |text: &str| sender.redactor().text(text);
        let response = match delivery.sent {
            Sent::Response(r, _) => r,
            Sent::Failed { kind, message, .. } => {
                return Err(redact(&format!(
                    "no access token from {}: [{}] {message}",
                    c.token_url,
                    kind.as_str()
                )));
            }
        };
        let json = response.json.as_ref();
        let token = json
            .and_then(|j| j.get("access_token"))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty());
        match token {
            Some(token) if (200..300).contains(&response.status) => {
                sender.redactor().add(token.to_owned());
                let lifetime = json.and_then(|j| j.get("expires_in")).and_then(seconds);
                Ok((token.to_owned(), lifetime))
            }
            _ if (200..300).contains(&response.status) => Err(format!(
                "no access token from {}: HTTP {} without an access_token",
                c.token_url, response.status
            )),
            _ => Err(redact(&format!(
                "no access token from {}: HTTP {}{}",
                c.token_url,
                response.status,
                error_detail(json, &response.body)
            ))),
        }
    }
}

/// True while a held token need not be renewed.
fn fresh(held: &Held) -> bool {
    held.renew_at.is_none_or(|at| Instant::now() < at)
}

/// The token request: a form POST, with the client's credentials as HTTP Basic or as fields.
fn token_request(c: &OAuth2Config, client: &reqwest::Client) -> Result<reqwest::Request, String> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials");
    if let Some(scope) = &c.scope {
        form.append_pair("scope", scope);
    }
    for (k, v) in &c.params {
        form.append_pair(k, v);
    }
    let mut rb = client
        .post(&c.token_url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json");
    match c.client_auth {
        ClientAuth::Basic => {
            rb = rb.basic_auth(
                form_encode(&c.client_id),
                Some(form_encode(c.client_secret.expose())),
            );
        }
        ClientAuth::Body => {
            form.append_pair("client_id", &c.client_id);
            form.append_pair("client_secret", c.client_secret.expose());
        }
    }
    rb.body(form.finish())
        .build()
        .map_err(|e| format!("cannot build the token request to {}: {e}", c.token_url))
}

/// How long before the end of its life a token is renewed: a tenth of it, at most 30 s, so a
/// request never leaves with a token that expires on the way.
fn early_by(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(30))
}

/// `expires_in` as a duration: a number, or a string of digits as some servers send.
fn seconds(v: &Value) -> Option<Duration> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite() && *s >= 0.0)
    .map(Duration::from_secs_f64)
}

/// `: invalid_client (Client authentication failed)` from an RFC 6749 §5.2 error body, else
/// the start of the body.
fn error_detail(json: Option<&Value>, body: &str) -> String {
    let field = |name: &str| json.and_then(|j| j.get(name)).and_then(Value::as_str);
    match (field("error"), field("error_description")) {
        (Some(e), Some(d)) => format!(": {e} ({d})"),
        (Some(e), None) => format!(": {e}"),
        _ if body.trim().is_empty() => String::new(),
        _ => {
            let cut: String = body.trim().chars().take(ERROR_BODY_MAX).collect();
            let more = if cut.len() < body.trim().len() {
                "..."
            } else {
                ""
            };
            format!(": {cut}{more}")
        }
    }
}

/// RFC 6749 §2.3.1: client id and secret are form-encoded before HTTP Basic.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lifetimes_come_as_numbers_or_digit_strings() {
        assert_eq!(seconds(&json!(3600)), Some(Duration::from_secs(3600)));
        assert_eq!(seconds(&json!("60")), Some(Duration::from_secs(60)));
        assert_eq!(seconds(&json!(-1)), None);
        assert_eq!(seconds(&json!(null)), None);
    }

    #[test]
    fn tokens_are_renewed_a_little_early() {
        assert_eq!(early_by(Duration::from_secs(1)), Duration::from_millis(100));
        assert_eq!(early_by(Duration::from_secs(3600)), Duration::from_secs(30));
    }

    #[test]
    fn error_bodies_are_summarised() {
        let j = json!({"error": "invalid_client", "error_description": "bad secret"});
        assert_eq!(error_detail(Some(&j), ""), ": invalid_client (bad secret)");
        assert_eq!(error_detail(None, "  "), "");
        let long = "x".repeat(400);
        let d = error_detail(None, &long);
        assert!(
            d.ends_with("...") && d.len() == 2 + ERROR_BODY_MAX + 3,
            "{d}"
        );
    }

    #[test]
    fn basic_credentials_are_form_encoded() {
        assert_eq!(form_encode("a b:c/d"), "a+b%3Ac%2Fd");
    }
}
