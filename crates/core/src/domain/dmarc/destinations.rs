//! Verifying external report destinations (RFC 9990, from RFC 7489 §7.1): a receiver sends
//! reports to a `rua`/`ruf` address outside the policy record's organizational domain only when
//! the destination agrees, by publishing a TXT record starting with `v=DMARC1` at
//! `<policy-domain>._report._dmarc.<destination-host>`. Otherwise the URI is ignored and the
//! reports are silently dropped. A `rua`/`ruf` in that record overrides the URI, but only with
//! one on the same host; one that points elsewhere means no report goes to either.
//!
//! These names are known only once the policy record is read, so they are the DMARC check's
//! second round. A destination below the organizational domain may still be outside it (a
//! `psd=n` record between them); its own tree walk, asked in the same round (most of its names
//! are already in the run's cache), decides.

use futures::future::{join, join_all};
use serde::Serialize;

use super::discovery::{is_at_or_below, walk, Source};
use super::record::{check_version, parse_record, ReportUri};
use super::Dmarc;
use crate::dns::{
    lookup, shorten, Cached, DomainName, Lookup, Outcome, RData, RecordType, Resolver,
};

/// One `rua` or `ruf` destination and whether it will get the reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Destination {
    /// `rua` or `ruf`.
    pub tag: &'static str,
    /// The URI as published.
    pub uri: String,
    /// The domain of the address.
    pub host: DomainName,
    /// Outside the policy record's organizational domain; `None` when that is unknown.
    pub external: Option<bool>,
    /// The verification name asked (external destinations only).
    pub query: Option<String>,
    /// Whether reports will be sent there: `true` for internal destinations and verified external
    /// ones, `None` when a lookup failed or the organizational domain is unknown.
    pub authorized: Option<bool>,
    /// The URI the destination's record puts in place of this one (same host).
    pub override_uri: Option<String>,
    /// Why it is not authorised, or could not be verified.
    pub problem: Option<String>,
    /// The lookups behind the verdict.
    #[serde(skip)]
    pub lookups: Vec<Lookup>,
}

/// Checks every `rua`/`ruf` mailto destination of the record that applies to `dmarc.domain`.
pub async fn verify<R: Resolver>(resolver: &Cached<R>, dmarc: &Dmarc) -> Vec<Destination> {
    let (Some(record), Some(found_at), Some(source)) =
        (&dmarc.record, &dmarc.found_at, dmarc.source)
    else {
        return Vec::new();
    };
    // The organizational domain of the domain the record was found at.
    let policy_org = match source {
        Source::Domain => dmarc.org_domain.clone(),
        Source::OrgDomain | Source::Psd => Some(found_at.clone()),
    };
    let uris = record
        .rua
        .iter()
        .map(|u| ("rua", u))
        .chain(record.ruf.iter().map(|u| ("ruf", u)));
    join_all(uris.filter_map(|(tag, uri)| {
        let host = uri.host.clone()?;
        Some(one(resolver, tag, uri, host, found_at, policy_org.as_ref()))
    }))
    .await
}

async fn one<R: Resolver>(
    resolver: &Cached<R>,
    tag: &'static str,
    uri: &ReportUri,
    host: DomainName,
    policy_domain: &DomainName,
    org: Option<&DomainName>,
) -> Destination {
    let mut d = Destination {
        tag,
        uri: uri.uri.clone(),
        host: host.clone(),
        external: None,
        query: None,
        authorized: None,
        override_uri: None,
        problem: None,
        lookups: Vec::new(),
    };
    let Some(org) = org else {
        d.problem = Some(
            "the record's organizational domain is unknown (a lookup failed), so it is not known whether the destination must authorise the reports".into(),
        );
        return d;
    };
    if &host == org {
        d.external = Some(false);
        d.authorized = Some(true);
        return d;
    }
    let below = is_at_or_below(&host, org);
    let verification = authorisation(resolver, tag, &host, policy_domain);
    let (host_org, (query, lookup, verdict)) = if below {
        let (w, v) = join(walk(resolver, &host), verification).await;
        d.lookups.extend(w.lookups().cloned());
        (Some(w.org_domain()), v)
    } else {
        (None, verification.await)
    };
    match host_org {
        Some(Some(o)) if &o == org => {
            d.external = Some(false);
            d.authorized = Some(true);
            return d;
        }
        Some(None) => {
            d.problem = Some(format!(
                "the organizational domain of {host} is unknown (a lookup failed)"
            ));
        }
        _ => d.external = Some(true),
    }
    d.query = query;
    d.lookups.extend(lookup);
    if d.external == Some(true) {
        match verdict {
            Verdict::Authorized(over) => {
                d.authorized = Some(true);
                d.override_uri = over;
            }
            Verdict::Refused(why) => {
                d.authorized = Some(false);
                d.problem = Some(why);
            }
            Verdict::Unknown(why) => d.problem = Some(why),
        }
    }
    d
}

enum Verdict {
    Authorized(Option<String>),
    Refused(String),
    Unknown(String),
}

