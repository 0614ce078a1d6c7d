//! Who runs a zone: the reverse-zone operators (`data/reverse.txt`) and the DNS hosts
//! (`data/forward.txt`), and recognising them from what the DNS says about a zone.
//!
//! A zone names its operator in three places, tried in this order: its name servers (the NS
//! records and the SOA MNAME, RFC 1035 §3.3.13), the SOA RNAME (the operator's hostmaster
//! mailbox), and, for a reverse zone, the PTR names already published there (providers give every
//! address a default name such as `ec2-192-0-2-1.compute-1.amazonaws.com`). Only a name-server or
//! RNAME match on data marked `verified` is stated as a fact; every other match is reported as
//! what it is (name servers that suggest an operator, a PTR name that looks like one).

use std::sync::OnceLock;

use super::data::{matches, parse, Entry};
use crate::dns::ZoneFacts;

/// What kind of operator runs a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A cloud provider: the PTR is set on the address in its console or API.
    Cloud,
    /// A hosting provider (dedicated servers, VPS): the PTR is set in its customer panel.
    Hosting,
    /// An access ISP: a residential line cannot have its PTR set at all.
    AccessIsp,
    /// A DNS host: records are added to the zone in its dashboard.
    DnsHost,
}

impl Kind {
    /// The kind word (`cloud`, `hosting`, `access-isp`, `dns-host`), as in the data and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cloud => "cloud",
            Kind::Hosting => "hosting",
            Kind::AccessIsp => "access-isp",
            Kind::DnsHost => "dns-host",
        }
    }

    fn parse(word: &str) -> Option<Kind> {
        [Kind::Cloud, Kind::Hosting, Kind::AccessIsp, Kind::DnsHost]
            .into_iter()
            .find(|k| k.as_str() == word)
    }
}

/// How well the sources support a piece of the data (see `data/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Shown by the sources.
    Verified,
    /// Shown for the operator's other zones, assumed for these.
    Assumed,
    /// A plausible candidate only, or general knowledge.
    Unverified,
    /// No such data.
    None,
}

impl Status {
    /// The status word, as in the data.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Assumed => "assumed",
            Status::Unverified => "unverified",
            Status::None => "none",
        }
    }

    fn parse(word: Option<&str>) -> Status {
        match word {
            Some("verified") => Status::Verified,
            Some("assumed") => Status::Assumed,
            Some("unverified") => Status::Unverified,
            _ => Status::None,
        }
    }
}

crate::serialize_as_str!(Kind, Status);

/// One operator of the data: how to recognise it and what its customers do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// Stable lowercase slug (`digitalocean`, `route53`, …).
    pub id: &'static str,
    /// Its name, for people.
    pub name: &'static str,
    /// What kind of operator it is.
    pub kind: Kind,
    /// Patterns of its name servers (NS records, SOA MNAME).
    pub ns: Vec<&'static str>,
    /// Patterns of its SOA RNAME.
    pub rname: Vec<&'static str>,
    /// Patterns of its default PTR names (reverse operators only).
    pub ptr: Vec<&'static str>,
    /// How well the name-server and RNAME patterns are supported.
    pub ns_status: Status,
    /// What the customer does, with `{name}`, `{ip}` (and for DNS hosts `{label}`, `{zone}`,
    /// `{type}`) to fill in; empty for access ISPs.
    pub steps: &'static str,
    /// The page the steps come from.
    pub steps_url: Option<&'static str>,
    /// Whether the steps come from such a page.
    pub steps_status: Status,
    entry: Entry,
}

impl Operator {
    fn from_entry(entry: Entry) -> Option<Operator> {
        Some(Operator {
            id: entry.id,
            name: entry.get("name")?,
            kind: Kind::parse(entry.get("kind")?)?,
            ns: entry.words("ns"),
            rname: entry.words("rname"),
            ptr: entry.words("ptr"),
            ns_status: Status::parse(entry.get("ns-status")),
            steps: entry.get("steps").unwrap_or(""),
            steps_url: entry.get("steps-url"),
            steps_status: Status::parse(entry.get("steps-status")),
            entry,
        })
    }

