//! Message headers: read the fields as people paste them, parse every Received header
//! (`received.rs`), and walk the chain to the hop where the message entered the receiver
//! (`walk.rs`).
//!
//! RFC 5322 §3.6.7: each relay prepends a `Received:` trace field, so the topmost is the newest.
//! People paste headers in many shapes, and each is read as the block it was copied from:
//!
//! - the body after the first blank line is not read (a message quoting headers), unless every
//!   field so far was set apart by blank lines (Outlook's message details);
//! - continuation lines that lost their leading whitespace (a copy from some mail clients) are
//!   joined back to the field they continue: a line starts a field only when it begins with a
//!   field name (letters, digits, `-`, `_`) and a colon;
//! - a block quoted with `> ` (a reply) is unquoted;
//! - a block whose line breaks were lost is split again before each trace or authentication field;
//! - the headers of a forwarded message (after `Content-Type: message/rfc822`, `Begin forwarded
//!   message:`, `-------- Forwarded Message --------`, `-----Original Message-----`) are read
//!   instead of the forwarding message's own, when they hold a Received header.

use std::borrow::Cow;
use std::net::IpAddr;

use super::auth;
use super::walk::{assign_roles, Context, Walk};
use super::{Extracted, Format};

/// At most this many Received headers are kept (real messages have under 20).
const MAX_HOPS: usize = 100;

/// Where a hop sits relative to the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopRole {
    /// Added inside the receiving provider, above the entry.
    Receiver,
    /// A filtering service in front of the receiver passed the message on to the receiver's own
    /// servers here: the service is the receiver's, not the sender.
    Filter,
    /// Where the message entered the receiving provider.
    Entry,
    /// Added on the sender's side, below the entry.
    Sender,
    /// An authenticated submission (RFC 3848 `with ESMTPSA`, …) from a user's device at a public
    /// address: it names the device, not a sending server.
    Submission,
}

impl HopRole {
    /// The role word (`receiver`, `filter`, `entry`, `sender`, `submission`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HopRole::Receiver => "receiver",
            HopRole::Filter => "filter",
            HopRole::Entry => "entry",
            HopRole::Sender => "sender",
            HopRole::Submission => "submission",
        }
    }
}

crate::serialize_as_str!(HopRole);

/// One Received header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The client's EHLO argument.
    pub helo: Option<String>,
    /// The client's reverse name as the server recorded it, when it verified it.
    pub rdns: Option<String>,
    /// The server said it found no (verified) reverse name.
    pub rdns_unknown: bool,
    /// Sendmail marked the reverse name `(may be forged)`: it did not forward-confirm.
    pub rdns_forged: bool,
    /// The client's address.
    pub ip: Option<IpAddr>,
    /// The server that added the header.
    pub by: Option<String>,
    /// The protocol (`ESMTPS`, `SMTP`, …).
    pub with: Option<String>,
    /// The date after the `;`.
    pub date: Option<String>,
    /// The header as written, unfolded (shortened when long).
    pub raw: String,
    /// Its role, as judged by the walk down the chain.
    pub role: HopRole,
    /// Why it has that role.
    pub why: String,
    /// The header's position among all headers of the paste (0 = first).
    pub position: usize,
    /// How the header shows that the client authenticated (`with ESMTPSA`,
    /// `(authenticated bits=0)`, …): an authenticated submission, not a relay between servers.
    pub auth: Option<String>,
    /// Why the header records no relay between servers (LMTP delivery, POP3/IMAP retrieval,
    /// `with local`), when it does not.
    pub not_relay: Option<&'static str>,
    /// The domain of the `for <user@domain>` recipient.
    pub recipient_domain: Option<String>,
}

/// A header field: its position, name and unfolded value.
pub(crate) struct Field<'a> {
    pub position: usize,
    pub name: &'a str,
    pub value: String,
}

/// A header field's name and value, when the line starts one: a name of letters, digits, `-`
/// and `_` (RFC 5322 allows more, but nothing real uses it, and `h=from:to` in a DKIM signature
/// whose folding was lost must stay a continuation).
fn field_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    (name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some((name, value))
}

