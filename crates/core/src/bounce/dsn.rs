//! Bounce messages: RFC 3464 delivery status notifications and the human-readable bounces of
//! Postfix, Exim, Sendmail, qmail, Exchange/Office 365 and Gmail, and bare SMTP replies.
//!
//! The text is cut in three: the bounce's own headers (used only for `X-Failed-Recipients` and
//! who it was sent to), the report (the human-readable part and the `message/delivery-status`
//! fields), and the returned message (after `Content-Type: message/rfc822` or
//! `text/rfc822-headers`, Exim's "This is a copy of the message", qmail's "Below this line is a
//! copy of the message", Exchange's "Original message headers:"). The reply is looked for in
//! every form a bounce writes it, and the longest reading wins (a `Diagnostic-Code` is often cut
//! short in a paste while the human-readable part is whole, and the other way round):
//!
//! | writer | form |
//! |---|---|
//! | Postfix | `<rcpt>: host H[IP] said: REPLY (in reply to X command)`, `… refused to talk to me: REPLY` |
//! | Exim | `host H [IP]` / `SMTP error from remote mail server after X:` / `REPLY`, or `host H [IP]: REPLY` |
//! | Sendmail | `... while talking to H.:` / `>>> X` / `<<< REPLY`; `(reason: REPLY)` |
//! | qmail | `Remote host said: REPLY`, `remote host IP said: REPLY` |
//! | Exchange | `Remote Server returned 'REPLY'`; Office 365: `Status code: 550 5.7.363` |
//! | Gmail | `The error that the other server returned was: REPLY`, `The response from the remote server was:` |
//! | RFC 3464 | `Remote-MTA: dns; H`, `Diagnostic-Code: smtp; REPLY`, `Status`, `Action`, `Final-Recipient` |

use std::borrow::Cow;
use std::net::IpAddr;

use super::assemble::Read;
use super::reply::Reply;
use super::{Signature, Source};
use crate::paste::headers::fields;
use crate::paste::text::{bracketed_ip, host_name, looks_like_host, name_and_ip, plain_ip};

/// Lines read past a reply's first line.
const MAX_REPLY_LINES: usize = 40;

/// Markers of a bounce message's report (lower case).
const MARKERS: &[&str] = &[
    "reporting-mta:",
    "diagnostic-code:",
    "final-recipient:",
    "message/delivery-status",
    "this is the mail system at host",
    "could not be delivered to one or more",
    "mail delivery software",
    "smtp error from remote",
    "qmail-send program",
    "remote host said:",
    "delivery to the following recipient",
    "the error that the other server returned",
    "the response from the remote server",
    "remote server returned '",
    "diagnostic information for administrators",
    "couldn't be delivered",
    "transcript of session follows",
    "mailversand fehlerbericht",
    "refused to talk to me:",
    "] said:",
];

/// Quoted-printable soft line breaks and the escapes that matter here undone, when the text says
/// it is quoted-printable (Gmail's bounces are).
fn unqp(text: &str) -> Cow<'_, str> {
    if !text.to_ascii_lowercase().contains("quoted-printable") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_suffix('=') {
            Some(soft) => out.push_str(soft),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Cow::Owned(
        out.replace("=20", " ")
            .replace("=3D", "=")
            .replace("=09", "\t"),
    )
}

/// `Name: value` when the line is a header or DSN field.
fn field(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name.len() <= 60
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (ok && (value.is_empty() || value.starts_with([' ', '\t']))).then(|| (name, value.trim()))
}

