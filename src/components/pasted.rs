//! What the paste said: the format, the values taken and why, the Received chain (pick another
//! hop), the receiver's own verdicts beside this check's, the settings read, and the paste's
//! findings (Sender Address Verification, disagreements with the receiver).
//!
//! Data attributes for tests and scripts: `data-format` on the section, `data-extracted` on each
//! value, `data-role` and `data-chosen` on hop rows, `data-method` on receiver rows.

use std::rc::Rc;

use sendercheck_core::paste::{self, paste_findings, Extracted};
use sendercheck_core::{Area, Finding};
use yew::prelude::*;

use crate::app::{check_pasted, StateHandle};
use crate::components::finding::FindingView;
use crate::components::report::Card;
use crate::components::text::{breakable, with_code};
use crate::state::{Finished, Outcome, Remote};

/// The run that the paste started, once it has finished.
fn finished_run<'a>(state: &'a StateHandle, x: &Rc<Extracted>) -> Option<&'a Finished> {
    match &state.run {
        Remote::Ready(done)
            if done
                .request
                .paste
                .as_ref()
                .is_some_and(|p| Rc::ptr_eq(p, x)) =>
        {
            Some(done)
        }
        _ => None,
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

/// The paste panel (nothing when no paste is shown).
#[component]
pub fn Pasted() -> Html {
    let state = use_context::<StateHandle>().expect("state context");
    let Some(x) = state.paste.clone() else {
        return html! {};
    };
    let done = finished_run(&state, &x);
    let report = done.and_then(|d| match &d.outcome {
        Outcome::Ip(r) => Some(r),
        Outcome::Host(_) => None,
    });
    let checking = state
        .request
        .as_ref()
        .and_then(|r| r.paste.as_ref())
        .is_some_and(|p| Rc::ptr_eq(p, &x));
    let findings: Vec<Finding> = done
        .map_or_else(|| paste_findings(&x, None), |d| d.paste_findings())
        .into_iter()
        // While the address is checked, its own EHLO card speaks for the name.
        .filter(|f| !(checking && report.is_none() && f.check == Area::Helo))
        .collect();
    let receiver_findings: Vec<Finding> = findings
        .iter()
        .filter(|f| f.check == Area::Receiver)
        .cloned()
        .collect();
    let pick = |i: usize| {
        let state = state.clone();
        let x = x.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*x).clone();
            if next.choose_hop(i) {
                check_pasted(&state, next);
            }
        })
    };
    let busy = matches!(state.run, Remote::Loading);
    let rdns = x.rdns_seen.clone().or_else(|| {
        x.rdns_unknown
            .then(|| "none (the receiver found no verified name)".to_string())
    });
    let config = x.format.is_config();
    let seen_by_receiver = x.format.is_receivers_record();
    let no_ip = match paste::target(&x) {
        paste::Target::Host(name) => Some(format!(
            "not in the paste; every address of {name} is checked"
        )),
        paste::Target::Ip(ip) => Some(format!(
            "not in the paste; the EHLO literal's {ip} is checked"
        )),
        paste::Target::Nothing => None,
    };
    html! {
        <section id="pasted" class="pasted" data-format={x.format.as_str()} aria-labelledby="pasted-title">
            <h2 id="pasted-title" class="section-title">{ format!("Pasted: {}", x.format.describe()) }</h2>
            <p class="pasted-reason">{ with_code(&x.reason) }</p>
            <dl class="extracted">
                { value("Sending IP", "ip", x.ip.map(|ip| ip.to_string()).or(no_ip)) }
                { value("EHLO name", "helo", x.helo.clone()) }
                if seen_by_receiver {
                    { value("Reverse name the receiver recorded", "rdns_seen", rdns) }
                }
                if config {
                    { value("Sender Address Verification", "sav", Some(if x.sav { "on" } else { "off" }.into())) }
                }
            </dl>
            if !x.notes.is_empty() {
                <ul class="notes">{ for x.notes.iter().map(|n| html! { <li>{ with_code(n) }</li> }) }</ul>
            }
            if !x.hops.is_empty() {
                <div class="table-wrap">
                    <table class="hops">
                        <caption>{ "The Received chain, newest first. The highlighted hop is where the message entered the receiver." }</caption>
                        <thead><tr>
                            <th scope="col">{ "#" }</th><th scope="col">{ "Role" }</th><th scope="col">{ "EHLO" }</th>
                            <th scope="col">{ "Reverse name" }</th><th scope="col">{ "IP" }</th><th scope="col">{ "By" }</th><th scope="col"><span class="sr-only">{ "Action" }</span></th>
                        </tr></thead>
                        <tbody>
                            { for x.hops.iter().enumerate().map(|(i, h)| {
                                let chosen = x.chosen == Some(i);
                                let role = h.role.as_str();
                                html! {
                                    <tr class={classes!(role, chosen.then_some("chosen"))} data-role={role} data-chosen={chosen.to_string()} aria-current={chosen.then_some("true")}>
                                        <td data-label="#">{ i + 1 }</td>
                                        <td data-label="Role">{ role }<span class="why">{ &h.why }</span></td>
                                        <td class="name" data-label="EHLO">{ breakable(h.helo.as_deref().unwrap_or_default()) }</td>
                                        <td class="name" data-label="Reverse name">{ breakable(h.rdns.as_deref().unwrap_or(if h.rdns_unknown { "unknown" } else { "" })) }</td>
                                        <td class="name" data-label="IP">{ match h.ip {
                                            Some(std::net::IpAddr::V6(v6)) => breakable(&v6.to_string()),
                                            Some(v4) => html! { <span class="nowrap">{ v4.to_string() }</span> },
                                            None => html! {},
                                        } }</td>
                                        <td class="name" data-label="By">{ breakable(h.by.as_deref().unwrap_or_default()) }</td>
                                        <td class="action">
                                            if h.ip.is_some() && !chosen {
                                                <button type="button" class="pick" onclick={pick(i)} disabled={busy}
                                                    aria-label={format!("Check this hop (Received header {})", i + 1)}>{ "Check this hop" }</button>
                                            } else if chosen {
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
            <Receiver extracted={x.clone()} iprev={report.map(|r| r.iprev.result.as_str())} findings={receiver_findings} />
            if !x.settings.is_empty() {
                <ul class="settings" aria-label="Settings read">
                    { for x.settings.iter().map(|s| html! {
                        <li><span class="line">{ format!("line {}", s.line) }</span><code>{ format!("{} = {}", s.name, s.value) }</code></li>
                    }) }
                </ul>
            }
            if config {
                <Card check="sav" result={if x.sav { "fail" } else { "pass" }} title="Sender Address Verification (callouts)"
                    summary={if x.sav { "On: your server probes other domains' servers before accepting mail." } else { "Off: this configuration makes no sender callouts." }}>
                    { for findings.iter().filter(|f| f.check == Area::Sav).map(|f| html! { <FindingView finding={f.clone()} /> }) }
                </Card>
            }
            { for findings.iter().filter(|f| f.check != Area::Sav && f.check != Area::Receiver).map(|f| html! { <FindingView finding={f.clone()} /> }) }
        </section>
    }
}

/// Props of [`Receiver`].
#[derive(Properties, PartialEq)]
pub struct ReceiverProps {
    /// The paste.
    pub extracted: Rc<Extracted>,
    /// This check's iprev result for the extracted address, once finished.
    pub iprev: Option<&'static str>,
    /// The paste's findings about the receiver's verdicts.
    pub findings: Vec<Finding>,
}

/// The receiver's own verdicts beside this check's, and what disagrees.
#[component]
pub fn Receiver(props: &ReceiverProps) -> Html {
    let x = &props.extracted;
    let rows: Vec<_> = x
        .receiver_auth()
        .flat_map(|a| a.results.iter().map(move |r| (a, r)))
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
    let disagree = findings.iter().any(|f| f.id.ends_with("-differs"));
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
                            let props_text: Vec<String> = r.props.iter().map(|(k, v)| format!("{k}={v}")).collect();
                            html! {
                                <tr data-method={r.method.clone()} data-result={r.result.clone()}>
                                    <td data-label="Method">{ &r.method }</td>
                                    <td class={classes!("said", r.result.clone())} data-label="Receiver">{ &r.result }</td>
                                    <td data-label="This check">{ ours(&r.method) }</td>
                                    <td class="name" data-label="Details">{ format!("{} {}", a.authserv_id.as_deref().unwrap_or(a.header), props_text.join(" ")) }</td>
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
