//! The headline: one sentence that says who will accept the server's identity and who will not.

use serde::Serialize;

use super::check::{Report, Verdict};
use crate::identity::helo::{HeloKind, HeloResult};
use crate::identity::iprev::IprevResult;

/// What the receivers will conclude, in one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    /// The verdict it summarises.
    pub verdict: Verdict,
    /// "Accepted", "Will be rejected", "Could not tell", "Could not check", …, one sentence naming
    /// who.
    pub text: String,
}

/// The headline of one report.
///
/// The providers named follow their published rules: Gmail rejects failing or missing FCrDNS with
/// 550-5.7.25; Yahoo wants valid, non-generic reverse DNS; Fastmail and spam filters score an EHLO
/// name that does not match the reverse DNS; Postfix-based receivers reject invalid EHLO names.
pub fn headline(report: &Report) -> Headline {
    let ip = report.ip;
    let verdict = report.verdict();
    let text = match report.iprev.result {
        IprevResult::PermError => format!(
            "Will be rejected: {ip} has no reverse DNS, and Gmail refuses such mail (550-5.7.25); Yahoo and Microsoft distrust it too."
        ),
        IprevResult::Fail => format!(
            "Will be rejected: the reverse DNS of {ip} does not point back to it, and Gmail refuses such mail (550-5.7.25)."
        ),
        // The resolver's own failure says nothing about receivers: the front ends name the
        // resolver and the ones to try instead.
        IprevResult::TempError if report.iprev.unanswered().is_some() => format!(
            "Could not check {ip}: the resolver gave no DNS answer, so the check could not finish. Check again through another resolver."
        ),
        IprevResult::TempError => format!(
            "Could not tell: a DNS lookup for {ip} failed, so receivers would defer the mail now and retry."
        ),
        IprevResult::Pass => pass_headline(report),
    };
    Headline { verdict, text }
}

fn pass_headline(report: &Report) -> String {
    let generic = report.iprev.generic();
    let helo = report.helo.as_ref();
    match helo.map(|h| (h.helo.kind, h.result)) {
        Some((HeloKind::Invalid, _)) => {
            "Will be rejected by many receivers: the reverse DNS is fine, but the EHLO name is invalid (Postfix's reject_invalid_helo_hostname and reject_non_fqdn_helo_hostname refuse it).".into()
        }
        Some((_, HeloResult::Fail)) => format!(
            "Accepted by Gmail{}, but Fastmail and spam filters will count the EHLO name that does not match the reverse DNS against it.",
            if generic { "; Yahoo will distrust the generic reverse name" } else { " and Yahoo" }
        ),
        Some((_, HeloResult::TempError)) => "Could not tell whether the EHLO name matches: the reverse DNS lookup failed.".into(),
        _ if generic => "Accepted by Gmail, but Yahoo and spam filters will distrust the generic-looking reverse name.".into(),
        Some(_) => "Accepted: Gmail, Yahoo and Fastmail will accept this server's identity (reverse DNS confirmed, EHLO name matches).".into(),
        None => "Accepted by Gmail and Yahoo: the reverse DNS is forward-confirmed. Add the server's EHLO line to check the name it announces.".into(),
    }
}