/// Field names that end a reply's text when a line starts with them.
fn ends_text(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.starts_with("--") || t.starts_with("(Other MXes") {
        return true;
    }
    if t.starts_with('<') && t.contains('@') && t.contains(">:") {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("retry timeout exceeded") {
        return true;
    }
    field(t).is_some_and(|(name, _)| {
        let n = name.to_ascii_lowercase();
        n.starts_with("x-")
            || n.starts_with("content-")
            || [
                "reporting-mta",
                "remote-mta",
                "final-recipient",
                "original-recipient",
                "action",
                "status",
                "diagnostic-code",
                "arrival-date",
                "last-attempt-date",
                "received-from-mta",
                "will-retry-until",
                "return-path",
                "received",
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version",
                "delivered-to",
                "dkim-signature",
                "generating server",
                "original message headers",
            ]
            .contains(&n.as_str())
    })
}

/// An SMTP command as bounces name it, in one spelling: `RCPT TO`, `MAIL FROM`, `DATA`,
/// `CONNECT`, `EHLO`, `HELO`, `STARTTLS`, `AUTH`, `BDAT`.
pub(crate) fn command(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_prefix("PIPELINED ").unwrap_or(&t);
    let found = if t.contains("RCPT") {
        "RCPT TO"
    } else if t.contains("MAIL FROM") || t.starts_with("MAIL") {
        "MAIL FROM"
    } else if t.contains("DATA") || t.contains("EOM") {
        "DATA"
    } else if t.contains("INITIAL CONNECTION") || t.contains("GREETING") || t.starts_with("CONNECT")
    {
        "CONNECT"
    } else if t.starts_with("EHLO") {
        "EHLO"
    } else if t.starts_with("HELO") {
        "HELO"
    } else if t.starts_with("STARTTLS") {
        "STARTTLS"
    } else if t.starts_with("AUTH") {
        "AUTH"
    } else if t.starts_with("BDAT") {
        "BDAT"
    } else {
        return None;
    };
    Some(found.into())
}

/// The address in `<a@b>`, `rfc822; a@b`, `a@b (a@b)` or a bare `a@b`.
pub(crate) fn address(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .split_once(';')
        .map_or(t, |(kind, rest)| if kind.len() < 12 { rest } else { t });
    let word = t
        .split_whitespace()
        .find(|w| w.contains('@'))?
        .trim_matches(|c: char| {
            matches!(
                c,
                '<' | '>' | ',' | ';' | ':' | '"' | '\'' | '(' | ')' | '[' | ']'
            )
        });
    (word.len() > 2 && word.len() <= 254 && !word.starts_with('@') && !word.ends_with('@'))
        .then(|| word.to_string())
}

/// A receiver written `H[IP]`, `H [IP]`, `H (IP)`, `H` or `IP`, in the words following `host`.
fn host_words(words: &[&str]) -> (Option<String>, Option<IpAddr>) {
    let Some(first) = words.first().map(|w| w.trim_end_matches([':', ',', ';'])) else {
        return (None, None);
    };
    if let Some((name, ip)) = name_and_ip(first) {
        return (Some(name), Some(ip));
    }
    if let Some(ip) = plain_ip(first).or_else(|| bracketed_ip(first)) {
        return (None, Some(ip));
    }
    let name = looks_like_host(first.trim_end_matches('.')).then(|| host_name(first));
    let ip = words.get(1).and_then(|w| {
        let w = w.trim_end_matches([':', ',', ';']);
        bracketed_ip(w).or_else(|| {
            w.strip_prefix('(')
                .and_then(|w| w.strip_suffix(')'))
                .and_then(plain_ip)
        })
    });
    (name, ip)
}

/// `host NAME [IP]` anywhere in a line.
fn host_in(line: &str) -> (Option<String>, Option<IpAddr>) {
    let words: Vec<&str> = line
        .split_whitespace()
        .map(|w| w.trim_start_matches('('))
        .collect();
    match words
        .iter()
        .rposition(|w| w.eq_ignore_ascii_case("host") || w.eq_ignore_ascii_case("host:"))
    {
        Some(i) => host_words(&words[i + 1..]),
        None => (None, None),
    }
}

/// One reading of the reply.
#[derive(Default)]
struct Candidate {
    reply: Option<Reply>,
    host: Option<String>,
    ip: Option<IpAddr>,
    command: Option<String>,
    recipient: Option<String>,
}

fn reply_of(raw: &str) -> Option<Reply> {
    let raw = raw.trim().trim_start_matches(['\'', '"']);
    if raw.is_empty() {
        return None;
    }
    Some(Reply::parse(raw).unwrap_or_else(|| Reply::without_code(raw)))
}

/// The text of a reply that starts at `first` (the rest of a line) and continues on the next
/// lines until one ends it.
fn gather<'a>(first: &'a str, following: &[&'a str]) -> String {
    let mut out = vec![first.trim()];
    for l in following.iter().take(MAX_REPLY_LINES) {
        if ends_text(l) {
            break;
        }
        out.push(l.trim());
    }
    out.join(" ")
}

/// `(in reply to X command)` taken off the end of a Postfix reply, and qmail's own `(#5.5.0)`.
fn take_in_reply_to(raw: &str) -> (String, Option<String>) {
    let lower = raw.to_ascii_lowercase();
    if let Some(at) = lower.find("(in reply to ") {
        let rest = &raw[at + 13..];
        let cmd = rest
            .to_ascii_lowercase()
            .find(" command")
            .map(|end| &rest[..end]);
        return (raw[..at].trim().to_string(), cmd.and_then(command));
    }
    let mut t = raw.trim().to_string();
    if let Some(at) = t.rfind("(#") {
        if t.ends_with(')') && t[at..].len() <= 12 {
            t.truncate(at);
        }
    }
    (
        t.trim().trim_end_matches(['.', ' ']).trim().to_string(),
        None,
    )
}

/// Postfix's `host H[IP] said:` and `refused to talk to me:`, qmail's `Remote host said:`,
/// `remote host IP said:`.
fn said(lines: &[&str]) -> Option<Candidate> {
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        let Some((at, len)) = lower
            .find(" said:")
            .map(|a| (a, 6))
            .or_else(|| lower.find("refused to talk to me:").map(|a| (a, 22)))
        else {
            continue;
        };
        let mut head = line[..at].to_string();
        if !lower[..at].contains("host") && i > 0 {
            head = format!("{} {head}", lines[i - 1]);
        }
        let (mut host, mut ip) = host_in(&head);
        let mut c = Candidate::default();
        let earlier = &lines[i.saturating_sub(3)..i];
        // qmail names the address on the lines above: `Connected to IP but …`, `IP failed after
        // I sent the message.`, `IP does not like recipient.`
        for l in earlier.iter().rev() {
            let words: Vec<&str> = l.split_whitespace().collect();
            if ip.is_none() {
                ip = match words.as_slice() {
                    ["Connected", "to", a, ..] => plain_ip(a),
                    [a, "failed", ..] | [a, "does", "not", ..] => plain_ip(a),
                    _ => None,
                };
            }
            if c.recipient.is_none() && l.trim().starts_with('<') && l.trim().ends_with(">:") {
                c.recipient = address(l);
            }
            let ll = l.to_ascii_lowercase();
            if c.command.is_none() {
                c.command = if ll.contains("failed after i sent the message") {
                    command("DATA")
                } else if ll.contains("sender was rejected") {
                    command("MAIL FROM")
                } else if ll.contains("does not like recipient") {
                    command("RCPT TO")
                } else if ll.contains("greeting failed") {
                    command("CONNECT")
                } else {
                    None
                };
            }
        }
        if let Some(p) = lower[..at].find("most progress was ") {
            c.command = lower[p + 18..at]
                .split(" response")
                .next()
                .and_then(command);
        }
        if head.trim_start().starts_with('<') {
            c.recipient = address(head.split(':').next().unwrap_or(""));
        }
        if len == 22 {
            // Postfix's words for a refusal of the greeting.
            c.command = command("CONNECT");
        }
        let mut raw = gather(&line[at + len..], &lines[i + 1..]);
        if line.trim_start().starts_with('(') && raw.ends_with(')') {
            raw.pop();
        }
        let (raw, cmd) = take_in_reply_to(&raw);
        c.command = cmd.or(c.command);
        c.reply = reply_of(&raw);
        host = host.filter(|h| !h.eq_ignore_ascii_case("remote"));
        c.host = host;
        c.ip = ip;
        return Some(c);
    }
    None
}

