//! Forward-confirmed reverse DNS, judged as RFC 8601 §3 `iprev`.
//!
//! The reverse lookup asks for the PTR records of the address (following RFC 2317 CNAMEs), then the
//! forward lookups ask every PTR name, all at once, for records *in the address's own family* (A for
//! IPv4, AAAA for IPv6). The address is confirmed when a forward answer contains it, compared as an
//! [`IpAddr`] value. Every PTR name is checked, as Exim does (`host_lookup` walks all of them);
//! Postfix uses only one, so more than one PTR gets a warning elsewhere.
//!
//! Beside each of these questions goes the SOA question of the same name ([`zone_of`]): the reverse
//! zone's SOA names who runs it, and a PTR name's SOA names the zone where its address record is
//! published. They ride along in the same rounds, so they cost no waiting; the where-to-fix advice
//! (`crate::fix`) reads them, the verdict never does.
//!
//! RFC 8601 §3 results:
//! - `pass`: some PTR name's forward lookup contains the address;
//! - `fail`: PTR names exist but none confirms (mismatch, forward NXDOMAIN or NODATA);
//! - `temperror`: the PTR lookup failed transiently (SERVFAIL, timeout, transport), or no name
//!   confirmed and at least one forward lookup failed transiently;
//! - `permerror`: no PTR is published (NXDOMAIN, or NOERROR with no PTR).
//!
//! A `temperror` has two causes that the report keeps apart ([`Iprev::unanswered`]): the DNS
//! answered with an error (SERVFAIL), which receivers would meet too (`iprev-temperror`, verdict
//! `temperror`); or the resolver this check asks gave no DNS answer at all (network, HTTP status,
//! not DNS, timeout), which says nothing about the address (`iprev-unchecked`, verdict
//! `unchecked`). RFC 8601 has one word for both, so `result` stays `temperror`.

use std::net::IpAddr;

use futures::future::{join, join_all};

use super::fix::{address_record, best_name, ptr_record};
use super::generic::{self, GenericVerdict};
use super::helo::HeloCheck;
use crate::dns::{
    forward_type, lookup, reverse_name, zone_of, DomainName, Lookup, Outcome, RData, RecordType,
    Resolver, ZoneFacts,
};
use crate::finding::{Finding, FindingId};

/// PTR names beyond this many are not looked up: no receiver looks further, and a reverse zone
/// with dozens of PTRs for one address is a problem of its own.
pub const MAX_PTR_NAMES: usize = 10;

/// The RFC 8601 §3 `iprev` result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IprevResult {
    /// Forward-confirmed.
    Pass,
    /// PTR names exist, none confirms.
    Fail,
    /// A transient DNS error prevented the evaluation.
    TempError,
    /// No PTR is published.
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

crate::serialize_as_str!(IprevResult);

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
    /// The SOA lookup of the name, asked beside the forward lookup (`None` when not made).
    pub soa: Option<Lookup>,
    /// The zone that holds the name, from its SOA.
    pub zone: Option<ZoneFacts>,
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
    /// The SOA lookup of the reverse name, asked beside the PTR lookup.
    pub reverse_soa: Lookup,
    /// The reverse zone (following RFC 2317 aliases), from its SOA: who runs it.
    pub reverse_zone: Option<ZoneFacts>,
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

    /// Every lookup the verdict rests on, in order: the PTR lookup, then each forward lookup.
    pub fn lookups(&self) -> impl Iterator<Item = &Lookup> {
        std::iter::once(&self.reverse).chain(self.names.iter().filter_map(|n| n.forward.as_ref()))
    }

    /// When the result is `temperror` because the resolver gave no DNS answer to a lookup it
    /// rests on ([`Outcome::is_unanswered`]), not because the DNS answered with an error: the
    /// first such lookup. Then the check could not be made: nothing is known about what receivers
    /// would see, and the report must not explain their `temperror` handling. One unanswered
    /// lookup is enough, even beside a SERVFAIL: its answer might have confirmed the address.
    pub fn unanswered(&self) -> Option<&Lookup> {
        if self.result != IprevResult::TempError {
            return None;
        }
        self.lookups().find(|l| l.outcome.is_unanswered())
    }

    /// Every lookup made, in order: the PTR and reverse SOA lookups, then each name's forward and
    /// SOA lookups.
    pub fn all_lookups(&self) -> impl Iterator<Item = &Lookup> {
        [&self.reverse, &self.reverse_soa].into_iter().chain(
            self.names
                .iter()
                .flat_map(|n| n.forward.iter().chain(n.soa.iter())),
        )
    }
}

