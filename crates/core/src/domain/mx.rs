//! Can the domain receive mail, its bounces among them? And does it exist at all?
//!
//! RFC 5321 §5.1: mail goes to the domain's MX hosts, by preference; with no MX record, to the
//! domain's own A/AAAA address (the "implicit MX"). RFC 7505: a single MX of preference 0 and
//! exchange `.` (the null MX) says the domain accepts no mail. A domain whose MX, A and AAAA
//! queries all answer NXDOMAIN does not exist (RFC 8020): Yahoo rejects mail whose RFC5321.MailFrom
//! or RFC5322.From domain is unresolvable ("554 … Unresolvable RFC.5321 or RFC.5322 from domain"),
//! and Postfix's `reject_unknown_sender_domain` rejects a sender domain with no MX and no address,
//! or a null MX.
//!
//! The MX, A and AAAA questions go out together, in the run's first round; the DMARC check asks
//! the same three for the From domain (to know whether it exists, for `np`), so through the run's
//! [`Cached`] they are asked once.

use std::net::IpAddr;

use futures::future::join3;
use serde::Serialize;

use crate::dns::{lookup, Cached, DomainName, Lookup, Outcome, RData, RecordType, Resolver};
use crate::finding::{most_severe_first, Finding, FindingId};

/// Whether the domain can receive mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MxResult {
    /// MX hosts, or an address as implicit MX.
    Pass,
    /// The domain does not exist, publishes a null MX, or has neither MX nor address.
    Fail,
    /// A lookup failed transiently.
    TempError,
}

impl MxResult {
    /// The result word (`pass`, `fail`, `temperror`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MxResult::Pass => "pass",
            MxResult::Fail => "fail",
            MxResult::TempError => "temperror",
        }
    }
}

crate::serialize_as_str!(MxResult);

/// One MX record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MxHost {
    /// Lower is preferred.
    pub preference: u16,
    /// The exchange's name; empty for the null MX (`.`).
    pub exchange: String,
}

/// Where a domain's mail goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mx {
    /// The domain checked.
    pub domain: DomainName,
    /// Whether it can receive mail.
    pub result: MxResult,
    /// Whether it exists: `false` on NXDOMAIN, `null` when every lookup failed transiently.
    pub exists: Option<bool>,
    /// Its MX records, most preferred first.
    pub hosts: Vec<MxHost>,
    /// It publishes the null MX (RFC 7505): it accepts no mail.
    pub null_mx: bool,
    /// No MX, so mail goes to its own address (RFC 5321 §5.1).
    pub implicit: bool,
    /// Its A and AAAA addresses.
    pub addresses: Vec<IpAddr>,
    /// The MX lookup.
    #[serde(skip)]
    pub mx: Lookup,
    /// The A lookup.
    #[serde(skip)]
    pub a: Lookup,
    /// The AAAA lookup.
    #[serde(skip)]
    pub aaaa: Lookup,
}

impl Mx {
    /// The three lookups.
    pub fn lookups(&self) -> [&Lookup; 3] {
        [&self.mx, &self.a, &self.aaaa]
    }

    /// For the providers' requirements: `Some(true)` when the domain can receive replies and
    /// bounces, `None` when unknown.
    pub fn can_receive(&self) -> Option<bool> {
        match self.result {
            MxResult::Pass => Some(true),
            MxResult::Fail => Some(false),
            MxResult::TempError => None,
        }
    }
}

/// Whether the answers say the domain exists: NXDOMAIN means no (RFC 8020), any other definite
/// answer yes; `None` when every answer failed transiently.
fn existence(lookups: &[&Lookup]) -> Option<bool> {
    let definite: Vec<&Outcome> = lookups
        .iter()
        .map(|l| &l.outcome)
        .filter(|o| !o.is_temporary())
        .collect();
    if definite.is_empty() {
        None
    } else {
        Some(!definite.iter().all(|o| **o == Outcome::NxDomain))
    }
}