/// Exim's bounce: `SMTP error from remote mail server after X:` with `host H [IP]` above it or
/// `host H [IP]: REPLY` below it; newer Exim's `SMTP error from remote server for X command,
/// host: H (IP) reason: REPLY`.
fn exim(lines: &[&str]) -> Option<Candidate> {
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        let Some(at) = lower.find("smtp error from remote") else {
            continue;
        };
        let mut c = Candidate::default();
        let tail = &line[at..];
        let tail_lower = &lower[at..];
        if let Some(r) = tail_lower.find("reason:") {
            c.command = tail_lower
                .find(" for ")
                .and_then(|f| tail[f + 5..].split(" command").next())
                .and_then(command);
            let (h, ip) = host_in(&tail[..r]);
            c.host = h;
            c.ip = ip;
            c.reply = reply_of(&gather(&tail[r + 7..], &lines[i + 1..]));
            return Some(c);
        }
        if let Some(a) = tail_lower.find(" after ") {
            c.command = command(tail[a + 7..].trim().trim_end_matches(':'));
        }
        if i > 0
            && lines[i - 1]
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("host ")
        {
            (c.host, c.ip) = host_in(lines[i - 1]);
        }
        let next = lines.get(i + 1).copied().unwrap_or("");
        let raw = if next.trim_start().to_ascii_lowercase().starts_with("host ") {
            (c.host, c.ip) = host_in(next.find("]:").map_or(next, |p| &next[..p + 1]));
            match next.find("]:") {
                Some(p) => gather(&next[p + 2..], &lines[i + 2..]),
                None => gather("", &lines[i + 2..]),
            }
        } else {
            gather("", &lines[i + 1..])
        };
        c.reply = reply_of(raw.trim_end_matches(':'));
        return Some(c);
    }
    None
}

