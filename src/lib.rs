//! The Sender Check web page: a Yew app, compiled to wasm32 by Trunk, that runs the same engine
//! (`sendercheck-core`) and DoH client (`sendercheck-doh`) as the CLI, in the browser.
//!
//! - [`model`]: plain data (resolver choices, targets, permalinks), tested natively.
//! - `state`: the app state, an `Action` enum and its reducer, served by a context provider.
//! - `trace`: a resolver wrapper that reports every DNS question as it is asked and answered.
//! - `browser`: the few browser services used (location, history, local storage, clipboard,
//!   downloads, the panic box).
//! - `components`: one small module per component.

pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod trace;
