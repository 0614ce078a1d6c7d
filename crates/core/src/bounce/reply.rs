//! One SMTP reply (RFC 5321 §4.2): its code, its enhanced status (RFC 3463 §2, RFC 2034) and its
//! text, however the bounce or log wrapped it, and what the text names: the sending address the
//! receiver saw, and the blocklists it consulted.

use std::net::IpAddr;

use crate::dns::{non_public_reason, DomainName};
use crate::paste::text::plain_ip;

use super::status::parse_status;

/// Longest reply text kept (a real reply is a few hundred characters).
const MAX_TEXT: usize = 2000;

/// A receiver's reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// The basic reply code (`550`); `None` when the text carries none (Exim's own rejection
    /// lines).
    pub code: Option<u16>,
    /// The enhanced status (`5.7.25`), when the reply gives one.
    pub status: Option<String>,
    /// The text after the code and status, with multi-line continuation prefixes (`550-5.7.1 `)
    /// and line wrapping removed.
    pub text: String,
}

/// A basic reply code of class 4 or 5 (`550`, or `550-…` opening a multi-line reply).
fn code_of(token: &str) -> Option<(u16, &str)> {
    let head = token.get(..3)?;
    let rest = &token[3..];
    let code: u16 = head
        .parse()
        .ok()
        .filter(|_| head.bytes().all(|b| b.is_ascii_digit()))?;
    if !(400..600).contains(&code) {
        return None;
    }
    if rest.is_empty() {
        return Some((code, ""));
    }
    rest.strip_prefix('-').map(|r| (code, r))
}

/// An enhanced status as written in a reply: `5.7.1`, `#5.7.1`, `5.7.1:`, `(5.7.1)`.
fn status_of(token: &str) -> Option<String> {
    let t = token
        .trim_start_matches(['#', '('])
        .trim_end_matches([',', ';', ':', ')']);
    parse_status(t).map(|_| t.to_string())
}

impl Reply {
    /// Reads a reply from text that starts with it, or has it within its first few words (an
    /// NDR's `< #5.7.1 X-ASE-Secure-MTA; 550 5.7.1 Access denied …>`). Lines may be wrapped
    /// anywhere; the continuation prefixes of a multi-line reply (`550-5.7.1`, `550-`, a lone
    /// `550 5.7.1` before its last line) are removed wherever they fall. `None` when no reply
    /// code opens the text.
    ///
    /// ```
    /// use sendercheck_core::bounce::reply::Reply;
    /// let r = Reply::parse("550-5.7.25 [192.0.2.10] The IP address sending this message does not\n\
    ///                       550-5.7.25 have a PTR record setup. m1si - gsmtp").unwrap();
    /// assert_eq!((r.code, r.status.as_deref()), (Some(550), Some("5.7.25")));
    /// assert_eq!(r.text, "[192.0.2.10] The IP address sending this message does not have a PTR record setup. m1si - gsmtp");
    /// ```
    pub fn parse(raw: &str) -> Option<Reply> {
        let tokens: Vec<&str> = raw.split_whitespace().collect();
        let start = tokens.iter().take(8).position(|t| code_of(t).is_some())?;
        let (code, first_rest) = code_of(tokens[start])?;
        let mut rest: Vec<&str> = Vec::new();
        if !first_rest.is_empty() {
            rest.push(first_rest);
        }
        rest.extend(&tokens[start + 1..]);
        // The status opens the text: `550 5.7.1 …`, `550-5.7.1 …`, `550 #5.7.1 …`.
        let status = rest.first().and_then(|t| status_of(t));
        if status.is_some() {
            rest.remove(0);
        }
        let c = code.to_string();
        let dash = format!("{c}-");
        let multi = tokens.iter().skip(start).any(|t| t.starts_with(&dash));
        let is_status = |t: &str| {
            status
                .as_deref()
                .is_some_and(|s| status_of(t).as_deref() == Some(s))
        };
        let mut words: Vec<&str> = Vec::with_capacity(rest.len());
        let mut i = 0;
        while i < rest.len() {
            let t = rest[i];
            i += 1;
            if let Some(after) = t.strip_prefix(&dash) {
                // `550-5.7.1` or `550-Text`.
                if !after.is_empty() && !is_status(after) {
                    words.push(after);
                }
                continue;
            }
            if t == c && (multi || rest.get(i).is_some_and(|n| is_status(n))) {
                // The last line's `550 5.7.1` (or `550` alone after `550-` lines).
                if rest.get(i).is_some_and(|n| is_status(n)) {
                    i += 1;
                }
                continue;
            }
            words.push(t);
        }
        let mut text = words.join(" ");
        if text.len() > MAX_TEXT {
            text = crate::paste::text::head(&text, MAX_TEXT).to_string() + "…";
        }
        Some(Reply {
            code: Some(code),
            status,
            text,
        })
    }

