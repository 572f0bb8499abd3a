//! Sending a step's request the way its target needs: credentials first (an OAuth access
//! token into its variable), every attempt through its host's breaker and gate, transient failures
//! retried by the target's policy, and the access token renewed once when the API answers 401
//! to it.
//!
//! [`Sender`] sends any request under gates and retries (the token endpoint's too);
//! [`Transport`] is one target's sender plus its credentials, and [`Transport::send_step`] is
//! what the runner calls for each step.

use std::sync::Arc;
use std::time::Duration;

use super::breaker::Breaker;
use super::gate::{Gates, host_of_url, is_host_of};
use super::http::{self, Limits, Sent};
use super::request::Built;
use super::retry::{self, Next, RetryPolicy, Transient};
use super::{Target, policy::Policy};
use crate::exchange::Retried;
use crate::exec::oauth::{Issued, TokenSource};
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::redact::Redactor;
use crate::template::Vars;

/// Sends requests under a host's gate with a retry policy.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    /// The client for plain `http://` URLs, when the sender has one
    /// ([`http::plain_http_client`]).
    plain_http: Option<reqwest::Client>,
    /// The breaker of the target's own host (`host:port`), which nearly every request goes
    /// to: held here, it is not looked up in the run's shared table for each.
    home: Option<(String, Arc<Breaker>)>,
    limits: Limits,
    retry: RetryPolicy,
    gates: Arc<Gates>,
    redactor: Redactor,
}

/// What came of sending one request, perhaps several times.
#[derive(Debug)]
pub struct Delivery {
    /// The last attempt, or why no further attempt was made (`budget`, `unavailable`).
    pub sent: Sent,
    /// Attempts sent (0 when the budget refused the first).
    pub attempts: u32,
    /// Why each earlier attempt was sent again.
    pub retried: Vec<Retried>,
}

