//! MTA log lines: Postfix's smtpd and Exim's main log name the client as the receiver saw it.
//!
//! Postfix (smtpd(8) logging): `connect from NAME[IP]`, `NOQUEUE: reject: RCPT from NAME[IP]: …;
//! from=<…> to=<…> proto=ESMTP helo=<HELO>`, `client=NAME[IP]`, with NAME `unknown` when the
//! reverse name did not verify, and the warnings `hostname NAME does not resolve to address IP`,
//! `IP: address not listed for hostname NAME`, `IP: hostname NAME verification failed`.
//!
//! Exim (spec ch. "Log files"): `H=NAME (HELO) [IP]:PORT`, `H=(HELO) [IP]` with no verified name,
//! `H=NAME [IP]` when the EHLO name equals it; on `<=` arrivals and `rejected` lines the host is the
//! client, on `=>`/`->`/`**`/`==`/`*>` deliveries, and on any line with `SMTP error from remote
//! mail server`, it is the remote server: never the sender, whatever the reply's words (a
//! deferral's reply may well say "rejected").
//!
//! On the sending side both logs quote the receiver's refusal, and Gmail's names the address it
//! saw: `said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a PTR
//! record`. That address ([`crate::bounce`] reads it, never the receiver's `host H[IP]`) is taken
//! when no client line names one; the first line quoting a receiver's reply becomes
//! [`Extracted::bounce`].

use std::net::IpAddr;

use super::text::{bracketed_ip, helo_name, host_name, key_value, name_and_ip, plain_ip};
use super::{Extracted, Format};
use crate::dns::{non_public_reason, shorten};

/// What one log line says about a client.
#[derive(Default)]
struct Client {
    ip: Option<IpAddr>,
    name: Option<String>,
    helo: Option<String>,
    /// The receiver's refusal names the address (the sender's own log).
    quoted: bool,
    /// The line names the client by address only, with no reverse lookup (postscreen).
    unnamed: bool,
}

pub(super) fn extract(text: &str) -> Option<Extracted> {
    let postfix = text.contains("postfix/")
        || text.contains("connect from ")
        || text.contains("RCPT from ")
        || text.contains("does not resolve to address");
    let (format, read): (Format, fn(&str) -> Option<Client>) = if exim_like(text) {
        (Format::EximLog, exim_line)
    } else if postfix {
        (Format::PostfixLog, postfix_line)
    } else {
        return None;
    };
    let clients: Vec<(usize, Client, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(n, line)| read(line).map(|c| (n + 1, c, line)))
        .collect();
    let bounce = crate::bounce::log::from_log(text).map(|(_, b)| b);
    if clients.is_empty() && format == Format::PostfixLog && bounce.is_none() {
        return None;
    }
    // The first public client address: a local submission (127.0.0.1, a LAN host) logged before
    // it is not what receivers see.
    let public = |c: &Client| c.ip.is_some_and(|ip| non_public_reason(ip).is_none());
    let pick = clients
        .iter()
        .position(|(_, c, _)| public(c))
        .or_else(|| clients.iter().position(|(_, c, _)| c.ip.is_some()));
    let mut chosen: Option<(usize, Client, &str)> = None;
    let mut others: Vec<IpAddr> = Vec::new();
    let mut skipped_private = false;
    for (i, (n, c, line)) in clients.into_iter().enumerate() {
        if Some(i) == pick {
            chosen = Some((n, c, line));
            continue;
        }
        match &mut chosen {
            Some((_, first, _)) if c.ip == first.ip => {
                first.helo = first.helo.take().or(c.helo);
                // postscreen names no host; the smtpd line after it does (or says `unknown`).
                if first.name.is_none() && !first.quoted && (c.name.is_some() || first.unnamed) {
                    first.unnamed = c.unnamed;
                    first.name = c.name;
                }
            }
            None if c.ip.is_some() && pick.is_some_and(|p| i < p) => skipped_private = true,
            _ => {
                if let Some(ip) = c.ip.filter(|ip| !others.contains(ip)) {
                    if others.len() < 100 {
                        others.push(ip);
                    }
                }
            }
        }
    }
    let mut notes = Vec::new();
    if skipped_private {
        notes.push("Lines above it name only private or loopback clients (local submission), which receivers never see.".to_string());
    }
    let mut x = Extracted {
        format,
        notes,
        bounce,
        ..Extracted::default()
    };
    let Some((n, c, line)) = chosen else {
        x.reason = match &x.bounce {
            Some(_) => "No line names the sending address: the receiver's reply quoted in the log does not name it, and its `host H[IP]` is the receiver's own.".into(),
            None => "No line names a client address.".into(),
        };
        return Some(x);
    };
    x.ip = c.ip;
    x.helo = c.helo;
    x.rdns_unknown = c.name.is_none() && !c.quoted && !c.unnamed;
    x.rdns_seen = c.name;
    x.reason = if c.quoted {
        format!(
            "Line {n} quotes the receiver's refusal, which names the address it saw: `{}`",
            shorten(line)
        )
    } else {
        format!("Line {n} names the client: `{}`", shorten(line))
    };
    if let Some(ip) = x.ip {
        if !others.is_empty() {
            let list: Vec<String> = others.iter().take(5).map(ToString::to_string).collect();
            x.notes.push(format!(
                "The log also names {} other client address{} ({}{}); this check uses {ip}.",
                others.len(),
                if others.len() == 1 { "" } else { "es" },
                list.join(", "),
                if others.len() > 5 { ", …" } else { "" }
            ));
        }
    }
    Some(x)
}

