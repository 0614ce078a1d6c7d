//! No paste can panic the paste parsers, and their work grows linearly with the paste.
//!
//! Linearity is not timed here (timed tests flake); the 1 MB adversarial pastes below would take
//! hours if any parser were quadratic, and `cargo run --release -p sendercheck-core --example
//! paste_bench` prints the time per megabyte of each shape.

use std::fs;
use std::path::Path;

#[path = "support/shapes.rs"]
mod shapes;

use proptest::prelude::*;
use sendercheck_core::paste::{extract, paste_findings, Extracted, Format, HopRole, MAX_PASTE};

/// Everything a caller may do with an extraction: pick each hop, list the receiver's headers,
/// make the findings. None of it may panic, and the extraction must be self-consistent.
fn exercise(x: &Extracted) -> Result<(), TestCaseError> {
    prop_assert!(x.chosen.is_none_or(|c| c < x.hops.len()));
    if let Some(c) = x.chosen {
        prop_assert_eq!(x.ip, x.hops[c].ip);
        // The walk never takes a submission or a filter's handover for the sending server.
        let hop = &x.hops[c];
        prop_assert_eq!(hop.role, HopRole::Entry);
        prop_assert!(
            hop.auth.is_none(),
            "chosen hop is a submission: {}",
            hop.raw
        );
        prop_assert!(
            hop.not_relay.is_none(),
            "chosen hop is no relay: {}",
            hop.raw
        );
    }
    if let Some(h) = &x.helo {
        prop_assert!(
            !h.is_empty() || x.format == Format::Ehlo,
            "empty EHLO name from {:?}",
            x.format
        );
    }
    prop_assert_eq!(x.sav, !x.sav_lines.is_empty());
    let _ = x.receiver_auth().count();
    let _ = paste_findings(x, None);
    for i in 0..x.hops.len().min(20) {
        let mut y = x.clone();
        prop_assert!(y.choose_hop(i));
        prop_assert_eq!(y.chosen, Some(i));
    }
    Ok(())
}

/// The paste corpus and the real Received corpus.
fn samples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<String> = ["tests/corpus", "tests/received/corpus"]
        .iter()
        .flat_map(|d| fs::read_dir(root.join(d)).unwrap())
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "txt")
                .then(|| String::from_utf8_lossy(&fs::read(p).unwrap()).into_owned())
        })
        .collect();
    out.sort();
    out
}

/// Pieces of one Received header, to build chains of every dialect.
const FROM_NAMES: &[&str] = &[
    "mail.example.com",
    "unknown",
    "[192.0.2.10]",
    "192.0.2.10",
    "[10.0.0.5]",
    "127.0.0.1",
    "pps.filterd",
    "mx0b-00123401.pphosted.com",
    "us-smtp-delivery-1.mimecast.com",
    "NAM12-BN8-obe.outbound.protection.outlook.com",
    "mail-sor-f41.google.com",
    "mout.gmx.net",
    "x.example.net(198.51.100.1),",
    "user@localhost",
    "",
];
const FROM_COMMENTS: &[&str] = &[
    "",
    " (mail.example.com [192.0.2.10])",
    " (unknown [198.51.100.7])",
    " ([192.0.2.10])",
    " ([192.0.2.10]:4321 helo=mail.example.com)",
    " (EHLO [192.0.2.7]) ([203.0.113.25])",
    " (HELO ) (198.51.100.10)",
    " (HELO x) [198.51.100.163]",
    " (198.51.100.86:23198)",
    " [10.0.8.6.13219]",
    " (account u@example.org HELO [10.1.1.1])",
    " (host.example.com [192.0.2.10] (may be forged))",
    " (authenticated bits=0)",
    " (Authenticated sender: a@example.com)",
    " (m0 [127.0.0.1])",
    ", claiming to be \"h.example.org\" via SMTP",
    " (2603:10b6:806:1::1)",
    " ([",
    " (",
];
const BYS: &[&str] = &[
    "mx.example.net (Postfix)",
    "mx.google.com",
    "smtp.gmail.com",
    "BN1NAM02FT050.mail.protection.outlook.com (10.13.2.190)",
    "SA1PR11MB5678.namprd11.prod.outlook.com",
    "mx0b-00123401.pphosted.com",
    "mail.example.co.jp",
    "m12.example.com (ecelerity 2.1.1.3 r(11743))",
    "host.example (Exim 4.97)",
    "2002:a05:7300:a4a0::1",
];
const WITHS: &[&str] = &[
    "ESMTPS",
    "ESMTPSA",
    "esmtpa",
    "SMTP",
    "LMTP",
    "POP3",
    "HTTP",
    "HTTPS",
    "local",
    "Microsoft SMTP Server",
];