    /// A rejection written without a reply code (Exim's `rejected RCPT <x>: relay not
    /// permitted`): the text only, with its enhanced status when it opens with one.
    pub fn without_code(raw: &str) -> Reply {
        let mut words: Vec<&str> = raw.split_whitespace().collect();
        let status = words.first().and_then(|t| status_of(t));
        if status.is_some() {
            words.remove(0);
        }
        Reply {
            code: None,
            status,
            text: crate::paste::text::head(&words.join(" "), MAX_TEXT).to_string(),
        }
    }

    /// Permanent (5xx) or temporary (4xx), from the reply code, else the status's class.
    pub fn permanent(&self) -> Option<bool> {
        match self.code {
            Some(c) => Some(c >= 500),
            None => self
                .status
                .as_deref()
                .and_then(parse_status)
                .map(|(class, ..)| class == 5),
        }
    }

    /// The reply as one line: `550 5.7.25 text`.
    pub fn line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = self.code {
            parts.push(c.to_string());
        }
        if let Some(s) = &self.status {
            parts.push(s.clone());
        }
        if !self.text.is_empty() {
            parts.push(self.text.clone());
        }
        parts.join(" ")
    }

    /// The text rules match against: the whole reply on one line.
    pub fn matched_text(&self) -> String {
        self.line()
    }
}

/// The address a reply names as the client's: in brackets (`[192.0.2.10]`, Gmail, Microsoft,
/// Postfix), else as a parameter (`ip=192.0.2.10`, `?ipr=`, GMX/web.de's explanation links),
/// else written plainly (`Messages from 192.0.2.10`, Yahoo, Comcast). Addresses no receiver can
/// see (loopback, private, link-local) and `receiver` (the server that replied) are never taken.
pub fn sending_ip(text: &str, receiver: Option<IpAddr>) -> Option<IpAddr> {
    let usable = |ip: IpAddr| non_public_reason(ip).is_none() && Some(ip) != receiver;
    let trim = |w: &str| -> String {
        w.trim_end_matches([',', ';', ':', '.', ')', '>', '\'', '"'])
            .to_string()
    };
    let words: Vec<&str> = text.split_whitespace().take(400).collect();
    let bracketed = words.iter().find_map(|w| {
        let inner = w.trim_start_matches(['(', '<']).strip_prefix('[')?;
        let inner = inner.split(']').next().unwrap_or(inner);
        plain_ip(&trim(inner)).filter(|ip| usable(*ip))
    });
    if bracketed.is_some() {
        return bracketed;
    }
    let parameter = words.iter().find_map(|w| {
        ["ip=", "ipr=", "ip:", "v="].iter().find_map(|key| {
            let lower = w.to_ascii_lowercase();
            let at = lower.find(key)?;
            // `v=` only as a whole parameter, not the end of another word.
            if *key == "v=" && at > 0 && !w[..at].ends_with(['?', '&']) {
                return None;
            }
            let after = &w[at + key.len()..];
            let end = after
                .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
                .unwrap_or(after.len());
            plain_ip(after[..end].trim_end_matches([':', '.'])).filter(|ip| usable(*ip))
        })
    });
    if parameter.is_some() {
        return parameter;
    }
    words.iter().find_map(|w| {
        let w = w.rsplit(['\\', '?']).next().unwrap_or(w);
        let w = trim(w.trim_start_matches(['(', '<', '"', '\'']));
        // Version numbers such as Yahoo's `4.16.55.1` parse as addresses too, so only the first
        // plain address counts: the receiver names the client before any such number.
        (w.contains('.') || w.contains(':'))
            .then(|| plain_ip(&w))
            .flatten()
            .filter(|ip| usable(*ip))
    })
}