/// A session transcript: `... while talking to H.:`, `>>> X`, `<<< REPLY`.
fn transcript(lines: &[&str]) -> Option<Candidate> {
    let start = lines.iter().position(|l| {
        l.trim_start()
            .strip_prefix("<<<")
            .and_then(Reply::parse)
            .is_some_and(|r| r.code.is_some_and(|c| c >= 400))
    })?;
    let first = lines[start].trim_start().trim_start_matches("<<<");
    let code = &first.trim_start()[..3];
    let mut raw = vec![first.trim()];
    for l in lines[start + 1..].iter().take(MAX_REPLY_LINES) {
        let t = l.trim();
        if let Some(more) = t.strip_prefix("<<<") {
            if more.trim_start().starts_with(code) {
                raw.push(more.trim());
                continue;
            }
            break;
        }
        if t.is_empty()
            || t.starts_with(">>>")
            || Reply::parse(t).is_some_and(|_| {
                t.get(..3)
                    .is_some_and(|h| h.bytes().all(|b| b.is_ascii_digit()))
            })
            || ends_text(t)
        {
            break;
        }
        raw.push(t);
    }
    let mut c = Candidate {
        reply: reply_of(&raw.join(" ")),
        ..Candidate::default()
    };
    for l in lines[..start].iter().rev().take(20) {
        let t = l.trim();
        if c.command.is_none() {
            if let Some(cmd) = t.strip_prefix(">>>") {
                c.command = command(cmd);
            }
        }
        let lower = t.to_ascii_lowercase();
        let at = lower
            .find("while talking to ")
            .map(|a| a + 17)
            .or_else(|| lower.find("mailserver ").map(|a| a + 11));
        if let Some(a) = at {
            let words: Vec<&str> = t[a..].split_whitespace().collect();
            let (h, ip) = host_words(&words);
            c.host = h.map(|h| h.trim_end_matches(['.', ':']).to_string());
            c.ip = ip;
            break;
        }
    }
    Some(c)
}

/// Exchange's `Remote Server returned '…'`, with the remote host on the line above; Office 365's
/// `Status code: 550 5.7.363`.
fn exchange(lines: &[&str]) -> Option<Candidate> {
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        if let Some(at) = lower.find("remote server returned '") {
            let mut raw = line[at + 24..].to_string();
            for l in lines[i + 1..].iter().take(MAX_REPLY_LINES) {
                if raw.contains('\'') {
                    break;
                }
                raw.push(' ');
                raw.push_str(l.trim());
            }
            let raw = raw.split('\'').next().unwrap_or("");
            let raw = raw.trim().trim_start_matches('<').trim_end_matches('>');
            let mut c = Candidate {
                reply: reply_of(raw),
                ..Candidate::default()
            };
            let above: Vec<&str> = lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .take(2)
                .collect();
            if let Some(h) = above
                .first()
                .filter(|h| looks_like_host(h) && h.contains('.'))
            {
                c.host = Some(host_name(h));
                c.recipient = above.get(1).and_then(|r| address(r));
            }
            return Some(c);
        }
        if let Some(rest) = lower.trim_start().strip_prefix("status code: ") {
            let reply = Reply::parse(rest)?;
            return Some(Candidate {
                reply: Some(reply),
                ..Candidate::default()
            });
        }
    }
    None
}

/// Gmail's `The error that the other server returned was: …` and `The response from the remote
/// server was:`; Sendmail's `(reason: …)`.
fn quoted(lines: &[&str]) -> Option<Candidate> {
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        for marker in [
            "the error that the other server returned was:",
            "the response from the remote server was:",
            "the response was:",
        ] {
            if let Some(at) = lower.find(marker) {
                let rest = &line[at + marker.len()..];
                let raw = if rest.trim().is_empty() {
                    let from = lines[i + 1..]
                        .iter()
                        .position(|l| !l.trim().is_empty())
                        .map_or(lines.len(), |p| i + 1 + p);
                    match lines.get(from) {
                        Some(f) => gather(f, &lines[from + 1..]),
                        None => String::new(),
                    }
                } else {
                    gather(rest, &lines[i + 1..])
                };
                return Some(Candidate {
                    reply: reply_of(raw.split(" -----").next().unwrap_or(&raw)),
                    ..Candidate::default()
                });
            }
        }
        if let Some(at) = lower.find("(reason: ") {
            let rest = line[at + 9..].trim_end();
            let rest = rest.strip_suffix(')').unwrap_or(rest);
            return Some(Candidate {
                reply: reply_of(rest),
                ..Candidate::default()
            });
        }
    }
    None
}

