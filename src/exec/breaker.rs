//! The circuit breaker a run keeps towards each host (host and port): after
//! [`TRIP_AFTER`] connect failures or timeouts in a row, with no answer between them, the host is
//! taken for dead and the run's remaining requests to it are not sent. Each of them becomes an
//! `unavailable` harness error at once, instead of waiting out its own timeout, so a dead or
//! dripping sandbox ends the run in about one or two request timeouts, not in
//! requests × timeout ÷ concurrency.
//!
//! Any answer (whatever its status) resets the count: a host that answers slowly now and then
//! is not dead. The breaker sits in front of the host's [`Gate`](super::gate::Gate): a request it
//! refuses spends none of the budget, and a retry of a failed attempt passes it again, so
//! retries stop as soon as the host is taken for dead.
//!
//! [`Breakers`] holds one [`Breaker`] per host, made when a host is first used.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::gate::host_of_url;
use super::http::Sent;
use crate::finding::{HarnessError, HarnessErrorKind};

/// Connect failures or timeouts in a row that take a host for dead.
pub const TRIP_AFTER: u32 = 3;

/// One host's breaker.
#[derive(Debug)]
pub struct Breaker {
    host: String,
    failures: AtomicU32,
    tripped: OnceLock<String>,
    refused: AtomicU64,
}

impl Breaker {
    pub fn new(host: impl Into<String>) -> Self {
        Breaker {
            host: host.into(),
            failures: AtomicU32::new(0),
            tripped: OnceLock::new(),
            refused: AtomicU64::new(0),
        }
    }

    /// `Err` with the reason when the host is taken for dead: the request must not be sent.
    pub fn admit(&self) -> Result<(), String> {
        match self.tripped.get() {
            Some(why) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                Err(why.clone())
            }
            None => Ok(()),
        }
    }

    /// Counts one attempt's outcome: a connect failure or timeout adds to the run of
    /// failures, anything that came back from the server ends it.
    pub fn record(&self, sent: &Sent) {
        match sent {
            Sent::Failed {
                kind: kind @ (HarnessErrorKind::Connect | HarnessErrorKind::Timeout),
                message,
                ..
            } => {
                let n = self.failures.fetch_add(1, Ordering::SeqCst) + 1;
                if n >= TRIP_AFTER {
                    let _ = self.tripped.set(format!(
                        "not sent: {} is taken for dead after {n} requests in a row got no answer (the last: {}: {message})",
                        self.host,
                        kind.as_str()
                    ));
                }
            }
            _ => {
                // Read first: every answer comes here, from every task at once, and a write
                // that changes nothing would still take the counter from the other cores.
                if self.tripped.get().is_none() && self.failures.load(Ordering::SeqCst) != 0 {
                    self.failures.store(0, Ordering::SeqCst);
                }
            }
        }
    }

    /// The reason the breaker tripped, if it did.
    pub fn tripped(&self) -> Option<&str> {
        self.tripped.get().map(String::as_str)
    }

    /// Requests refused since the breaker tripped.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

/// The breakers of a run, by host.
#[derive(Debug, Default)]
pub struct Breakers {
    by_host: Mutex<HashMap<String, Arc<Breaker>>>,
}

impl Breakers {
    /// The breaker of the URL's host, made on first use; `None` for a URL without a host.
    pub fn for_url(&self, url: &url::Url) -> Option<Arc<Breaker>> {
        let host = host_of_url(url)?;
        let mut by_host = self.by_host.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = by_host.get(&host) {
            return Some(Arc::clone(b));
        }
        let b = Arc::new(Breaker::new(host.clone()));
        by_host.insert(host, Arc::clone(&b));
        Some(b)
    }

    /// Ends the message of every error a tripped breaker caused with how many requests to
    /// its host were not sent in the whole run, so each report says it.
    pub fn tell_refusals<'a>(&self, errors: impl IntoIterator<Item = &'a mut HarnessError>) {
        let by_host = self.by_host.lock().unwrap_or_else(|e| e.into_inner());
        let tripped: Vec<(&str, u64)> = by_host
            .values()
            .filter_map(|b| b.tripped().map(|why| (why, b.refused())))
            .collect();
        if tripped.is_empty() {
            return;
        }
        for e in errors {
            if e.kind != HarnessErrorKind::Unavailable {
                continue;
            }
            if let Some((_, n)) = tripped.iter().find(|(why, _)| e.message.starts_with(why)) {
                e.message.push_str(&format!(
                    "; {n} request{} to it not sent in this run",
                    plural(*n)
                ));
            }
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn failed(kind: HarnessErrorKind) -> Sent {
        Sent::Failed {
            kind,
            message: "no complete response within 1.0s".into(),
            partial: None,
            elapsed: Duration::from_secs(1),
        }
    }

    fn answered() -> Sent {
        crate::exec::retry::tests::response(503, &[])
    }

    #[test]
    fn trips_after_failures_in_a_row_and_refuses_the_rest() {
        let b = Breaker::new("h:1");
        for _ in 1..TRIP_AFTER {
            b.record(&failed(HarnessErrorKind::Timeout));
            assert!(b.admit().is_ok());
        }
        b.record(&failed(HarnessErrorKind::Connect));
        let why = b.admit().unwrap_err();
        assert!(
            why.starts_with("not sent: h:1 is taken for dead after 3 requests in a row got no answer (the last: connect: "),
            "{why}"
        );
        assert!(b.admit().is_err());
        assert_eq!(b.refused(), 2);
    }

    #[test]
    fn any_answer_resets_the_count() {
        let b = Breaker::new("h:1");
        for _ in 0..5 {
            for _ in 1..TRIP_AFTER {
                b.record(&failed(HarnessErrorKind::Timeout));
            }
            b.record(&answered());
        }
        assert!(b.admit().is_ok(), "a 503 is an answer");
    }

    #[test]
    fn other_failures_neither_trip_nor_reset() {
        let b = Breaker::new("h:1");
        for _ in 0..TRIP_AFTER {
            b.record(&failed(HarnessErrorKind::Transport));
            b.record(&failed(HarnessErrorKind::BodyTooLarge));
        }
        assert!(b.admit().is_ok());
    }

    #[test]
    fn refusals_are_counted_in_every_message_they_caused() {
        let breakers = Breakers::default();
        let url = |u: &str| url::Url::parse(u).unwrap();
        let b = breakers.for_url(&url("http://127.0.0.1:9/a")).unwrap();
        assert!(Arc::ptr_eq(
            &b,
            &breakers.for_url(&url("http://127.0.0.1:9/b?c")).unwrap()
        ));
        for _ in 0..TRIP_AFTER {
            b.record(&failed(HarnessErrorKind::Timeout));
        }
        let mut errors: Vec<HarnessError> = (0..2)
            .map(|_| HarnessError {
                kind: HarnessErrorKind::Unavailable,
                step: 0,
                message: b.admit().unwrap_err(),
                curl: None,
            })
            .collect();
        let other = HarnessError {
            kind: HarnessErrorKind::Unavailable,
            step: 0,
            message: "gave up after 3 attempts".into(),
            curl: None,
        };
        errors.push(other.clone());
        breakers.tell_refusals(errors.iter_mut());
        assert!(
            errors[0]
                .message
                .ends_with("; 2 requests to it not sent in this run"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[2], other);
    }
}
