//! MTA log lines that quote a receiver's reply.
//!
//! Sending side (the reply is the remote server's; its `host H[IP]` is the receiver, never the
//! sender): Postfix smtp(8) `status=bounced|deferred|expired (host H[IP] said: REPLY (in reply to
//! X command))` and `(host H[IP] refused to talk to me: REPLY)`; Exim's `**` (bounced) and `==`
//! (deferred) lines and its standalone `SMTP error from remote mail server after X: host H [IP]:
//! REPLY`, with `\n` written between the lines of a multi-line reply; Sendmail's `stat=Deferred:
//! REPLY` with `relay=H. [IP]`.
//!
//! Receiving side (the line is the receiver's own; its client is the sender): Postfix smtpd and
//! postscreen `NOQUEUE: reject: RCPT from H[IP]: REPLY; from=<…> to=<…> proto=… helo=<…>`, Exim's
//! `H=(helo) [IP] F=<…> rejected RCPT <…>: REASON`.

use super::assemble::{assemble, Read};
use super::dsn::{address, command};
use super::reply::Reply;
use super::{Bounce, Source};
use crate::paste::text::{bracketed_ip, host_name, key_value, name_and_ip};

/// Lines looked at for a reply (a log of a busy day has many; the first reply found is used).
const MAX_LINES: usize = 100_000;

/// Whether a line looks like a syslog or Exim main log line: a timestamp first, or Postfix's
/// program tag.
fn log_line(line: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("/var/log/")
        .map_or(t, |r| r.split_once(':').map_or(r, |(_, x)| x));
    let words: Vec<&str> = t.split_whitespace().take(3).collect();
    let syslog = words.len() == 3
        && [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .contains(&words[0])
        && words[1].parse::<u8>().is_ok()
        && words[2].len() == 8
        && words[2].as_bytes()[2] == b':';
    let dated = t.len() > 19
        && t.as_bytes()[4] == b'-'
        && t.as_bytes()[7] == b'-'
        && t[..4].bytes().all(|b| b.is_ascii_digit());
    syslog || dated || t.contains("postfix/")
}

/// Whether the paste is Postfix or Exim log lines (most non-empty lines are): the paste reads
/// those as logs, with their bounce attached.
pub(crate) fn is_mta_log(text: &str) -> bool {
    let mut total = 0usize;
    let mut logs = 0usize;
    for l in text.lines().filter(|l| !l.trim().is_empty()).take(200) {
        total += 1;
        logs += usize::from(log_line(l) && !l.contains("sendmail["));
    }
    total > 0 && logs * 2 > total
}

/// The host whose syslog line this is: the word after the timestamp.
fn syslog_host(line: &str) -> Option<String> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("/var/log/")
        .map_or(t, |r| r.split_once(':').map_or(r, |(_, x)| x));
    let words: Vec<&str> = t.split_whitespace().take(5).collect();
    let host = if words
        .first()
        .is_some_and(|w| w.contains('T') && w.as_bytes().get(4) == Some(&b'-'))
    {
        words.get(1)
    } else {
        words.get(3)
    }?;
    (!host.contains('[') && !host.contains(':') && !host.is_empty()).then(|| host_name(host))
}

/// The `<…>` value of `key=` in the line's words.
fn key(words: &[&str], k: &str) -> Option<String> {
    words.iter().find_map(|w| key_value(w, k)).and_then(address)
}

/// Postfix smtp(8): `to=<…>, relay=H[IP]:25, …, status=bounced (host H[IP] said: REPLY (in reply
/// to X command))`.
fn postfix_delivery(line: &str, all: &[&str]) -> Option<Read> {
    let lower = line.to_ascii_lowercase();
    let status = lower.find("status=")?;
    let (at, len) = lower[status..]
        .find(" said: ")
        .map(|a| (status + a, 7))
        .or_else(|| {
            lower[status..]
                .find(" refused to talk to me: ")
                .map(|a| (status + a, 24))
        })?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let head = &line[status..at];
    let host_word = head.split_whitespace().find_map(name_and_ip);
    let mut raw = line[at + len..].trim_end().to_string();
    if raw.ends_with(')') {
        raw.pop();
    }
    let (raw, cmd) = match raw.to_ascii_lowercase().find("(in reply to ") {
        Some(p) => (
            raw[..p].to_string(),
            command(
                raw[p + 13..]
                    .trim_end_matches(" command")
                    .trim_end_matches(" command)"),
            ),
        ),
        None => (raw, None),
    };
    let queue_id = words
        .iter()
        .position(|w| w.starts_with("to="))
        .and_then(|i| i.checked_sub(1))
        .map(|i| words[i]);
    let sender = queue_id.and_then(|id| {
        all.iter()
            .filter(|l| l.contains(id))
            .find_map(|l| key(&l.split_whitespace().collect::<Vec<_>>(), "from="))
    });
    Some(Read {
        source: Source::PostfixLog,
        reply: Reply::parse(&raw).or_else(|| Some(Reply::without_code(&raw))),
        receiver_host: host_word.as_ref().map(|(h, _)| h.clone()),
        receiver_ip: host_word.map(|(_, ip)| ip),
        // `refused to talk to me` is Postfix's word for a refused greeting.
        command: cmd.or_else(|| (len == 24).then(|| "CONNECT".to_string())),
        recipient: key(&words, "to="),
        sender,
        ..Read::default()
    })
}

