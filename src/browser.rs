//! The browser services the page uses. Every call tolerates a missing API (no storage in a private
//! window, no clipboard on plain http): the page keeps working, it just cannot remember or copy.

use wasm_bindgen::JsCast;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `location.search`, e.g. `?ip=192.0.2.1`.
pub fn location_search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's address without query or fragment.
pub fn page_url() -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    format!("{origin}{path}")
}

/// Puts `query` (starting with `?`) in the address bar without reloading.
pub fn replace_query(query: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let url = format!("{}{query}", page_url());
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// What the page remembers in local storage (nothing else is kept): the resolver, the user's
/// mail server (`mta`), the Spamhaus DQS key (`spamhaus-key`, only ever sent inside the DNS
/// names asked).
pub fn stored(key: &str) -> Option<String> {
    window()?
        .local_storage()
        .ok()??
        .get_item(&format!("sendercheck.{key}"))
        .ok()?
}

/// Remembers `value` under `key` (see [`stored`]).
pub fn store(key: &str, value: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&format!("sendercheck.{key}"), value);
    }
}

/// Copies text to the clipboard; false when the browser refuses (no permission, no clipboard on
/// plain http, no focus).
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `text` as a file download.
pub fn download(filename: &str, mime: &str, text: &str) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys_array_of(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(filename);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn js_sys_array_of(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

/// Brings the element `id` into view when it is not (above the viewport, or in its lower part:
/// under the fold), and moves the focus to it so screen readers read it; an element already in
/// view stays where it is, so someone reading the results does not lose their place.
pub fn bring_into_view(id: &str) {
    let Some(w) = window() else { return };
    let Some(el) = w.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let top = el.get_bounding_client_rect().top();
    let height = w
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if top < 0.0 || top > height * 0.6 {
        el.scroll_into_view_with_bool(true);
    }
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Sets `<link id=… rel=… href=…>` in the document's head, adding it on first use; `None` removes
/// it. `crossorigin` is set too (harmless for a stylesheet, required for a CORS preconnect).
pub fn head_link(id: &str, rel: &str, href: Option<&str>) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    match (href, document.get_element_by_id(id)) {
        (None, Some(link)) => link.remove(),
        (None, None) => {}
        (Some(href), Some(link)) => {
            let _ = link.set_attribute("href", href);
        }
        (Some(href), None) => {
            let (Ok(link), Some(head)) = (document.create_element("link"), document.head()) else {
                return;
            };
            link.set_id(id);
            let _ = link.set_attribute("rel", rel);
            let _ = link.set_attribute("crossorigin", "");
            let _ = link.set_attribute("href", href);
            let _ = head.append_child(&link);
        }
    }
}

/// Shows an error box instead of a dead page when the app panics.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("Sender Check crashed: {message}").into());
        let Some(document) = window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = document.body() else { return };
        if document.get_element_by_id("panic").is_some() {
            return;
        }
        if let Ok(div) = document.create_element("div") {
            div.set_id("panic");
            div.set_attribute("role", "alert").ok();
            div.set_class_name("panic");
            let text = format!(
                "Sender Check hit an internal error and stopped. Please report it with the address and EHLO line you checked, \
                 your browser, and this message:\n\n{message}\n\nReload the page to start again."
            );
            if let Ok(p) = document.create_element("pre") {
                p.set_text_content(Some(&text));
                let _ = div.append_child(&p);
            }
            let _ = body.prepend_with_node_1(&div);
        }
    }));
}
