//! The 24-hour query limit per IRD number (error IR003).
//!
//! The main type is [`QueryLimit`]: a sliding window of the times each IRD number was
//! queried. The build pack does not publish the limit; the mock's is [`DAILY_QUERY_LIMIT`],
//! high enough that repeated suite runs against one mock never reach it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Queries allowed per IRD number within 24 hours.
pub(crate) const DAILY_QUERY_LIMIT: usize = 10_000;

const WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// Counts queries per IRD number over the last 24 hours.
#[derive(Debug)]
pub(crate) struct QueryLimit {
    max: usize,
    seen: Mutex<HashMap<u32, VecDeque<Instant>>>,
}

impl QueryLimit {
    pub(crate) fn new(max: usize) -> Self {
        QueryLimit {
            max,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Records a query for `ird` at `now`; `false` when the limit was already reached, in which
    /// case the query is not counted.
    pub(crate) fn admit(&self, ird: u32, now: Instant) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let times = seen.entry(ird).or_default();
        while times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_per_ird_and_slides() {
        let limit = QueryLimit::new(2);
        let t0 = Instant::now();
        assert!(limit.admit(1, t0));
        assert!(limit.admit(1, t0 + Duration::from_secs(60)));
        assert!(!limit.admit(1, t0 + Duration::from_secs(120)));
        assert!(limit.admit(2, t0 + Duration::from_secs(120)));
        assert!(limit.admit(1, t0 + WINDOW));
        assert!(!limit.admit(1, t0 + WINDOW + Duration::from_secs(1)));
    }
}
