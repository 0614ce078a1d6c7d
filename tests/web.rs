//! The page's state and components, in headless Chromium (`make web-test`: wasm-bindgen-test-runner
//! with chromedriver). On the host this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::paste::{extract, Extracted};
use sendercheck_core::{
    check, parse_ip, Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver,
};
use sendercheck_web::app::StateHandle;
use sendercheck_web::components::form::{CheckForm, FormInput};
use sendercheck_web::components::paste_form::PasteForm;
use sendercheck_web::components::pasted::Pasted;
use sendercheck_web::components::report::Results;
use sendercheck_web::components::verdict::VerdictBox;
use sendercheck_web::model::{Preset, ResolverChoice, Target};
use sendercheck_web::state::{Action, Finished, Outcome, Remote, Request, State};
use sendercheck_web::trace::QueryEvent;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A resolver with one PTR and one A record for 192.0.2.10; NXDOMAIN for the rest, or a timeout.
struct Zone {
    timeout: bool,
}

impl Resolver for Zone {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let name = q.name.to_string();
        let records = match (name.as_str(), q.rtype) {
            ("10.2.0.192.in-addr.arpa", RecordType::Ptr) => {
                vec![Record {
                    name: name.clone(),
                    rtype: RecordType::Ptr,
                    ttl: 60,
                    data: RData::Ptr("mail.example.com".into()),
                }]
            }
            ("mail.example.com", RecordType::A) => {
                vec![Record {
                    name: name.clone(),
                    rtype: RecordType::A,
                    ttl: 60,
                    data: RData::A("192.0.2.10".parse().unwrap()),
                }]
            }
            _ => vec![],
        };
        let timeout = self.timeout;
        async move {
            if timeout {
                return Err(ResolveError::Timeout { millis: 5000 });
            }
            let rcode = if records.is_empty() {
                Rcode::NxDomain
            } else {
                Rcode::NoError
            };
            Ok(Answer {
                rcode,
                authenticated: false,
                records,
            })
        }
    }
}

fn request(run_id: u64, ip: &str, helo: &str) -> Request {
    Request {
        run_id,
        target: Target::Ip(parse_ip(ip).unwrap()),
        target_text: ip.into(),
        helo: helo.into(),
        resolver: ResolverChoice::default(),
        paste: None,
    }
}

async fn finished(ip: &str, helo: &str, timeout: bool) -> Rc<Finished> {
    let req = request(1, ip, helo);
    let report = check(
        &Zone { timeout },
        parse_ip(ip).unwrap(),
        Some(helo).filter(|h| !h.is_empty()),
    )
    .await;
    Rc::new(Finished {
        request: req,
        outcome: Outcome::Ip(report),
        elapsed_ms: 3,
    })
}

async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

/// Renders a component into a fresh element of the page and lets it settle.
async fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    let document = gloo_document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    yew::Renderer::<C>::with_root_and_props(div.clone(), props).render();
    tick().await;
    div
}

fn gloo_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn reducer_follows_one_run_and_drops_stale_events() {
    let state = Rc::new(State::default());
    let state = state.reduce(Action::Start(request(7, "192.0.2.10", "")));
    assert_eq!(state.run, Remote::Loading);
    let q = Question::new(
        sendercheck_core::DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
        RecordType::Ptr,
    );
    let state = state.reduce(Action::Query {
        run_id: 7,
        event: QueryEvent::Asked {
            id: 0,
            question: q.clone(),
        },
    });
    assert_eq!(state.queries.len(), 1);
    assert!(state.queries[0].result.is_none());
    // An event of an older run changes nothing.
    let stale = state.clone().reduce(Action::Query {
        run_id: 6,
        event: QueryEvent::Asked { id: 1, question: q },
    });
    assert!(Rc::ptr_eq(&state, &stale));
    let answer = Ok(Answer {
        rcode: Rcode::NxDomain,
        authenticated: false,
        records: vec![],
    });
    let state = state.reduce(Action::Query {
        run_id: 7,
        event: QueryEvent::Answered {
            id: 0,
            ms: 12.0,
            result: answer,
        },
    });
    assert_eq!(state.queries[0].ms, Some(12.0));
    let state = state.reduce(Action::Fail {
        run_id: 3,
        message: "old".into(),
    });
    assert_eq!(state.run, Remote::Loading);
    let state = state.reduce(Action::ChooseResolver(ResolverChoice::Preset(
        Preset::Quad9,
    )));
    assert_eq!(state.resolver.key(), "quad9");
    // A new run clears the progress list.
    let state = state.reduce(Action::Start(request(8, "192.0.2.11", "")));
    assert!(state.queries.is_empty());
}

