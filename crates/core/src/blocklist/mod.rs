//! DNS blocklists (DNSBLs, RFC 5782), checked honestly: never a false "not listed".
//!
//! A list answers `<reversed address>.<zone>` with an A record in 127.0.0.0/8 when it lists the
//! address, NXDOMAIN when it does not (RFC 5782 §2.1, §2.3; IPv6 as 32 reversed nibbles, §2.4).
//! Through a public resolver many lists answer something else: Spamhaus answers 127.255.255.254
//! (a public resolver) or 127.255.255.255 (over the limit), Barracuda answers only registered
//! resolvers, a lapsed list domain may wildcard. So with every address question go, in the same
//! round trip, the list's RFC 5782 §5 test points: `2.0.0.127.<zone>` (`::ffff:7f00:2` for IPv6)
//! must be listed and `1.0.0.127.<zone>` must not. A list that answers an error code, does not
//! list its test point, or lists the one it must not is `unknown` through this resolver, with
//! the reason and what to do; it is never shown as "not listed".
//!
//! Every list's questions (the address's A and TXT, both test points) go out together, and all
//! lists at once: one round trip.
//!
//! ```
//! # use sendercheck_core::blocklist::{check_blocklists, Blocklist, ListResult};
//! # use sendercheck_core::dns::{Answer, Question, Rcode, ResolveError, Resolver};
//! # use std::future::Future;
//! // A resolver that says NXDOMAIN to everything: no list answers its test point.
//! struct Empty;
//! impl Resolver for Empty {
//!     fn query(&self, _: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
//!         async { Ok(Answer::new(Rcode::NxDomain, vec![])) }
//!     }
//! }
//! let ip = "192.0.2.10".parse().unwrap();
//! let listings = futures::executor::block_on(check_blocklists(&Empty, ip, &Blocklist::curated()));
//! assert!(listings.iter().all(|l| l.result == ListResult::Unknown));
//! ```

mod data;
mod decode;
mod findings;
pub(crate) mod json;
mod query;

use std::net::{IpAddr, Ipv4Addr};

use futures::future::{join4, join_all};

pub use data::{Code, ErrorCode, Kind};
pub use findings::findings;
pub use json::{blocklists_json, listing_json, listings_json};
pub use query::{query_name, reversed, test_points};

use crate::dns::{canonical, lookup, Cached, DomainName, Exchange, RecordType, Resolver};
use crate::report::Verdict;
use crate::Error;

/// One list to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocklist {
    /// The zone asked (with a Spamhaus DQS key in it, when one was given).
    pub zone: DomainName,
    /// The zone as shown to people and in JSON: a DQS key is written `<key>`.
    pub shown: String,
    /// The list's name (`Spamhaus ZEN`), or the zone for a list of the user's own.
    pub name: String,
    /// Its documented return codes (empty for a list of the user's own).
    pub codes: Vec<Code>,
    /// Its delisting or lookup page; `{ip}` stands for the address.
    pub delist: Option<String>,
    /// Why it may refuse a resolver, and what to do then (empty when nothing is documented).
    pub refuses: String,
    /// Where its codes are documented.
    pub source: Option<String>,
    /// Spamhaus's list, whose Data Query Service form takes a key.
    spamhaus: bool,
}

impl Blocklist {
    /// The curated public lists: Spamhaus ZEN, SpamCop, Barracuda, UCEPROTECT levels 1–3, PSBL,
    /// Mailspike BL and Mailspike reputation.
    pub fn curated() -> Vec<Blocklist> {
        data::data()
            .lists
            .iter()
            .filter_map(|l| {
                Some(Blocklist {
                    zone: DomainName::parse(&l.zone).ok()?,
                    shown: l.zone.clone(),
                    name: l.name.clone(),
                    codes: l.codes.clone(),
                    delist: Some(l.delist.clone()),
                    refuses: l.refuses.clone(),
                    source: Some(l.source.clone()),
                    spamhaus: l.dqs,
                })
            })
            .collect()
    }

