//! Engine text marks names and records with backticks; the page shows those parts as code.

use yew::prelude::*;

/// `text` with every `` `quoted` `` part in a `<code>` element.
pub fn with_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }
        }) }
    }
}

/// A DNS name or address that may wrap only after its dots and colons (never mid-label).
pub fn breakable(name: &str) -> Html {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if c == '.' || c == ':' {
            parts.push(&name[start..=i]);
            start = i + 1;
        }
    }
    parts.push(&name[start..]);
    html! {
        { for parts.into_iter().enumerate().map(|(i, p)| html! { <>{ if i > 0 { html! { <wbr /> } } else { html! {} } }{ p }</> }) }
    }
}