/// The header fields of the paste. Lines before the first field are skipped (the summary Gmail's
/// "Show original" puts above the headers). A line that starts no field continues the field
/// above it, indented or not. After a Received header, a blank line ends the header section, so
/// a body quoting headers is not read; only when every field so far was set apart by a blank line
/// (Outlook's message details) does the next field continue it.
pub(crate) fn fields(text: &str) -> Vec<Field<'_>> {
    let mut out: Vec<Field<'_>> = Vec::new();
    let mut seen_received = false;
    let mut continuing = false;
    let mut after_blank = false;
    let mut contiguous = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            after_blank = true;
            continuing = false;
            continue;
        }
        let starts_field = !line.starts_with([' ', '\t']) && field_line(line).is_some();
        if after_blank && seen_received && (contiguous || !starts_field) {
            break;
        }
        // Fields one after another (no blank line between them) make the next blank line the
        // end of the headers.
        contiguous |= starts_field && !after_blank && !out.is_empty();
        after_blank = false;
        if !starts_field {
            if continuing {
                if let Some(f) = out.last_mut() {
                    f.value.push(' ');
                    f.value.push_str(line.trim());
                }
            }
            continue;
        }
        let Some((name, value)) = field_line(line) else {
            continue;
        };
        seen_received |= name.eq_ignore_ascii_case("received");
        continuing = true;
        out.push(Field {
            position: out.len(),
            name,
            value: value.trim().to_string(),
        });
    }
    out
}

/// The trace and authentication fields that mark a paste as headers.
const MARKERS: [&str; 3] = ["received:", "authentication-results:", "received-spf:"];

fn starts_with_marker(line: &str) -> bool {
    MARKERS.iter().any(|m| {
        line.get(..m.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(m))
    })
}

/// A line without its reply quoting (`> `, `>> `, `> > `).
fn unquote(line: &str) -> Option<&str> {
    let mut rest = line.trim_start_matches(' ').strip_prefix('>')?;
    loop {
        rest = rest.strip_prefix(' ').unwrap_or(rest);
        match rest.strip_prefix('>') {
            Some(r) => rest = r,
            None => return Some(rest),
        }
    }
}

/// Lines that introduce a forwarded or attached message.
fn forward_marker(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.starts_with("content-type: message/rfc822")
        || l == "begin forwarded message:"
        || (l.starts_with("---")
            && (l.contains("forwarded message") || l.contains("original message")))
}

/// Field names before which a paste whose line breaks were lost is split again.
const SPLIT_BEFORE: [&str; 8] = [
    " Received: ",
    " Authentication-Results: ",
    " Received-SPF: ",
    " ARC-Seal: ",
    " ARC-Message-Signature: ",
    " ARC-Authentication-Results: ",
    " DKIM-Signature: ",
    " X-Received: ",
];

