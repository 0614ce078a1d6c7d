//! The check form: address or host name, EHLO line, sending domain and DKIM selectors, resolver.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::with_code;
use sendercheck_core::Target;

use crate::browser;
use crate::model::{Preset, ResolverChoice};
use crate::state::DomainAsk;
use sendercheck_core::fix::Mta;

/// A validated submission.
#[derive(Debug, Clone, PartialEq)]
pub struct FormInput {
    /// What to check.
    pub target: Target,
    /// The address field as typed.
    pub target_text: String,
    /// The EHLO field as typed.
    pub helo: String,
    /// The sending domain and DKIM selectors, when the domain field is filled.
    pub domain: Option<DomainAsk>,
    /// The resolver.
    pub resolver: ResolverChoice,
}

/// Checks the domain and selector fields, so a mistake shows next to its field before anything
/// is asked. The domain part is checked as a host name (`Target::parse`, the rules
/// `DomainInput::parse` applies, and already on the page; the domain engine itself lives in the
/// extras worker, which checks the selectors too and says what is wrong with one).
fn domain_ask(domain: &str, dkim: &str) -> Result<Option<DomainAsk>, String> {
    if domain.trim().is_empty() {
        return match dkim.trim().is_empty() {
            true => Ok(None),
            false => Err("Give the sending domain the DKIM selectors belong to.".into()),
        };
    }
    let (_, name) = sendercheck_core::domain::check::split_address(domain);
    match Target::parse(name) {
        Ok(Target::Host(_)) => {}
        Ok(Target::Ip(_)) => {
            return Err(format!(
                "`{name}` is an address; give the sending domain, such as example.com"
            ))
        }
        Err(e) => return Err(e.to_string()),
    }
    Ok(Some(DomainAsk {
        text: domain.trim().to_string(),
        mail_from: None,
        dkim: dkim.trim().to_string(),
    }))
}

/// What [`use_check_form`] is given.
pub struct CheckFormProps {
    /// Not 0, and changed, when the fields must start again from the initial values (a paste
    /// filled them: its run's id).
    pub reset: u64,
    /// The address field's first value (from a permalink).
    pub initial_target: String,
    /// The EHLO field's first value (from a permalink).
    pub initial_helo: String,
    /// The domain and selector fields' first values (from a permalink or a paste).
    pub initial_domain: DomainAsk,
    /// The selected resolver.
    pub resolver: ResolverChoice,
    /// A check is running.
    pub busy: bool,
    /// A valid submission.
    pub onsubmit: Callback<FormInput>,
    /// The resolver selection changed.
    pub onresolver: Callback<ResolverChoice>,
    /// The user's mail server changed (remembered as `mta` in local storage, read by "Where to
    /// fix it").
    pub onmta: Callback<()>,
}

const CUSTOM: &str = "custom";

/// The text fields as typed, and what is wrong with them (shown next to each).
#[derive(Clone, Default, PartialEq)]
struct Fields {
    target: String,
    helo: String,
    domain: String,
    dkim: String,
    target_error: Option<String>,
    domain_error: Option<String>,
    resolver_error: Option<String>,
}

