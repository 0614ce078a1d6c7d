//! What keeps a long batch polite and steady: a cap on questions per second ([`Pacer`]), a
//! concurrency limit that backs off when the resolver pushes back ([`Aimd`]), and the resolver
//! wrapper that feeds both ([`Throttle`]).
//!
//! The limit follows TCP's congestion control (RFC 5681 §3.1): it grows by one per round of answers
//! that needed no retry ("additive increase") and halves ("multiplicative decrease") when the
//! resolver pushes back: a 429, or a
//! burst of retried 5xx, dropped connections or timeouts (one question in eight of a round, and
//! at least three). Like TCP it halves at most once per window: questions that were already on their
//! way when it halved do not halve it again.

use std::cell::Cell;
use std::time::Duration;

use sendercheck_core::dns::{Answer, Exchange, Question, ResolveError, Resolver};
use sendercheck_doh::retry::is_transient;
use tokio::time::Instant;

/// At most `rate` questions per second, spaced evenly (a token bucket that holds one token).
pub struct Pacer {
    interval: Option<Duration>,
    next: Cell<Option<Instant>>,
}

impl Pacer {
    /// A pacer for `rate` questions per second; `None` (or 0) does not wait.
    pub fn new(rate: Option<f64>) -> Self {
        Pacer {
            interval: rate
                .filter(|r| *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Cell::new(None),
        }
    }

    /// Waits for the next question's turn.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let now = Instant::now();
        let at = self.next.get().map_or(now, |next| next.max(now));
        self.next.set(Some(at + interval));
        if at > now {
            tokio::time::sleep_until(at).await;
        }
    }
}

/// What one question told about the resolver's load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Answered at the first try.
    Clean,
    /// Needed a retry, or failed, for a 5xx, a dropped connection or a timeout.
    Retried,
    /// The resolver said 429 Too Many Requests.
    Throttled,
}

impl Signal {
    /// The signal in a question's evidence.
    pub fn of(exchange: &Exchange) -> Signal {
        let too_many = |e: &ResolveError| matches!(e, ResolveError::Http { status: 429 });
        let failed = exchange.result.as_ref().err();
        if exchange.attempts.iter().any(|a| too_many(&a.error)) || failed.is_some_and(too_many) {
            Signal::Throttled
        } else if !exchange.attempts.is_empty() || failed.is_some_and(is_transient) {
            Signal::Retried
        } else {
            Signal::Clean
        }
    }
}

/// The concurrency limit of a batch: additive increase, multiplicative decrease.
pub struct Aimd {
    max: f64,
    limit: Cell<f64>,
    /// No answer yet: one check at a time until the connection is up.
    opening: Cell<bool>,
    /// Questions issued so far; a question's number says which window it belongs to.
    issued: Cell<u64>,
    /// The number of the first question issued after the last decrease.
    window_start: Cell<u64>,
    /// Questions finished in this round, and how many of them were retried.
    round_done: Cell<usize>,
    round_retried: Cell<usize>,
    round_clean: Cell<bool>,
    /// For the summary: retried questions, 429s, decreases, the lowest limit.
    pub stats: Stats,
}

/// What the batch's summary says about the resolver's push-back.
#[derive(Default)]
pub struct Stats {
    /// Questions sent to the resolver.
    pub questions: Cell<u64>,
    /// Failed tries that were retried.
    pub retries: Cell<u64>,
    /// Questions that met a 429.
    pub throttled: Cell<u64>,
    /// Times the limit was halved.
    pub decreases: Cell<u64>,
    /// The lowest limit after the first decrease.
    pub lowest: Cell<usize>,
}

impl Aimd {
    /// A limit of one until the first answer, then `max`, lowered and raised by the answers.
    pub fn new(max: usize) -> Self {
        let max = max.max(1) as f64;
        Aimd {
            max,
            limit: Cell::new(1.0),
            opening: Cell::new(true),
            issued: Cell::new(0),
            window_start: Cell::new(0),
            round_done: Cell::new(0),
            round_retried: Cell::new(0),
            round_clean: Cell::new(true),
            stats: Stats {
                lowest: Cell::new(max as usize),
                ..Stats::default()
            },
        }
    }

    /// How many checks may be in flight now.
    pub fn limit(&self) -> usize {
        self.limit.get() as usize
    }

    /// Numbers a question as it goes out.
    pub fn issue(&self) -> u64 {
        let n = self.issued.get();
        self.issued.set(n + 1);
        self.stats.questions.set(self.stats.questions.get() + 1);
        n
    }

    /// Takes in how question number `n` went.
    pub fn record(&self, n: u64, signal: Signal, retries: usize) {
        let s = &self.stats;
        s.retries.set(s.retries.get() + retries as u64);
        if signal == Signal::Throttled {
            s.throttled.set(s.throttled.get() + 1);
        }
        let this_window = n >= self.window_start.get();
        if signal != Signal::Clean {
            self.round_clean.set(false);
            self.round_retried.set(self.round_retried.get() + 1);
        }
        if self.opening.replace(false) && signal == Signal::Clean {
            self.limit.set(self.max);
            self.new_round();
            return;
        }
        let round = self.limit.get().ceil() as usize;
        let burst = self.round_retried.get() >= 3.max(round / 8);
        if this_window && (signal == Signal::Throttled || (signal == Signal::Retried && burst)) {
            self.decrease();
            return;
        }
        self.round_done.set(self.round_done.get() + 1);
        if self.round_done.get() >= round {
            if self.round_clean.get() {
                self.limit.set((self.limit.get() + 1.0).min(self.max));
            }
            self.new_round();
        }
    }

