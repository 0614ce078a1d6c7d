//! No DNS text can panic the sending-domain parsers, and what they propose to publish parses back
//! clean.

use proptest::prelude::*;
use sendercheck_core::domain::dkim::{parse_key_record, DkimQuery, KeyType, Selector};
use sendercheck_core::domain::dmarc::discovery::walk_names;
use sendercheck_core::domain::dmarc::{parse_record, Level, PolicyState};
use sendercheck_core::DomainName;

/// Tag soup after a valid version: known and unknown tags, odd values, stray separators.
fn dmarc_like() -> impl Strategy<Value = String> {
    let tag = "(p|sp|np|psd|t|adkim|aspf|rua|ruf|fo|pct|rf|ri|P|RUA|[a-z]{1,6})";
    let value = "(none|quarantine|reject|y|n|u|r|s|[01ds](:[01ds]){0,3}|mailto:[a-z!]{1,8}@[a-z.\\-_]{1,20}(![0-9]{1,3}[kmgt]?)?|https://x\\.example/r|[ -:<-~]{0,20})";
    prop::collection::vec((tag, "[ \t]{0,2}", value), 0..12).prop_map(|tags| {
        let mut text = String::from("v=DMARC1");
        for (t, ws, v) in tags {
            text.push_str(&format!(";{ws}{t}{ws}={ws}{v}"));
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn dmarc_text_never_panics(text in "\\PC{0,300}") {
        if let Ok(r) = parse_record(&text) {
            prop_assert_eq!(&r.text, &text);
            let _ = r.corrected();
        }
    }

    #[test]
    fn dmarc_records_and_their_corrections(text in dmarc_like()) {
        let r = parse_record(&text).unwrap();
        if r.state == PolicyState::Valid {
            prop_assert!(r.p.is_some());
        }
        // The record proposed instead parses with a valid policy and no errors or warnings.
        let fixed = parse_record(&r.corrected()).unwrap();
        prop_assert_eq!(fixed.state, PolicyState::Valid, "{}", r.corrected());
        prop_assert!(fixed.worst().is_none_or(|l| l == Level::Note), "{:?}", fixed.problems);
        prop_assert_eq!(fixed.rua.len(), r.rua.len());
        prop_assert_eq!((fixed.p, fixed.sp, fixed.np, fixed.adkim, fixed.aspf), (Some(r.p.unwrap_or(sendercheck_core::domain::dmarc::Policy::None)), r.sp, r.np, r.adkim, r.aspf));
    }

    #[test]
    fn dkim_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_key_record(&text);
    }

    #[test]
    fn dkim_keys_of_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600), k in "(rsa|ed25519)") {
        use base64::Engine;
        let p = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let r = parse_key_record(&format!("v=DKIM1; k={k}; p={p}")).unwrap();
        if r.usable() {
            match r.key_type {
                KeyType::Rsa => prop_assert!(r.bits.unwrap() >= 1024),
                _ => prop_assert_eq!(bytes.len(), 32),
            }
        }
        if let Some(c) = r.corrected() {
            let again = parse_key_record(&c).unwrap();
            prop_assert!(again.usable(), "{:?}", again.problems);
            prop_assert_eq!(again.bits, r.bits.or(Some(256)));
        }
    }

    #[test]
    fn dkim_tag_soup(tags in prop::collection::vec(("(v|h|k|n|p|s|t|g|[A-Za-z_]{1,4})", "[ -:<-~\t]{0,40}"), 0..10)) {
        let text: Vec<String> = tags.iter().map(|(t, v)| format!("{t}={v}")).collect();
        let _ = parse_key_record(&text.join(";"));
    }

    #[test]
    fn selectors_never_panic(text in "\\PC{0,100}") {
        if let Ok(s) = Selector::parse(&text) {
            prop_assert_eq!(s.as_str().to_ascii_lowercase(), s.as_str());
            prop_assert!(!s.as_str().contains(char::is_whitespace));
            let d = DomainName::parse("example.com").unwrap();
            if let Ok(q) = DkimQuery::new(&text, &d) {
                prop_assert!(q.name.as_str().ends_with("._domainkey.example.com"));
            }
        }
    }

    #[test]
    fn walks_are_at_most_eight_names(labels in prop::collection::vec("[a-z0-9]{1,10}", 1..30)) {
        let d = DomainName::parse(&labels.join(".")).unwrap();
        let names = walk_names(&d);
        prop_assert!(names.len() <= 8);
        prop_assert_eq!(&names[0], &d);
        prop_assert_eq!(names.last().unwrap().label_count(), 1);
        for pair in names.windows(2) {
            let parent = format!(".{}", pair[1]);
            prop_assert!(pair[0].as_str().ends_with(&parent));
        }
    }
}
