//! The page's state and components, in headless Chromium (`make web-test`: wasm-bindgen-test-runner
//! with chromedriver). On the host this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::{
    check, parse_ip, Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver,
};
use sendercheck_web::app::StateHandle;
use sendercheck_web::components::form::{CheckForm, FormInput};
use sendercheck_web::components::report::Results;
use sendercheck_web::components::verdict::VerdictBox;
use sendercheck_web::model::{Preset, ResolverChoice, Target};
use sendercheck_web::state::{Action, Finished, Outcome, Remote, Request, State};
use sendercheck_web::trace::QueryEvent;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
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

fn root() -> Element {
    let document = gloo_document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
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
    let div = root();
    yew::Renderer::<WithState>::with_root_and_props(div.clone(), HostProps { state: loading })
        .render();
    tick().await;
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
    let div = root();
    yew::Renderer::<WithState>::with_root_and_props(div.clone(), HostProps { state: ready })
        .render();
    tick().await;
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
    let div = root();
    yew::Renderer::<FormUnderTest>::with_root_and_props(
        div.clone(),
        FormHost {
            submitted: Callback::from(move |i| sink.borrow_mut().push(i)),
            resolver: ResolverChoice::default(),
        },
    )
    .render();
    tick().await;

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
        "`999.1.1.1` is not an IPv4 address: 999 is larger than 255"
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
    let div = root();
    yew::Renderer::<FormUnderTest>::with_root_and_props(
        div.clone(),
        FormHost {
            submitted: Callback::from(move |_| *sink.borrow_mut() += 1),
            resolver: ResolverChoice::Custom("http://dns.example/dns-query".into()),
        },
    )
    .render();
    tick().await;
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
