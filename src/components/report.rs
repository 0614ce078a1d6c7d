//! The results: per address, a card for each check (FCrDNS, EHLO, generic rDNS), then the evidence
//! (rendered by `crate::render`), and the share and export buttons.
//!
//! Every card carries `data-check` (`iprev`, `helo`, `generic`) and `data-result` (the result word,
//! or `loading` while the check runs) for tests and for people scripting the page.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::browser;
use crate::components::raw::{Raw, RawAction};
use crate::hooks::use_app_state;
use crate::render;
use crate::services::check::export;
use crate::state::{Finished, Remote};

/// The results of the current run (loading cards while it runs).
#[component]
pub fn Results() -> Html {
    let state = use_app_state();
    let (html, done) = match &state.run {
        Remote::Idle | Remote::Failed(_) => return html! {},
        Remote::Loading => {
            let with_helo = state
                .request
                .as_ref()
                .is_some_and(|r| !r.helo.trim().is_empty());
            let mut html = render::card(
                "loading",
                "iprev",
                "loading",
                "Forward-confirmed reverse DNS",
                "Asking for the PTR records…",
                "",
            );
            if with_helo {
                html.push_str(&render::card(
                    "loading",
                    "helo",
                    "loading",
                    "EHLO name",
                    "Comparing with the reverse DNS…",
                    "",
                ));
            }
            (
                format!(
                    "<section class=\"address loading\" aria-label=\"Checking\">{html}</section>"
                ),
                None,
            )
        }
        Remote::Ready(done) => (
            render::checked(&done.checked) + render::ACTIONS,
            Some(done.clone()),
        ),
    };
    let onaction = Callback::from(move |a: RawAction| {
        if let Some(done) = &done {
            act(done, a);
        }
    });
    html! { <Raw class="results" html={html} {onaction} /> }
}

/// The share and export buttons: the button itself says what is happening.
fn act(done: &Rc<Finished>, a: RawAction) {
    let Ok(button) = a.button.dyn_into::<HtmlElement>() else {
        return;
    };
    let label = button.inner_text();
    let say = move |b: &HtmlElement, text: &str| b.set_inner_text(text);
    match a.action.as_str() {
        "link" => {
            let url = format!("{}{}", browser::page_url(), browser::location_search());
            yew::platform::spawn_local(async move {
                if browser::copy_text(&url).await {
                    say(&button, "Link copied");
                }
            });
        }
        "export" => {
            let (format, ext, mime) = match a.value.as_str() {
                "json" => ("json", "json", "application/json"),
                _ => ("markdown", "md", "text/markdown"),
            };
            let name = format!(
                "sendercheck-{}.{ext}",
                done.request.target_text.replace([':', '/', '[', ']'], "_")
            );
            say(&button, "Preparing…");
            export(done, format, move |reply| {
                say(&button, &label);
                match reply {
                    Ok(text) => browser::download(&name, mime, &text),
                    Err(why) => {
                        let _ = button.set_attribute("title", &why);
                        say(&button, &format!("{label}: failed ({why})"));
                    }
                }
            });
        }
        _ => {}
    }
}
