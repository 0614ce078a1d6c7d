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

/// Props of [`Raw`].
#[derive(Properties, PartialEq)]
pub struct RawProps {
    /// The markup.
    pub html: AttrValue,
    /// The wrapper's class.
    #[prop_or_default]
    pub class: Classes,
    /// A button with a `data-action` other than `copy` was clicked.
    #[prop_or_default]
    pub onaction: Callback<RawAction>,
}

/// The markup in a `<div>` that handles its buttons.
#[component]
pub fn Raw(props: &RawProps) -> Html {
    let onclick = {
        let onaction = props.onaction.clone();
        Callback::from(move |e: MouseEvent| on_click(&e, &onaction))
    };
    html! {
        <div class={props.class.clone()} {onclick}>
            { Html::from_html_unchecked(props.html.clone()) }
        </div>
    }
}

fn on_click(e: &MouseEvent, onaction: &Callback<RawAction>) {
    let Some(button) = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("[data-action]").ok().flatten())
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
