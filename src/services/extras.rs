//! The extras worker, seen from the page (see `crate::extras` for what it does and why it is apart).
//!
//! The worker is started on first use from Trunk's loader shim, `sendercheck-extras_loader.js`,
//! next to the page (so `--public-url` sub-paths work). Requests sent before it says it is ready
//! wait in a queue. When it cannot be loaded (a network error, a blocked or missing file) or does
//! not start within [`START_TIMEOUT_MS`], every waiting request gets an error that says so, the
//! checks that do not need it keep working, and the next request tries again.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::state::{DomainAsk, Followed, Paste, PasteError};

/// The loader script Trunk writes for the worker binary.
const LOADER: &str = "./sendercheck-extras_loader.js";
/// How long the worker may take to load and start.
pub const START_TIMEOUT_MS: i32 = 20_000;
/// What a failure to load says, before its detail.
const UNAVAILABLE: &str =
    "The paste reader and the exports could not be loaded from this page's server";

type Reply = Box<dyn FnOnce(Result<String, String>)>;

struct Extras {
    worker: Worker,
    ready: Cell<bool>,
    queue: RefCell<Vec<Object>>,
    pending: RefCell<Vec<(u32, Reply)>>,
    next_id: Cell<u32>,
}

thread_local! {
    static EXTRAS: RefCell<Option<Rc<Extras>>> = const { RefCell::new(None) };
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// Ends every waiting request with `why` and forgets the worker, so the next request starts anew.
fn fail_all(why: &str) {
    let extras = EXTRAS.with(|e| e.borrow_mut().take());
    if let Some(extras) = extras {
        extras.worker.terminate();
        let pending: Vec<(u32, Reply)> = extras.pending.borrow_mut().drain(..).collect();
        for (_, reply) in pending {
            reply(Err(format!("{UNAVAILABLE} ({why}).")));
        }
    }
}

fn on_message(e: MessageEvent) {
    let data = e.data();
    let Some(extras) = EXTRAS.with(|e| e.borrow().clone()) else {
        return;
    };
    if get(&data, "ready").is_truthy() {
        extras.ready.set(true);
        for request in extras.queue.borrow_mut().drain(..) {
            let _ = extras.worker.post_message(&request);
        }
        return;
    }
    let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u32;
    let value = get(&data, "value").as_string().unwrap_or_default();
    let reply = {
        let mut pending = extras.pending.borrow_mut();
        pending
            .iter()
            .position(|(i, _)| *i == id)
            .map(|at| pending.remove(at).1)
    };
    if let Some(reply) = reply {
        reply(if get(&data, "ok").is_truthy() {
            Ok(value)
        } else {
            Err(value)
        });
    }
}

/// The stylesheet of the panels the worker renders, loaded with it.
const PANELS_CSS: &str = "./panels.css";

fn start() -> Result<Rc<Extras>, String> {
    crate::browser::head_link("panels-css", "stylesheet", Some(PANELS_CSS));
    let worker = Worker::new(LOADER).map_err(|_| "the browser refused to start it".to_string())?;
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn Fn(web_sys::Event)>::new(|_| fail_all("it failed to load"));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    let extras = Rc::new(Extras {
        worker,
        ready: Cell::new(false),
        queue: RefCell::new(Vec::new()),
        pending: RefCell::new(Vec::new()),
        next_id: Cell::new(1),
    });
    let weak = Rc::downgrade(&extras);
    let timeout = Closure::once_into_js(move || {
        if weak.upgrade().is_some_and(|e| !e.ready.get()) {
            fail_all("it did not start in time");
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            timeout.unchecked_ref(),
            START_TIMEOUT_MS,
        );
    }
    Ok(extras)
}

/// Sends `request` (its `id` is set here) and calls `reply` with the worker's value or an error.
pub fn ask(request: Object, reply: impl FnOnce(Result<String, String>) + 'static) {
    let extras = match EXTRAS.with(|e| e.borrow().clone()) {
        Some(e) => e,
        None => match start() {
            Ok(e) => {
                EXTRAS.with(|slot| *slot.borrow_mut() = Some(e.clone()));
                e
            }
            Err(why) => return reply(Err(format!("{UNAVAILABLE} ({why})."))),
        },
    };
    let id = extras.next_id.get();
    extras.next_id.set(id + 1);
    set(&request, "id", &JsValue::from(id));
    extras.pending.borrow_mut().push((id, Box::new(reply)));
    if extras.ready.get() {
        let _ = extras.worker.post_message(&request);
    } else {
        extras.queue.borrow_mut().push(request);
    }
}

/// A request for operation `op` with string fields.
pub fn request(op: &str, fields: &[(&str, &str)]) -> Object {
    let o = Object::new();
    set(&o, "op", &JsValue::from_str(op));
    for (k, v) in fields {
        set(&o, k, &JsValue::from_str(v));
    }
    o
}

/// Adds the hop picked by hand, when there is one.
pub fn with_hop(request: &Object, hop: Option<usize>) {
    if let Some(h) = hop {
        set(request, "hop", &JsValue::from(h as u32));
    }
}

/// Adds a number field.
pub fn with_number(request: &Object, key: &str, n: u64) {
    set(request, key, &JsValue::from_f64(n as f64));
}

fn strings(value: &JsValue) -> Vec<String> {
    Array::from(value)
        .iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}

/// The worker's reply to `read`: the paste, or why it was not recognised.
pub fn paste_from(text: Rc<str>, hop: Option<usize>, json: &str) -> Result<Paste, PasteError> {
    let reply = JSON::parse(json).unwrap_or(JsValue::NULL);
    let s = |k: &str| get(&reply, k).as_string();
    let Some(panel) = s("panel") else {
        return Err(PasteError {
            reason: s("reason").unwrap_or_else(|| "The paste could not be read.".into()),
            formats: Array::from(&get(&reply, "formats"))
                .iter()
                .map(|f| {
                    let mut parts = strings(&f).into_iter();
                    let mut next = || parts.next().unwrap_or_default();
                    (next(), next(), next())
                })
                .collect(),
        });
    };
    Ok(Paste {
        text,
        hop,
        target: s("target").and_then(|t| sendercheck_core::Target::parse(&t).ok()),
        helo: s("helo"),
        panel: panel.into(),
        domain: s("domain").map(|text| DomainAsk {
            text,
            mail_from: s("mail_from"),
            dkim: s("dkim").unwrap_or_default(),
        }),
    })
}

/// The worker's reply to `follow`.
pub fn followed_from(json: &str) -> Result<Followed, String> {
    let reply = JSON::parse(json).map_err(|_| "the worker's reply is not JSON".to_string())?;
    let s = |k: &str| get(&reply, k).as_string();
    Ok(Followed {
        panel: s("panel").map(Rc::from),
        fixes: s("fixes").unwrap_or_default().into(),
        recording: s("recording").unwrap_or_default().into(),
    })
}

/// The worker's reply to `blocklists`: the section and the replies asked.
pub fn listed_from(json: &str) -> Result<(Rc<str>, Rc<str>), String> {
    let reply = JSON::parse(json).map_err(|_| "the worker's reply is not JSON".to_string())?;
    let s = |k: &str| get(&reply, k).as_string().unwrap_or_default();
    Ok((s("html").into(), s("recording").into()))
}
