//! The raw DNS answers behind a report, collapsible.

use sendercheck_core::dns::Exchange;
use yew::prelude::*;

/// Props of [`Evidence`].
#[derive(Properties, PartialEq)]
pub struct EvidenceProps {
    /// The exchanges, in the order asked.
    pub exchanges: Vec<Exchange>,
}

/// Per question: rcode, AD flag, records with TTL.
#[component]
pub fn Evidence(props: &EvidenceProps) -> Html {
    html! {
        <details class="evidence">
            <summary>{ format!("DNS evidence ({} questions)", props.exchanges.len()) }</summary>
            { for props.exchanges.iter().map(|e| html! {
                <div class="exchange">
                    <p class="exchange-q"><code>{ format!("{} {}", e.question.name, e.question.rtype) }</code>
                    { match &e.result {
                        Ok(a) => html! { <>
                            <span class="rcode">{ a.rcode.to_string() }</span>
                            <span class="ad" title="AD flag: the resolver validated the answer with DNSSEC">
                                { if a.authenticated { "AD (DNSSEC validated)" } else { "no AD flag" } }
                            </span>
                        </> },
                        Err(err) => html! { <span class="rcode failed">{ format!("no answer: {err}") }</span> },
                    } }
                    </p>
                    if let Ok(a) = &e.result {
                        if !a.records.is_empty() {
                            <table class="records">
                                <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "TTL" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Data" }</th></tr></thead>
                                <tbody>
                                    { for a.records.iter().map(|r| html! {
                                        <tr><td><code>{ &r.name }</code></td><td>{ r.ttl }</td><td>{ r.rtype.to_string() }</td><td><code>{ r.data.to_string() }</code></td></tr>
                                    }) }
                                </tbody>
                            </table>
                        }
                    }
                </div>
            }) }
        </details>
    }
}