impl Sender {
    pub fn new(
        client: reqwest::Client,
        limits: Limits,
        retry: RetryPolicy,
        gates: Arc<Gates>,
        redactor: Redactor,
    ) -> Self {
        Sender {
            client,
            plain_http: None,
            home: None,
            limits,
            retry,
            gates,
            redactor,
        }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Sends `request`, again after each transient failure while the policy allows.
    /// `expected` holds the statuses the step asks for (never retried); `may_repeat_work` is
    /// false when a request that timed out may have changed state. Without retries every
    /// answer stands as it came, a 503 included, so the mocks' faults are judged exactly.
    pub async fn deliver(
        &self,
        request: reqwest::Request,
        expected: &[u16],
        may_repeat_work: bool,
    ) -> Delivery {
        let gate = self.gates.for_url(request.url()).cloned();
        let home = self
            .home
            .as_ref()
            .filter(|(host, _)| is_host_of(request.url(), host));
        let elsewhere = match home {
            Some(_) => None,
            None => self.gates.breaker(request.url()),
        };
        let breaker: Option<&Breaker> = home.map(|(_, b)| &**b).or(elsewhere.as_deref());
        let mut attempts = 0;
        let mut retried = Vec::new();
        let mut last: Option<Sent> = None;
        let mut request = Some(request);
        loop {
            // Without retries the one attempt takes the request itself; with them, each
            // attempt sends a copy.
            let copy = if self.retry.retries == 0 {
                request.take()
            } else {
                request.as_ref().and_then(reqwest::Request::try_clone)
            };
            let Some(copy) = copy else {
                return Delivery {
                    sent: failed(
                        HarnessErrorKind::InvalidRequest,
                        "the request body cannot be sent twice".into(),
                        None,
                    ),
                    attempts,
                    retried,
                };
            };
            let refused = if let Some(why) = breaker.as_ref().and_then(|b| b.admit().err()) {
                Some((HarnessErrorKind::Unavailable, why))
            } else if let Some(gate) = &gate {
                let refusal = gate.admit().await.err();
                refusal.map(|why| (HarnessErrorKind::Budget, why))
            } else {
                None
            };
            if let Some((kind, refusal)) = refused {
                let message = match attempts {
                    0 => refusal,
                    n => format!("{refusal} (after {n} attempt{})", plural(n)),
                };
                return Delivery {
                    sent: failed(kind, message, last.and_then(response)),
                    attempts,
                    retried,
                };
            }
            attempts += 1;
            let client = match &self.plain_http {
                Some(plain) if copy.url().scheme() == "http" => plain,
                _ => &self.client,
            };
            let sent = http::send(client, copy, &self.limits).await;
            if let Some(b) = &breaker {
                b.record(&sent);
            }
            if self.retry.retries == 0 {
                return Delivery {
                    sent,
                    attempts,
                    retried,
                };
            }
            let Some(failure) = retry::transient(&sent, expected, may_repeat_work) else {
                return Delivery {
                    sent,
                    attempts,
                    retried,
                };
            };
            match self.retry.next(attempts, &failure) {
                Next::Wait(wait) => {
                    retried.push(Retried {
                        reason: self.redactor.text(&failure.reason),
                        wait_ms: wait.as_millis() as u64,
                    });
                    tokio::time::sleep(wait).await;
                    last = Some(sent);
                }
                Next::Stop(why) => {
                    return Delivery {
                        sent: give_up(sent, &failure, attempts, &why),
                        attempts,
                        retried,
                    };
                }
            }
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn failed(
    kind: HarnessErrorKind,
    message: String,
    partial: Option<crate::exchange::RecordedResponse>,
) -> Sent {
    Sent::Failed {
        kind,
        message,
        partial,
        elapsed: Duration::ZERO,
    }
}

fn response(sent: Sent) -> Option<crate::exchange::RecordedResponse> {
    match sent {
        Sent::Response(r, _) => Some(r),
        Sent::Failed { partial, .. } => partial,
    }
}

/// The last transient failure as the harness error it becomes: a server that stays busy is
/// `unavailable` (it could not be tested, it did not break a rule); a lost connection keeps
/// its kind, with the attempts told when there were several.
fn give_up(sent: Sent, failure: &Transient, attempts: u32, why: &str) -> Sent {
    match sent {
        Sent::Response(r, elapsed) => Sent::Failed {
            kind: HarnessErrorKind::Unavailable,
            message: format!(
                "gave up after {attempts} attempt{}: the last got {}; {why}",
                plural(attempts),
                failure.reason
            ),
            partial: Some(r),
            elapsed,
        },
        Sent::Failed {
            kind,
            message,
            partial,
            elapsed,
        } if attempts > 1 => Sent::Failed {
            kind,
            message: format!("{message} (gave up after {attempts} attempts; {why})"),
            partial,
            elapsed,
        },
        other => other,
    }
}

/// One target's sender and credentials for a run.
#[derive(Debug, Clone)]
pub struct Transport {
    sender: Sender,
    tokens: Option<Arc<TokenSource>>,
}

impl Transport {
    /// The transport of a target for one run, with its own client (its TLS identity).
    pub fn new(target: &Target, gates: Arc<Gates>, redactor: &Redactor) -> Result<Self, String> {
        let client = http::client_for(&target.limits, target.policy.tls.as_ref())?;
        let mut transport = Transport::with_client(client, target, gates, redactor);
        transport.sender.plain_http = Some(http::plain_http_client(&target.limits)?);
        Ok(transport)
    }

    /// The transport of a target over an existing client.
    pub fn with_client(
        client: reqwest::Client,
        target: &Target,
        gates: Arc<Gates>,
        redactor: &Redactor,
    ) -> Self {
        let policy: &Policy = &target.policy;
        let home = url::Url::parse(&target.base_url).ok().and_then(|url| {
            let host = host_of_url(&url)?;
            Some((host, gates.breaker(&url)?))
        });
        let mut sender = Sender::new(
            client,
            target.limits,
            RetryPolicy::with_retries(policy.retries),
            gates,
            redactor.clone(),
        );
        sender.home = home;
        Transport {
            sender,
            tokens: policy.oauth2.clone().map(|c| Arc::new(TokenSource::new(c))),
        }
    }

    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// The target's token source, when it obtains OAuth access tokens.
    pub fn tokens(&self) -> Option<&TokenSource> {
        self.tokens.as_deref()
    }

    /// Sends one step: credentials into `vars`, the request `build` makes from them, retries
    /// as the policy allows, and one renewal of the access token on a 401 that refused it.
    /// Returns the request as last built and what came of sending it, or why nothing was sent
    /// (the request could not be built, or credentials not obtained).
    pub async fn send_step<'s>(
        &self,
        vars: &mut Vars,
        expected: &[u16],
        may_repeat_work: bool,
        build: impl Fn(&Vars) -> Result<Built<'s>, HarnessError>,
    ) -> Result<(Built<'s>, Delivery), HarnessError> {
        let issued = self.credentials(vars).await?;
        let mut refused_round: Option<Delivery> = None;
        loop {
            let mut built = build(vars)?;
            let mut delivery = self
                .sender
                .deliver(built.take_request(), expected, may_repeat_work)
                .await;
            if let Some(first) = refused_round.take() {
                delivery.attempts += first.attempts;
                let mut retried = first.retried;
                retried.append(&mut delivery.retried);
                delivery.retried = retried;
                return Ok((built, delivery));
            }
            let refused = match (&issued, &delivery.sent) {
                (Some(token), Sent::Response(r, _))
                    if r.status == 401 && !expected.contains(&401) && carries(&built, token) =>
                {
                    token.generation
                }
                _ => return Ok((built, delivery)),
            };
            let Some(tokens) = &self.tokens else {
                return Ok((built, delivery));
            };
            match tokens.renew_after_refusal(refused, &self.sender).await {
                Ok(Some(renewed)) => {
                    install(tokens, vars, &renewed);
                    delivery.retried.push(Retried {
                        reason: "HTTP 401 Unauthorized to the access token: fetched a new one"
                            .into(),
                        wait_ms: 0,
                    });
                    refused_round = Some(delivery);
                }
                Ok(None) => return Ok((built, delivery)),
                Err(message) => return Err(auth_error(message)),
            }
        }
    }

    /// Puts the current access token into its variable (and into the variables built from an
    /// earlier one); `None` when the target obtains no tokens.
    pub async fn credentials(&self, vars: &mut Vars) -> Result<Option<Issued>, HarnessError> {
        let Some(tokens) = &self.tokens else {
            return Ok(None);
        };
        let issued = tokens.current(&self.sender).await.map_err(auth_error)?;
        install(tokens, vars, &issued);
        Ok(Some(issued))
    }
}

fn install(tokens: &TokenSource, vars: &mut Vars, issued: &Issued) {
    let name = &tokens.config().variable;
    if let Some(serde_json::Value::String(old)) = vars.get(name)
        && old != issued.value
    {
        vars.replace_text(&old, &issued.value);
    }
    vars.set(
        name.clone(),
        serde_json::Value::String(issued.value.clone()),
    );
}

fn auth_error(message: String) -> HarnessError {
    HarnessError {
        kind: HarnessErrorKind::Auth,
        step: 0,
        message,
        curl: None,
    }
}

/// True when the request carries the token: a refusal is only the token's fault then.
fn carries(built: &Built<'_>, token: &Issued) -> bool {
    let t = token.value.as_str();
    built.url.contains(t)
        || built.headers.iter().any(|(_, v)| v.contains(t))
        || built.body.as_deref().is_some_and(|b| b.contains(t))
}
