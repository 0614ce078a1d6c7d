//! One lookup: ask a question, follow CNAMEs, and say what was found.
//!
//! Resolvers normally chase CNAMEs themselves and put the whole chain in the answer section
//! (RFC 1034 §4.3.2 step 3a); [`lookup`] follows that chain inside the answer. When the chain stops at
//! an alias whose target is not in the answer (an authoritative-only server, or a resolver that did
//! not chase), it asks again for the target. Both directions use it: RFC 2317 classless reverse
//! delegation is a CNAME in the reverse tree, and a PTR name can itself be an alias. The walk is
//! bounded ([`MAX_CNAME_HOPS`] aliases, [`MAX_QUERIES`] questions) and detects loops.

use super::{
    in_zone, Answer, Attempt, DomainName, Question, RData, Rcode, RecordType, ResolveError,
    Resolver,
};

/// Most aliases followed in one lookup (BIND's and Unbound's limits are in the same range).
pub const MAX_CNAME_HOPS: usize = 8;
/// Most questions asked for one lookup.
pub const MAX_QUERIES: usize = 3;

/// One question asked and what came back: the evidence behind a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// What was asked.
    pub question: Question,
    /// The decoded reply, or why there was none.
    pub result: Result<Answer, ResolveError>,
    /// The tries that failed before `result` (oldest first); empty when the first try gave it.
    pub attempts: Vec<Attempt>,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Records of the asked type exist at the end of the alias chain.
    Found(Vec<RData>),
    /// The name (or the end of its alias chain) does not exist: NXDOMAIN.
    NxDomain,
    /// The name exists but has no record of the asked type: NOERROR with an empty answer.
    NoData,
    /// The aliases form a loop.
    CnameLoop,
    /// More aliases than [`MAX_CNAME_HOPS`], or more questions than [`MAX_QUERIES`].
    ChainTooLong,
    /// An alias points at text that is not a domain name.
    InvalidTarget(String),
    /// The resolver answered with an error rcode (SERVFAIL, REFUSED, …).
    ErrorRcode(Rcode),
    /// No usable reply.
    Failed(ResolveError),
}

impl Outcome {
    /// True when the outcome may change on a later try (RFC 8601 §3 `temperror`): a DNS error
    /// rcode, or no usable reply at all ([`Outcome::is_unanswered`]).
    pub fn is_temporary(&self) -> bool {
        matches!(self, Outcome::ErrorRcode(_) | Outcome::Failed(_))
    }

    /// True when the resolver this check asks gave no DNS answer at all: the connection failed,
    /// it answered an HTTP error status, its body was not a usable DNS message, or nothing came
    /// back within the time allowed ([`ResolveError`], after the transport's retries). Such an
    /// outcome says nothing about the name: RFC 8484 §4.2.1 keeps DNS answers, whatever their
    /// rcode, in 2xx responses, so a failed request carries no reply to the question. The check
    /// then could not be made (verdict `unchecked`), and what receivers would do is unknown.
    ///
    /// A timeout counts here too. The DoH client times out when no HTTP response came in time:
    /// that is the resolver itself (or the way to it). A recursive resolver whose authoritative
    /// servers do not answer says so in a reply, SERVFAIL (RFC 8914 §4.23, "No Reachable
    /// Authority"), and that reply is an [`Outcome::ErrorRcode`]: the `temperror` that a
    /// receiver's own resolver would meet too.
    pub fn is_unanswered(&self) -> bool {
        matches!(self, Outcome::Failed(_))
    }

    /// A short phrase for reports: "NXDOMAIN", "no PTR record (NODATA)", "SERVFAIL", ….
    pub fn describe(&self, rtype: RecordType) -> String {
        match self {
            Outcome::Found(data) => {
                let list: Vec<String> = data.iter().map(ToString::to_string).collect();
                list.join(", ")
            }
            Outcome::NxDomain => "the name does not exist (NXDOMAIN)".into(),
            Outcome::NoData => format!("the name exists but has no {rtype} record (NODATA)"),
            Outcome::CnameLoop => "its CNAME records form a loop".into(),
            Outcome::ChainTooLong => {
                format!("its CNAME chain is longer than {MAX_CNAME_HOPS} aliases")
            }
            Outcome::InvalidTarget(why) => format!("a CNAME points at an invalid name: {why}"),
            Outcome::ErrorRcode(rcode) => format!("the resolver answered {rcode}"),
            Outcome::Failed(err) => err.to_string(),
        }
    }
}

/// A finished lookup: the question, the aliases followed, the outcome, and the exchanges behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The question first asked.
    pub question: Question,
    /// Alias targets followed, in order (empty when the name is not an alias).
    pub chain: Vec<String>,
    /// What was found.
    pub outcome: Outcome,
    /// Every question asked for this lookup, with its reply.
    pub exchanges: Vec<Exchange>,
}

