//! The readable report: a one-line verdict first, then the findings, then the DNS evidence.
//! Colour only when stdout is a terminal and `NO_COLOR` is unset (https://no-color.org).

use std::fmt::Write;

use std::net::IpAddr;

use sendercheck_core::blocklist::{ListResult, Listing};
use sendercheck_core::dns::{Exchange, RecordType};
use sendercheck_core::domain::alignment::aligned_word;
use sendercheck_core::finding::{most_severe_first, Finding, Severity};
use sendercheck_core::fix::{Place, WhereToFix};
use sendercheck_core::{report::HostReport, Report, Verdict};

/// Whether to colour the output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    pub fn detect(terminal: bool) -> Self {
        Style {
            colour: terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// `text` in the SGR colour `code` (e.g. `1;32`), or plain.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub(crate) fn verdict(&self, v: Verdict) -> String {
        match v {
            Verdict::Pass => self.paint("1;32", "PASS"),
            Verdict::Fail => self.paint("1;31", "FAIL"),
            Verdict::TempError => self.paint("1;33", "TEMPERROR"),
            Verdict::Unchecked => self.paint("1;33", "UNCHECKED"),
        }
    }

    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Ok => self.paint("32", "ok"),
            Severity::Info => self.paint("36", "info"),
            Severity::Warning => self.paint("33", "warning"),
            Severity::Error => self.paint("31", "error"),
        }
    }
}

/// The one-line verdict: `FAIL 192.0.2.30: iprev=fail helo=pass — <most severe finding>`.
pub fn verdict_line(report: &Report, style: Style) -> String {
    let mut line = format!(
        "{} {}: iprev={}",
        style.verdict(report.verdict()),
        report.ip,
        report.iprev.result.as_str()
    );
    if let Some(h) = &report.helo {
        let _ = write!(line, " helo={}", h.result.as_str());
    }
    if report.iprev.generic() {
        line.push_str(" generic-rdns");
    }
    if let Some(top) = report.findings.first() {
        let _ = write!(line, " — {}", top.title);
    }
    line
}

/// Public DoH resolvers to suggest when the one asked gave no answer (the page offers the same).
const OTHER_RESOLVERS: [&str; 3] = [
    "https://cloudflare-dns.com/dns-query",
    "https://dns.google/dns-query",
    "https://dns.quad9.net/dns-query",
];

/// For an `unchecked` verdict: which resolver gave no answer, why (the first question it left
/// unanswered), and which to try instead. Nothing about receivers: their DNS was never asked.
///
/// ```text
///   The resolver https://cloudflare-dns.com/dns-query gave no DNS answer: the resolver answered HTTP 500.
///   Check again through another: --resolver https://dns.google/dns-query or --resolver https://dns.quad9.net/dns-query
/// ```
pub fn resolver_problem(exchanges: &[&Exchange], resolver: &str) -> Option<String> {
    let error = exchanges.iter().find_map(|e| e.result.as_ref().err())?;
    let others: Vec<String> = OTHER_RESOLVERS
        .iter()
        .filter(|url| resolver.trim_end_matches('/') != **url)
        .map(|url| format!("--resolver {url}"))
        .collect();
    Some(format!(
        "  The resolver {resolver} gave no DNS answer: {error}.\n  Check again through another: {}\n",
        others.join(" or ")
    ))
}

/// A problem that prevented any check, in the verdict line's place.
pub fn problem_line(msg: &str, verdict: Verdict, style: Style) -> String {
    format!("{} {msg}", style.verdict(verdict))
}

/// One finding: severity and title, detail, fix, references.
pub fn finding(out: &mut String, f: &Finding, style: Style) {
    let _ = writeln!(out, "\n[{}] {}", style.severity(f.severity), f.title);
    let _ = writeln!(out, "    {}", f.detail);
    if !f.fix.is_empty() {
        let _ = writeln!(out, "    Fix:");
        for line in f.fix.lines() {
            let _ = writeln!(out, "      {line}");
        }
    }
    if !f.refs.is_empty() {
        let refs: Vec<String> = f
            .refs
            .iter()
            .map(|r| format!("{} <{}>", r.title, r.url))
            .collect();
        let _ = writeln!(out, "    See: {}", refs.join("; "));
    }
}

