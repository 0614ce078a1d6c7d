//! One `Received` header: what the receiving server recorded of its client (RFC 5321 §4.4).
//!
//! The `from` clause is free-form in practice; every MTA writes it its own way. The parser splits
//! the header into words and parenthesised comments (linear, no backtracking), takes the `from`
//! part up to the first `by`/`via`/`with`/`id`/`for`, and reads it by what each piece is rather than
//! by where it sits:
//!
//! | MTA | `from` clause | read as |
//! |---|---|---|
//! | Postfix, Sendmail, Gmail, simta | `from HELO (RDNS [IP])`, RDNS `unknown` or `(may be forged)` when not verified | name before the bracket = rDNS |
//! | Exim | `from RDNS ([IP]:PORT helo=HELO)`, `from [IP] (helo=HELO)`; Exim 3 `from RDNS (HELO) [IP.PORT]` | `helo=` = EHLO; no `helo=` means EHLO = rDNS |
//! | qmail, qpsmtpd, Yahoo | `from RDNS (HELO h) (ident@IP)`, `from X (EHLO h) (IP)` | the keyword's word is the EHLO name, never the address |
//! | GMX, IMail, fetchmail | `from RDNS (EHLO h) [IP]`, `from NAME [IP]` | the address outside the comments |
//! | Microsoft 365, Exchange | `from HELO (IP)`, `with Microsoft SMTP Server` | no reverse name |
//! | MS SMTPSVC, IronPort, InterMail | `from HELO ([IP])`, `([IP] unverified)` | no reverse name |
//! | CommuniGate Pro | `from NAME ([IP] verified)`, `from [IP] (account u HELO h)` | `verified` = the name is the rDNS |
//! | XMail, ecelerity, MailEnable, McAfee | `(IP:PORT)`, `([IP:PORT] helo=h)`, `from ([IP])`, `from (IP)` | no HELO word; the by-part's version numbers are never read |
//! | Obtuse smtpd, NAVGW | `from RDNS(IP), claiming to be "h"`, `(from NAME [IP]) by …` | |
//!
//! SpamAssassin's `t/rcvd_parser.t` is the conformance suite (`tests/received_suite.rs`); where this
//! parser differs on purpose, the suite lists the case and the reason.
//!
//! A hop made `with ESMTPA`/`ESMTPSA`/`…A` (RFC 3848 §3), `(authenticated …)` (Sendmail),
//! `(Authenticated sender: …)` (Postfix) or `with HTTP` (webmail) is an authenticated submission
//! ([`Hop::auth`]); one made `with LMTP`, `POP3`/`IMAP` (retrieval), `local` or `BSMTP` is no relay
//! between servers ([`Hop::not_relay`]).

use std::net::IpAddr;

use super::headers::{Hop, HopRole};
use super::text::{bracketed_ip, head, helo_name, host_name, key_value, looks_like_host, plain_ip};
use crate::dns::{shorten, strip_prefix_ignore_case};

/// One token: a word, or a parenthesised comment (its inner text; `glued` when it follows a word
/// with no space, as in Obtuse smtpd's `name(192.0.2.1)`).
#[derive(Clone, Copy)]
enum Tok<'a> {
    Word(&'a str),
    Comment { text: &'a str, glued: bool },
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Splits into words and top-level comments; an unclosed comment runs to the end. Linear.
fn tokens(s: &str) -> Vec<Tok<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if is_space(b) => i += 1,
            b'(' => {
                let glued =
                    i > 0 && !is_space(bytes[i - 1]) && matches!(out.last(), Some(Tok::Word(_)));
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
                out.push(Tok::Comment {
                    text: &s[start..i.min(bytes.len())],
                    glued,
                });
                i += 1;
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'(' {
                    i += 1;
                }
                out.push(Tok::Word(&s[start..i]));
            }
        }
    }
    out
}