/// Asks `<policy-domain>._report._dmarc.<host>` and reads the answer (RFC 9990's steps 1–9).
async fn authorisation<R: Resolver>(
    resolver: &Cached<R>,
    tag: &str,
    host: &DomainName,
    policy_domain: &DomainName,
) -> (Option<String>, Option<Lookup>, Verdict) {
    let text = format!("{policy_domain}._report._dmarc.{host}");
    let Ok(name) = DomainName::parse(&text) else {
        return (
            Some(text),
            None,
            Verdict::Refused(format!(
                "the verification name `{}` is longer than a DNS name may be, so {host} cannot authorise reports for {policy_domain}",
                shorten(&format!("{policy_domain}._report._dmarc.{host}"))
            )),
        );
    };
    let lookup = lookup(resolver, name, RecordType::Txt).await;
    let verdict = match &lookup.outcome {
        Outcome::Found(data) => {
            let records: Vec<String> = data
                .iter()
                .filter_map(RData::txt)
                .filter(|t| check_version(t).is_ok())
                .collect();
            match records.first() {
                None => refused(&text, host, policy_domain),
                Some(first) => {
                    let over =
                        parse_record(first)
                            .ok()
                            .map(|r| if tag == "rua" { r.rua } else { r.ruf });
                    match over {
                        Some(list) if !list.is_empty() => {
                            if list.iter().all(|u| u.host.as_ref() == Some(host)) {
                                let uris: Vec<&str> = list.iter().map(|u| u.uri.as_str()).collect();
                                Verdict::Authorized(Some(uris.join(",")))
                            } else {
                                Verdict::Refused(format!(
                                    "{text} replaces the address with one on another host, so no report goes to either (RFC 9990)"
                                ))
                            }
                        }
                        _ => Verdict::Authorized(None),
                    }
                }
            }
        }
        other if other.is_temporary() => {
            Verdict::Unknown(format!("{text}: {}", other.describe(RecordType::Txt)))
        }
        _ => refused(&text, host, policy_domain),
    };
    (Some(text), Some(lookup), verdict)
}

fn refused(text: &str, host: &DomainName, policy_domain: &DomainName) -> Verdict {
    Verdict::Refused(format!(
        "{host} is outside {policy_domain}'s organizational domain and publishes no `v=DMARC1` record at {text}, so receivers ignore the address (RFC 9990)"
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{dmarc, name, txt};
    use super::super::{check_dmarc, DmarcResult};
    use crate::dns::Cached;
    use crate::testing::{FixedResolver, RoundTrips};

    const RECORD: &str = "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:agg@reports.example.net; ruf=mailto:f@reports.example.net";

    #[test]
    fn external_destinations_need_authorisation() {
        let fixed = dmarc(FixedResolver::new(), "example.com", RECORD);
        let rt = RoundTrips::new(fixed);
        let cached = Cached::new(&rt);
        let (d, rounds) = rt.run(check_dmarc(&cached, &name("example.com")));
        assert_eq!(rounds, 2, "walk and existence, then the verification names");
        assert_eq!(d.result, DmarcResult::Pass);
        let [own, agg, fail] = &d.destinations[..] else {
            panic!("{:?}", d.destinations)
        };
        assert_eq!((own.external, own.authorized), (Some(false), Some(true)));
        assert_eq!((agg.external, agg.authorized), (Some(true), Some(false)));
        assert_eq!(
            agg.query.as_deref(),
            Some("example.com._report._dmarc.reports.example.net")
        );
        assert_eq!(fail.tag, "ruf");
        assert!(agg
            .problem
            .as_ref()
            .unwrap()
            .contains("publishes no `v=DMARC1` record"));
        // rua and ruf share the host: one question.
        assert_eq!(rt.sent(), 2 + 3 + 1);
    }

    #[test]
    fn authorised_and_overridden() {
        let fixed = dmarc(FixedResolver::new(), "example.com", RECORD);
        let fixed = txt(
            fixed,
            "example.com._report._dmarc.reports.example.net",
            &["v=DMARC1; rua=mailto:other@reports.example.net"],
        );
        let d = super::super::tests::run(&fixed, "mail.example.com");
        assert_eq!(d.destinations[1].authorized, Some(true));
        assert_eq!(
            d.destinations[1].override_uri.as_deref(),
            Some("mailto:other@reports.example.net")
        );
        assert_eq!(d.destinations[2].authorized, Some(true));
        assert_eq!(d.destinations[2].override_uri, None);

        let fixed = txt(
            dmarc(FixedResolver::new(), "example.com", RECORD),
            "example.com._report._dmarc.reports.example.net",
            &["v=DMARC1; rua=mailto:x@elsewhere.example"],
        );
        let d = super::super::tests::run(&fixed, "example.com");
        assert_eq!(d.destinations[1].authorized, Some(false));
        assert!(d.destinations[1]
            .problem
            .as_ref()
            .unwrap()
            .contains("another host"));
    }

    /// A destination below the organizational domain is internal unless a `psd=n` record makes it
    /// an organizational domain of its own.
    #[test]
    fn subdomain_destinations() {
        let record = "v=DMARC1; p=none; rua=mailto:a@reports.example.com,mailto:b@own.example.com";
        let fixed = dmarc(FixedResolver::new(), "example.com", record);
        let fixed = dmarc(fixed, "own.example.com", "v=DMARC1; p=none; psd=n");
        let d = super::super::tests::run(&fixed, "example.com");
        assert_eq!(d.destinations[0].external, Some(false));
        assert_eq!(d.destinations[1].external, Some(true));
        assert_eq!(d.destinations[1].authorized, Some(false));
    }
}
