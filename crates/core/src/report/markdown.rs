//! A report as Markdown, for pasting into a ticket.

use std::fmt::Write;

use super::check::Report;
use super::summary::headline;
use crate::finding::Finding;
use crate::paste::Extracted;

fn write_findings(md: &mut String, findings: &[Finding]) {
    for f in findings {
        let sev = f.severity.as_str();
        let _ = writeln!(md, "\n### [{sev}] {}\n\n{}", f.title, f.detail);
        if !f.fix.is_empty() {
            let _ = writeln!(md, "\nFix:\n\n```\n{}\n```", f.fix);
        }
        if !f.refs.is_empty() {
            let refs: Vec<String> = f
                .refs
                .iter()
                .map(|r| format!("[{}]({})", r.title, r.url))
                .collect();
            let _ = writeln!(md, "\nSee {}.", refs.join(", "));
        }
    }
}

/// What a paste said, as Markdown: its format, what was taken from it and why, the Received chain
/// or the settings read, the receiver's own verdicts, and the paste's findings.
pub fn paste_markdown(x: &Extracted, findings: &[Finding]) -> String {
    let mut md = String::new();
    let none = || "none".to_string();
    let _ = writeln!(md, "## Pasted: {}\n\n{}\n", x.format.describe(), x.reason);
    let _ = writeln!(
        md,
        "- Sending IP: {}\n- EHLO: {}\n- Reverse name the receiver recorded: {}\n- Sender Address Verification: {}",
        x.ip.map_or_else(none, |ip| format!("`{ip}`")),
        x.helo.as_ref().map_or_else(none, |h| format!("`{h}`")),
        x.rdns_seen.as_ref().map_or_else(none, |h| format!("`{h}`")),
        if x.sav { "on" } else { "off" }
    );
    for note in &x.notes {
        let _ = writeln!(md, "- Note: {note}");
    }
    if !x.hops.is_empty() {
        let _ = writeln!(
            md,
            "\n| # | Role | EHLO | Reverse name | IP | By |\n|---|---|---|---|---|---|"
        );
        for (i, h) in x.hops.iter().enumerate() {
            let cell = |v: &Option<String>| v.clone().unwrap_or_default().replace('|', "\\|");
            let mark = if x.chosen == Some(i) { " ←" } else { "" };
            let _ = writeln!(
                md,
                "| {}{mark} | {} | {} | {} | {} | {} |",
                i + 1,
                h.role.as_str(),
                cell(&h.helo),
                cell(&h.rdns),
                h.ip.map(|ip| ip.to_string()).unwrap_or_default(),
                cell(&h.by)
            );
        }
    }
    for a in x.receiver_auth() {
        let results: Vec<String> = a
            .results
            .iter()
            .map(|r| format!("{}={}", r.method, r.result))
            .collect();
        let _ = writeln!(
            md,
            "\n{} ({}): {}",
            a.header,
            a.authserv_id.as_deref().unwrap_or("no authserv-id"),
            results.join(", ")
        );
    }
    for s in &x.settings {
        let _ = writeln!(md, "- line {}: `{} = {}`", s.line, s.name, s.value);
    }
    write_findings(&mut md, findings);
    md.push('\n');
    md
}

/// The report as Markdown: headline, results, findings with fixes in code blocks, DNS evidence.
pub fn report_markdown(report: &Report, resolver: &str) -> String {
    let mut md = String::new();
    let h = headline(report);
    let verdict = h.verdict.as_str();
    let _ = writeln!(md, "## Sender Check: {} ({verdict})\n", report.ip);
    let _ = writeln!(md, "**{}**\n", h.text);
    let ptr = report.iprev.ptr();
    let _ = writeln!(
        md,
        "- FCrDNS (RFC 8601 iprev): **{}**; PTR: {}",
        report.iprev.result.as_str(),
        if ptr.is_empty() {
            "none".to_string()
        } else {
            ptr.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    if let Some(helo) = &report.helo {
        let _ = writeln!(
            md,
            "- EHLO `{}`: **{}**",
            helo.helo.name,
            helo.result.as_str()
        );
    }
    let _ = writeln!(
        md,
        "- Generic reverse name: {}",
        if report.iprev.generic() { "yes" } else { "no" }
    );
    write_findings(&mut md, &report.findings);
    let _ = writeln!(md, "\n### DNS evidence ({resolver})\n");
    for e in report.exchanges() {
        let answer = match &e.result {
            Ok(a) if a.records.is_empty() => format!("{}", a.rcode),
            Ok(a) => format!(
                "{}: {}",
                a.rcode,
                a.records
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(err) => format!("no answer: {err}"),
        };
        let retried = match e.attempts.len() {
            0 => String::new(),
            n => format!(
                " (after {n} failed {}: {})",
                if n == 1 { "try" } else { "tries" },
                e.attempts
                    .iter()
                    .map(|a| a.error.short())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let _ = writeln!(
            md,
            "- `{} {}` → {answer}{retried}",
            e.question.name, e.question.rtype
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::dns::parse_ip;
    use crate::report::check;
    use crate::testing::FixedResolver;
    use futures::executor::block_on;

    #[test]
    fn markdown_for_a_ticket() {
        let _rev = "30.2.0.192.in-addr.arpa";
        let r =
            FixedResolver::new().ptr_and_address("192.0.2.30", "mail.example.com", "192.0.2.31");
        let report = block_on(check(
            &r,
            parse_ip("192.0.2.30").unwrap(),
            Some("EHLO mail.example.com"),
        ));
        let md = report_markdown(&report, "https://dns.example/dns-query");
        assert!(md.starts_with("## Sender Check: 192.0.2.30 (fail)\n\n**Will be rejected: the reverse DNS of 192.0.2.30 does not point back to it"), "{md}");
        assert!(md.contains("- FCrDNS (RFC 8601 iprev): **fail**; PTR: `mail.example.com`"));
        assert!(md.contains("### [error] Reverse DNS of 192.0.2.30 does not resolve back to it"));
        assert!(md.contains("```\nPublish the forward record"));
        assert!(
            md.contains("[RFC 8601 §3 (iprev)](https://www.rfc-editor.org/rfc/rfc8601#section-3)")
        );
        assert!(
            md.contains("- `mail.example.com A` → NOERROR: `mail.example.com 300 A 192.0.2.31`")
        );
    }
}
