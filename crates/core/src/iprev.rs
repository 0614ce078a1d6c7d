//! Forward-confirmed reverse DNS, judged as RFC 8601 §3 `iprev`.
//!
//! The reverse lookup asks for the PTR records of the address (following RFC 2317 CNAMEs), then the
//! forward lookups ask every PTR name, all at once, for records *in the address's own family* (A for
//! IPv4, AAAA for IPv6). The address is confirmed when a forward answer contains it, compared as an
//! [`IpAddr`] value. Every PTR name is checked, as Exim does (`host_lookup` walks all of them);
//! Postfix uses only one, so more than one PTR gets a warning elsewhere.
//!
//! RFC 8601 §3 results:
//! - `pass`: some PTR name's forward lookup contains the address;
//! - `fail`: PTR names exist but none confirms (mismatch, forward NXDOMAIN or NODATA);
//! - `temperror`: the PTR lookup failed transiently (SERVFAIL, timeout, transport), or no name
//!   confirmed and at least one forward lookup failed transiently;
//! - `permerror`: no PTR is published (NXDOMAIN, or NOERROR with no PTR).

use std::net::IpAddr;

use futures::future::join_all;
use serde::Serialize;

use crate::dns::{RData, RecordType, Resolver};
use crate::generic::{self, GenericVerdict};
use crate::resolve::{lookup, Lookup, Outcome};
use crate::{reverse_name, DomainName};

/// PTR names beyond this many are not looked up: no receiver looks further, and a reverse zone
/// with dozens of PTRs for one address is a problem of its own.
pub const MAX_PTR_NAMES: usize = 10;

/// The RFC 8601 §3 `iprev` result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IprevResult {
    /// Forward-confirmed.
    Pass,
    /// PTR names exist, none confirms.
    Fail,
    /// A transient DNS error prevented the evaluation.
    #[serde(rename = "temperror")]
    TempError,
    /// No PTR is published.
    #[serde(rename = "permerror")]
    PermError,
}

impl IprevResult {
    /// The result word (`pass`, `fail`, `temperror`, `permerror`).
    pub fn as_str(self) -> &'static str {
        match self {
            IprevResult::Pass => "pass",
            IprevResult::Fail => "fail",
            IprevResult::TempError => "temperror",
            IprevResult::PermError => "permerror",
        }
    }
}

/// One PTR name and its forward check.
#[derive(Debug, Clone, PartialEq)]
pub struct PtrName {
    /// The PTR target as published (lower case, no trailing dot).
    pub name: String,
    /// Why the target is not a usable host name, if it is not; then no forward lookup is made.
    pub problem: Option<String>,
    /// The forward lookup in the address's family (`None` when not made).
    pub forward: Option<Lookup>,
    /// True when the forward lookup contains the address.
    pub confirmed: bool,
    /// The generic-rDNS verdict on this name.
    pub generic: GenericVerdict,
}

impl PtrName {
    /// The addresses the forward lookup found.
    pub fn addresses(&self) -> Vec<IpAddr> {
        self.forward
            .as_ref()
            .map(Lookup::addresses)
            .unwrap_or_default()
    }

    /// True when the name is itself an alias (RFC 1912 §2.1 says a PTR must not point at one).
    pub fn is_alias(&self) -> bool {
        self.forward.as_ref().is_some_and(|f| !f.chain.is_empty())
    }
}

/// The whole FCrDNS evaluation of one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Iprev {
    /// The address checked (IPv4-mapped addresses are already IPv4).
    pub ip: IpAddr,
    /// The PTR lookup.
    pub reverse: Lookup,
    /// Every PTR name found (up to [`MAX_PTR_NAMES`] checked), in answer order, without duplicates.
    pub names: Vec<PtrName>,
    /// PTR names found but not checked because there were more than [`MAX_PTR_NAMES`].
    pub unchecked: Vec<String>,
    /// The RFC 8601 result.
    pub result: IprevResult,
}

impl Iprev {
    /// All PTR names, checked or not.
    pub fn ptr(&self) -> Vec<&str> {
        self.names
            .iter()
            .map(|n| n.name.as_str())
            .chain(self.unchecked.iter().map(String::as_str))
            .collect()
    }

    /// The PTR names whose forward lookup contains the address.
    pub fn confirmed(&self) -> Vec<&str> {
        self.names
            .iter()
            .filter(|n| n.confirmed)
            .map(|n| n.name.as_str())
            .collect()
    }