#[wasm_bindgen_test]
async fn finished_runs_export_and_explain() {
    let done = finished("192.0.2.10", "EHLO mail.example.com", false).await;
    assert_eq!(done.verdict(), sendercheck_core::Verdict::Pass);
    let json: serde_json::Value = serde_json::from_str(&done.json()).unwrap();
    assert_eq!(json["ip"], "192.0.2.10");
    assert_eq!(json["helo"]["result"], "pass");
    assert!(done
        .markdown()
        .starts_with("## Sender Check: 192.0.2.10 (pass)"));
    assert_eq!(done.resolver_problem(), None);

    let down = finished("192.0.2.10", "", true).await;
    let problem = down.resolver_problem().unwrap();
    assert!(
        problem.starts_with(
            "Cloudflare (https://cloudflare-dns.com/dns-query) failed: no answer within 5 s."
        ),
        "{problem}"
    );
    assert!(problem.ends_with("Try Google or Quad9."), "{problem}");
}

#[derive(Properties, PartialEq)]
struct HostProps {
    state: State,
}

/// Serves a prepared state through the same context the app uses.
#[component]
fn WithState(props: &HostProps) -> Html {
    let initial = props.state.clone();
    let state = use_reducer(move || initial);
    html! {
        <ContextProvider<StateHandle> context={state}>
            <VerdictBox />
            <Results />
        </ContextProvider<StateHandle>>
    }
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.get_attribute(name)
}

#[wasm_bindgen_test]
async fn cards_carry_check_and_result() {
    let loading = State {
        request: Some(request(1, "192.0.2.10", "EHLO x.example")),
        run: Remote::Loading,
        ..State::default()
    };
    let div = mount::<WithState>(HostProps { state: loading }).await;
    assert_eq!(
        attr(&div, "[data-check=iprev]", "data-result").as_deref(),
        Some("loading")
    );
    assert_eq!(
        attr(&div, "[data-check=helo]", "data-result").as_deref(),
        Some("loading")
    );
    assert_eq!(
        attr(&div, "#verdict", "data-verdict").as_deref(),
        Some("loading")
    );
    assert_eq!(
        attr(&div, "#verdict", "aria-live").as_deref(),
        Some("polite")
    );

    let done = finished("192.0.2.10", "EHLO [192.0.2.10]", false).await;
    let ready = State {
        request: Some(done.request.clone()),
        run: Remote::Ready(done),
        ..State::default()
    };
    let div = mount::<WithState>(HostProps { state: ready }).await;
    assert_eq!(
        attr(&div, "[data-check=iprev]", "data-result").as_deref(),
        Some("pass")
    );
    assert_eq!(
        attr(&div, "[data-check=helo]", "data-result").as_deref(),
        Some("fail")
    );
    assert_eq!(
        attr(&div, "[data-check=generic]", "data-result").as_deref(),
        Some("pass")
    );
    assert_eq!(
        attr(&div, "#verdict", "data-verdict").as_deref(),
        Some("fail")
    );
    assert!(div
        .query_selector("[data-finding=helo-address-literal]")
        .unwrap()
        .is_some());
    let evidence = div
        .query_selector("details.evidence summary")
        .unwrap()
        .unwrap();
    assert_eq!(
        evidence.text_content().unwrap(),
        "DNS evidence (2 questions)"
    );
}

#[derive(Properties, PartialEq)]
struct FormHost {
    submitted: Callback<FormInput>,
    resolver: ResolverChoice,
}

#[component]
fn FormUnderTest(props: &FormHost) -> Html {
    html! {
        <CheckForm initial_target="" initial_helo="" resolver={props.resolver.clone()} busy=false
            onsubmit={props.submitted.clone()} onresolver={Callback::noop()} />
    }
}

fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

fn submit(root: &Element) {
    let button: web_sys::HtmlElement = root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
}