/// Whether some line has Exim's `H=` host field or its connection notation, or is an Exim
/// delivery line quoting a remote server's error.
fn exim_like(text: &str) -> bool {
    text.lines().any(|l| {
        ((l.contains(" H=") || l.starts_with("H=")) && l.contains('['))
            || (l.contains("SMTP error from remote") && !l.contains("postfix/"))
    })
}

/// The address a receiver's quoted reply on this line names as the client (Postfix `said:` and
/// `refused to talk to me:`, Exim's `SMTP error from remote mail server`), read by
/// [`crate::bounce`]: never the replying server's own `H[IP]`.
fn quoted_address(line: &str) -> Option<IpAddr> {
    if !(line.contains(" said: ")
        || line.contains("SMTP error from remote")
        || line.contains("refused to talk to me"))
    {
        return None;
    }
    crate::bounce::log::from_log(line).and_then(|(_, b)| b.sending_ip)
}

fn postfix_line(line: &str) -> Option<Client> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut c = Client::default();
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = key_value(w, "helo=") {
            c.helo = helo_name(v);
        }
        if c.ip.is_some() {
            continue;
        }
        let after_from = i > 0 && words[i - 1] == "from";
        let client = w.strip_prefix("client=").filter(|_| !after_from);
        if let Some((name, ip)) = client.or(after_from.then_some(*w)).and_then(name_and_ip) {
            c.ip = Some(ip);
            c.name = (name != "unknown").then_some(name);
        } else if let Some(ip) = after_from.then(|| bracketed_ip(w)).flatten() {
            // postscreen: `CONNECT from [IP]:PORT`, with no reverse lookup.
            c.ip = Some(ip);
            c.unnamed = true;
        }
    }
    if c.ip.is_none() {
        if let Some(at) = words.iter().position(|w| *w == "resolve") {
            // warning: hostname NAME does not resolve to address IP[: reason]
            if words.get(at + 1..at + 3) == Some(&["to", "address"][..]) {
                c.ip = words
                    .get(at + 3)
                    .and_then(|w| plain_ip(w.trim_end_matches(':')));
            }
        } else if let Some(w) = words.iter().position(|w| *w == "warning:") {
            // warning: IP: address not listed for hostname NAME / IP: hostname NAME verification failed
            let next = words.get(w + 1).map(|s| s.trim_end_matches(':'));
            if line.contains("not listed for hostname") || line.contains("verification failed") {
                c.ip = next.and_then(plain_ip);
            }
        }
    }
    if c.ip.is_none() {
        c.ip = quoted_address(line);
        c.quoted = c.ip.is_some();
    }
    (c.ip.is_some() || c.helo.is_some()).then_some(c)
}

