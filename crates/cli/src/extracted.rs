//! The readable form of what was found in a paste: the format, why these values were taken, the
//! values, and the evidence (the Received chain and the receiver's own results, or the
//! configuration lines read).

use std::fmt::Write;

use sendercheck_core::bounce::Bounce;
use sendercheck_core::paste::{Extracted, Format, Hop, HopRole};

use crate::output::Style;

/// Longest cell of the Received table; longer values are cut with `…`.
const MAX_CELL: usize = 40;

/// The `Pasted: …` block, ending with a newline.
pub fn block(x: &Extracted, style: Style) -> String {
    let format = x.format;
    let mut out = format!("Pasted: {}\n", format.describe());
    if !x.reason.is_empty() {
        let _ = writeln!(out, "  {}", x.reason);
    }
    let absent = "(not in the paste)";
    let ip = x.ip.map(|ip| ip.to_string());
    let _ = writeln!(out, "  {:<10} {}", "IP", ip.as_deref().unwrap_or(absent));
    let _ = writeln!(
        out,
        "  {:<10} {}",
        "EHLO",
        x.helo.as_deref().unwrap_or(absent)
    );
    if format.is_receivers_record() {
        let seen = match (&x.rdns_seen, x.rdns_unknown) {
            (Some(name), _) => name.clone(),
            (None, true) => "unknown (the receiver found no verified reverse name)".into(),
            (None, false) => "(not recorded)".into(),
        };
        let _ = writeln!(out, "  {:<10} {seen}", "rDNS seen");
    }
    if format.is_config() {
        let sav = if x.sav {
            let lines: Vec<String> = x.sav_lines.iter().map(|l| l.line.to_string()).collect();
            let text = match lines.len() {
                0 => "on".to_string(),
                1 => format!("on (line {})", lines[0]),
                _ => format!("on (lines {})", lines.join(", ")),
            };
            style.paint("33", &text)
        } else {
            "off".into()
        };
        let _ = writeln!(out, "  {:<10} {sav}", "SAV");
    }
    for note in &x.notes {
        let _ = writeln!(out, "  Note: {note}");
    }
    if let Some(b) = &x.bounce {
        bounce(&mut out, b);
    }
    if format == Format::Headers || (format == Format::Bounce && !x.hops.is_empty()) {
        received_chain(&mut out, x, style);
        receiver_results(&mut out, x, style);
    }
    if format.is_config() {
        settings(&mut out, x);
    }
    out
}

fn cell(value: Option<&str>) -> String {
    let value = value.unwrap_or("-");
    if value.chars().count() <= MAX_CELL {
        return value.to_string();
    }
    let cut: String = value.chars().take(MAX_CELL - 1).collect();
    format!("{cut}…")
}

fn rdns_cell(hop: &Hop) -> String {
    match (&hop.rdns, hop.rdns_unknown) {
        (Some(name), _) if hop.rdns_forged => format!("{} (may be forged)", cell(Some(name))),
        (Some(name), _) => cell(Some(name)),
        (None, true) => "unknown".into(),
        (None, false) => "-".into(),
    }
}

/// The Received headers as a table, newest first, the checked one marked `>`; below it, what the
/// `filter` and `submission` rows mean.
fn received_chain(out: &mut String, x: &Extracted, style: Style) {
    if x.hops.is_empty() {
        return;
    }
    let header = ["#", "role", "EHLO", "rDNS", "IP", "by"].map(String::from);
    let rows: Vec<[String; 6]> = x
        .hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            [
                (i + 1).to_string(),
                h.role.as_str().to_string(),
                cell(h.helo.as_deref()),
                rdns_cell(h),
                cell(h.ip.map(|ip| ip.to_string()).as_deref()),
                cell(h.by.as_deref()),
            ]
        })
        .collect();
    let mut width = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[String; 6]| {
        let mut text = format!("{:>w$}", row[0], w = width[0]);
        for (c, w) in row.iter().zip(width).skip(1) {
            let _ = write!(text, "  {c:<w$}");
        }
        text.trim_end().to_string()
    };
    let _ = writeln!(
        out,
        "\n  Received headers, newest first (> marks the one checked):"
    );
    let _ = writeln!(out, "    {}", line(&header));
    for (i, row) in rows.iter().enumerate() {
        if x.chosen == Some(i) {
            let _ = writeln!(out, "  {}", style.paint("1", &format!("> {}", line(row))));
        } else {
            let _ = writeln!(out, "    {}", line(row));
        }
    }
    for (i, h) in x.hops.iter().enumerate() {
        if matches!(h.role, HopRole::Filter | HopRole::Submission) {
            let _ = writeln!(out, "    {} {}: {}", i + 1, h.role.as_str(), h.why);
        }
    }
}

