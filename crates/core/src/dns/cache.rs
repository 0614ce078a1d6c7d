//! The answer cache of one run: a question already asked is not sent again.
//!
//! [`Cached`] wraps a [`Resolver`]. Within one run (a check, a host's addresses, a paste, a
//! batch) every question goes to the wrapped resolver at most once; a second asker of a question
//! that is still on its way waits for the first answer instead of sending its own (in-flight
//! sharing, as stub resolvers and hickory's `CachingClient` do). So when the EHLO name is a PTR
//! name, the PTR name's forward lookup reuses the EHLO name's forward answer from the first round,
//! and a passing check takes one round trip instead of two.
//!
//! Nothing outlives the run: the cache is a value the run owns and drops. Errors are shared within
//! the run like answers (one SERVFAIL is one fact about the run), and a later run asks again. A
//! cache shared by a long batch is bounded: past `capacity` answered questions, the oldest are
//! forgotten (questions still in flight are kept). The failed tries of a retrying transport
//! ([`Exchange::attempts`]) are shared with the answer: they are part of the same evidence.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{Answer, Attempt, Exchange, Question, ResolveError, Resolver};

/// A reply and the failed tries before it.
type Reply = (Result<Answer, ResolveError>, Vec<Attempt>);

/// Questions remembered by default: far more than one check asks.
pub const DEFAULT_CAPACITY: usize = 1024;

/// One question's answer, or the askers waiting for it.
#[derive(Default)]
struct Slot {
    reply: RefCell<Option<Reply>>,
    /// The first asker gave up (its future was dropped) before the answer came.
    abandoned: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl Slot {
    fn settle(&self, reply: Option<Reply>) {
        match reply {
            Some(r) => *self.reply.borrow_mut() = Some(r),
            None => self.abandoned.set(true),
        }
        for w in self.waiters.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

/// A [`Resolver`] that asks each question once per run and shares the answer.
pub struct Cached<R> {
    inner: R,
    capacity: usize,
    /// Questions in the order they were first asked, so the oldest go first. A run asks tens of
    /// questions and a batch keeps a bounded window, so a list beats a hash map here (and costs
    /// the page's wasm less).
    slots: RefCell<Vec<(Question, Rc<Slot>)>>,
    sent: Cell<usize>,
}

impl<R: Resolver> Cached<R> {
    /// A cache in front of `inner` that remembers [`DEFAULT_CAPACITY`] questions.
    pub fn new(inner: R) -> Self {
        Self::with_capacity(inner, DEFAULT_CAPACITY)
    }

    /// A cache that remembers at most `capacity` answered questions.
    pub fn with_capacity(inner: R, capacity: usize) -> Self {
        Cached {
            inner,
            capacity: capacity.max(1),
            slots: RefCell::new(Vec::new()),
            sent: Cell::new(0),
        }
    }

    /// How many questions went to the wrapped resolver.
    pub fn sent(&self) -> usize {
        self.sent.get()
    }

    /// The wrapped resolver.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    async fn ask(&self, question: &Question) -> Reply {
        loop {
            let existing = self
                .slots
                .borrow()
                .iter()
                .find(|(q, _)| q == question)
                .map(|(_, s)| Rc::clone(s));
            let Some(slot) = existing else {
                return self.lead(question).await;
            };
            if let Some(reply) = (Wait { slot }).await {
                return reply;
            }
            // The first asker was dropped before its answer came: ask again.
        }
    }

    /// Sends the question and publishes the answer to whoever waits for it.
    async fn lead(&self, question: &Question) -> Reply {
        let slot = Rc::new(Slot::default());
        self.slots
            .borrow_mut()
            .push((question.clone(), Rc::clone(&slot)));
        self.sent.set(self.sent.get() + 1);
        let mut guard = Abandon {
            cache: self,
            question,
            slot: Some(Rc::clone(&slot)),
        };
        let exchange = self.inner.exchange(question).await;
        let reply = (exchange.result, exchange.attempts);
        guard.slot = None;
        slot.settle(Some(reply.clone()));
        self.forget_oldest();
        reply
    }

    fn forget_oldest(&self) {
        let mut slots = self.slots.borrow_mut();
        let mut excess = slots.len().saturating_sub(self.capacity);
        slots.retain(|(_, s)| {
            let forget = excess > 0 && s.reply.borrow().is_some();
            excess -= usize::from(forget);
            !forget
        });
    }
}

/// Dropped with the first asker's future: if the answer never came, let the waiters ask again.
struct Abandon<'a, R> {
    cache: &'a Cached<R>,
    question: &'a Question,
    slot: Option<Rc<Slot>>,
}

impl<R> Drop for Abandon<'_, R> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            self.cache
                .slots
                .borrow_mut()
                .retain(|(q, _)| q != self.question);
            slot.settle(None);
        }
    }
}

