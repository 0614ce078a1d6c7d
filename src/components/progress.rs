//! Live progress: every DNS question as it is asked, once each, with its state and time taken;
//! once the run is over, which checks used it.

use yew::prelude::*;

use crate::hooks::use_app_state;
use crate::state::Remote;

/// The list of questions of the current run.
#[component]
pub fn Progress() -> Html {
    let state = use_app_state();
    if state.queries.is_empty() {
        return html! {};
    }
    let done = match &state.run {
        Remote::Ready(d) => Some(d.clone()),
        _ => None,
    };
    html! {
        <section class="progress" aria-label="DNS questions">
            <h2 class="section-title">{ "DNS questions" }</h2>
            <ol id="queries" class="queries">
                { for state.queries.iter().map(|q| {
                    let (word, text) = match &q.result {
                        None => ("asking", "asking…".to_string()),
                        Some(Ok(a)) => ("answered", a.rcode.to_string()),
                        Some(Err(e)) => ("failed", e.to_string()),
                    };
                    let used = done.as_ref().map(|d| d.used_by(&q.question).join(", ")).unwrap_or_default();
                    html! {
                        <li class={classes!("query", word)} data-state={word} data-used-by={used.clone()}>
                            <span class="q-type">{ q.question.rtype.to_string() }</span>
                            <code class="q-name">{ q.question.name.to_string() }</code>
                            <span class="q-state">{ text }</span>
                            <span class="q-ms">{ q.ms.map(|ms| format!("{ms} ms")).unwrap_or_default() }</span>
                            if !used.is_empty() {
                                <span class="q-used">{ format!("used by {used}") }</span>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
