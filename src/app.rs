//! The root component: the state, the form and the paste box, and the results below them. It only
//! wires the components to the services; the checks run in `services::check`.

use std::rc::Rc;

use sendercheck_core::Target;
use yew::prelude::*;

use crate::browser;
use crate::components::{
    form::use_check_form, form::CheckFormProps, form::FormInput, paste_form::paste_form,
    pasted::pasted, progress::progress, report::results, report::summary, verdict::verdict_box,
};
use crate::model::{Permalink, ResolverChoice};
use crate::services::check;
use crate::state::{Action, DomainAsk, Remote, Request, State};

/// The page.
#[component]
pub fn App() -> Html {
    let link = use_memo((), |_| Permalink::from_query(&browser::location_search()));
    let state = use_reducer(|| State {
        resolver: link
            .resolver
            .clone()
            .or_else(|| browser::stored("resolver").map(|k| ResolverChoice::parse(&k)))
            .unwrap_or_default(),
        ..State::default()
    });

    // The connection to the chosen resolver opens while the user types (no question is asked
    // before a check; only the TLS handshake happens early).
    use_effect_with(state.resolver.origin(), |origin| {
        browser::head_link("resolver-preconnect", "preconnect", origin.as_deref());
    });

    // When a check starts (the form, a permalink, a paste, a hop), its verdict comes into view
    // and takes the focus.
    use_effect_with(state.request.as_ref().map(|r| r.run_id), |id| {
        if id.is_some() {
            browser::bring_into_view("verdict");
        }
    });

    // A permalink runs its check at once.
    {
        let state = state.clone();
        let link = link.clone();
        use_effect_with((), move |_| {
            if link.runs() && state.resolver.validate().is_ok() {
                if let Ok(target) = Target::parse(&link.ip) {
                    let domain = (!link.domain.trim().is_empty()).then(|| {
                        Rc::new(DomainAsk {
                            text: link.domain.trim().to_string(),
                            mail_from: None,
                            dkim: link.dkim.trim().to_string(),
                        })
                    });
                    check::run(
                        &state,
                        Request {
                            run_id: 0,
                            target,
                            target_text: link.ip.clone(),
                            helo: link.helo.clone(),
                            resolver: state.resolver.clone(),
                            paste: None,
                            domain,
                        },
                    );
                }
            }
        });
    }

    let onsubmit = {
        let state = state.clone();
        Callback::from(move |input: FormInput| {
            browser::store("resolver", input.resolver.key());
            check::run(
                &state,
                Request {
                    run_id: 0,
                    target: input.target,
                    target_text: input.target_text,
                    helo: input.helo,
                    resolver: input.resolver,
                    paste: None,
                    domain: input.domain.map(Rc::new),
                },
            );
        })
    };
    let onread = {
        let state = state.clone();
        Callback::from(move |text: String| check::read_paste(&state, text, None))
    };
    let onedit = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::PasteEdited))
    };
    let onpick = {
        let state = state.clone();
        Callback::from(move |hop: usize| {
            if let Some(paste) = state.paste.clone() {
                check::read_paste(&state, paste.text.to_string(), Some(hop));
            }
        })
    };
    let onresolver = {
        let state = state.clone();
        Callback::from(move |choice: ResolverChoice| {
            if choice.validate().is_ok() {
                browser::store("resolver", choice.key());
            }
            state.dispatch(Action::ChooseResolver(choice));
        })
    };
    let loading = matches!(state.run, Remote::Loading);
    // A check started from a paste shows its address and EHLO name in the form (a fresh form).
    let pasted_request = state.request.as_ref().filter(|r| r.paste.is_some());
    let (form_key, initial_target, initial_helo, initial_domain) = match pasted_request {
        Some(r) => (
            r.run_id,
            r.target_text.clone(),
            r.helo.clone(),
            r.domain.as_deref().cloned().unwrap_or_default(),
        ),
        None => (
            0,
            link.ip.clone(),
            link.helo.clone(),
            DomainAsk {
                text: link.domain.clone(),
                mail_from: None,
                dkim: link.dkim.clone(),
            },
        ),
    };

    // The mail server chosen beside the EHLO field (the form remembers it): "Where to fix it"
    // follows it at once.
    let onmta = {
        let state = state.clone();
        Callback::from(move |()| {
            if let (Remote::Ready(done), Remote::Ready(_)) = (&state.run, &state.fixes) {
                check::follow(&state.dispatcher(), done, &state.extra);
            }
        })
    };
    let form = use_check_form(&CheckFormProps {
        reset: form_key,
        initial_target,
        initial_helo,
        initial_domain,
        resolver: state.resolver.clone(),
        busy: loading,
        onsubmit,
        onresolver,
        onmta,
    });

    // The header, the footer and the SAV section are static markup in index.html; the app renders
    // into `#app` inside `<main>`.
    html! {
        <>
            { form }
            { paste_form(loading || state.reading, state.paste_error.as_ref(), &onread, &onedit) }
            { verdict_box(&state) }
            { summary(&state) }
            { pasted(&state, &onpick) }
            { progress(&state) }
            { results(&state) }
        </>
    }
}
