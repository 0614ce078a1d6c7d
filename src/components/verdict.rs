//! The verdict: one headline, announced to screen readers as soon as it is known.

use sendercheck_core::Verdict;
use yew::prelude::*;

use crate::state::{Remote, State};

/// The headline box. A function of the state rather than a component: the root renders on every
/// change anyway, and each component type costs the page's first load about a kilobyte.
pub fn verdict_box(state: &State) -> Html {
    let (word, body) = match &state.run {
        Remote::Idle => {
            return html! { <section id="verdict" class="verdict idle" aria-live="polite" data-verdict="idle"></section> }
        }
        Remote::Loading => {
            let what = state
                .request
                .as_ref()
                .map(|r| r.target_text.clone())
                .unwrap_or_default();
            (
                "loading",
                html! { <p class="headline"><span class="spinner" aria-hidden="true"></span>{ format!("Checking {what}…") }</p> },
            )
        }
        // The run could not start (the resolver URL was refused): our failure, not the DNS's.
        Remote::Failed(message) => ("unchecked", html! { <p class="headline">{ message }</p> }),
        Remote::Ready(done) => {
            let word = done.checked.verdict().as_str();
            let label = match done.checked.verdict() {
                Verdict::Pass => "Accepted",
                Verdict::Fail => "Problems found",
                Verdict::TempError => "Could not tell",
                Verdict::Unchecked => "Could not check",
            };
            (
                word,
                html! {
                    <>
                        <p class="verdict-label">{ label }</p>
                        <p class="headline">{ done.checked.headline() }</p>
                        if let Some(problem) = done.resolver_problem() {
                            <p id="resolver-problem" class="resolver-problem" role="alert">{ problem }</p>
                        }
                        <p class="meta">{ format!("Checked through {} in {} ms.", done.request.resolver.describe(), done.elapsed_ms) }</p>
                    </>
                },
            )
        }
    };
    html! {
        <section id="verdict" tabindex="-1" class={classes!("verdict", word)} aria-live="polite" aria-busy={(word == "loading").to_string()} data-verdict={word}>
            { body }
        </section>
    }
}
