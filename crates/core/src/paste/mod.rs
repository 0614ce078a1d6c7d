//! Pasted text: recognise what the user pasted and extract the sending IP and the EHLO name.
//!
//! A browser cannot talk SMTP and the operator often does not know which address their mail really
//! leaves from, but they hold text that says: a received message's headers, a line of their MTA's
//! log, their MTA's configuration, an EHLO line. [`extract`] recognises which of these it is and
//! returns an [`Extracted`]: the sending IP, the EHLO name, the reverse name the receiver recorded,
//! whether Sender Address Verification is configured, and the evidence behind each (the Received
//! chain, the receiver's own Authentication-Results, the configuration lines read).
//!
//! Every parser reads the text line by line and token by token, with no backtracking, so its time
//! is linear in the input; nothing here panics on any input (both are property-tested).
//!
//! ```
//! use sendercheck_core::paste::{extract, Format};
//!
//! let x = extract("Received: from mail.example.com (mail.example.com [192.0.2.10])\n\
//!                  \tby mx.example.net (Postfix) with ESMTPS id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000\n")
//!     .unwrap();
//! assert_eq!(x.format, Format::Headers);
//! assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
//! assert_eq!(x.helo.as_deref(), Some("mail.example.com"));
//! ```

mod auth;
mod config;
mod findings;
pub(crate) mod headers;
mod json;
mod logs;
mod received;
mod run;
mod sender;
mod services;
pub(crate) mod text;
mod walk;

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::bounce::Bounce;
pub use auth::{AuthHeader, MethodResult};
pub use findings::paste_findings;
pub use headers::{Hop, HopRole};
pub use json::{paste_json, paste_json_with};
pub use received::parse_received;
pub use run::{check_paste, check_paste_with, domain_input, target, BounceCheck, PasteReport};
pub use sender::{DkimId, Sender};
pub use services::{filter_of, outbound_edge, Service, FILTERS};

/// The largest paste read (4 MiB); message headers are a few kilobytes.
pub const MAX_PASTE: usize = 4 << 20;

/// What kind of text was pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A bounce: a delivery status notification or non-delivery report, a bounce message, a
    /// Sendmail log line, Postfix's queue listing, or a bare SMTP reply (see [`crate::bounce`]).
    Bounce,
    /// A message's headers, or a whole .eml.
    #[default]
    Headers,
    /// Postfix log lines.
    PostfixLog,
    /// Exim main log lines.
    EximLog,
    /// Postfix `main.cf` (or `master.cf` `-o` overrides).
    PostfixConfig,
    /// Exim's configuration file.
    EximConfig,
    /// One EHLO/HELO line, a server's `250`/`220` line, or a bare host name.
    Ehlo,
}

impl Format {
    /// Every format, in the order they are tried.
    pub const ALL: [Format; 7] = [
        Format::Bounce,
        Format::Headers,
        Format::PostfixLog,
        Format::EximLog,
        Format::PostfixConfig,
        Format::EximConfig,
        Format::Ehlo,
    ];

    /// The format word, as in JSON (`headers`, `postfix-log`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Bounce => "bounce",
            Format::Headers => "headers",
            Format::PostfixLog => "postfix-log",
            Format::EximLog => "exim-log",
            Format::PostfixConfig => "postfix-config",
            Format::EximConfig => "exim-config",
            Format::Ehlo => "ehlo",
        }
    }

    /// A configuration: it says what the server will do (EHLO name, SAV), not what a receiver saw.
    pub fn is_config(self) -> bool {
        matches!(self, Format::PostfixConfig | Format::EximConfig)
    }

    /// Written by a receiver, so it can record the reverse name it found for the sender (a
    /// bounce is the receiver's reply, which names no reverse name).
    pub fn is_receivers_record(self) -> bool {
        matches!(self, Format::Headers | Format::PostfixLog | Format::EximLog)
    }

    /// What the format is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Bounce => "a bounce (a delivery failure report or the receiver's SMTP reply)",
            Format::Headers => "message headers",
            Format::PostfixLog => "a Postfix log",
            Format::EximLog => "an Exim main log",
            Format::PostfixConfig => "a Postfix main.cf",
            Format::EximConfig => "an Exim configuration",
            Format::Ehlo => "an EHLO line",
        }
    }

    /// A one-line sample of the format.
    pub fn sample(self) -> &'static str {
        match self {
            Format::Bounce => "550-5.7.25 [192.0.2.10] The IP address sending this message does not have a PTR record setup",
            Format::Headers => "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net …",
            Format::PostfixLog => "postfix/smtpd[1234]: connect from mail.example.com[192.0.2.10]",
            Format::EximLog => "<= alice@example.com H=mail.example.com (mail.example.com) [192.0.2.10]:42315 P=esmtps",
            Format::PostfixConfig => "myhostname = mail.example.com",
            Format::EximConfig => "primary_hostname = mail.example.com",
            Format::Ehlo => "EHLO mail.example.com",
        }
    }
}

