//! The root component: state, the form, and the run of a check.

use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::paste::{self, Extracted};
use sendercheck_core::{check, check_host};
use sendercheck_doh::DohClient;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::browser;
use crate::components::{
    actions::Actions, form::CheckForm, form::FormInput, paste_form::PasteForm, pasted::Pasted,
    progress::Progress, report::Results, sav::Sav, verdict::VerdictBox,
};
use crate::model::{Permalink, ResolverChoice, Target};
use crate::state::{next_run_id, Action, Finished, Outcome, Remote, Request, State};
use crate::trace::{now, Traced};

/// Time allowed for each DNS question.
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);

/// The state handle that components reach through context.
pub type StateHandle = UseReducerHandle<State>;

/// Checks what a paste names (see `paste::target`) with its EHLO name; a paste that names
/// nothing to look up is only shown.
pub fn check_pasted(state: &StateHandle, extracted: Extracted) {
    let helo = extracted.helo.clone().unwrap_or_default();
    let resolver = state.resolver.clone();
    let target = match paste::target(&extracted) {
        paste::Target::Ip(ip) => Some((Target::Ip(ip), ip.to_string())),
        paste::Target::Host(name) => Some((Target::Host(name.clone()), name.to_string())),
        paste::Target::Nothing => None,
    };
    let extracted = Rc::new(extracted);
    match target {
        Some((target, text)) => run_check(state, target, text, helo, resolver, Some(extracted)),
        None => state.dispatch(Action::Pasted(extracted)),
    }
}

/// Starts a check: records it in the state and runs it in the background.
pub fn run_check(
    state: &StateHandle,
    target: Target,
    target_text: String,
    helo: String,
    resolver: ResolverChoice,
    paste: Option<Rc<Extracted>>,
) {
    let request = Request {
        run_id: next_run_id(),
        target,
        target_text,
        helo,
        resolver,
        paste,
    };
    browser::replace_query(
        &Permalink {
            ip: request.target_text.clone(),
            helo: request.helo.clone(),
            resolver: Some(request.resolver.clone()),
        }
        .to_query(),
    );
    state.dispatch(Action::Start(request.clone()));
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        let run_id = request.run_id;
        let doh = match DohClient::new(request.resolver.url()) {
            Ok(doh) => doh.with_timeout(QUERY_TIMEOUT),
            Err(e) => {
                dispatcher.dispatch(Action::Fail {
                    run_id,
                    message: e.to_string(),
                });
                return;
            }
        };
        let events = dispatcher.clone();
        let traced = Traced::new(
            doh,
            Callback::from(move |event| events.dispatch(Action::Query { run_id, event })),
        );
        let started = now();
        let helo = Some(request.helo.trim()).filter(|h| !h.is_empty());
        let outcome = match &request.target {
            Target::Ip(ip) => Outcome::Ip(check(&traced, *ip, helo).await),
            Target::Host(host) => Outcome::Host(check_host(&traced, host.clone(), helo).await),
        };
        let elapsed_ms = (now() - started).max(0.0) as u64;
        dispatcher.dispatch(Action::Finish(Rc::new(Finished {
            request,
            outcome,
            elapsed_ms,
        })));
    });
}

/// The page.
#[component]
pub fn App() -> Html {
    let link = use_memo((), |_| Permalink::from_query(&browser::location_search()));
    let state = use_reducer(|| State {
        resolver: link
            .resolver
            .clone()
            .or_else(|| browser::stored_resolver().map(|k| ResolverChoice::parse(&k)))
            .unwrap_or_default(),
        ..State::default()
    });

    // A permalink runs its check at once.
    {
        let state = state.clone();
        let link = link.clone();
        use_effect_with((), move |_| {
            if link.runs() {
                if let Ok(target) = crate::model::parse_target(&link.ip) {
                    let resolver = state.resolver.clone();
                    if resolver.validate().is_ok() {
                        run_check(
                            &state,
                            target,
                            link.ip.clone(),
                            link.helo.clone(),
                            resolver,
                            None,
                        );
                    }
                }
            }
        });
    }

    let onsubmit = {
        let state = state.clone();
        Callback::from(move |input: FormInput| {
            browser::store_resolver(input.resolver.key());
            run_check(
                &state,
                input.target,
                input.target_text,
                input.helo,
                input.resolver,
                None,
            );
        })
    };
    let onpaste = {
        let state = state.clone();
        Callback::from(move |x: Extracted| check_pasted(&state, x))
    };
    let onresolver = {
        let state = state.clone();
        Callback::from(move |choice: ResolverChoice| {
            if choice.validate().is_ok() {
                browser::store_resolver(choice.key());
            }
            state.dispatch(Action::ChooseResolver(choice));
        })
    };
    let loading = matches!(state.run, Remote::Loading);
    // A check started from a paste shows its address and EHLO name in the form (a fresh form).
    let pasted_request = state.request.as_ref().filter(|r| r.paste.is_some());
    let (form_key, initial_target, initial_helo) = match pasted_request {
        Some(r) => (r.run_id, r.target_text.clone(), r.helo.clone()),
        None => (0, link.ip.clone(), link.helo.clone()),
    };

    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
            <header class="masthead">
                <h1>{ "Sender Check" }</h1>
                <p class="tagline">{ "Will Gmail, Yahoo and Fastmail accept mail from your server? Checks its reverse DNS and EHLO name from your browser, through DNS over HTTPS." }</p>
            </header>
            <main id="main">
                <CheckForm
                    key={form_key.to_string()}
                    {initial_target}
                    {initial_helo}
                    resolver={state.resolver.clone()}
                    busy={loading}
                    {onsubmit}
                    {onresolver}
                />
                <PasteForm busy={loading} {onpaste} />
                <VerdictBox />
                <Pasted />
                <Progress />
                <Results />
                <Actions />
                <Sav />
            </main>
            <footer class="footer">
                <p>{ "Nothing leaves your browser except the DNS questions, sent to the resolver you choose. No cookies, no trackers. " }
                   <a href="https://www.rfc-editor.org/rfc/rfc8601#section-3">{ "RFC 8601 iprev" }</a>{ " · " }
                   <a href="https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1">{ "RFC 5321 EHLO" }</a></p>
            </footer>
        </ContextProvider<StateHandle>>
    }
}
