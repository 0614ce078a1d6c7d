//! No text can panic the SPF record parser, the macro expander or the evaluator: errors are
//! results, not crashes.

use std::future::Future;
use std::net::IpAddr;

use proptest::prelude::*;
use sendercheck_core::dns::{
    Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver,
};
use sendercheck_core::domain::spf::macros::{
    target_name, Context, Env, MacroString, MAX_EXPANSION,
};
use sendercheck_core::domain::spf::{check_host, record};

/// Terms and pieces of terms, so that generated records are often nearly valid.
const PIECES: &[&str] = &[
    "v=spf1",
    "V=SPF1",
    " ",
    "  ",
    "a",
    "mx",
    "ptr",
    "all",
    "-all",
    "~all",
    "?all",
    "+",
    "include:",
    "exists:",
    "ip4:",
    "ip6:",
    "redirect=",
    "exp=",
    "a:",
    "mx:",
    "/",
    "//",
    "24",
    "0",
    "33",
    "129",
    "192.0.2.1",
    "::1",
    "2001:db8::",
    "example.com",
    ".",
    "%{d}",
    "%{i}",
    "%{ir}",
    "%{l2r-}",
    "%{p}",
    "%{D2}",
    "%{c}",
    "%%",
    "%_",
    "%-",
    "%",
    "{",
    "}",
    "=",
    ":",
    "foo=",
    "x",
    "\t",
    "é",
    "\0",
    "ex.-com",
    "%{h}",
    "%{s}.example.com",
    "_spf.example.com",
];

fn pieced() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|p| p.concat())
}

fn env(ip: IpAddr) -> Env<'static> {
    Env {
        sender: "a@b.example",
        local: "a",
        sender_domain: "b.example",
        domain: "b.example",
        ip,
        helo: "h.example",
        ptr: None,
        receiver: "r.example",
        timestamp: 0,
    }
}

/// Every TXT question gets `record`; every A/AAAA question an address; every MX question two
/// hosts; every PTR question a name; anything else does not exist.
struct Everything {
    record: String,
}

impl Resolver for Everything {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let name = q.name.as_str().to_string();
        let data = match q.rtype {
            RecordType::Txt => Some(RData::Txt(vec![self.record.clone()])),
            RecordType::A => Some(RData::A("192.0.2.1".parse().unwrap())),
            RecordType::Aaaa => Some(RData::Aaaa("2001:db8::1".parse().unwrap())),
            RecordType::Mx => Some(RData::Mx {
                preference: 10,
                exchange: format!("mx.{name}"),
            }),
            RecordType::Ptr => Some(RData::Ptr("b.example".into())),
            _ => None,
        };
        let answer = match data {
            Some(data) => Answer::new(
                Rcode::NoError,
                vec![Record {
                    name,
                    rtype: q.rtype,
                    ttl: 60,
                    data,
                }],
            ),
            None => Answer::new(Rcode::NxDomain, vec![]),
        };
        async move { Ok(answer) }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn records_never_panic(text in "\\PC{0,200}") {
        let _ = record::parse(&text);
        let _ = record::parse(&format!("v=spf1 {text}"));
    }

    #[test]
    fn pieced_records_never_panic(text in pieced()) {
        if let Ok(r) = record::parse(&format!("v=spf1 {text}")) {
            for term in &r.terms {
                prop_assert!(!term.text.is_empty());
                prop_assert!(!term.text.contains(' '));
            }
        }
    }

    #[test]
    fn macros_never_panic(text in "\\PC{0,120}", pieced in pieced(), v4 in any::<u32>(), v6 in any::<u128>()) {
        for t in [text.as_str(), pieced.as_str()] {
            for context in [Context::DomainSpec, Context::Modifier, Context::Explanation] {
                if let Ok(m) = MacroString::parse(t, context) {
                    for ip in [IpAddr::from(std::net::Ipv4Addr::from(v4)), IpAddr::from(std::net::Ipv6Addr::from(v6))] {
                        let out = m.expand(&env(ip));
                        prop_assert!(out.len() <= MAX_EXPANSION);
                        if let Ok(name) = target_name(&out) {
                            prop_assert!(name.as_str().len() <= 253);
                        }
                    }
                }
            }
            let _ = MacroString::parse_domain_spec(t);
        }
    }

    #[test]
    fn evaluation_never_panics(text in pieced(), domain in "[a-z%.:_-]{0,30}", sender in "\\PC{0,40}") {
        let resolver = Everything { record: format!("v=spf1 {text}") };
        for ip in ["192.0.2.1", "2001:db8::1"] {
            let e = futures::executor::block_on(check_host(&resolver, ip.parse().unwrap(), &domain, &sender, "h.example"));
            prop_assert!(e.void_lookups <= 3);
            prop_assert!(e.lookups <= 11);
            let _ = serde_json::to_string(&e).unwrap();
        }
    }
}
