//! Checking a host name: every address in its A and AAAA records, each as a sending IP.

use futures::future::{join3, join_all};

use super::check::{check_cached, Report, Verdict};
use crate::dns::{lookup, Cached, DomainName, Lookup, RecordType, Resolver};

/// The check of every address of one host name.
#[derive(Debug, Clone, PartialEq)]
pub struct HostReport {
    /// The name checked.
    pub host: DomainName,
    /// Its A lookup.
    pub a: Lookup,
    /// Its AAAA lookup.
    pub aaaa: Lookup,
    /// One report per address, A records first, in answer order.
    pub reports: Vec<Report>,
}

impl HostReport {
    /// Why no address could be checked, when none could: the name has none, or the resolver gave
    /// no answer about them (then nothing is known of the name's addresses).
    pub fn problem(&self) -> Option<String> {
        if !self.reports.is_empty() {
            return None;
        }
        let a = self.a.outcome.describe(RecordType::A);
        let aaaa = self.aaaa.outcome.describe(RecordType::Aaaa);
        Some(if self.unanswered() {
            format!(
                "Could not check {}: the resolver gave no DNS answer about its addresses (A: {a}; AAAA: {aaaa}). Check again through another resolver.",
                self.host
            )
        } else {
            format!(
                "{} has no address to check: A: {a}; AAAA: {aaaa}",
                self.host
            )
        })
    }

    /// True when the resolver gave no DNS answer to the A or AAAA question
    /// ([`Outcome::is_unanswered`](crate::dns::Outcome::is_unanswered)).
    fn unanswered(&self) -> bool {
        self.a.outcome.is_unanswered() || self.aaaa.outcome.is_unanswered()
    }

    /// The worst verdict over all addresses; with no address, `unchecked` if the resolver gave no
    /// answer to the A or AAAA question, `temperror` if one failed transiently in the DNS
    /// (SERVFAIL), else `fail`.
    pub fn verdict(&self) -> Verdict {
        if self.reports.is_empty() {
            return if self.unanswered() {
                Verdict::Unchecked
            } else if self.a.outcome.is_temporary() || self.aaaa.outcome.is_temporary() {
                Verdict::TempError
            } else {
                Verdict::Fail
            };
        }
        Verdict::worst(self.reports.iter().map(Report::verdict))
    }
}

