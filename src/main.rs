//! Entry point of the page.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    sendercheck_web::browser::install_panic_hook();
    // Into `#app` (index.html holds the static header, footer and SAV section around it).
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<sendercheck_web::app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<sendercheck_web::app::App>::new().render();
        }
    }
}

/// The page only runs in a browser; on the host this binary does nothing.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sendercheck-web runs in the browser: `make serve` builds and serves it.");
}