/// The RFC 3464 fields: per message, and per recipient (the first failed or delayed recipient
/// with a `Diagnostic-Code` is the one read).
#[derive(Default)]
struct Dsn {
    reporting_mta: Option<String>,
    sender: Option<String>,
    groups: Vec<Group>,
}

#[derive(Default)]
struct Group {
    final_recipient: Option<String>,
    original_recipient: Option<String>,
    action: Option<String>,
    status: Option<String>,
    remote_mta: Option<String>,
    diagnostic: Option<String>,
}

fn dsn_fields(lines: &[&str]) -> Dsn {
    let mut d = Dsn::default();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let Some((name, value)) = field(line.trim_start()) else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        // Folded values continue on indented lines; a Diagnostic-Code pasted without its
        // indentation continues until the next field or a blank line.
        let mut value = value.to_string();
        while let Some(next) = lines.get(i) {
            let indented = next.starts_with([' ', '\t']) && !next.trim().is_empty();
            let unindented =
                name == "diagnostic-code" && !ends_text(next) && field(next.trim()).is_none();
            if !(indented || unindented) {
                break;
            }
            value.push(' ');
            value.push_str(next.trim());
            i += 1;
            if value.len() > 4000 {
                break;
            }
        }
        let per_recipient = matches!(
            name.as_str(),
            "final-recipient"
                | "original-recipient"
                | "action"
                | "status"
                | "remote-mta"
                | "diagnostic-code"
        );
        if !per_recipient {
            if name == "reporting-mta" {
                d.reporting_mta = d.reporting_mta.take().or(Some(mta(&value).0));
            } else if name.starts_with("x-") && name.ends_with("-sender") {
                d.sender = d.sender.take().or_else(|| address(&value));
            }
            continue;
        }
        // A recipient's fields start again at a second Final-Recipient (or Original-Recipient,
        // which some MTAs write first).
        let new_group = d.groups.last().is_none_or(|g| match name.as_str() {
            "final-recipient" => g.final_recipient.is_some(),
            "original-recipient" => {
                g.original_recipient.is_some()
                    || (g.final_recipient.is_some() && g.action.is_some())
            }
            _ => false,
        });
        if new_group {
            d.groups.push(Group::default());
        }
        let Some(g) = d.groups.last_mut() else {
            continue;
        };
        match name.as_str() {
            "final-recipient" => g.final_recipient = address(&value),
            "original-recipient" => g.original_recipient = address(&value),
            "action" => g.action = Some(value.to_ascii_lowercase()),
            "status" => g.status = value.split_whitespace().next().map(str::to_string),
            "remote-mta" => g.remote_mta = Some(value),
            _ => g.diagnostic = Some(value),
        }
    }
    d
}

/// A `Reporting-MTA`/`Remote-MTA` value: `dns; host`, `dns;host (IP)`, `dns; host [IP]`.
fn mta(value: &str) -> (String, Option<IpAddr>) {
    let v = value.split_once(';').map_or(value, |(_, r)| r).trim();
    let mut words = v.split_whitespace();
    let host = words.next().unwrap_or("").trim_end_matches('.').to_string();
    let ip = words.next().and_then(|w| {
        let w = w.trim_matches(|c| c == '(' || c == ')');
        plain_ip(w).or_else(|| bracketed_ip(w))
    });
    (host, ip)
}