/// Pieces of every recognised format, to build text that reaches deep into the parsers.
const PIECES: &[&str] = &[
    "Received: ",
    "Authentication-Results: ",
    "Received-SPF: ",
    "ARC-Seal: ",
    "\n",
    "\r\n",
    "\n\t",
    "\n ",
    " ",
    "from ",
    "by ",
    "with ",
    "id ",
    "for ",
    "via ",
    "(",
    ")",
    "[",
    "]",
    "]:",
    ";",
    "=",
    "helo=",
    "HELO ",
    "unknown",
    "may be forged",
    "(Exim 4.97)",
    "qmail",
    "mail.example.com",
    "mx.google.com",
    "192.0.2.10",
    "[192.0.2.10]",
    "IPv6:",
    "2001:db8::10",
    "[IPv6:2001:db8::10]",
    "10.0.0.1",
    "iprev=pass",
    "spf=fail",
    "policy.iprev=",
    "smtp.helo=",
    "client-ip=",
    "\"",
    "postfix/smtpd[1]: ",
    "connect from ",
    "RCPT from ",
    "client=",
    "unknown[",
    "helo=<",
    ">",
    "does not resolve to address ",
    "warning: ",
    "address not listed for hostname ",
    " said: ",
    "550-5.7.25 ",
    " H=",
    "<= ",
    "** ",
    "=> ",
    "SMTP error from remote",
    "connection from ",
    "myhostname = ",
    "mydomain = ",
    "smtp_helo_name = ",
    "$myhostname",
    "${mydomain}",
    "$(x)",
    "smtp_bind_address = ",
    "reject_unverified_sender",
    ",",
    "-o ",
    "smtpd_sender_restrictions = ",
    "address_verify_map = ",
    "#",
    "primary_hostname = ",
    "begin acl",
    "begin transports",
    "driver = smtp",
    "helo_data = ",
    "interface = ",
    "<; ",
    "verify = sender/callout",
    "/",
    "\\",
    "require ",
    "EHLO ",
    "250-",
    "220 ",
    "é",
    "\u{0}",
    "\u{feff}",
    "ü.example",
    "ESMTPSA",
    "(authenticated bits=0)",
    "(EHLO [192.0.2.7])",
    "pps.filterd",
    "mx0b-1.pphosted.com",
    "outbound.protection.outlook.com",
    "mail-sor-f41.google.com",
    "> ",
    "claiming to be ",
    "with LMTP",
    "-------- Forwarded Message --------\n",
    "Content-Type: message/rfc822\n",
    " Received: ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(x) = extract(&String::from_utf8_lossy(&bytes)) {
            exercise(&x)?;
        }
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,600}") {
        if let Ok(x) = extract(&text) {
            exercise(&x)?;
        }
    }

    #[test]
    fn format_like_text(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..80)) {
        if let Ok(x) = extract(&parts.concat()) {
            exercise(&x)?;
        }
    }

    #[test]
    fn arbitrary_chains(hops in proptest::collection::vec(
        (proptest::sample::select(FROM_NAMES), proptest::sample::select(FROM_COMMENTS),
         proptest::sample::select(BYS), proptest::sample::select(WITHS), 0u8..6), 0..12),
        quote in any::<bool>(), strip_folding in any::<bool>()) {
        let mut text = String::new();
        for (name, comment, by, with, extra) in hops {
            let (sep, ind) = if strip_folding { ("\n", "") } else { ("\n", "\t") };
            text.push_str(&format!("Received: from {name}{comment}{sep}{ind}by {by} with {with} id 4Ab{sep}{ind}for <bob@example.co.jp>; Fri, 27 Nov 2026 10:00:00 +0000\n"));
            match extra {
                0 => text.push_str("Received-SPF: pass (example: domain designates 148.163.158.5 as permitted sender) client-ip=148.163.158.5;\n"),
                1 => text.push_str("Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.com\n"),
                2 => text.push_str("From: Alice <alice@pphosted.com>\n"),
                3 => text.push_str("-------- Forwarded Message --------\n"),
                _ => {}
            }
        }
        if quote {
            text = text.lines().map(|l| format!("> {l}\n")).collect();
        }
        if let Ok(x) = extract(&text) {
            exercise(&x)?;
        }
    }

    #[test]
    fn mutated_samples(pick in any::<proptest::sample::Index>(),
                       edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..4, proptest::sample::select(PIECES)), 1..12)) {
        let all = samples();
        let mut text = all[pick.index(all.len())].clone().into_bytes();
        for (at, op, piece) in edits {
            let i = at.index(text.len() + 1);
            match op {
                0 => { text.splice(i..i, piece.bytes()); }
                1 if i < text.len() => { text.truncate(i); }
                2 if i < text.len() => { text.remove(i); }
                _ => { let copy = text[..i].to_vec(); text.extend(copy); }
            }
        }
        if let Ok(x) = extract(&String::from_utf8_lossy(&text)) {
            exercise(&x)?;
        }
    }
}

#[test]
fn megabyte_pastes_are_read_whole() {
    for (shape, text) in shapes::shapes(1 << 20) {
        assert!(text.len() <= MAX_PASTE, "{shape}");
        if let Ok(x) = extract(&text) {
            let _ = paste_findings(&x, None);
            for i in 0..x.hops.len().min(3) {
                x.clone().choose_hop(i);
            }
            assert!(x.hops.len() <= 100, "{shape}: {} hops kept", x.hops.len());
            assert!(x.notes.len() <= 4, "{shape}: {} notes", x.notes.len());
        }
    }
}
