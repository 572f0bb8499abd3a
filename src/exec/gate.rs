//! The limits a run keeps towards each host (host and port): a rate in requests per second
//! and a budget of requests for the whole run. Every attempt, retries and token requests
//! included, passes its host's [`Gate`] before it is sent; a request past the budget is not
//! sent at all.
//!
//! [`Gates`] holds one gate per host named by a target's `base_url`. Two targets on the same
//! host share its gate, with the stricter of their limits. It also holds each host's
//! [`Breaker`], which stops sending to a host that no longer answers.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::breaker::{Breaker, Breakers};

/// Limits towards one host.
#[derive(Debug)]
pub struct Gate {
    host: String,
    budget: Option<u64>,
    used: AtomicU64,
    interval: Option<Duration>,
    next_slot: tokio::sync::Mutex<Instant>,
}

impl Gate {
    /// A gate for `host` allowing `rate` requests per second and `budget` requests in all.
    pub fn new(host: impl Into<String>, rate: Option<f64>, budget: Option<u64>) -> Self {
        Gate {
            host: host.into(),
            budget,
            used: AtomicU64::new(0),
            interval: rate
                .filter(|r| r.is_finite() && *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next_slot: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next slot the rate allows and takes one request from the budget. `Err`
    /// says why the request must not be sent.
    pub async fn admit(&self) -> Result<(), String> {
        let n = self.used.fetch_add(1, Ordering::SeqCst);
        if let Some(budget) = self.budget
            && n >= budget
        {
            return Err(format!(
                "not sent: the budget of {budget} request{} to {} for this run is spent",
                if budget == 1 { "" } else { "s" },
                self.host
            ));
        }
        if let Some(interval) = self.interval {
            let slot = {
                let mut next = self.next_slot.lock().await;
                let slot = (*next).max(Instant::now());
                *next = slot + interval;
                slot
            };
            tokio::time::sleep_until(slot).await;
        }
        Ok(())
    }

    /// Requests admitted so far.
    pub fn used(&self) -> u64 {
        let n = self.used.load(Ordering::SeqCst);
        self.budget.map_or(n, |b| n.min(b))
    }

    /// The host this gate guards (`host:port`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The budget, when there is one.
    pub fn budget(&self) -> Option<u64> {
        self.budget
    }
}

/// The gates of a run, by host, and the breaker of every host the run talks to.
#[derive(Debug, Default)]
pub struct Gates {
    by_host: HashMap<String, Arc<Gate>>,
    breakers: Breakers,
}

impl Gates {
    /// One gate per host with limits, from `(base_url, rate, budget)` of each target.
    pub fn new<'a>(limits: impl IntoIterator<Item = (&'a str, Option<f64>, Option<u64>)>) -> Self {
        let mut merged: HashMap<String, (Option<f64>, Option<u64>)> = HashMap::new();
        for (url, rate, budget) in limits {
            if rate.is_none() && budget.is_none() {
                continue;
            }
            let Some(host) = host_of(url) else { continue };
            let entry = merged.entry(host).or_default();
            entry.0 = stricter(entry.0, rate);
            entry.1 = stricter(entry.1, budget);
        }
        Gates {
            by_host: merged
                .into_iter()
                .map(|(host, (rate, budget))| {
                    let gate = Arc::new(Gate::new(host.clone(), rate, budget));
                    (host, gate)
                })
                .collect(),
            breakers: Breakers::default(),
        }
    }

    /// The gate of the URL's host, if that host has limits. The URL comes parsed (a built
    /// request holds it so), as it is asked for every attempt.
    pub fn for_url(&self, url: &url::Url) -> Option<&Arc<Gate>> {
        if self.by_host.is_empty() {
            return None;
        }
        host_of_url(url).and_then(|h| self.by_host.get(&h))
    }

    /// The breaker of the URL's host.
    pub fn breaker(&self, url: &url::Url) -> Option<Arc<Breaker>> {
        self.breakers.for_url(url)
    }

    /// The breakers of every host used so far.
    pub fn breakers(&self) -> &Breakers {
        &self.breakers
    }

    /// Every gate, for reporting what was used.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Gate>> {
        self.by_host.values()
    }
}