/// Postfix smtpd/postscreen `reject:` lines: the receiver's own log, whose client is the sender.
fn postfix_reject(line: &str) -> Option<Read> {
    let at = line.find(" reject: ")?;
    let rest = &line[at + 9..];
    let mut words = rest.split_whitespace();
    let stage = words.next()?;
    let from = words.next()?;
    let client = words.next()?;
    if from != "from" {
        return None;
    }
    let client_ip = name_and_ip(client)
        .map(|(_, ip)| ip)
        .or_else(|| bracketed_ip(client));
    let after = rest.find(client).map(|p| &rest[p + client.len()..])?;
    let after = after.trim_start_matches(':').trim();
    let raw = after.split("; from=<").next().unwrap_or(after);
    let all: Vec<&str> = line.split_whitespace().collect();
    Some(Read {
        source: Source::PostfixLog,
        reply: Reply::parse(raw),
        receiver_host: syslog_host(line),
        command: match stage {
            "END-OF-MESSAGE" => command("DATA"),
            s => command(s),
        },
        recipient: key(&all, "to="),
        sender: key(&all, "from="),
        client_ip,
        ..Read::default()
    })
}

/// Exim: a delivery line with `SMTP error from remote mail server after X: …`.
fn exim_delivery(line: &str) -> Option<Read> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find("smtp error from remote")?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let marker = words.iter().position(|w| *w == "**" || *w == "==");
    let recipient = marker
        .and_then(|m| words.get(m + 1))
        .and_then(|w| address(w));
    let sender = words
        .iter()
        .find_map(|w| w.strip_prefix("F="))
        .and_then(address);
    // `H=NAME [IP]` before the error names the remote server.
    let h = words.iter().position(|w| w.starts_with("H="));
    let (mut host, mut ip) = match h {
        Some(i) => {
            let name = words[i][2..].trim_start_matches('(').trim_end_matches(')');
            let ip = words[i + 1..]
                .iter()
                .take(2)
                .find_map(|w| bracketed_ip(w.trim_end_matches(':')));
            (
                Some(host_name(name)).filter(|n| !n.is_empty() && !n.starts_with('[')),
                ip,
            )
        }
        None => (None, None),
    };
    let tail = &line[at..];
    let tail_lower = &lower[at..];
    let after = tail_lower.find(" after ").map_or(tail.len(), |a| a + 7);
    let clause = &tail[after.min(tail.len())..];
    // The command ends at `: host …` or at `: ` before the reply code.
    let bytes = clause.as_bytes();
    let end = (0..clause.len())
        .find(|&i| {
            bytes[i] == b':'
                && bytes.get(i + 1) == Some(&b' ')
                && (clause[i + 2..].starts_with("host ") || clause[i + 2..].starts_with(['4', '5']))
        })
        .unwrap_or(clause.len());
    let cmd = command(&clause[..end]);
    let mut rest = clause.get(end + 2..).unwrap_or("").trim_start();
    if let Some(h) = rest.strip_prefix("host ") {
        let mut it = h.split_whitespace();
        host = it.next().map(host_name).or(host);
        if let Some(b) = h.find("]:") {
            ip = h[..b + 1]
                .split_whitespace()
                .last()
                .and_then(bracketed_ip)
                .or(ip);
            rest = h[b + 2..].trim_start();
        }
    }
    let raw = rest.replace("\\n", " ");
    // `after MAIL FROM:<sender> SIZE=…` names the sender.
    let sender = sender.or_else(|| {
        let c = &clause[..end];
        c.to_ascii_uppercase()
            .find("MAIL FROM:")
            .and_then(|p| address(&c[p + 10..]))
    });
    Some(Read {
        source: Source::EximLog,
        reply: Reply::parse(&raw)
            .or_else(|| (!raw.trim().is_empty()).then(|| Reply::without_code(&raw))),
        receiver_host: host,
        receiver_ip: ip,
        command: cmd,
        recipient,
        sender,
        ..Read::default()
    })
}

