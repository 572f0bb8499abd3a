//! When to send a request again and how long to wait first.
//!
//! A *transient* failure says nothing about the implementation's conformance: no connection,
//! no answer in time, or a server saying it is busy (HTTP 429 Too Many Requests, 503 Service
//! Unavailable) when the step did not ask for that status. Such attempts are repeated up to
//! [`RetryPolicy::retries`] times, waiting as the server's `Retry-After` says (seconds or an
//! HTTP date, RFC 9110 §10.2.3) or else an exponential backoff. A `Retry-After` longer than
//! [`RetryPolicy::max_retry_after`] ends the retries: waiting less than asked would not be
//! honouring it. A timeout is not retried in a destructive case, where the request may have
//! been carried out. A target without retries judges every answer as it came.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::http::Sent;
use crate::finding::HarnessErrorKind;

/// How a target's transient failures are retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// Wait before the first retry when the server gives no `Retry-After`; doubled each time.
    pub base: Duration,
    /// Longest backoff wait.
    pub max_backoff: Duration,
    /// Longest `Retry-After` accord honours; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// No retries: every attempt stands (the built-in mocks, so their faults show exactly).
    pub const NONE: RetryPolicy = RetryPolicy::with_retries(0);

    /// The default waits with `retries` extra attempts.
    pub const fn with_retries(retries: u32) -> Self {
        RetryPolicy {
            retries,
            base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::NONE
    }
}

/// A failed attempt that could succeed if repeated.
#[derive(Debug, Clone, PartialEq)]
pub struct Transient {
    /// One line for the evidence: `HTTP 503 Service Unavailable (Retry-After: 1)`.
    pub reason: String,
    /// The status, when the server answered.
    pub status: Option<u16>,
    /// The server's `Retry-After` as a delay from now, when it gave a usable one.
    pub retry_after: Option<Duration>,
}

/// Statuses by which a server says "not now" rather than "no".
const BUSY: [u16; 2] = [429, 503];

/// Whether an attempt is worth repeating. `expected` holds the statuses the step asks for (a
/// step that expects 503 gets it judged, not retried); `may_repeat_work` is false when a
/// timed-out request may have changed state.
pub fn transient(sent: &Sent, expected: &[u16], may_repeat_work: bool) -> Option<Transient> {
    match sent {
        Sent::Response(r, _) if BUSY.contains(&r.status) && !expected.contains(&r.status) => {
            let header = r.header("retry-after");
            Some(Transient {
                reason: match header {
                    Some(v) => format!("HTTP {} (Retry-After: {v})", status_text(r.status)),
                    None => format!("HTTP {}", status_text(r.status)),
                },
                status: Some(r.status),
                retry_after: header.and_then(|v| parse_retry_after(v, SystemTime::now())),
            })
        }
        Sent::Failed { kind, message, .. } => {
            let retry = match kind {
                HarnessErrorKind::Connect => true,
                HarnessErrorKind::Timeout => may_repeat_work,
                _ => false,
            };
            retry.then(|| Transient {
                reason: format!("{}: {message}", kind.as_str()),
                status: None,
                retry_after: None,
            })
        }
        Sent::Response(..) => None,
    }
}

/// What to do after the `retry`-th transient failure (1-based).
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Wait this long, then send again.
    Wait(Duration),
    /// Stop: the reason says why (retries spent, or the server asked for too long a wait).
    Stop(String),
}

impl RetryPolicy {
    /// Decides whether the `retry`-th retry happens, and after how long.
    pub fn next(&self, retry: u32, failure: &Transient) -> Next {
        if retry > self.retries {
            return Next::Stop(match self.retries {
                0 => "retries are off for this target".to_owned(),
                1 => "the one retry was spent".to_owned(),
                n => format!("all {n} retries were spent"),
            });
        }
        match failure.retry_after {
            Some(d) if d > self.max_retry_after => Next::Stop(format!(
                "the server asked to wait {}s, longer than the {}s accord waits",
                d.as_secs(),
                self.max_retry_after.as_secs()
            )),
            Some(d) => Next::Wait(d),
            None => Next::Wait(self.backoff(retry, jitter())),
        }
    }

    /// Exponential backoff for the `retry`-th retry (1-based), stretched by `jitter` (0 to 1)
    /// by up to a quarter so parallel runs do not retry in step.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doubled = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        doubled
            .min(self.max_backoff)
            .mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0))
    }
}

fn jitter() -> f64 {
    (uuid::Uuid::new_v4().as_u128() % 1000) as f64 / 1000.0
}

