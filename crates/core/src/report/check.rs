//! The full check of one sending address: FCrDNS, generic rDNS and, when given, the EHLO name.
//!
//! Questions that do not depend on each other go out together: the PTR query and the EHLO name's
//! forward query start at once, then the forward queries of all PTR names start at once, through
//! the run's answer cache ([`Cached`]). Each of these names' SOA question rides along in the same
//! round (the reverse zone and the zones of the PTR and EHLO names, for the where-to-fix advice). A full check therefore waits for two round trips on its
//! critical path, one when the EHLO name is a PTR name (its forward answer is the one the PTR name
//! needs), three only when an alias chain must be chased with a new question.

use std::net::IpAddr;

use futures::future::join3;

use crate::dns::{canonical, Cached, Exchange, Resolver};
use crate::finding::Finding;
use crate::identity::helo::{
    forward_of_helo, judge_helo, parse_helo, zone_of_helo, HeloCheck, HeloResult,
};
use crate::identity::iprev::{check_iprev, Iprev, IprevResult};

/// The overall verdict of a report or a set of reports; it orders as pass < temperror <
/// unchecked < fail, and the worst one wins.
///
/// `temperror` and `unchecked` both leave the answer open, for different reasons. `temperror` is
/// what the DNS said (SERVFAIL): receivers asking their own resolvers meet the same failure and
/// defer the mail. `unchecked` is this check's own failure: the resolver it asks gave no DNS
/// answer (network, HTTP status, not DNS, timeout; [`Outcome::is_unanswered`]), so nothing is
/// known about what receivers see. Unchecked ranks above temperror because part of the check was
/// never made, and the first thing to do is to check again through another resolver; a `fail`
/// found meanwhile still wins, as it holds whatever the rest would say.
///
/// [`Outcome::is_unanswered`]: crate::dns::Outcome::is_unanswered
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Every result is `pass`.
    Pass,
    /// Nothing failed, but the DNS answered with an error (SERVFAIL), so something could not be
    /// evaluated (`temperror`).
    TempError,
    /// Nothing failed, but the resolver gave no answer to a question the verdict needs: the
    /// check could not be made (`unchecked`).
    Unchecked,
    /// Some result is `fail` or `permerror`.
    Fail,
}

impl Verdict {
    /// The verdict word (`pass`, `temperror`, `unchecked`, `fail`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::TempError => "temperror",
            Verdict::Unchecked => "unchecked",
            Verdict::Fail => "fail",
        }
    }

    /// The worst of several verdicts (`Pass` for none).
    pub fn worst(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts.into_iter().max().unwrap_or(Verdict::Pass)
    }
}

crate::serialize_as_str!(Verdict);

/// Everything known about one sending address.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The address checked (IPv4-mapped IPv6 is already IPv4).
    pub ip: IpAddr,
    /// The FCrDNS evaluation.
    pub iprev: Iprev,
    /// The EHLO check, when an EHLO line was given.
    pub helo: Option<HeloCheck>,
    /// What to tell the user, most severe first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Pass, temperror, unchecked or fail, combining the iprev and EHLO results. The EHLO check
    /// is `temperror` only when iprev is, so an unanswered PTR side makes both unchecked.
    pub fn verdict(&self) -> Verdict {
        let iprev = match self.iprev.result {
            IprevResult::Pass => Verdict::Pass,
            IprevResult::TempError if self.iprev.unanswered().is_some() => Verdict::Unchecked,
            IprevResult::TempError => Verdict::TempError,
            IprevResult::Fail | IprevResult::PermError => Verdict::Fail,
        };
        let helo = self.helo.as_ref().map(|h| match h.result {
            HeloResult::Pass => Verdict::Pass,
            HeloResult::TempError => Verdict::TempError,
            HeloResult::Fail => Verdict::Fail,
        });
        Verdict::worst([iprev].into_iter().chain(helo))
    }

    /// Every DNS question behind the report with its answer, once each, in the order the lookups
    /// were made (a question two lookups shared, such as the EHLO name's forward lookup when it is
    /// a PTR name, is listed once).
    pub fn exchanges(&self) -> Vec<&Exchange> {
        let helo = self
            .helo
            .iter()
            .flat_map(|h| h.forward.iter().chain(h.soa.iter()));
        let mut out: Vec<&Exchange> = Vec::new();
        for e in self
            .iprev
            .all_lookups()
            .chain(helo)
            .flat_map(|l| l.exchanges.iter())
        {
            if !out.iter().any(|o| o.question == e.question) {
                out.push(e);
            }
        }
        out
    }
}

