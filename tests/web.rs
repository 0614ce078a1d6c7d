//! The page's components, in headless Chromium (`make web-test`: wasm-bindgen-test-runner with
//! chromedriver). The reducer, the markup renderers and the worker's logic are plain Rust and are
//! tested natively (`cargo test -p sendercheck-web`); here, what needs a DOM. On the host this file
//! compiles to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use sendercheck_core::dns::{Answer, Question, RData, Rcode, Record, RecordType, ResolveError};
use sendercheck_core::{check, parse_ip, Checked, Resolver, Target};
use sendercheck_web::components::form::{use_check_form, CheckFormProps, FormInput};
use sendercheck_web::components::paste_form::paste_form;
use sendercheck_web::components::pasted::pasted;
use sendercheck_web::components::report::results;
use sendercheck_web::components::verdict::verdict_box;
use sendercheck_web::extras::{read, ReadReply};
use sendercheck_web::model::ResolverChoice;
use sendercheck_web::state::{
    Action, DomainAsk, Finished, Paste, PasteError, Remote, Request, State,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A resolver with one PTR and one A record for 192.0.2.10; NXDOMAIN for the rest; or, with a
/// `fault`, that failure for every question.
struct Zone {
    fault: Option<Result<Rcode, ResolveError>>,
}

impl Resolver for Zone {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let name = q.name.to_string();
        let record = |rtype, data| Record {
            name: name.clone(),
            rtype,
            ttl: 60,
            data,
        };
        let records = match (name.as_str(), q.rtype) {
            ("10.2.0.192.in-addr.arpa", RecordType::Ptr) => {
                vec![record(
                    RecordType::Ptr,
                    RData::Ptr("mail.example.com".into()),
                )]
            }
            ("mail.example.com", RecordType::A) => {
                vec![record(
                    RecordType::A,
                    RData::A("192.0.2.10".parse().unwrap()),
                )]
            }
            _ => vec![],
        };
        let fault = self.fault.clone();
        async move {
            if let Some(fault) = fault {
                return fault.map(|rcode| Answer::new(rcode, vec![]));
            }
            let rcode = if records.is_empty() {
                Rcode::NxDomain
            } else {
                Rcode::NoError
            };
            Ok(Answer::new(rcode, records))
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
        domain: None,
    }
}

async fn finished(req: Request, fault: Option<Result<Rcode, ResolveError>>) -> Rc<Finished> {
    let Target::Ip(ip) = req.target else {
        unreachable!()
    };
    let helo = Some(req.helo.as_str()).filter(|h| !h.is_empty());
    let report = check(&Zone { fault }, ip, helo).await;
    Rc::new(Finished {
        request: req,
        checked: Checked::Ip(report),
        elapsed_ms: 3,
        recording: "".into(),
    })
}

async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

/// Renders a component into a fresh element of the page and lets it settle.
async fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    yew::Renderer::<C>::with_root_and_props(div.clone(), props).render();
    tick().await;
    div
}

#[derive(Properties, PartialEq)]
struct HostProps {
    state: State,
    #[prop_or_default]
    picked: Callback<usize>,
}

