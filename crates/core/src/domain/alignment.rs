//! Identifier alignment (RFC 9989 §3.2.10, §4.4, §4.10.2): does the RFC5322.From domain match the
//! domain SPF authenticated, or a DKIM signature's `d=`?
//!
//! Strict alignment (`aspf=s`, `adkim=s`) wants identical domains; relaxed (the default) the same
//! organizational domain, found by the same DNS tree walk as the DMARC policy
//! ([`walk`]) from each domain. The SPF-authenticated domain is the MAIL FROM domain,
//! or, for a null reverse-path (`<>`, bounces), the HELO name (RFC 7208 §2.4, which RFC 9989
//! §3.2.4 refers to).
//!
//! Every name of every walk is known from the input, so [`org_domains`] can go out in the run's
//! first round beside the DMARC check, and [`align`] then needs no DNS at all;
//! [`check_alignment`] does both for callers that have the DMARC result already.
//!
//! Alignment says whether the identifiers *match*; whether SPF and DKIM *pass* is for their own
//! checks. DMARC passes when an identifier both passes and aligns (RFC 9989 §5.3.5).

use futures::future::join_all;
use serde::Serialize;

use super::dmarc::discovery::{walk, Walk};
use super::dmarc::{Dmarc, Mode};
use crate::dns::{Cached, DomainName, Resolver};
use crate::finding::{most_severe_first, Finding, FindingId};

/// A domain and its organizational domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgDomain {
    /// The domain.
    pub domain: DomainName,
    /// Its organizational domain (RFC 9989 §4.10.2); `None` when a lookup failed transiently.
    pub org: Option<DomainName>,
    /// The tree walk behind it.
    #[serde(skip)]
    pub walk: Walk,
}

impl OrgDomain {
    /// The organizational domain a finished walk yields.
    pub fn from_walk(walk: Walk) -> OrgDomain {
        OrgDomain {
            domain: walk.start.clone(),
            org: walk.org_domain(),
            walk,
        }
    }
}

/// Walks from `domain` to find its organizational domain (one round trip).
pub async fn org_domain<R: Resolver>(resolver: &Cached<R>, domain: &DomainName) -> OrgDomain {
    OrgDomain::from_walk(walk(resolver, domain).await)
}

/// The organizational domains of several domains, all walks at once (one round trip; names the
/// walks share are asked once).
pub async fn org_domains<R: Resolver>(
    resolver: &Cached<R>,
    domains: &[DomainName],
) -> Vec<OrgDomain> {
    join_all(domains.iter().map(|d| org_domain(resolver, d))).await
}

/// The domain SPF authenticates for DMARC: the domain of the MAIL FROM (reverse-path) address,
/// or, when it is null (`<>` or empty: a bounce), the HELO name (RFC 7208 §2.4). `None` when
/// neither gives a domain name.
///
/// ```
/// # use sendercheck_core::domain::alignment::spf_domain;
/// assert_eq!(spf_domain("<Bounce@Mail.Example.com>", None).unwrap().as_str(), "mail.example.com");
/// assert_eq!(spf_domain("<>", Some("mx1.example.net")).unwrap().as_str(), "mx1.example.net");
/// assert_eq!(spf_domain("", None), None);
/// ```
pub fn spf_domain(mail_from: &str, helo: Option<&str>) -> Option<DomainName> {
    let path = mail_from
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if path.is_empty() {
        return helo.and_then(|h| DomainName::parse(h).ok());
    }
    let domain = path.rsplit_once('@').map_or(path, |(_, d)| d);
    DomainName::parse(domain).ok()
}

/// One authenticated identifier compared with the From domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifier {
    /// The identifier's domain (SPF domain or DKIM `d=`).
    pub domain: DomainName,
    /// Its organizational domain, when known.
    pub org: Option<DomainName>,
    /// Aligned with the From domain in the record's mode; `None` when unknown.
    pub aligned: Option<bool>,
    /// Whether it would align in relaxed mode (differs from `aligned` only under strict mode).
    pub relaxed: Option<bool>,
}

/// The alignment of a message's identifiers with its From domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alignment {
    /// The RFC5322.From domain.
    pub from: DomainName,
    /// Its organizational domain, when known.
    pub from_org: Option<DomainName>,
    /// SPF alignment mode (`aspf`).
    pub aspf: Mode,
    /// DKIM alignment mode (`adkim`).
    pub adkim: Mode,
    /// The SPF domain aligns; `null` when no SPF domain was given or it is unknown.
    pub spf: Option<bool>,
    /// Some DKIM `d=` aligns; `null` when none was given or it is unknown.
    pub dkim: Option<bool>,
    /// The SPF domain, compared.
    pub spf_domain: Option<Identifier>,
    /// Each DKIM `d=`, compared.
    pub dkim_domains: Vec<Identifier>,
}

