//! The paste box: message headers, an MTA log line, an MTA configuration or an EHLO line.
//!
//! The text is read from the textarea only when the form is submitted, so a megabyte-sized paste
//! costs nothing while it sits in the box.

use sendercheck_core::paste::{extract, Extracted, Format};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::text::with_code;

/// Props of [`PasteForm`].
#[derive(Properties, PartialEq)]
pub struct PasteFormProps {
    /// A check is running.
    pub busy: bool,
    /// The paste was recognised.
    pub onpaste: Callback<Extracted>,
}

/// The paste form. Unrecognised text stays in the box, with the formats that are recognised.
#[component]
pub fn PasteForm(props: &PasteFormProps) -> Html {
    let area = use_node_ref();
    let error = use_state(|| None::<String>);
    let onsubmit = {
        let area = area.clone();
        let error = error.clone();
        let onpaste = props.onpaste.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(text) = area.cast::<HtmlTextAreaElement>().map(|a| a.value()) else {
                return;
            };
            match extract(&text) {
                Ok(x) => {
                    error.set(None);
                    onpaste.emit(x);
                }
                Err(e) => error.set(Some(e.reason)),
            }
        })
    };
    let oninput = {
        let error = error.clone();
        Callback::from(move |_: InputEvent| {
            if error.is_some() {
                error.set(None);
            }
        })
    };
    html! {
        <form id="paste-form" class="paste-form" {onsubmit} novalidate=true aria-labelledby="paste-title">
            <h2 id="paste-title" class="section-title">{ "Or paste what your server said" }</h2>
            <p id="paste-hint" class="hint">{ "A received message's full headers (Gmail: Show original; elsewhere: View source), a Postfix or Exim log line, your main.cf or Exim configuration, or an EHLO line. The sending IP and EHLO name are taken from it and checked; the text stays in your browser." }</p>
            <label for="paste" class="sr-only">{ "Pasted text" }</label>
            <textarea id="paste" name="paste" rows="6" spellcheck="false" autocomplete="off"
                placeholder="Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net …"
                ref={area} {oninput}
                aria-invalid={error.is_some().to_string()}
                aria-describedby={if error.is_some() { "paste-error" } else { "paste-hint" }} />
            if let Some(reason) = &*error {
                <div id="paste-error" class="field-error paste-error" role="alert">
                    <p>{ with_code(reason) }{ " Paste one of these:" }</p>
                    <ul class="formats">
                        { for Format::ALL.iter().map(|f| html! {
                            <li data-format={f.as_str()}><strong>{ f.describe() }</strong>{ ": " }<code>{ f.sample() }</code></li>
                        }) }
                    </ul>
                </div>
            }
            <button id="paste-run" type="submit" class="primary" disabled={props.busy}>
                { if props.busy { "Checking…" } else { "Read and check" } }
            </button>
        </form>
    }
}
