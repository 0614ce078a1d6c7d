//! Running a check: from the form, from a paste (read by the extras worker first), or from a hop
//! picked in a paste's Received chain.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::report::check_target;
use sendercheck_doh::DohClient;
use yew::platform::spawn_local;
use yew::Callback;

use super::extras;
use super::trace::{now, Traced};
use crate::browser;
use crate::hooks::{StateDispatcher, StateHandle};
use crate::model::Permalink;
use crate::state::{Action, DomainAsk, Finished, PasteError, Remote, Request, State};

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

/// Starts a check: records it in the state and in the address bar, and runs it in the background
/// (`request.run_id` is set here). A sending domain goes to the extras worker at once, so the
/// worker loads and the domain's questions go out while the page checks the address; its panel
/// is rendered when both are done, since the requirements need the address's results.
pub fn run(state: &StateHandle, mut request: Request) {
    request.run_id = next_run_id();
    let domain = request.domain.as_deref();
    browser::replace_query(
        &Permalink {
            ip: request.target_text.clone(),
            helo: request.helo.clone(),
            domain: domain.map(|d| d.text.clone()).unwrap_or_default(),
            dkim: domain.map(|d| d.dkim.clone()).unwrap_or_default(),
            resolver: Some(request.resolver.clone()),
        }
        .to_query(),
    );
    state.dispatch(Action::Start(request.clone()));
    let dispatcher = state.dispatcher();
    let meeting = Rc::new(RefCell::new(Meeting::default()));
    if let Some(ask) = request.domain.clone() {
        check_domain(&dispatcher, &request, ask, meeting.clone());
    }
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
        if finished.follows() {
            follow(&dispatcher, &finished, "");
        }
        meeting.borrow_mut().finished = Some(finished.clone());
        domain_panel(&dispatcher, &meeting);
        dispatcher.dispatch(Action::Finish(finished));
    });
}

/// A worker request about a finished run: its target, EHLO line, replies and paste.
fn about(op: &str, done: &Finished, extra: &str) -> js_sys::Object {
    let ask = extras::request(
        op,
        &[
            ("target", &done.request.target_text),
            ("helo", &done.request.helo),
            ("recording", &done.recording),
            ("resolver", done.request.resolver.url()),
            ("extra", extra),
        ],
    );
    if let Some(paste) = &done.request.paste {
        let _ = js_sys::Reflect::set(&ask, &"text".into(), &(*paste.text).into());
        extras::with_hop(&ask, paste.hop);
    }
    ask
}

/// Asks the worker to follow a finished run up (see [`Finished::follows`]) for the user's mail
/// server; `extra` holds the replies already asked after it, which are not asked again.
pub fn follow(dispatcher: &StateDispatcher, done: &Finished, extra: &str) {
    let run_id = done.request.run_id;
    let ask = about("follow", done, extra);
    let mta = browser::stored("mta").unwrap_or_default();
    let _ = js_sys::Reflect::set(&ask, &"mta".into(), &mta.into());
    let dispatcher = dispatcher.clone();
    extras::ask(ask, move |reply| {
        dispatcher.dispatch(Action::Followed {
            run_id,
            result: reply.and_then(|json| extras::followed_from(&json)),
        })
    });
}

/// Asks the worker for the DNS blocklists' answers about the run's addresses, with the Spamhaus
/// DQS key (empty: none).
pub fn blocklists(dispatcher: &StateDispatcher, done: &Finished, extra: &str, key: String) {
    let run_id = done.request.run_id;
    let ask = about("blocklists", done, extra);
    let _ = js_sys::Reflect::set(&ask, &"lists".into(), &key.as_str().into());
    let dispatcher = dispatcher.clone();
    extras::ask(ask, move |reply| {
        dispatcher.dispatch(Action::Listed {
            run_id,
            key: key.into(),
            result: reply.and_then(|json| extras::listed_from(&json)),
        })
    });
}