/// `503 Service Unavailable`, or just the number for statuses without a known reason.
fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Reads a `Retry-After` value: delay-seconds, or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00
/// GMT`) taken relative to `now`. A date in the past means no wait.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = UNIX_EPOCH + Duration::from_secs(parse_imf_fixdate(value)?);
    Some(at.duration_since(now).unwrap_or_default())
}

/// Seconds since the epoch of an IMF-fixdate (RFC 9110 §5.6.7).
fn parse_imf_fixdate(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, rest) = text.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, len: usize| -> Option<u64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let day = number(day, 2).filter(|d| (1..=31).contains(d))?;
    let month = MONTHS.iter().position(|m| m == month)? as u64 + 1;
    let year = number(year, 4).filter(|y| *y >= 1970)?;
    let hms: Vec<&str> = time.split(':').collect();
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    let (h, m, s) = (number(h, 2)?, number(m, 2)?, number(s, 2)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (from 1970 on).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exchange::RecordedResponse;

    /// A complete response with this status and these headers, and no body.
    pub(crate) fn response(status: u16, headers: &[(&str, &str)]) -> Sent {
        Sent::Response(
            RecordedResponse {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
                body: String::new(),
                body_bytes: 0,
                body_note: None,
                digest: None,
                json: None,
            },
            Duration::ZERO,
        )
    }

    fn failed(kind: HarnessErrorKind) -> Sent {
        Sent::Failed {
            kind,
            message: "connection refused".into(),
            partial: None,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn busy_statuses_and_lost_connections_are_transient() {
        let t = transient(&response(503, &[("retry-after", "1")]), &[200], true).unwrap();
        assert_eq!(t.reason, "HTTP 503 Service Unavailable (Retry-After: 1)");
        assert_eq!(t.retry_after, Some(Duration::from_secs(1)));
        assert_eq!(
            transient(&response(429, &[]), &[], true).unwrap().reason,
            "HTTP 429 Too Many Requests"
        );
        assert_eq!(
            transient(&failed(HarnessErrorKind::Connect), &[], false)
                .unwrap()
                .reason,
            "connect: connection refused"
        );
    }

    #[test]
    fn answers_that_stand_are_not_retried() {
        assert_eq!(transient(&response(503, &[]), &[503], true), None);
        assert_eq!(transient(&response(500, &[]), &[200], true), None);
        assert_eq!(transient(&response(200, &[]), &[200], true), None);
        assert_eq!(
            transient(&failed(HarnessErrorKind::Transport), &[], true),
            None
        );
        assert_eq!(
            transient(&failed(HarnessErrorKind::BodyTooLarge), &[], true),
            None
        );
    }

    #[test]
    fn timeouts_are_retried_only_where_repeating_is_harmless() {
        assert!(transient(&failed(HarnessErrorKind::Timeout), &[], true).is_some());
        assert!(transient(&failed(HarnessErrorKind::Timeout), &[], false).is_none());
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Wed, 21 Oct 2015 07:28:00 UTC",
            "Wed, 32 Oct 2015 07:28:00 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn dates_agree_with_the_formatter() {
        for secs in [0u64, 784_111_777, 951_782_400, 4_102_444_800] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let text = crate::template::http_date(t);
            assert_eq!(parse_imf_fixdate(&text), Some(secs), "{text}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::with_retries(5);
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(p.backoff(2, 0.0), Duration::from_secs(1));
        assert_eq!(p.backoff(3, 1.0), Duration::from_millis(2500));
        assert_eq!(p.backoff(30, 0.0), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_is_honoured_or_ends_the_retries() {
        let p = RetryPolicy::with_retries(2);
        let busy = |after: Option<u64>| Transient {
            reason: String::new(),
            status: Some(503),
            retry_after: after.map(Duration::from_secs),
        };
        assert_eq!(
            p.next(1, &busy(Some(3))),
            Next::Wait(Duration::from_secs(3))
        );
        assert!(matches!(p.next(2, &busy(None)), Next::Wait(d) if d >= Duration::from_secs(1)));
        assert_eq!(
            p.next(3, &busy(Some(1))),
            Next::Stop("all 2 retries were spent".into())
        );
        assert_eq!(
            p.next(1, &busy(Some(3600))),
            Next::Stop("the server asked to wait 3600s, longer than the 60s accord waits".into())
        );
        assert_eq!(
            RetryPolicy::NONE.next(1, &busy(None)),
            Next::Stop("retries are off for this target".into())
        );
    }
}
