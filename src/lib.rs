//! The Sender Check web page: a Yew app, compiled to wasm32 by Trunk, that runs the same engine
//! (`sendercheck-core`) and DoH client (`sendercheck-doh`) as the CLI, in the browser.
//!
//! - [`model`]: resolver choices and permalinks; [`state`]: the state and its reducer. Plain data,
//!   tested natively with `cargo test`.
//! - [`extras`]: what a Web Worker of its own does once first needed (the paste reader, the
//!   exports), as plain functions tested natively; its message loop is wasm-only.
//! - `hooks`: the state served to the components; `services`: running a check, the extras worker,
//!   the traced resolver; `browser`: the few browser APIs used; `components`: one small module
//!   per component; `app`: the root, which only wires them together.

pub mod extras;
pub mod model;
pub mod render;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod services;