    /// The sources of the entry (addresses, `github:` files, `excerpt:` ids).
    pub fn sources(&self) -> Vec<&'static str> {
        self.entry.all("source")
    }

    /// Sample name servers the `ns` patterns must match (test data).
    pub fn sample_ns(&self) -> Vec<&'static str> {
        self.entry.words("sample-ns")
    }

    /// Sample PTR names the `ptr` patterns must match (test data).
    pub fn sample_ptr(&self) -> Vec<&'static str> {
        self.entry.words("sample-ptr")
    }

    #[cfg(test)]
    pub(crate) fn entry(&self) -> &Entry {
        &self.entry
    }
}

fn load(text: &'static str) -> Vec<Operator> {
    parse(text)
        .into_iter()
        .filter_map(Operator::from_entry)
        .collect()
}

/// The operators of reverse zones: clouds, hosting providers, access ISPs.
pub fn reverse_operators() -> &'static [Operator] {
    static DATA: OnceLock<Vec<Operator>> = OnceLock::new();
    DATA.get_or_init(|| load(include_str!("../../data/reverse.txt")))
}

/// The DNS hosts of forward zones.
pub fn dns_hosts() -> &'static [Operator] {
    static DATA: OnceLock<Vec<Operator>> = OnceLock::new();
    DATA.get_or_init(|| load(include_str!("../../data/forward.txt")))
}

/// What recognised an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// One of the zone's NS records.
    Ns,
    /// The SOA MNAME (primary name server).
    SoaMname,
    /// The SOA RNAME (hostmaster mailbox).
    SoaRname,
    /// A PTR name published in the zone: the operator's default name.
    PtrName,
}

impl MatchedBy {
    /// The word (`ns`, `soa-mname`, `soa-rname`, `ptr-name`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Ns => "ns",
            MatchedBy::SoaMname => "soa-mname",
            MatchedBy::SoaRname => "soa-rname",
            MatchedBy::PtrName => "ptr-name",
        }
    }
}

crate::serialize_as_str!(MatchedBy);

/// An operator recognised for a zone, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    /// The operator.
    pub operator: &'static Operator,
    /// What recognised it.
    pub by: MatchedBy,
    /// The name that matched (`ns1.digitalocean.com`, the PTR name, …).
    pub matched: String,
    /// True when the match is on verified name-server or RNAME data: stated as a fact.
    pub certain: bool,
}

impl Recognised {
    /// A phrase for people: why the zone is taken to be this operator's.
    pub fn evidence(&self) -> String {
        let name = self.operator.name;
        let m = &self.matched;
        match (self.by, self.certain) {
            (MatchedBy::Ns, true) => format!("its name server `{m}` is {name}'s"),
            (MatchedBy::SoaMname, true) => format!("its primary name server `{m}` is {name}'s"),
            (MatchedBy::SoaRname, true) => format!("its SOA contact `{m}` is {name}'s"),
            (MatchedBy::Ns, false) => format!("its name server `{m}` suggests {name}"),
            (MatchedBy::SoaMname, false) => {
                format!("its primary name server `{m}` suggests {name}")
            }
            (MatchedBy::SoaRname, false) => format!("its SOA contact `{m}` suggests {name}"),
            (MatchedBy::PtrName, _) => {
                format!("the PTR name `{m}` looks like a default name given by {name}")
            }
        }
    }
}

/// The first operator whose name-server or RNAME patterns match what the zone says: NS records
/// first, then the SOA MNAME, then the RNAME.
fn by_servers(
    operators: &'static [Operator],
    ns: &[String],
    facts: Option<&ZoneFacts>,
) -> Option<Recognised> {
    let servers = ns
        .iter()
        .map(|n| (MatchedBy::Ns, n.as_str()))
        .chain(facts.map(|f| (MatchedBy::SoaMname, f.primary_ns.as_str())));
    for (by, host) in servers {
        if let Some(op) = operators
            .iter()
            .find(|o| o.ns.iter().any(|p| matches(p, host)))
        {
            return Some(Recognised {
                operator: op,
                by,
                matched: host.to_string(),
                certain: op.ns_status == Status::Verified,
            });
        }
    }
    let rname = facts.map(|f| f.rname.as_str())?;
    let op = operators
        .iter()
        .find(|o| o.rname.iter().any(|p| matches(p, rname)))?;
    Some(Recognised {
        operator: op,
        by: MatchedBy::SoaRname,
        matched: rname.to_string(),
        certain: op.ns_status == Status::Verified,
    })
}

