//! A [`Resolver`] that reports each DNS question when it is asked and when it is answered, so the
//! page can show the round trips unfold, and records every reply for the extras worker's replay.

use std::cell::{Cell, RefCell};
use std::future::Future;

use sendercheck_core::dns::{Answer, Exchange, Question, ResolveError, Resolver};
use sendercheck_doh::replay::Recording;
use sendercheck_doh::DohClient;
use yew::Callback;

use crate::state::QueryEvent;

/// Milliseconds since the page loaded.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The DoH client, reporting to a callback and recording the replies.
pub struct Traced {
    doh: DohClient,
    on_event: Callback<QueryEvent>,
    next: Cell<usize>,
    recording: RefCell<Recording>,
}

impl Traced {
    /// Wraps `doh`; events go to `on_event`.
    pub fn new(doh: DohClient, on_event: Callback<QueryEvent>) -> Self {
        Traced {
            doh,
            on_event,
            next: Cell::new(0),
            recording: RefCell::new(Recording::default()),
        }
    }

    /// The replies so far, in `sendercheck_doh::replay` text form.
    pub fn recording(&self) -> String {
        self.recording.borrow().to_text()
    }

    async fn ask(&self, question: &Question) -> Exchange {
        let id = self.next.get();
        self.next.set(id + 1);
        self.on_event.emit(QueryEvent::Asked {
            id,
            question: question.clone(),
        });
        let started = now();
        let fetched = self.doh.fetch(question).await;
        self.recording
            .borrow_mut()
            .push(question.clone(), fetched.clone());
        let exchange = fetched.decode(question);
        self.on_event.emit(QueryEvent::Answered {
            id,
            ms: (now() - started).max(0.0) as u32,
            result: exchange
                .result
                .as_ref()
                .map(|a| a.rcode)
                .map_err(|e| e.to_string()),
            retried: exchange.attempts.iter().map(|a| a.error.short()).collect(),
        });
        exchange
    }
}

impl Resolver for Traced {
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.ask(question).await.result
    }

    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        self.ask(question)
    }
}