/// Renders a prepared state as the app's root does.
#[component]
fn WithState(props: &HostProps) -> Html {
    let initial = props.state.clone();
    let state = use_reducer(move || initial);
    html! {
        <>
            { verdict_box(&state) }
            { pasted(&state, &props.picked) }
            { results(&state) }
        </>
    }
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.get_attribute(name)
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
async fn cards_carry_check_and_result() {
    let loading = State {
        request: Some(request(1, "192.0.2.10", "EHLO x.example")),
        run: Remote::Loading,
        ..State::default()
    };
    let div = mount::<WithState>(HostProps {
        state: loading,
        picked: Callback::noop(),
    })
    .await;
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

    let done = finished(request(1, "192.0.2.10", "EHLO [192.0.2.10]"), None).await;
    let ready = State {
        request: Some(done.request.clone()),
        run: Remote::Ready(done),
        ..State::default()
    };
    let div = mount::<WithState>(HostProps {
        state: ready,
        picked: Callback::noop(),
    })
    .await;
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
    // The PTR and the A question, and beside each the SOA question of the same name (the
    // zones, for the where-to-fix advice).
    assert_eq!(
        evidence.text_content().unwrap(),
        // PTR, the name's A, and each name's SOA (where to fix it reads the zone facts).
        "DNS evidence (4 questions)"
    );
    // The share and export buttons follow a finished run.
    assert!(div.query_selector("#export-json").unwrap().is_some());
}

/// The resolver's own failure (here a timeout, then an HTTP 500): "could not check", the resolver
/// named with others to try, `data-verdict="unchecked"`, and nothing about receivers.
#[wasm_bindgen_test]
async fn a_failed_resolver_is_named_with_others_to_try() {
    for (fault, said) in [
        (
            ResolveError::Timeout { millis: 5000 },
            "no answer within 5 s.",
        ),
        (
            ResolveError::Http { status: 500 },
            "the resolver answered HTTP 500.",
        ),
    ] {
        let down = finished(request(2, "192.0.2.10", ""), Some(Err(fault))).await;
        let problem = down.resolver_problem().unwrap();
        assert!(
            problem.starts_with(&format!(
                "Could not use Cloudflare (https://cloudflare-dns.com/dns-query): {said}"
            )),
            "{problem}"
        );
        assert!(problem.ends_with("Try Google or Quad9."), "{problem}");
        let state = State {
            request: Some(down.request.clone()),
            run: Remote::Ready(down),
            ..State::default()
        };
        let div = mount::<WithState>(HostProps {
            state,
            picked: Callback::noop(),
        })
        .await;
        let shown = div.query_selector("#resolver-problem").unwrap().unwrap();
        assert!(shown
            .text_content()
            .unwrap()
            .contains("Try Google or Quad9."));
        assert_eq!(
            attr(&div, "#verdict", "data-verdict").as_deref(),
            Some("unchecked")
        );
        let verdict = div.query_selector("#verdict").unwrap().unwrap();
        let text = verdict.text_content().unwrap();
        assert!(
            text.starts_with(
                "Could not checkCould not check 192.0.2.10: the resolver gave no DNS answer"
            ),
            "{text}"
        );
        assert!(
            !text.contains("receivers") && !text.contains("defer"),
            "{text}"
        );
        div.remove();
    }
}

/// A SERVFAIL is the DNS's answer: `temperror`, the receivers' deferral explained, and no
/// resolver to replace.
#[wasm_bindgen_test]
async fn a_servfail_stays_temperror_with_no_resolver_problem() {
    let done = finished(request(3, "192.0.2.10", ""), Some(Ok(Rcode::ServFail))).await;
    assert_eq!(done.resolver_problem(), None);
    let state = State {
        request: Some(done.request.clone()),
        run: Remote::Ready(done),
        ..State::default()
    };
    let div = mount::<WithState>(HostProps {
        state,
        picked: Callback::noop(),
    })
    .await;
    assert_eq!(
        attr(&div, "#verdict", "data-verdict").as_deref(),
        Some("temperror")
    );
    assert!(div.query_selector("#resolver-problem").unwrap().is_none());
    let text = div
        .query_selector("#verdict .headline")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        text,
        "Could not tell: a DNS lookup for 192.0.2.10 failed, so receivers would defer the mail now and retry."
    );
    div.remove();
}

#[derive(Properties, PartialEq)]
struct FormHost {
    submitted: Callback<FormInput>,
    resolver: ResolverChoice,
}

#[component]
fn FormUnderTest(props: &FormHost) -> Html {
    use_check_form(&CheckFormProps {
        reset: 0,
        initial_target: String::new(),
        initial_helo: String::new(),
        initial_domain: DomainAsk::default(),
        resolver: props.resolver.clone(),
        busy: false,
        onsubmit: props.submitted.clone(),
        onresolver: Callback::noop(),
        onmta: Callback::noop(),
    })
}

fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(text);
    // As typing does: the event bubbles to the form, which clears the field's error.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

fn click(root: &Element, selector: &str) {
    let button: web_sys::HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
}

#[wasm_bindgen_test]
async fn form_validates_inline_and_submits() {
    let got = Rc::new(RefCell::new(Vec::<FormInput>::new()));
    let sink = got.clone();
    let div = mount::<FormUnderTest>(FormHost {
        submitted: Callback::from(move |i| sink.borrow_mut().push(i)),
        resolver: ResolverChoice::default(),
    })
    .await;

    type_into(&div, "#target", "999.1.1.1");
    tick().await;
    click(&div, "#run");
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

    // A Unicode name the engine cannot convert is refused with its reason, inline.
    type_into(&div, "#target", "mail.bu\u{308}cher.example");
    tick().await;
    click(&div, "#run");
    tick().await;
    let err = div.query_selector("#target-error").unwrap().unwrap();
    assert!(
        err.text_content().unwrap().contains("U+0308"),
        "{:?}",
        err.text_content()
    );

    type_into(&div, "#target", "mail.bücher.example");
    type_into(&div, "#ehlo", "EHLO mail.example.com");
    tick().await;
    assert!(
        div.query_selector("#target-error").unwrap().is_none(),
        "typing clears the error"
    );
    click(&div, "#run");
    tick().await;
    let inputs = got.borrow().clone();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].target_text, "mail.bücher.example");
    assert_eq!(
        inputs[0].target.to_string(),
        "mail.xn--bcher-kva.example",
        "the engine's own IDNA"
    );
    assert_eq!(inputs[0].helo, "EHLO mail.example.com");
    assert_eq!(inputs[0].domain, None);

    // The sending domain: its mistakes show by its field; selectors need a domain.
    for (domain, dkim, says) in [
        ("not a domain", "", "is not a valid domain name"),
        ("192.0.2.1", "", "is an address"),
        ("", "s1", "Give the sending domain"),
    ] {
        type_into(&div, "#domain", domain);
        type_into(&div, "#dkim", dkim);
        click(&div, "#run");
        tick().await;
        let err = div
            .query_selector("#domain-error")
            .unwrap()
            .expect("domain error");
        assert!(
            err.text_content().unwrap().contains(says),
            "{domain:?} {dkim:?}: {:?}",
            err.text_content()
        );
        assert_eq!(got.borrow().len(), 1, "nothing submitted");
    }
    type_into(&div, "#domain", "Alice <alice@example.com>");
    tick().await;
    assert!(
        div.query_selector("#domain-error").unwrap().is_none(),
        "typing clears the error"
    );
    type_into(&div, "#dkim", "s1, s2:example.net");
    click(&div, "#run");
    tick().await;
    assert_eq!(
        got.borrow()[1].domain,
        Some(DomainAsk {
            text: "Alice <alice@example.com>".into(),
            mail_from: None,
            dkim: "s1, s2:example.net".into(),
        })
    );
}

#[wasm_bindgen_test]
async fn custom_resolver_is_validated() {
    let got = Rc::new(RefCell::new(0));
    let sink = got.clone();
    let div = mount::<FormUnderTest>(FormHost {
        submitted: Callback::from(move |_| *sink.borrow_mut() += 1),
        resolver: ResolverChoice::Custom("http://dns.example/dns-query".into()),
    })
    .await;
    assert!(div.query_selector("#custom-resolver").unwrap().is_some());
    type_into(&div, "#target", "192.0.2.10");
    tick().await;
    click(&div, "#run");
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
    read: Callback<String>,
    error: Option<Rc<PasteError>>,
}

#[component]
fn PasteUnderTest(props: &PasteHost) -> Html {
    paste_form(false, props.error.as_ref(), &props.read, &Callback::noop())
}