/// Exim's own rejection: `H=(helo) [IP] F=<…> rejected RCPT <…>: REASON`.
fn exim_reject(line: &str) -> Option<Read> {
    let at = line.find(" rejected ")?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let h = words.iter().position(|w| w.starts_with("H="))?;
    let client_ip = words[h..]
        .iter()
        .take(4)
        .find_map(|w| bracketed_ip(w.trim_end_matches(':')))?;
    let rest = &line[at + 10..];
    let mut parts = rest.splitn(2, ' ');
    let stage = parts.next()?;
    let after = parts.next().unwrap_or("");
    let (target, reason) = after.split_once(": ")?;
    Some(Read {
        source: Source::EximLog,
        reply: Reply::parse(reason).or_else(|| Some(Reply::without_code(reason))),
        command: command(stage),
        recipient: (stage == "RCPT").then(|| address(target)).flatten(),
        sender: words
            .iter()
            .find_map(|w| w.strip_prefix("F="))
            .and_then(address),
        client_ip: Some(client_ip),
        ..Read::default()
    })
}

/// The first line of Postfix or Exim log lines that carries a receiver's reply, read as a bounce,
/// with its 1-based line number.
pub(crate) fn from_log(text: &str) -> Option<(usize, Bounce)> {
    let lines: Vec<&str> = text.lines().take(MAX_LINES).collect();
    lines.iter().enumerate().find_map(|(n, line)| {
        let read = if line.contains("SMTP error from remote") {
            exim_delivery(line)
        } else if line.contains(" reject: ") {
            postfix_reject(line)
        } else if line.contains("status=") {
            postfix_delivery(line, &lines)
        } else if line.contains(" rejected ") && line.contains("H=") {
            exim_reject(line)
        } else {
            None
        };
        let mut read = read.filter(|r| r.reply.is_some())?;
        if read.source == Source::EximLog && (read.recipient.is_none() || read.sender.is_none()) {
            exim_siblings(&mut read, line, &lines);
        }
        Some((n + 1, assemble(read)))
    })
}

/// Fills the recipient and sender of an Exim line from the message's other lines: the `**`/`==`
/// line names the recipient, the `<=` line (`F=` on others) the sender.
fn exim_siblings(read: &mut Read, line: &str, lines: &[&str]) {
    let words: Vec<&str> = line.split_whitespace().collect();
    // The message id follows the date and time: `2016-09-07 22:33:06 1bhOsE-0004e1-VJ`.
    let Some(id) = words.iter().find(|w| {
        w.len() >= 16
            && w.matches('-').count() == 2
            && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }) else {
        return;
    };
    for l in lines.iter().filter(|l| l.contains(id)).take(200) {
        let w: Vec<&str> = l.split_whitespace().collect();
        if let Some(m) = w.iter().position(|x| matches!(*x, "**" | "==" | "=>")) {
            if read.recipient.is_none() {
                read.recipient = w.get(m + 1).and_then(|r| address(r));
            }
        }
        if read.sender.is_none() {
            read.sender = match w.iter().position(|x| *x == "<=") {
                Some(m) => w.get(m + 1).and_then(|s| address(s)),
                None => w
                    .iter()
                    .find_map(|x| x.strip_prefix("F="))
                    .and_then(address),
            };
        }
    }
}