impl Alignment {
    /// For the providers' requirements: `Some(true)` when SPF or DKIM aligns, `Some(false)` when
    /// every identifier given is known not to (an identifier not given counts as absent from the
    /// message), `None` when none was given or one is unknown.
    pub fn aligned(&self) -> Option<bool> {
        match (self.spf, self.dkim) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            (Some(false), None) if self.dkim_domains.is_empty() => Some(false),
            (None, Some(false)) if self.spf_domain.is_none() => Some(false),
            _ => None,
        }
    }
}

fn compare(from: &OrgDomain, id: &OrgDomain, mode: Mode) -> Identifier {
    let relaxed = if id.domain == from.domain {
        Some(true)
    } else {
        match (&from.org, &id.org) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        }
    };
    let aligned = match mode {
        Mode::Strict => Some(id.domain == from.domain),
        Mode::Relaxed => relaxed,
    };
    Identifier {
        domain: id.domain.clone(),
        org: id.org.clone(),
        aligned,
        relaxed,
    }
}

/// Compares the identifiers with the From domain; no DNS.
pub fn align(
    from: &OrgDomain,
    spf: Option<&OrgDomain>,
    dkim: &[OrgDomain],
    aspf: Mode,
    adkim: Mode,
) -> Alignment {
    let spf_domain = spf.map(|s| compare(from, s, aspf));
    let dkim_domains: Vec<Identifier> = dkim.iter().map(|d| compare(from, d, adkim)).collect();
    let dkim = if dkim_domains.iter().any(|d| d.aligned == Some(true)) {
        Some(true)
    } else if !dkim_domains.is_empty() && dkim_domains.iter().all(|d| d.aligned == Some(false)) {
        Some(false)
    } else {
        None
    };
    Alignment {
        from: from.domain.clone(),
        from_org: from.org.clone(),
        aspf,
        adkim,
        spf: spf_domain.as_ref().and_then(|s| s.aligned),
        dkim,
        spf_domain,
        dkim_domains,
    }
}

/// Walks from the SPF domain and each DKIM `d=` (one round, names shared with the DMARC walk
/// come from the cache) and compares them with the From domain in the modes of `dmarc`'s record.
pub async fn check_alignment<R: Resolver>(
    resolver: &Cached<R>,
    dmarc: &Dmarc,
    spf: Option<&DomainName>,
    dkim: &[DomainName],
) -> Alignment {
    let mut domains: Vec<DomainName> = spf.into_iter().cloned().collect();
    domains.extend(dkim.iter().cloned());
    let mut walked = org_domains(resolver, &domains).await;
    let dkim_orgs = walked.split_off(usize::from(spf.is_some()));
    let from = OrgDomain::from_walk(dmarc.walk.clone());
    let (aspf, adkim) = dmarc.modes();
    align(&from, walked.first(), &dkim_orgs, aspf, adkim)
}

/// `aligned`, `not aligned`, or `unknown` (no identifier to compare), for reports.
pub fn aligned_word(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "aligned",
        Some(false) => "not aligned",
        None => "unknown",
    }
}