/// The paste as the header block it was copied from (see the module documentation), and a note
/// when it was changed in a way the user should know.
fn normalise(text: &str) -> (Cow<'_, str>, Option<String>) {
    let mut text = Cow::Borrowed(text);
    let mut note = None;
    // Quoted with `> `, and nothing unquoted marks headers.
    if !text.lines().any(starts_with_marker)
        && text
            .lines()
            .any(|l| unquote(l).is_some_and(starts_with_marker))
    {
        let unquoted: Vec<&str> = text.lines().map(|l| unquote(l).unwrap_or(l)).collect();
        text = Cow::Owned(unquoted.join("\n"));
        note = Some("The headers were quoted with `>`; they were read unquoted.".to_string());
    }
    // A forwarded message's own headers.
    let lines: Vec<&str> = text.lines().collect();
    if let Some(at) = lines.iter().position(|l| forward_marker(l)) {
        if lines[at + 1..].iter().any(|l| starts_with_marker(l)) {
            let inner = lines[at + 1..].join("\n");
            note = Some(format!(
                "Line {} starts a forwarded message; its headers were read, not those of the message that forwarded it.",
                at + 1
            ));
            text = Cow::Owned(inner);
        }
    }
    // Line breaks lost: one long line holding several Received fields.
    let one_line = |l: &str| starts_with_marker(l) && l.len() > 200 && l.contains(" Received: ");
    if text.lines().any(one_line) {
        let mut out = String::with_capacity(text.len() + 64);
        for line in text.lines() {
            if one_line(line) {
                // One pass over the spaces: linear in the line.
                let mut last = 0;
                for (i, _) in line.match_indices(' ') {
                    if SPLIT_BEFORE.iter().any(|m| line[i..].starts_with(m)) {
                        out.push_str(&line[last..i]);
                        out.push('\n');
                        last = i + 1;
                    }
                }
                out.push_str(&line[last..]);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        text = Cow::Owned(out);
        note.get_or_insert_with(|| {
            "The headers had lost their line breaks; they were split before each Received and authentication field.".to_string()
        });
    }
    (text, note)
}

/// The domain of an address in a `From`, `Sender` or `Return-Path` value.
fn address_domain(value: &str) -> Option<String> {
    let inner = match (value.rfind('<'), value.rfind('>')) {
        (Some(a), Some(b)) if a < b => &value[a + 1..b],
        _ => value.split_whitespace().find(|w| w.contains('@'))?,
    };
    let domain = inner.rsplit_once('@')?.1.trim_end_matches(['>', ';', ',']);
    super::text::looks_like_host(domain).then(|| super::text::host_name(domain))
}

pub(super) fn extract(text: &str) -> Option<Extracted> {
    let (text, note) = normalise(text);
    if !text.lines().any(starts_with_marker) {
        return None;
    }
    let fields = fields(&text);
    let mut hops = Vec::new();
    let mut auth_headers = Vec::new();
    let mut authors = Vec::new();
    let mut recipients = Vec::new();
    let mut notes: Vec<String> = note.into_iter().collect();
    for f in &fields {
        if f.name.eq_ignore_ascii_case("received") {
            if hops.len() == MAX_HOPS {
                if !notes.iter().any(|n| n.starts_with("Only the first")) {
                    notes.push(format!(
                        "Only the first {MAX_HOPS} Received headers were read."
                    ));
                }
                continue;
            }
            hops.push(super::received::parse(&f.value, f.position));
        } else if let Some(a) = auth::parse(f) {
            auth_headers.push(a);
        } else if ["from", "sender", "return-path"]
            .iter()
            .any(|n| f.name.eq_ignore_ascii_case(n))
            && authors.len() < 8
        {
            authors.extend(address_domain(&f.value));
        } else if ["to", "delivered-to", "x-original-to", "envelope-to"]
            .iter()
            .any(|n| f.name.eq_ignore_ascii_case(n))
            && recipients.len() < 8
        {
            recipients.extend(address_domain(&f.value));
        }
    }
    let walk = assign_roles(
        &mut hops,
        &Context {
            auth: &auth_headers,
            authors: &authors,
            recipients: &recipients,
        },
    );
    let mut x = Extracted {
        format: Format::Headers,
        hops,
        auth: auth_headers,
        notes,
        ..Extracted::default()
    };
    match walk {
        Walk { entry: Some(i), .. } => {
            x.choose_hop(i);
        }
        _ if x.hops.is_empty() => {
            x.reason = "The headers have no Received header, so the sending address is unknown; the receiver's authentication results are shown below.".into();
        }
        Walk {
            submission: Some(s),
            ..
        } => {
            x.reason = format!(
                "Received header {} is an authenticated submission (`{}`) from the sender's device, not a relay between servers; the paste has no hop where a server handed the message to the receiver.",
                s + 1,
                x.hops[s].auth.as_deref().unwrap_or("authenticated")
            );
        }
        Walk {
            senders_only: Some(recipient),
            ..
        } => {
            x.reason = format!(
                "Every Received header was added by the sender's own servers (the From domain's); the message was addressed to {recipient}, whose servers added none: the paste shows no hop into the receiver."
            );
        }
        _ => {
            x.reason = "No Received header names a client address.".into();
        }
    }
    Some(x)
}

/// Every Received header of `text`, top first, with no roles judged: the returned message of a
/// bounce, whose chain the bounce reader walks itself (the receiver is known there).
pub(crate) fn received_hops(text: &str) -> Vec<Hop> {
    fields(text)
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("received"))
        .take(MAX_HOPS)
        .map(|f| super::received::parse(&f.value, f.position))
        .collect()
}

/// The returned message's Received chain of a bounce, when the sending IP came from it: the hop
/// that gave it is the entry, the hops above it the receiver's, those below the sender's.
pub(crate) fn returned_chain(b: &crate::bounce::Bounce) -> (Vec<Hop>, Option<usize>) {
    let (Some(text), Some(entry)) = (b.returned.as_deref(), b.returned_hop) else {
        return (Vec::new(), None);
    };
    let mut hops = received_hops(&crate::bounce::reindent(text));
    for (i, hop) in hops.iter_mut().enumerate() {
        (hop.role, hop.why) = match i.cmp(&entry) {
            std::cmp::Ordering::Less => (
                HopRole::Receiver,
                "Added by the receiver above the hop that names the sending IP.".into(),
            ),
            std::cmp::Ordering::Equal => (
                HopRole::Entry,
                "Where the receiver took the returned message from the sending server.".into(),
            ),
            std::cmp::Ordering::Greater => (
                HopRole::Sender,
                "Below the entry hop: added on the sender's side.".into(),
            ),
        };
    }
    let chosen = (entry < hops.len()).then_some(entry);
    (hops, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(value: &str) -> Hop {
        super::super::received::parse(value, 0)
    }

    #[test]
    fn from_clauses_of_each_mta() {
        let h = hop("from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000");
        assert_eq!(h.helo.as_deref(), Some("mail.example.com"));
        assert_eq!(h.rdns.as_deref(), Some("mail.example.com"));
        assert_eq!(h.by.as_deref(), Some("mx.example.net"));
        assert_eq!(h.with.as_deref(), Some("ESMTPS"));
        assert_eq!(h.date.as_deref(), Some("Fri, 27 Nov 2026 10:00:00 +0000"));

        let h = hop(
            "from Laptop (unknown [IPv6:2001:db8::10]) by mx.example.net (Postfix) with ESMTP id 1",
        );
        assert_eq!(
            (h.helo.as_deref(), h.rdns.as_deref(), h.rdns_unknown),
            (Some("laptop"), None, true)
        );
        assert_eq!(h.ip.unwrap().to_string(), "2001:db8::10");

        let h = hop("from host.example.com ([192.0.2.10]:41234 helo=Mail.Example.com) by mx.example.org with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.97) (envelope-from <a@example.com>) id 1tA-000; Fri, 27 Nov 2026 10:00:00 +0000");
        assert_eq!(
            (h.helo.as_deref(), h.rdns.as_deref()),
            (Some("mail.example.com"), Some("host.example.com"))
        );

        let h = hop("from [192.0.2.10] (port=41234 helo=mail.example.com) by mx.example.org with esmtp (Exim 4.96)");
        assert_eq!(
            (h.helo.as_deref(), h.rdns.as_deref(), h.rdns_unknown),
            (Some("mail.example.com"), None, true)
        );

        let h = hop(
            "from mail.example.com ([192.0.2.10]) by mx.example.org with esmtp (Exim 4.96) id 1",
        );
        assert_eq!(
            (h.helo.as_deref(), h.rdns.as_deref()),
            (Some("mail.example.com"), Some("mail.example.com"))
        );

        let h = hop("from mail.example.com (mail.example.com. [2001:db8::10]) by mx.google.com with ESMTPS id x; Fri, 27 Nov 2026");
        assert_eq!(h.rdns.as_deref(), Some("mail.example.com"));
        assert_eq!(h.ip.unwrap().to_string(), "2001:db8::10");

        let h = hop("from mail.example.com (192.0.2.10) by BN1NAM02FT050.mail.protection.outlook.com (10.13.2.190) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7633.15 via Frontend Transport; Fri, 27 Nov 2026");
        assert_eq!(
            (
                h.helo.as_deref(),
                h.rdns.as_deref(),
                h.ip.map(|i| i.to_string())
            ),
            (Some("mail.example.com"), None, Some("192.0.2.10".into()))
        );
        assert_eq!(
            h.by.as_deref(),
            Some("bn1nam02ft050.mail.protection.outlook.com")
        );

        let h = hop("from unknown (HELO mail.example.com) (192.0.2.10) by mx.example.net with SMTP; 27 Nov 2026 10:00:00 -0000");
        assert_eq!(
            (h.helo.as_deref(), h.rdns.as_deref(), h.rdns_unknown),
            (Some("mail.example.com"), None, true)
        );
        assert_eq!(h.ip.unwrap().to_string(), "192.0.2.10");

        let h = hop("from mail.example.com (host.example.com [192.0.2.10] (may be forged)) by mx.example.net (8.17.1/8.17.1) with ESMTPS id 5AR");
        assert_eq!(
            (
                h.helo.as_deref(),
                h.rdns.as_deref(),
                h.rdns_forged,
                h.rdns_unknown
            ),
            (Some("mail.example.com"), None, true, true)
        );

        let h = hop(
            "by 2002:a05:7300:a4a0:b0:1a5:5b2a:9c4 with SMTP id qz32csp1234dyb; Fri, 27 Nov 2026",
        );
        assert_eq!((h.ip, h.helo.as_deref()), (None, None));
        let h = hop("(qmail 1234 invoked from network); 27 Nov 2026 10:00:00 -0000");
        assert_eq!((h.ip, h.by.as_deref()), (None, None));
    }

    #[test]
    fn entry_hop_skips_receiver_and_sender_hops() {
        let text = "Delivered-To: bob@gmail.com\n\
Received: by 2002:a05:7300:a4a0:b0:1a5:5b2a:9c4 with SMTP id qz32csp1234dyb;\n        Fri, 27 Nov 2026 02:00:01 -0800 (PST)\n\
Received: from mail.example.com (mail.example.com. [192.0.2.10])\n        by mx.google.com with ESMTPS id abc\n        for <bob@gmail.com>; Fri, 27 Nov 2026 02:00:00 -0800 (PST)\n\
Received-SPF: pass (google.com: domain of alice@example.com designates 192.0.2.10 as permitted sender) client-ip=192.0.2.10;\n\
Authentication-Results: mx.google.com;\n       spf=pass (google.com: domain of alice@example.com designates 192.0.2.10 as permitted sender) smtp.mailfrom=alice@example.com\n\
Received: from [10.0.0.5] (unknown [10.0.0.5]) by mail.example.com (Postfix) with ESMTPSA id 4Ab; Fri, 27 Nov 2026 10:00:00 +0000\n\
\n\
Received: from evil.example.org (evil.example.org [203.0.113.9]) by x\n";
        let x = super::super::extract(text).unwrap();
        assert_eq!(x.hops.len(), 3, "the body's Received line is not read");
        assert_eq!(x.chosen, Some(1));
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert_eq!(
            x.hops.iter().map(|h| h.role).collect::<Vec<_>>(),
            [HopRole::Receiver, HopRole::Entry, HopRole::Sender]
        );
        assert_eq!(x.reason, "Received header 2 is where mx.google.com took the message from a client outside the receiver. The header above it was added inside the receiver.");
        assert_eq!(x.receiver_auth().count(), 2);
    }

    #[test]
    fn internal_hops_of_the_receiver_are_skipped() {
        let text = "Received: from BN8PR11MB1234.namprd11.prod.outlook.com (2603:10b6:408:1::12) by SA1PR11MB5678.namprd11.prod.outlook.com with HTTPS; Fri, 27 Nov 2026\n\
Received: from BN1NAM02FT050.eop-nam02.prod.protection.outlook.com (2603:10b6:408:e6::4) by BN8PR11MB1234.namprd11.prod.outlook.com (2603:10b6:408:1::12) with Microsoft SMTP Server; Fri, 27 Nov 2026\n\
Received: from mail.example.com (192.0.2.10) by BN1NAM02FT050.mail.protection.outlook.com (10.13.2.190) with Microsoft SMTP Server id 15.20.1 via Frontend Transport; Fri, 27 Nov 2026\n";
        let x = super::super::extract(text).unwrap();
        assert_eq!(x.chosen, Some(2));
        assert_eq!(x.helo.as_deref(), Some("mail.example.com"));
        assert!(x.hops[0].why.contains("outlook.com"), "{}", x.hops[0].why);
    }

    #[test]
    fn picking_another_hop() {
        let text = "Received: from a.example.net (a.example.net [198.51.100.1]) by mx.example.org (Postfix)\n\
Received: from b.example.com (b.example.com [192.0.2.10]) by a.example.net (Postfix)\n";
        let mut x = super::super::extract(text).unwrap();
        assert_eq!(x.chosen, Some(0));
        assert!(x.choose_hop(1));
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert_eq!(x.reason, "Received header 2 was picked by hand.");
        assert!(!x.choose_hop(7));
    }

    #[test]
    fn review_findings_from_real_headers() {
        // qmail semantics only for the hop below a qmail `invoked from network` header.
        let text = "Received: from mail.example.com (192.0.2.10) by BN1.mail.protection.outlook.com (10.1.1.1)\n\
Received: (qmail 4242 invoked by uid 10000); 27 Nov 2026 10:00:00 -0000\n";
        let x = super::super::extract(text).unwrap();
        assert_eq!(
            (x.ip.map(|i| i.to_string()), x.rdns_seen),
            (Some("192.0.2.10".into()), None)
        );
        // ZMailer quotes its EHLO; Sendmail puts an ident before the name.
        let h = hop(
            "from mail.example.com (\"EHLO Mail.Example.com\") [192.0.2.10] by vger.example.org",
        );
        assert_eq!(h.helo.as_deref(), Some("mail.example.com"));
        let h = hop("from helo.example.com (root@host.example.com [192.0.2.10]) by mx.example.net (8.17.1/8.17.1)");
        assert_eq!(h.rdns.as_deref(), Some("host.example.com"));
    }

    #[test]
    fn pasted_shapes_are_read_as_the_block_they_came_from() {
        // Synthetic samples (documentation names and addresses) of each shape.
        let chain = "Received: from SA1PR11MB5678.namprd11.prod.outlook.com (2603:10b6:806:1::1) by\nBN8PR11MB1234.namprd11.prod.outlook.com with HTTPS; Fri, 27 Nov 2026 10:00:01 +0000\nReceived: from mail.example.com (192.0.2.10) by\nBN1NAM02FT050.mail.protection.outlook.com (10.13.2.190) with Microsoft SMTP\nServer id 15.20.1 via Frontend Transport; Fri, 27 Nov 2026 10:00:00 +0000\nDKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;\nh=from:to:subject; bh=abc=;\n";
        // Stripped folding: the unindented `by` lines continue their Received header.
        let x = super::super::extract(chain).unwrap();
        assert_eq!(
            (x.chosen, x.ip.map(|i| i.to_string())),
            (Some(1), Some("192.0.2.10".into()))
        );
        assert_eq!(
            x.hops[0].by.as_deref(),
            Some("bn8pr11mb1234.namprd11.prod.outlook.com")
        );
        assert!(x.notes.is_empty(), "{:?}", x.notes);
        // Quoted with `> ` in a reply.
        let quoted: String = chain.lines().map(|l| format!("> {l}\n")).collect();
        let y = super::super::extract(&quoted).unwrap();
        assert_eq!((y.chosen, y.ip), (x.chosen, x.ip));
        assert_eq!(
            y.notes,
            ["The headers were quoted with `>`; they were read unquoted."]
        );
        // Inside a forwarded message, below the forwarding message's own headers.
        let forwarded = format!("Received: from relay.example.org (relay.example.org [198.51.100.1]) by mx.example.net (Postfix) with ESMTPS id 9\nSubject: Fwd: test\n\nSee below.\n\n-------- Forwarded Message --------\n{chain}");
        let z = super::super::extract(&forwarded).unwrap();
        assert_eq!(z.ip, x.ip);
        assert_eq!(z.notes, ["Line 6 starts a forwarded message; its headers were read, not those of the message that forwarded it."]);
        // Line breaks lost altogether.
        let one_line = chain.replace('\n', " ");
        let w = super::super::extract(&one_line).unwrap();
        assert_eq!((w.hops.len(), w.ip), (2, x.ip));
        assert_eq!(w.notes.len(), 1);
    }
}
