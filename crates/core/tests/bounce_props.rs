//! No text panics the bounce reader, and the sending IP it finds is never the receiver's.

use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use proptest::prelude::*;
use sendercheck_core::bounce::{self, Bounce};
use sendercheck_core::dns::non_public_reason;
use sendercheck_core::paste::{extract, Format};

/// What must hold of every bounce read.
fn sound(b: &Bounce) -> Result<(), TestCaseError> {
    if let Some(ip) = b.sending_ip {
        prop_assert_ne!(
            Some(ip),
            b.receiver_ip,
            "the receiver's address taken as the sender's"
        );
        prop_assert!(!ip.is_loopback() && !ip.is_unspecified());
    }
    prop_assert!(b.reply.text.len() <= 2100);
    if let Some(c) = b.reply.code {
        prop_assert!((400..600).contains(&c));
        prop_assert_eq!(b.permanent, Some(c >= 500));
    }
    let _ = bounce::reply_finding(b);
    let _ = bounce::bounce_json(b);
    Ok(())
}

fn check_text(text: &str) -> Result<(), TestCaseError> {
    if let Some(b) = bounce::read(text) {
        sound(&b)?;
    }
    if let Ok(x) = extract(text) {
        if let Some(b) = &x.bounce {
            sound(b)?;
            if x.format == Format::Bounce {
                prop_assert_eq!(x.ip, b.sending_ip);
            }
        }
        if let Some(c) = x.chosen {
            prop_assert_eq!(x.ip, x.hops[c].ip);
        }
    }
    Ok(())
}

fn samples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bounces");
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

/// Pieces of every bounce form, to build text that reaches deep into the readers.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\n    ",
    " ",
    ":",
    ": ",
    ";",
    "(",
    ")",
    "[",
    "]",
    "]:",
    "<",
    ">",
    "'",
    "=",
    "550",
    "550-",
    "550 ",
    "5.7.25",
    "550-5.7.1 ",
    "421 4.7.0 ",
    "#5.7.1",
    "(#5.5.0)",
    "[192.0.2.10]",
    "203.0.113.60",
    "[203.0.113.60]",
    "ip=",
    "v=",
    "2001:db8::9",
    "[IPv6:2001:db8::9]",
    "host ",
    "said: ",
    " refused to talk to me: ",
    "(in reply to ",
    "RCPT TO",
    " command)",
    "Reporting-MTA: dns; ",
    "Remote-MTA: dns; ",
    "Final-Recipient: rfc822; ",
    "Original-Recipient: ",
    "Action: failed",
    "Status: 5.0.0",
    "Diagnostic-Code: smtp; ",
    "X-Postfix-Sender: rfc822; ",
    "Content-Type: message/rfc822",
    "Content-Type: message/delivery-status",
    "Return-Path: <a@example.org>",
    "Received: from x (x [192.0.2.10]) by mx.example.net",
    "From: a@example.org",
    "DKIM-Signature: d=example.org; s=s1;",
    "This is the mail system at host ",
    "SMTP error from remote mail server after ",
    "end of data",
    "initial connection",
    "MAIL FROM:<a@example.org> SIZE=1",
    "Remote host said: ",
    "Connected to ",
    "... while talking to ",
    ">>> DATA",
    "<<< ",
    "Remote Server returned '",
    "Status code: ",
    "The error that the other server returned was: ",
    "(reason: ",
    "blocked using ",
    "zen.spamhaus.org",
    "postfix/smtp[1]: ",
    "status=bounced (",
    "to=<b@gmail.com>, ",
    "relay=",
    "H=",
    " ** ",
    " == ",
    "2026-11-27 10:00:00 1tAbCd-000123-Ef ",
    "Nov 27 10:00:00 mx ",
    "NOQUEUE: reject: RCPT from ",
    "sendmail[1]: ",
    "stat=Deferred: ",
    "quoted-printable",
    "=\n",
    "=20",
    "mx.example.net",
    "gmail-smtp-in.l.google.com",
    "a@example.org",
    "\\n",
    "é",
    "\u{0}",
    "\u{feff}",
    "[TSS09]",
    "PTR record",
];