/// Who runs a reverse zone: a reverse operator by its servers or RNAME; else a DNS host by its
/// servers (the zone was delegated to a DNS host, where the PTR is a record like any other);
/// else a reverse operator by the PTR names published.
pub fn recognise_reverse(
    ns: &[String],
    facts: Option<&ZoneFacts>,
    ptr_names: &[&str],
) -> Option<Recognised> {
    by_servers(reverse_operators(), ns, facts)
        .or_else(|| by_servers(dns_hosts(), ns, facts))
        .or_else(|| {
            ptr_names.iter().find_map(|name| {
                let op = reverse_operators()
                    .iter()
                    .find(|o| o.ptr.iter().any(|p| matches(p, name)))?;
                Some(Recognised {
                    operator: op,
                    by: MatchedBy::PtrName,
                    matched: name.to_string(),
                    certain: false,
                })
            })
        })
}

/// Who hosts a forward zone: a DNS host by its servers or RNAME.
pub fn recognise_forward(ns: &[String], facts: Option<&ZoneFacts>) -> Option<Recognised> {
    by_servers(dns_hosts(), ns, facts)
}

/// The reverse operator whose default PTR names include `name` (a provider's own name, whose
/// zone its customers cannot edit).
pub fn default_ptr_owner(name: &str) -> Option<&'static Operator> {
    reverse_operators()
        .iter()
        .find(|o| o.ptr.iter().any(|p| matches(p, name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(apex: &str, mname: &str, rname: &str) -> ZoneFacts {
        ZoneFacts {
            apex: apex.into(),
            primary_ns: mname.into(),
            rname: rname.into(),
        }
    }

    const KEYS: &[&str] = &[
        "name",
        "kind",
        "ns",
        "rname",
        "ptr",
        "ns-status",
        "sample-ns",
        "sample-ptr",
        "steps",
        "steps-url",
        "steps-status",
        "source",
        "note",
    ];

    fn is_url(u: &str) -> bool {
        (u.starts_with("https://") || u.starts_with("http://"))
            && !u.contains(char::is_whitespace)
            && u.len() > 12
    }

    /// Every entry has the fields its kind needs, known keys only, well-formed sources and URLs,
    /// and placeholders the engine fills; the providers are all there.
    #[test]
    fn data_shape() {
        for (file, ops, placeholders, kinds) in [
            (
                "reverse",
                reverse_operators(),
                &["{name}", "{ip}"][..],
                &[Kind::Cloud, Kind::Hosting, Kind::AccessIsp][..],
            ),
            (
                "forward",
                dns_hosts(),
                &["{name}", "{ip}", "{label}", "{zone}", "{type}"][..],
                &[Kind::DnsHost][..],
            ),
        ] {
            let entries = parse(if file == "reverse" {
                include_str!("../../data/reverse.txt")
            } else {
                include_str!("../../data/forward.txt")
            });
            assert_eq!(entries.len(), ops.len(), "{file}: an entry failed to load");
            for (i, op) in ops.iter().enumerate() {
                let ctx = format!("{file} {}", op.id);
                assert!(
                    op.id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{ctx}: id"
                );
                assert!(ops[..i].iter().all(|o| o.id != op.id), "{ctx} twice");
                assert!(kinds.contains(&op.kind), "{ctx}: kind");
                for k in op.entry().keys() {
                    assert!(KEYS.contains(&k), "{ctx}: unknown key {k}");
                }
                assert_eq!(
                    op.ns_status == Status::None,
                    op.ns.is_empty() && op.rname.is_empty(),
                    "{ctx}: ns-status"
                );
                assert_eq!(
                    op.steps.is_empty(),
                    op.kind == Kind::AccessIsp,
                    "{ctx}: steps"
                );
                assert_eq!(
                    op.steps_url.is_some(),
                    op.steps_status == Status::Verified,
                    "{ctx}: steps-url goes with steps-status verified"
                );
                assert!(op.steps_url.is_none_or(is_url), "{ctx}: steps-url");
                let mut rest = op.steps.to_string();
                for p in placeholders.iter().chain(&["{ipBlock}"]) {
                    rest = rest.replace(p, "");
                }
                assert!(!rest.contains('{'), "{ctx}: unknown placeholder in {rest}");
                if op.kind != Kind::AccessIsp {
                    assert!(
                        op.steps.contains("{name}") || op.steps.contains("{label}"),
                        "{ctx}"
                    );
                }
                let sources = op.sources();
                for src in &sources {
                    assert!(
                        is_url(src) || src.starts_with("github:") || src.starts_with("excerpt:"),
                        "{ctx}: source {src}"
                    );
                }
                let note = op.entry().get("note").unwrap_or("");
                assert!(
                    !sources.is_empty() || note.starts_with("unverified: nothing"),
                    "{ctx}: no source, and the note does not say so"
                );
            }
        }
        let ids = |ops: &[Operator]| ops.iter().map(|o| o.id).collect::<Vec<_>>();
        for id in [
            "aws",
            "azure",
            "gcp",
            "oracle",
            "digitalocean",
            "hetzner",
            "ovh",
            "linode",
            "vultr",
            "scaleway",
            "contabo",
            "ionos",
            "upcloud",
            "netcup",
            "leaseweb",
        ] {
            assert!(ids(reverse_operators()).contains(&id), "reverse lacks {id}");
        }
        for id in [
            "cloudflare",
            "route53",
            "gcp-dns",
            "azure-dns",
            "godaddy",
            "namecheap",
            "gandi",
            "ovh",
            "hetzner-dns",
            "digitalocean",
            "desec",
            "ionos",
            "porkbun",
        ] {
            assert!(ids(dns_hosts()).contains(&id), "forward lacks {id}");
        }
    }

    /// The counts data/README.md gives.
    #[test]
    fn counts() {
        let rev = reverse_operators();
        let count = |f: &dyn Fn(&Operator) -> bool| rev.iter().filter(|o| f(o)).count();
        assert_eq!(rev.len(), 34);
        assert_eq!(count(&|o| o.kind == Kind::Cloud), 9);
        assert_eq!(count(&|o| o.kind == Kind::Hosting), 6);
        assert_eq!(count(&|o| o.kind == Kind::AccessIsp), 19);
        assert_eq!(count(&|o| o.ns_status == Status::Verified), 1);
        assert_eq!(count(&|o| o.ns_status == Status::Assumed), 5);
        assert_eq!(count(&|o| o.ns_status == Status::Unverified), 6);
        assert_eq!(count(&|o| o.ns_status == Status::None), 22);
        assert_eq!(count(&|o| !o.ptr.is_empty()), 27);
        assert_eq!(count(&|o| o.steps_status == Status::Verified), 10);
        let fwd = dns_hosts();
        assert_eq!(fwd.len(), 37);
        assert!(fwd.iter().all(|o| o.ns_status == Status::Verified));
        assert_eq!(
            fwd.iter()
                .filter(|o| o.steps_status == Status::Verified)
                .count(),
            7
        );
    }

    /// Every entry's patterns match its own samples, and no other entry's patterns do; every
    /// pattern matches at least one of its samples.
    #[test]
    fn patterns_match_their_own_samples_only() {
        for (file, ops) in [("reverse", reverse_operators()), ("forward", dns_hosts())] {
            for op in ops {
                for (patterns, samples, what) in [
                    (&op.ns, op.sample_ns(), "ns"),
                    (&op.ptr, op.sample_ptr(), "ptr"),
                ] {
                    assert_eq!(
                        patterns.is_empty(),
                        samples.is_empty(),
                        "{file} {}: {what} patterns and samples go together",
                        op.id
                    );
                    for p in patterns.iter() {
                        assert!(
                            samples.iter().any(|s| matches(p, s)),
                            "{file} {}: {what} pattern {p} matches none of its samples",
                            op.id
                        );
                    }
                    for s in &samples {
                        assert!(
                            patterns.iter().any(|p| matches(p, s)),
                            "{file} {}: sample {s} is not matched",
                            op.id
                        );
                        for other in ops.iter().filter(|o| o.id != op.id) {
                            let theirs = if what == "ns" { &other.ns } else { &other.ptr };
                            assert!(
                                !theirs.iter().any(|p| matches(p, s)),
                                "{file}: {}'s sample {s} is matched by {}",
                                op.id,
                                other.id
                            );
                        }
                    }
                }
                for r in &op.rname {
                    for other in ops.iter().filter(|o| o.id != op.id) {
                        assert!(!other.rname.iter().any(|p| matches(p, r)));
                    }
                }
            }
        }
    }

    #[test]
    fn recognising_reverse_zones() {
        let ns = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Verified name servers: a fact.
        let r = recognise_reverse(&ns(&["ns2.digitalocean.com"]), None, &[]).unwrap();
        assert_eq!(
            (r.operator.id, r.by, r.certain),
            ("digitalocean", MatchedBy::Ns, true)
        );
        assert_eq!(
            r.evidence(),
            "its name server `ns2.digitalocean.com` is DigitalOcean's"
        );
        // Only the SOA, on assumed data: a suggestion.
        let f = facts(
            "0.113.203.in-addr.arpa",
            "dns101.comcast.net",
            "domregtech.comcastonline.com",
        );
        let r = recognise_reverse(&[], Some(&f), &[]).unwrap();
        assert_eq!(
            (r.operator.id, r.by, r.certain),
            ("comcast", MatchedBy::SoaMname, false)
        );
        assert_eq!(r.operator.kind, Kind::AccessIsp);
        // The RNAME alone.
        let f = facts(
            "x.in-addr.arpa",
            "ns.example.net",
            "postmaster.your-server.de",
        );
        let r = recognise_reverse(&[], Some(&f), &[]).unwrap();
        assert_eq!((r.operator.id, r.by), ("hetzner", MatchedBy::SoaRname));
        // A zone delegated to a DNS host.
        let r = recognise_reverse(&ns(&["ada.ns.cloudflare.com"]), None, &[]).unwrap();
        assert_eq!(
            (r.operator.id, r.operator.kind),
            ("cloudflare", Kind::DnsHost)
        );
        // Nothing from the servers: the default PTR name.
        let r = recognise_reverse(
            &ns(&["ns.example.net"]),
            None,
            &["mail.example.com", "ec2-192-0-2-1.compute-1.amazonaws.com"],
        )
        .unwrap();
        assert_eq!(
            (r.operator.id, r.by, r.certain),
            ("aws", MatchedBy::PtrName, false)
        );
        assert_eq!(
            r.evidence(),
            "the PTR name `ec2-192-0-2-1.compute-1.amazonaws.com` looks like a default name given by Amazon Web Services"
        );
        // Nothing at all.
        assert_eq!(
            recognise_reverse(
                &ns(&["ns.sendercheck.test"]),
                None,
                &["mail.sendercheck.test"]
            ),
            None
        );
    }

    #[test]
    fn recognising_dns_hosts() {
        let r = recognise_forward(&["ns-123.awsdns-45.com".to_string()], None).unwrap();
        assert_eq!((r.operator.id, r.certain), ("route53", true));
        let f = facts(
            "example.com",
            "ns.example.net",
            "awsdns-hostmaster.amazon.com",
        );
        assert_eq!(
            recognise_forward(&[], Some(&f)).unwrap().by,
            MatchedBy::SoaRname
        );
        assert_eq!(recognise_forward(&["ns1.example.net".into()], None), None);
        assert_eq!(
            default_ptr_owner("static.1.2.3.4.clients.your-server.de").map(|o| o.id),
            Some("hetzner")
        );
    }
}
