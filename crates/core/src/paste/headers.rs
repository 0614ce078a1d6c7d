//! Message headers: unfold them, read every Received header, and find the hop where the message
//! entered the receiving provider.
//!
//! RFC 5322 §3.6.7: each relay prepends a `Received:` trace field, so the topmost is the newest.
//! The `from` clause records what the receiving server saw of its client; every MTA writes it its
//! own way:
//!
//! | MTA | `from` clause |
//! |---|---|
//! | Postfix | `from HELO (RDNS [IP])`, RDNS `unknown` when the name did not verify |
//! | Sendmail | `from HELO (RDNS [IP])`, `(may be forged)` when it did not verify, `([IP])` with no name |
//! | Gmail | `from HELO (RDNS. [IP])` |
//! | Exim | `from RDNS ([IP]:PORT helo=HELO)`, `from [IP] (port=PORT helo=HELO)` with no verified name; `helo=` is left out when it equals the name |
//! | Microsoft 365 / Exchange | `from HELO (IP)`; no reverse name |
//! | qmail | `from RDNS (HELO HELO) (IP)`, RDNS `unknown` with no name; `(HELO …)` left out when equal |
//!
//! The entry hop is the first one, from the top, whose `from` side is outside the receiver: hops with
//! no `from` clause, from a private or loopback address, or from a host in the organisation of the
//! `by` hosts above are the receiver's own. Everything below the entry hop is the sender's.

use std::net::IpAddr;

use super::auth;
use super::text::{
    bracketed_ip, head, helo_name, host_name, key_value, looks_like_host, org_domain, plain_ip,
};
use super::{Extracted, Format};
use crate::dns::{non_public_reason, shorten};

/// At most this many Received headers are kept (real messages have under 20).
const MAX_HOPS: usize = 100;

/// How the entry hop's reason starts when no hop was outside the receiver.
const FALLBACK: &str = "Every hop looked internal to one organisation";

/// Where a hop sits relative to the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopRole {
    /// Added inside the receiving provider, above the entry.
    Receiver,
    /// Where the message entered the receiving provider.
    Entry,
    /// Added on the sender's side, below the entry.
    Sender,
}

impl HopRole {
    /// The role word (`receiver`, `entry`, `sender`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HopRole::Receiver => "receiver",
            HopRole::Entry => "entry",
            HopRole::Sender => "sender",
        }
    }
}

crate::serialize_as_str!(HopRole);

/// One Received header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The client's EHLO argument.
    pub helo: Option<String>,
    /// The client's reverse name as the server recorded it.
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
}

/// A header field: its position, name and unfolded value.
pub(crate) struct Field<'a> {
    pub position: usize,
    pub name: &'a str,
    pub value: String,
}

/// A header field's name and value, when the line starts one.
fn field_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic())).then_some((name, value))
}

/// The header fields of the paste. Lines that are neither a field nor a continuation are skipped
/// (the summary Gmail's "Show original" puts above the headers). After a Received header, a blank
/// line ends the header section, so a body quoting headers is not read; only when every field so
/// far was set apart by a blank line (Outlook's message details) does the next field continue it.
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
        if line.starts_with([' ', '\t']) {
            if continuing {
                if let Some(f) = out.last_mut() {
                    f.value.push(' ');
                    f.value.push_str(line.trim());
                }
            }
            continue;
        }
        continuing = false;
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

/// Whether the paste has a trace or authentication header at the start of a line.
fn has_header_markers(text: &str) -> bool {
    text.lines().any(|l| {
        ["received:", "authentication-results:", "received-spf:"]
            .iter()
            .any(|m| {
                l.get(..m.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(m))
            })
    })
}