/// The DNS blocklists a reply names as the reason: `blocked using ZONE` (Postfix
/// `reject_rbl_client`, postscreen), `is in a black list at ZONE` (Exim `dnslists`), `by ZONE
/// DNSBL`. Zones that embed a subscriber's key (a long random label) are left out: asking them
/// would use the receiver's subscription.
pub fn named_lists(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().take(400).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = |n: usize| words.get(i + n).copied();
        let candidate = match w.to_ascii_lowercase().as_str() {
            "using" if i > 0 && words[i - 1].eq_ignore_ascii_case("blocked") => next(1),
            "at" if i > 1
                && words[i - 1].eq_ignore_ascii_case("list")
                && words[i - 2].eq_ignore_ascii_case("black") =>
            {
                next(1)
            }
            "dnsbl" | "dnsbl." | "rbl" if i > 0 => Some(words[i - 1]),
            _ => None,
        };
        let Some(zone) = candidate else { continue };
        let zone = zone
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .to_ascii_lowercase();
        let keyed = zone
            .split('.')
            .any(|l| l.len() >= 20 && l.bytes().any(|b| b.is_ascii_digit()));
        let Ok(name) = DomainName::parse(&zone) else {
            continue;
        };
        let tld_ok = name
            .labels()
            .last()
            .is_some_and(|l| l.bytes().all(|b| b.is_ascii_alphabetic()));
        if name.label_count() >= 2
            && tld_ok
            && !keyed
            && !out.contains(&name.to_string())
            && out.len() < 5
        {
            out.push(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Reply {
        Reply::parse(s).unwrap_or_else(|| panic!("no reply in {s}"))
    }

    #[test]
    fn multi_line_replies_fold_wherever_they_were_wrapped() {
        // Postfix puts the lines together and wraps at 80 columns.
        let r = parse("550-5.7.1 [192.0.2.59] The IP address sending this message does not have\na PTR 550-5.7.1 record setup. As a policy, Gmail does not accept messages\nfrom IPs 550-5.7.1 with missing PTR records. Please visit 550-5.7.1\nhttps://support.google.com/mail/answer/81126#authentication for more 550\n5.7.1 information. p1si12051002jaj.114 - gsmtp");
        assert_eq!(r.text, "[192.0.2.59] The IP address sending this message does not have a PTR record setup. As a policy, Gmail does not accept messages from IPs with missing PTR records. Please visit https://support.google.com/mail/answer/81126#authentication for more information. p1si12051002jaj.114 - gsmtp");
        // GMX: continuation prefixes without a status.
        let r = parse("550-Requested action not taken: mailbox unavailable 550-Reject due to\npolicy restrictions. 550 For explanation visit\nhttp://postmaster.gmx.com/en/error-messages?ip=192.0.2.157&c=poli");
        assert_eq!((r.code, r.status.as_deref()), (Some(550), None));
        assert_eq!(r.text, "Requested action not taken: mailbox unavailable Reject due to policy restrictions. For explanation visit http://postmaster.gmx.com/en/error-messages?ip=192.0.2.157&c=poli");
        // Cisco's `#5.7.1`, and a reply inside an NDR's quotes.
        let r = parse(
            "550 #5.7.1 Your access to submit messages to this e-mail system has been rejected.",
        );
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        let r = parse("< #5.7.1 X-ASE-Secure-MTA; 550 5.7.1 Access denied to 192.0.2.215 by dnsbl.spam.fail DNSBL (http://spam.fail/)>");
        assert_eq!((r.code, r.status.as_deref()), (Some(550), Some("5.7.1")));
        assert!(r.text.starts_with("Access denied to 192.0.2.215"));
        // A reply repeating its code as text is left alone without continuation lines.
        assert_eq!(
            parse("550 550 unknown user (state 14).").text,
            "550 unknown user (state 14)."
        );
        assert_eq!(Reply::parse("Client host rejected"), None);
        assert_eq!(Reply::parse("250 2.0.0 Ok"), None);
        assert_eq!(parse("421 4.7.0 [TS03] x").permanent(), Some(false));
        assert_eq!(Reply::without_code("relay not permitted").permanent(), None);
    }

    #[test]
    fn the_sending_address_is_the_one_the_receiver_names() {
        let ip = |t: &str| sending_ip(t, None).map(|i| i.to_string());
        assert_eq!(
            ip("[192.0.2.25] The IP address sending this message"),
            Some("192.0.2.25".into())
        );
        assert_eq!(
            ip("Unfortunately, messages from [192.0.2.44] weren't sent."),
            Some("192.0.2.44".into())
        );
        assert_eq!(
            ip("[192.0.2.25 12] Our system has detected"),
            Some("192.0.2.25".into())
        );
        assert_eq!(
            ip("Client host rejected: cannot find your hostname, [192.0.2.222]"),
            Some("192.0.2.222".into())
        );
        assert_eq!(ip("For explanation visit https://www.gmx.net/mail/senderguidelines?ip=192.0.2.145&c=rdns"), Some("192.0.2.145".into()));
        assert_eq!(
            ip("Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.44)"),
            Some("192.0.2.44".into())
        );
        assert_eq!(ip("[TSS04] Messages from 192.0.2.209 temporarily deferred due to user complaints - 4.16.55.1; see"), Some("192.0.2.209".into()));
        assert_eq!(
            ip("resimta-po-09v.sys.comcast.net comcast 192.0.2.14 Comcast block for spam."),
            Some("192.0.2.14".into())
        );
        assert_eq!(
            ip("[IPv6:2001:db8::10] The IP address"),
            Some("2001:db8::10".into())
        );
        assert_eq!(ip("Message rejected due to local policy. [CS01]"), None);
        assert_eq!(
            ip("[BY2NAM01FT030.eop-nam01.prod.protection.outlook.com]"),
            None
        );
        // The replying server's own address is never the sender's.
        let receiver = "203.0.113.60".parse().ok();
        assert_eq!(
            sending_ip("host mx.example.net [203.0.113.60]: 554 no", receiver),
            None
        );
        assert_eq!(ip("from [127.0.0.1]"), None);
    }

    #[test]
    fn blocklists_named_in_replies() {
        assert_eq!(named_lists("Service unavailable; Client host [192.0.2.113] blocked using zen.spamhaus.org; http://www.spamhaus.org/query/bl?ip=192.0.2.113"), ["zen.spamhaus.org"]);
        assert_eq!(
            named_lists("client [192.0.2.235] blocked using b.barracudacentral.org;"),
            ["b.barracudacentral.org"]
        );
        assert_eq!(
            named_lists("rejected because 192.0.2.1 is in a black list at bl.spamcop.net"),
            ["bl.spamcop.net"]
        );
        assert_eq!(
            named_lists(
                "Access denied to 192.0.2.215 by dnsbl.spam.fail DNSBL (http://spam.fail/)"
            ),
            ["dnsbl.spam.fail"]
        );
        assert!(named_lists(
            "blocked using ASHB2VH2LBAJDLPVLNZ7XFLPCMMA4HP.r.mail-abuse.com; Mail from"
        )
        .is_empty());
        assert!(named_lists("blocked using the rules").is_empty());
    }
}
