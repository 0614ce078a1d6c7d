//! The page's components, one module each.

pub mod actions;
pub mod evidence;
pub mod finding;
pub mod form;
pub mod paste_form;
pub mod pasted;
pub mod progress;
pub mod report;
pub mod sav;
pub mod text;
pub mod verdict;