/// The full readable report of one address, with where to fix it.
pub fn report(
    report: &Report,
    place: Option<&WhereToFix>,
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    report_with(report, place, &[], elapsed_ms, resolver, style)
}

/// "2.0.192.in-addr.arpa, DigitalOcean (ns1.digitalocean.com, ns2.digitalocean.com)".
fn place_line(p: &Place) -> String {
    let mut line = p.zone.clone().unwrap_or_else(|| "zone unknown".into());
    match &p.operator {
        Some(r) if r.certain => line.push_str(&format!(", {}", r.operator.name)),
        Some(r) => line.push_str(&format!(", probably {}", r.operator.name)),
        None => {}
    }
    let servers = p.servers();
    if !servers.is_empty() {
        line.push_str(&format!(" ({})", servers.join(", ")));
    }
    line
}

/// The full readable report of one address, with where to fix it and findings from elsewhere (a
/// paste) after the check's own, under their own heading.
pub fn report_with(
    report: &Report,
    place: Option<&WhereToFix>,
    more: &[Finding],
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    report_sections(report, place, more, "", elapsed_ms, resolver, style)
}

/// The full readable report of one address, with where to fix it, and the blocklists' answers
/// (`ip --blocklists`).
pub fn report_with_blocklists(
    report: &Report,
    place: Option<&WhereToFix>,
    listings: &[Listing],
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    let mut section = String::from("\nBlocklists:\n");
    blocklist_table(&mut section, listings, style);
    for f in sendercheck_core::blocklist::findings(listings) {
        finding(&mut section, &f, style);
    }
    let mut out = report_sections(report, place, &[], &section, elapsed_ms, resolver, style);
    let verdict = Verdict::worst([
        report.verdict(),
        sendercheck_core::blocklist::verdict(listings),
    ]);
    if verdict != report.verdict() {
        // The identity check's line opens the report; the blocklists make the whole worse.
        out.insert_str(
            0,
            &format!(
                "{} {}:{}\n",
                style.verdict(verdict),
                report.ip,
                blocklist_summary(listings)
            ),
        );
    }
    out
}