impl Lookup {
    /// The IP addresses found (for A and AAAA lookups).
    pub fn addresses(&self) -> Vec<std::net::IpAddr> {
        match &self.outcome {
            Outcome::Found(data) => data
                .iter()
                .filter_map(|d| match d {
                    RData::A(a) => Some((*a).into()),
                    RData::Aaaa(a) => Some((*a).into()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The question and what became of it, for a finding: `name TYPE: outcome`.
    pub fn describe(&self) -> String {
        let q = &self.question;
        format!("{} {}: {}", q.name, q.rtype, self.outcome.describe(q.rtype))
    }
}

/// The chain-following step on one answer: where the aliases from `start` lead, and the data there.
enum Walk {
    Data(Vec<RData>),
    /// The chain ended at an alias whose target has no records in this answer.
    Dangling(String),
    NoRecords,
    Loop,
    TooLong,
}

fn walk(
    answer: &Answer,
    origin: &str,
    start: &str,
    rtype: RecordType,
    chain: &mut Vec<String>,
) -> Walk {
    let mut current = start.to_string();
    loop {
        let data: Vec<RData> = answer
            .records
            .iter()
            .filter(|r| r.rtype == rtype && r.name == current)
            .map(|r| r.data.clone())
            .collect();
        if !data.is_empty() {
            return Walk::Data(data);
        }
        let alias = answer.records.iter().find_map(|r| match &r.data {
            RData::Cname(target) if r.name == current && rtype != RecordType::Cname => {
                Some(target.clone())
            }
            _ => None,
        });
        let Some(target) = alias else {
            return if current == start {
                Walk::NoRecords
            } else {
                Walk::Dangling(current)
            };
        };
        if target == origin || target == start || chain.contains(&target) {
            chain.push(target);
            return Walk::Loop;
        }
        chain.push(target.clone());
        if chain.len() > MAX_CNAME_HOPS {
            return Walk::TooLong;
        }
        current = target;
    }
}

/// True when the answer's authority section holds the SOA of a zone that contains `name`: a
/// NODATA answer about `name` itself (RFC 2308 §2.2).
fn nodata_at(answer: &Answer, name: &str) -> bool {
    answer
        .authority
        .iter()
        .any(|r| r.rtype == RecordType::Soa && in_zone(name, &r.name))
}

/// Looks up `name`/`rtype`, following CNAMEs within the answer and, when needed, with new questions.
pub async fn lookup<R: Resolver>(resolver: &R, name: DomainName, rtype: RecordType) -> Lookup {
    let question = Question::new(name, rtype);
    let mut lookup = Lookup {
        question: question.clone(),
        chain: Vec::new(),
        outcome: Outcome::NoData,
        exchanges: Vec::new(),
    };
    let mut asking = question;
    loop {
        let exchange = resolver.exchange(&asking).await;
        let result = exchange.result.clone();
        lookup.exchanges.push(exchange);
        let answer = match result {
            Ok(answer) => answer,
            Err(err) => {
                lookup.outcome = Outcome::Failed(err);
                return lookup;
            }
        };
        if !matches!(answer.rcode, Rcode::NoError | Rcode::NxDomain) {
            lookup.outcome = Outcome::ErrorRcode(answer.rcode);
            return lookup;
        }
        let start = asking.name.as_str().to_string();
        let followed_before = lookup.chain.len();
        lookup.outcome = match walk(
            &answer,
            lookup.question.name.as_str(),
            &start,
            rtype,
            &mut lookup.chain,
        ) {
            Walk::Data(data) => Outcome::Found(data),
            Walk::Loop => Outcome::CnameLoop,
            Walk::TooLong => Outcome::ChainTooLong,
            Walk::NoRecords if answer.rcode == Rcode::NxDomain => Outcome::NxDomain,
            Walk::NoRecords => Outcome::NoData,
            // RFC 6604 §3: with a CNAME in the answer, the rcode speaks of the last name in the chain.
            Walk::Dangling(_) if answer.rcode == Rcode::NxDomain => Outcome::NxDomain,
            // RFC 2308 §2.2: NODATA at the end of the chain carries the SOA of the zone that holds
            // it, so the server reached the last name and found nothing there: no need to ask again.
            Walk::Dangling(target) if nodata_at(&answer, &target) => Outcome::NoData,
            Walk::Dangling(target) => {
                debug_assert!(lookup.chain.len() > followed_before);
                if lookup.exchanges.len() >= MAX_QUERIES {
                    Outcome::ChainTooLong
                } else {
                    match DomainName::parse(&target) {
                        Ok(next) => {
                            asking = Question::new(next, rtype);
                            continue;
                        }
                        Err(err) => Outcome::InvalidTarget(err.to_string()),
                    }
                }
            }
        };
        return lookup;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{a, cname, negative, ptr, soa, FixedResolver};
    use futures::executor::block_on;

    fn name(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    #[test]
    fn follows_chain_inside_one_answer() {
        let r = FixedResolver::new().answer(
            "alias.example",
            RecordType::A,
            Rcode::NoError,
            vec![
                cname("alias.example", "real.example"),
                a("real.example", "192.0.2.1"),
            ],
        );
        let l = block_on(lookup(&r, name("alias.example"), RecordType::A));
        assert_eq!(l.chain, vec!["real.example"]);
        assert_eq!(
            l.addresses(),
            vec!["192.0.2.1".parse::<std::net::IpAddr>().unwrap()]
        );
        assert_eq!(l.exchanges.len(), 1);
    }

    #[test]
    fn asks_again_for_a_dangling_alias() {
        let r = FixedResolver::new()
            .answer(
                "70.2.0.192.in-addr.arpa",
                RecordType::Ptr,
                Rcode::NoError,
                vec![cname(
                    "70.2.0.192.in-addr.arpa",
                    "70.64/26.2.0.192.in-addr.arpa",
                )],
            )
            .answer(
                "70.64/26.2.0.192.in-addr.arpa",
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr("70.64/26.2.0.192.in-addr.arpa", "classless.example")],
            );
        let l = block_on(lookup(&r, name("70.2.0.192.in-addr.arpa"), RecordType::Ptr));
        assert_eq!(
            l.outcome,
            Outcome::Found(vec![RData::Ptr("classless.example".into())])
        );
        assert_eq!(l.chain, vec!["70.64/26.2.0.192.in-addr.arpa"]);
        assert_eq!(l.exchanges.len(), 2);
    }

    /// A resolver that chased the alias and found nothing at its end says so with the SOA of the
    /// target's zone (RFC 2308 §2.2): that is NODATA, not an alias left for us to chase.
    #[test]
    fn nodata_at_the_end_of_an_alias_is_not_asked_again() {
        let answer = |authority| {
            let mut a = negative(Rcode::NoError, authority);
            a.records = vec![cname("alias.example", "real.example.net")];
            a
        };
        let r = FixedResolver::new()
            .with_answer(
                "alias.example",
                RecordType::A,
                answer(vec![soa("example.net", "ns.example.net", "h.example.net")]),
            )
            .with_answer(
                "alias.example",
                RecordType::Aaaa,
                // The SOA of another zone says nothing about the target.
                answer(vec![soa("example.org", "ns.example.org", "h.example.org")]),
            );
        let l = block_on(lookup(&r, name("alias.example"), RecordType::A));
        assert_eq!((l.outcome, l.exchanges.len()), (Outcome::NoData, 1));
        assert_eq!(l.chain, vec!["real.example.net"]);
        let l = block_on(lookup(&r, name("alias.example"), RecordType::Aaaa));
        assert_eq!(l.exchanges.len(), 2);
    }

    #[test]
    fn detects_loops_within_and_across_answers() {
        let r = FixedResolver::new().answer(
            "loop1.example",
            RecordType::A,
            Rcode::NoError,
            vec![
                cname("loop1.example", "loop2.example"),
                cname("loop2.example", "loop1.example"),
            ],
        );
        let l = block_on(lookup(&r, name("loop1.example"), RecordType::A));
        assert_eq!(l.outcome, Outcome::CnameLoop);

        // Each server only returns one alias: the loop spans questions.
        let r = FixedResolver::new()
            .answer(
                "x.example",
                RecordType::A,
                Rcode::NoError,
                vec![cname("x.example", "y.example")],
            )
            .answer(
                "y.example",
                RecordType::A,
                Rcode::NoError,
                vec![cname("y.example", "x.example")],
            );
        let l = block_on(lookup(&r, name("x.example"), RecordType::A));
        assert_eq!(l.outcome, Outcome::CnameLoop);
        assert_eq!(l.exchanges.len(), 2);
    }

    #[test]
    fn bounded_questions_and_hops() {
        let mut r = FixedResolver::new();
        for i in 0..10 {
            let from = format!("n{i}.example");
            let to = format!("n{}.example", i + 1);
            r = r.answer(
                &from,
                RecordType::A,
                Rcode::NoError,
                vec![cname(&from, &to)],
            );
        }
        let l = block_on(lookup(&r, name("n0.example"), RecordType::A));
        assert_eq!(l.outcome, Outcome::ChainTooLong);
        assert_eq!(l.exchanges.len(), MAX_QUERIES);

        let long: Vec<_> = (0..12)
            .map(|i| cname(&format!("m{i}.example"), &format!("m{}.example", i + 1)))
            .collect();
        let r = FixedResolver::new().answer("m0.example", RecordType::A, Rcode::NoError, long);
        let l = block_on(lookup(&r, name("m0.example"), RecordType::A));
        assert_eq!(l.outcome, Outcome::ChainTooLong);
    }

    #[test]
    fn rcodes() {
        let r = FixedResolver::new()
            .answer("nx.example", RecordType::A, Rcode::NxDomain, vec![])
            .answer("sf.example", RecordType::A, Rcode::ServFail, vec![])
            .answer(
                "al.example",
                RecordType::A,
                Rcode::NxDomain,
                vec![cname("al.example", "gone.example")],
            );
        let o = |n: &str| block_on(lookup(&r, name(n), RecordType::A)).outcome;
        assert_eq!(o("nx.example"), Outcome::NxDomain);
        assert_eq!(o("sf.example"), Outcome::ErrorRcode(Rcode::ServFail));
        assert_eq!(o("al.example"), Outcome::NxDomain);
        // FixedResolver answers NOERROR/empty for anything it does not know.
        assert_eq!(o("other.example"), Outcome::NoData);
    }
}