    /// A list by its zone, as `--blocklist ZONE` gives it: a curated list keeps its codes and
    /// pages; any other zone is asked the same way, with its answers shown as they come.
    ///
    /// ```
    /// use sendercheck_core::blocklist::Blocklist;
    /// assert_eq!(Blocklist::parse("ZEN.spamhaus.org.").unwrap().name, "Spamhaus ZEN");
    /// assert_eq!(Blocklist::parse("bl.example.net").unwrap().name, "bl.example.net");
    /// assert!(Blocklist::parse("localhost").is_err());
    /// ```
    pub fn parse(zone: &str) -> Result<Blocklist, Error> {
        let name = DomainName::parse(zone)?;
        let invalid = |reason: &str| Error::InvalidZone {
            zone: crate::dns::shorten(zone),
            reason: reason.into(),
        };
        if name.label_count() < 2 {
            return Err(invalid(
                "a blocklist zone has at least two labels, such as bl.example.net",
            ));
        }
        if name.as_str().len() > 180 {
            return Err(invalid(
                "it is too long to put an IPv6 address in front of it",
            ));
        }
        if let Some(known) = Self::curated().into_iter().find(|l| l.zone == name) {
            return Ok(known);
        }
        Ok(Blocklist {
            shown: name.to_string(),
            name: name.to_string(),
            zone: name,
            codes: Vec::new(),
            delist: None,
            refuses: String::new(),
            source: None,
            spamhaus: false,
        })
    }

    /// Spamhaus ZEN through the Data Query Service with a user's key:
    /// `<reversed address>.<key>.zen.dq.spamhaus.net`, which answers through any resolver.
    pub fn spamhaus_dqs(key: &str) -> Result<Blocklist, Error> {
        let key = key.trim();
        let bad = |reason: &str| Error::InvalidKey {
            reason: reason.into(),
        };
        if key.is_empty() {
            return Err(bad("it is empty"));
        }
        if key.len() > 63 || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad(
                "a Data Query Service key is one word of letters and digits (26 characters)",
            ));
        }
        let form = &data::data().spamhaus_dqs.zone;
        let zone = DomainName::parse(&form.replace("{key}", key))
            .map_err(|_| bad("it does not fit in a DNS name"))?;
        let mut zen = Self::curated()
            .into_iter()
            .find(|l| l.spamhaus)
            .ok_or_else(|| bad("the Spamhaus list is missing from the data"))?;
        zen.shown = form.replace("{key}", "<key>");
        zen.zone = zone;
        zen.name = format!("{} (Data Query Service)", zen.name);
        zen.refuses = "A Data Query Service key that is wrong, disabled or over its limit gets an error code in 127.255.255.0/24 or a refusal; check the key in the Spamhaus portal.".into();
        zen.source = Some(data::data().spamhaus_dqs.source.clone());
        Ok(zen)
    }

    /// Spamhaus ZEN, asked on its public mirror or through the Data Query Service.
    pub fn is_spamhaus(&self) -> bool {
        self.spamhaus
    }

    /// Whether this is the list `zone` names (Spamhaus ZEN also when asked through the Data Query
    /// Service).
    pub fn is(&self, zone: &str) -> bool {
        let zone = zone.trim_end_matches('.').to_ascii_lowercase();
        self.zone.as_str() == zone || (self.spamhaus && zone == "zen.spamhaus.org")
    }

    /// The delisting or lookup page for `ip`.
    pub fn delist_url(&self, ip: IpAddr) -> Option<String> {
        self.delist
            .as_ref()
            .map(|u| u.replace("{ip}", &canonical(ip).to_string()))
    }

    /// A name as shown: the DQS key of this list's zone written `<key>`.
    pub fn show(&self, name: &str) -> String {
        match name.strip_suffix(self.zone.as_str()) {
            Some(head) if self.shown != self.zone.as_str() => format!("{head}{}", self.shown),
            _ => name.to_string(),
        }
    }

    pub(crate) fn code(&self, answer: Ipv4Addr) -> Option<&Code> {
        self.codes.iter().find(|c| c.answer == answer)
    }
}

/// `lists` with Spamhaus ZEN asked through the Data Query Service with `key` (other lists as they
/// are). Lists without Spamhaus ZEN are returned unchanged.
pub fn with_spamhaus_key(lists: Vec<Blocklist>, key: &str) -> Result<Vec<Blocklist>, Error> {
    let dqs = Blocklist::spamhaus_dqs(key)?;
    Ok(lists
        .into_iter()
        .map(|l| if l.spamhaus { dqs.clone() } else { l })
        .collect())
}

