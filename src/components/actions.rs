//! Share and export: copy the permalink, download JSON (the CLI's schema) or Markdown. The exports
//! are written by the extras worker from the run's recorded answers (see `crate::extras`).

use yew::prelude::*;

use crate::browser;
use crate::hooks::use_app_state;
use crate::services::check::export;
use crate::state::Remote;

/// The share and export buttons, once a run has finished.
#[component]
pub fn Actions() -> Html {
    let state = use_app_state();
    let copied = use_state(|| false);
    let preparing = use_state(|| None::<&'static str>);
    let error = use_state(|| None::<String>);
    let Remote::Ready(done) = &state.run else {
        return html! {};
    };
    let stem = format!(
        "sendercheck-{}",
        done.request.target_text.replace([':', '/', '[', ']'], "_")
    );
    let on_link = {
        let copied = copied.clone();
        Callback::from(move |_| {
            let url = format!("{}{}", browser::page_url(), browser::location_search());
            let copied = copied.clone();
            yew::platform::spawn_local(async move { copied.set(browser::copy_text(&url).await) });
        })
    };
    let download = |format: &'static str, ext: &'static str, mime: &'static str| {
        let done = done.clone();
        let name = format!("{stem}.{ext}");
        let preparing = preparing.clone();
        let error = error.clone();
        Callback::from(move |_| {
            preparing.set(Some(format));
            error.set(None);
            let (name, preparing, error) = (name.clone(), preparing.clone(), error.clone());
            export(&done, format, move |reply| {
                preparing.set(None);
                match reply {
                    Ok(text) => browser::download(&name, mime, &text),
                    Err(why) => error.set(Some(why)),
                }
            });
        })
    };
    html! {
        <section class="actions" aria-label="Share and export">
            <button id="copy-link" type="button" onclick={on_link}>{ if *copied { "Link copied" } else { "Copy link" } }</button>
            <button id="export-json" type="button" onclick={download("json", "json", "application/json")} disabled={preparing.is_some()}>
                { if *preparing == Some("json") { "Preparing…" } else { "Export JSON" } }
            </button>
            <button id="export-markdown" type="button" onclick={download("markdown", "md", "text/markdown")} disabled={preparing.is_some()}>
                { if *preparing == Some("markdown") { "Preparing…" } else { "Export Markdown" } }
            </button>
            if let Some(why) = &*error {
                <p class="field-error" role="alert">{ why }</p>
            }
        </section>
    }
}
