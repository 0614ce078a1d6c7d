//! The zone a name belongs to, read from the answer to one SOA question about the name itself.
//!
//! A name's zone is known without walking up the tree: asked for the SOA of a name inside a zone,
//! a server answers NODATA or NXDOMAIN with the zone's SOA in the authority section (RFC 2308 §3,
//! "the SOA record from the zone ... MUST be included"); asked at the apex itself, it answers the
//! SOA in the answer section (RFC 1034 §4.3.2). The SOA names the zone's primary name server
//! (MNAME) and its contact mailbox (RNAME, RFC 1035 §3.3.13), which together often name the zone's
//! operator. CNAMEs are followed as for any lookup, so an RFC 2317 classless delegation
//! (`70.2.0.192.in-addr.arpa` → `70.64/26.2.0.192.in-addr.arpa`) gives the delegated zone.
//!
//! The check asks this question beside the ones it needs anyway (the PTR, the forward lookups),
//! so it costs no round trip of its own.

use super::{in_zone, lookup, DomainName, Lookup, RData, RecordType, Resolver};

/// What an SOA answer says about the zone that holds a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFacts {
    /// The zone's apex: the owner of its SOA record (lower case, no trailing dot).
    pub apex: String,
    /// The SOA MNAME: the zone's primary name server.
    pub primary_ns: String,
    /// The SOA RNAME: the mailbox of the person responsible, as a name
    /// (`hostmaster.example.com` for hostmaster@example.com).
    pub rname: String,
}

impl ZoneFacts {
    /// The RNAME as a mail address: the first label is the local part (RFC 1035 §8). A local
    /// part with an escaped dot is rare and shown as it is written.
    pub fn contact(&self) -> String {
        match self.rname.split_once('.') {
            Some((local, domain)) if !local.ends_with('\\') => format!("{local}@{domain}"),
            _ => self.rname.clone(),
        }
    }
}

/// Asks the SOA of `name` (following CNAMEs) and reads its zone from the answer.
pub async fn zone_of<R: Resolver>(resolver: &R, name: DomainName) -> (Lookup, Option<ZoneFacts>) {
    let soa = lookup(resolver, name, RecordType::Soa).await;
    let facts = zone_facts(&soa);
    (soa, facts)
}

/// The zone an SOA lookup found: an SOA owned by the name the lookup ended at (the name is an
/// apex), else the SOA in the authority section of the last answer, when its owner is that name
/// or one of its ancestors (anything else would be a bogus answer).
pub fn zone_facts(soa: &Lookup) -> Option<ZoneFacts> {
    let answer = soa.exchanges.last()?.result.as_ref().ok()?;
    let end = soa
        .chain
        .last()
        .map_or(soa.question.name.as_str(), String::as_str);
    answer
        .records
        .iter()
        .filter(|r| r.name == end)
        .chain(answer.authority.iter().filter(|r| in_zone(end, &r.name)))
        .find_map(|r| match &r.data {
            RData::Soa(s) => Some(ZoneFacts {
                apex: r.name.clone(),
                primary_ns: s.mname.clone(),
                rname: s.rname.clone(),
            }),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Answer, Rcode};
    use crate::testing::{cname, negative, soa, FixedResolver};
    use futures::executor::block_on;

    fn name(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    #[test]
    fn from_the_authority_section_of_a_negative_answer() {
        let rev = "10.2.0.192.in-addr.arpa";
        let answer = negative(
            Rcode::NoError,
            vec![soa(
                "2.0.192.in-addr.arpa",
                "ns1.digitalocean.com",
                "hostmaster.example.net",
            )],
        );
        let r = FixedResolver::new().with_answer(rev, RecordType::Soa, answer);
        let (lookup, facts) = block_on(zone_of(&r, name(rev)));
        let facts = facts.unwrap();
        assert_eq!(facts.apex, "2.0.192.in-addr.arpa");
        assert_eq!(facts.primary_ns, "ns1.digitalocean.com");
        assert_eq!(facts.contact(), "hostmaster@example.net");
        assert_eq!(lookup.exchanges.len(), 1);
    }

    #[test]
    fn at_the_apex_and_through_an_rfc2317_alias() {
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Soa,
            Rcode::NoError,
            vec![soa("example.com", "ns1.example.com", "dns.example.com")],
        );
        let (_, facts) = block_on(zone_of(&r, name("example.com")));
        assert_eq!(facts.unwrap().apex, "example.com");

        let rev = "70.2.0.192.in-addr.arpa";
        let child = "70.64/26.2.0.192.in-addr.arpa";
        let mut answer = Answer::new(Rcode::NoError, vec![cname(rev, child)]);
        answer.authority = vec![soa(
            "64/26.2.0.192.in-addr.arpa",
            "ns1.your-server.de",
            "postmaster.your-server.de",
        )];
        let r = FixedResolver::new().with_answer(rev, RecordType::Soa, answer);
        let (_, facts) = block_on(zone_of(&r, name(rev)));
        assert_eq!(facts.unwrap().apex, "64/26.2.0.192.in-addr.arpa");
    }

    #[test]
    fn nothing_from_an_unrelated_or_missing_soa() {
        let answer = negative(
            Rcode::NxDomain,
            vec![soa("example.org", "ns.example.org", "x.example.org")],
        );
        let r = FixedResolver::new()
            .with_answer("mail.example.com", RecordType::Soa, answer)
            .answer("sf.example.com", RecordType::Soa, Rcode::ServFail, vec![]);
        assert_eq!(block_on(zone_of(&r, name("mail.example.com"))).1, None);
        assert_eq!(block_on(zone_of(&r, name("sf.example.com"))).1, None);
        // Not an ancestor by labels, only by characters.
        let answer = negative(
            Rcode::NxDomain,
            vec![soa("ample.com", "ns.ample.com", "x.ample.com")],
        );
        let r =
            FixedResolver::new().with_answer("ex.ample.com.example.com", RecordType::Soa, answer);
        assert_eq!(
            block_on(zone_of(&r, name("ex.ample.com.example.com"))).1,
            None
        );
    }

    #[test]
    fn contact_addresses() {
        let f = |rname: &str| {
            ZoneFacts {
                apex: "example.com".into(),
                primary_ns: "ns.example.com".into(),
                rname: rname.into(),
            }
            .contact()
        };
        assert_eq!(f("hostmaster.example.com"), "hostmaster@example.com");
        assert_eq!(f("com"), "com");
    }
}