#[wasm_bindgen_test]
async fn form_validates_inline_and_submits() {
    let got = Rc::new(std::cell::RefCell::new(Vec::<FormInput>::new()));
    let sink = got.clone();
    let div = mount::<FormUnderTest>(FormHost {
        submitted: Callback::from(move |i| sink.borrow_mut().push(i)),
        resolver: ResolverChoice::default(),
    })
    .await;

    type_into(&div, "#target", "999.1.1.1");
    tick().await;
    submit(&div);
    tick().await;
    let err = div
        .query_selector("#target-error")
        .unwrap()
        .expect("inline error");
    assert_eq!(
        err.text_content().unwrap(),
        "999.1.1.1 is not an IPv4 address: 999 is larger than 255"
    );
    assert_eq!(
        attr(&div, "#target", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(got.borrow().is_empty());

    type_into(&div, "#target", "mail.example.com");
    type_into(&div, "#ehlo", "EHLO mail.example.com");
    tick().await;
    assert!(
        div.query_selector("#target-error").unwrap().is_none(),
        "typing clears the error"
    );
    submit(&div);
    tick().await;
    let inputs = got.borrow();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].target_text, "mail.example.com");
    assert!(matches!(inputs[0].target, Target::Host(_)));
    assert_eq!(inputs[0].helo, "EHLO mail.example.com");
}

#[wasm_bindgen_test]
async fn custom_resolver_is_validated() {
    let got = Rc::new(std::cell::RefCell::new(0));
    let sink = got.clone();
    let div = mount::<FormUnderTest>(FormHost {
        submitted: Callback::from(move |_| *sink.borrow_mut() += 1),
        resolver: ResolverChoice::Custom("http://dns.example/dns-query".into()),
    })
    .await;
    assert!(div.query_selector("#custom-resolver").unwrap().is_some());
    type_into(&div, "#target", "192.0.2.10");
    tick().await;
    submit(&div);
    tick().await;
    let err = div
        .query_selector("#resolver-error")
        .unwrap()
        .expect("resolver error");
    assert!(err
        .text_content()
        .unwrap()
        .contains("plain http is allowed only for loopback test servers"));
    assert_eq!(*got.borrow(), 0);
}

/// Headers whose entry hop is 192.0.2.10, with the receiver's verdicts: iprev=fail (this check
/// finds pass) and dmarc=fail.
const HEADERS: &str = "Received: by 10.1.2.3 with SMTP id x; Fri, 27 Nov 2026 10:00:01 +0000\n\
Received: from mail.example.com (unknown [192.0.2.10])\n\tby mx.example.net (Postfix) with ESMTPS id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000\n\
Authentication-Results: mx.example.net; iprev=fail policy.iprev=192.0.2.10; spf=pass smtp.mailfrom=a@example.com; dmarc=fail header.from=example.com\n\
Received: from [10.0.0.5] (unknown [10.0.0.5]) by mail.example.com (Postfix) with ESMTPSA id 9Zz\n";

#[derive(Properties, PartialEq)]
struct PasteHost {
    pasted: Callback<Extracted>,
}

#[component]
fn PasteUnderTest(props: &PasteHost) -> Html {
    html! { <PasteForm busy=false onpaste={props.pasted.clone()} /> }
}

fn paste_text(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = root
        .query_selector("#paste")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(text);
    let button: web_sys::HtmlElement = root
        .query_selector("#paste-run")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
}

#[wasm_bindgen_test]
async fn paste_form_recognises_or_lists_the_formats() {
    let got = Rc::new(std::cell::RefCell::new(Vec::<Extracted>::new()));
    let sink = got.clone();
    let div = mount::<PasteUnderTest>(PasteHost {
        pasted: Callback::from(move |x| sink.borrow_mut().push(x)),
    })
    .await;

    paste_text(&div, "my mail bounces, please help");
    tick().await;
    let err = div.query_selector("#paste-error").unwrap().expect("error");
    assert!(err
        .text_content()
        .unwrap()
        .starts_with("The paste has no Received header"));
    let formats: Vec<String> = (0..6)
        .filter_map(|i| {
            div.query_selector(&format!("#paste-error li:nth-child({})", i + 1))
                .unwrap()
                .and_then(|li| li.get_attribute("data-format"))
        })
        .collect();
    assert_eq!(
        formats,
        [
            "headers",
            "postfix-log",
            "exim-log",
            "postfix-config",
            "exim-config",
            "ehlo"
        ]
    );
    assert_eq!(
        attr(&div, "#paste", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(got.borrow().is_empty());

    paste_text(&div, HEADERS);
    tick().await;
    assert!(div.query_selector("#paste-error").unwrap().is_none());
    let got = got.borrow();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].ip.unwrap().to_string(), "192.0.2.10");
    assert_eq!(got[0].chosen, Some(1));
}