crate::serialize_as_str!(Format);

/// A configuration line that decided something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// 1-based line number in the paste.
    pub line: usize,
    /// The parameter (`myhostname`, `helo_data`, …).
    pub name: String,
    /// Its value as written (continuation lines joined).
    pub value: String,
}

/// A line that turns on Sender Address Verification, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavLine {
    /// 1-based line number in the paste.
    pub line: usize,
    /// The line as written (continuation lines joined).
    pub text: String,
    /// The line to write instead (empty: delete it).
    pub replacement: String,
}

/// What was found in a paste.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// What the paste is.
    pub format: Format,
    /// The sending IP, when the text names it.
    pub ip: Option<IpAddr>,
    /// The EHLO argument the server used (or, from a configuration, will use): lower case without
    /// a trailing dot; an address literal as written.
    pub helo: Option<String>,
    /// The reverse name the receiver recorded for the sending IP.
    pub rdns_seen: Option<String>,
    /// The receiver said explicitly that it found no (verified) reverse name: Postfix's `unknown`,
    /// Exim's bare `[IP]`.
    pub rdns_unknown: bool,
    /// Sender Address Verification (callouts) is configured.
    pub sav: bool,
    /// Message headers: every Received header, top (newest) first.
    pub hops: Vec<Hop>,
    /// Message headers: the index in `hops` the values come from.
    pub chosen: Option<usize>,
    /// Why these values were taken (which hop, line or setting).
    pub reason: String,
    /// Message headers: Authentication-Results and Received-SPF, top first.
    pub auth: Vec<AuthHeader>,
    /// Configurations: the settings read.
    pub settings: Vec<Setting>,
    /// Configurations: the lines that turn on Sender Address Verification.
    pub sav_lines: Vec<SavLine>,
    /// Anything else worth saying (ambiguities, values that could not be evaluated).
    pub notes: Vec<String>,
    /// The sending domain the paste names: headers' From, Return-Path and DKIM signatures, a
    /// configuration's origin domain.
    pub sender: Sender,
    /// What a bounce says: the whole paste for [`Format::Bounce`], or a Postfix/Exim log line
    /// that quotes a receiver's reply.
    pub bounce: Option<Bounce>,
}

impl Extracted {
    /// Takes the IP, EHLO name and recorded reverse name from another hop of the Received chain,
    /// as when the user picks a different row of the table. Returns false (and changes nothing)
    /// when there is no such hop.
    pub fn choose_hop(&mut self, index: usize) -> bool {
        let Some(hop) = self.hops.get(index) else {
            return false;
        };
        self.ip = hop.ip;
        self.helo = hop.helo.clone();
        self.rdns_seen = hop.rdns.clone();
        self.rdns_unknown = hop.rdns_unknown;
        self.reason = if hop.role == HopRole::Entry {
            walk::entry_reason(&self.hops, index)
        } else {
            format!("Received header {} was picked by hand.", index + 1)
        };
        self.chosen = Some(index);
        true
    }

    /// The Authentication-Results and Received-SPF headers added by the receiver, judged by the
    /// chosen hop: a header counts when it sits above the hops the sender added, if it names its
    /// author, the author belongs to the receiver, and it is not about the relay of a filtering
    /// service in front of the receiver.
    pub fn receiver_auth(&self) -> impl Iterator<Item = &AuthHeader> {
        let first_sender = self
            .chosen
            .and_then(|c| self.hops.get(c + 1))
            .map_or(usize::MAX, |h| h.position);
        let orgs = walk::receiver_orgs(&self.hops, self.chosen);
        // A filtering service in front of the receiver: the receiver's verdicts about the
        // service's relay are not about the sender.
        let filters: Vec<IpAddr> = self
            .hops
            .iter()
            .take(self.chosen.unwrap_or(0))
            .filter(|h| h.role == HopRole::Filter)
            .filter_map(|h| h.ip)
            .collect();
        self.auth.iter().filter(move |a| {
            a.position < first_sender
                && a.authserv_id
                    .as_deref()
                    .is_none_or(|id| orgs.is_empty() || orgs.contains(&text::org_domain(id)))
                && !a
                    .results
                    .iter()
                    .any(|r| r.named_ip().is_some_and(|(ip, _)| filters.contains(&ip)))
        })
    }
}

