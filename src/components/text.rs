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