/// Looks up the host's A and AAAA records at once, then checks every address at once.
///
/// The host name's SOA goes out in the first round too: a host's addresses usually have the host
/// name as their PTR name, whose confirmation asks that name's A (the host lookup's own answer)
/// and its SOA (the zone, for where to fix it). Asked here, both come from the run's cache, so
/// the verdict takes the host lookup plus one round (the PTRs), not a third round for the SOA.
pub async fn check_host<R: Resolver>(
    resolver: &R,
    host: DomainName,
    helo: Option<&str>,
) -> HostReport {
    let resolver = &Cached::new(resolver);
    let (a, aaaa, _zone) = join3(
        lookup(resolver, host.clone(), RecordType::A),
        lookup(resolver, host.clone(), RecordType::Aaaa),
        lookup(resolver, host.clone(), RecordType::Soa),
    )
    .await;
    let mut addresses = a.addresses();
    for ip in aaaa.addresses() {
        if !addresses.contains(&ip) {
            addresses.push(ip);
        }
    }
    let reports = join_all(
        addresses
            .into_iter()
            .map(|ip| check_cached(resolver, ip, helo)),
    )
    .await;
    HostReport {
        host,
        a,
        aaaa,
        reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Rcode;
    use crate::testing::{a, aaaa, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    fn name(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    #[test]
    fn every_address_in_three_round_trips() {
        let fixed = FixedResolver::new()
            .answer(
                "mail.example",
                RecordType::A,
                Rcode::NoError,
                vec![
                    a("mail.example", "192.0.2.1"),
                    a("mail.example", "192.0.2.2"),
                ],
            )
            .answer(
                "mail.example",
                RecordType::Aaaa,
                Rcode::NoError,
                vec![aaaa("mail.example", "2001:db8::1")],
            );
        let rt = RoundTrips::new(fixed);
        let (h, rounds) = rt.run(check_host(&rt, name("mail.example"), None));
        let ips: Vec<String> = h.reports.iter().map(|r| r.ip.to_string()).collect();
        assert_eq!(ips, vec!["192.0.2.1", "192.0.2.2", "2001:db8::1"]);
        // Host lookup, then PTR lookups; no PTR published, so no third trip.
        assert_eq!(rounds, 2);
        assert_eq!(h.verdict(), Verdict::Fail);
        assert_eq!(h.problem(), None);
    }

    /// A host whose addresses share the PTR name that is also the EHLO name: the host lookup, then
    /// one round for every address's PTR (the forward answer is the host lookup's own).
    #[test]
    fn a_host_costs_its_lookup_plus_the_rounds_of_one_address() {
        let fixed = FixedResolver::new()
            .ptr_and_address("192.0.2.10", "mail.example", "192.0.2.10")
            .answer(
                "mail.example",
                RecordType::A,
                Rcode::NoError,
                vec![a("mail.example", "192.0.2.10")],
            );
        let rt = RoundTrips::new(fixed);
        let (h, rounds) = rt.run(check_host(
            &rt,
            name("mail.example"),
            Some("EHLO mail.example"),
        ));
        assert_eq!(h.verdict(), Verdict::Pass);
        assert_eq!(rounds, 2);
        // Five questions in all: A and AAAA of the host, the PTR, and the SOA of the reverse name
        // and of the host name (the zones, for the where-to-fix advice).
        assert_eq!(rt.sent(), 5);
    }

    /// Without an EHLO line too: the PTR name's A and SOA were asked in the host's round.
    #[test]
    fn a_host_without_ehlo_takes_two_rounds() {
        let fixed = FixedResolver::new()
            .ptr_and_address("192.0.2.10", "mail.example", "192.0.2.10")
            .answer(
                "mail.example",
                RecordType::A,
                Rcode::NoError,
                vec![a("mail.example", "192.0.2.10")],
            );
        let rt = RoundTrips::new(fixed);
        let (h, rounds) = rt.run(check_host(&rt, name("mail.example"), None));
        assert_eq!(h.verdict(), Verdict::Pass);
        assert_eq!(rounds, 2);
        assert_eq!(rt.sent(), 5);
    }

    #[test]
    fn no_address() {
        let r = FixedResolver::new()
            .answer("gone.example", RecordType::A, Rcode::NxDomain, vec![])
            .answer("gone.example", RecordType::Aaaa, Rcode::NxDomain, vec![]);
        let h = block_on(check_host(&r, name("gone.example"), None));
        assert_eq!(h.verdict(), Verdict::Fail);
        assert_eq!(
            h.problem().unwrap(),
            "gone.example has no address to check: A: the name does not exist (NXDOMAIN); AAAA: the name does not exist (NXDOMAIN)"
        );
        let r = FixedResolver::new().answer("sf.example", RecordType::A, Rcode::ServFail, vec![]);
        let h = block_on(check_host(&r, name("sf.example"), None));
        assert_eq!(h.verdict(), Verdict::TempError);
        assert!(h
            .problem()
            .unwrap()
            .starts_with("sf.example has no address to check: A: the resolver answered SERVFAIL"));
        // The resolver's own failure: nothing is known about the addresses.
        let r = FixedResolver::new()
            .answer("down.example", RecordType::A, Rcode::NxDomain, vec![])
            .error(
                "down.example",
                RecordType::Aaaa,
                crate::dns::ResolveError::Http { status: 503 },
            );
        let h = block_on(check_host(&r, name("down.example"), None));
        assert_eq!(h.verdict(), Verdict::Unchecked);
        assert_eq!(
            h.problem().unwrap(),
            "Could not check down.example: the resolver gave no DNS answer about its addresses (A: the name does not exist (NXDOMAIN); AAAA: the resolver answered HTTP 503). Check again through another resolver."
        );
    }
}