/// The paste is none of the recognised formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRecognised {
    /// Why, in one sentence.
    pub reason: String,
}

impl fmt::Display for NotRecognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} Paste one of these:", self.reason)?;
        for format in Format::ALL {
            writeln!(f, "- {}: {}", format.describe(), format.sample())?;
        }
        Ok(())
    }
}

impl std::error::Error for NotRecognised {}

/// Recognises the paste and extracts what it says about the sending server.
///
/// Formats are tried in the order of [`Format::ALL`]; the first whose markers appear wins:
/// a bounce (a DSN's fields, a bounce message's wording, a Sendmail `stat=` line, a text that
/// opens with a 4xx/5xx reply; never Postfix or Exim log lines, which keep their format and carry
/// their receiver's reply in [`Extracted::bounce`]); a `Received:`, `Authentication-Results:` or
/// `Received-SPF:` header line; a Postfix or Exim log line naming a client `NAME[IP]` / `H=…
/// [IP]` or quoting a receiver's reply; Postfix or Exim configuration parameters; a single EHLO
/// line or host name.
pub fn extract(text: &str) -> Result<Extracted, NotRecognised> {
    if text.len() > MAX_PASTE {
        return Err(NotRecognised {
            reason: format!(
                "The paste is {} bytes; at most {} are read (message headers are a few kilobytes).",
                text.len(),
                MAX_PASTE
            ),
        });
    }
    if text.trim().is_empty() {
        return Err(NotRecognised {
            reason: "Nothing was pasted.".into(),
        });
    }
    if let Some(b) = crate::bounce::read(text) {
        return Ok(bounce_extracted(b));
    }
    if let Some(mut x) = headers::extract(text) {
        x.sender = sender::from_fields(&headers::fields(text));
        return Ok(x);
    }
    if let Some(x) = logs::extract(text) {
        return Ok(x);
    }
    if let Some(x) = config::extract(text) {
        return Ok(x);
    }
    if let Some(x) = ehlo(text) {
        return Ok(x);
    }
    Err(NotRecognised {
        reason: unrecognised_reason(text),
    })
}

/// A bounce read as the whole paste: the sending IP and why, and the returned message's Received
/// chain when the address came from it.
fn bounce_extracted(b: Bounce) -> Extracted {
    let reason = match (&b.sending_ip, &b.sending_ip_from) {
        (Some(_), Some(from)) => format!("The paste is {}; the sending IP comes from {from}.", b.source.describe()),
        _ => format!(
            "The paste is {}; it does not name the sending IP (the receiver's own address, {}, never is).",
            b.source.describe(),
            b.receiver_ip.map_or_else(|| "when given".to_string(), |ip| ip.to_string())
        ),
    };
    let (hops, chosen) = headers::returned_chain(&b);
    Extracted {
        format: Format::Bounce,
        ip: b.sending_ip,
        helo: b.helo.clone(),
        reason,
        hops,
        chosen,
        bounce: Some(b),
        ..Extracted::default()
    }
}

/// The client's command in a transcript line: `EHLO x` after an optional prompt such as swaks'
/// ` -> `, mailsend's `[C] `, `C: ` or `> `.
fn client_command(line: &str) -> Option<&str> {
    let line = line.trim();
    let line = ["->", "[C]", "C:", ">>>", ">"]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(line)
        .trim_start();
    let verb = line.get(..4)?;
    (["EHLO", "HELO", "LHLO"]
        .iter()
        .any(|v| verb.eq_ignore_ascii_case(v))
        && (line.len() == 4 || line[4..].starts_with([' ', '\t'])))
    .then_some(line)
}