/// Looks up the domain's MX, A and AAAA records at once and judges them.
pub async fn check_mx<R: Resolver>(resolver: &Cached<R>, domain: &DomainName) -> Mx {
    let (mx, a, aaaa) = join3(
        lookup(resolver, domain.clone(), RecordType::Mx),
        lookup(resolver, domain.clone(), RecordType::A),
        lookup(resolver, domain.clone(), RecordType::Aaaa),
    )
    .await;
    judge(domain.clone(), mx, a, aaaa)
}

fn judge(domain: DomainName, mx: Lookup, a: Lookup, aaaa: Lookup) -> Mx {
    let exists = existence(&[&mx, &a, &aaaa]);
    let mut hosts: Vec<MxHost> = match &mx.outcome {
        Outcome::Found(data) => data
            .iter()
            .filter_map(|d| match d {
                RData::Mx {
                    preference,
                    exchange,
                } => Some(MxHost {
                    preference: *preference,
                    exchange: exchange.trim_end_matches('.').to_string(),
                }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // Stable: equal preferences keep their answer order.
    let mut sorted = Vec::with_capacity(hosts.len());
    while let Some(min) = hosts.iter().map(|h| h.preference).min() {
        let (take, keep): (Vec<MxHost>, Vec<MxHost>) =
            hosts.into_iter().partition(|h| h.preference == min);
        sorted.extend(take);
        hosts = keep;
    }
    let hosts = sorted;
    let null_mx = hosts.iter().any(|h| h.exchange.is_empty());
    let mut addresses = a.addresses();
    addresses.extend(aaaa.addresses());
    let implicit = hosts.is_empty() && !addresses.is_empty();
    let result = if exists == Some(false) {
        MxResult::Fail
    } else if !hosts.is_empty() {
        if hosts.iter().all(|h| h.exchange.is_empty()) {
            MxResult::Fail
        } else {
            MxResult::Pass
        }
    } else if mx.outcome.is_temporary() {
        MxResult::TempError
    } else if implicit {
        MxResult::Pass
    } else if a.outcome.is_temporary() || aaaa.outcome.is_temporary() {
        MxResult::TempError
    } else {
        MxResult::Fail
    };
    Mx {
        domain,
        result,
        exists,
        hosts,
        null_mx,
        implicit,
        addresses,
        mx,
        a,
        aaaa,
    }
}

/// The findings about whether `mx.domain` exists and can receive mail.
pub fn findings(mx: &Mx) -> Vec<Finding> {
    let d = &mx.domain;
    let mut out = Vec::new();
    if mx.exists == Some(false) {
        out.push(
            FindingId::DomainNxdomain
                .says(format!("{d} does not exist (NXDOMAIN)"))
                .because(format!(
                    "The MX, A and AAAA queries for {d} all answered NXDOMAIN: the name is not in the DNS. Yahoo rejects mail whose MAIL FROM or From domain cannot be resolved (554 \"Unresolvable RFC.5321 or RFC.5322 from domain\"; 451 while lookups fail), Postfix's reject_unknown_sender_domain rejects it too, and bounces to it can never be delivered."
                ))
                .fixed_by(format!(
                    "Send from a domain that exists, or publish {d} in its parent zone with an MX record (and an A/AAAA record if it is also a host):\n{d}. 3600 IN MX 10 mail.{d}."
                )),
        );
        return out;
    }
    let hosts: Vec<String> = mx
        .hosts
        .iter()
        .filter(|h| !h.exchange.is_empty())
        .map(|h| format!("{} {}", h.preference, h.exchange))
        .collect();
    match mx.result {
        MxResult::Pass if !mx.implicit => out.push(
            FindingId::MxPass
                .says(format!("{d} receives mail at {}", hosts.join(", ")))
                .because(format!(
                    "{d} publishes MX records, so replies and bounces (DSNs, RFC 5321 §6) addressed to it can be delivered, and receivers that check the sender domain accept it."
                )),
        ),
        MxResult::Pass => {
            let list: Vec<String> = mx.addresses.iter().map(ToString::to_string).collect();
            out.push(
                FindingId::MxImplicit
                    .says(format!("{d} has no MX record; mail to it goes to its address"))
                    .because(format!(
                        "With no MX record, RFC 5321 §5.1 sends mail to the domain's own address ({}), the \"implicit MX\". Bounces can be delivered if a mail server listens there; an explicit MX record says so clearly and survives a change of the web host.",
                        list.join(", ")
                    ))
                    .fixed_by(format!(
                        "Publish an MX record naming the server that receives {d}'s mail:\n{d}. 3600 IN MX 10 mail.{d}."
                    )),
            );
        }
        MxResult::Fail if mx.null_mx => out.push(
            FindingId::MxNull
                .says(format!("{d} publishes a null MX: it says it accepts no mail"))
                .because(format!(
                    "`{d}. MX 0 .` is RFC 7505's null MX: no mail can be delivered to {d}, so bounces and replies to a MAIL FROM or From in this domain are lost. RFC 7505 §4.2 says a domain used in MAIL FROM or From should not publish one, and lets receivers reject such mail (550 5.7.27 \"Sender address has null MX\"), as Postfix's reject_unknown_sender_domain does."
                ))
                .fixed_by(format!(
                    "If {d} sends mail, replace the null MX with the server that receives its bounces:\n{d}. 3600 IN MX 10 mail.{d}.\nIf it must not receive mail, send with a MAIL FROM (Return-Path) in another domain that does."
                )),
        ),
        MxResult::Fail => out.push(
            FindingId::MxNone
                .says(format!("{d} has no MX record and no address"))
                .because(format!(
                    "MX: {}; A: {}; AAAA: {}. With neither, mail to {d} cannot be delivered (RFC 5321 §5.1), so its bounces are lost, and Postfix's reject_unknown_sender_domain rejects mail from it (450/550 \"Domain not found\").",
                    mx.mx.outcome.describe(RecordType::Mx),
                    mx.a.outcome.describe(RecordType::A),
                    mx.aaaa.outcome.describe(RecordType::Aaaa)
                ))
                .fixed_by(format!(
                    "Publish an MX record for the server that receives {d}'s mail:\n{d}. 3600 IN MX 10 mail.{d}."
                )),
        ),
        MxResult::TempError => {
            let failed = mx
                .lookups()
                .into_iter()
                .find(|l| l.outcome.is_temporary())
                .map(|l| l.describe())
                .unwrap_or_default();
            out.push(
                FindingId::MxTemperror
                    .says(format!("Could not tell whether {d} receives mail"))
                    .because(format!(
                        "A lookup failed in a way that may be temporary ({failed}). Receivers that check the sender domain defer the mail (Yahoo: 451 \"Unresolvable RFC.5321 or RFC.5322 from domain\") until it resolves."
                    ))
                    .fixed_by("Try again, or with another resolver; if it persists, check the domain's authoritative servers and DNSSEC."),
            );
        }
    }
    if mx.null_mx && !hosts.is_empty() {
        out.push(
            FindingId::MxNullMixed
                .says(format!("{d} publishes a null MX beside other MX records"))
                .because(format!(
                    "RFC 7505 §3: a domain that advertises a null MX MUST NOT advertise any other MX record. Senders disagree on what {d}'s mix means: some deliver to {}, some give up at once.",
                    hosts.join(", ")
                ))
                .fixed_by(format!("Delete the record `{d}. MX 0 .`: the other MX records say where mail goes.")),
        );
    }
    most_severe_first(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Rcode, ResolveError};
    use crate::testing::{a, rec, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    fn mx_rec(name: &str, preference: u16, exchange: &str) -> crate::dns::Record {
        rec(
            name,
            RecordType::Mx,
            RData::Mx {
                preference,
                exchange: exchange.into(),
            },
        )
    }

    fn run(fixed: &FixedResolver, domain: &str) -> Mx {
        block_on(check_mx(
            &Cached::new(fixed),
            &DomainName::parse(domain).unwrap(),
        ))
    }

    fn ids(mx: &Mx) -> Vec<String> {
        findings(mx).iter().map(|f| f.id.to_string()).collect()
    }

    #[test]
    fn mx_hosts_by_preference() {
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Mx,
            Rcode::NoError,
            vec![
                mx_rec("example.com", 20, "b.example.com"),
                mx_rec("example.com", 10, "a.example.com"),
                mx_rec("example.com", 20, "c.example.com"),
            ],
        );
        let m = run(&r, "example.com");
        assert_eq!(m.result, MxResult::Pass);
        assert_eq!(m.exists, Some(true));
        let order: Vec<&str> = m.hosts.iter().map(|h| h.exchange.as_str()).collect();
        assert_eq!(order, ["a.example.com", "b.example.com", "c.example.com"]);
        assert_eq!(ids(&m), ["mx-pass"]);
        assert_eq!(
            findings(&m)[0].title,
            "example.com receives mail at 10 a.example.com, 20 b.example.com, 20 c.example.com"
        );
    }

    #[test]
    fn implicit_mx() {
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::A,
            Rcode::NoError,
            vec![a("example.com", "192.0.2.1")],
        );
        let m = run(&r, "example.com");
        assert_eq!((m.result, m.implicit), (MxResult::Pass, true));
        assert_eq!(ids(&m), ["mx-implicit"]);
    }

    #[test]
    fn null_mx() {
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Mx,
            Rcode::NoError,
            vec![mx_rec("example.com", 0, "")],
        );
        let m = run(&r, "example.com");
        assert_eq!((m.result, m.null_mx), (MxResult::Fail, true));
        assert_eq!(ids(&m), ["mx-null"]);
        assert!(findings(&m)[0].title.contains("accepts no mail"));

        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Mx,
            Rcode::NoError,
            vec![
                mx_rec("example.com", 0, ""),
                mx_rec("example.com", 10, "mx.example.com"),
            ],
        );
        let m = run(&r, "example.com");
        assert_eq!(m.result, MxResult::Pass);
        assert_eq!(ids(&m), ["mx-null-mixed", "mx-pass"]);
    }

    #[test]
    fn nxdomain_none_and_temperror() {
        let r = FixedResolver::new()
            .answer("gone.example", RecordType::Mx, Rcode::NxDomain, vec![])
            .answer("gone.example", RecordType::A, Rcode::NxDomain, vec![])
            .answer("gone.example", RecordType::Aaaa, Rcode::NxDomain, vec![]);
        let m = run(&r, "gone.example");
        assert_eq!((m.result, m.exists), (MxResult::Fail, Some(false)));
        assert_eq!(ids(&m), ["domain-nxdomain"]);
        assert!(findings(&m)[0]
            .detail
            .contains("Unresolvable RFC.5321 or RFC.5322 from domain"));

        let m = run(&FixedResolver::new(), "empty.example");
        assert_eq!((m.result, m.exists), (MxResult::Fail, Some(true)));
        assert_eq!(ids(&m), ["mx-none"]);

        let r = FixedResolver::new().error(
            "sf.example",
            RecordType::Mx,
            ResolveError::Timeout { millis: 1000 },
        );
        let m = run(&r, "sf.example");
        assert_eq!((m.result, m.exists), (MxResult::TempError, Some(true)));
        assert_eq!(ids(&m), ["mx-temperror"]);
        assert_eq!(m.can_receive(), None);
    }

    #[test]
    fn one_round_trip() {
        let rt = RoundTrips::new(FixedResolver::new());
        let cached = Cached::new(&rt);
        let (_, rounds) = rt.run(check_mx(
            &cached,
            &DomainName::parse("example.com").unwrap(),
        ));
        assert_eq!((rounds, rt.sent()), (1, 3));
    }
}