/// Where the returned message starts, if the bounce has one.
fn returned_start(lines: &[&str], from: usize) -> Option<usize> {
    for (i, line) in lines.iter().enumerate().skip(from) {
        let lower = line.trim().to_ascii_lowercase();
        let content = lower.strip_prefix("content-type:").map(str::trim);
        if content.is_some_and(|c| {
            c.starts_with("message/rfc822")
                || c.starts_with("text/rfc822-headers")
                || c.starts_with("message/global")
        }) {
            // Skip the part's own header lines and the blank line after them.
            let mut j = i + 1;
            while lines.get(j).is_some_and(|l| {
                let t = l.trim().to_ascii_lowercase();
                t.starts_with("content-")
                    || t.starts_with(' ')
                    || (l.starts_with([' ', '\t']) && !t.is_empty())
            }) {
                j += 1;
            }
            return Some(j);
        }
        if lower.contains("this is a copy of the message")
            || lower.contains("below this line is a copy of the message")
            || lower.contains("original message headers")
            || lower.contains("----- original message -----")
            || lower.contains("original message follows")
        {
            return Some(i + 1);
        }
    }
    None
}

/// The returned message with no marker: from the first non-empty `Return-Path:` after the
/// report began (pastes lose MIME boundaries).
fn unmarked_returned(lines: &[&str], from: usize) -> Option<usize> {
    lines.iter().enumerate().skip(from).find_map(|(i, l)| {
        let (name, value) = field(l)?;
        (name.eq_ignore_ascii_case("return-path") && address(value).is_some()).then_some(i)
    })
}

/// Where the bounce's own headers end: the header fields at the top, up to the first blank
/// line and never past the report's first line (pastes lose the indentation of folded lines and
/// the blank line after the headers).
fn own_headers_end(lines: &[&str]) -> usize {
    if lines.first().is_none_or(|l| field(l).is_none()) {
        return 0;
    }
    let mut end = 0;
    for (i, l) in lines.iter().enumerate() {
        let lower = l.to_ascii_lowercase();
        if l.trim().is_empty() || MARKERS.iter().any(|m| lower.contains(m)) {
            break;
        }
        if field(l).is_some() {
            end = i + 1;
        }
    }
    end
}

/// The DKIM signatures' `d=` and `s=`.
fn signatures(headers: &str) -> Vec<Signature> {
    fields(headers)
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("dkim-signature"))
        .filter_map(|f| {
            let tag = |t: &str| {
                f.value.split(';').find_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    (k.trim() == t).then(|| v.split_whitespace().collect::<String>())
                })
            };
            Some(Signature {
                domain: tag("d")?.to_ascii_lowercase(),
                selector: tag("s")?,
            })
        })
        .take(5)
        .collect()
}

