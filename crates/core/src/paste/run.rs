//! The full check of what a paste names: its address, or, when it names only an EHLO name, every
//! address of that name.

use futures::future::{join, OptionFuture};

use super::{paste_findings, Extracted};
use crate::dns::DomainName;
use crate::dns::Resolver;
use crate::domain::check::{check_domain, DomainInput, DomainReport};
use crate::domain::dkim::DkimQuery;
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
    /// The sending domain's check, when the paste names one (headers' From, a configuration's
    /// origin domain).
    pub domain: Option<DomainReport>,
}

impl PasteReport {
    /// The DNS check's verdict, made `fail` by any paste finding of severity error (an invalid
    /// EHLO name in a configuration). Warnings (Sender Address Verification, disagreements with
    /// the receiver) never change it: they do not decide whether mail is accepted. With no DNS
    /// check and no such finding, `pass`. The sending domain's check is reported beside it and
    /// has its own verdict ([`DomainReport::verdict`]): a paste of headers names the server and
    /// the domain, and the status says whether the server is accepted.
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

/// The sending domain's check a paste asks for: its From domain (else the Return-Path's), the
/// Return-Path as MAIL FROM, its DKIM signatures' keys, the extracted address and EHLO name.
pub fn domain_input(x: &Extracted) -> Option<DomainInput> {
    let s = &x.sender;
    let from = s
        .from
        .as_deref()
        .or(s.mail_from.as_deref().filter(|m| !m.is_empty()))?;
    let mut d = DomainInput::parse(from).ok()?;
    if let Some(m) = &s.mail_from {
        // A Return-Path that is not an address leaves the From address as the reverse-path.
        let _ = d.set_mail_from(m);
    }
    d.ip = x.ip;
    if let Some(helo) = &x.helo {
        d.set_helo(helo);
    }
    d.dkim = s
        .dkim
        .iter()
        .filter_map(|k| DkimQuery::new(&k.selector, &DomainName::parse(&k.domain).ok()?).ok())
        .collect();
    Some(d)
}

/// Checks what the paste names (see [`target`]) with the extracted EHLO name, and the sending
/// domain it names beside it.
pub async fn check_paste<R: Resolver>(resolver: &R, extracted: Extracted) -> PasteReport {
    let helo = extracted.helo.as_deref();
    let identity: OptionFuture<_> = target(&extracted)
        .map(|t| async move { check_target(resolver, &t, helo).await })
        .into();
    let input = domain_input(&extracted);
    let domain: OptionFuture<_> = input.as_ref().map(|d| check_domain(resolver, d)).into();
    let (checked, mut domain) = join(identity, domain).await;
    if let (Some(d), Some(Checked::Ip(r))) = (&mut domain, &checked) {
        d.judge_report(r);
    }
    let report = match &checked {
        Some(Checked::Ip(r)) => Some(r),
        _ => None,
    };
    let findings = paste_findings(&extracted, report);
    PasteReport {
        extracted,
        checked,
        findings,
        domain,
    }
}
