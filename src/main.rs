//! The Sender Check web page (Yew, compiled to wasm32 by Trunk).
//!
//! For now a placeholder that says what the page will do and points to the CLI; the page itself is
//! built on the same engine (`sendercheck-core`) and DoH client (`sendercheck-doh`).

#[cfg(target_arch = "wasm32")]
mod app;

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

/// The page only runs in a browser; on the host this binary does nothing.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sendercheck-web runs in the browser: `make serve` builds and serves it.");
}