/// Where the address check and the domain check meet: the domain's panel needs both.
#[derive(Default)]
struct Meeting {
    finished: Option<Rc<Finished>>,
    domain: Option<(Rc<DomainAsk>, Rc<str>)>,
}

/// The sending domain's fields of a worker request.
fn with_domain(ask: &js_sys::Object, domain: &DomainAsk) {
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(ask, &k.into(), &v.into());
    };
    set("domain", &domain.text);
    set("dkim", &domain.dkim);
    if let Some(m) = &domain.mail_from {
        set("mail_from", m);
    }
}

/// Asks the worker to check the sending domain live; its recording goes to the meeting.
fn check_domain(
    dispatcher: &StateDispatcher,
    request: &Request,
    domain: Rc<DomainAsk>,
    meeting: Rc<RefCell<Meeting>>,
) {
    let run_id = request.run_id;
    let ask = extras::request(
        "domain",
        &[
            ("target", &request.target_text),
            ("helo", &request.helo),
            ("resolver", request.resolver.url()),
        ],
    );
    with_domain(&ask, &domain);
    let dispatcher = dispatcher.clone();
    extras::ask(ask, move |reply| match reply {
        Ok(recording) => {
            let recording: Rc<str> = recording.into();
            dispatcher.dispatch(Action::DomainRecorded {
                run_id,
                recording: recording.clone(),
            });
            meeting.borrow_mut().domain = Some((domain, recording));
            domain_panel(&dispatcher, &meeting);
        }
        Err(why) => dispatcher.dispatch(Action::DomainPanel {
            run_id,
            result: Err(why),
        }),
    });
}

/// Once both checks are done, asks the worker for the domain's panel.
fn domain_panel(dispatcher: &StateDispatcher, meeting: &Rc<RefCell<Meeting>>) {
    let (finished, (domain, recording)) = {
        let m = meeting.borrow();
        match (&m.finished, &m.domain) {
            (Some(f), Some(d)) => (f.clone(), d.clone()),
            _ => return,
        }
    };
    let run_id = finished.request.run_id;
    let ask = extras::request(
        "domain-panel",
        &[
            ("target", &finished.request.target_text),
            ("helo", &finished.request.helo),
            ("recording", &finished.recording),
            ("domain_recording", &recording),
        ],
    );
    with_domain(&ask, &domain);
    let dispatcher = dispatcher.clone();
    extras::ask(ask, move |reply| {
        dispatcher.dispatch(Action::DomainPanel {
            run_id,
            result: reply.map(Rc::from),
        })
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
                    Some(target) => run(
                        &state,
                        Request {
                            run_id: 0,
                            target_text: target.to_string(),
                            target,
                            helo: paste.helo.clone().unwrap_or_default(),
                            resolver: state.resolver.clone(),
                            domain: paste.domain.clone().map(Rc::new),
                            paste: Some(paste),
                        },
                    ),
                    None => state.dispatch(Action::Pasted(paste)),
                }
            }
        }
    });
}

/// Asks the worker for an export of a finished run (`json` or `markdown`) with everything the
/// page showed: the sending domain when its recording is in, where to fix it, the blocklists.
pub fn export(
    state: &State,
    done: &Finished,
    format: &str,
    reply: impl FnOnce(Result<String, String>) + 'static,
) {
    let ask = about(format, done, &state.extra);
    extras::with_number(&ask, "elapsed_ms", done.elapsed_ms);
    let set = |k: &str, v: &wasm_bindgen::JsValue| {
        let _ = js_sys::Reflect::set(&ask, &k.into(), v);
    };
    if let (Some(d), Some(recording)) = (&done.request.domain, &state.domain_recording) {
        with_domain(&ask, d);
        set("domain_recording", &(**recording).into());
    }
    if matches!(state.fixes, Remote::Ready(_)) {
        set("fixed", &true.into());
        set("mta", &browser::stored("mta").unwrap_or_default().into());
    }
    if let Some(key) = &state.lists_key {
        set("lists", &(**key).into());
    }
    extras::ask(ask, reply);
}