fn exim_line(line: &str) -> Option<Client> {
    let words: Vec<&str> = line.split_whitespace().collect();
    // Only arrivals (`<=`) and rejections name the client in `H=`; on deliveries (`=>`, `->`,
    // `**`, `==`, `*>`), on a remote server's error and on other lines it is the remote server.
    // Syslog may prefix the line.
    let delivery = words
        .iter()
        .any(|w| matches!(*w, "=>" | "->" | "**" | "==" | "*>"))
        || line.contains("SMTP error from remote");
    let arrival = !delivery
        && (words.contains(&"<=") || line.contains("rejected") || line.contains("refused"));
    let mut c = Client::default();
    if arrival || (!delivery && line.contains("connection from")) {
        let start = words
            .iter()
            .position(|w| w.starts_with("H=") && arrival)
            .map(|i| (i, true))
            .or_else(|| {
                // SMTP connection from NAME (HELO) [IP]:PORT … / rejected EHLO from (HELO) [IP]
                words
                    .windows(2)
                    .position(|p| p[1] == "from" && matches!(p[0], "connection" | "EHLO" | "HELO"))
                    .map(|i| (i + 2, false))
            });
        if let Some((i, prefixed)) = start {
            let mut host = words[i..].iter().take(3).copied();
            let mut first = host.next().unwrap_or("");
            if prefixed {
                first = &first[2..];
            }
            let mut parts = std::iter::once(first).chain(host);
            let mut name = None;
            for w in parts.by_ref() {
                if let Some(ip) = bracketed_ip(w) {
                    c.ip = Some(ip);
                    break;
                }
                if let Some(h) = w.strip_prefix('(').and_then(|h| h.strip_suffix(')')) {
                    c.helo = helo_name(h);
                } else if !w.is_empty() && name.is_none() {
                    name = Some(host_name(w));
                }
            }
            if c.ip.is_some() {
                if c.helo.is_none() {
                    c.helo.clone_from(&name);
                }
                c.name = name;
            }
        }
    }
    if c.ip.is_none() {
        c.ip = quoted_address(line);
        c.quoted = c.ip.is_some();
    }
    c.ip.is_some().then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Extracted {
        extract(text).expect("recognised")
    }

    #[test]
    fn postfix_lines() {
        let x = one(
            "Nov 27 10:00:00 mx postfix/smtpd[1234]: connect from mail.example.com[192.0.2.10]",
        );
        assert_eq!(
            (
                x.format,
                x.ip.unwrap().to_string(),
                x.rdns_seen.as_deref(),
                x.helo
            ),
            (
                Format::PostfixLog,
                "192.0.2.10".into(),
                Some("mail.example.com"),
                None
            )
        );

        let x = one("Nov 27 10:00:01 mx postfix/smtpd[1234]: NOQUEUE: reject: RCPT from unknown[2001:db8::10]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [2001:db8::10]; from=<a@example.com> to=<b@example.net> proto=ESMTP helo=<Mail.Example.com>");
        assert_eq!(
            (
                x.ip.unwrap().to_string(),
                x.rdns_seen,
                x.rdns_unknown,
                x.helo.as_deref()
            ),
            ("2001:db8::10".into(), None, true, Some("mail.example.com"))
        );

        let x = one("Nov 27 10:00:00 mx postfix/smtpd[1234]: warning: hostname mail.example.com does not resolve to address 192.0.2.10: Name or service not known\nNov 27 10:00:00 mx postfix/smtpd[1234]: connect from unknown[192.0.2.10]\nNov 27 10:00:02 mx postfix/smtpd[1234]: NOQUEUE: reject: RCPT from unknown[192.0.2.10]: 554 5.7.1 x; from=<a@example.com> to=<b@example.net> proto=ESMTP helo=<mail.example.com>\nNov 27 10:01:00 mx postfix/smtpd[99]: connect from other.example.org[198.51.100.7]");
        assert_eq!(
            (x.ip.unwrap().to_string(), x.rdns_seen, x.helo.as_deref()),
            ("192.0.2.10".into(), None, Some("mail.example.com"))
        );
        assert!(
            x.reason.starts_with("Line 1 names the client"),
            "{}",
            x.reason
        );
        assert_eq!(x.notes, ["The log also names 1 other client address (198.51.100.7); this check uses 192.0.2.10."]);
    }

    #[test]
    fn sending_side_bounce_quotes_the_address() {
        let x = one("Nov 27 10:00:00 mail postfix/smtp[777]: 4AbC: to=<b@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.2, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup (in reply to end of DATA command))");
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert!(x.reason.contains("quotes the receiver's refusal"));
        assert!(!x.rdns_unknown);
    }

    #[test]
    fn exim_lines() {
        let x = one("2026-11-27 10:00:00 1tAbCd-000123-Ef <= alice@example.com H=host.example.com (mail.example.com) [192.0.2.10]:41234 P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 S=1234 id=x@example.com");
        assert_eq!(
            (
                x.format,
                x.ip.unwrap().to_string(),
                x.rdns_seen.as_deref(),
                x.helo.as_deref()
            ),
            (
                Format::EximLog,
                "192.0.2.10".into(),
                Some("host.example.com"),
                Some("mail.example.com")
            )
        );

        let x = one("2026-11-27 10:00:00 H=(Mail.Example.com) [2001:db8::10]:41234 F=<a@example.com> rejected RCPT <b@example.org>: relay not permitted");
        assert_eq!(
            (
                x.ip.unwrap().to_string(),
                x.rdns_seen,
                x.rdns_unknown,
                x.helo.as_deref()
            ),
            ("2001:db8::10".into(), None, true, Some("mail.example.com"))
        );

        let x = one("2026-11-27 10:00:00 1tAbCd-000123-Ef <= a@example.com H=mail.example.com [192.0.2.10] P=esmtp S=10");
        assert_eq!(
            (x.rdns_seen.as_deref(), x.helo.as_deref()),
            (Some("mail.example.com"), Some("mail.example.com"))
        );

        let x = one("2026-11-27 10:00:00 1tAbCd-000123-Ef ** b@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.102.27] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after pipelined end of data: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a PTR record setup");
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
    }

    #[test]
    fn review_findings_from_real_logs() {
        // Syslog-prefixed Exim delivery: the remote server is not the client; the quoted
        // address is.
        let x = one("Jun 12 10:00:00 mail exim[4242]: 2026-06-12 10:00:00 1sXabc-000123-Ab ** b@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.102.27]: SMTP error from remote mail server after end of data: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a PTR record");
        assert_eq!(
            (x.ip.unwrap().to_string(), x.rdns_seen),
            ("192.0.2.10".into(), None)
        );
        // A local submission logged first does not hide the public client.
        let x = one("Nov 27 10:00:00 mx postfix/smtpd[1]: connect from localhost[127.0.0.1]\nNov 27 10:00:01 mx postfix/smtpd[2]: connect from mail.example.com[192.0.2.10]\n");
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert!(
            x.notes[0].starts_with("Lines above it name only private or loopback clients"),
            "{:?}",
            x.notes
        );
        // postscreen names no host; the smtpd line after it does.
        let x = one("Nov 27 10:00:00 mx postfix/postscreen[1]: CONNECT from [192.0.2.10]:41234 to [198.51.100.1]:25\nNov 27 10:00:01 mx postfix/smtpd[2]: connect from unknown[192.0.2.10]\n");
        assert_eq!((x.rdns_seen, x.rdns_unknown), (None, true));
        let x = one("Nov 27 10:00:00 mx postfix/postscreen[1]: CONNECT from [192.0.2.10]:41234 to [198.51.100.1]:25\n");
        assert_eq!((x.rdns_seen, x.rdns_unknown), (None, false));
        // header_checks lines end the helo with a colon.
        let x = one("Nov 27 10:00:00 mx postfix/cleanup[3]: 4AbC: warning: header Subject: hi from mail.example.com[192.0.2.10]; from=<a@example.com> to=<b@example.net> proto=ESMTP helo=<mail.example.com>: x");
        assert_eq!(x.helo.as_deref(), Some("mail.example.com"));
    }
}
