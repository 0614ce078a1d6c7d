//! The mechanisms of RFC 7208 §5 and the validated name of §5.5 (also `%{p}`, §7.3).
//!
//! §5: "If the server returns an error (RCODE other than 0 or 3) or the query times out, the
//! mechanism stops and the topmost check_host() returns temperror. If the server returns Name
//! Error (RCODE 3), then evaluation of the mechanism continues as if the server returned no error
//! (RCODE 0) and zero answer records", except where noted: `ptr` treats a failed PTR lookup as no
//! match and skips names whose address lookup fails (§5.5).

use std::net::IpAddr;

use futures::future::join_all;

use super::eval::{classify, Dns, Run, Step};
use super::record::{in_network, DualCidr, Mechanism};
use super::trace::{TermTrace, Trace};
use super::{SpfResult, MAX_NAMES};
use crate::dns::{forward_type, reverse_name, DomainName, RData, RecordType, Resolver};

/// A PTR lookup that found no names.
pub(crate) enum NoNames {
    /// NXDOMAIN or no PTR records.
    Void(String),
    /// It failed.
    Error(String),
}

impl<D: Resolver> Run<'_, D> {
    /// Evaluates one mechanism of the record of `domain`.
    pub async fn mechanism(&self, m: &Mechanism, domain: &DomainName, t: &mut TermTrace) -> Step {
        match m {
            Mechanism::All => Step::Match("`all` always matches (RFC 7208 §5.1)".into(), vec![]),
            Mechanism::Ip4(net, len) => self.network(IpAddr::V4(*net), *len),
            Mechanism::Ip6(net, len) => self.network(IpAddr::V6(*net), *len),
            _ => match self.dns_mechanism(m, domain, t).await {
                Ok(step) | Err(step) => step,
            },
        }
    }

    /// §5.6: `ip4` and `ip6` compare the address with a network of their own family.
    fn network(&self, net: IpAddr, len: u8) -> Step {
        let ip = self.ip;
        if in_network(ip, net, len) {
            Step::Match(format!("{ip} is in {net}/{len}"), vec![])
        } else if ip.is_ipv4() != net.is_ipv4() {
            let family = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
            Step::NoMatch(format!("{ip} is an {family} address, {net} is not"))
        } else {
            Step::NoMatch(format!("{ip} is not in {net}/{len}"))
        }
    }

    /// The mechanisms that query the DNS: counted (§4.6.4), target expanded (§4.8), evaluated.
    async fn dns_mechanism(
        &self,
        m: &Mechanism,
        domain: &DomainName,
        t: &mut TermTrace,
    ) -> Result<Step, Step> {
        self.count_lookup(t)?;
        let target = self.target(m.domain_spec(), domain, t).await?;
        if let Mechanism::Include(_) = m {
            let target = target.map_err(|why| {
                Step::error(
                    SpfResult::PermError,
                    format!("{why}; an include of it is a permerror (RFC 7208 §5.2)"),
                )
            })?;
            return self.include(target, t).await;
        }
        let target = match target {
            Ok(name) => name,
            Err(why) => {
                return Ok(Step::NoMatch(format!(
                    "{why}, so no such name exists and the mechanism does not match (RFC 7208 §4.8)"
                )))
            }
        };
        match m {
            Mechanism::A(_, cidr) => self.a(&target, *cidr, t).await,
            Mechanism::Mx(_, cidr) => self.mx(&target, *cidr, t).await,
            Mechanism::Ptr(_) => self.ptr(&target, t).await,
            _ => self.exists(&target, t).await,
        }
    }

    /// §5.2: the target's result decides: pass matches; fail, softfail and neutral do not;
    /// temperror and permerror stop the check; none is a permerror.
    async fn include(&self, target: DomainName, t: &mut TermTrace) -> Result<Step, Step> {
        let mut child = self.level(target.clone()).await;
        t.child = Some(Box::new(std::mem::replace(
            &mut child.trace,
            Trace::new(""),
        )));
        if child.void {
            self.count_void(t)?;
        }
        let problem = child.problem.unwrap_or_default();
        match child.result {
            SpfResult::Pass => Ok(Step::Match(
                format!("{target}'s record gives pass"),
                child.decided,
            )),
            r @ (SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral) => Ok(Step::NoMatch(
                format!("{target}'s record gives {}, which is no match (RFC 7208 §5.2)", r.as_str()),
            )),
            r @ (SpfResult::TempError | SpfResult::PermError) => Err(Step::Error(
                r,
                format!("in {target}'s record: {problem}"),
                child.decided,
            )),
            SpfResult::None => Err(Step::error(
                SpfResult::PermError,
                format!("{problem}; including a domain without an SPF record is a permerror (RFC 7208 §5.2)"),
            )),
        }
    }

    /// §5.3: an address of the target, in the client's family, within the CIDR length.
    async fn a(
        &self,
        target: &DomainName,
        cidr: DualCidr,
        t: &mut TermTrace,
    ) -> Result<Step, Step> {
        let rtype = forward_type(self.ip);
        let l = self.ask(target.clone(), rtype).await;
        match classify(&l) {
            Dns::Records(_) => Ok(self.compare(&format!("{target} {rtype}"), &l.addresses(), cidr)),
            Dns::Void(why) => {
                self.count_void(t)?;
                Ok(Step::NoMatch(format!("{target} {rtype}: {why}")))
            }
            Dns::Error(why) => Err(Step::error(
                SpfResult::TempError,
                format!("the {rtype} lookup for {target} failed: {why} (RFC 7208 §5)"),
            )),
        }
    }

    /// Whether the client is in one of `addresses` (each widened to the CIDR length).
    fn compare(&self, what: &str, addresses: &[IpAddr], cidr: DualCidr) -> Step {
        let ip = self.ip;
        let len = cidr.for_ip(ip);
        let full = if ip.is_ipv4() { 32 } else { 128 };
        let show = |a: &IpAddr| {
            if len == full {
                a.to_string()
            } else {
                format!("{a}/{len}")
            }
        };
        if let Some(hit) = addresses.iter().find(|a| in_network(ip, **a, len)) {
            return Step::Match(format!("{what}: {} contains {ip}", show(hit)), vec![]);
        }
        let mut list: Vec<String> = addresses.iter().take(5).map(show).collect();
        if addresses.len() > 5 {
            list.push(format!("and {} more", addresses.len() - 5));
        }
        Step::NoMatch(format!("{what}: {}; none contains {ip}", list.join(", ")))
    }

    /// §5.4: the addresses of the target's MX hosts; more than 10 MX records is a permerror, and
    /// no MX record means no match (no implicit MX).
    async fn mx(
        &self,
        target: &DomainName,
        cidr: DualCidr,
        t: &mut TermTrace,
    ) -> Result<Step, Step> {
        let l = self.ask(target.clone(), RecordType::Mx).await;
        let data = match classify(&l) {
            Dns::Records(data) => data,
            Dns::Void(why) => {
                self.count_void(t)?;
                return Ok(Step::NoMatch(format!(
                    "{target} MX: {why}; its A/AAAA records are not used instead (RFC 7208 §5.4)"
                )));
            }
            Dns::Error(why) => {
                return Err(Step::error(
                    SpfResult::TempError,
                    format!("the MX lookup for {target} failed: {why} (RFC 7208 §5)"),
                ))
            }
        };
        let hosts = mx_hosts(data);
        if hosts.len() > MAX_NAMES {
            return Err(Step::error(
                SpfResult::PermError,
                format!("{target} has {} MX records; an mx mechanism may look up at most {MAX_NAMES} (RFC 7208 §4.6.4)", hosts.len()),
            ));
        }
        let rtype = forward_type(self.ip);
        let names: Vec<DomainName> = hosts.iter().filter_map(|h| mx_name(h)).collect();
        t.follow_up = !names.is_empty();
        let lookups = join_all(names.iter().map(|n| self.ask(n.clone(), rtype))).await;
        for (name, l) in names.iter().zip(&lookups) {
            match classify(l) {
                Dns::Records(_) => {
                    let what = format!("{target} MX {name}, {name} {rtype}");
                    if let step @ Step::Match(..) = self.compare(&what, &l.addresses(), cidr) {
                        return Ok(step);
                    }
                }
                Dns::Void(_) => {}
                Dns::Error(why) => {
                    return Err(Step::error(
                        SpfResult::TempError,
                        format!("the {rtype} lookup for {target}'s MX host {name} failed: {why} (RFC 7208 §5)"),
                    ))
                }
            }
        }
        let shown: Vec<&str> = hosts
            .iter()
            .map(|h| if h.is_empty() { "." } else { h })
            .collect();
        Ok(Step::NoMatch(format!(
            "{target} MX: {}; no {rtype} record of these contains {}",
            shown.join(", "),
            self.ip
        )))
    }

    /// §5.5: a validated PTR name of the client equal to or under the target. A failed PTR lookup
    /// is no match.
    async fn ptr(&self, target: &DomainName, t: &mut TermTrace) -> Result<Step, Step> {
        let names = match self.ptr_names().await {
            Ok(names) => names,
            Err(NoNames::Void(why)) => {
                self.count_void(t)?;
                return Ok(Step::NoMatch(format!("{} PTR: {why}", self.ip)));
            }
            Err(NoNames::Error(why)) => {
                return Ok(Step::NoMatch(format!(
                    "the PTR lookup for {} failed ({why}), which is no match (RFC 7208 §5.5)",
                    self.ip
                )))
            }
        };
        let candidates: Vec<DomainName> = names.into_iter().filter(|n| within(n, target)).collect();
        let validated = self.validate(&candidates).await;
        match candidates.iter().zip(validated).find(|(_, ok)| *ok) {
            Some((name, _)) => Ok(Step::Match(
                format!(
                    "{}'s PTR name {name} is within {target} and resolves back to it",
                    self.ip
                ),
                vec![],
            )),
            None => Ok(Step::NoMatch(format!(
                "no PTR name of {} within {target} resolves back to it",
                self.ip
            ))),
        }
    }

    /// §5.7: any A record of the target (A even for an IPv6 client).
    async fn exists(&self, target: &DomainName, t: &mut TermTrace) -> Result<Step, Step> {
        let l = self.ask(target.clone(), RecordType::A).await;
        match classify(&l) {
            Dns::Records(_) => {
                let first = l
                    .addresses()
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                Ok(Step::Match(format!("{target} A: {first}"), vec![]))
            }
            Dns::Void(why) => {
                self.count_void(t)?;
                Ok(Step::NoMatch(format!("{target} A: {why}")))
            }
            Dns::Error(why) => Err(Step::error(
                SpfResult::TempError,
                format!("the A lookup for {target} failed: {why} (RFC 7208 §5)"),
            )),
        }
    }

    /// The client's PTR names: the first [`MAX_NAMES`] records (§4.6.4: the rest are ignored).
    pub async fn ptr_names(&self) -> Result<Vec<DomainName>, NoNames> {
        let l = self.ask(reverse_name(self.ip), RecordType::Ptr).await;
        match classify(&l) {
            Dns::Records(data) => Ok(data
                .iter()
                .filter_map(|d| match d {
                    RData::Ptr(name) => Some(name),
                    _ => None,
                })
                .take(MAX_NAMES)
                .filter_map(|n| DomainName::parse_any(n).ok())
                .collect()),
            Dns::Void(why) => Err(NoNames::Void(why)),
            Dns::Error(why) => Err(NoNames::Error(why)),
        }
    }

    /// §5.5: which names resolve back to the client (a failed lookup skips the name).
    pub async fn validate(&self, names: &[DomainName]) -> Vec<bool> {
        let rtype = forward_type(self.ip);
        let lookups = join_all(names.iter().map(|n| self.ask(n.clone(), rtype))).await;
        lookups
            .iter()
            .map(|l| l.addresses().contains(&self.ip))
            .collect()
    }

    /// §7.3 `%{p}`: the validated name equal to `domain`, else one under it, else any; `unknown`
    /// when there is none or the DNS fails.
    pub async fn validated_name(&self, domain: &DomainName) -> String {
        let Ok(names) = self.ptr_names().await else {
            return "unknown".into();
        };
        let ok = self.validate(&names).await;
        let valid: Vec<&DomainName> = names
            .iter()
            .zip(ok)
            .filter(|(_, ok)| *ok)
            .map(|(n, _)| n)
            .collect();
        valid
            .iter()
            .find(|n| **n == domain)
            .or_else(|| valid.iter().find(|n| within(n, domain)))
            .or(valid.first())
            .map_or_else(|| "unknown".into(), ToString::to_string)
    }
}

