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
use sendercheck_core::paste::{extract, paste_findings, Extracted, Format, MAX_PASTE};

/// Everything a caller may do with an extraction: pick each hop, list the receiver's headers,
/// make the findings. None of it may panic, and the extraction must be self-consistent.
fn exercise(x: &Extracted) -> Result<(), TestCaseError> {
    prop_assert!(x.chosen.is_none_or(|c| c < x.hops.len()));
    if let Some(c) = x.chosen {
        prop_assert_eq!(x.ip, x.hops[c].ip);
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

fn samples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "txt")
                .then(|| String::from_utf8_lossy(&fs::read(p).unwrap()).into_owned())
        })
        .collect();
    out.sort();
    out
}

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