/// The trace part (before the last `;` outside comments) and the date after it.
fn split_date(value: &str) -> (&str, Option<&str>) {
    let mut depth = 0usize;
    let mut last = None;
    for (i, b) in value.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    match last {
        Some(i) => (&value[..i], Some(value[i + 1..].trim())),
        None => (value, None),
    }
}

/// Whether a word is one of the clause keywords that end the `from` part.
fn keyword(word: &str) -> Option<&'static str> {
    ["by", "via", "with", "id", "for"]
        .into_iter()
        .find(|k| word.eq_ignore_ascii_case(k))
}

/// The clauses of a Received header.
#[derive(Default)]
struct Clauses<'a> {
    has_from: bool,
    from: Vec<Tok<'a>>,
    by: Option<&'a str>,
    with: Option<&'a str>,
    recipient: Option<&'a str>,
    /// Comments outside the `from` part (software, `(authenticated as …)`).
    other_comments: Vec<&'a str>,
}

fn clauses(trace: &str) -> Clauses<'_> {
    let toks = tokens(trace);
    let mut c = Clauses::default();
    let mut rest = 0;
    match toks.first() {
        // Norton AntiVirus Gateway: `(from NAME [IP]) by …`.
        Some(Tok::Comment { text, .. }) if strip_prefix_ignore_case(text, "from ").is_some() => {
            c.has_from = true;
            c.from = tokens(&text[5..]);
            rest = 1;
        }
        Some(Tok::Word(w)) if w.eq_ignore_ascii_case("from") => {
            c.has_from = true;
            rest = 1;
            // The first token is the from-name (or its comment) whatever it says.
            if let Some(t) = toks.get(1) {
                c.from.push(*t);
                rest = 2;
            }
            while let Some(t) = toks.get(rest) {
                if matches!(t, Tok::Word(w) if keyword(w).is_some()) {
                    break;
                }
                c.from.push(*t);
                rest += 1;
            }
        }
        _ => {}
    }
    let mut pending: Option<&str> = None;
    for t in &toks[rest.min(toks.len())..] {
        match *t {
            Tok::Word(w) => {
                if let Some(k) = keyword(w) {
                    pending = Some(k);
                    continue;
                }
                match pending.take() {
                    Some("by") if c.by.is_none() => c.by = Some(w),
                    Some("with") if c.with.is_none() => c.with = Some(w),
                    Some("for") if c.recipient.is_none() => c.recipient = Some(w),
                    _ => {}
                }
            }
            Tok::Comment { text, .. } => c.other_comments.push(text),
        }
    }
    c
}

/// An address in brackets, also with the port inside (`[192.0.2.1:25]`, ecelerity) or appended
/// with a dot (`[192.0.2.1.4321]`, Exim 3).
fn bracket_ip(word: &str) -> Option<IpAddr> {
    bracketed_ip(word).or_else(|| {
        let inner = word.strip_prefix('[')?;
        let inner = &inner[..inner.find(']')?];
        v4_with_port(inner)
    })
}

/// `a.b.c.d:port` or `a.b.c.d.port`.
fn v4_with_port(word: &str) -> Option<IpAddr> {
    let cut = word.rfind([':', '.'])?;
    let (ip, port) = (&word[..cut], &word[cut + 1..]);
    (!port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()))
        .then(|| ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4))
        .flatten()
}

/// Where the client address was found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    /// `(NAME [IP])` or `(NAME[IP])`: the MTA looked the name up.
    Named,
    /// `([IP])`, `([IP]:PORT …)`, `([IP] verified)`.
    Bracket,
    /// `(IP)`, `(ident@IP)`.
    Bare,
    /// `(IP:PORT)` (XMail).
    BarePort,
    /// `NAME(IP)` (Obtuse smtpd).
    Glued,
    /// `NAME [IP]`, after the comments.
    Outside,
    /// The from-name is the address.
    Name,
}