/// The exchanges of an MX answer, in answer order (`""` is the root, a null MX).
pub(crate) fn mx_hosts(data: &[RData]) -> Vec<String> {
    data.iter()
        .filter_map(|d| match d {
            RData::Mx { exchange, .. } => Some(exchange.clone()),
            _ => None,
        })
        .collect()
}

/// The name to ask for an MX host's addresses; `None` for the null MX and names that cannot be
/// asked.
pub(crate) fn mx_name(host: &str) -> Option<DomainName> {
    (!host.is_empty())
        .then(|| DomainName::parse_any(host).ok())
        .flatten()
}

/// `name` equals `target` or is a subdomain of it.
pub(crate) fn within(name: &DomainName, target: &DomainName) -> bool {
    let (n, t) = (name.as_str(), target.as_str());
    n == t || n.strip_suffix(t).is_some_and(|rest| rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> DomainName {
        DomainName::parse_any(s).unwrap()
    }

    #[test]
    fn subdomains() {
        assert!(within(&n("example.com"), &n("example.com")));
        assert!(within(&n("mail.example.com"), &n("Example.COM")));
        assert!(!within(&n("badexample.com"), &n("example.com")));
        assert!(!within(&n("example.com"), &n("mail.example.com")));
    }

    #[test]
    fn mx_hosts_and_names() {
        let data = [
            RData::Mx {
                preference: 0,
                exchange: String::new(),
            },
            RData::Mx {
                preference: 10,
                exchange: "foo:bar/baz.example.com".into(),
            },
            RData::A("192.0.2.1".parse().unwrap()),
        ];
        assert_eq!(mx_hosts(&data), vec!["", "foo:bar/baz.example.com"]);
        assert_eq!(mx_name(""), None);
        assert_eq!(
            mx_name("foo:bar/baz.example.com"),
            Some(n("foo:bar/baz.example.com"))
        );
        assert_eq!(mx_name("a..b"), None);
    }
}