/// Checks one sending address and, optionally, the EHLO line it sends.
///
/// ```
/// # use sendercheck_core::{check, parse_ip, Verdict};
/// # use sendercheck_core::dns::{Answer, Question, Rcode, ResolveError, Resolver};
/// # use sendercheck_core::identity::iprev::IprevResult;
/// # use std::future::Future;
/// // A resolver that knows nothing: every name is NXDOMAIN.
/// struct Empty;
/// impl Resolver for Empty {
///     fn query(&self, _: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
///         async { Ok(Answer::new(Rcode::NxDomain, vec![])) }
///     }
/// }
/// let ip = parse_ip("192.0.2.1").unwrap();
/// let report = futures::executor::block_on(check(&Empty, ip, Some("EHLO mail.example.com")));
/// assert_eq!(report.iprev.result, IprevResult::PermError);
/// assert_eq!(report.verdict(), Verdict::Fail);
/// assert!(report.findings.iter().any(|f| f.id == "iprev-no-ptr"));
/// ```
pub async fn check<R: Resolver>(resolver: &R, ip: IpAddr, helo: Option<&str>) -> Report {
    check_cached(&Cached::new(resolver), ip, helo).await
}

/// [`check`] through a cache the caller owns, so a run of several checks (a host's addresses, a
/// batch) asks each question once.
pub(crate) async fn check_cached<R: Resolver>(
    resolver: &Cached<R>,
    ip: IpAddr,
    helo: Option<&str>,
) -> Report {
    let ip = canonical(ip);
    let helo = helo.map(parse_helo);
    let helo_forward = async {
        match &helo {
            Some(h) => forward_of_helo(resolver, h, ip).await,
            None => None,
        }
    };
    let helo_zone = async {
        match &helo {
            Some(h) => zone_of_helo(resolver, h).await,
            None => None,
        }
    };
    let (iprev, helo_forward, helo_zone) =
        join3(check_iprev(resolver, ip), helo_forward, helo_zone).await;
    let helo = helo.map(|h| {
        let mut judged = judge_helo(h, helo_forward, &iprev);
        if let Some((soa, zone)) = helo_zone {
            judged.soa = Some(soa);
            judged.zone = zone;
        }
        judged
    });
    let findings = crate::identity::findings(&iprev, helo.as_ref());
    Report {
        ip,
        iprev,
        helo,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::parse_ip;
    use crate::dns::{Rcode, RecordType};
    use crate::identity::helo::HeloKind;
    use crate::report::headline;
    use crate::testing::{a, negative, soa, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    const REV: &str = "10.2.0.192.in-addr.arpa";

    fn testbed() -> FixedResolver {
        let rev_soa = soa(
            "2.0.192.in-addr.arpa",
            "ns1.digitalocean.com",
            "hostmaster.digitalocean.com",
        );
        let fwd_soa = soa("example.com", "ada.ns.cloudflare.com", "dns.cloudflare.com");
        FixedResolver::new()
            .ptr_and_address("192.0.2.10", "mail.example.com", "192.0.2.10")
            .with_answer(
                REV,
                RecordType::Soa,
                negative(Rcode::NoError, vec![rev_soa]),
            )
            .with_answer(
                "mail.example.com",
                RecordType::Soa,
                negative(Rcode::NoError, vec![fwd_soa]),
            )
            .answer(
                "other.example.com",
                RecordType::A,
                Rcode::NoError,
                vec![a("other.example.com", "198.51.100.7")],
            )
    }

    fn run(helo: &str) -> Report {
        block_on(check(
            &testbed(),
            parse_ip("192.0.2.10").unwrap(),
            Some(helo),
        ))
    }

    #[test]
    fn full_check_takes_two_round_trips() {
        let rt = RoundTrips::new(testbed());
        let ip = parse_ip("192.0.2.10").unwrap();
        let (report, rounds) = rt.run(check(&rt, ip, Some("EHLO other.example.com")));
        assert_eq!(rounds, 2);
        // PTR, A of each name, and the SOA of the reverse name and of each name.
        assert_eq!(report.exchanges().len(), 6);
    }

    /// The EHLO name's forward question is the one the PTR name needs, so the cache answers the
    /// second asker from the first round: one round trip, whatever the case or trailing dot.
    #[test]
    fn one_round_trip_when_the_ehlo_name_is_the_ptr_name() {
        for helo in [
            "EHLO mail.example.com",
            "EHLO MAIL.Example.COM",
            "EHLO mail.example.com.",
            "250 Mail.Example.Com.",
        ] {
            let rt = RoundTrips::new(testbed());
            let ip = parse_ip("192.0.2.10").unwrap();
            let (report, rounds) = rt.run(check(&rt, ip, Some(helo)));
            assert_eq!(rounds, 1, "{helo}");
            assert_eq!(report.verdict(), Verdict::Pass, "{helo}");
            // PTR, the A question and the two SOA questions, each asked once.
            assert_eq!(report.exchanges().len(), 4, "{helo}");
            assert_eq!(rt.sent(), 4, "{helo}");
            // The zones came with them: who runs the reverse zone, where the name lives.
            let zone = report.iprev.reverse_zone.as_ref().unwrap();
            assert_eq!(
                (zone.apex.as_str(), zone.primary_ns.as_str()),
                ("2.0.192.in-addr.arpa", "ns1.digitalocean.com")
            );
            let helo_zone = report.helo.as_ref().unwrap().zone.as_ref().unwrap();
            assert_eq!(helo_zone.apex, "example.com");
            assert_eq!(report.iprev.names[0].zone.as_ref(), Some(helo_zone));
        }
        // Without an EHLO name the forward lookup waits for the PTR answer.
        let rt = RoundTrips::new(testbed());
        let (_, rounds) = rt.run(check(&rt, parse_ip("192.0.2.10").unwrap(), None));
        assert_eq!(rounds, 2);
    }

    #[test]
    fn helo_results() {
        let r = run("EHLO MAIL.example.com.");
        let h = r.helo.as_ref().unwrap();
        assert_eq!(
            (h.result, h.matches_ptr, h.resolves_to_ip),
            (HeloResult::Pass, true, Some(true))
        );
        assert_eq!(r.verdict(), Verdict::Pass);

        let r = run("EHLO other.example.com");
        let h = r.helo.as_ref().unwrap();
        assert_eq!(
            (h.result, h.matches_ptr, h.resolves_to_ip),
            (HeloResult::Fail, false, Some(false))
        );
        assert!(r.findings.iter().any(|f| f.id == "helo-mismatch"));
        assert_eq!(r.verdict(), Verdict::Fail);

        let r = run("EHLO [192.0.2.10]");
        let h = r.helo.as_ref().unwrap();
        assert_eq!(
            (h.helo.kind, h.result, h.resolves_to_ip),
            (HeloKind::AddressLiteral, HeloResult::Fail, None)
        );
        assert!(r.findings.iter().any(|f| f.id == "helo-address-literal"));

        let r = run("EHLO localhost");
        assert!(r.findings.iter().any(|f| f.id == "helo-invalid"));
    }

    #[test]
    fn helo_temperror_when_ptr_side_is_unknown() {
        let fixed = FixedResolver::new().answer(REV, RecordType::Ptr, Rcode::ServFail, vec![]);
        let r = block_on(check(
            &fixed,
            parse_ip("192.0.2.10").unwrap(),
            Some("mail.example.com"),
        ));
        assert_eq!(r.helo.unwrap().result, HeloResult::TempError);
        assert_eq!(r.iprev.result, IprevResult::TempError);
    }

    #[test]
    fn headlines_name_the_receivers() {
        let h = |helo: &str| headline(&run(helo)).text;
        assert!(h("EHLO mail.example.com").starts_with("Accepted: Gmail, Yahoo and Fastmail"));
        assert!(
            h("EHLO other.example.com").starts_with("Accepted by Gmail and Yahoo, but Fastmail")
        );
        assert!(h("EHLO localhost").starts_with("Will be rejected by many receivers"));
        let fixed = FixedResolver::new().answer(REV, RecordType::Ptr, Rcode::NxDomain, vec![]);
        let r = block_on(check(&fixed, parse_ip("192.0.2.10").unwrap(), None));
        assert!(headline(&r)
            .text
            .starts_with("Will be rejected: 192.0.2.10 has no reverse DNS"));
    }

    #[test]
    fn a_resolver_failure_is_unchecked_and_a_servfail_temperror() {
        use crate::dns::ResolveError;
        let down =
            FixedResolver::new().error(REV, RecordType::Ptr, ResolveError::Http { status: 500 });
        let r = block_on(check(
            &down,
            parse_ip("192.0.2.10").unwrap(),
            Some("EHLO mail.example.com"),
        ));
        assert_eq!(
            (r.iprev.result, r.helo.as_ref().unwrap().result),
            (IprevResult::TempError, HeloResult::TempError)
        );
        assert_eq!(r.verdict(), Verdict::Unchecked);
        let h = headline(&r);
        assert_eq!(h.verdict, Verdict::Unchecked);
        assert_eq!(
            h.text,
            "Could not check 192.0.2.10: the resolver gave no DNS answer, so the check could not finish. Check again through another resolver."
        );
        let ids: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
        assert!(ids.contains(&"iprev-unchecked"), "{ids:?}");
        assert!(!ids.contains(&"iprev-temperror"), "{ids:?}");

        let servfail = FixedResolver::new().answer(REV, RecordType::Ptr, Rcode::ServFail, vec![]);
        let r = block_on(check(&servfail, parse_ip("192.0.2.10").unwrap(), None));
        assert_eq!(r.verdict(), Verdict::TempError);
        assert_eq!(
            headline(&r).text,
            "Could not tell: a DNS lookup for 192.0.2.10 failed, so receivers would defer the mail now and retry."
        );
    }

    #[test]
    fn verdict_order() {
        assert_eq!(
            Verdict::worst([Verdict::Pass, Verdict::TempError]),
            Verdict::TempError
        );
        assert_eq!(
            Verdict::worst([Verdict::Fail, Verdict::TempError]),
            Verdict::Fail
        );
        assert_eq!(
            Verdict::worst([Verdict::Unchecked, Verdict::TempError, Verdict::Pass]),
            Verdict::Unchecked
        );
        assert_eq!(
            Verdict::worst([Verdict::Unchecked, Verdict::Fail]),
            Verdict::Fail
        );
        assert_eq!(Verdict::worst([]), Verdict::Pass);
    }
}