/// An SMTP transcript's EHLO command (swaks, telnet, mailsend -v), a single `250`/`220` reply
/// line, or a paste that is one host name or literal.
fn ehlo(text: &str) -> Option<Extracted> {
    let one_line = text.lines().filter(|l| !l.trim().is_empty()).count() == 1;
    if let Some((n, line)) = text
        .lines()
        .enumerate()
        .find_map(|(n, l)| client_command(l).map(|c| (n, c)))
    {
        let helo = crate::identity::helo::parse_helo(line);
        return Some(Extracted {
            format: Format::Ehlo,
            reason: if one_line {
                format!(
                    "The EHLO argument is the first word after `{}`.",
                    &line[..4]
                )
            } else {
                format!("Line {} is the client's `{}` command.", n + 1, &line[..4])
            },
            helo: Some(helo.name),
            ..Extracted::default()
        });
    }
    // Otherwise only a one-line paste: a server reply, or one word.
    if !one_line {
        return None;
    }
    let first = text.trim();
    let verb = first.split_whitespace().next().unwrap_or("");
    let upper = verb.to_ascii_uppercase();
    let reply = ["220", "250"].contains(&upper.as_str())
        || upper.starts_with("250-")
        || upper.starts_with("220-");
    if !reply && first.split_whitespace().count() != 1 {
        return None;
    }
    let helo = crate::identity::helo::parse_helo(first);
    if !reply && helo.kind == crate::identity::helo::HeloKind::Invalid {
        return None;
    }
    Some(Extracted {
        format: Format::Ehlo,
        reason: if reply {
            format!(
                "The server's reply names it: the first word after `{}`.",
                &verb[..verb.len().min(4)]
            )
        } else {
            "The paste is one host name, read as the EHLO argument.".into()
        },
        helo: Some(helo.name),
        ..Extracted::default()
    })
}

fn unrecognised_reason(text: &str) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if crate::dns::parse_ip(first).is_ok() && first.split_whitespace().count() == 1 {
        return format!(
            "`{}` is an address, not pasted text: check it as the sending IP.",
            crate::dns::shorten(first)
        );
    }
    if text.contains('\0')
        || text
            .chars()
            .filter(|c| c.is_control() && !c.is_whitespace())
            .take(8)
            .count()
            == 8
    {
        return "The paste looks like binary data, not text.".into();
    }
    "The paste has no bounce or SMTP reply, no Received header, no Postfix or Exim log line naming a client address, no Postfix or Exim settings and no EHLO line.".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ehlo_lines() {
        let x = extract("EHLO Mail.Example.com.\n").unwrap();
        assert_eq!(
            (x.format, x.helo.as_deref(), x.ip),
            (Format::Ehlo, Some("mail.example.com"), None)
        );
        let x = extract("250-mail.example.com Hello [192.0.2.1]").unwrap();
        assert_eq!(x.helo.as_deref(), Some("mail.example.com"));
        assert_eq!(
            x.reason,
            "The server's reply names it: the first word after `250-`."
        );
        let swaks = "=== Trying localhost:25...\n<-  220 mx.example.org ESMTP\n -> EHLO Client.Example.com\n<-  250 mx.example.org\n";
        let x = extract(swaks).unwrap();
        assert_eq!(x.helo.as_deref(), Some("client.example.com"));
        assert_eq!(x.reason, "Line 3 is the client's `EHLO` command.");
        let x = extract("  mail.example.com  ").unwrap();
        assert_eq!(x.format, Format::Ehlo);
        let x = extract("HELO localhost").unwrap();
        assert_eq!(x.helo.as_deref(), Some("localhost"));
    }

    #[test]
    fn unrecognised_text_says_what_is_accepted() {
        let e = extract("hello there, my mail bounces").unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("The paste has no bounce or SMTP reply"),
            "{text}"
        );
        for f in Format::ALL {
            assert!(text.contains(f.sample()), "{text}");
        }
        assert_eq!(
            extract("192.0.2.1").unwrap_err().reason,
            "`192.0.2.1` is an address, not pasted text: check it as the sending IP."
        );
        assert_eq!(extract(" \n\t").unwrap_err().reason, "Nothing was pasted.");
        assert!(extract("word").is_err());
    }

    #[test]
    fn huge_paste_is_refused_with_its_size() {
        let big = "a".repeat(MAX_PASTE + 1);
        let e = extract(&big).unwrap_err();
        assert!(
            e.reason.starts_with("The paste is 4194305 bytes"),
            "{}",
            e.reason
        );
    }
}
