//! When and how long to wait before trying a request again.
//!
//! Statuses 408, 429, 500, 502, 503 and 504 and dropped connections are
//! retried with exponential backoff and full jitter, bounded in count and
//! in total time. A `Retry-After` header (seconds or an HTTP date) replaces
//! the computed delay when it still fits in the time budget.
//! Non-idempotent steps (POST, PATCH) are retried only when the server
//! cannot have acted on them: 429, 503, or a connection that failed before
//! the request was sent.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// Bounds on retries; one per [`Client`](super::Client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts of one request, the first included (default 5).
    pub max_attempts: u32,
    /// First backoff delay; doubled each retry (default 200 ms).
    pub base_delay: Duration,
    /// Longest single delay (default 10 s).
    pub max_delay: Duration,
    /// Longest total time spent waiting between attempts (default 60 s).
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_total_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// Whether an answered request may be retried.
pub(crate) fn retryable_status(status: StatusCode, idempotent: bool) -> bool {
    match status.as_u16() {
        429 | 503 => true,
        408 | 500 | 502 | 504 => idempotent,
        _ => false,
    }
}

/// Whether a request that got no answer may be retried.
pub(crate) fn retryable_error(err: &reqwest::Error, idempotent: bool) -> bool {
    if err.is_connect() {
        return true;
    }
    idempotent && (err.is_timeout() || err.is_request() || err.is_body())
}

/// The delay a `Retry-After` header asks for, when it has a usable one.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Tracks the attempts of one request against a [`RetryPolicy`].
pub(crate) struct Backoff {
    policy: RetryPolicy,
    attempt: u32,
    waited: Duration,
}

impl Backoff {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Backoff {
            policy,
            attempt: 1,
            waited: Duration::ZERO,
        }
    }

    /// The delay before the next attempt, or `None` when the budget of
    /// attempts or time is spent. `asked` is the server's `Retry-After`.
    pub(crate) fn next_delay(&mut self, asked: Option<Duration>) -> Option<Duration> {
        if self.attempt >= self.policy.max_attempts {
            return None;
        }
        let delay = match asked {
            Some(asked) => asked,
            None => self.jittered(),
        };
        if self.waited + delay > self.policy.max_total_delay {
            return None;
        }
        self.attempt += 1;
        self.waited += delay;
        Some(delay)
    }

    /// Full jitter: a random delay up to `base * 2^(attempt-1)`, capped.
    fn jittered(&self) -> Duration {
        let exp = self.attempt.saturating_sub(1).min(20);
        let ceiling = self
            .policy
            .base_delay
            .saturating_mul(1 << exp)
            .min(self.policy.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % nanos)
    }
}

/// A random number from the standard library's per-process hash keys.
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_idempotency() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(retryable_status(StatusCode::from_u16(code).unwrap(), true));
        }
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS, false));
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE, false));
        assert!(!retryable_status(StatusCode::BAD_GATEWAY, false));
        assert!(!retryable_status(StatusCode::NOT_FOUND, true));
        assert!(!retryable_status(StatusCode::UNAUTHORIZED, true));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        h.insert(RETRY_AFTER, past.parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_is_bounded_in_count_and_time() {
        let mut b = Backoff::new(RetryPolicy::default());
        let delays: Vec<_> = std::iter::from_fn(|| b.next_delay(None)).collect();
        assert_eq!(delays.len(), 4);
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(10)));

        let mut b = Backoff::new(RetryPolicy::default());
        assert_eq!(
            b.next_delay(Some(Duration::from_secs(50))),
            Some(Duration::from_secs(50))
        );
        assert_eq!(b.next_delay(Some(Duration::from_secs(11))), None);
        assert_eq!(Backoff::new(RetryPolicy::none()).next_delay(None), None);
    }
}
