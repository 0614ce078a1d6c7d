//! Share and export: copy the permalink, download JSON (the CLI's schema) or Markdown.

use yew::prelude::*;

use crate::app::StateHandle;
use crate::browser;
use crate::state::Remote;

/// The share and export buttons, once a run has finished.
#[component]
pub fn Actions() -> Html {
    let state = use_context::<StateHandle>().expect("state context");
    let copied = use_state(|| false);
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
    let on_json = {
        let done = done.clone();
        let name = format!("{stem}.json");
        Callback::from(move |_| browser::download(&name, "application/json", &done.json()))
    };
    let on_md = {
        let done = done.clone();
        let name = format!("{stem}.md");
        Callback::from(move |_| browser::download(&name, "text/markdown", &done.markdown()))
    };
    html! {
        <section class="actions" aria-label="Share and export">
            <button id="copy-link" type="button" onclick={on_link}>{ if *copied { "Link copied" } else { "Copy link" } }</button>
            <button id="export-json" type="button" onclick={on_json}>{ "Export JSON" }</button>
            <button id="export-markdown" type="button" onclick={on_md}>{ "Export Markdown" }</button>
        </section>
    }
}
