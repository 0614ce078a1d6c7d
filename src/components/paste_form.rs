//! The paste box: message headers, an MTA log line, an MTA configuration or an EHLO line.
//!
//! The text is read from the textarea only when the form is submitted, so a megabyte-sized paste
//! costs nothing while it sits in the box; the extras worker reads it (see `crate::extras`).

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::with_code;
use crate::state::PasteError;

/// Props of [`PasteForm`].
#[derive(Properties, PartialEq)]
pub struct PasteFormProps {
    /// A check is running, or a paste is being read.
    pub busy: bool,
    /// Why the last paste could not be read.
    #[prop_or_default]
    pub error: Option<Rc<PasteError>>,
    /// The text to read.
    pub onread: Callback<String>,
}

/// The paste form. Unrecognised text stays in the box, with the formats that are recognised.
#[component]
pub fn PasteForm(props: &PasteFormProps) -> Html {
    let area = use_node_ref();
    // Typing after an error hides it until the next submission.
    let edited = use_state(|| false);
    let onsubmit = {
        let area = area.clone();
        let edited = edited.clone();
        let onread = props.onread.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(text) = area.cast::<HtmlTextAreaElement>().map(|a| a.value()) {
                edited.set(false);
                onread.emit(text);
            }
        })
    };
    let oninput = {
        let edited = edited.clone();
        Callback::from(move |_: InputEvent| {
            if !*edited {
                edited.set(true);
            }
        })
    };
    let error = props.error.as_ref().filter(|_| !*edited);
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
            <button id="paste-run" type="submit" class="primary" disabled={props.busy}>
                { if props.busy { "Checking…" } else { "Read and check" } }
            </button>
        </form>
    }
}
