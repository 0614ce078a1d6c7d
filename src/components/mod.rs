//! The page's components, one module each.

pub mod form;
pub mod paste_form;
pub mod pasted;
pub mod progress;
pub mod raw;
pub mod report;
pub mod verdict;

/// Engine text with its `` `quoted` `` parts as `<code>` (see `crate::render::with_code`).
pub fn with_code(text: &str) -> yew::Html {
    yew::Html::from_html_unchecked(crate::render::with_code(text).into())
}
