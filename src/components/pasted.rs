//! What the paste said: the format, the values taken and why, the Received chain (pick another
//! hop), the receiver's own verdicts beside this check's, the settings read, and the paste's
//! findings (Sender Address Verification, disagreements with the receiver).
//!
//! It renders the `extracted` object of `sendercheck paste --json` that the extras worker wrote
//! (see `crate::extras`), read with the browser's JSON parser.
//!
//! Data attributes for tests and scripts: `data-format` on the section, `data-extracted` on each
//! value, `data-role` and `data-chosen` on hop rows, `data-method` on receiver rows.

use std::rc::Rc;

use js_sys::{Array, Reflect, JSON};
use sendercheck_core::finding::FindingId;
use sendercheck_core::{Checked, Target};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::components::finding::FindingView;
use crate::components::report::Card;
use crate::components::text::{breakable, with_code};
use crate::hooks::use_app_state;
use crate::state::{FindingData, Paste, Remote};

/// A JSON value as the browser parsed it.
#[derive(Clone)]
struct J(JsValue);

impl J {
    fn get(&self, key: &str) -> J {
        J(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::NULL))
    }
    fn str(&self) -> Option<String> {
        self.0.as_string()
    }
    fn num(&self) -> Option<usize> {
        self.0.as_f64().map(|n| n as usize)
    }
    fn list(&self) -> Vec<J> {
        if Array::is_array(&self.0) {
            Array::from(&self.0).iter().map(J).collect()
        } else {
            Vec::new()
        }
    }
}

fn value(label: &str, key: &str, v: Option<String>) -> Html {
    html! {
        <>
            <dt>{ label }</dt>
            <dd data-extracted={key.to_string()}>{ v.unwrap_or_else(|| "—".into()) }</dd>
        </>
    }
}

fn describe(format: &str) -> &'static str {
    match format {
        "headers" => "message headers",
        "postfix-log" => "a Postfix log",
        "exim-log" => "an Exim main log",
        "postfix-config" => "a Postfix main.cf",
        "exim-config" => "an Exim configuration",
        _ => "an EHLO line",
    }
}

/// Props of [`Pasted`].
#[derive(Properties, PartialEq)]
pub struct PastedProps {
    /// Check another Received header (0-based).
    pub onpick: Callback<usize>,
}