/// An IPv4 address from a seed (the test skips the ones receivers never see).
fn v4(seed: u32) -> IpAddr {
    let [a, b, c, d] = seed.to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(a.clamp(1, 223), b, c, d.max(1)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_text(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,600}") {
        check_text(&text)?;
    }

    #[test]
    fn bounce_like_text(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..100)) {
        check_text(&parts.concat())?;
    }

    #[test]
    fn mutated_bounces(pick in any::<proptest::sample::Index>(),
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
        check_text(&String::from_utf8_lossy(&text))?;
    }

    /// Every form that names both addresses: the sender's is the one the reply names, the
    /// receiver's is the `host H[IP]` one, whichever comes first on the line.
    #[test]
    fn the_receiver_is_never_the_sender(r in any::<u32>(), s in any::<u32>(), form in 0usize..7, named in any::<bool>()) {
        let (receiver, sender) = (v4(r), v4(s));
        prop_assume!(receiver != sender);
        prop_assume!(non_public_reason(receiver).is_none() && non_public_reason(sender).is_none());
        let names = if named { format!("[{sender}] ") } else { String::new() };
        let text = match form {
            0 => format!("Nov 27 10:00:00 mail postfix/smtp[1]: 4AbC: to=<b@example.net>, relay=mx.example.net[{receiver}]:25, status=bounced (host mx.example.net[{receiver}] said: 550 5.7.1 {names}Rejected (in reply to RCPT TO command))"),
            1 => format!("2026-11-27 10:00:00 1tAbCd-000123-Ef ** b@example.net R=dnslookup T=remote_smtp H=mx.example.net [{receiver}]: SMTP error from remote mail server after RCPT TO:<b@example.net>: 550 5.7.1 {names}rejected"),
            2 => format!("2026-11-27 10:00:00 1tAbCd-000123-Ef == b@example.net R=dnslookup T=remote_smtp defer (-45): SMTP error from remote mail server after EHLO mail.example.org: host mx.example.net [{receiver}]: 421 4.7.0 {names}Client host rejected"),
            3 => format!("This is the mail system at host mail.example.org.\n\n<b@example.net>: host mx.example.net[{receiver}] said: 550\n    5.7.1 {names}Access denied (in reply to MAIL FROM command)\n"),
            4 => format!("This message was created automatically by mail delivery software.\n\n  b@example.net\n    host mx.example.net [{receiver}]\n    SMTP error from remote mail server after end of data:\n    554 5.7.1 {names}Message rejected\n"),
            5 => format!("Reporting-MTA: dns; mail.example.org\n\nFinal-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.7.1\nRemote-MTA: dns; mx.example.net ({receiver})\nDiagnostic-Code: smtp; 550 5.7.1 {names}blocked\n"),
            _ => format!("Apr 8 04:03:09 sigma sendmail[7488]: w344QRId020581: to=<b@example.net>, relay=mx.example.net. [{receiver}], dsn=4.0.0, stat=Deferred: 421 4.7.0 {names}deferred"),
        };
        let x = extract(&text).unwrap();
        let b = x.bounce.as_ref().unwrap();
        prop_assert_eq!(b.receiver_ip, Some(receiver), "{}", text);
        prop_assert_eq!(b.sending_ip, named.then_some(sender), "{}", text);
        prop_assert_eq!(x.ip, named.then_some(sender), "{}", text);
        prop_assert_eq!(b.receiver_host.as_deref(), Some("mx.example.net"));
    }
}

/// Megabyte bounces (a huge Diagnostic-Code, thousands of recipients, a long reply) are read
/// whole: a quadratic reader would take hours on them.
#[test]
fn megabyte_bounces_are_read_whole() {
    let line = "<b@example.net>: host mx.example.net[198.51.100.1] said: 550 5.7.1 [192.0.2.10] rejected (in reply to RCPT TO command)\n";
    let shapes = [
        format!("This is the mail system at host mail.example.org.\n\n{}", line.repeat((1 << 20) / line.len())),
        format!("Reporting-MTA: dns; mail.example.org\n\nFinal-Recipient: rfc822; b@example.net\nAction: failed\nDiagnostic-Code: smtp; 550 5.7.1 {}\n", "word ".repeat(200_000)),
        format!("550-5.7.1 {}", "550-5.7.1 blocked\n".repeat(10)),
        "Final-Recipient: rfc822; a@example.net\nDiagnostic-Code: smtp; 550 x\n".repeat(15_000),
        "2026-11-27 10:00:00 1tAbCd-000123-Ef == b@example.net R=x T=y defer (-45): SMTP error from remote mail server after MAIL FROM:<a@example.org> SIZE=1: host mx.example.net [198.51.100.1]: 421 4.7.0 [TSS04] Messages from 192.0.2.10 deferred\n".repeat(4000),
    ];
    for text in shapes {
        if let Ok(x) = extract(&text) {
            if let Some(b) = &x.bounce {
                assert!(b.sending_ip.is_none() || b.sending_ip != b.receiver_ip);
            }
        }
    }
}