/// Sendmail log lines: `to=<…>, …, relay=H. [IP], dsn=4.0.0, stat=Deferred: REPLY`.
pub(crate) fn sendmail(text: &str) -> Option<Bounce> {
    text.lines().take(MAX_LINES).find_map(|line| {
        if !line.contains("sendmail[") {
            return None;
        }
        let at = line.find(" stat=")?;
        let stat = &line[at + 6..];
        let (_, raw) = stat.split_once(": ")?;
        let reply = Reply::parse(raw)?;
        let words: Vec<&str> = line[..at].split_whitespace().collect();
        let relay = words.iter().position(|w| w.starts_with("relay="));
        let host = relay
            .map(|i| host_name(words[i][6..].trim_end_matches(',')))
            .filter(|h| !h.is_empty() && !h.starts_with('['));
        let ip = relay
            .and_then(|i| words.get(i + 1))
            .and_then(|w| bracketed_ip(w.trim_end_matches(',')));
        Some(assemble(Read {
            source: Source::SendmailLog,
            reply: Some(reply),
            receiver_host: host,
            receiver_ip: ip,
            recipient: key(&words, "to="),
            ..Read::default()
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_told_from_bounce_messages() {
        assert!(is_mta_log("Feb 13 17:06:36 mailhost postfix/smtp[11204]: 08C8A1211B3: to=<user@example.com>, status=deferred"));
        assert!(is_mta_log(
            "2016-09-07 22:33:06 1bhOsE-0004e1-VJ == user@example.com R=dnslookup"
        ));
        assert!(!is_mta_log("This is the mail system at host mail.example.org.\n<a@example.com>: host x[192.0.2.1] said: 550 no"));
        assert!(!is_mta_log("Apr 8 04:03:09 sigma sendmail[7488]: w344QRId020581: to=<user1@example.com>, stat=Deferred: 421 4.7.0 x"));
    }

    /// The misread: an outbound deferral's `H=` is the receiver.
    #[test]
    fn an_exim_deferral_names_the_receiver_not_the_client() {
        let (n, b) = from_log("2026-11-27 10:00:00 1tAbCd-000123-Ef == user@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [203.0.113.60]: SMTP error from remote mail server after EHLO mail.example.com: 421 4.7.0 Client host rejected: too many connections from your address").unwrap();
        assert_eq!(n, 1);
        assert_eq!(b.receiver_host.as_deref(), Some("mx.example.net"));
        assert_eq!(b.receiver_ip.unwrap().to_string(), "203.0.113.60");
        assert_eq!(b.sending_ip, None);
        assert_eq!(b.command.as_deref(), Some("EHLO"));
        assert_eq!(b.recipient.as_deref(), Some("user@example.net"));
        assert_eq!(b.permanent, Some(false));
    }

    #[test]
    fn exim_lines_with_the_host_after_the_command() {
        let (_, b) = from_log("2016-09-07 22:33:06 1bhOsE-0004e1-VJ == user@example.com R=dnslookup T=remote_smtp defer (-45): SMTP error from remote mail server after MAIL FROM:<sender@example.org> SIZE=2307: host mta7.am0.yahoodns.net [63.250.192.46]: 421 4.7.1 [TS03] All messages from 192.0.2.209 will be permanently deferred; Retrying will NOT succeed.").unwrap();
        assert_eq!(
            (
                b.receiver_host.as_deref(),
                b.receiver_ip.map(|i| i.to_string())
            ),
            (Some("mta7.am0.yahoodns.net"), Some("63.250.192.46".into()))
        );
        assert_eq!(b.sending_ip.unwrap().to_string(), "192.0.2.209");
        assert_eq!(b.command.as_deref(), Some("MAIL FROM"));
        assert_eq!(b.rule.unwrap().id, "yahoo-ts03");
    }

    #[test]
    fn postfix_lines() {
        let log = "Nov 27 10:00:00 mail postfix/qmgr[700]: 4AbC: from=<alice@example.com>, size=100, nrcpt=1 (queue active)\nNov 27 10:00:01 mail postfix/smtp[777]: 4AbC: to=<b@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.2, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup (in reply to end of DATA command))";
        let (n, b) = from_log(log).unwrap();
        assert_eq!(n, 2);
        assert_eq!(b.sender.as_deref(), Some("alice@example.com"));
        assert_eq!(b.reply.status.as_deref(), Some("5.7.25"));
        assert_eq!(
            b.reply.text,
            "[192.0.2.10] The IP address sending this message does not have a PTR record setup"
        );
        assert_eq!(b.command.as_deref(), Some("DATA"));
        assert_eq!(b.sending_ip.unwrap().to_string(), "192.0.2.10");
        assert_eq!(b.rule.unwrap().id, "gmail-5.7.25-ptr");
        // The receiver's own reject line: the client is the sender.
        let (_, b) = from_log("Apr 27 16:08:36 chi postfix/smtpd[10642]: NOQUEUE: reject: RCPT from example.net[192.0.2.246]: 454 4.7.1 Service unavailable; Client host [192.0.2.246] blocked using b.barracudacentral.org; from=<sender@example.net> to=<user@example.com> proto=ESMTP helo=<example.net>").unwrap();
        assert_eq!(b.sending_ip.unwrap().to_string(), "192.0.2.246");
        assert_eq!(b.receiver_host.as_deref(), Some("chi"));
        assert_eq!(b.named_lists, ["b.barracudacentral.org"]);
        assert_eq!(b.sender.as_deref(), Some("sender@example.net"));
    }
}
