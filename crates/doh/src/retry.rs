//! When and how [`DohClient::fetch`](crate::DohClient::fetch) tries a question again.
//!
//! Stub resolvers retry (RFC 1536 §1, RFC 1123 §6.1.3.3: "a retransmission interval … with
//! exponential backoff"), and so does the DoH client, for the failures that say nothing about the
//! name: HTTP 5xx other than 501 and 505 (a gateway that could not reach the resolver's back end,
//! an overloaded server), 429 Too Many Requests and 408 (RFC 6585 §4, RFC 9110 §15.5.9), a dropped,
//! reset or refused connection, and a try that took longer than its share of the time. A DNS
//! answer is never tried again: SERVFAIL, NXDOMAIN and the rest are what the resolver says about
//! the name. Neither is a reply that is not DNS, nor another 4xx: asking again changes nothing.
//!
//! The whole question, retries included, keeps to the client's timeout (the `--timeout` budget).
//! A try may take at most [`RetryPolicy::attempt_timeout`] of it, so that a lost request leaves time
//! for another. Between tries the client waits a jittered exponential backoff, or what the
//! server's `Retry-After` asks (RFC 9110 §10.2.3) when that is longer and still fits the budget;
//! when it does not fit, the client stops at once rather than ask again too early.
//!
//! Timers and randomness work on both targets without a runtime or a random-number crate: a
//! `setTimeout` promise in the browser, tokio's timer natively (reqwest's own runtime), and an
//! xorshift generator seeded from the clock and a counter, which is all jitter needs.

use std::sync::atomic::{AtomicU64, Ordering};

use sendercheck_core::dns::ResolveError;

/// How many tries a question gets and how long to wait between them. Times are in whole
/// milliseconds: the arithmetic stays small in the page's WebAssembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most tries of one question, the first included (1: never retry).
    pub max_attempts: u32,
    /// The backoff step before the first retry, in milliseconds; it doubles for each further one.
    pub base_ms: u32,
    /// The longest backoff step, in milliseconds.
    pub cap_ms: u32,
}

