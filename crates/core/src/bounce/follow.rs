//! Running the checks a bounce points to, for the address and domains it names.
//!
//! The identity checks (iprev, EHLO, generic rDNS) are the paste's own check of the sending IP
//! ([`crate::report::check`]); here the rest: the DNS blocklists (the curated set, or the user's,
//! plus any list the reply names), the MAIL FROM domain's SPF for the sending IP
//! ([`spf_mail_from`]), the From domain's DMARC policy ([`check_dmarc`]) and the alignment of the
//! SPF and DKIM domains with it, DKIM keys when the returned message shows a signature's
//! selector, and whether the sender's domain receives mail ([`check_mx`]). Everything goes
//! through one [`Cached`] resolver and starts at once: the blocklists, the DMARC tree walk and the
//! alignment walks take one round trip, SPF as many as its record's includes need; run beside the
//! identity check, a bounce costs no round trip beyond the slowest of them.

use std::net::IpAddr;

use futures::future::{join, join5, OptionFuture};

use super::{Bounce, CheckKind};
use crate::blocklist::{self, Blocklist, Listing};
use crate::dns::{Cached, DomainName, Resolver};
use crate::domain::alignment::{align, org_domains, spf_domain, Alignment, OrgDomain};
use crate::domain::dkim::{check_selectors, DkimKey, DkimQuery};
use crate::domain::dmarc::{check_dmarc, Dmarc};
use crate::domain::mx::{check_mx, Mx};
use crate::domain::spf::{spf_mail_from, Evaluation};

/// How to run the follow-up checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpOptions {
    /// The blocklists to ask (the lists the reply names are added).
    pub blocklists: Vec<Blocklist>,
}

impl Default for FollowUpOptions {
    fn default() -> Self {
        FollowUpOptions {
            blocklists: Blocklist::curated(),
        }
    }
}

/// What the follow-up checks found. A check that did not run is `None` (or empty), with why in
/// `skipped`.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    /// The address checked.
    pub ip: Option<IpAddr>,
    /// The blocklists' answers.
    pub blocklists: Option<Vec<Listing>>,
    /// SPF of the MAIL FROM domain for the address.
    pub spf: Option<Evaluation>,
    /// The From domain's DMARC.
    pub dmarc: Option<Dmarc>,
    /// The SPF and DKIM domains against the From domain.
    pub alignment: Option<Alignment>,
    /// The keys of the returned message's DKIM signatures.
    pub dkim: Vec<DkimKey>,
    /// Whether the sender's domain exists and receives mail.
    pub mx: Option<Mx>,
    /// Checks the bounce points to that could not run, and why.
    pub skipped: Vec<(CheckKind, String)>,
}

/// The MAIL FROM domain and the From domain the bounce names.
fn domains(bounce: &Bounce) -> (Option<DomainName>, Option<DomainName>) {
    let mail_from = bounce.sender.as_deref().and_then(|s| spf_domain(s, None));
    let from = bounce
        .from_domain
        .as_deref()
        .and_then(|d| DomainName::parse(d).ok())
        .or_else(|| mail_from.clone());
    (mail_from, from)
}

/// The lists to ask: `lists`, and those the reply and its rule name.
pub fn lists_for(bounce: &Bounce, lists: &[Blocklist]) -> Vec<Blocklist> {
    let mut out = lists.to_vec();
    let named = bounce
        .named_lists
        .iter()
        .chain(bounce.rule.iter().flat_map(|r| r.lists.iter()));
    for zone in named {
        if !out.iter().any(|l| l.is(zone)) {
            if let Ok(l) = Blocklist::parse(zone) {
                out.push(l);
            }
        }
    }
    out
}