    /// The names a receiver will use: the confirmed ones, or all of them when none confirms.
    pub fn relevant_names(&self) -> Vec<&PtrName> {
        let confirmed: Vec<&PtrName> = self.names.iter().filter(|n| n.confirmed).collect();
        if confirmed.is_empty() {
            self.names.iter().collect()
        } else {
            confirmed
        }
    }

    /// True when a name a receiver will use looks generic (dynamic, residential, cloud default).
    pub fn generic(&self) -> bool {
        self.relevant_names().iter().any(|n| n.generic.generic)
    }

    /// The forward record type for this address's family.
    pub fn forward_type(&self) -> RecordType {
        forward_type(self.ip)
    }

    /// Every lookup made, in order: the PTR lookup, then each forward lookup.
    pub fn lookups(&self) -> impl Iterator<Item = &Lookup> {
        std::iter::once(&self.reverse).chain(self.names.iter().filter_map(|n| n.forward.as_ref()))
    }
}

/// A for IPv4, AAAA for IPv6.
pub fn forward_type(ip: IpAddr) -> RecordType {
    match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::Aaaa,
    }
}

/// Runs the FCrDNS evaluation: one PTR lookup, then all forward lookups at once.
pub async fn check_iprev<R: Resolver>(resolver: &R, ip: IpAddr) -> Iprev {
    let ip = crate::ip::canonical(ip);
    let reverse = lookup(resolver, reverse_name(ip), RecordType::Ptr).await;
    let mut targets: Vec<String> = Vec::new();
    if let Outcome::Found(data) = &reverse.outcome {
        for d in data {
            if let RData::Ptr(t) = d {
                if !targets.contains(t) {
                    targets.push(t.clone());
                }
            }
        }
    }
    let unchecked = targets.split_off(targets.len().min(MAX_PTR_NAMES));
    let rtype = forward_type(ip);
    let names = join_all(
        targets
            .into_iter()
            .map(|target| check_name(resolver, ip, target, rtype)),
    )
    .await;
    let result = judge(&reverse.outcome, &names);
    Iprev {
        ip,
        reverse,
        names,
        unchecked,
        result,
    }
}

async fn check_name<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    target: String,
    rtype: RecordType,
) -> PtrName {
    let parsed = DomainName::parse(&target).and_then(|n| match n.host_name_problem() {
        Some(why) => Err(crate::Error::InvalidName {
            name: target.clone(),
            reason: why,
        }),
        None => Ok(n),
    });
    match parsed {
        Ok(name) => {
            let generic = generic::classify(name.as_str(), ip);
            let forward = lookup(resolver, name, rtype).await;
            let confirmed = forward.addresses().contains(&ip);
            PtrName {
                name: target,
                problem: None,
                forward: Some(forward),
                confirmed,
                generic,
            }
        }
        Err(err) => PtrName {
            generic: GenericVerdict {
                generic: false,
                signals: vec![],
                softeners: vec![],
            },
            name: target,
            problem: Some(err.to_string()),
            forward: None,
            confirmed: false,
        },
    }
}