    fn decrease(&self) {
        let halved = (self.limit.get() / 2.0).floor().max(1.0);
        self.limit.set(halved);
        self.window_start.set(self.issued.get());
        let s = &self.stats;
        s.decreases.set(s.decreases.get() + 1);
        s.lowest.set(s.lowest.get().min(halved as usize));
        self.new_round();
    }

    fn new_round(&self) {
        self.round_done.set(0);
        self.round_retried.set(0);
        self.round_clean.set(true);
    }
}

/// The DoH client as the batch sees it: every question waits for its turn ([`Pacer`]) and tells
/// the limit ([`Aimd`]) how it went.
pub struct Throttle<'a, R> {
    /// The resolver.
    pub inner: R,
    /// The questions-per-second cap.
    pub pacer: &'a Pacer,
    /// The concurrency limit.
    pub control: &'a Aimd,
}

impl<R: Resolver> Resolver for Throttle<'_, R> {
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.exchange(question).await.result
    }

    async fn exchange(&self, question: &Question) -> Exchange {
        self.pacer.wait().await;
        let n = self.control.issue();
        let exchange = self.inner.exchange(question).await;
        self.control
            .record(n, Signal::of(&exchange), exchange.attempts.len());
        exchange
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendercheck_core::dns::{Attempt, DomainName, RecordType};

    fn grow(aimd: &Aimd, rounds: usize) {
        for _ in 0..rounds {
            for _ in 0..aimd.limit.get().ceil() as usize {
                let n = aimd.issue();
                aimd.record(n, Signal::Clean, 0);
            }
        }
    }

    #[test]
    fn one_first_then_halve_then_add_one() {
        let aimd = Aimd::new(64);
        assert_eq!(aimd.limit(), 1, "one question opens the connection");
        grow(&aimd, 1);
        assert_eq!(aimd.limit(), 64, "then the full concurrency");
        grow(&aimd, 10);
        assert_eq!(aimd.limit(), 64, "never past the maximum");
        // Questions issued before the push-back; the first 429 halves the limit once.
        let before: Vec<u64> = (0..10).map(|_| aimd.issue()).collect();
        aimd.record(before[0], Signal::Throttled, 1);
        assert_eq!(aimd.limit(), 32);
        for n in &before[1..] {
            aimd.record(*n, Signal::Throttled, 1);
        }
        assert_eq!(aimd.limit(), 32, "one decrease per window");
        let n = aimd.issue();
        aimd.record(n, Signal::Throttled, 1);
        assert_eq!(aimd.limit(), 16, "a new window's 429 halves again");
        grow(&aimd, 2);
        assert_eq!(aimd.limit(), 18, "additive increase after a decrease");
        assert_eq!(aimd.stats.decreases.get(), 2);
        assert_eq!(aimd.stats.lowest.get(), 16);
        assert_eq!(aimd.stats.throttled.get(), 11);
    }

    #[test]
    fn a_lone_5xx_is_not_a_burst() {
        let aimd = Aimd::new(64);
        grow(&aimd, 6);
        assert_eq!(aimd.limit(), 64);
        let n = aimd.issue();
        aimd.record(n, Signal::Retried, 1);
        assert_eq!(aimd.limit(), 64, "one retry in a round of 64");
        for _ in 0..7 {
            let n = aimd.issue();
            aimd.record(n, Signal::Retried, 1);
        }
        assert_eq!(aimd.limit(), 32, "eight in a round of 64 is a burst");
        // A round with a retry below the burst does not grow the limit.
        for i in 0..32 {
            let n = aimd.issue();
            let (signal, retries) = if i == 0 {
                (Signal::Retried, 1)
            } else {
                (Signal::Clean, 0)
            };
            aimd.record(n, signal, retries);
        }
        assert_eq!(aimd.limit(), 32);
        grow(&aimd, 1);
        assert_eq!(aimd.limit(), 33);
        assert_eq!(aimd.stats.retries.get(), 9);
    }

    #[test]
    fn never_below_one() {
        let aimd = Aimd::new(4);
        let n = aimd.issue();
        aimd.record(n, Signal::Throttled, 1);
        assert_eq!(aimd.limit(), 1, "a first answer that pushes back keeps one");
        grow(&aimd, 3);
        assert_eq!(aimd.limit(), 4, "additive increase from there");
        for _ in 0..10 {
            let n = aimd.issue();
            aimd.record(n, Signal::Throttled, 1);
        }
        assert_eq!(aimd.limit(), 1);
    }

    #[test]
    fn signals() {
        let q = Question::new(DomainName::parse("a.example").unwrap(), RecordType::A);
        let ok = Ok(Answer::new(sendercheck_core::dns::Rcode::ServFail, vec![]));
        let tried = |status| Attempt {
            error: ResolveError::Http { status },
            millis: 1,
        };
        let e = |result, attempts| Exchange {
            question: q.clone(),
            result,
            attempts,
        };
        assert_eq!(
            Signal::of(&e(ok.clone(), vec![])),
            Signal::Clean,
            "SERVFAIL is an answer"
        );
        assert_eq!(
            Signal::of(&e(ok.clone(), vec![tried(502)])),
            Signal::Retried
        );
        assert_eq!(
            Signal::of(&e(ok, vec![tried(502), tried(429)])),
            Signal::Throttled
        );
        assert_eq!(
            Signal::of(&e(Err(ResolveError::Timeout { millis: 1000 }), vec![])),
            Signal::Retried
        );
        assert_eq!(
            Signal::of(&e(Err(ResolveError::NotDns("html".into())), vec![])),
            Signal::Clean
        );
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_spaces_questions() {
        let pacer = Pacer::new(Some(10.0));
        let start = Instant::now();
        for _ in 0..11 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1), "10 per second");
        let free = Pacer::new(None);
        let start = Instant::now();
        for _ in 0..100 {
            free.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