/// The readable report of one address: the verdict line, results, where to fix it, findings,
/// `more` findings from a paste, an extra `section`, then the DNS evidence.
pub fn report_sections(
    report: &Report,
    place: Option<&WhereToFix>,
    more: &[Finding],
    section: &str,
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    let mut out = verdict_line(report, style);
    out.push('\n');
    if report.verdict() == Verdict::Unchecked {
        let unanswered: Vec<&Exchange> = report
            .iprev
            .unanswered()
            .map(|l| l.exchanges.iter().collect())
            .unwrap_or_default();
        out.push_str(&resolver_problem(&unanswered, resolver).unwrap_or_default());
    }
    let ptr = report.iprev.ptr();
    let _ = writeln!(
        out,
        "\n  iprev  {:<9} PTR {}",
        report.iprev.result.as_str(),
        if ptr.is_empty() {
            "(none)".to_string()
        } else {
            ptr.join(", ")
        }
    );
    if let Some(h) = &report.helo {
        let _ = writeln!(
            out,
            "  helo   {:<9} {} ({})",
            h.result.as_str(),
            h.helo.name,
            h.helo.kind.as_str()
        );
    }
    let mut findings = report.findings.clone();
    let mut exchanges: Vec<&Exchange> = report.exchanges();
    if let Some(w) = place {
        if let Some(p) = &w.reverse_zone {
            let _ = writeln!(out, "  rDNS   zone      {}", place_line(p));
        }
        for p in &w.forward_zones {
            let _ = writeln!(out, "  name   zone      {}: {}", p.name, place_line(p));
        }
        if let Some(m) = w.mta {
            let _ = writeln!(
                out,
                "  mta    {:<9} {}",
                m.source.as_str(),
                m.mta.info().name()
            );
        }
        findings.extend(w.findings.iter().cloned());
        exchanges.extend(w.exchanges.iter());
    }
    for f in &most_severe_first(findings) {
        finding(&mut out, f, style);
    }
    paste_findings(&mut out, more, style);
    out.push_str(section);
    let _ = writeln!(out, "\nDNS questions asked of {resolver}:");
    for e in exchanges {
        let answer = match &e.result {
            Ok(a) => {
                let records: Vec<String> = a.records.iter().map(ToString::to_string).collect();
                let ad = if a.authenticated { " ad" } else { "" };
                let soa = a
                    .authority
                    .iter()
                    .find(|r| r.rtype == RecordType::Soa)
                    .filter(|_| !a.records.iter().any(|r| r.rtype == e.question.rtype))
                    .map(|r| format!(" (authority: {r})"))
                    .unwrap_or_default();
                if records.is_empty() {
                    format!("{}{ad}{soa}", a.rcode)
                } else {
                    format!("{}{ad}: {}{soa}", a.rcode, records.join("; "))
                }
            }
            Err(err) => format!("no answer: {err}"),
        };
        let _ = writeln!(
            out,
            "  {} {} → {answer}{}",
            e.question.name,
            e.question.rtype,
            retries(&e.attempts)
        );
    }
    let _ = writeln!(out, "Checked in {elapsed_ms} ms.");
    out
}

/// ` (after 2 failed tries: HTTP 502, HTTP 429)`, or nothing when the first try answered.
fn retries(attempts: &[sendercheck_core::dns::Attempt]) -> String {
    if attempts.is_empty() {
        return String::new();
    }
    let why: Vec<String> = attempts.iter().map(|a| a.error.short()).collect();
    format!(
        " (after {} failed {}: {})",
        attempts.len(),
        if attempts.len() == 1 { "try" } else { "tries" },
        why.join(", ")
    )
}

/// Findings that come from a paste rather than from DNS, under their own heading.
pub fn paste_findings(out: &mut String, findings: &[Finding], style: Style) {
    if findings.is_empty() {
        return;
    }
    out.push_str("\nFrom the paste:\n");
    for f in findings {
        finding(out, f, style);
    }
}

/// The readable report of a host name: each address's full report (with where to fix it, from
/// `places` in the same order), or why none could be checked.
pub fn host_report(
    host: &HostReport,
    places: &[WhereToFix],
    listings: Option<&[Vec<Listing>]>,
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    if let Some(problem) = host.problem() {
        let mut out = format!("{}\n", problem_line(&problem, host.verdict(), style));
        if host.verdict() == Verdict::Unchecked {
            let asked: Vec<&Exchange> = host
                .a
                .exchanges
                .iter()
                .chain(&host.aaaa.exchanges)
                .collect();
            out.push_str(&resolver_problem(&asked, resolver).unwrap_or_default());
        }
        return out;
    }
    let mut out = String::new();
    for (i, r) in host.reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&match listings.and_then(|l| l.get(i)) {
            Some(l) => report_with_blocklists(r, places.get(i), l, elapsed_ms, resolver, style),
            None => report(r, places.get(i), elapsed_ms, resolver, style),
        });
    }
    out
}

