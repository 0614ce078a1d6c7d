//! The paste box: message headers, an MTA log line, an MTA configuration or an EHLO line.
//!
//! The text is read from the textarea only when the form is submitted, so a megabyte-sized paste
//! costs nothing while it sits in the box; the extras worker reads it (see `crate::extras`).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::with_code;
use crate::state::PasteError;

/// The paste form. Unrecognised text stays in the box, with the formats that are recognised
/// (`error`); typing after an error calls `onedit` (the page then hides it until the next
/// submission). A function of its inputs rather than a component: see `verdict_box`.
pub fn paste_form(
    busy: bool,
    error: Option<&Rc<PasteError>>,
    onread: &Callback<String>,
    onedit: &Callback<()>,
) -> Html {
    let onsubmit = {
        let onread = onread.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::Element = e.target_unchecked_into();
            let text = form
                .query_selector("#paste")
                .ok()
                .flatten()
                .and_then(|a| a.dyn_into::<HtmlTextAreaElement>().ok())
                .map(|a| a.value());
            if let Some(text) = text {
                onread.emit(text);
            }
        })
    };
    let oninput = {
        let onedit = onedit.clone();
        let shown = error.is_some();
        Callback::from(move |_: InputEvent| {
            if shown {
                onedit.emit(());
            }
        })
    };
    html! {
        <form id="paste-form" class="paste-form" {onsubmit} novalidate=true aria-labelledby="paste-title">
            <h2 id="paste-title" class="section-title">{ "Or paste what your server said" }</h2>
            <p id="paste-hint" class="hint">{ "A bounce, a message's full headers (Gmail: Show original), a Postfix or Exim log line, main.cf or Exim's configuration, or an EHLO line. It stays in your browser." }</p>
            <label for="paste" class="sr-only">{ "Pasted text" }</label>
            <textarea id="paste" name="paste" rows="6" spellcheck="false" autocomplete="off"
                placeholder="Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net …"
                {oninput}
                aria-invalid={error.is_some().to_string()}
                aria-describedby={if error.is_some() { "paste-error" } else { "paste-hint" }} />
            if let Some(e) = error {
                <div id="paste-error" class="field-error paste-error" role="alert">
                    <p>{ with_code(&e.reason) }{ if e.formats.is_empty() { "" } else { " Paste one of these:" } }</p>
                    if !e.formats.is_empty() {
                        <ul class="formats">
                            { for e.formats.iter().map(|(word, what, sample)| html! {
                                <li data-format={word.clone()}><strong>{ what }</strong>{ ": " }<code>{ sample }</code></li>
                            }) }
                        </ul>
                    }
                </div>
            }
            <button id="paste-run" type="submit" class="primary" disabled={busy}>
                { if busy { "Checking…" } else { "Read and check" } }
            </button>
        </form>
    }
}
