//! The paste panel: markup the extras worker rendered (`crate::extras::panel`), injected as it is,
//! with its buttons handled by `Raw`: `data-action="hop"` checks another Received header,
//! `data-action="copy"` copies a fix.

use yew::prelude::*;

use crate::components::raw::{raw, RawAction};
use crate::state::{Remote, State};

/// The paste panel (nothing when no paste is shown); `onpick` checks another Received header
/// (0-based). A function of the state, like `verdict_box`.
pub fn pasted(state: &State, onpick: &Callback<usize>) -> Html {
    let Some(paste) = state.paste.clone() else {
        return html! {};
    };
    let from_this_paste = state
        .request
        .as_ref()
        .and_then(|r| r.paste.as_ref())
        .is_some_and(|p| std::rc::Rc::ptr_eq(p, &paste));
    let (panel, failed) = match (&state.run, &state.paste_panel) {
        (Remote::Ready(_), Remote::Ready(html)) if from_this_paste => (html.clone(), None),
        (_, Remote::Failed(why)) if from_this_paste => (paste.panel.clone(), Some(why.clone())),
        _ => (paste.panel.clone(), None),
    };
    let busy = matches!(state.run, Remote::Loading) || state.reading;
    let onaction = {
        let onpick = onpick.clone();
        Callback::from(move |a: RawAction| {
            if a.action == "hop" && !busy {
                if let Ok(hop) = a.value.parse() {
                    onpick.emit(hop);
                }
            }
        })
    };
    html! {
        <>
            { raw("pasted-wrap", crate::render::take_rows(&panel).1.to_string(), onaction) }
            if let Some(why) = failed {
                <p class="field-error" role="alert">{ why }</p>
            }
        </>
    }
}