/// The readable report of a sending domain: the verdict line, each check's result, the SPF
/// evaluation as a tree, the requirements table, the findings.
pub fn domain(d: &sendercheck_core::domain::check::DomainReport, style: Style) -> String {
    use sendercheck_core::domain::requirements::Met;
    let mut out = format!(
        "{} sending domain {} (MAIL FROM {})\n",
        style.verdict(d.verdict()),
        d.input.from,
        if d.input.mail_from.is_empty() {
            "<>"
        } else {
            &d.input.mail_from
        }
    );
    for (label, e) in [("spf", &d.spf), ("spf/helo", &d.helo_spf)] {
        let Some(e) = e else { continue };
        let _ = writeln!(
            out,
            "\n  {label:<9}{:<10}{} at {} — {} of 10 lookups, {} of 2 void{}",
            e.result.as_str(),
            e.ip,
            e.domain,
            e.lookups,
            e.void_lookups,
            e.decided_by
                .as_deref()
                .map(|t| format!(", decided by {t}"))
                .unwrap_or_default()
        );
        spf_tree(&mut out, &e.trace, 2);
    }
    if d.spf.is_none() {
        let _ = writeln!(
            out,
            "\n  spf      (not evaluated: give the sending address with --ip)"
        );
    }
    let _ = writeln!(
        out,
        "  dmarc    {:<10}{}{}",
        d.dmarc.result.as_str(),
        d.dmarc
            .policy
            .map(|p| format!("p={} ", p.as_str()))
            .unwrap_or_default(),
        d.dmarc
            .found_at
            .as_ref()
            .map(|f| format!("at _dmarc.{f}"))
            .unwrap_or_else(|| "no record applies".into())
    );
    for k in &d.dkim {
        let _ = writeln!(
            out,
            "  dkim     {:<10}{}{}",
            k.result.as_str(),
            k.name,
            k.key_bits
                .map(|b| format!(" ({b} bits)"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "  align    spf {}, dkim {}",
        aligned_word(d.alignment.spf),
        aligned_word(d.alignment.dkim)
    );
    let _ = writeln!(
        out,
        "  mx       {:<10}{}",
        d.mx.result.as_str(),
        d.mx.domain
    );
    if !d.requirements.is_empty() {
        out.push_str("\nProviders' requirements:\n");
        for j in &d.requirements {
            let result = match j.result {
                Met::Pass => style.paint("32", "pass"),
                Met::Fail => style.paint("31", "FAIL"),
                Met::Unknown => style.paint("2", "unknown"),
            };
            let _ = writeln!(
                out,
                "  {:<9} {:<5} {:<8} {}",
                j.requirement.provider.name(),
                j.requirement.scope.as_str(),
                result,
                j.requirement.asks
            );
        }
    }
    for f in &d.findings {
        finding(&mut out, f, style);
    }
    out
}

/// One SPF `check_host()` call and its terms, indented by depth.
fn spf_tree(out: &mut String, t: &sendercheck_core::domain::spf::Trace, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{pad}{} → {}: {}",
        t.domain,
        t.result.as_str(),
        t.record.as_deref().unwrap_or(&t.lookup)
    );
    for term in &t.terms {
        let _ = writeln!(
            out,
            "{pad}  {:<28} {:<11} {}",
            term.term,
            term.outcome.as_str(),
            term.why
        );
        if let Some(child) = &term.child {
            spf_tree(out, child, depth + 2);
        }
    }
}

/// The blocklists' answers, one line per list: result, name, and the codes or the reason.
pub fn blocklist_table(out: &mut String, listings: &[Listing], style: Style) {
    let width = listings
        .iter()
        .map(|l| l.list.name.chars().count())
        .max()
        .unwrap_or(0);
    for l in listings {
        let (word, code) = match l.result {
            ListResult::Listed => ("listed", "1;31"),
            ListResult::NotListed => ("not listed", "32"),
            ListResult::Unknown => ("unknown", "33"),
        };
        let what = l.summary();
        let line = format!(
            "  {:<10}  {:<width$}  {what}",
            style.paint(code, word),
            l.list.name
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The readable report of `sendercheck blocklists`.
pub fn blocklists_report(
    ip: IpAddr,
    listings: &[Listing],
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    let verdict = sendercheck_core::blocklist::verdict(listings);
    let count = |r: ListResult| listings.iter().filter(|l| l.result == r).count();
    let listed: Vec<&str> = listings
        .iter()
        .filter(|l| l.result == ListResult::Listed)
        .map(|l| l.list.name.as_str())
        .collect();
    let unknown = count(ListResult::Unknown);
    let summary = match verdict {
        Verdict::Fail => format!("listed on {}", listed.join(", ")),
        Verdict::TempError | Verdict::Unchecked => format!(
            "not listed on the {} list(s) that answered; {unknown} could not be checked through this resolver",
            count(ListResult::NotListed)
        ),
        Verdict::Pass => format!("on none of the {} lists", listings.len()),
    };
    let mut out = format!("{} {ip}: {summary}\n\n", style.verdict(verdict));
    blocklist_table(&mut out, listings, style);
    for f in sendercheck_core::blocklist::findings(listings) {
        finding(&mut out, &f, style);
    }
    let _ = writeln!(out, "\nDNS questions asked of {resolver}:");
    for l in listings {
        for e in &l.exchanges {
            let _ = writeln!(
                out,
                "  {} {} → {}",
                l.list.show(e.question.name.as_str()),
                e.question.rtype,
                answer(&e.result)
            );
        }
    }
    let _ = writeln!(out, "Checked in {elapsed_ms} ms.");
    out
}

/// An answer in one line: rcode and records, or why there was none.
fn answer(
    result: &Result<sendercheck_core::dns::Answer, sendercheck_core::dns::ResolveError>,
) -> String {
    match result {
        Ok(a) => {
            let records: Vec<String> = a.records.iter().map(|r| r.data.to_string()).collect();
            let ad = if a.authenticated { " ad" } else { "" };
            if records.is_empty() {
                format!("{}{ad}", a.rcode)
            } else {
                format!("{}{ad}: {}", a.rcode, records.join("; "))
            }
        }
        Err(err) => format!("no answer: {err}"),
    }
}

/// A batch's one-line result with the blocklists: the worse verdict, the results, and the most
/// severe finding of either.
pub fn verdict_line_with_blocklists(report: &Report, listings: &[Listing], style: Style) -> String {
    let verdict = Verdict::worst([
        report.verdict(),
        sendercheck_core::blocklist::verdict(listings),
    ]);
    let mut line = format!(
        "{} {}: iprev={}",
        style.verdict(verdict),
        report.ip,
        report.iprev.result.as_str()
    );
    if let Some(h) = &report.helo {
        let _ = write!(line, " helo={}", h.result.as_str());
    }
    let listed = listings.iter().any(|l| l.result == ListResult::Listed);
    let unknown = listings.iter().any(|l| l.result == ListResult::Unknown);
    let _ = write!(
        line,
        " blocklists={}",
        if listed {
            "listed"
        } else if unknown {
            "unknown"
        } else {
            "clear"
        }
    );
    let mut findings = report.findings.clone();
    findings.extend(sendercheck_core::blocklist::findings(listings));
    if let Some(top) = sendercheck_core::finding::most_severe_first(findings).first() {
        let _ = write!(line, " — {}", top.title);
    }
    line
}

/// The blocklists in a few words, for a batch's one-line results: ` blocklists: listed on X` or
/// ` blocklists: clear`, with the lists that could not be checked.
pub fn blocklist_summary(listings: &[Listing]) -> String {
    let names = |r: ListResult| -> Vec<&str> {
        listings
            .iter()
            .filter(|l| l.result == r)
            .map(|l| l.list.name.as_str())
            .collect()
    };
    let listed = names(ListResult::Listed);
    let unknown = names(ListResult::Unknown);
    let mut s = if listed.is_empty() {
        " blocklists: clear".to_string()
    } else {
        format!(" blocklists: listed on {}", listed.join(", "))
    };
    if !unknown.is_empty() {
        s.push_str(&format!(" (unknown: {})", unknown.join(", ")));
    }
    s
}
