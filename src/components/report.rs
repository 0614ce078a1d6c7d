//! The results: per address, a card for each check (FCrDNS, EHLO, generic rDNS), then the evidence
//! (rendered by `crate::render`), the share and export buttons, and the sending domain's panel.
//!
//! Every card carries `data-check` (`iprev`, `helo`, `generic`) and `data-result` (the result word,
//! or `loading` while the check runs) for tests and for people scripting the page.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::browser;
use crate::components::raw::{raw, RawAction};
use crate::extras::domain;
use crate::hooks::StateHandle;
use crate::render;
use crate::services::check;
use crate::state::{Finished, Remote, State};

/// The results of the current run (loading cards while it runs); a function of the state, like
/// `verdict_box`.
pub fn results(state: &StateHandle) -> Html {
    let (html, done) = match &state.run {
        Remote::Idle | Remote::Failed(_) => return html! {},
        Remote::Loading => {
            let with_helo = state
                .request
                .as_ref()
                .is_some_and(|r| !r.helo.trim().is_empty());
            let mut html = render::card(
                "loading",
                "iprev",
                "loading",
                "Forward-confirmed reverse DNS",
                "Asking for the PTR records…",
                "",
            );
            if with_helo {
                html.push_str(&render::card(
                    "loading",
                    "helo",
                    "loading",
                    "EHLO name",
                    "Comparing with the reverse DNS…",
                    "",
                ));
            }
            (
                format!(
                    "<section class=\"address loading\" aria-label=\"Checking\">{html}</section>"
                ),
                None,
            )
        }
        Remote::Ready(done) => (
            render::checked(&done.checked) + render::ACTIONS,
            Some(done.clone()),
        ),
    };
    let html = html + &after(state) + &domain_panel(state);
    let state = state.clone();
    let onaction = Callback::from(move |a: RawAction| {
        if let Some(done) = &done {
            act(&state, done, a);
        }
    });
    raw("results", html, onaction)
}

/// The scorecard: one row per check the run made (each address's identity checks, a paste's
/// bounce, the blocklists, the sending domain's checks), each linking to its card, in a
/// `data-summary` section under the verdict. Nothing before a run has finished.
pub fn summary(state: &State) -> Html {
    let Remote::Ready(done) = &state.run else {
        return html! {};
    };
    let mut rows: String = done
        .checked
        .reports()
        .iter()
        .enumerate()
        .map(|(n, r)| render::address_rows(r, n))
        .collect();
    for part in [&state.paste_panel, &state.blocklists, &state.domain_panel] {
        if let Remote::Ready(html) = part {
            rows.push_str(render::take_rows(html).0);
        }
    }
    let html = format!("<section id=\"summary\" class=\"summary\" data-summary=\"\" aria-labelledby=\"summary-title\"><h2 id=\"summary-title\" class=\"section-title\">Summary</h2><ol class=\"score\">{rows}</ol></section>");
    html! { { Html::from_html_unchecked(html.into()) } }
}

/// What the worker adds after a finished run: "Where to fix it" and the blocklists, each a
/// loading line until it comes, or why it could not.
fn after(state: &State) -> String {
    let mut out = String::new();
    for (part, loading) in [
        (&state.fixes, "Working out where to fix it…"),
        (&state.blocklists, "Asking the DNS blocklists…"),
    ] {
        match part {
            Remote::Idle => {}
            Remote::Loading => {
                out.push_str("<p class=\"pending\" role=\"status\">");
                out.push_str(loading);
                out.push_str("</p>");
            }
            Remote::Ready(html) => out.push_str(render::take_rows(html).1),
            Remote::Failed(why) => {
                out.push_str("<p class=\"field-error\" role=\"alert\">");
                out.push_str(&render::esc(why));
                out.push_str("</p>");
            }
        }
    }
    out
}

/// The sending domain's panel: markup the extras worker rendered (`crate::extras::domain`), a
/// loading card until then, or why the domain could not be checked; nothing when the run asks
/// about no domain. (Part of the results rather than a component of its own: each component
/// costs the page's first load about a kilobyte.)
fn domain_panel(state: &State) -> String {
    let Some(ask) = state.request.as_ref().and_then(|r| r.domain.as_ref()) else {
        return String::new();
    };
    match &state.domain_panel {
        Remote::Idle => String::new(),
        Remote::Loading => domain::loading(&ask.text),
        Remote::Ready(html) => render::take_rows(html).1.to_string(),
        Remote::Failed(why) => domain::failed(&format!(
            "The sending domain `{}` could not be checked: {why}",
            ask.text
        )),
    }
}

/// The buttons of the results: share, export, ask the blocklists (with a Spamhaus key). A button
/// says what is happening.
fn act(state: &StateHandle, done: &Rc<Finished>, a: RawAction) {
    let dispatcher = state.dispatcher();
    if a.action == "blocklists" {
        let key = if a.value == "key" {
            let key = a
                .button
                .closest(".dqs")
                .ok()
                .flatten()
                .and_then(|d| d.query_selector("input").ok().flatten())
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            browser::store("spamhaus-key", &key);
            key
        } else {
            browser::stored("spamhaus-key").unwrap_or_default()
        };
        check::blocklists(&dispatcher, done, &state.extra, key);
        return;
    }
    let Ok(button) = a.button.dyn_into::<HtmlElement>() else {
        return;
    };
    let label = button.inner_text();
    let say = move |b: &HtmlElement, text: &str| b.set_inner_text(text);
    match a.action.as_str() {
        "link" => {
            let url = format!("{}{}", browser::page_url(), browser::location_search());
            yew::platform::spawn_local(async move {
                if browser::copy_text(&url).await {
                    say(&button, "Link copied");
                }
            });
        }
        "export" => {
            let (format, ext, mime) = match a.value.as_str() {
                "json" => ("json", "json", "application/json"),
                _ => ("markdown", "md", "text/markdown"),
            };
            let name = format!(
                "sendercheck-{}.{ext}",
                done.request.target_text.replace([':', '/', '[', ']'], "_")
            );
            say(&button, "Preparing…");
            check::export(state, done, format, move |reply| {
                say(&button, &label);
                match reply {
                    Ok(text) => browser::download(&name, mime, &text),
                    Err(why) => {
                        let _ = button.set_attribute("title", &why);
                        say(&button, &format!("{label}: failed ({why})"));
                    }
                }
            });
        }
        _ => {}
    }
}