/// Runs the FCrDNS evaluation: one PTR lookup (with the reverse name's SOA beside it), then all
/// forward lookups at once (each with its name's SOA).
pub async fn check_iprev<R: Resolver>(resolver: &R, ip: IpAddr) -> Iprev {
    let ip = crate::dns::canonical(ip);
    let rev = reverse_name(ip);
    let (reverse, (reverse_soa, reverse_zone)) = join(
        lookup(resolver, rev.clone(), RecordType::Ptr),
        zone_of(resolver, rev),
    )
    .await;
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
        reverse_soa,
        reverse_zone,
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
            let (forward, (soa, zone)) = join(
                lookup(resolver, name.clone(), rtype),
                zone_of(resolver, name),
            )
            .await;
            let confirmed = forward.addresses().contains(&ip);
            PtrName {
                name: target,
                problem: None,
                forward: Some(forward),
                confirmed,
                generic,
                soa: Some(soa),
                zone,
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
            soa: None,
            zone: None,
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

fn forward_summary(n: &PtrName, rtype: crate::dns::RecordType) -> String {
    match (&n.problem, &n.forward) {
        (Some(why), _) => format!("`{}` is not a usable host name: {why}", n.name),
        (None, Some(f)) => match &f.outcome {
            Outcome::Found(_) => {
                let list: Vec<String> = n.addresses().iter().map(ToString::to_string).collect();
                format!("`{}` has {rtype} {}", n.name, list.join(", "))
            }
            other => format!("`{}`: {}", n.name, other.describe(rtype)),
        },
        (None, None) => format!("`{}` was not looked up", n.name),
    }
}

/// The FCrDNS findings: the iprev result, and what is odd about the PTR records.
pub(crate) fn iprev_findings(iprev: &Iprev, helo: Option<&HeloCheck>, out: &mut Vec<Finding>) {
    let ip = iprev.ip;
    let rtype = iprev.forward_type();
    let rev = reverse_name(ip);
    let name = best_name(iprev, helo);
    let ptr_list = iprev
        .ptr()
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match iprev.result {
        IprevResult::Pass => {
            let confirmed = iprev
                .confirmed()
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(FindingId::IprevPass
.says(format!("Reverse DNS of {ip} is forward-confirmed ({confirmed})"))
.because(format!(
                    "{ip} has PTR {ptr_list}, and {confirmed} has an {rtype} record for {ip}. This is the RFC 8601 §3 iprev check that Gmail (550-5.7.25 when it fails), Yahoo and Microsoft apply to every connection."
                )));
        }
        IprevResult::Fail => {
            let seen: Vec<String> = iprev
                .names
                .iter()
                .map(|n| forward_summary(n, rtype))
                .collect();
            out.push(FindingId::IprevFail
.says(format!("Reverse DNS of {ip} does not resolve back to it"))
.because(format!(
                    "{ip} has PTR {ptr_list}, but no PTR name has an {rtype} record for {ip}: {}. Gmail rejects such mail with 550-5.7.25 (\"the corresponding forward DNS entry does not match the sending IP\"); Postfix's reject_unknown_client_hostname rejects it too. RFC 1912 §2.1: PTR and {rtype} records must match (RFC 8601 §3 iprev result: fail).",
                    seen.join("; ")
                ))
.fixed_by(format!(
                    "Publish the forward record in the zone of `{name}`:\n{}\nor change the PTR to a name that already has it (ask whoever controls the reverse zone, usually the hosting provider):\n{}",
                    address_record(ip, name),
                    ptr_record(ip, name)
                )));
        }
        IprevResult::PermError => {
            let seen = match &iprev.reverse.outcome {
                Outcome::NxDomain => format!("`{rev}` does not exist (NXDOMAIN)"),
                Outcome::NoData => format!("`{rev}` exists but has no PTR record (NODATA)"),
                Outcome::Found(_) => format!("`{rev}` has no usable PTR record"),
                other => format!("`{rev}`: {}", other.describe(RecordType::Ptr)),
            };
            out.push(FindingId::IprevNoPtr
.says(format!("{ip} has no reverse DNS (no PTR record)"))
.because(format!(
                    "{seen}. Gmail rejects mail from addresses without a PTR record (550-5.7.25 \"does not have a PTR record setup\"), Yahoo requires valid reverse DNS, and many receivers refuse the connection outright (RFC 8601 §3 iprev result: permerror)."
                ))
.fixed_by(format!(
                    "Ask the owner of the address block (your hosting provider or ISP; most have a \"reverse DNS\" setting in their control panel) to publish:\n{}\nand make sure the name resolves back:\n{}",
                    ptr_record(ip, name),
                    address_record(ip, name)
                )));
        }
        IprevResult::TempError if iprev.unanswered().is_some() => {
            let why = iprev.unanswered().map(Lookup::describe).unwrap_or_default();
            out.push(FindingId::IprevUnchecked
.says(format!("Could not check the reverse DNS of {ip}: the resolver gave no answer"))
.because(format!(
                    "The resolver this check asks could not be used ({why}). That is a failure of the resolver or of the way to it, not an answer from the DNS: a DoH reply without a DNS message carries no answer to the question (RFC 8484 §4.2.1), so the reverse DNS of {ip} is unknown."
                ))
.fixed_by("Check again through another resolver. If every resolver fails, look at what stands between this check and them: the network, a proxy or firewall, or a browser extension that blocks DNS-over-HTTPS."));
        }
        IprevResult::TempError => {
            let why = iprev
                .lookups()
                .find(|l| l.outcome.is_temporary())
                .map(Lookup::describe)
                .unwrap_or_default();
            out.push(FindingId::IprevTemperror
.says(format!("Could not evaluate the reverse DNS of {ip}"))
.because(format!(
                    "A lookup failed in a way that may be temporary ({why}). Receivers that see the same failure defer the mail with a 4xx code and retry (RFC 8601 §3 iprev result: temperror); if it persists, they bounce it."
                ))
.fixed_by("Try again, or with another resolver. If the resolver answered SERVFAIL, the authoritative servers of the zone are failing or its DNSSEC is broken: check them."));
        }
    }
    if iprev.names.len() + iprev.unchecked.len() > 1 {
        out.push(FindingId::PtrMultiple
.says(format!("{ip} has {} PTR records", iprev.names.len() + iprev.unchecked.len()))
.because(format!(
                "PTR names: {ptr_list}. Exim and this check try every name, but Postfix uses only one, in whatever order the resolver returns them, so its verdict can change from one connection to the next; the EHLO name can match at most one of them."
            ))
.fixed_by(format!("Keep a single PTR record:\n{}", ptr_record(ip, name))));
    }
    if !iprev.unchecked.is_empty() {
        out.push(
            FindingId::PtrUnchecked
                .says(format!(
                    "{} PTR names were not checked",
                    iprev.unchecked.len()
                ))
                .because(format!(
                    "Only the first {} PTR names were looked up; no receiver looks further.",
                    iprev.names.len()
                )),
        );
    }
    if !iprev.reverse.chain.is_empty() && matches!(iprev.reverse.outcome, Outcome::Found(_)) {
        out.push(FindingId::PtrClassless
.says("The reverse zone is delegated by CNAME (RFC 2317)")
.because(format!(
                "`{rev}` is an alias of `{}`, as in RFC 2317 classless delegation; resolvers follow it and so do receivers.",
                iprev.reverse.chain.join("` → `")
            )));
    }
    for n in &iprev.names {
        if let Some(why) = &n.problem {
            out.push(
                FindingId::PtrInvalidName
                    .says(format!("PTR target `{}` is not a valid host name", n.name))
                    .because(format!(
                    "{why}. A receiver cannot confirm it, and some reject the connection for it."
                ))
                    .fixed_by(format!(
                        "Point the PTR at a valid host name:\n{}",
                        ptr_record(ip, name)
                    )),
            );
        }
        if n.is_alias() {
            let chain = &n
                .forward
                .as_ref()
                .map(|f| f.chain.clone())
                .unwrap_or_default();
            let target = chain.last().cloned().unwrap_or_default();
            out.push(FindingId::PtrCname
.says(format!("PTR name `{}` is an alias (CNAME)", n.name))
.because(format!(
                    "`{}` is a CNAME for `{}`. Resolvers follow it, so the check can pass, but RFC 1912 §2.1 says PTR records must point at a name with an address record, not an alias, and some receivers do not follow it.",
                    n.name,
                    chain.join("` → `")
                ))
.fixed_by(format!("Point the PTR at the canonical name:\n{}", ptr_record(ip, &target))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::parse_ip;
    use crate::dns::{Rcode, ResolveError};
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

    /// The resolver's own failures leave the result `temperror` (RFC 8601 has no other word) but
    /// are told apart from a DNS error answer, for the verdict and the finding.
    #[test]
    fn unanswered_lookups_are_told_apart_from_servfail() {
        let findings = |i: &Iprev| {
            let mut out = Vec::new();
            iprev_findings(i, None, &mut out);
            out.iter().map(|f| f.id.as_str()).collect::<Vec<_>>()
        };
        for err in [
            ResolveError::Http { status: 500 },
            ResolveError::Transport("connection refused".into()),
            ResolveError::NotDns("its content type is `text/html`".into()),
            ResolveError::Timeout { millis: 5000 },
        ] {
            let r = FixedResolver::new().error(REV10, RecordType::Ptr, err.clone());
            let i = run(&r, "192.0.2.10");
            assert_eq!(i.result, IprevResult::TempError, "{err}");
            assert_eq!(
                i.unanswered().map(|l| l.question.rtype),
                Some(RecordType::Ptr),
                "{err}"
            );
            assert_eq!(findings(&i), vec!["iprev-unchecked"], "{err}");
        }
        let r =
            FixedResolver::new().error(REV10, RecordType::Ptr, ResolveError::Http { status: 500 });
        let mut out = Vec::new();
        iprev_findings(&run(&r, "192.0.2.10"), None, &mut out);
        let f = &out[0];
        assert_eq!(
            f.title,
            "Could not check the reverse DNS of 192.0.2.10: the resolver gave no answer"
        );
        assert!(
            f.detail
                .contains("(10.2.0.192.in-addr.arpa PTR: the resolver answered HTTP 500)"),
            "{}",
            f.detail
        );
        assert!(!f.detail.contains("receivers") && !f.detail.contains("defer"));
        assert!(f.fix.starts_with("Check again through another resolver."));

        // SERVFAIL is the DNS's answer: a temperror receivers meet too.
        let r = FixedResolver::new().answer(REV10, RecordType::Ptr, Rcode::ServFail, vec![]);
        let i = run(&r, "192.0.2.10");
        assert_eq!((i.result, i.unanswered()), (IprevResult::TempError, None));
        assert_eq!(findings(&i), vec!["iprev-temperror"]);

        // A forward lookup the resolver left unanswered beside one that SERVFAILed: the first
        // might have confirmed the address, so the check is unfinished.
        let r = FixedResolver::new()
            .answer(
                REV10,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(REV10, "sf.example"), ptr(REV10, "down.example")],
            )
            .answer("sf.example", RecordType::A, Rcode::ServFail, vec![])
            .error(
                "down.example",
                RecordType::A,
                ResolveError::Transport("reset".into()),
            );
        let i = run(&r, "192.0.2.10");
        assert_eq!(
            i.unanswered().map(|l| l.question.name.as_str()),
            Some("down.example")
        );
        // Once a name confirms, nothing is missing.
        let r = FixedResolver::new()
            .ptr_and_address("192.0.2.10", "mail.example", "192.0.2.10")
            .error(
                "mail.example",
                RecordType::Soa,
                ResolveError::Http { status: 502 },
            );
        let i = run(&r, "192.0.2.10");
        assert_eq!((i.result, i.unanswered()), (IprevResult::Pass, None));
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
        // The PTR and the reverse SOA, then each name's address and SOA.
        assert_eq!(r.asked.borrow().len(), 2 + 2 * MAX_PTR_NAMES);
    }
}
