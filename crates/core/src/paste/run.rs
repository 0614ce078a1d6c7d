//! The full check of what a paste names: its address, or, when it names only an EHLO name, every
//! address of that name.

use super::{paste_findings, Extracted};
use crate::dns::Resolver;
use crate::finding::{Finding, Severity};
use crate::identity::helo::{parse_helo, HeloKind};
use crate::report::{check_target, Checked, Target, Verdict};

/// A paste, its DNS check, and the findings only the paste can give.
#[derive(Debug, Clone, PartialEq)]
pub struct PasteReport {
    /// What was found in the text.
    pub extracted: Extracted,
    /// The DNS check; `None` when the paste names neither an address nor a host name.
    pub checked: Option<Checked>,
    /// SAV, receiver-comparison and (without an address) EHLO-syntax findings.
    pub findings: Vec<Finding>,
}

impl PasteReport {
    /// The DNS check's verdict, made `fail` by any paste finding of severity error (an invalid
    /// EHLO name in a configuration). Warnings (Sender Address Verification, disagreements with
    /// the receiver) never change it: they do not decide whether mail is accepted. With no DNS
    /// check and no such finding, `pass`.
    pub fn verdict(&self) -> Verdict {
        let dns = self
            .checked
            .as_ref()
            .map_or(Verdict::Pass, Checked::verdict);
        let paste = if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Verdict::worst([dns, paste])
    }
}

/// What to look up for a paste: its address; else the address of an address-literal EHLO
/// argument; else every address of an EHLO host name; `None` when it names nothing to look up.
/// The page and the CLI both start here.
pub fn target(x: &Extracted) -> Option<Target> {
    if let Some(ip) = x.ip {
        return Some(Target::Ip(ip));
    }
    let helo = parse_helo(x.helo.as_deref()?);
    match (helo.kind, helo.literal, helo.domain) {
        (HeloKind::AddressLiteral, Some(ip), _) => Some(Target::Ip(ip)),
        (HeloKind::Fqdn, _, Some(name)) => Some(Target::Host(name)),
        _ => None,
    }
}

/// Checks what the paste names (see [`target`]) with the extracted EHLO name.
pub async fn check_paste<R: Resolver>(resolver: &R, extracted: Extracted) -> PasteReport {
    let checked = match target(&extracted) {
        Some(t) => Some(check_target(resolver, &t, extracted.helo.as_deref()).await),
        None => None,
    };
    let report = match &checked {
        Some(Checked::Ip(r)) => Some(r),
        _ => None,
    };
    let findings = paste_findings(&extracted, report);
    PasteReport {
        extracted,
        checked,
        findings,
    }
}