/// What the `from` part says.
#[derive(Default)]
struct FromPart {
    name: Option<String>,
    /// The from-name is an address (bracketed or not).
    name_ip: Option<(IpAddr, bool)>,
    ip: Option<(IpAddr, Source)>,
    /// The name the MTA recorded next to the address (`(RDNS [IP])`).
    named: Option<String>,
    /// `HELO x`/`EHLO x`/`helo=x`: Some(None) when the keyword had no word.
    helo_keyword: Option<Option<String>>,
    claimed: Option<String>,
    /// Exim 3's `(HELO)` comment before an outside address.
    lone_comment: Option<String>,
    verified: bool,
    forged: bool,
    auth: Option<String>,
}

/// Words of a comment that are not addresses: what follows a HELO keyword or `account`.
fn read_comment(text: &str, glued: bool, f: &mut FromPart) {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches('"'))
        .collect();
    f.forged |= text.contains("may be forged");
    if f.auth.is_none() {
        let lower = text.to_ascii_lowercase();
        if lower.contains("authenticated")
            || lower.starts_with("auth:")
            || lower.starts_with("account ")
            || lower.contains(" with login")
        {
            f.auth = Some(format!("({})", shorten_comment(text)));
        }
    }
    let mut skip = usize::MAX;
    for (i, w) in words.iter().enumerate() {
        if i == skip {
            continue;
        }
        let bare = w.trim_end_matches([',', ';', ')']);
        if ["helo", "ehlo", "lhlo"]
            .iter()
            .any(|k| bare.eq_ignore_ascii_case(k))
        {
            let value = words.get(i + 1).and_then(|v| helo_name(v));
            f.helo_keyword = f.helo_keyword.take().or(Some(value));
            skip = i + 1;
            continue;
        }
        if let Some(v) = key_value(w, "helo=") {
            f.helo_keyword = f.helo_keyword.take().or(Some(helo_name(v)));
            continue;
        }
        if bare.eq_ignore_ascii_case("account") {
            skip = i + 1;
            continue;
        }
        if f.ip.is_some() {
            if bare.eq_ignore_ascii_case("verified") {
                f.verified = true;
            }
            continue;
        }
        if let Some(ip) = bracket_ip(bare) {
            f.ip = Some((ip, Source::Bracket));
            // Sendmail puts an ident before the name: `(root@host.example.com [IP])`,
            // `(IDENT:qmailr@host [IP])`.
            let before = i
                .checked_sub(1)
                .filter(|&j| j != skip)
                .map(|j| words[j].rsplit('@').next().unwrap_or(words[j]));
            if let Some(name) = before.filter(|b| looks_like_host(b) && !b.contains('=')) {
                f.ip = Some((ip, Source::Named));
                f.named = Some(host_name(name));
            }
        } else if let Some((name, ip)) = super::text::name_and_ip(bare) {
            // Pobox/attbi: `(unknown[IP])`, `(h0050.client.example.net[IP])`.
            f.ip = Some((ip, Source::Named));
            f.named = Some(name);
        } else if let Some(ip) = plain_ip(bare) {
            f.ip = Some((ip, if glued { Source::Glued } else { Source::Bare }));
        } else if let Some(ip) = v4_with_port(bare).filter(|_| !bare.contains('[')) {
            f.ip = Some((ip, Source::BarePort));
        }
    }
}

fn shorten_comment(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() <= 60 {
        text
    } else {
        format!("{}…", head(&text, 60))
    }
}

