//! A report as Markdown, for pasting into a ticket.

use std::fmt::Write;

use super::check::Report;
use super::summary::headline;
use crate::blocklist::Listing;
use crate::dns::{Exchange, RecordType};
use crate::domain::alignment::aligned_word;
use crate::domain::check::DomainReport;
use crate::finding::{most_severe_first, Finding};
use crate::fix::{Place, WhereToFix};
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
    if let Some(b) = &x.bounce {
        let none = || "not in the bounce".to_string();
        let _ =
            writeln!(
            md,
            "- Refused by: {}\n- Reply: `{}`{}\n- It points to: {}\n- Recipient: {}\n- Sender: {}",
            b.provider
                .map(|p| p.name.clone())
                .or_else(|| b.receiver_host.clone())
                .unwrap_or_else(none),
            b.reply.line().replace('`', "'"),
            b.command.as_ref().map_or(String::new(), |c| format!(" (at {c})")),
            b.category.as_str(),
            b.recipient.as_ref().map_or_else(none, |r| format!("`{r}`")),
            b.sender.as_ref().map_or_else(none, |s| format!("`{s}`")),
        );
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

/// A sending-domain check as Markdown: the results, the SPF evaluation, the requirements table
/// and the findings.
pub fn domain_markdown(d: &DomainReport) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## Sending domain: {} ({})\n",
        d.input.from,
        d.verdict().as_str()
    );
    let _ = writeln!(md, "- MAIL FROM: `{}`", d.input.mail_from);
    for (label, e) in [("SPF (MAIL FROM)", &d.spf), ("SPF (HELO)", &d.helo_spf)] {
        if let Some(e) = e {
            let _ = writeln!(
                md,
                "- {label}: **{}** for {} at `{}`{}; {} of 10 DNS lookups, {} of 2 void",
                e.result.as_str(),
                e.ip,
                e.domain,
                e.decided_by
                    .as_deref()
                    .map(|t| format!(", decided by `{t}`"))
                    .unwrap_or_default(),
                e.lookups,
                e.void_lookups
            );
            if let Some(r) = &e.record {
                let _ = writeln!(md, "  - record: `{r}`");
            }
        }
    }
    let _ = writeln!(
        md,
        "- DMARC: **{}**{}{}",
        d.dmarc.result.as_str(),
        d.dmarc
            .policy
            .map(|p| format!(", p={}", p.as_str()))
            .unwrap_or_default(),
        d.dmarc
            .found_at
            .as_ref()
            .map(|f| format!(" (record at `_dmarc.{f}`)"))
            .unwrap_or_default()
    );
    for k in &d.dkim {
        let _ = writeln!(
            md,
            "- DKIM `{}`: **{}**{}",
            k.name,
            k.result.as_str(),
            k.key_bits
                .map(|b| format!(", {b}-bit key"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        md,
        "- Alignment: SPF {}, DKIM {}",
        aligned_word(d.alignment.spf),
        aligned_word(d.alignment.dkim)
    );
    let _ = writeln!(
        md,
        "- Bounces to `{}`: {}\n",
        d.mx.domain,
        d.mx.result.as_str()
    );
    if !d.requirements.is_empty() {
        let _ = writeln!(
            md,
            "| Provider | Requirement | For | Result |\n|---|---|---|---|"
        );
        for j in &d.requirements {
            let _ = writeln!(
                md,
                "| {} | [{}]({}) | {} | {} |",
                j.requirement.provider.name(),
                j.requirement.asks.replace('|', "\\|"),
                j.requirement.url,
                j.requirement.scope.as_str(),
                j.result.as_str()
            );
        }
    }
    write_findings(&mut md, &d.findings);
    md.push('\n');
    md
}

/// The blocklists' answers as Markdown: a table with a row per address and list (result, the
/// decoded codes or why the list could not be trusted, the delisting page), then the findings.
/// A Spamhaus DQS key never appears: rows name the list, not the zone asked.
pub fn blocklists_markdown(listings: &[Listing]) -> String {
    let mut md = format!(
        "## Blocklists ({})\n\n| Address | List | Result | Why | Delisting |\n|---|---|---|---|---|\n",
        crate::blocklist::verdict(listings).as_str()
    );
    for l in listings {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            l.ip,
            l.list.name,
            l.result.as_str(),
            l.summary().replace('|', "\\|"),
            l.delist_url().unwrap_or_default()
        );
    }
    write_findings(&mut md, &crate::blocklist::findings(listings));
    md.push('\n');
    md
}

/// The report as Markdown: headline, results, findings with fixes in code blocks, DNS evidence.
pub fn report_markdown(report: &Report, resolver: &str) -> String {
    report_markdown_with(report, None, resolver)
}

/// "`zone` (DigitalOcean, name servers `a`, `b`)", for the list of results.
fn place_line(p: &Place) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &p.operator {
        parts.push(if r.certain {
            r.operator.name.to_string()
        } else {
            format!("probably {}", r.operator.name)
        });
    }
    let servers: Vec<String> = p.servers().iter().map(|s| format!("`{s}`")).collect();
    if !servers.is_empty() {
        parts.push(format!("name servers {}", servers.join(", ")));
    }
    let zone = p
        .zone
        .as_deref()
        .map_or("unknown".to_string(), |z| format!("`{z}`"));
    if parts.is_empty() {
        zone
    } else {
        format!("{zone} ({})", parts.join("; "))
    }
}

/// [`report_markdown`] with where to fix it: the reverse and forward zones and who runs them, the
/// MTA, and the `where-*` findings among the others.
pub fn report_markdown_with(report: &Report, place: Option<&WhereToFix>, resolver: &str) -> String {
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
    let mut findings = report.findings.clone();
    let mut exchanges: Vec<&Exchange> = report.exchanges();
    if let Some(w) = place {
        if let Some(p) = &w.reverse_zone {
            let _ = writeln!(md, "- Reverse zone: {}", place_line(p));
        }
        for p in &w.forward_zones {
            let _ = writeln!(md, "- Zone of `{}`: {}", p.name, place_line(p));
        }
        if let Some(m) = w.mta {
            let _ = writeln!(
                md,
                "- Mail server: {} ({})",
                m.mta.info().name(),
                m.source.as_str()
            );
        }
        findings.extend(w.findings.iter().cloned());
        exchanges.extend(w.exchanges.iter());
    }
    write_findings(&mut md, &most_severe_first(findings));
    let _ = writeln!(md, "\n### DNS evidence ({resolver})\n");
    for e in exchanges {
        let answer = match &e.result {
            Ok(a) => {
                let mut text = a.rcode.to_string();
                if !a.records.is_empty() {
                    let records: Vec<String> = a.records.iter().map(|r| format!("`{r}`")).collect();
                    text.push_str(&format!(": {}", records.join(", ")));
                }
                let soa = a.authority.iter().find(|r| r.rtype == RecordType::Soa);
                if let Some(soa) =
                    soa.filter(|_| !a.records.iter().any(|r| r.rtype == e.question.rtype))
                {
                    text.push_str(&format!(" (authority: `{soa}`)"));
                }
                text
            }
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