fn judge(reverse: &Outcome, names: &[PtrName]) -> IprevResult {
    if reverse.is_temporary() {
        return IprevResult::TempError;
    }
    if !matches!(reverse, Outcome::Found(_)) || names.is_empty() {
        return IprevResult::PermError;
    }
    if names.iter().any(|n| n.confirmed) {
        IprevResult::Pass
    } else if names
        .iter()
        .any(|n| n.forward.as_ref().is_some_and(|f| f.outcome.is_temporary()))
    {
        IprevResult::TempError
    } else {
        IprevResult::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Rcode, ResolveError};
    use crate::parse_ip;
    use crate::testing::{a, aaaa, cname, ptr, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    const REV10: &str = "10.2.0.192.in-addr.arpa";

    fn run(r: &FixedResolver, ip: &str) -> Iprev {
        block_on(check_iprev(r, parse_ip(ip).unwrap()))
    }

    #[test]
    fn pass_and_fail() {
        let r = FixedResolver::new().ptr_and_address("192.0.2.10", "mail.example", "192.0.2.10");
        let i = run(&r, "192.0.2.10");
        assert_eq!(i.result, IprevResult::Pass);
        assert_eq!(i.confirmed(), vec!["mail.example"]);

        let r = FixedResolver::new().ptr_and_address("192.0.2.10", "mail.example", "192.0.2.11");
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::Fail);
    }

    #[test]
    fn forward_lookup_is_in_the_address_family() {
        let rev = reverse_name(parse_ip("2001:db8::10").unwrap()).to_string();
        let r = FixedResolver::new()
            .answer(
                &rev,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(&rev, "v4only.example")],
            )
            .answer(
                "v4only.example",
                RecordType::A,
                Rcode::NoError,
                vec![a("v4only.example", "192.0.2.10")],
            );
        let i = run(&r, "2001:db8::10");
        assert_eq!(i.result, IprevResult::Fail);
        assert_eq!(
            i.names[0].forward.as_ref().unwrap().question.rtype,
            RecordType::Aaaa
        );

        let r = r.answer(
            "v4only.example",
            RecordType::Aaaa,
            Rcode::NoError,
            vec![aaaa("v4only.example", "2001:0db8:0::0010")],
        );
        assert_eq!(run(&r, "2001:db8::10").result, IprevResult::Pass);
    }

    #[test]
    fn every_ptr_name_is_checked() {
        let r = FixedResolver::new()
            .answer(
                REV10,
                RecordType::Ptr,
                Rcode::NoError,
                vec![
                    ptr(REV10, "a.example"),
                    ptr(REV10, "b.example"),
                    ptr(REV10, "a.example"),
                ],
            )
            .answer(
                "a.example",
                RecordType::A,
                Rcode::NoError,
                vec![a("a.example", "192.0.2.99")],
            )
            .answer(
                "b.example",
                RecordType::A,
                Rcode::NoError,
                vec![a("b.example", "192.0.2.10")],
            );
        let i = run(&r, "192.0.2.10");
        assert_eq!(i.result, IprevResult::Pass);
        assert_eq!(i.ptr(), vec!["a.example", "b.example"]);
        assert_eq!(i.confirmed(), vec!["b.example"]);
    }

    #[test]
    fn permerror_and_temperror() {
        let r = FixedResolver::new().answer(REV10, RecordType::Ptr, Rcode::NxDomain, vec![]);
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::PermError);
        let r = FixedResolver::new();
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::PermError);
        let r = FixedResolver::new().answer(REV10, RecordType::Ptr, Rcode::ServFail, vec![]);
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::TempError);
        let r = FixedResolver::new().error(
            REV10,
            RecordType::Ptr,
            ResolveError::Timeout { millis: 1000 },
        );
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::TempError);
        // Forward SERVFAIL and no other confirmation: temperror, not fail.
        let r = FixedResolver::new()
            .answer(
                REV10,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(REV10, "sf.example"), ptr(REV10, "nx.example")],
            )
            .answer("sf.example", RecordType::A, Rcode::ServFail, vec![])
            .answer("nx.example", RecordType::A, Rcode::NxDomain, vec![]);
        assert_eq!(run(&r, "192.0.2.10").result, IprevResult::TempError);
    }

    #[test]
    fn aliases_and_invalid_targets() {
        let r = FixedResolver::new()
            .answer(
                REV10,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(REV10, "alias.example"), ptr(REV10, "bad_name.example")],
            )
            .answer(
                "alias.example",
                RecordType::A,
                Rcode::NoError,
                vec![
                    cname("alias.example", "real.example"),
                    a("real.example", "192.0.2.10"),
                ],
            );
        let i = run(&r, "192.0.2.10");
        assert_eq!(i.result, IprevResult::Pass);
        assert!(i.names[0].is_alias());
        assert!(i.names[1].problem.as_ref().unwrap().contains("underscore"));
        assert!(i.names[1].forward.is_none());
    }

    #[test]
    fn forward_lookups_go_out_together() {
        let mut fixed = FixedResolver::new().answer(
            REV10,
            RecordType::Ptr,
            Rcode::NoError,
            (0..5)
                .map(|i| ptr(REV10, &format!("n{i}.example")))
                .collect(),
        );
        for i in 0..5 {
            let n = format!("n{i}.example");
            fixed = fixed.answer(&n, RecordType::A, Rcode::NoError, vec![a(&n, "192.0.2.10")]);
        }
        let rt = RoundTrips::new(fixed);
        let (i, rounds) = rt.run(check_iprev(&rt, parse_ip("192.0.2.10").unwrap()));
        assert_eq!(i.confirmed().len(), 5);
        assert_eq!(rounds, 2);
    }

    #[test]
    fn caps_the_number_of_names() {
        let r = FixedResolver::new().answer(
            REV10,
            RecordType::Ptr,
            Rcode::NoError,
            (0..15)
                .map(|i| ptr(REV10, &format!("n{i}.example")))
                .collect(),
        );
        let i = run(&r, "192.0.2.10");
        assert_eq!(i.names.len(), MAX_PTR_NAMES);
        assert_eq!(i.unchecked.len(), 5);
        assert_eq!(i.ptr().len(), 15);
        assert_eq!(r.asked.borrow().len(), 1 + MAX_PTR_NAMES);
    }
}
