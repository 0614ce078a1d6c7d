//! The full check of what a paste names: its address, or, when it names only an EHLO name, every
//! address of that name.

use std::net::IpAddr;

use super::{paste_findings, Extracted};
use crate::check::{check, Report, Verdict};
use crate::dns::Resolver;
use crate::finding::{Finding, Severity};
use crate::helo::{parse_helo, HeloKind};
use crate::host::{check_host, HostReport};
use crate::DomainName;

/// What the DNS check of a paste covered.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    /// The extracted address, with the extracted EHLO name.
    Ip(Report),
    /// No address, but an EHLO name: every address of that name, announcing it.
    Host(HostReport),
    /// Neither an address nor a host name to look up.
    Nothing,
}

/// A paste, its DNS check, and the findings only the paste can give.
#[derive(Debug, Clone, PartialEq)]
pub struct PasteReport {
    /// What was found in the text.
    pub extracted: Extracted,
    /// The DNS check.
    pub checked: Checked,
    /// SAV, receiver-comparison and (without an address) EHLO-syntax findings.
    pub findings: Vec<Finding>,
}

impl PasteReport {
    /// The DNS check's verdict, made `fail` by any paste finding of severity error (an invalid
    /// EHLO name in a configuration). Warnings (Sender Address Verification, disagreements with
    /// the receiver) never change it: they do not decide whether mail is accepted. With no DNS
    /// check and no such finding, `pass`.
    pub fn verdict(&self) -> Verdict {
        let dns = match &self.checked {
            Checked::Ip(r) => r.verdict(),
            Checked::Host(h) => h.verdict(),
            Checked::Nothing => Verdict::Pass,
        };
        let paste = if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Verdict::worst([dns, paste])
    }
}

/// What a paste's DNS check looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The extracted address, or the address of an address-literal EHLO name.
    Ip(IpAddr),
    /// The EHLO host name, when no address was found.
    Host(DomainName),
    /// Nothing to look up.
    Nothing,
}

/// What to look up for a paste: its address; else the address of an address-literal EHLO
/// argument; else every address of an EHLO host name. The page and the CLI both start here.
pub fn target(x: &Extracted) -> Target {
    if let Some(ip) = x.ip {
        return Target::Ip(ip);
    }
    let Some(helo) = x.helo.as_deref().map(parse_helo) else {
        return Target::Nothing;
    };
    match (helo.kind, helo.literal, helo.domain) {
        (HeloKind::AddressLiteral, Some(ip), _) => Target::Ip(ip),
        (HeloKind::Fqdn, _, Some(name)) => Target::Host(name),
        _ => Target::Nothing,
    }
}

/// Checks what the paste names (see [`target`]) with the extracted EHLO name.
pub async fn check_paste<R: Resolver>(resolver: &R, extracted: Extracted) -> PasteReport {
    let helo = extracted.helo.as_deref();
    let checked = match target(&extracted) {
        Target::Ip(ip) => Checked::Ip(check(resolver, ip, helo).await),
        Target::Host(name) => Checked::Host(check_host(resolver, name, helo).await),
        Target::Nothing => Checked::Nothing,
    };
    let report = match &checked {
        Checked::Ip(r) => Some(r),
        _ => None,
    };
    let findings = paste_findings(&extracted, report);
    PasteReport {
        extracted,
        checked,
        findings,
    }
}