impl RetryPolicy {
    /// Four tries, waiting 50–100 ms, 100–200 ms and 200–400 ms between them (at most 0.7 s in all
    /// when the server sends no `Retry-After`), so a resolver that is down costs little more than
    /// one that says so.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_ms: 100,
        cap_ms: 2000,
    };

    /// One try: no retries.
    pub const NEVER: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        base_ms: 0,
        cap_ms: 0,
    };

    /// The most one try may take of a question's budget (milliseconds): half of it, but at least
    /// a second (or all of it when it is shorter), so a 5 s budget holds two tries that time out
    /// and a 1 s budget one.
    pub fn attempt_timeout_ms(&self, budget_ms: u64) -> u64 {
        if self.max_attempts <= 1 {
            return budget_ms;
        }
        (budget_ms / 2).max(budget_ms.min(1000))
    }

    /// The wait in milliseconds before retry number `retry` (1 for the first): the exponential
    /// step `base × 2^(retry-1)`, capped, of which a random half is added to the other half
    /// ("equal jitter"), so that clients failed by one burst do not come back in step. `random`
    /// is any 64-bit random number.
    pub fn backoff_ms(&self, retry: u32, random: u64) -> u64 {
        let step = (u64::from(self.base_ms) << (retry.clamp(1, 16) - 1)).min(self.cap_ms.into());
        let half = step / 2;
        half + random % (half + 1)
    }

    /// The wait before the next try after try number `tries` failed with `error` (the server
    /// asked for `asked` ms), or `u64::MAX` when it is not to be tried again.
    pub(crate) fn wait_ms(
        &self,
        error: &ResolveError,
        tries: u32,
        asked: Option<u64>,
        jitter: &mut Jitter,
    ) -> u64 {
        if !is_transient(error) || tries >= self.max_attempts {
            return u64::MAX;
        }
        self.backoff_ms(tries, jitter.next())
            .max(asked.unwrap_or(0))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

/// Whether a failed try may be repeated (see the module docs).
pub fn is_transient(error: &ResolveError) -> bool {
    match error {
        ResolveError::Http { status } => {
            matches!(*status, 408 | 429) || (*status >= 500 && !matches!(*status, 501 | 505))
        }
        ResolveError::Timeout { .. } | ResolveError::Transport(_) => true,
        ResolveError::NotDns(_) | ResolveError::Truncated | ResolveError::WrongQuestion { .. } => {
            false
        }
    }
}

/// The wait a `Retry-After` header asks for, in milliseconds, from its delta-seconds form (RFC
/// 9110 §10.2.3). The HTTP-date form, which DNS resolvers do not use, counts as no header: the
/// backoff applies.
pub fn retry_after_ms(value: &str) -> Option<u64> {
    let seconds: u32 = value.trim().parse().ok()?;
    Some(u64::from(seconds) * 1000)
}

/// Elapsed time of one question, on a clock that exists on both targets (`Instant` panics in the
/// browser).
pub(crate) struct Clock {
    #[cfg(not(target_arch = "wasm32"))]
    start: std::time::Instant,
    #[cfg(target_arch = "wasm32")]
    start: f64,
}

impl Clock {
    pub(crate) fn start() -> Clock {
        Clock {
            #[cfg(not(target_arch = "wasm32"))]
            start: std::time::Instant::now(),
            #[cfg(target_arch = "wasm32")]
            start: js_sys::Date::now(),
        }
    }

    /// Milliseconds since the start.
    pub(crate) fn ms(&self) -> u64 {
        #[cfg(not(target_arch = "wasm32"))]
        return self.start.elapsed().as_millis() as u64;
        #[cfg(target_arch = "wasm32")]
        return (js_sys::Date::now() - self.start).max(0.0) as u64;
    }
}

/// A xorshift64* generator (Marsaglia 2003; Vigna 2016): plenty for jitter.
pub(crate) struct Jitter(pub(crate) u64);

impl Jitter {
    /// Seeded from the clock and a process-wide counter, so questions asked in the same
    /// millisecond still draw different waits.
    pub(crate) fn new() -> Jitter {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        #[cfg(not(target_arch = "wasm32"))]
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        #[cfg(target_arch = "wasm32")]
        let now = (js_sys::Date::now() * 1000.0) as u64;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // splitmix64's finaliser spreads the seed's bits; xorshift needs a non-zero state.
        let mut z = now ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Jitter((z ^ (z >> 31)) | 1)
    }

    /// The next number; a generator made with state 0 seeds itself first.
    pub(crate) fn next(&mut self) -> u64 {
        if self.0 == 0 {
            *self = Jitter::new();
        }
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Waits `ms` milliseconds: tokio's timer natively (reqwest already runs on tokio), `setTimeout`
/// in the browser (a window or a worker).
pub(crate) async fn sleep(ms: u64) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    #[cfg(target_arch = "wasm32")]
    {
        let ms = ms.min(i32::MAX as u64) as i32;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, ms);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `setTimeout` of a window or a worker.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> wasm_bindgen::JsValue;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_failures_are_retried() {
        for status in [408, 429, 500, 502, 503, 504, 599] {
            assert!(is_transient(&ResolveError::Http { status }), "{status}");
        }
        for status in [400, 403, 404, 413, 415, 501, 505] {
            assert!(!is_transient(&ResolveError::Http { status }), "{status}");
        }
        assert!(is_transient(&ResolveError::Timeout { millis: 100 }));
        assert!(is_transient(&ResolveError::Transport("reset".into())));
        assert!(!is_transient(&ResolveError::NotDns("html".into())));
        assert!(!is_transient(&ResolveError::Truncated));
        assert!(!is_transient(&ResolveError::WrongQuestion {
            asked: "a".into(),
            got: "b".into()
        }));
    }

    #[test]
    fn backoff_doubles_within_bounds() {
        let p = RetryPolicy::DEFAULT;
        for random in [0, 1, 7, u64::MAX / 3, u64::MAX] {
            let bounds = [
                (50, 100),
                (100, 200),
                (200, 400),
                (400, 800),
                (800, 1600),
                (1000, 2000),
            ];
            for (n, (lo, hi)) in (1..).zip(bounds) {
                let wait = p.backoff_ms(n, random);
                assert!(
                    (lo..=hi).contains(&wait),
                    "retry {n}: {wait} ms with {random}"
                );
            }
        }
        assert_eq!(p.backoff_ms(1, 0), 50);
        assert_eq!(p.backoff_ms(1, 50), 100);
        assert_eq!(p.backoff_ms(40, 0), 1000, "no overflow");
        assert_eq!(RetryPolicy::NEVER.backoff_ms(1, 99), 0);
    }

    #[test]
    fn jitter_spreads_the_waits() {
        let mut j = Jitter::new();
        let p = RetryPolicy::DEFAULT;
        let waits: std::collections::BTreeSet<u64> =
            (0..50).map(|_| p.backoff_ms(3, j.next())).collect();
        assert!(waits.len() > 30, "{waits:?}");
        assert_ne!(Jitter::new().next(), Jitter::new().next());
    }

    #[test]
    fn attempt_timeouts() {
        let p = RetryPolicy::DEFAULT;
        assert_eq!(p.attempt_timeout_ms(5000), 2500);
        assert_eq!(p.attempt_timeout_ms(30_000), 15_000);
        assert_eq!(p.attempt_timeout_ms(1500), 1000);
        assert_eq!(p.attempt_timeout_ms(1000), 1000);
        assert_eq!(p.attempt_timeout_ms(300), 300);
        assert_eq!(RetryPolicy::NEVER.attempt_timeout_ms(5000), 5000);
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(retry_after_ms("1"), Some(1000));
        assert_eq!(retry_after_ms(" 120 "), Some(120_000));
        assert_eq!(retry_after_ms("0"), Some(0));
        assert_eq!(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after_ms("-1"), None);
        assert_eq!(retry_after_ms("1.5"), None);
        assert_eq!(retry_after_ms(""), None);
        assert_eq!(retry_after_ms("99999999999999999999"), None);
    }
}
