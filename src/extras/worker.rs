//! The worker's message loop: a request in, a reply out, each a plain JS object.
//!
//! Request: `{id, op, text?, hop?, target?, helo?, recording?, elapsed_ms?, resolver?, domain?,
//! mail_from?, dkim?, domain_recording?, extra?, fixed?, mta?, lists?}` with `op` one of `read`,
//! `follow` (a bounce's checks and where to fix it: replies `{panel, fixes, recording}`),
//! `blocklists` (replies `{html, recording}`), `domain` (the live check: replies with its
//! recording), `domain-panel`, `json`, `markdown`. Reply: `{id, ok, value}`, where `value` is the
//! JSON or text asked for, or (with `ok: false`) why it could not be made. The worker posts
//! `{ready: true}` once it listens: a message sent before that would be lost.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::domain::Ask;
use super::{check_domain_live, read, Run};

fn field(data: &JsValue, key: &str) -> JsValue {
    Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(data: &JsValue, key: &str) -> Option<String> {
    field(data, key).as_string()
}

fn number(data: &JsValue, key: &str) -> Option<u64> {
    field(data, key)
        .as_f64()
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64)
}

async fn answer(data: &JsValue) -> Result<String, String> {
    let op = text(data, "op").unwrap_or_default();
    let pasted = text(data, "text");
    let hop = number(data, "hop").map(|h| h as usize);
    if op == "read" {
        let reply = read(pasted.as_deref().unwrap_or_default(), hop);
        return serde_json::to_string(&reply).map_err(|e| e.to_string());
    }
    let target = text(data, "target").unwrap_or_default();
    let helo = text(data, "helo").unwrap_or_default();
    let recording = text(data, "recording").unwrap_or_default();
    let domain = text(data, "domain");
    let mail_from = text(data, "mail_from");
    let dkim = text(data, "dkim").unwrap_or_default();
    let ask = domain.as_deref().map(|d| Ask {
        text: d,
        mail_from: mail_from.as_deref(),
        dkim: &dkim,
    });
    let resolver = text(data, "resolver").unwrap_or_default();
    if op == "domain" {
        let ask = ask.ok_or("no sending domain was given")?;
        return check_domain_live(&ask, &target, &helo, &resolver).await;
    }
    let domain_recording = text(data, "domain_recording").unwrap_or_default();
    let extra = text(data, "extra").unwrap_or_default();
    let mta = text(data, "mta");
    let lists = text(data, "lists");
    let run = Run {
        target: &target,
        helo: &helo,
        recording: &recording,
        paste: pasted.as_deref().map(|t| (t, hop)),
        domain: ask.map(|a| (a, domain_recording.as_str())),
        extra: &extra,
        fixed: field(data, "fixed").is_truthy(),
        mta: mta.as_deref().filter(|m| !m.is_empty()),
        lists: lists.as_deref(),
    };
    match op.as_str() {
        "follow" => to_json(run.follow_up(&resolver).await),
        "blocklists" => to_json(run.blocklists(&resolver).await),
        "domain-panel" => run.domain_panel().await,
        "json" => run.json(number(data, "elapsed_ms").unwrap_or(0)).await,
        "markdown" => run.markdown(&resolver).await,
        other => Err(format!("the worker has no operation `{other}`")),
    }
}

fn to_json<T: serde::Serialize>(value: Result<T, String>) -> Result<String, String> {
    value.and_then(|v| serde_json::to_string(&v).map_err(|e| e.to_string()))
}

fn post(scope: &DedicatedWorkerGlobalScope, id: &JsValue, result: Result<String, String>) {
    let reply = Object::new();
    let (ok, value) = match result {
        Ok(v) => (true, v),
        Err(e) => (false, e),
    };
    let _ = Reflect::set(&reply, &"id".into(), id);
    let _ = Reflect::set(&reply, &"ok".into(), &JsValue::from_bool(ok));
    let _ = Reflect::set(&reply, &"value".into(), &JsValue::from_str(&value));
    let _ = scope.post_message(&reply);
}

/// Starts listening, and says so.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let scope = replies.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let id = field(&data, "id");
            post(&scope, &id, answer(&data).await);
        });
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}