pub(super) fn extract(text: &str) -> Option<Extracted> {
    if !has_header_markers(text) {
        return None;
    }
    let fields = fields(text);
    // qmail adds two headers per hop: `(qmail N invoked from network)`, then the `from` one.
    let mut qmail = false;
    let mut hops = Vec::new();
    let mut auth_headers = Vec::new();
    let mut notes = Vec::new();
    for f in &fields {
        if f.name.eq_ignore_ascii_case("received") {
            if hops.len() == MAX_HOPS {
                if notes.is_empty() {
                    notes.push(format!(
                        "Only the first {MAX_HOPS} Received headers were read."
                    ));
                }
                continue;
            }
            hops.push(parse_received(&f.value, f.position, qmail));
            qmail = f.value.starts_with("(qmail ") && f.value.contains("invoked from network");
        } else if let Some(a) = auth::parse(f) {
            auth_headers.push(a);
        }
    }
    let chosen = assign_roles(&mut hops);
    let mut x = Extracted {
        format: Format::Headers,
        hops,
        auth: auth_headers,
        notes,
        ..Extracted::default()
    };
    match chosen {
        Some(i) => {
            x.choose_hop(i);
        }
        None if x.hops.is_empty() => {
            x.reason = "The headers have no Received header, so the sending address is unknown; the receiver's authentication results are shown below.".into();
        }
        None => {
            x.reason = "No Received header names a client address.".into();
        }
    }
    Some(x)
}

/// Every Received header of `text`, top first, with no roles judged: the returned message of a
/// bounce, whose chain the bounce reader walks itself (the receiver is known there).
pub(crate) fn received_hops(text: &str) -> Vec<Hop> {
    let mut qmail = false;
    let mut hops = Vec::new();
    for f in fields(text) {
        if f.name.eq_ignore_ascii_case("received") && hops.len() < MAX_HOPS {
            hops.push(parse_received(&f.value, f.position, qmail));
            qmail = f.value.starts_with("(qmail ") && f.value.contains("invoked from network");
        }
    }
    hops
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

/// One token of a Received header: a word, or a parenthesised comment (its inner text).
enum Token<'a> {
    Word(&'a str),
    Comment(&'a str),
}

/// Splits into words and top-level comments; an unclosed comment runs to the end. Linear.
fn tokens(s: &str) -> Vec<Token<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'(' => {
                let start = i + 1;
                let mut depth = 0usize;
                while i < bytes.len() {
                    match bytes[i] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                out.push(Token::Comment(&s[start..i.min(bytes.len())]));
                i += 1;
            }
            _ => {
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'(') {
                    i += 1;
                }
                out.push(Token::Word(&s[start..i]));
            }
        }
    }
    out
}

/// The clauses of a Received header (RFC 5321 §4.4): each keyword's first word and its comments.
#[derive(Default)]
struct Clauses<'a> {
    from: Option<&'a str>,
    from_comments: Vec<&'a str>,
    by: Option<&'a str>,
    with: Option<&'a str>,
    software: bool,
}

fn clauses<'a>(toks: &[Token<'a>]) -> Clauses<'a> {
    let mut c = Clauses::default();
    let mut current = "";
    let mut expect_value = false;
    for t in toks {
        match *t {
            Token::Word(w) => {
                let lower = w.to_ascii_lowercase();
                if matches!(
                    lower.as_str(),
                    "from" | "by" | "via" | "with" | "id" | "for"
                ) && !expect_value
                {
                    current = match lower.as_str() {
                        "from" => "from",
                        "by" => "by",
                        "with" => "with",
                        _ => "other",
                    };
                    expect_value = true;
                    continue;
                }
                if expect_value {
                    match current {
                        "from" if c.from.is_none() => c.from = Some(w),
                        "by" if c.by.is_none() => c.by = Some(w),
                        "with" if c.with.is_none() => c.with = Some(w),
                        _ => {}
                    }
                    expect_value = false;
                }
            }
            Token::Comment(text) => {
                if current == "from" && !expect_value {
                    c.from_comments.push(text);
                }
                if text.contains("Exim ") {
                    c.software = true;
                }
            }
        }
    }
    c
}

/// What a `from` clause's comments say.
#[derive(Default)]
struct Comments {
    helo_keyword: Option<String>,
    named_ip: Option<(String, IpAddr)>,
    bracket_ip: Option<IpAddr>,
    bare_ip: Option<IpAddr>,
    forged: bool,
}