fn read_from(toks: &[Tok<'_>]) -> FromPart {
    let mut f = FromPart::default();
    let mut iter = toks.iter().peekable();
    if let Some(Tok::Word(w)) = iter.peek() {
        let w = w.trim_end_matches([',', ';']);
        iter.next();
        if !w.is_empty() {
            f.name_ip = bracket_ip(w)
                .map(|ip| (ip, true))
                .or_else(|| plain_ip(w).map(|ip| (ip, false)))
                .or_else(|| v4_with_port(w).map(|ip| (ip, false)));
            f.name = Some(w.to_string());
        }
    }
    let mut words: Vec<&str> = Vec::new();
    for t in iter {
        match *t {
            Tok::Comment { text, glued } => {
                // Exim 3: `from RDNS (HELO) [IP]`: a lone host word before the address.
                if f.ip.is_none()
                    && !text.contains(' ')
                    && looks_like_host(text)
                    && plain_ip(text).is_none()
                {
                    f.lone_comment = f.lone_comment.take().or(Some(host_name(text)));
                }
                read_comment(text, glued, &mut f);
            }
            Tok::Word(w) => {
                if f.ip.is_none() {
                    if let Some(ip) = bracket_ip(w.trim_end_matches([',', ';'])) {
                        f.ip = Some((ip, Source::Outside));
                    }
                }
                words.push(w);
            }
        }
    }
    // Obtuse smtpd: `, claiming to be "helo"`.
    if let Some(i) = words
        .windows(3)
        .position(|w| w[0].eq_ignore_ascii_case("claiming") && w[1] == "to" && w[2] == "be")
    {
        f.claimed = words
            .get(i + 3)
            .and_then(|w| helo_name(w.trim_matches('"')));
    }
    if f.ip.is_none() {
        if let Some((ip, _)) = f.name_ip {
            f.ip = Some((ip, Source::Name));
        }
    }
    f
}

/// Host names of Microsoft's mail platforms, which record the EHLO name and never a reverse name.
const MICROSOFT: [&str; 6] = [
    "outlook.com",
    "office365.com",
    "hotmail.com",
    "microsoft.com",
    "live.com",
    "msn.com",
];

/// RFC 3848 §3 `with` types that say the client authenticated (ESMTPA, ESMTPSA, LMTPA, LMTPSA,
/// UTF8SMTPA, …), Exim's and EarthLink's `asmtp`, and webmail's `HTTP`/`HTTPU` (CommuniGate).
fn auth_protocol(with: &str) -> bool {
    [
        "ESMTPA",
        "ESMTPSA",
        "LMTPA",
        "LMTPSA",
        "UTF8SMTPA",
        "UTF8SMTPSA",
        "UTF8LMTPA",
        "UTF8LMTPSA",
        "ASMTP",
        "HTTP",
        "HTTPU",
    ]
    .iter()
    .any(|w| with.eq_ignore_ascii_case(w))
}

/// [`Hop::not_relay`] of a local submission (Sendmail's `(from user@localhost)`).
pub(crate) const LOCAL_SUBMISSION: &str =
    "a local submission on the server (a user's program or `.forward`), not a relay between servers";

/// Why the header records no relay between servers, from its `with` type.
fn not_relay(with: Option<&str>, rest: &str) -> Option<&'static str> {
    if rest.contains("fetchmail") {
        return Some("a mail fetcher's retrieval (fetchmail), not a relay between servers");
    }
    let w = with?.to_ascii_lowercase();
    if w.starts_with("lmtp") {
        Some("local delivery to the mailbox (LMTP), not a relay between servers")
    } else if w.starts_with("pop") || w.starts_with("imap") {
        Some("retrieval from a mailbox (POP3/IMAP), not a relay between servers")
    } else if w.starts_with("local") {
        Some(LOCAL_SUBMISSION)
    } else if w == "bsmtp" {
        Some("batch SMTP, not a network hop")
    } else if w.starts_with("qmail-scanner") {
        Some("a content scanner's note (qmail-scanner) about the hop below")
    } else {
        None
    }
}

