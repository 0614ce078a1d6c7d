//! The check form: address or host name, EHLO line, resolver.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::with_code;
use sendercheck_core::Target;

use crate::model::{Preset, ResolverChoice};

/// A validated submission.
#[derive(Debug, Clone, PartialEq)]
pub struct FormInput {
    /// What to check.
    pub target: Target,
    /// The address field as typed.
    pub target_text: String,
    /// The EHLO field as typed.
    pub helo: String,
    /// The resolver.
    pub resolver: ResolverChoice,
}

/// Props of [`CheckForm`].
#[derive(Properties, PartialEq)]
pub struct CheckFormProps {
    /// The address field's first value (from a permalink).
    pub initial_target: String,
    /// The EHLO field's first value (from a permalink).
    pub initial_helo: String,
    /// The selected resolver.
    pub resolver: ResolverChoice,
    /// A check is running.
    pub busy: bool,
    /// A valid submission.
    pub onsubmit: Callback<FormInput>,
    /// The resolver selection changed.
    pub onresolver: Callback<ResolverChoice>,
}

const CUSTOM: &str = "custom";

/// The form. Enter submits; errors show next to their field.
#[component]
pub fn CheckForm(props: &CheckFormProps) -> Html {
    let target = use_state(|| props.initial_target.clone());
    let helo = use_state(|| props.initial_helo.clone());
    let custom_url = use_state(|| match &props.resolver {
        ResolverChoice::Custom(url) => url.clone(),
        ResolverChoice::Preset(_) => String::new(),
    });
    let target_error = use_state(|| None::<String>);
    let resolver_error = use_state(|| None::<String>);
    let is_custom = matches!(props.resolver, ResolverChoice::Custom(_));

    let on_target = {
        let target = target.clone();
        let target_error = target_error.clone();
        Callback::from(move |e: InputEvent| {
            target.set(e.target_unchecked_into::<HtmlInputElement>().value());
            target_error.set(None);
        })
    };
    let on_helo = {
        let helo = helo.clone();
        Callback::from(move |e: InputEvent| {
            helo.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_select = {
        let onresolver = props.onresolver.clone();
        let custom_url = custom_url.clone();
        let resolver_error = resolver_error.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            resolver_error.set(None);
            let choice = if value == CUSTOM {
                ResolverChoice::Custom((*custom_url).clone())
            } else {
                ResolverChoice::parse(&value)
            };
            onresolver.emit(choice);
        })
    };
    let on_custom = {
        let custom_url = custom_url.clone();
        let onresolver = props.onresolver.clone();
        let resolver_error = resolver_error.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            custom_url.set(value.clone());
            resolver_error.set(None);
            onresolver.emit(ResolverChoice::Custom(value));
        })
    };
    let onsubmit = {
        let target = target.clone();
        let helo = helo.clone();
        let target_error = target_error.clone();
        let resolver_error = resolver_error.clone();
        let resolver = props.resolver.clone();
        let emit = props.onsubmit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parsed = Target::parse(&target).map_err(|e| e.to_string());
            let valid_resolver = resolver.validate();
            target_error.set(parsed.as_ref().err().cloned());
            resolver_error.set(valid_resolver.as_ref().err().cloned());
            if let (Ok(t), Ok(())) = (parsed, valid_resolver) {
                emit.emit(FormInput {
                    target: t,
                    target_text: target.trim().to_string(),
                    helo: helo.trim().to_string(),
                    resolver: resolver.clone(),
                });
            }
        })
    };

    let selected = match &props.resolver {
        ResolverChoice::Preset(p) => p.key().to_string(),
        ResolverChoice::Custom(_) => CUSTOM.to_string(),
    };
    html! {
        <form id="check-form" class="check-form" {onsubmit} novalidate=true>
            <div class="field">
                <label for="target">{ "Sending server: IP address or host name" }</label>
                <input id="target" name="ip" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                    placeholder="192.0.2.10, 2001:db8::10 or mail.example.com"
                    value={(*target).clone()} oninput={on_target}
                    aria-invalid={target_error.is_some().to_string()}
                    aria-describedby={if target_error.is_some() { "target-error" } else { "target-hint" }} />
                if let Some(err) = &*target_error {
                    <p id="target-error" class="field-error" role="alert">{ with_code(err) }</p>
                } else {
                    <p id="target-hint" class="hint">{ "The public address your mail leaves from. A host name checks each of its A and AAAA addresses." }</p>
                }
            </div>
            <div class="field">
                <label for="ehlo">{ "What the server says in EHLO (optional)" }</label>
                <input id="ehlo" name="helo" type="text" autocomplete="off" spellcheck="false"
                    placeholder="EHLO mail.example.com"
                    value={(*helo).clone()} oninput={on_helo} aria-describedby="ehlo-hint" />
                <p id="ehlo-hint" class="hint">{ "Paste the EHLO line, a \"250 name\" or \"220 name\" line, or just the name (Postfix: smtp_helo_name, Exim: helo_data)." }</p>
            </div>
            <div class="field resolver-field">
                <label for="resolver">{ "DNS-over-HTTPS resolver" }</label>
                <select id="resolver" name="resolver" onchange={on_select}>
                    { for Preset::ALL.iter().map(|p| html! {
                        <option value={p.key()} selected={selected == p.key()}>{ format!("{} ({})", p.name(), p.url()) }</option>
                    }) }
                    <option value={CUSTOM} selected={is_custom}>{ "Custom URL…" }</option>
                </select>
                if is_custom {
                    <label for="custom-resolver" class="sub-label">{ "Resolver URL (RFC 8484)" }</label>
                    <input id="custom-resolver" type="url" spellcheck="false" placeholder="https://dns.example/dns-query"
                        value={(*custom_url).clone()} oninput={on_custom}
                        aria-invalid={resolver_error.is_some().to_string()}
                        aria-describedby={if resolver_error.is_some() { "resolver-error" } else { "" }} />
                }
                if let Some(err) = &*resolver_error {
                    <p id="resolver-error" class="field-error" role="alert">{ with_code(err) }</p>
                }
            </div>
            <button id="run" type="submit" class="primary" disabled={props.busy}>
                { if props.busy { "Checking…" } else { "Check" } }
            </button>
        </form>
    }
}
