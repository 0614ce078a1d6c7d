//! Running a check: from the form, from a paste (read by the extras worker first), or from a hop
//! picked in a paste's Received chain.

use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::report::{check_target, Target};
use sendercheck_doh::DohClient;
use yew::platform::spawn_local;
use yew::Callback;

use super::extras;
use super::trace::{now, Traced};
use crate::browser;
use crate::hooks::StateHandle;
use crate::model::{Permalink, ResolverChoice};
use crate::state::{Action, Finished, Paste, PasteError, Request};

/// Time allowed for each DNS question.
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);

thread_local! {
    static NEXT_RUN: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn next_run_id() -> u64 {
    NEXT_RUN.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// Starts a check: records it in the state and in the address bar, and runs it in the background.
pub fn run(
    state: &StateHandle,
    target: Target,
    target_text: String,
    helo: String,
    resolver: ResolverChoice,
    paste: Option<Rc<Paste>>,
) {
    let request = Request {
        run_id: next_run_id(),
        target,
        target_text,
        helo,
        resolver,
        paste,
    };
    browser::replace_query(
        &Permalink {
            ip: request.target_text.clone(),
            helo: request.helo.clone(),
            resolver: Some(request.resolver.clone()),
        }
        .to_query(),
    );
    state.dispatch(Action::Start(request.clone()));
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        let run_id = request.run_id;
        let doh = match DohClient::new(request.resolver.url()) {
            Ok(doh) => doh.with_timeout(QUERY_TIMEOUT),
            Err(e) => {
                dispatcher.dispatch(Action::Fail {
                    run_id,
                    message: e.to_string(),
                });
                return;
            }
        };
        let events = dispatcher.clone();
        let traced = Traced::new(
            doh,
            Callback::from(move |event| events.dispatch(Action::Query { run_id, event })),
        );
        let started = now();
        let helo = Some(request.helo.trim()).filter(|h| !h.is_empty());
        let checked = check_target(&traced, &request.target, helo).await;
        let finished = Rc::new(Finished {
            elapsed_ms: (now() - started).max(0.0) as u64,
            recording: traced.recording().into(),
            checked,
            request,
        });
        if let Some(paste) = finished.request.paste.clone() {
            let dispatcher = dispatcher.clone();
            let ask = extras::request(
                "panel",
                &[
                    ("text", &paste.text),
                    ("target", &finished.request.target_text),
                    ("helo", &finished.request.helo),
                    ("recording", &finished.recording),
                ],
            );
            extras::with_hop(&ask, paste.hop);
            extras::ask(ask, move |reply| {
                dispatcher.dispatch(Action::PastePanel {
                    run_id,
                    result: reply.map(Rc::from),
                })
            });
        }
        dispatcher.dispatch(Action::Finish(finished));
    });
}

/// Hands pasted text to the extras worker; once read, fills the form and checks what it names
/// (or only shows it, when it names nothing to look up).
pub fn read_paste(state: &StateHandle, text: String, hop: Option<usize>) {
    let text: Rc<str> = text.into();
    state.dispatch(Action::Reading);
    let ask = extras::request("read", &[("text", &text)]);
    extras::with_hop(&ask, hop);
    let state = state.clone();
    extras::ask(ask, move |reply| {
        let paste = reply
            .map_err(|why| PasteError {
                reason: why,
                formats: Vec::new(),
            })
            .and_then(|json| extras::paste_from(text, hop, &json));
        match paste {
            Err(e) => state.dispatch(Action::PasteFailed(Rc::new(e))),
            Ok(paste) => {
                let paste = Rc::new(paste);
                match paste.target.clone() {
                    Some(target) => {
                        let text = target.to_string();
                        let helo = paste.helo.clone().unwrap_or_default();
                        run(
                            &state,
                            target,
                            text,
                            helo,
                            state.resolver.clone(),
                            Some(paste),
                        );
                    }
                    None => state.dispatch(Action::Pasted(paste)),
                }
            }
        }
    });
}

/// Asks the worker for an export of a finished run (`json` or `markdown`).
pub fn export(done: &Finished, format: &str, reply: impl FnOnce(Result<String, String>) + 'static) {
    let ask = extras::request(
        format,
        &[
            ("target", &done.request.target_text),
            ("helo", &done.request.helo),
            ("recording", &done.recording),
            ("resolver", done.request.resolver.url()),
        ],
    );
    extras::with_number(&ask, "elapsed_ms", done.elapsed_ms);
    if let Some(paste) = &done.request.paste {
        let _ = js_sys::Reflect::set(&ask, &"text".into(), &(*paste.text).into());
        extras::with_hop(&ask, paste.hop);
    }
    extras::ask(ask, reply);
}