/// Serves a prepared state to the paste panel.
#[component]
fn PanelWithState(props: &HostProps) -> Html {
    let initial = props.state.clone();
    let state = use_reducer(move || initial);
    html! {
        <ContextProvider<StateHandle> context={state}>
            <Pasted />
        </ContextProvider<StateHandle>>
    }
}

fn texts(root: &Element, selector: &str, attribute: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| {
            list.item(i)?
                .dyn_into::<Element>()
                .ok()?
                .get_attribute(attribute)
        })
        .collect()
}

#[wasm_bindgen_test]
async fn pasted_panel_shows_the_chain_and_the_receivers_verdicts() {
    let x = Rc::new(extract(HEADERS).unwrap());
    let mut req = request(4, "192.0.2.10", "mail.example.com");
    req.paste = Some(x.clone());
    let report = check(
        &Zone { timeout: false },
        parse_ip("192.0.2.10").unwrap(),
        Some("mail.example.com"),
    )
    .await;
    let done = Rc::new(Finished {
        request: req.clone(),
        outcome: Outcome::Ip(report),
        elapsed_ms: 2,
    });
    // The reducer keeps the paste of a run started from it.
    let state = Rc::new(State::default()).reduce(Action::Start(req));
    assert!(state.paste.as_ref().is_some_and(|p| Rc::ptr_eq(p, &x)));
    let state = state.reduce(Action::Finish(done.clone()));

    let div = mount::<PanelWithState>(HostProps {
        state: (*state).clone(),
    })
    .await;
    assert_eq!(
        attr(&div, "#pasted", "data-format").as_deref(),
        Some("headers")
    );
    assert_eq!(
        texts(&div, "tr[data-role]", "data-role"),
        ["receiver", "entry", "sender"]
    );
    assert_eq!(
        texts(&div, "tr[data-role]", "data-chosen"),
        ["false", "true", "false"]
    );
    let ip = div.query_selector("[data-extracted=ip]").unwrap().unwrap();
    assert_eq!(ip.text_content().unwrap(), "192.0.2.10");
    assert_eq!(
        attr(&div, "[data-check=receiver]", "data-result").as_deref(),
        Some("differs")
    );
    assert_eq!(
        texts(&div, "tr[data-method]", "data-method"),
        ["iprev", "spf", "dmarc"]
    );
    let mut findings = texts(&div, "[data-finding]", "data-finding");
    findings.sort();
    assert_eq!(
        findings,
        [
            "receiver-auth-fail",
            "receiver-iprev-differs",
            "receiver-rdns-differs"
        ]
    );
    // The exports carry the paste.
    let json: serde_json::Value = serde_json::from_str(&done.json()).unwrap();
    assert_eq!(json["extracted"]["format"], "headers");
    assert_eq!(json["extracted"]["chosen_hop"], 1);
    assert_eq!(json["iprev"]["result"], "pass");
    assert!(done.markdown().starts_with("## Pasted: message headers"));

    // A check started from the form forgets the paste.
    let state = state.reduce(Action::Start(request(5, "192.0.2.10", "")));
    assert!(state.paste.is_none());
}

#[wasm_bindgen_test]
async fn a_config_with_callouts_shows_the_sav_card_without_a_lookup() {
    let x =
        extract("myhostname = localhost\nsmtpd_sender_restrictions = reject_unverified_sender\n")
            .unwrap();
    let state = Rc::new(State::default()).reduce(Action::Pasted(Rc::new(x)));
    assert_eq!(state.run, Remote::Idle);
    let div = mount::<PanelWithState>(HostProps {
        state: (*state).clone(),
    })
    .await;
    assert_eq!(
        attr(&div, "#pasted", "data-format").as_deref(),
        Some("postfix-config")
    );
    assert_eq!(
        attr(&div, "[data-check=sav]", "data-result").as_deref(),
        Some("fail")
    );
    let mut findings = texts(&div, "[data-finding]", "data-finding");
    findings.sort();
    assert_eq!(findings, ["helo-invalid", "sav-callout"]);
    let sav = div.query_selector("[data-extracted=sav]").unwrap().unwrap();
    assert_eq!(sav.text_content().unwrap(), "on");
}
