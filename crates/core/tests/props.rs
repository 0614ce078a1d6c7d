//! No pasted text can panic the parsers, and what they accept is canonical.

use proptest::prelude::*;
use sendercheck_core::identity::generic;
use sendercheck_core::identity::helo::{parse_helo, HeloKind};
use sendercheck_core::{parse_ip, DomainName};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn ehlo_text_never_panics(text in "\\PC{0,300}") {
        let h = parse_helo(&text);
        if h.kind == HeloKind::Fqdn {
            prop_assert_eq!(h.name.to_lowercase(), h.name.clone());
            prop_assert!(!h.name.ends_with('.'));
            prop_assert!(h.domain.is_some());
        } else {
            prop_assert!(h.domain.is_none());
        }
    }

    #[test]
    fn smtp_like_lines(verb in "(EHLO|HELO|ehlo|250-|250 |220 |)", arg in "[a-zA-Z0-9._\\-\\[\\]:]{0,80}", rest in "[ -~]{0,40}") {
        let _ = parse_helo(&format!("{verb}{arg} {rest}\r\n"));
    }

    #[test]
    fn ip_text_never_panics(text in "\\PC{0,100}") {
        let _ = parse_ip(&text);
    }

    #[test]
    fn ip_like_text(text in "[0-9a-fA-F:.\\[\\]%/]{0,60}") {
        if let Ok(ip) = parse_ip(&text) {
            // Canonical text parses back to the same address.
            prop_assert_eq!(parse_ip(&ip.to_string()).unwrap(), ip);
        }
    }

    #[test]
    fn names_never_panic(text in "\\PC{0,300}") {
        if let Ok(n) = DomainName::parse(&text) {
            prop_assert!(n.as_str().len() <= 253);
            let _ = n.host_name_problem();
            let _ = generic::classify(n.as_str(), "192.0.2.1".parse().unwrap());
            let _ = generic::classify(n.as_str(), "2001:db8::1".parse().unwrap());
        }
    }

    #[test]
    fn generic_never_panics(name in "[a-z0-9.\\-_]{0,120}", v4 in any::<u32>(), v6 in any::<u128>()) {
        let a = generic::classify(&name, std::net::Ipv4Addr::from(v4).into());
        let _ = a.explanation(&name);
        let b = generic::classify(&name, std::net::Ipv6Addr::from(v6).into());
        let _ = b.explanation(&name);
    }
}

#[test]
fn huge_paste_is_handled() {
    let big = "EHLO ".to_string() + &"a".repeat(1_000_000);
    let h = parse_helo(&big);
    assert_eq!(h.kind, HeloKind::Invalid);
    assert!(h.name.len() < 100);
    let lines = "junk line\n".repeat(100_000);
    assert_eq!(parse_helo(&lines).kind, HeloKind::Invalid);
    assert!(parse_ip(&"9".repeat(1_000_000)).is_err());
}