#[wasm_bindgen_test]
async fn paste_form_hands_over_the_text_and_lists_the_formats() {
    let got = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = got.clone();
    let div = mount::<PasteUnderTest>(PasteHost {
        read: Callback::from(move |t| sink.borrow_mut().push(t)),
        error: None,
    })
    .await;
    let area: HtmlTextAreaElement = div
        .query_selector("#paste")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(HEADERS);
    click(&div, "#paste-run");
    tick().await;
    assert_eq!(got.borrow().as_slice(), [HEADERS.to_string()]);

    // What the worker says of junk, shown beside the box.
    let ReadReply::NotRecognised { reason, formats } = read("my mail bounces, please help", None)
    else {
        panic!("junk was read");
    };
    let error = PasteError {
        reason,
        formats: formats
            .iter()
            .map(|[a, b, c]| (a.to_string(), b.to_string(), c.to_string()))
            .collect(),
    };
    let div = mount::<PasteUnderTest>(PasteHost {
        read: Callback::noop(),
        error: Some(Rc::new(error)),
    })
    .await;
    let err = div.query_selector("#paste-error").unwrap().expect("error");
    assert!(err
        .text_content()
        .unwrap()
        .starts_with("The paste has no bounce or SMTP reply, no Received header"));
    assert_eq!(
        texts(&div, "#paste-error li", "data-format"),
        [
            "bounce",
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
}

#[wasm_bindgen_test]
async fn pasted_panel_shows_the_chain_and_picks_a_hop() {
    let ReadReply::Read { panel, target, .. } = read(HEADERS, None) else {
        panic!("headers not read");
    };
    assert_eq!(target.as_deref(), Some("192.0.2.10"));
    let paste = Rc::new(Paste {
        text: HEADERS.into(),
        hop: None,
        target: Some(Target::parse("192.0.2.10").unwrap()),
        helo: Some("mail.example.com".into()),
        panel: panel.into(),
        domain: None,
    });
    let mut req = request(4, "192.0.2.10", "mail.example.com");
    req.paste = Some(paste.clone());
    let state = State::default().apply(Action::Start(req)).unwrap();
    let picked = Rc::new(RefCell::new(Vec::new()));
    let sink = picked.clone();
    let div = mount::<WithState>(HostProps {
        state,
        picked: Callback::from(move |i| sink.borrow_mut().push(i)),
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
        Some("loading")
    );
    // While the check runs, a hop cannot be picked; once it is over, it can.
    click(&div, "tr[data-role=sender] [data-action=hop]");
    tick().await;
    assert!(picked.borrow().is_empty());
    let done = finished(paste_request(&paste), None).await;
    let state = State::default()
        .apply(Action::Start(done.request.clone()))
        .unwrap()
        .apply(Action::Finish(done))
        .unwrap();
    let div = mount::<WithState>(HostProps {
        state,
        picked: Callback::from({
            let sink = picked.clone();
            move |i| sink.borrow_mut().push(i)
        }),
    })
    .await;
    click(&div, "tr[data-role=sender] [data-action=hop]");
    tick().await;
    assert_eq!(picked.borrow().as_slice(), [2]);
}

fn paste_request(paste: &Rc<Paste>) -> Request {
    let mut req = request(9, "192.0.2.10", "mail.example.com");
    req.paste = Some(paste.clone());
    req
}

#[wasm_bindgen_test]
async fn a_config_with_callouts_shows_the_sav_card_without_a_lookup() {
    let text = "myhostname = localhost\nsmtpd_sender_restrictions = reject_unverified_sender\n";
    let ReadReply::Read { panel, target, .. } = read(text, None) else {
        panic!("config not read");
    };
    assert_eq!(target, None);
    let paste = Rc::new(Paste {
        text: text.into(),
        hop: None,
        target: None,
        helo: Some("localhost".into()),
        panel: panel.into(),
        domain: None,
    });
    let state = State::default().apply(Action::Pasted(paste)).unwrap();
    assert_eq!(state.run, Remote::Idle);
    let div = mount::<WithState>(HostProps {
        state,
        picked: Callback::noop(),
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