/// Parses one Received header value (unfolded, without the `Received:` name).
///
/// ```
/// use sendercheck_core::paste::parse_received;
///
/// let h = parse_received("from mail.example.com (EHLO [192.0.2.7]) ([203.0.113.25]) by mta.example.net with SMTP; 1 Jan 2026 10:00:00 -0000");
/// assert_eq!(h.ip.unwrap().to_string(), "203.0.113.25");
/// assert_eq!(h.helo.as_deref(), Some("[192.0.2.7]"));
/// ```
pub fn parse_received(value: &str) -> Hop {
    parse(value, 0)
}

pub(super) fn parse(value: &str, position: usize) -> Hop {
    let (trace, date) = split_date(value);
    let c = clauses(trace);
    let by =
        c.by.map(|b| b.trim_end_matches([',', ';']))
            .filter(|b| looks_like_host(b) || plain_ip(b).is_some() || bracketed_ip(b).is_some())
            .map(host_name);
    let rest_text: String = c.other_comments.join(" ");
    let mut hop = Hop {
        helo: None,
        rdns: None,
        rdns_unknown: false,
        rdns_forged: false,
        ip: None,
        by,
        with: c.with.map(str::to_string),
        date: date.filter(|d| !d.is_empty()).map(shorten),
        raw: shorten_raw(value),
        role: HopRole::Sender,
        why: String::new(),
        position,
        auth: None,
        not_relay: not_relay(c.with, &rest_text),
        recipient_domain: c.recipient.and_then(recipient_domain),
    };
    if c.with.is_some_and(auth_protocol) {
        hop.auth = c.with.map(|w| format!("with {w}"));
    } else if let Some(a) = c.other_comments.iter().find(|t| {
        let l = t.to_ascii_lowercase();
        l.starts_with("authenticated as ") || l.starts_with("authenticated sender")
    }) {
        hop.auth = Some(format!("({})", shorten_comment(a)));
    }
    if !c.has_from {
        return hop;
    }
    let f = read_from(&c.from);
    // Sendmail's `(from user@localhost) by host`: a local program or `.forward` handed the
    // message to the MTA.
    if f.ip.is_none()
        && f.name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with("@localhost"))
    {
        hop.not_relay = Some(LOCAL_SUBMISSION);
    }
    if hop.auth.is_none() {
        hop.auth = f.auth.clone();
    }
    let software = |needle: &str| c.other_comments.iter().any(|t| t.contains(needle));
    let exim = software("Exim");
    let ecelerity = software("ecelerity");
    let by_org = hop.by.as_deref().map(super::text::org_domain);
    let microsoft = trace.contains("Microsoft SMTP")
        || trace.contains("Microsoft Exchange")
        || by_org.is_some_and(|o| MICROSOFT.contains(&o.as_str()));
    let smtpsvc = trace.contains("SMTPSVC");
    let http = c
        .with
        .is_some_and(|w| w.eq_ignore_ascii_case("http") || w.eq_ignore_ascii_case("httpu"));

    let name = f.name.as_deref();
    let unknown_name = name.is_some_and(|n| n.eq_ignore_ascii_case("unknown"));
    // The from-name as a reverse name: a dotted host name that is not `unknown` or an address.
    let dotted = name
        .filter(|n| f.name_ip.is_none() && looks_like_host(n) && n.contains('.'))
        .map(host_name);
    let name_helo = || name.and_then(helo_name);
    let source = f.ip.map(|(_, s)| s);
    hop.ip = f.ip.map(|(ip, _)| ip);
    hop.rdns_forged = f.forged;
    let (helo, rdns) = if let Some(h) = f.helo_keyword.clone() {
        // qmail, qpsmtpd, Yahoo, GMX, CommuniGate, Exim `helo=`: the from-name is the rDNS.
        (h, dotted.clone().filter(|_| !ecelerity))
    } else if let Some(h) = f.claimed.clone() {
        (Some(h), dotted.clone())
    } else {
        match source {
            Some(Source::Named) => (
                name.and_then(helo_name),
                // Sendmail's `(may be forged)`: the name did not forward-confirm.
                f.named.clone().filter(|n| {
                    !f.forged && !n.eq_ignore_ascii_case("unknown") && n != "softdnserr"
                }),
            ),
            Some(Source::Glued) => (None, dotted.clone()),
            Some(Source::Bracket) if ecelerity => (None, None),
            Some(Source::Bracket) if f.verified || exim => (name_helo(), dotted.clone()),
            Some(Source::Bare) if !microsoft => (name_helo(), dotted.clone()),
            Some(Source::Outside) => {
                let rdns = (exim || f.lone_comment.is_some())
                    .then(|| dotted.clone())
                    .flatten();
                (f.lone_comment.clone().or_else(name_helo), rdns)
            }
            Some(Source::Name) => (
                f.name_ip
                    .filter(|(_, bracketed)| *bracketed)
                    .and_then(|_| name.and_then(helo_name)),
                None,
            ),
            _ => (name_helo(), None),
        }
    };
    hop.helo = if http { None } else { helo };
    hop.rdns = rdns;
    hop.rdns_unknown = hop.ip.is_some()
        && (hop.rdns.is_none() || f.forged)
        && (unknown_name
            || f.forged
            || f.name_ip.is_some()
            || f.named.is_some()
            || (source == Some(Source::Bracket)
                && !exim
                && !f.verified
                && !smtpsvc
                && f.helo_keyword.is_none()));
    hop
}

