//! The name servers of the zones the check found, asked all at once: one more round trip.
//!
//! The check already knows each zone's apex from the SOA that rode along with its questions
//! (`dns::zone_of`); the apex's NS records are a second question, since the apex is known only
//! from the first answer. When an SOA answer named no zone (a resolver that leaves out the
//! authority section), the zone is found by asking the NS of every ancestor of the name at once:
//! the deepest one that has NS records is the apex (RFC 1034 §4.2.1: a zone's apex holds its NS
//! RRset). Names deeper than [`MAX_WALK`] labels (IPv6 reverse names) are not walked.

use futures::future::join_all;

use crate::dns::{in_zone, lookup, DomainName, Exchange, Lookup, Outcome, RData, RecordType};
use crate::dns::{Resolver, ZoneFacts};

/// The most ancestors asked about when no SOA named a zone.
pub const MAX_WALK: usize = 8;

/// A name whose zone is wanted: what its SOA said, and whether its zone may be walked for.
pub(crate) struct Wanted<'a> {
    pub name: &'a str,
    pub facts: Option<&'a ZoneFacts>,
    /// The SOA question was answered (not a transient failure) but named no zone.
    pub walk: bool,
}

/// A zone found: its apex and name servers (empty when the NS question failed or found none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Found {
    pub apex: Option<String>,
    pub ns: Vec<String>,
}

/// The ancestors of `name` with two labels or more, deepest first (`a.b.example.com` →
/// `a.b.example.com`, `b.example.com`, `example.com`); none when there are more than
/// [`MAX_WALK`].
fn ancestors(name: &str) -> Vec<&str> {
    let mut out = vec![name];
    out.extend(name.match_indices('.').map(|(at, _)| &name[at + 1..]));
    out.retain(|n| n.contains('.'));
    if out.len() > MAX_WALK {
        out.clear();
    }
    out
}

fn ns_of(l: &Lookup) -> Vec<String> {
    match &l.outcome {
        Outcome::Found(data) => data
            .iter()
            .filter_map(|d| match d {
                RData::Ns(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Asks the NS of every zone apex wanted, and of every ancestor of the names to walk, all at once.
pub(crate) async fn find<R: Resolver>(
    resolver: &R,
    wanted: &[Wanted<'_>],
) -> (Vec<Found>, Vec<Exchange>) {
    let mut asked: Vec<&str> = Vec::new();
    for w in wanted {
        let names = match (w.facts, w.walk) {
            (Some(f), _) => vec![f.apex.as_str()],
            (None, true) => ancestors(w.name),
            (None, false) => Vec::new(),
        };
        for n in names {
            if !asked.contains(&n) {
                asked.push(n);
            }
        }
    }
    let lookups: Vec<Lookup> = join_all(
        asked
            .iter()
            .filter_map(|n| DomainName::parse(n).ok())
            .map(|n| lookup(resolver, n, RecordType::Ns)),
    )
    .await;
    let ns_at = |apex: &str| {
        lookups
            .iter()
            .find(|l| l.question.name.as_str() == apex)
            .map(ns_of)
            .unwrap_or_default()
    };
    let found = wanted
        .iter()
        .map(|w| match (w.facts, w.walk) {
            (Some(f), _) => Found {
                apex: Some(f.apex.clone()),
                ns: ns_at(&f.apex),
            },
            (None, true) => ancestors(w.name)
                .into_iter()
                .map(|a| (a, ns_at(a)))
                .find(|(a, ns)| !ns.is_empty() && in_zone(w.name, a))
                .map(|(a, ns)| Found {
                    apex: Some(a.to_string()),
                    ns,
                })
                .unwrap_or_default(),
            (None, false) => Found::default(),
        })
        .collect();
    let exchanges = lookups.into_iter().flat_map(|l| l.exchanges).collect();
    (found, exchanges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Rcode;
    use crate::testing::{rec, FixedResolver, RoundTrips};

    fn ns(owner: &str, host: &str) -> crate::dns::Record {
        rec(owner, RecordType::Ns, RData::Ns(host.into()))
    }

    #[test]
    fn ancestors_with_two_labels_or_more() {
        assert_eq!(
            ancestors("a.b.example.com"),
            ["a.b.example.com", "b.example.com", "example.com"]
        );
        assert_eq!(ancestors("example.com"), ["example.com"]);
        assert!(
            ancestors("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
                .is_empty()
        );
    }

    #[test]
    fn apexes_and_walks_in_one_round() {
        let facts = ZoneFacts {
            apex: "example.com".into(),
            primary_ns: "ns1.example.net".into(),
            rname: "hostmaster.example.com".into(),
        };
        let fixed = FixedResolver::new()
            .answer(
                "example.com",
                RecordType::Ns,
                Rcode::NoError,
                vec![
                    ns("example.com", "ns1.example.net"),
                    ns("example.com", "ns2.example.net"),
                ],
            )
            .answer(
                "other.org",
                RecordType::Ns,
                Rcode::NoError,
                vec![ns("other.org", "ada.ns.cloudflare.com")],
            );
        let rt = RoundTrips::new(fixed);
        let wanted = [
            Wanted {
                name: "mail.example.com",
                facts: Some(&facts),
                walk: false,
            },
            Wanted {
                name: "www.example.com",
                facts: Some(&facts),
                walk: false,
            },
            Wanted {
                name: "mail.x.other.org",
                facts: None,
                walk: true,
            },
            Wanted {
                name: "sf.example.org",
                facts: None,
                walk: false,
            },
        ];
        let ((found, exchanges), rounds) = rt.run(find(&rt, &wanted));
        assert_eq!(rounds, 1);
        // example.com once, and the three ancestors of mail.x.other.org.
        assert_eq!(exchanges.len(), 4);
        assert_eq!(found[0].ns, ["ns1.example.net", "ns2.example.net"]);
        assert_eq!(found[0], found[1]);
        assert_eq!(found[2].apex.as_deref(), Some("other.org"));
        assert_eq!(found[2].ns, ["ada.ns.cloudflare.com"]);
        assert_eq!(found[3], Found::default());
    }
}
