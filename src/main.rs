//! Entry point of the page.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    sendercheck_web::browser::install_panic_hook();
    yew::Renderer::<sendercheck_web::app::App>::new().render();
}

/// The page only runs in a browser; on the host this binary does nothing.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sendercheck-web runs in the browser: `make serve` builds and serves it.");
}