/// The alignment findings.
pub fn findings(a: &Alignment) -> Vec<Finding> {
    let mut out = Vec::new();
    let from = &a.from;
    let org = a.from_org.as_ref().unwrap_or(from);
    let describe = |id: &Identifier, kind: &str, mode: Mode| -> String {
        let org = id
            .org
            .as_ref()
            .map(|o| format!(", organizational domain {o}"))
            .unwrap_or_default();
        let verdict = aligned_word(id.aligned);
        format!(
            "{kind} {}{org}: {verdict} ({} mode)",
            id.domain,
            mode.word()
        )
    };
    let mut seen: Vec<String> = Vec::new();
    if let Some(s) = &a.spf_domain {
        seen.push(describe(s, "SPF domain", a.aspf));
    }
    for d in &a.dkim_domains {
        seen.push(describe(d, "DKIM d=", a.adkim));
    }
    let list = seen.join("; ");
    let from_line = format!(
        "From domain {from}{}",
        a.from_org
            .as_ref()
            .filter(|o| *o != from)
            .map(|o| format!(" (organizational domain {o})"))
            .unwrap_or_default()
    );
    if seen.is_empty() {
        return out;
    }
    let unknown = a
        .spf_domain
        .iter()
        .chain(&a.dkim_domains)
        .any(|i| i.aligned.is_none());
    match a.aligned() {
        Some(true) => {
            let spf_ok = a.spf == Some(true);
            let dkim_ok = a.dkim == Some(true);
            out.push(
                FindingId::AlignmentPass
                    .says(format!(
                        "{from} aligns with {}",
                        match (spf_ok, dkim_ok) {
                            (true, true) => "its SPF and DKIM domains",
                            (true, false) => "its SPF domain",
                            _ => "a DKIM signing domain",
                        }
                    ))
                    .because(format!(
                        "{from_line}; {list}. DMARC passes when an identifier that passes SPF or DKIM aligns with the From domain (RFC 9989 §5.3.5); Gmail (5.7.32), Yahoo and Outlook.com (550 5.7.515) require that from bulk senders."
                    )),
            );
            let spf_broken = a.spf == Some(false);
            let dkim_broken = a.dkim == Some(false);
            if (spf_ok && dkim_broken) || (dkim_ok && spf_broken) {
                let (good, other) = if spf_ok { ("SPF", "DKIM") } else { ("DKIM", "SPF") };
                out.push(
                    FindingId::AlignmentPartial
                        .says(format!("Only {good} aligns with {from}"))
                        .because(format!(
                            "{list}. DMARC rests on {good} alone: if it breaks (forwarding breaks SPF; mailing lists that change the message break DKIM), DMARC fails. RFC 9989 §5.1 recommends that both align."
                        ))
                        .fixed_by(if other == "DKIM" {
                            format!("Sign with d={org} (or a subdomain of it) as well.")
                        } else {
                            format!("Use a MAIL FROM (Return-Path) domain in {org}, such as bounces.{org}, with its own SPF record.")
                        }),
                );
            }
        }
        Some(false) => {
            let strict_only = a
                .spf_domain
                .iter()
                .chain(&a.dkim_domains)
                .any(|i| i.aligned == Some(false) && i.relaxed == Some(true));
            let strict = if strict_only {
                format!(
                    " The record asks for strict alignment (aspf={}, adkim={}); in relaxed mode it would align.",
                    a.aspf.as_str(),
                    a.adkim.as_str()
                )
            } else {
                String::new()
            };
            let missing = match (a.spf_domain.is_none(), a.dkim_domains.is_empty()) {
                (true, _) => " No SPF domain was given.",
                (_, true) => " No DKIM d= was given: a signature with d= in the From domain's organizational domain would align.",
                _ => "",
            };
            let mut fix = format!(
                "Sign with d={org} (or a subdomain of it), and use a MAIL FROM (Return-Path) domain in {org}, such as bounces.{org}, with its own SPF record."
            );
            if strict_only {
                fix.push_str(" Or relax the DMARC record's alignment: drop aspf=s and adkim=s.");
            }
            out.push(
                FindingId::AlignmentFail
                    .says(format!("Neither SPF nor DKIM aligns with {from}"))
                    .because(format!(
                        "{from_line}; {list}.{strict}{missing} Without an aligned identifier DMARC fails (RFC 9989 §5.3.5) and the record's policy applies; Gmail rate-limits and blocks such bulk mail (421-4.7.32 / 550-5.7.32 \"the From: header isn't aligned with either the authenticated SPF or DKIM organizational domain\"), Yahoo rejects it (554 5.7.9) and so does Outlook.com (550 5.7.515)."
                    ))
                    .fixed_by(fix),
            );
        }
        None if unknown => out.push(
            FindingId::AlignmentUnknown
                .says(format!("Could not tell whether {from} aligns"))
                .because(format!(
                    "{from_line}; {list}. An organizational domain could not be found because a DMARC lookup failed transiently (RFC 9989 §4.10.2 needs the tree walk)."
                ))
                .fixed_by("Try again, or with another resolver."),
        ),
        None => {}
    }
    most_severe_first(out)
}

#[cfg(test)]
mod tests {
    use super::super::dmarc::check_dmarc;
    use super::super::dmarc::tests::{dmarc, name};
    use super::*;
    use crate::dns::{Rcode, RecordType};
    use crate::testing::{FixedResolver, RoundTrips};
    use futures::executor::block_on;
    use futures::future::join;

    fn org(fixed: &FixedResolver, d: &str) -> OrgDomain {
        block_on(org_domain(&Cached::new(fixed), &name(d)))
    }

    fn zone() -> FixedResolver {
        let r = dmarc(FixedResolver::new(), "example.com", "v=DMARC1; p=reject");
        let r = dmarc(r, "signing.example.com", "v=DMARC1; p=none");
        dmarc(r, "bank.example", "v=DMARC1; p=none; psd=y")
    }