/// Waits for another asker's answer; `None` when that asker gave up.
struct Wait {
    slot: Rc<Slot>,
}

impl Future for Wait {
    type Output = Option<Reply>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(reply) = self.slot.reply.borrow().as_ref() {
            return Poll::Ready(Some(reply.clone()));
        }
        if self.slot.abandoned.get() {
            return Poll::Ready(None);
        }
        self.slot.waiters.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

impl<R: Resolver> Resolver for Cached<R> {
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.ask(question).await.0
    }

    async fn exchange(&self, question: &Question) -> Exchange {
        let (result, attempts) = self.ask(question).await;
        Exchange {
            question: question.clone(),
            result,
            attempts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Rcode, RecordType};
    use crate::testing::{a, FixedResolver, RoundTrips};
    use crate::DomainName;
    use futures::future::{join, join_all};

    fn q(name: &str) -> Question {
        Question::new(DomainName::parse(name).unwrap(), RecordType::A)
    }

    fn fixed() -> FixedResolver {
        FixedResolver::new().answer(
            "mail.example",
            RecordType::A,
            Rcode::NoError,
            vec![a("mail.example", "192.0.2.1")],
        )
    }

    #[test]
    fn asks_each_question_once_and_shares_it_in_flight() {
        let rt = RoundTrips::new(fixed());
        let cached = Cached::new(&rt);
        let question = q("mail.example");
        let ((first, second), rounds) =
            rt.run(join(cached.query(&question), cached.query(&question)));
        assert_eq!(first, second);
        assert_eq!(first.unwrap().records.len(), 1);
        assert_eq!(rounds, 1);
        assert_eq!(cached.sent(), 1);
        // Answered already: no round trip at all.
        let (again, rounds) = rt.run(cached.query(&question));
        assert!(again.is_ok());
        assert_eq!(rounds, 0);
        assert_eq!(cached.sent(), 1);
    }

    #[test]
    fn errors_are_shared_within_the_run_only() {
        let err = ResolveError::Timeout { millis: 100 };
        let fixed = FixedResolver::new().error("sf.example", RecordType::A, err.clone());
        let question = q("sf.example");
        let run = || {
            let cached = Cached::new(&fixed);
            let replies = futures::executor::block_on(join_all(
                (0..3).map(|_| cached.query(&question)).collect::<Vec<_>>(),
            ));
            assert!(replies.iter().all(|r| r.as_ref() == Err(&err)));
            cached.sent()
        };
        assert_eq!(run(), 1);
        assert_eq!(run(), 1, "a new run asks again");
        assert_eq!(fixed.asked.borrow().len(), 2);
    }

    #[test]
    fn a_dropped_first_asker_hands_over_to_the_waiter() {
        let rt = RoundTrips::new(fixed());
        let cached = Cached::new(&rt);
        let question = q("mail.example");
        let mut cx = Context::from_waker(Waker::noop());
        let mut first = Box::pin(cached.query(&question));
        assert!(first.as_mut().poll(&mut cx).is_pending());
        let mut second = Box::pin(cached.query(&question));
        assert!(second.as_mut().poll(&mut cx).is_pending());
        drop(first);
        let (reply, rounds) = rt.run(second);
        assert!(reply.is_ok());
        assert_eq!(rounds, 1);
        assert_eq!(cached.sent(), 2);
    }

    #[test]
    fn bounded_by_capacity() {
        let fixed = fixed();
        let cached = Cached::with_capacity(&fixed, 2);
        for name in ["a.example", "b.example", "c.example", "a.example"] {
            let _ = futures::executor::block_on(cached.query(&q(name)));
        }
        assert_eq!(cached.slots.borrow().len(), 2);
        // a.example was forgotten after c.example came, so it was asked twice.
        assert_eq!(cached.sent(), 4);
    }
}
