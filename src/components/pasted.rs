//! The paste panel: markup the extras worker rendered (`crate::extras::panel`), injected as it is,
//! with its buttons handled by `Raw`: `data-action="hop"` checks another Received header,
//! `data-action="copy"` copies a fix.

use yew::prelude::*;

use crate::components::raw::{Raw, RawAction};
use crate::hooks::use_app_state;
use crate::state::Remote;

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
        let onpick = props.onpick.clone();
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
            <Raw class="pasted-wrap" html={panel.to_string()} {onaction} />
            if let Some(why) = failed {
                <p class="field-error" role="alert">{ why }</p>
            }
        </>
    }
}