fn read_comments(comments: &[&str]) -> Comments {
    let mut c = Comments::default();
    for comment in comments {
        c.forged |= comment.contains("may be forged");
        // ZMailer quotes its `"EHLO name"`.
        let words: Vec<&str> = comment
            .split_whitespace()
            .map(|w| w.trim_matches('"'))
            .collect();
        for (i, w) in words.iter().enumerate() {
            if let Some(v) = key_value(w, "helo=") {
                c.helo_keyword = c.helo_keyword.take().or_else(|| helo_name(v));
            } else if w.eq_ignore_ascii_case("helo") || w.eq_ignore_ascii_case("ehlo") {
                if let Some(next) = words.get(i + 1) {
                    c.helo_keyword = c.helo_keyword.take().or_else(|| helo_name(next));
                }
            } else if let Some(ip) = bracketed_ip(w.trim_end_matches([',', ';'])) {
                if c.bracket_ip.is_none() {
                    c.bracket_ip = Some(ip);
                    // Sendmail puts the ident before the name: `(root@host.example.com [IP])`.
                    let before = i
                        .checked_sub(1)
                        .map(|j| words[j].rsplit('@').next().unwrap_or(words[j]));
                    if let Some(name) = before.filter(|b| looks_like_host(b) && !b.contains('=')) {
                        c.named_ip = Some((host_name(name), ip));
                    }
                }
            } else if let Some(ip) = plain_ip(w.trim_end_matches([',', ';'])) {
                c.bare_ip = c.bare_ip.or(Some(ip));
            }
        }
    }
    c
}

fn parse_received(value: &str, position: usize, qmail: bool) -> Hop {
    let (trace, date) = match value.rfind(';') {
        Some(i) => (&value[..i], Some(value[i + 1..].trim().to_string())),
        None => (value, None),
    };
    let c = clauses(&tokens(trace));
    let mut hop = Hop {
        helo: None,
        rdns: None,
        rdns_unknown: false,
        rdns_forged: false,
        ip: None,
        by: c.by.map(host_name),
        with: c.with.map(str::to_string),
        date: date.filter(|d| !d.is_empty()).map(|d| shorten(&d)),
        raw: shorten_raw(value),
        role: HopRole::Sender,
        why: String::new(),
        position,
    };
    let Some(first) = c.from else {
        return hop;
    };
    let k = read_comments(&c.from_comments);
    let first_ip = bracketed_ip(first).or_else(|| plain_ip(first));
    let is_unknown = |name: &str| name.eq_ignore_ascii_case("unknown");
    hop.rdns_forged = k.forged;
    hop.ip = k.bracket_ip.or(k.bare_ip).or(first_ip);
    let (helo, rdns): (Option<String>, Option<String>);
    if let Some(h) = k.helo_keyword.clone() {
        // Exim `from RDNS ([IP] helo=HELO)` / `from [IP] (helo=HELO)`; qmail `from RDNS (HELO h) (IP)`.
        helo = Some(h);
        rdns = (first_ip.is_none() && !is_unknown(first)).then(|| host_name(first));
    } else if let Some((name, _)) = k.named_ip.clone() {
        // Postfix, Sendmail, Gmail: `from HELO (RDNS [IP])`.
        // Sendmail's `(may be forged)`: the name did not forward-confirm, so none was verified.
        helo = helo_name(first);
        rdns = (!is_unknown(&name) && !k.forged).then_some(name);
    } else if first_ip.is_some() && k.bracket_ip.is_none() && k.bare_ip.is_none() {
        // Exim with no verified name and no EHLO name differing from the address.
        helo = None;
        rdns = None;
    } else if (c.software && k.bracket_ip.is_some()) || (qmail && k.bare_ip.is_some()) {
        // Exim `from NAME ([IP])` and qmail `from NAME (IP)`: the EHLO name equals the verified name.
        helo = (!is_unknown(first)).then(|| host_name(first));
        rdns = helo.clone();
    } else {
        // Sendmail `from HELO ([IP])`, Microsoft `from HELO (IP)`: no reverse name recorded.
        helo = helo_name(first);
        rdns = None;
    }
    hop.rdns_unknown = rdns.is_none()
        && (is_unknown(first)
            || first_ip.is_some()
            || k.forged
            || k.named_ip.as_ref().is_some_and(|(n, _)| is_unknown(n))
            || (k.bracket_ip.is_some()
                && !c.software
                && k.helo_keyword.is_none()
                && k.named_ip.is_none()));
    hop.helo = helo;
    hop.rdns = rdns;
    hop
}