/// Reads a bounce message; `None` when the text has none of a bounce's markers or no reply.
pub(super) fn read(text: &str) -> Option<Read> {
    let text = unqp(text);
    let lines: Vec<&str> = text.lines().collect();
    let own_end = own_headers_end(&lines);
    let lower = text.to_ascii_lowercase();
    if !MARKERS.iter().any(|m| lower.contains(m)) {
        return None;
    }
    let marked = returned_start(&lines, own_end);
    let report_start = lines[own_end..]
        .iter()
        .position(|l| MARKERS.iter().any(|m| l.to_ascii_lowercase().contains(m)))
        .map_or(own_end, |p| own_end + p);
    let returned = marked.or_else(|| unmarked_returned(&lines, report_start));
    let body = &lines[own_end..returned.unwrap_or(lines.len()).max(own_end)];
    let dsn = dsn_fields(body);
    let group = dsn
        .groups
        .iter()
        .find(|g| {
            g.diagnostic.is_some()
                && g.action
                    .as_deref()
                    .is_some_and(|a| a.starts_with("failed") || a.starts_with("delayed"))
        })
        .or_else(|| dsn.groups.iter().find(|g| g.diagnostic.is_some()))
        .or(dsn.groups.first());
    let diagnostic = group.and_then(|g| g.diagnostic.as_deref()).map(|d| {
        let d = d.trim();
        let after = d
            .split_once(';')
            .filter(|(kind, _)| kind.len() < 12)
            .map_or(d, |(_, r)| r);
        Candidate {
            reply: reply_of(after),
            ..Candidate::default()
        }
    });
    let candidates: Vec<Candidate> = [
        said(body),
        exim(body),
        transcript(body),
        exchange(body),
        quoted(body),
        diagnostic,
    ]
    .into_iter()
    .flatten()
    .collect();
    let best = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.reply.is_some())
        .max_by_key(|(i, c)| {
            let r = c
                .reply
                .as_ref()
                .map_or((false, 0), |r| (r.code.is_some(), r.text.len()));
            (r.0, r.1, usize::MAX - i)
        })
        .map(|(i, _)| i);
    let group_status = group.and_then(|g| g.status.clone());
    if best.is_none() && group_status.is_none() {
        return None;
    }
    let pick = |f: &dyn Fn(&Candidate) -> Option<String>| -> Option<String> {
        best.and_then(|b| f(&candidates[b]))
            .or_else(|| candidates.iter().find_map(f))
    };
    let (remote_host, remote_ip) = group
        .and_then(|g| g.remote_mta.as_deref())
        .map(mta)
        .map_or((None, None), |(h, ip)| (Some(h), ip));
    let mut read = Read {
        reply: best.and_then(|b| candidates[b].reply.clone()),
        command: pick(&|c| c.command.clone()),
        dsn_status: group_status,
        action: group.and_then(|g| g.action.clone()),
        reporting_mta: dsn.reporting_mta.clone(),
        ..Read::default()
    };
    // A DSN that names no remote server but quotes an SMTP reply was written by the server that
    // refused: the receiver's own gateway, after it accepted the message.
    let smtp_diagnostic = group
        .and_then(|g| g.diagnostic.as_deref())
        .is_some_and(|d| d.trim_start().to_ascii_lowercase().starts_with("smtp;"));
    read.receiver_host = pick(&|c| c.host.clone())
        .or(remote_host.filter(|h| !h.is_empty()))
        .or_else(|| dsn.reporting_mta.clone().filter(|_| smtp_diagnostic));
    read.receiver_ip = best
        .and_then(|b| candidates[b].ip)
        .or_else(|| candidates.iter().find_map(|c| c.ip))
        .or(remote_ip);
    read.recipient = group
        .and_then(|g| {
            g.final_recipient
                .clone()
                .or_else(|| g.original_recipient.clone())
        })
        .or_else(|| pick(&|c| c.recipient.clone()))
        .or_else(|| listed_recipient(body))
        .or_else(|| own_field(&lines[..own_end], "x-failed-recipients").and_then(|v| address(&v)));
    read.source = if !dsn.groups.is_empty() || dsn.reporting_mta.is_some() {
        Source::Dsn
    } else if lower.contains("remote server returned '")
        || lower.contains("diagnostic information for administrators")
        || lower.contains("status code: ")
    {
        Source::Ndr
    } else if lower.contains("-queue id-") {
        Source::Mailq
    } else {
        Source::Message
    };
    let returned_text = returned.map(|r| super::reindent(&lines[r..].join("\n")));
    let returned_fields = returned_text.as_deref().map(fields).unwrap_or_default();
    let returned_field = |name: &str| {
        returned_fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.clone())
    };
    let envelope_from = returned_fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("received"))
        .find_map(|f| {
            let l = f.value.to_ascii_lowercase();
            let at = l
                .find("envelope-from ")
                .map(|a| a + 14)
                .or_else(|| l.find("envelope-sender ").map(|a| a + 16))?;
            address(&f.value[at..])
        });
    read.sender = dsn
        .sender
        .clone()
        .or_else(|| returned_field("return-path").and_then(|v| address(&v)))
        .or(envelope_from)
        .or_else(|| mailq_sender(body))
        .or_else(|| {
            own_field(&lines[..own_end], "to")
                .and_then(|v| address(&v))
                .filter(|a| {
                    !a.to_ascii_lowercase().starts_with("postmaster@")
                        && Some(a) != read.recipient.as_ref()
                })
        });
    read.from_domain = returned_field("from")
        .and_then(|v| address(&v))
        .and_then(|a| {
            a.rsplit_once('@')
                .map(|(_, d)| d.trim_end_matches('.').to_ascii_lowercase())
        });
    read.signatures = returned_text.as_deref().map(signatures).unwrap_or_default();
    read.returned = returned_text;
    Some(read)
}

fn own_field(lines: &[&str], name: &str) -> Option<String> {
    lines.iter().find_map(|l| {
        field(l)
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_string())
    })
}

/// The recipient under a bounce's "following address(es) failed:" (Exim), "following recipient
/// failed permanently:" (Gmail), "failed to these recipients or groups:" (Exchange), "zum
/// folgenden Empfänger … gescheitert:", or in Office 365's "Your message to … couldn't be
/// delivered".
fn listed_recipient(lines: &[&str]) -> Option<String> {
    for (i, l) in lines.iter().enumerate() {
        let lower = l.to_ascii_lowercase();
        if let Some(at) = lower.find("your message to ") {
            if lower.contains("couldn't be delivered") {
                return address(&l[at + 16..]);
            }
        }
        let intro = lower.trim_end().ends_with("failed:")
            || lower.contains("following recipient")
            || lower.contains("following address")
            || lower.contains("recipients or groups:")
            || lower.trim_end().ends_with("gescheitert:");
        if intro {
            return lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .take(2)
                .find(|l| l.contains('@') && l.split_whitespace().count() <= 3)
                .and_then(address);
        }
    }
    None
}

