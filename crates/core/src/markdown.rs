//! A report as Markdown, for pasting into a ticket.

use std::fmt::Write;

use crate::check::Report;
use crate::summary::headline;

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
    for f in &report.findings {
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
        let _ = writeln!(
            md,
            "- `{} {}` → {answer}",
            e.question.name, e.question.rtype
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Rcode, RecordType};
    use crate::testing::{a, ptr, FixedResolver};
    use crate::{check, parse_ip};
    use futures::executor::block_on;

    #[test]
    fn markdown_for_a_ticket() {
        let rev = "30.2.0.192.in-addr.arpa";
        let r = FixedResolver::new()
            .answer(
                rev,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(rev, "mail.example.com")],
            )
            .answer(
                "mail.example.com",
                RecordType::A,
                Rcode::NoError,
                vec![a("mail.example.com", "192.0.2.31")],
            );
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