/// The domain of the `for <user@domain>` address.
fn recipient_domain(word: &str) -> Option<String> {
    let word = word.trim_matches(['<', '>', ';', ',']);
    let domain = word.rsplit_once('@')?.1.trim_end_matches(['>', ';', ',']);
    looks_like_host(domain).then(|| host_name(domain))
}

fn shorten_raw(value: &str) -> String {
    const MAX: usize = 400;
    if value.len() <= MAX {
        return value.to_string();
    }
    format!("{}…", head(value, MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triple(v: &str) -> (Option<String>, Option<String>, Option<String>) {
        let h = parse_received(v);
        (h.ip.map(|i| i.to_string()), h.helo, h.rdns)
    }

    fn t(
        ip: &str,
        helo: Option<&str>,
        rdns: Option<&str>,
    ) -> (Option<String>, Option<String>, Option<String>) {
        (Some(ip.into()), helo.map(Into::into), rdns.map(Into::into))
    }

    #[test]
    fn helo_literals_are_not_the_client() {
        // Yahoo: the EHLO literal first, the client's address in the next comment.
        assert_eq!(
            triple("from mail.example.net (EHLO [192.0.2.7]) ([203.0.113.25]) by mta.example.com with SMTP"),
            t("203.0.113.25", Some("[192.0.2.7]"), Some("mail.example.net"))
        );
        assert_eq!(
            triple("from 127.0.0.1 (EHLO sonic.example.com) (198.51.100.200) by mta.example.com with HTTP"),
            t("198.51.100.200", None, None)
        );
        // CommuniGate: the account's HELO literal; the client is the from-name.
        assert_eq!(
            triple("from [198.51.100.23] (account user@example.edu HELO [10.10.10.10]) by mx.example.edu (CommuniGate Pro SMTP 4.3.7) with ESMTPSA id 8"),
            t("198.51.100.23", Some("[10.10.10.10]"), None)
        );
        // IronPort/WP-SMTPD: a private EHLO literal as the from-name.
        assert_eq!(
            triple("from [192.168.1.5] ([203.0.113.9]) by esa1.example.com with ESMTP"),
            t("203.0.113.9", Some("[192.168.1.5]"), None)
        );
    }

    #[test]
    fn no_helo_word_and_version_numbers() {
        let h = parse_received("from ([192.168.1.205:50387] helo=i6.example.com) by m12.example.com (ecelerity 2.1.1.3 r(11743)) with ESMTP id 80/0A");
        assert_eq!(h.ip.unwrap().to_string(), "192.168.1.205");
        assert_eq!(h.helo.as_deref(), Some("i6.example.com"));
        assert_eq!(
            triple("from ([198.51.100.16]) by pop3.example.net with MailEnable ESMTP"),
            t("198.51.100.16", None, None)
        );
        assert_eq!(
            triple("from (198.51.100.186) by mcafee.example.edu via smtp id 021b"),
            t("198.51.100.186", None, None)
        );
    }

    #[test]
    fn ports_and_outside_brackets() {
        assert_eq!(
            triple("from list.example.com (198.51.100.86:23198) by mx1.example.net with [XMail 1.20 ESMTP Server] id <S72E>"),
            t("198.51.100.86", Some("list.example.com"), None)
        );
        assert_eq!(
            triple("from h8.example.net (helene.example.org) [10.0.8.6.13219] (mail) by l.example.net with esmtp (Exim 3.35 #1 (Debian))"),
            t("10.0.8.6", Some("helene.example.org"), Some("h8.example.net"))
        );
        assert_eq!(
            triple("from dsl.pool.example.net (EHLO userpc) [198.51.100.163] by mail.gmx.net (mp033) with SMTP"),
            t("198.51.100.163", Some("userpc"), Some("dsl.pool.example.net"))
        );
        assert_eq!(
            triple(
                "(from KRYPTIK [198.51.100.51]) by host.example (NAVGW 2.5.2.12) with SMTP id M2"
            ),
            t("198.51.100.51", Some("kryptik"), None)
        );
        assert_eq!(
            triple(
                "from mx10.example.net (HELO ) (198.51.100.10) by blazing.example.org with SMTP"
            ),
            t("198.51.100.10", None, Some("mx10.example.net"))
        );
        assert_eq!(
            triple("from ppp.example.jp(198.51.100.27), claiming to be \"foo.example.net\" via SMTP by st.example.at, id smtpd1"),
            t("198.51.100.27", Some("foo.example.net"), Some("ppp.example.jp"))
        );
    }

    #[test]
    fn submissions_and_local_hops() {
        let h = parse_received("from [10.0.0.5] (unknown [10.0.0.5]) by mail.example.com (Postfix) with ESMTPSA id 4Ab");
        assert_eq!(h.auth.as_deref(), Some("with ESMTPSA"));
        let h = parse_received("from laptop (dsl.example.net [198.51.100.7]) (authenticated bits=0) by mail.example.com (8.17.1/8.17.1) with ESMTP id 5");
        assert_eq!(h.auth.as_deref(), Some("(authenticated bits=0)"));
        let h = parse_received("from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 4AbC");
        assert_eq!(h.auth, None);
        for with in ["ESMTPA", "esmtpsa", "LMTPA", "UTF8SMTPSA", "asmtp", "HTTP"] {
            assert!(auth_protocol(with), "{with}");
        }
        for with in ["ESMTP", "ESMTPS", "SMTP", "HTTPS", "ESMTP-TLS", "SMTPA"] {
            assert!(!auth_protocol(with), "{with}");
        }
        let h = parse_received(
            "from mx.example.net ([2001:db8::1]) by mbox.example.net with LMTP id 9e",
        );
        assert!(h.not_relay.unwrap().contains("LMTP"));
        let h = parse_received("from pop.example.com [198.51.100.10] by localhost with POP3 (fetchmail-5.9.13) for u@example.org (single-drop)");
        assert!(h.not_relay.is_some());
        assert_eq!(h.recipient_domain.as_deref(), Some("example.org"));
    }

    #[test]
    fn malformed_headers_do_not_panic() {
        for v in [
            "",
            "(",
            "from",
            "from (",
            "from [",
            "from ([",
            "by",
            ";",
            "from a (b [c",
            "from (from",
            "((((",
            "from x (HELO",
            "from x(1.2.3.4",
        ] {
            let _ = parse_received(v);
        }
    }
}