    /// RFC 9989 Appendix B.4.1 and B.4.3.
    #[test]
    fn relaxed_and_strict() {
        let r = zone();
        let from = org(&r, "example.com");
        let a = align(
            &from,
            Some(&org(&r, "example.com")),
            &[org(&r, "signing.example.com")],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!((a.spf, a.dkim), (Some(true), Some(true)));
        let a = align(
            &from,
            Some(&org(&r, "mail.example.com")),
            &[org(&r, "signing.example.com")],
            Mode::Strict,
            Mode::Strict,
        );
        assert_eq!((a.spf, a.dkim), (Some(false), Some(false)));
        assert_eq!(a.spf_domain.unwrap().relaxed, Some(true));

        let from = org(&r, "giant.bank.example");
        let a = align(
            &from,
            Some(&org(&r, "mail.giant.bank.example")),
            &[org(&r, "mail.mega.bank.example")],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!((a.spf, a.dkim), (Some(true), Some(false)));
        assert_eq!(a.aligned(), Some(true));
    }

    #[test]
    fn unknown_when_not_given_or_not_known() {
        let r = zone();
        let from = org(&r, "example.com");
        let a = align(&from, None, &[], Mode::Relaxed, Mode::Relaxed);
        assert_eq!((a.spf, a.dkim, a.aligned()), (None, None, None));
        assert!(findings(&a).is_empty());

        let sf = r.clone().answer(
            "_dmarc.other.example",
            RecordType::Txt,
            Rcode::ServFail,
            vec![],
        );
        let a = align(
            &from,
            Some(&org(&sf, "mail.other.example")),
            &[],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!(a.spf, None);
        let ids: Vec<String> = findings(&a).iter().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["alignment-unknown"]);
        // Identical domains align whatever the walk says.
        let a = align(
            &org(&sf, "other.example"),
            Some(&org(&sf, "other.example")),
            &[],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!(a.spf, Some(true));
    }

    #[test]
    fn spf_domains() {
        assert_eq!(
            spf_domain("user@example.com", None),
            Some(name("example.com"))
        );
        assert_eq!(spf_domain("example.com", None), Some(name("example.com")));
        assert_eq!(
            spf_domain(" <> ", Some("HELO.example.net")),
            Some(name("helo.example.net"))
        );
        assert_eq!(spf_domain("<>", None), None);
        assert_eq!(spf_domain("user@", None), None);
    }

    #[test]
    fn findings_say_what_aligns() {
        let r = zone();
        let from = org(&r, "example.com");
        let ids = |a: &Alignment| {
            findings(a)
                .iter()
                .map(|f| f.id.to_string())
                .collect::<Vec<_>>()
        };
        let a = align(
            &from,
            Some(&org(&r, "bounce.example.com")),
            &[org(&r, "example.com")],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!(ids(&a), ["alignment-pass"]);
        let a = align(
            &from,
            Some(&org(&r, "esp.example.net")),
            &[org(&r, "example.com")],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!(ids(&a), ["alignment-partial", "alignment-pass"]);
        let a = align(
            &from,
            Some(&org(&r, "esp.example.net")),
            &[org(&r, "esp.example.net")],
            Mode::Relaxed,
            Mode::Relaxed,
        );
        assert_eq!(ids(&a), ["alignment-fail"]);
        let f = &findings(&a)[0];
        assert!(f.detail.contains("5.7.32"), "{}", f.detail);
        assert!(f.fix.contains("d=example.com"));
        let a = align(
            &from,
            Some(&org(&r, "mail.example.com")),
            &[],
            Mode::Strict,
            Mode::Relaxed,
        );
        let f = &findings(&a)[0];
        assert_eq!(f.id, "alignment-fail");
        assert!(
            f.detail.contains("in relaxed mode it would align"),
            "{}",
            f.detail
        );
    }

    /// The DMARC check and the identifiers' walks share the first round.
    #[test]
    fn one_round_with_the_dmarc_check() {
        let rt = RoundTrips::new(zone());
        let cached = Cached::new(&rt);
        let ids = [name("bounce.example.com"), name("signing.example.com")];
        let ((d, walks), rounds) = rt.run(join(
            check_dmarc(&cached, &name("example.com")),
            org_domains(&cached, &ids),
        ));
        assert_eq!(rounds, 1);
        let from = OrgDomain::from_walk(d.walk.clone());
        let (aspf, adkim) = d.modes();
        let a = align(&from, Some(&walks[0]), &walks[1..], aspf, adkim);
        assert_eq!((a.spf, a.dkim), (Some(true), Some(true)));
        // _dmarc.example.com and _dmarc.com were asked once for all three walks.
        assert_eq!(rt.sent(), 2 + 3 + 2);

        // Afterwards, check_alignment only asks what the cache lacks.
        let (a, rounds) = rt.run(check_alignment(
            &cached,
            &d,
            Some(&name("example.com")),
            &[],
        ));
        assert_eq!((rounds, a.spf), (0, Some(true)));
        serde_json::to_value(&a).unwrap();
    }
}
