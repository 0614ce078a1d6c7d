//! The readable report: a one-line verdict first, then the findings, then the DNS evidence.
//! Colour only when stdout is a terminal and `NO_COLOR` is unset (https://no-color.org).

use std::fmt::Write;

use sendercheck_core::finding::{Finding, Severity};
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

    fn verdict(&self, v: Verdict) -> String {
        match v {
            Verdict::Pass => self.paint("1;32", "PASS"),
            Verdict::Fail => self.paint("1;31", "FAIL"),
            Verdict::TempError => self.paint("1;33", "TEMPERROR"),
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

/// The full readable report of one address.
pub fn report(report: &Report, elapsed_ms: u64, resolver: &str, style: Style) -> String {
    report_with(report, &[], elapsed_ms, resolver, style)
}

/// The full readable report of one address, with findings from elsewhere (a paste) after the
/// check's own, under their own heading.
pub fn report_with(
    report: &Report,
    more: &[Finding],
    elapsed_ms: u64,
    resolver: &str,
    style: Style,
) -> String {
    let mut out = verdict_line(report, style);
    out.push('\n');
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
    for f in &report.findings {
        finding(&mut out, f, style);
    }
    paste_findings(&mut out, more, style);
    let _ = writeln!(out, "\nDNS questions asked of {resolver}:");
    for e in report.exchanges() {
        let answer = match &e.result {
            Ok(a) => {
                let records: Vec<String> = a.records.iter().map(ToString::to_string).collect();
                let ad = if a.authenticated { " ad" } else { "" };
                if records.is_empty() {
                    format!("{}{ad}", a.rcode)
                } else {
                    format!("{}{ad}: {}", a.rcode, records.join("; "))
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

/// The readable report of a host name: each address's full report, or why none could be checked.
pub fn host_report(host: &HostReport, elapsed_ms: u64, resolver: &str, style: Style) -> String {
    if let Some(problem) = host.problem() {
        return format!("{}\n", problem_line(&problem, host.verdict(), style));
    }
    let mut out = String::new();
    for (i, r) in host.reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&report(r, elapsed_ms, resolver, style));
    }
    out
}