/// What a list says about the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListResult {
    /// Listed (for abuse, by policy, or for its network).
    Listed,
    /// Not listed, and the list showed through its test points that it answers this resolver.
    NotListed,
    /// The list's answer cannot be trusted through this resolver, or there was none.
    Unknown,
}

impl ListResult {
    /// The result word (`listed`, `not-listed`, `unknown`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ListResult::Listed => "listed",
            ListResult::NotListed => "not-listed",
            ListResult::Unknown => "unknown",
        }
    }
}

crate::serialize_as_str!(ListResult);

/// How a list answered its RFC 5782 test point `2.0.0.127.<zone>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestPoint {
    /// Listed, as every list must.
    Listed,
    /// Not listed: the list does not follow RFC 5782, or this resolver does not reach it.
    NotListed,
    /// An error code or an answer outside 127.0.0.0/8.
    Error,
    /// No answer (SERVFAIL, REFUSED, timeout, …).
    NoAnswer,
}

impl TestPoint {
    /// The word (`listed`, `not-listed`, `error`, `no-answer`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TestPoint::Listed => "listed",
            TestPoint::NotListed => "not-listed",
            TestPoint::Error => "error",
            TestPoint::NoAnswer => "no-answer",
        }
    }
}

crate::serialize_as_str!(TestPoint);

/// One list's verdict on one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The list.
    pub list: Blocklist,
    /// The address asked about.
    pub ip: IpAddr,
    /// Listed, not listed, or unknown.
    pub result: ListResult,
    /// The A records answered for the address (also when they cannot be trusted).
    pub codes: Vec<Ipv4Addr>,
    /// The documented codes among them; a code the data does not know is kept as a listing with
    /// no name.
    pub decoded: Vec<Code>,
    /// What the answer means, in plain words.
    pub meaning: String,
    /// The list's TXT reason when listed; why the result is unknown otherwise.
    pub reason: Option<String>,
    /// How the test point answered.
    pub test_point: TestPoint,
    /// The four questions (A and TXT of the address, the two test points) and their answers.
    pub exchanges: Vec<Exchange>,
}

impl Listing {
    /// The most serious kind among the listing codes (abuse over network over policy).
    pub fn kind(&self) -> Option<Kind> {
        [
            Kind::Listed,
            Kind::Network,
            Kind::Policy,
            Kind::Neutral,
            Kind::Good,
        ]
        .into_iter()
        .find(|k| self.decoded.iter().any(|c| c.kind == *k))
    }

    /// The delisting page for this address.
    pub fn delist_url(&self) -> Option<String> {
        self.list.delist_url(self.ip)
    }

    /// What the answer says, in one line for text reports: the codes with their names and the
    /// TXT reason (`SBL 127.0.0.2, XBL 127.0.0.4 (reason)`) when listed, the meaning when not,
    /// and why the list could not be trusted when unknown.
    pub fn summary(&self) -> String {
        match self.result {
            ListResult::Listed => {
                let codes: Vec<String> = self
                    .decoded
                    .iter()
                    .map(|c| match c.name.as_str() {
                        "" => c.answer.to_string(),
                        name => format!("{name} {}", c.answer),
                    })
                    .collect();
                let reason = self.reason.as_ref().map(|r| format!(" ({r})"));
                codes.join(", ") + &reason.unwrap_or_default()
            }
            ListResult::NotListed => self.meaning.clone(),
            ListResult::Unknown => self.reason.clone().unwrap_or_default(),
        }
    }
}

/// Pass when no list lists the address and every list answered; fail when one lists it;
/// temperror when none lists it but some could not be checked; unchecked when that is because
/// the resolver gave no DNS answer to a list's A question (the address or a test point:
/// [`Outcome::is_unanswered`](crate::dns::Outcome::is_unanswered)), not because of what the list
/// answered.
pub fn verdict(listings: &[Listing]) -> Verdict {
    Verdict::worst(listings.iter().map(|l| {
        match l.result {
            ListResult::Listed => Verdict::Fail,
            ListResult::NotListed => Verdict::Pass,
            ListResult::Unknown
                if l.exchanges
                    .iter()
                    .any(|e| e.question.rtype == RecordType::A && e.result.is_err()) =>
            {
                Verdict::Unchecked
            }
            ListResult::Unknown => Verdict::TempError,
        }
    }))
}

