//! Live progress: every DNS question as it is asked, once each, with its state and time taken;
//! once the run is over, which checks used it (rendered by `crate::render::progress`).

use yew::prelude::*;

use crate::components::raw::raw;
use crate::render;
use crate::state::{Remote, State};

/// The list of questions of the current run (a function of the state: see `verdict_box`).
pub fn progress(state: &State) -> Html {
    if state.queries.is_empty() {
        return html! {};
    }
    let done = match &state.run {
        Remote::Ready(d) => Some(d.clone()),
        _ => None,
    };
    let html = render::progress(&state.queries, |q| {
        done.as_ref()
            .map(|d| d.used_by(q).join(", "))
            .unwrap_or_default()
    });
    raw("", html, Callback::noop())
}
