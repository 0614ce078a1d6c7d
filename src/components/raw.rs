//! Markup built as text (`crate::render`, or the extras worker), injected as it is, with its
//! buttons handled by delegation: `data-action="copy"` copies the fix beside it, any other action
//! goes to the `onaction` callback with the button.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::browser;

/// A click on a button of the markup.
#[derive(Clone, PartialEq)]
pub struct RawAction {
    /// Its `data-action`.
    pub action: String,
    /// Its `data-value` (empty when none).
    pub value: String,
    /// The button, to show what happens.
    pub button: Element,
}

/// The markup in a `<div class={class}>` that handles its buttons.
/// A function rather than a component: see `verdict_box`.
pub fn raw(class: &'static str, html: String, onaction: Callback<RawAction>) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| on_click(&e, &onaction));
    html! {
        <div class={class} {onclick}>
            { Html::from_html_unchecked(html.into()) }
        </div>
    }
}

fn on_click(e: &MouseEvent, onaction: &Callback<RawAction>) {
    let Some(button) = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button[data-action]").ok().flatten())
    else {
        return;
    };
    let action = button.get_attribute("data-action").unwrap_or_default();
    if action != "copy" {
        let value = button.get_attribute("data-value").unwrap_or_default();
        onaction.emit(RawAction {
            action,
            value,
            button,
        });
        return;
    }
    let text = button
        .closest(".fix")
        .ok()
        .flatten()
        .and_then(|fix| fix.query_selector("pre").ok().flatten())
        .and_then(|pre| pre.text_content())
        .unwrap_or_default();
    let button: Option<HtmlElement> = button.dyn_into().ok();
    yew::platform::spawn_local(async move {
        if browser::copy_text(&text).await {
            if let Some(b) = button {
                b.set_inner_text("Copied");
            }
        }
    });
}
