//! The results: per address, a card for each check (FCrDNS, EHLO, generic rDNS), then the evidence.
//!
//! Every card carries `data-check` (`iprev`, `helo`, `generic`) and `data-result` (the result word,
//! or `loading` while the check runs) for tests and for people scripting the page.

use sendercheck_core::finding::Area;
use sendercheck_core::identity::iprev::IprevResult;
use sendercheck_core::{Checked, Report};
use yew::prelude::*;

use crate::components::evidence::Evidence;
use crate::components::finding::FindingView;
use crate::components::text::with_code;
use crate::hooks::use_app_state;
use crate::state::{FindingData, Remote};

/// Props of [`Card`].
#[derive(Properties, PartialEq)]
pub struct CardProps {
    /// `iprev`, `helo` or `generic`.
    pub check: AttrValue,
    /// The result word, or `loading`.
    pub result: AttrValue,
    /// The card's heading.
    pub title: AttrValue,
    /// A one-line summary under the heading.
    #[prop_or_default]
    pub summary: Option<AttrValue>,
    /// Findings and anything else.
    #[prop_or_default]
    pub children: Html,
}

/// A check card.
#[component]
pub fn Card(props: &CardProps) -> Html {
    // Unique per card: a host check shows the same cards once per address.
    let heading_id = use_memo((), |_| {
        thread_local!(static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
        NEXT.with(|n| {
            n.set(n.get() + 1);
            format!("card-{}", n.get())
        })
    });
    html! {
        <article class={classes!("card", props.result.to_string())} data-check={props.check.clone()} data-result={props.result.clone()} aria-labelledby={(*heading_id).clone()}>
            <header class="card-head">
                <h3 id={(*heading_id).clone()}>{ &props.title }</h3>
                <span class={classes!("result", props.result.to_string())}>{ &props.result }</span>
            </header>
            if let Some(summary) = &props.summary {
                <p class="card-summary">{ with_code(summary) }</p>
            }
            { props.children.clone() }
        </article>
    }
}

fn findings(report: &Report, areas: &[Area]) -> Html {
    html! {
        { for report.findings.iter().filter(|f| areas.contains(&f.check)).map(|f| html! { <FindingView finding={FindingData::from(f)} /> }) }
    }
}

/// Props of [`AddressReport`].
#[derive(Properties, PartialEq)]
pub struct AddressReportProps {
    /// The report.
    pub report: Report,
}

/// The cards of one address.
#[component]
pub fn AddressReport(props: &AddressReportProps) -> Html {
    let r = &props.report;
    let ptr = r.iprev.ptr();
    let iprev_summary = if ptr.is_empty() {
        match r.iprev.result {
            IprevResult::TempError => "The PTR lookup failed.".to_string(),
            _ => "No PTR record.".to_string(),
        }
    } else {
        let parts: Vec<String> = r
            .iprev
            .names
            .iter()
            .map(|n| {
                let addrs: Vec<String> = n.addresses().iter().map(ToString::to_string).collect();
                let failed = n.forward.as_ref().is_some_and(|f| f.outcome.is_temporary());
                let forward = match (addrs.is_empty(), failed) {
                    (_, true) => "lookup failed".to_string(),
                    (true, false) => "no address".to_string(),
                    (false, false) => addrs.join(", "),
                };
                format!(
                    "{} → {} {}",
                    n.name,
                    forward,
                    if n.confirmed { "✓" } else { "✗" }
                )
            })
            .collect();
        format!("PTR {}", parts.join("; "))
    };
    let usable = r.iprev.relevant_names().iter().any(|n| n.problem.is_none());
    html! {
        <section class="address" data-ip={r.ip.to_string()} aria-label={format!("Results for {}", r.ip)}>
            <h2 class="section-title">{ r.ip.to_string() }</h2>
            <Card check="iprev" result={r.iprev.result.as_str()} title="Forward-confirmed reverse DNS" summary={iprev_summary}>
                { findings(r, &[Area::Address, Area::Iprev]) }
            </Card>
            if let Some(h) = &r.helo {
                <Card check="helo" result={h.result.as_str()} title="EHLO name" summary={format!("The server says `{}`.", h.helo.name)}>
                    { findings(r, &[Area::Helo]) }
                </Card>
            }
            if usable {
                <Card check="generic" result={if r.iprev.generic() { "fail" } else { "pass" }} title="Generic reverse DNS">
                    { findings(r, &[Area::Generic]) }
                </Card>
            }
            <Evidence exchanges={r.exchanges().into_iter().cloned().collect::<Vec<_>>()} />
        </section>
    }
}

/// The results of the current run (loading cards while it runs).
#[component]
pub fn Results() -> Html {
    let state = use_app_state();
    match &state.run {
        Remote::Idle | Remote::Failed(_) => html! {},
        Remote::Loading => {
            let with_helo = state
                .request
                .as_ref()
                .is_some_and(|r| !r.helo.trim().is_empty());
            html! {
                <section class="address loading" aria-label="Checking">
                    <Card check="iprev" result="loading" title="Forward-confirmed reverse DNS" summary={"Asking for the PTR records…"} />
                    if with_helo {
                        <Card check="helo" result="loading" title="EHLO name" summary={"Comparing with the reverse DNS…"} />
                    }
                </section>
            }
        }
        Remote::Ready(done) => match &done.checked {
            Checked::Ip(r) => html! { <AddressReport report={r.clone()} /> },
            Checked::Host(h) => html! {
                <div class="host" data-host={h.host.to_string()}>
                    if h.reports.len() > 1 {
                        <p class="host-note">{ format!("{} has {} addresses; each is checked as a sending IP.", h.host, h.reports.len()) }</p>
                    }
                    { for h.reports.iter().map(|r| html! { <AddressReport report={r.clone()} /> }) }
                </div>
            },
        },
    }
}
