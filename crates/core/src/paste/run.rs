//! The full check of what a paste names: its address, or, when it names only an EHLO name, every
//! address of that name.

use super::{paste_findings, Extracted};
use crate::check::{check, Report, Verdict};
use crate::dns::Resolver;
use crate::finding::{Finding, Severity};
use crate::helo::{parse_helo, HeloKind};
use crate::host::{check_host, HostReport};

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
    /// The DNS check's verdict; with no DNS check, `fail` when a finding is a warning or worse.
    pub fn verdict(&self) -> Verdict {
        match &self.checked {
            Checked::Ip(r) => r.verdict(),
            Checked::Host(h) => h.verdict(),
            Checked::Nothing
                if self
                    .findings
                    .iter()
                    .any(|f| f.severity >= Severity::Warning) =>
            {
                Verdict::Fail
            }
            Checked::Nothing => Verdict::Pass,
        }
    }
}

/// Checks what the paste names: the extracted address with the extracted EHLO name; with no
/// address, every address of the EHLO name (when it is a host name).
pub async fn check_paste<R: Resolver>(resolver: &R, extracted: Extracted) -> PasteReport {
    let helo = extracted.helo.as_deref();
    let checked = match extracted.ip {
        Some(ip) => Checked::Ip(check(resolver, ip, helo).await),
        None => match helo.map(parse_helo) {
            Some(h) if h.kind == HeloKind::Fqdn => match h.domain {
                Some(name) => Checked::Host(check_host(resolver, name, helo).await),
                None => Checked::Nothing,
            },
            _ => Checked::Nothing,
        },
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