/// The form. Enter submits; errors show next to their field. One state and one input handler on
/// the form serve every text field (each field's own would cost the page's first load more).
///
/// A hook called by the root rather than a component of its own (each component type costs the
/// page's first load about a kilobyte); its state lives in the root.
#[hook]
pub fn use_check_form(props: &CheckFormProps) -> Html {
    let custom_url = use_state(|| match &props.resolver {
        ResolverChoice::Custom(url) => url.clone(),
        ResolverChoice::Preset(_) => String::new(),
    });
    let fields = use_state(|| Fields {
        target: props.initial_target.clone(),
        helo: props.initial_helo.clone(),
        domain: props.initial_domain.text.clone(),
        dkim: props.initial_domain.dkim.clone(),
        ..Fields::default()
    });
    {
        let fields = fields.clone();
        let start = Fields {
            target: props.initial_target.clone(),
            helo: props.initial_helo.clone(),
            domain: props.initial_domain.text.clone(),
            dkim: props.initial_domain.dkim.clone(),
            ..Fields::default()
        };
        use_effect_with(props.reset, move |reset| {
            if *reset != 0 {
                fields.set(start);
            }
        });
    }
    let is_custom = matches!(props.resolver, ResolverChoice::Custom(_));

    // Typing in a field keeps its value and clears its error.
    let oninput = {
        let fields = fields.clone();
        Callback::from(move |e: InputEvent| {
            let id = e.target_unchecked_into::<web_sys::Element>().id();
            let value = || e.target_unchecked_into::<HtmlInputElement>().value();
            let mut f = (*fields).clone();
            match id.as_str() {
                "target" => (f.target, f.target_error) = (value(), None),
                "ehlo" => f.helo = value(),
                "domain" => (f.domain, f.domain_error) = (value(), None),
                "dkim" => (f.dkim, f.domain_error) = (value(), None),
                "custom-resolver" => f.resolver_error = None,
                _ => return,
            }
            fields.set(f);
        })
    };
    let mta = browser::stored("mta").unwrap_or_default();
    let on_mta = {
        let onmta = props.onmta.clone();
        Callback::from(move |e: Event| {
            browser::store(
                "mta",
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            );
            onmta.emit(());
        })
    };
    let on_select = {
        let onresolver = props.onresolver.clone();
        let custom_url = custom_url.clone();
        let fields = fields.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            fields.set(Fields {
                resolver_error: None,
                ..(*fields).clone()
            });
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
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            custom_url.set(value.clone());
            onresolver.emit(ResolverChoice::Custom(value));
        })
    };
    // Fills the form with a server known to pass and checks it (see the text beside the button).
    let try_known = {
        let fields = fields.clone();
        let emit = props.onsubmit.clone();
        let resolver = props.resolver.clone();
        Callback::from(move |_: MouseEvent| {
            let (target, helo) = ("209.85.218.48", "EHLO mail-oi0-f48.google.com");
            fields.set(Fields {
                target: target.into(),
                helo: helo.into(),
                ..Fields::default()
            });
            if let (Ok(t), Ok(())) = (Target::parse(target), resolver.validate()) {
                emit.emit(FormInput {
                    target: t,
                    target_text: target.into(),
                    helo: helo.into(),
                    domain: None,
                    resolver: resolver.clone(),
                });
            }
        })
    };
    let onsubmit = {
        let fields = fields.clone();
        // A paste's Return-Path stays with its domain while the field still says that domain.
        let pasted = props.initial_domain.clone();
        let resolver = props.resolver.clone();
        let emit = props.onsubmit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = &*fields;
            let parsed = Target::parse(&f.target).map_err(|e| e.to_string());
            let valid_resolver = resolver.validate();
            let ask = domain_ask(&f.domain, &f.dkim).map(|ask| {
                ask.map(|mut a| {
                    if a.text == pasted.text.trim() {
                        a.mail_from.clone_from(&pasted.mail_from);
                    }
                    a
                })
            });
            fields.set(Fields {
                target_error: parsed.as_ref().err().cloned(),
                domain_error: ask.as_ref().err().cloned(),
                resolver_error: valid_resolver.as_ref().err().cloned(),
                ..f.clone()
            });
            if let (Ok(t), Ok(()), Ok(domain)) = (parsed, valid_resolver, ask) {
                emit.emit(FormInput {
                    target: t,
                    target_text: f.target.trim().to_string(),
                    helo: f.helo.trim().to_string(),
                    domain,
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
        <form id="check-form" class="check-form" {onsubmit} {oninput} novalidate=true>
            <div class="field">
                <label for="target">{ "Sending server: IP address or host name" }</label>
                <input id="target" name="ip" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                    placeholder="192.0.2.10, 2001:db8::10 or mail.example.com"
                    value={fields.target.clone()}
                    aria-invalid={fields.target_error.is_some().to_string()}
                    aria-describedby={if fields.target_error.is_some() { "target-error" } else { "target-hint" }} />
                if let Some(err) = &fields.target_error {
                    <p id="target-error" class="field-error" role="alert">{ with_code(err) }</p>
                } else {
                    <p id="target-hint" class="hint">{ "The public address your mail leaves from. A host name checks each of its A and AAAA addresses." }</p>
                }
            </div>
            <div class="field">
                <label for="ehlo">{ "What the server says in EHLO (optional)" }</label>
                <input id="ehlo" name="helo" type="text" autocomplete="off" spellcheck="false"
                    placeholder="EHLO mail.example.com"
                    value={fields.helo.clone()} aria-describedby="ehlo-hint" />
                <p id="ehlo-hint" class="hint">{ "Paste the EHLO line, a \"250 name\" or \"220 name\" line, or just the name (Postfix: smtp_helo_name, Exim: helo_data)." }</p>
                <label for="mta" class="sub-label">{ "Your mail server (optional)" }</label>
                <select id="mta" name="mta" onchange={on_mta}>
                    <option value="" selected={mta.is_empty()}>{ "Not chosen" }</option>
                    { for Mta::ALL.iter().map(|m| html! {
                        <option value={m.as_str()} selected={mta == m.as_str()}>{ m.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field domain-field">
                <label for="domain">{ "Sending domain (optional)" }</label>
                <input id="domain" name="domain" type="text" inputmode="email" autocomplete="off" spellcheck="false"
                    placeholder="example.com or alice@example.com"
                    value={fields.domain.clone()}
                    aria-invalid={fields.domain_error.is_some().to_string()}
                    aria-describedby={if fields.domain_error.is_some() { "domain-error" } else { "domain-hint" }} />
                <label for="dkim" class="sub-label">{ "DKIM selectors (optional)" }</label>
                <input id="dkim" name="dkim" type="text" autocomplete="off" spellcheck="false"
                    placeholder="s1, google" value={fields.dkim.clone()}
                    aria-describedby="domain-hint" />
                if let Some(err) = &fields.domain_error {
                    <p id="domain-error" class="field-error" role="alert">{ with_code(err) }</p>
                }
                <p id="domain-hint" class="hint">{ "A From or MAIL FROM address, or the domain: SPF for this server, DMARC, alignment, each provider's rules. Selectors: the s= of your DKIM-Signature." }</p>
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
                        aria-invalid={fields.resolver_error.is_some().to_string()}
                        aria-describedby={if fields.resolver_error.is_some() { "resolver-error" } else { "" }} />
                }
                if let Some(err) = &fields.resolver_error {
                    <p id="resolver-error" class="field-error" role="alert">{ with_code(err) }</p>
                }
            </div>
            <button id="run" type="submit" class="primary" disabled={props.busy}>
                { if props.busy { "Checking…" } else { "Check" } }
            </button>
            <p class="try">
                <button id="try-known" type="button" class="link" onclick={try_known} disabled={props.busy}>{ "Try it with a known server" }</button>
                { ": Gmail's outbound 209.85.218.48, whose PTR mail-oi0-f48.google.com resolves back to it and is its EHLO name, so it passes." }
            </p>
        </form>
    }
}
