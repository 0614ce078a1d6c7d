//! A [`Resolver`] that reports each DNS question when it is asked and when it is answered, so the
//! page can show the round trips unfold.

use std::cell::Cell;
use std::future::Future;

use sendercheck_core::{Answer, Question, ResolveError, Resolver};
use sendercheck_doh::DohClient;
use yew::Callback;

/// One step of a question's life.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryEvent {
    /// The question went out.
    Asked {
        /// Its number within the run.
        id: usize,
        /// The question.
        question: Question,
    },
    /// The reply came back (or did not).
    Answered {
        /// Its number within the run.
        id: usize,
        /// Milliseconds since it was asked.
        ms: f64,
        /// The reply.
        result: Result<Answer, ResolveError>,
    },
}

/// Milliseconds since the page loaded.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The DoH client, reporting to a callback.
pub struct Traced {
    doh: DohClient,
    on_event: Callback<QueryEvent>,
    next: Cell<usize>,
}

impl Traced {
    /// Wraps `doh`; events go to `on_event`.
    pub fn new(doh: DohClient, on_event: Callback<QueryEvent>) -> Self {
        Traced {
            doh,
            on_event,
            next: Cell::new(0),
        }
    }
}

impl Resolver for Traced {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let id = self.next.get();
        self.next.set(id + 1);
        self.on_event.emit(QueryEvent::Asked {
            id,
            question: question.clone(),
        });
        let started = now();
        let on_event = self.on_event.clone();
        let reply = self.doh.query(question);
        async move {
            let result = reply.await;
            on_event.emit(QueryEvent::Answered {
                id,
                ms: now() - started,
                result: result.clone(),
            });
            result
        }
    }
}