/// Runs the checks `bounce.checks` names that are not identity checks, for `ip` (the sending IP)
/// and the domains the bounce names, all at once.
pub async fn follow_up<R: Resolver>(
    resolver: &R,
    bounce: &Bounce,
    ip: Option<IpAddr>,
    options: &FollowUpOptions,
) -> FollowUp {
    let cached = &Cached::new(resolver);
    let wants = |k: CheckKind| bounce.checks.contains(&k);
    let (mail_from, from) = domains(bounce);
    let mut skipped = Vec::new();
    let no_ip = "the bounce names no sending IP (paste the log line, or check the address with `sendercheck ip`)";
    let no_sender = "the bounce does not show the sender's address";

    let lists = lists_for(bounce, &options.blocklists);
    let blocklists = match (wants(CheckKind::Blocklist), ip) {
        (true, Some(ip)) => Some(ip),
        (true, None) => {
            skipped.push((CheckKind::Blocklist, no_ip.to_string()));
            None
        }
        _ => None,
    };
    let spf_for = match (wants(CheckKind::Spf), ip, bounce.sender.as_deref()) {
        (true, Some(ip), Some(sender)) => Some((ip, sender)),
        (true, None, _) => {
            skipped.push((CheckKind::Spf, no_ip.to_string()));
            None
        }
        (true, _, None) => {
            skipped.push((CheckKind::Spf, no_sender.to_string()));
            None
        }
        _ => None,
    };
    let dmarc_for = (wants(CheckKind::Dmarc) || wants(CheckKind::Alignment))
        .then_some(from.clone())
        .flatten();
    for k in [CheckKind::Dmarc, CheckKind::Alignment] {
        if wants(k) && from.is_none() {
            skipped.push((
                k,
                "the bounce shows neither the From nor the sender's address".to_string(),
            ));
        }
    }
    let queries: Vec<DkimQuery> = bounce
        .signatures
        .iter()
        .filter_map(|s| DkimQuery::new(&s.selector, &DomainName::parse(&s.domain).ok()?).ok())
        .collect();
    if wants(CheckKind::Dkim) && queries.is_empty() {
        skipped.push((CheckKind::Dkim, "the bounce shows no DKIM signature, so the selector is unknown (check it with the selector your server signs with)".to_string()));
    }
    let mx_for = wants(CheckKind::Mx).then_some(mail_from.clone()).flatten();
    if wants(CheckKind::Mx) && mail_from.is_none() {
        skipped.push((CheckKind::Mx, no_sender.to_string()));
    }
    // The identifiers aligned against the From domain: the SPF domain and each signature's d=.
    let mut identifiers: Vec<DomainName> = mail_from.iter().cloned().collect();
    identifiers.extend(queries.iter().map(|q| q.domain.clone()));
    let helo = bounce.helo.clone().unwrap_or_default();

    let (listings, spf, dmarc_and_walks, dkim, mx) = join5(
        OptionFuture::from(blocklists.map(|ip| blocklist::check_cached(cached, ip, &lists))),
        OptionFuture::from(spf_for.map(|(ip, sender)| {
            let helo = if helo.is_empty() {
                mail_from.as_ref().map_or("", |d| d.as_str()).to_string()
            } else {
                helo.clone()
            };
            async move { spf_mail_from(cached, ip, sender, &helo).await }
        })),
        OptionFuture::from(dmarc_for.map(|from| {
            let ids = identifiers.clone();
            async move { join(check_dmarc(cached, &from), org_domains(cached, &ids)).await }
        })),
        async {
            if queries.is_empty() {
                Vec::new()
            } else {
                check_selectors(cached, &queries).await
            }
        },
        OptionFuture::from(mx_for.map(|d| async move { check_mx(cached, &d).await })),
    )
    .await;
    let (dmarc, alignment) = match dmarc_and_walks {
        Some((dmarc, mut walks)) => {
            let dkim_walks = walks.split_off(usize::from(mail_from.is_some()));
            let from_org = OrgDomain::from_walk(dmarc.walk.clone());
            let (aspf, adkim) = dmarc.modes();
            let alignment = wants(CheckKind::Alignment)
                .then(|| align(&from_org, walks.first(), &dkim_walks, aspf, adkim));
            (Some(dmarc), alignment)
        }
        None => (None, None),
    };
    FollowUp {
        ip,
        blocklists: listings,
        spf,
        dmarc: dmarc.filter(|_| wants(CheckKind::Dmarc) || wants(CheckKind::Alignment)),
        alignment,
        dkim,
        mx,
        skipped,
    }
}