/// The receiver's own Authentication-Results and Received-SPF, one line per header.
fn receiver_results(out: &mut String, x: &Extracted, style: Style) {
    let mut lines = Vec::new();
    for a in x.receiver_auth() {
        let results: Vec<String> = a
            .results
            .iter()
            .map(|r| {
                let code = match r.result.as_str() {
                    "pass" => "32",
                    "fail" | "softfail" | "permerror" => "31",
                    "temperror" => "33",
                    _ => "",
                };
                let text = format!("{}={}", r.method, r.result);
                if code.is_empty() {
                    text
                } else {
                    style.paint(code, &text)
                }
            })
            .collect();
        let by = a
            .authserv_id
            .as_deref()
            .map_or(String::new(), |id| format!(" by {id}"));
        lines.push(format!("    {}{by}: {}", a.header, results.join(" ")));
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n  The receiver's own results:");
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// The configuration settings read and the lines that turn on Sender Address Verification.
fn settings(out: &mut String, x: &Extracted) {
    let numbers = x
        .settings
        .iter()
        .map(|s| s.line)
        .chain(x.sav_lines.iter().map(|l| l.line));
    let width = numbers.map(|n| n.to_string().len()).max().unwrap_or(1);
    if !x.settings.is_empty() {
        let _ = writeln!(out, "\n  Settings read:");
        for s in &x.settings {
            let _ = writeln!(out, "    line {:<width$}  {} = {}", s.line, s.name, s.value);
        }
    }
    if !x.sav_lines.is_empty() {
        let _ = writeln!(out, "\n  Lines that turn on Sender Address Verification:");
        for l in &x.sav_lines {
            let _ = writeln!(out, "    line {:<width$}  {}", l.line, l.text);
            let instead = if l.replacement.is_empty() {
                "(delete the line)"
            } else {
                &l.replacement
            };
            let _ = writeln!(out, "    {:pad$}instead: {instead}", "", pad = width + 7);
        }
    }
}

/// What the receiver said and what it means.
fn bounce(out: &mut String, b: &Bounce) {
    let absent = "(not in the bounce)";
    let who = match (b.provider, &b.receiver_host, b.receiver_ip) {
        (p, Some(h), Some(ip)) => format!(
            "{}{h} [{ip}]",
            p.map_or(String::new(), |p| format!("{}: ", p.name))
        ),
        (p, Some(h), None) => format!(
            "{}{h}",
            p.map_or(String::new(), |p| format!("{}: ", p.name))
        ),
        (Some(p), None, _) => p.name.clone(),
        (None, None, Some(ip)) => format!("[{ip}]"),
        (None, None, None) => absent.to_string(),
    };
    let mut at = Vec::new();
    if let Some(c) = &b.command {
        at.push(format!("at {c}"));
    }
    match b.permanent {
        Some(true) => at.push("permanent".into()),
        Some(false) => at.push("temporary".into()),
        None => {}
    }
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" ({})", at.join(", "))
    };
    let checks: Vec<&str> = b.checks.iter().map(|c| c.as_str()).collect();
    let _ = writeln!(out, "  {:<10} {who}", "Refused by");
    let _ = writeln!(out, "  {:<10} {}{at}", "Reply", b.reply.line());
    let _ = writeln!(out, "  {:<10} {}", "Means", b.meaning);
    let _ = writeln!(
        out,
        "  {:<10} {}{}",
        "Points to",
        b.category.as_str(),
        if checks.is_empty() {
            String::new()
        } else {
            format!(" (checks: {})", checks.join(", "))
        }
    );
    let _ = writeln!(out, "  {:<10} {}", "To do", b.action);
    let _ = writeln!(
        out,
        "  {:<10} {}",
        "Recipient",
        b.recipient.as_deref().unwrap_or(absent)
    );
    let _ = writeln!(
        out,
        "  {:<10} {}",
        "Sender",
        b.sender.as_deref().unwrap_or(absent)
    );
    if let Some(r) = b.rule {
        let _ = writeln!(out, "  {:<10} {} <{}>", "Rule", r.id, r.source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_and_submission_rows_are_explained() {
        // Synthetic: Proofpoint in front of the receiver; the sender's device submitted it.
        let text = "Received: from mx0b-00123401.pphosted.com (mx0b-00123401.pphosted.com [148.163.158.5]) by mail.example.co.jp (Postfix) with ESMTPS id 1; Fri, 27 Nov 2026 10:00:02 +0000\n\
Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx0b-00123401.pphosted.com with ESMTPS id 2; Fri, 27 Nov 2026 10:00:01 +0000\n\
Received: from [192.168.1.20] (dsl.example.net [198.51.100.9]) by mail.example.com (Postfix) with ESMTPSA id 3; Fri, 27 Nov 2026 10:00:00 +0000\n";
        let x = sendercheck_core::paste::extract(text).unwrap();
        let out = block(&x, Style::detect(false));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1],
            "  Received header 2 is where mx0b-00123401.pphosted.com took the message from a client outside the receiver: Proofpoint accepted it for example.co.jp and passed it on to mail.example.co.jp (Received header 1). The header above it was added inside the receiver."
        );
        assert!(lines.contains(&"    1  filter      mx0b-00123401.pphosted.com  mx0b-00123401.pphosted.com  148.163.158.5  mail.example.co.jp"), "{out}");
        assert!(lines.contains(&"    3  submission  [192.168.1.20]              dsl.example.net             198.51.100.9   mail.example.com"), "{out}");
        assert!(lines.contains(&"    1 filter: Proofpoint passed the message on to the receiver's servers: Proofpoint accepted it for example.co.jp in Received header 2."), "{out}");
        assert!(lines.contains(&"    3 submission: An authenticated submission (`with ESMTPSA`, RFC 3848): it names the user's device, not a server that relays mail."), "{out}");
    }
}
