//! Live progress: every DNS question as it is asked, with its state and time taken.

use yew::prelude::*;

use crate::app::StateHandle;

/// The list of questions of the current run.
#[component]
pub fn Progress() -> Html {
    let state = use_context::<StateHandle>().expect("state context");
    if state.queries.is_empty() {
        return html! {};
    }
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
                    html! {
                        <li class={classes!("query", word)} data-state={word}>
                            <span class="q-type">{ q.question.rtype.to_string() }</span>
                            <code class="q-name">{ q.question.name.to_string() }</code>
                            <span class="q-state">{ text }</span>
                            <span class="q-ms">{ q.ms.map(|ms| format!("{ms:.0} ms")).unwrap_or_default() }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