/// Asks every list about `ip` in one round trip: each list's A and TXT record for the address
/// and its two RFC 5782 test points, all at once.
pub async fn check_blocklists<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    lists: &[Blocklist],
) -> Vec<Listing> {
    let cached = Cached::new(resolver);
    check_cached(&cached, ip, lists).await
}

/// [`check_blocklists`] through the run's cache.
pub(crate) async fn check_cached<R: Resolver>(
    resolver: &Cached<R>,
    ip: IpAddr,
    lists: &[Blocklist],
) -> Vec<Listing> {
    let ip = canonical(ip);
    join_all(lists.iter().map(|list| check_one(resolver, ip, list))).await
}

async fn check_one<R: Resolver>(resolver: &Cached<R>, ip: IpAddr, list: &Blocklist) -> Listing {
    let names = query_name(ip, &list.zone).zip(test_points(ip, &list.zone));
    let Some((name, (yes, no))) = names else {
        return decode::unknown(
            list,
            ip,
            "the zone is too long to ask about this address".into(),
        );
    };
    let (a, txt, yes, no) = join4(
        lookup(resolver, name.clone(), RecordType::A),
        lookup(resolver, name, RecordType::Txt),
        lookup(resolver, yes, RecordType::A),
        lookup(resolver, no, RecordType::A),
    )
    .await;
    decode::judge(list, ip, [a, txt, yes, no])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Rcode;
    use crate::testing::{a, txt, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    const IP: &str = "203.0.113.9";

    /// Every curated list answers its test points as RFC 5782 asks.
    fn healthy() -> FixedResolver {
        let mut r = FixedResolver::new();
        for l in Blocklist::curated() {
            let yes = format!("2.0.0.127.{}", l.zone);
            r = r.answer(
                &yes,
                RecordType::A,
                Rcode::NoError,
                vec![a(&yes, "127.0.0.2")],
            );
            let no = format!("1.0.0.127.{}", l.zone);
            r = r.answer(&no, RecordType::A, Rcode::NxDomain, vec![]);
        }
        r
    }

    fn run(r: &FixedResolver) -> Vec<Listing> {
        block_on(check_blocklists(
            r,
            IP.parse().unwrap(),
            &Blocklist::curated(),
        ))
    }

    fn by_zone<'a>(ls: &'a [Listing], zone: &str) -> &'a Listing {
        ls.iter().find(|l| l.list.zone.as_str() == zone).unwrap()
    }

    #[test]
    fn every_question_of_every_list_goes_out_in_one_round_trip() {
        let rt = RoundTrips::new(healthy());
        let ip = IP.parse().unwrap();
        let lists = Blocklist::curated();
        let (listings, rounds) = rt.run(check_blocklists(&rt, ip, &lists));
        assert_eq!(rounds, 1);
        assert_eq!(rt.sent(), 4 * lists.len());
        assert_eq!(listings.len(), 9);
        assert_eq!(
            listings
                .iter()
                .map(|l| l.exchanges.len())
                .collect::<Vec<_>>(),
            vec![4; 9]
        );
    }

    #[test]
    fn listings_are_decoded_with_their_reason() {
        let name = "9.113.0.203.zen.spamhaus.org";
        let r = healthy()
            .answer(
                name,
                RecordType::A,
                Rcode::NoError,
                vec![a(name, "127.0.0.2"), a(name, "127.0.0.4")],
            )
            .answer(
                name,
                RecordType::Txt,
                Rcode::NoError,
                vec![txt(name, &["https://check.spamhaus.org/sbl/query/SBL1"])],
            );
        let ls = run(&r);
        let zen = by_zone(&ls, "zen.spamhaus.org");
        assert_eq!(zen.result, ListResult::Listed);
        assert_eq!(zen.kind(), Some(Kind::Listed));
        assert_eq!(
            zen.decoded
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["SBL", "XBL"]
        );
        assert!(
            zen.meaning.starts_with("Spamhaus Block List"),
            "{}",
            zen.meaning
        );
        assert_eq!(
            zen.reason.as_deref(),
            Some("https://check.spamhaus.org/sbl/query/SBL1")
        );
        assert_eq!(verdict(&ls), Verdict::Fail);
        // Every other list answered NXDOMAIN for the address and listed its test point.
        assert!(ls
            .iter()
            .filter(|l| l.list.zone.as_str() != "zen.spamhaus.org")
            .all(|l| l.result == ListResult::NotListed));
    }

    #[test]
    fn pbl_and_reputation_levels() {
        let zen = "9.113.0.203.zen.spamhaus.org";
        let rep = "9.113.0.203.rep.mailspike.net";
        let r = healthy()
            .answer(
                zen,
                RecordType::A,
                Rcode::NoError,
                vec![a(zen, "127.0.0.10")],
            )
            .answer(
                rep,
                RecordType::A,
                Rcode::NoError,
                vec![a(rep, "127.0.0.18")],
            );
        let ls = run(&r);
        assert_eq!(by_zone(&ls, "zen.spamhaus.org").kind(), Some(Kind::Policy));
        let rep = by_zone(&ls, "rep.mailspike.net");
        assert_eq!(rep.result, ListResult::NotListed);
        assert_eq!(rep.meaning, "Mailspike H3: good reputation");
    }

    /// A list the resolver gave no answer about is unknown too, but that is the check's own
    /// failure: `unchecked`, where a SERVFAIL is `temperror`.
    #[test]
    fn an_unanswered_list_is_unchecked() {
        let name = "9.113.0.203.zen.spamhaus.org";
        let r = healthy().error(
            name,
            RecordType::A,
            crate::dns::ResolveError::Http { status: 502 },
        );
        let ls = run(&r);
        assert_eq!(by_zone(&ls, "zen.spamhaus.org").result, ListResult::Unknown);
        assert_eq!(verdict(&ls), Verdict::Unchecked);
        let r = healthy().answer(name, RecordType::A, Rcode::ServFail, vec![]);
        let ls = run(&r);
        assert_eq!(by_zone(&ls, "zen.spamhaus.org").result, ListResult::Unknown);
        assert_eq!(verdict(&ls), Verdict::TempError);
    }

    /// Spamhaus through a public resolver: an error code, never "not listed".
    #[test]
    fn error_codes_make_a_list_unknown() {
        let mut r = healthy();
        for name in [
            "9.113.0.203.zen.spamhaus.org",
            "2.0.0.127.zen.spamhaus.org",
            "1.0.0.127.zen.spamhaus.org",
        ] {
            r = r.answer(
                name,
                RecordType::A,
                Rcode::NoError,
                vec![a(name, "127.255.255.254")],
            );
        }
        let ls = run(&r);
        let zen = by_zone(&ls, "zen.spamhaus.org");
        assert_eq!(zen.result, ListResult::Unknown);
        assert_eq!(zen.test_point, TestPoint::Error);
        assert!(zen
            .reason
            .as_deref()
            .unwrap()
            .starts_with("it answered 127.255.255.254: the list refuses this resolver"));
        assert_eq!(verdict(&ls), Verdict::TempError);
        // The error code for the test point alone (the address NXDOMAIN) is just as unknown.
        let name = "2.0.0.127.zen.spamhaus.org";
        let r = healthy().answer(
            name,
            RecordType::A,
            Rcode::NoError,
            vec![a(name, "127.255.255.255")],
        );
        let zen = run(&r)
            .into_iter()
            .find(|l| l.list.zone.as_str() == "zen.spamhaus.org")
            .unwrap();
        assert_eq!(zen.result, ListResult::Unknown);
        assert!(zen
            .reason
            .unwrap()
            .starts_with("for its test point 127.0.0.2, it answered 127.255.255.255"));
    }

    #[test]
    fn a_missing_test_point_or_a_listed_127_0_0_1_is_unknown() {
        // Barracuda not answering an unregistered resolver: NXDOMAIN for the test point too.
        let name = "2.0.0.127.b.barracudacentral.org";
        let r = healthy().answer(name, RecordType::A, Rcode::NxDomain, vec![]);
        let l = run(&r)
            .into_iter()
            .find(|l| l.list.zone.as_str() == "b.barracudacentral.org")
            .unwrap();
        assert_eq!(
            (l.result, l.test_point),
            (ListResult::Unknown, TestPoint::NotListed)
        );
        assert!(l
            .reason
            .unwrap()
            .contains("does not list its test point 127.0.0.2"));
        // SERVFAIL for the test point.
        let r = healthy().answer(name, RecordType::A, Rcode::ServFail, vec![]);
        let l = run(&r)
            .into_iter()
            .find(|l| l.list.zone.as_str() == "b.barracudacentral.org")
            .unwrap();
        assert_eq!(
            (l.result, l.test_point),
            (ListResult::Unknown, TestPoint::NoAnswer)
        );
        // A wildcard: everything listed, 127.0.0.1 too.
        let mut r = healthy();
        for n in ["9.113.0.203.psbl.surriel.com", "1.0.0.127.psbl.surriel.com"] {
            r = r.answer(n, RecordType::A, Rcode::NoError, vec![a(n, "127.0.0.2")]);
        }
        let l = run(&r)
            .into_iter()
            .find(|l| l.list.zone.as_str() == "psbl.surriel.com")
            .unwrap();
        assert_eq!(l.result, ListResult::Unknown);
        assert_eq!(l.codes, ["127.0.0.2".parse::<Ipv4Addr>().unwrap()]);
        assert!(l.reason.unwrap().contains("lists 127.0.0.1"));
        // A parked domain answering outside 127/8.
        let n = "9.113.0.203.bl.spamcop.net";
        let r = healthy().answer(n, RecordType::A, Rcode::NoError, vec![a(n, "198.51.100.1")]);
        let l = run(&r)
            .into_iter()
            .find(|l| l.list.zone.as_str() == "bl.spamcop.net")
            .unwrap();
        assert_eq!(l.result, ListResult::Unknown);
        assert!(l.reason.unwrap().contains("outside 127.0.0.0/8"));
    }

    #[test]
    fn ipv6_addresses_use_nibbles_and_the_ipv6_test_points() {
        let ip: IpAddr = "2001:db8::9".parse().unwrap();
        let zone = DomainName::parse("zen.spamhaus.org").unwrap();
        let (yes, no) = test_points(ip, &zone).unwrap();
        let name = query_name(ip, &zone).unwrap();
        let r = FixedResolver::new()
            .answer(
                yes.as_str(),
                RecordType::A,
                Rcode::NoError,
                vec![a(yes.as_str(), "127.0.0.2")],
            )
            .answer(no.as_str(), RecordType::A, Rcode::NxDomain, vec![])
            .answer(
                name.as_str(),
                RecordType::A,
                Rcode::NoError,
                vec![a(name.as_str(), "127.0.0.3")],
            );
        let lists = vec![Blocklist::parse("zen.spamhaus.org").unwrap()];
        let ls = block_on(check_blocklists(&r, ip, &lists));
        assert_eq!(ls[0].result, ListResult::Listed);
        assert_eq!(ls[0].decoded[0].name, "CSS");
    }

    #[test]
    fn user_zones_and_the_spamhaus_key() {
        let own = Blocklist::parse("bl.example.net").unwrap();
        assert!(own.codes.is_empty() && own.delist.is_none());
        assert_eq!(
            Blocklist::parse("x").unwrap_err().to_string(),
            "`x` is not a blocklist zone: a blocklist zone has at least two labels, such as bl.example.net"
        );
        let lists = with_spamhaus_key(Blocklist::curated(), "abcdefghijklmnopqrstuvwxyz").unwrap();
        let zen = &lists[0];
        assert_eq!(
            zen.zone.as_str(),
            "abcdefghijklmnopqrstuvwxyz.zen.dq.spamhaus.net"
        );
        assert_eq!(zen.shown, "<key>.zen.dq.spamhaus.net");
        assert_eq!(
            zen.show("9.113.0.203.abcdefghijklmnopqrstuvwxyz.zen.dq.spamhaus.net"),
            "9.113.0.203.<key>.zen.dq.spamhaus.net"
        );
        assert_eq!(zen.codes.len(), 10);
        let err = with_spamhaus_key(Vec::new(), "no spaces")
            .unwrap_err()
            .to_string();
        assert!(
            !err.contains("no spaces"),
            "the key is never repeated: {err}"
        );
        assert_eq!(
            with_spamhaus_key(vec![own.clone()], "KEY1").unwrap(),
            vec![own]
        );
    }
}