/// Postfix's queue listing: the sender ends the line above the `(host …)` line.
fn mailq_sender(lines: &[&str]) -> Option<String> {
    let i = lines
        .iter()
        .position(|l| l.trim_start().starts_with("(host "))?;
    let above = lines.get(i.checked_sub(1)?)?;
    above
        .split_whitespace()
        .last()
        .filter(|w| w.contains('@'))
        .and_then(address)
}

/// A bare SMTP reply: the paste opens with a 4xx/5xx reply code (after a transcript prompt such
/// as `<<<` or `<-`), or its first line hands one over with `response=`.
pub(super) fn bare_reply(text: &str) -> Option<Read> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    if text.lines().count() > 200 {
        return None;
    }
    let prompt = ["<<<", "<-", "<~", "<**", "S:"];
    let opened = {
        let t = first.trim_start();
        let t = prompt
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .unwrap_or(t)
            .trim_start();
        t.split_whitespace().next().and_then(Reply::parse).is_some()
    };
    let handed = first.contains("response=");
    if !(opened || handed) {
        return None;
    }
    let cleaned: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            prompt.iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t)
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("response=", "response= ");
    let reply = Reply::parse(&cleaned)?;
    let greeting = first.to_ascii_lowercase().contains("greeting");
    Some(Read {
        source: Source::SmtpReply,
        command: greeting.then(|| "CONNECT".to_string()),
        reply: Some(reply),
        ..Read::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_one_spelling() {
        for (t, want) in [
            ("RCPT TO:<user@example.com>", "RCPT TO"),
            ("pipelined MAIL FROM:<a@example.org> SIZE=2307", "MAIL FROM"),
            ("end of data", "DATA"),
            ("pipelined end of data", "DATA"),
            ("DATA (EOM)", "DATA"),
            ("initial connection", "CONNECT"),
            ("EHLO mail.example.com", "EHLO"),
        ] {
            assert_eq!(command(t).as_deref(), Some(want), "{t}");
        }
        assert_eq!(command("QUIT"), None);
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address("rfc822; user@example.com").as_deref(),
            Some("user@example.com")
        );
        assert_eq!(
            address("<sender@example.org>").as_deref(),
            Some("sender@example.org")
        );
        assert_eq!(
            address("user@example.com (user@example.com)").as_deref(),
            Some("user@example.com")
        );
        assert_eq!(address("<>"), None);
    }

    #[test]
    fn a_postfix_bounce() {
        let text = "This is the mail system at host mail.example.org.\n\n<contact@example.com>: host\n    example-com.mail.protection.outlook.com[104.47.8.36] said: 550 5.7.606\n    Access denied, banned sending IP [192.0.2.45]. (in reply to RCPT TO\n    command)\n";
        let r = read(text).unwrap();
        assert_eq!(
            r.receiver_host.as_deref(),
            Some("example-com.mail.protection.outlook.com")
        );
        assert_eq!(r.receiver_ip.unwrap().to_string(), "104.47.8.36");
        assert_eq!(r.command.as_deref(), Some("RCPT TO"));
        assert_eq!(r.recipient.as_deref(), Some("contact@example.com"));
        let reply = r.reply.unwrap();
        assert_eq!(reply.text, "Access denied, banned sending IP [192.0.2.45].");
        assert_eq!(r.source, Source::Message);
    }

    #[test]
    fn bare_replies() {
        let r = bare_reply("550-5.7.25 [203.0.113.9] The IP address sending this message does not have a PTR\n550-5.7.25 record setup.").unwrap();
        assert_eq!(r.reply.unwrap().status.as_deref(), Some("5.7.25"));
        assert!(bare_reply("smtpd_client_connection_rate_limit = 500").is_none());
        assert!(bare_reply("250 mail.example.com").is_none());
        let r = bare_reply("Error: Invalid greeting. response=554-gmx.net (mxgmx114) Nemesis ESMTP Service not available\n554-No SMTP service\n554 Bad DNS PTR resource record.").unwrap();
        assert_eq!(r.command.as_deref(), Some("CONNECT"));
        assert_eq!(r.reply.unwrap().code, Some(554));
    }
}
