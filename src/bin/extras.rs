//! Entry point of the extras worker (`data-type="worker"` in index.html; see `sendercheck_web::extras`).

#[cfg(target_arch = "wasm32")]
fn main() {
    sendercheck_web::extras::worker::start();
}

/// The worker only runs in a browser; on the host this binary does nothing.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sendercheck-extras runs in the browser as the page's worker.");
}