/// The paste panel (nothing when no paste is shown).
#[component]
pub fn Pasted(props: &PastedProps) -> Html {
    let state = use_app_state();
    let Some(paste) = state.paste.clone() else {
        return html! {};
    };
    let x = J(JSON::parse(&paste.extracted).unwrap_or(JsValue::NULL));
    let this_run = |p: &Option<Rc<Paste>>| p.as_ref().is_some_and(|p| Rc::ptr_eq(p, &paste));
    let done = match &state.run {
        Remote::Ready(d) if this_run(&d.request.paste) => Some(d.clone()),
        _ => None,
    };
    let iprev = done.as_ref().and_then(|d| match &d.checked {
        Checked::Ip(r) => Some(r.iprev.result.as_str()),
        Checked::Host(_) => None,
    });
    let checking = state.request.as_ref().is_some_and(|r| this_run(&r.paste));
    // Once the check ran, the worker's findings (with the receiver's) replace the text's own; while
    // an address is checked, its EHLO card speaks for the name.
    let findings: Vec<FindingData> = match (&done, &state.paste_findings) {
        (Some(_), Remote::Ready(f)) => f.clone(),
        _ => paste
            .findings
            .iter()
            .filter(|f| !(checking && f.check == "helo"))
            .cloned()
            .collect(),
    };
    let failed = match (&done, &state.paste_findings) {
        (Some(_), Remote::Failed(why)) => Some(why.clone()),
        _ => None,
    };
    let receiver_findings: Vec<FindingData> = findings
        .iter()
        .filter(|f| f.check == "receiver")
        .cloned()
        .collect();
    let busy = matches!(state.run, Remote::Loading) || state.reading;
    let format = x.get("format").str().unwrap_or_default();
    let chosen = x.get("chosen_hop").num();
    let rdns = x.get("rdns_seen").str();
    let config = format.ends_with("-config");
    let seen_by_receiver = matches!(format.as_str(), "headers" | "postfix-log" | "exim-log");
    let no_ip = match &paste.target {
        Some(Target::Host(name)) => Some(format!(
            "not in the paste; every address of {name} is checked"
        )),
        Some(Target::Ip(ip)) => Some(format!(
            "not in the paste; the EHLO literal's {ip} is checked"
        )),
        None => None,
    };
    let sav = x.get("sav").0.is_truthy();
    let hops = x.get("hops").list();
    let settings = x.get("settings").list();
    html! {
        <section id="pasted" class="pasted" data-format={format.clone()} aria-labelledby="pasted-title">
            <h2 id="pasted-title" class="section-title">{ format!("Pasted: {}", describe(&format)) }</h2>
            <p class="pasted-reason">{ with_code(&x.get("reason").str().unwrap_or_default()) }</p>
            <dl class="extracted">
                { value("Sending IP", "ip", x.get("ip").str().or(no_ip)) }
                { value("EHLO name", "helo", x.get("helo").str()) }
                if seen_by_receiver {
                    { value("Reverse name the receiver recorded", "rdns_seen", rdns.or_else(|| {
                        x.get("rdns_unknown").0.is_truthy()
                            .then(|| "none (the receiver found no verified name)".to_string())
                    })) }
                }
                if config {
                    { value("Sender Address Verification", "sav", Some(if sav { "on" } else { "off" }.into())) }
                }
            </dl>
            if !x.get("notes").list().is_empty() {
                <ul class="notes">{ for x.get("notes").list().iter().map(|n| html! { <li>{ with_code(&n.str().unwrap_or_default()) }</li> }) }</ul>
            }
            if !hops.is_empty() {
                <div class="table-wrap">
                    <table class="hops">
                        <caption>{ "The Received chain, newest first. The highlighted hop is where the message entered the receiver." }</caption>
                        <thead><tr>
                            <th scope="col">{ "#" }</th><th scope="col">{ "Role" }</th><th scope="col">{ "EHLO" }</th>
                            <th scope="col">{ "Reverse name" }</th><th scope="col">{ "IP" }</th><th scope="col">{ "By" }</th><th scope="col"><span class="sr-only">{ "Action" }</span></th>
                        </tr></thead>
                        <tbody>
                            { for hops.iter().enumerate().map(|(i, h)| {
                                let is_chosen = chosen == Some(i);
                                let role = h.get("role").str().unwrap_or_default();
                                let ip = h.get("ip").str();
                                let onclick = props.onpick.reform(move |_: MouseEvent| i);
                                html! {
                                    <tr class={classes!(role.clone(), is_chosen.then_some("chosen"))} data-role={role.clone()} data-chosen={is_chosen.to_string()} aria-current={is_chosen.then_some("true")}>
                                        <td data-label="#">{ i + 1 }</td>
                                        <td data-label="Role">{ role }<span class="why">{ h.get("why").str().unwrap_or_default() }</span></td>
                                        <td class="name" data-label="EHLO">{ breakable(&h.get("helo").str().unwrap_or_default()) }</td>
                                        <td class="name" data-label="Reverse name">{ breakable(&h.get("rdns").str().unwrap_or_else(|| {
                                            if h.get("rdns_unknown").0.is_truthy() { "unknown".into() } else { String::new() }
                                        })) }</td>
                                        <td class="name" data-label="IP">{ match &ip {
                                            Some(ip) if ip.contains(':') => breakable(ip),
                                            Some(v4) => html! { <span class="nowrap">{ v4 }</span> },
                                            None => html! {},
                                        } }</td>
                                        <td class="name" data-label="By">{ breakable(&h.get("by").str().unwrap_or_default()) }</td>
                                        <td class="action">
                                            if ip.is_some() && !is_chosen {
                                                <button type="button" class="pick" {onclick} disabled={busy}
                                                    aria-label={format!("Check this hop (Received header {})", i + 1)}>{ "Check this hop" }</button>
                                            } else if is_chosen {
                                                <span class="chosen-mark">{ "checked" }</span>
                                            }
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            <Receiver receiver={x.get("receiver").list().into_iter().map(|j| j.0).collect::<Vec<_>>()} {iprev} findings={receiver_findings} />
            if !settings.is_empty() {
                <ul class="settings" aria-label="Settings read">
                    { for settings.iter().map(|s| html! {
                        <li><span class="line">{ format!("line {}", s.get("line").num().unwrap_or_default()) }</span><code>{ format!("{} = {}", s.get("name").str().unwrap_or_default(), s.get("value").str().unwrap_or_default()) }</code></li>
                    }) }
                </ul>
            }
            if config {
                <Card check="sav" result={if sav { "fail" } else { "pass" }} title="Sender Address Verification (callouts)"
                    summary={if sav { "On: your server probes other domains' servers before accepting mail." } else { "Off: this configuration makes no sender callouts." }}>
                    { for findings.iter().filter(|f| f.check == "sav").map(|f| html! { <FindingView finding={f.clone()} /> }) }
                </Card>
            }
            { for findings.iter().filter(|f| f.check != "sav" && f.check != "receiver").map(|f| html! { <FindingView finding={f.clone()} /> }) }
            if let Some(why) = failed {
                <p class="field-error" role="alert">{ why }</p>
            }
        </section>
    }
}

/// Props of [`Receiver`].
#[derive(Properties, PartialEq)]
pub struct ReceiverProps {
    /// The receiver's own headers (`extracted.receiver` of the paste JSON).
    pub receiver: Vec<JsValue>,
    /// This check's iprev result for the extracted address, once finished.
    pub iprev: Option<&'static str>,
    /// The paste's findings about the receiver's verdicts.
    pub findings: Vec<FindingData>,
}

/// The receiver's own verdicts beside this check's, and what disagrees.
#[component]
pub fn Receiver(props: &ReceiverProps) -> Html {
    let rows: Vec<(J, J)> = props
        .receiver
        .iter()
        .map(|a| J(a.clone()))
        .flat_map(|a| {
            a.get("results")
                .list()
                .into_iter()
                .map(move |r| (a.clone(), r))
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let ours = |method: &str| -> &'static str {
        match (props.iprev, method) {
            (Some(result), "iprev") => result,
            (None, "iprev") => "…",
            _ => "not checked here",
        }
    };
    let findings = &props.findings;
    let disagree = findings
        .iter()
        .any(|f| FindingId::parse(&f.id).is_some_and(FindingId::is_receiver_disagreement));
    let result = match (props.iprev, disagree) {
        (None, _) => "loading",
        (Some(_), true) => "differs",
        (Some(_), false) => "agrees",
    };
    html! {
        <Card check="receiver" result={result} title="The receiver's own verdicts">
            <div class="table-wrap">
                <table class="receiver">
                    <thead><tr>
                        <th scope="col">{ "Method" }</th><th scope="col">{ "Receiver" }</th><th scope="col">{ "This check" }</th><th scope="col">{ "Details" }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|(a, r)| {
                            let method = r.get("method").str().unwrap_or_default();
                            let said = r.get("result").str().unwrap_or_default();
                            let props_obj = r.get("props").0;
                            let props_text: Vec<String> = js_sys::Object::entries(&props_obj.into())
                                .iter()
                                .map(|kv| {
                                    let kv = J(kv);
                                    let pair = kv.list();
                                    format!(
                                        "{}={}",
                                        pair.first().and_then(J::str).unwrap_or_default(),
                                        pair.get(1).and_then(J::str).unwrap_or_default()
                                    )
                                })
                                .collect();
                            let who = a.get("authserv_id").str().or_else(|| a.get("header").str()).unwrap_or_default();
                            html! {
                                <tr data-method={method.clone()} data-result={said.clone()}>
                                    <td data-label="Method">{ method.clone() }</td>
                                    <td class={classes!("said", said.clone())} data-label="Receiver">{ said }</td>
                                    <td data-label="This check">{ ours(&method) }</td>
                                    <td class="name" data-label="Details">{ format!("{who} {}", props_text.join(" ")) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            { for findings.iter().map(|f| html! { <FindingView finding={f.clone()} /> }) }
        </Card>
    }
}