fn shorten_raw(value: &str) -> String {
    const MAX: usize = 400;
    if value.len() <= MAX {
        return value.to_string();
    }
    format!("{}…", head(value, MAX))
}

/// The organisation of the host that added a hop, when its `by` is a host name.
fn by_org(hop: &Hop) -> Option<String> {
    hop.by
        .as_deref()
        .filter(|b| looks_like_host(b) && plain_ip(b).is_none())
        .map(org_domain)
}

/// Adds an organisation once. (A list, not a set: at most MAX_HOPS entries, and a set adds
/// kilobytes to the page.)
fn add_org(orgs: &mut Vec<String>, org: Option<String>) {
    if let Some(org) = org.filter(|o| !orgs.contains(o)) {
        orgs.push(org);
    }
}

/// The organisations of the receiver: those of the `by` hosts from the top down to `upto`
/// (inclusive), or of every hop when no hop was chosen.
pub(crate) fn receiver_orgs(hops: &[Hop], upto: Option<usize>) -> Vec<String> {
    let mut orgs = Vec::new();
    for hop in hops.iter().take(upto.map_or(hops.len(), |u| u + 1)) {
        add_org(&mut orgs, by_org(hop));
    }
    orgs
}

/// Walks down from the top and marks each hop; returns the entry hop's index.
fn assign_roles(hops: &mut [Hop]) -> Option<usize> {
    let mut orgs: Vec<String> = Vec::new();
    let mut entry = None;
    for (i, hop) in hops.iter_mut().enumerate() {
        add_org(&mut orgs, by_org(hop));
        let inside = |name: &Option<String>| {
            name.as_deref()
                .filter(|n| looks_like_host(n))
                .is_some_and(|n| orgs.contains(&org_domain(n)))
        };
        hop.role = HopRole::Receiver;
        let Some(ip) = hop.ip else {
            hop.why = "It names no client address: the receiver added it internally.".into();
            continue;
        };
        if let Some(kind) = non_public_reason(ip) {
            hop.why = format!("Its client {ip} is {kind}: a hop inside the receiver.");
            continue;
        }
        if inside(&hop.rdns) || inside(&hop.helo) {
            let who = hop
                .rdns
                .clone()
                .or_else(|| hop.helo.clone())
                .unwrap_or_default();
            hop.why = format!(
                "Its client {who} belongs to {}, the receiver's own organisation.",
                org_domain(&who)
            );
            continue;
        }
        hop.role = HopRole::Entry;
        hop.why = "The first hop from the top whose client is outside the receiver.".into();
        entry = Some(i);
        break;
    }
    match entry {
        Some(e) => {
            for hop in &mut hops[e + 1..] {
                hop.role = HopRole::Sender;
                hop.why = "Below the entry hop: added on the sender's side.".into();
            }
            Some(e)
        }
        None => {
            // Everything looked internal (a message inside one organisation): take the lowest hop
            // with a public client address, else the lowest with any address.
            let fallback = hops
                .iter()
                .rposition(|h| h.ip.is_some_and(|ip| non_public_reason(ip).is_none()))
                .or_else(|| hops.iter().rposition(|h| h.ip.is_some()))?;
            hops[fallback].role = HopRole::Entry;
            hops[fallback].why = format!("{FALLBACK}; this is the lowest with a client address.");
            Some(fallback)
        }
    }
}

/// Why the automatic walk chose hop `index`.
pub(crate) fn entry_reason(hops: &[Hop], index: usize) -> String {
    let hop = &hops[index];
    let by = hop.by.as_deref().unwrap_or("the receiver");
    if hop.why.starts_with(FALLBACK) {
        return format!("Received header {}: {}", index + 1, hop.why);
    }
    // The hops above the entry are the receiver's own.
    let skipped = match index {
        0 => String::new(),
        1 => " The header above it was added inside the receiver.".into(),
        n => format!(" The {n} headers above it were added inside the receiver."),
    };
    format!(
        "Received header {} is where {by} took the message from a client outside the receiver.{skipped}",
        index + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(value: &str) -> Hop {
        parse_received(value, 0, false)
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

        let h = parse_received("from unknown (HELO mail.example.com) (192.0.2.10) by mx.example.net with SMTP; 27 Nov 2026 10:00:00 -0000", 0, true);
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
}