fn stricter<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b < a { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// `host:port` of a URL, with the scheme's default port when none is written.
pub fn host_of(url: &str) -> Option<String> {
    host_of_url(&url::Url::parse(url).ok()?)
}

/// Whether `key` is [`host_of_url`] of `url`, found without writing the URL's key out.
pub fn is_host_of(url: &url::Url, key: &str) -> bool {
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    key.get(..host.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(host))
        && key[host.len()..]
            .strip_prefix(':')
            .and_then(|p| p.parse::<u16>().ok())
            == Some(port)
}

/// [`host_of`] a parsed URL.
pub fn host_of_url(url: &url::Url) -> Option<String> {
    use std::fmt::Write as _;
    let (host, port) = (url.host_str()?, url.port_or_known_default()?);
    let mut out = String::with_capacity(host.len() + 6);
    out.push_str(host);
    out.make_ascii_lowercase();
    let _ = write!(out, ":{port}");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_of_the_host_its_key_names() {
        let urls = [
            "https://Api.Example/v1?x=1",
            "http://api.example/v1",
            "https://api.example:8443/",
            "http://127.0.0.1:8080/a",
            "http://[::1]:9/a",
            "http://127.0.0.10:8080/",
        ];
        for a in urls {
            let url = url::Url::parse(a).unwrap();
            for b in urls {
                let key = host_of(b).unwrap();
                assert_eq!(
                    is_host_of(&url, &key),
                    host_of_url(&url).unwrap() == key,
                    "{a} against {key}"
                );
            }
        }
        let url = url::Url::parse("http://127.0.0.1:8080/a").unwrap();
        for key in [
            "",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:80800",
            "127.0.0.1:8080x",
        ] {
            assert!(!is_host_of(&url, key), "{key}");
        }
    }

    #[test]
    fn hosts_include_the_default_port() {
        assert_eq!(
            host_of("https://Api.Example/v1?x=1").as_deref(),
            Some("api.example:443")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/a").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn targets_on_one_host_share_the_stricter_limits() {
        let gates = Gates::new([
            ("https://api.example/a", Some(5.0), None),
            ("https://api.example:443/b", Some(2.0), Some(10)),
            ("https://other.example/", None, None),
        ]);
        let url = |u: &str| url::Url::parse(u).unwrap();
        let g = gates.for_url(&url("https://api.example/a/page?2")).unwrap();
        assert_eq!(g.budget(), Some(10));
        assert_eq!(g.interval, Some(Duration::from_millis(500)));
        assert!(gates.for_url(&url("https://other.example/x")).is_none());
        assert_eq!(gates.all().count(), 1);
    }

    #[tokio::test]
    async fn the_budget_refuses_requests_past_it() {
        let g = Gate::new("h:1", None, Some(2));
        assert!(g.admit().await.is_ok());
        assert!(g.admit().await.is_ok());
        let refused = g.admit().await.unwrap_err();
        assert_eq!(
            refused,
            "not sent: the budget of 2 requests to h:1 for this run is spent"
        );
        assert_eq!(g.used(), 2);
    }

    #[tokio::test]
    async fn the_rate_spaces_requests() {
        let g = Arc::new(Gate::new("h:1", Some(20.0), None));
        let start = std::time::Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..5 {
            let g = g.clone();
            tasks.spawn(async move { g.admit().await });
        }
        while let Some(r) = tasks.join_next().await {
            assert!(r.unwrap().is_ok());
        }
        let spent = start.elapsed();
        assert!(
            spent >= Duration::from_millis(195),
            "5 requests at 20/s take 200 ms, took {spent:?}"
        );
    }
}
