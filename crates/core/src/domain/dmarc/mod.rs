//! DMARC (RFC 9989, "DMARCbis"): which policy record applies to a domain, what it asks, and
//! whether its report destinations will get the reports.
//!
//! [`check_dmarc`] takes two rounds of questions at most:
//! 1. the tree walk's `_dmarc` names ([`discovery::walk`], all at once) together with the domain's
//!    MX, A and AAAA (does it exist? RFC 9989 §3.2.13: then `np` applies) — the same questions
//!    [`mx::check_mx`](super::mx::check_mx) asks, shared through the run's [`Cached`];
//! 2. only when the record sends reports outside its organizational domain:
//!    `<policy-domain>._report._dmarc.<destination>` for each such destination
//!    ([`destinations`]), known only once the record is read.
//!
//! The result vocabulary: `pass` when a usable policy record applies to the domain, `fail` when
//! none does (`policy` is then `null`), `temperror` when a lookup failed transiently before the
//! answer was known.

pub mod destinations;
pub mod discovery;
mod findings;
pub mod record;

use futures::future::join;
use serde::Serialize;

pub use destinations::Destination;
pub use discovery::{Found, Source, Walk};
pub use findings::findings;
pub use record::{parse_record, DmarcRecord, Level, Mode, Policy, PolicyState, Psd, Relation};

use super::mx::{check_mx, Mx};
use crate::dns::{Cached, DomainName, Lookup, Resolver};

/// The DMARC result of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmarcResult {
    /// A usable policy record applies.
    Pass,
    /// None applies: no record, several records, or a record without a usable policy.
    Fail,
    /// A lookup failed transiently before the answer was known.
    TempError,
}

impl DmarcResult {
    /// The result word (`pass`, `fail`, `temperror`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcResult::Pass => "pass",
            DmarcResult::Fail => "fail",
            DmarcResult::TempError => "temperror",
        }
    }
}

crate::serialize_as_str!(DmarcResult);

/// Everything known about a domain's DMARC.
#[derive(Debug, Clone, PartialEq)]
pub struct Dmarc {
    /// The domain checked (the RFC5322.From domain).
    pub domain: DomainName,
    /// Pass, fail or temperror.
    pub result: DmarcResult,
    /// Whose record applies.
    pub source: Option<Source>,
    /// The domain whose `_dmarc` name holds the record that applies.
    pub found_at: Option<DomainName>,
    /// The record that applies (also when its policy is unusable, so it can be shown).
    pub record: Option<DmarcRecord>,
    /// The organizational domain (RFC 9989 §4.10.2); `None` when a lookup failure hides it.
    pub org_domain: Option<DomainName>,
    /// Whether the domain exists (NXDOMAIN: no); `None` when unknown.
    pub exists: Option<bool>,
    /// The policy the record asks for this domain (`p`, or `sp`/`np` from an organizational
    /// domain's or PSD's record); `None` when no usable record applies.
    pub policy: Option<Policy>,
    /// The policy receivers apply: `policy`, one level lower under `t=y`.
    pub applied_policy: Option<Policy>,
    /// The policy for existing subdomains of the organizational domain (`sp`, else `p`).
    pub subdomain_policy: Option<Policy>,
    /// The policy for non-existent subdomains (`np`, else `sp`, else `p`).
    pub nonexistent_policy: Option<Policy>,
    /// What failed, for `temperror`.
    pub temperror: Option<String>,
    /// The tree walk.
    pub walk: Walk,
    /// The MX, A and AAAA lookups that tell whether the domain exists.
    pub existence: Mx,
    /// The `rua` and `ruf` mailto destinations and whether they may receive the reports.
    pub destinations: Vec<Destination>,
}

impl Dmarc {
    /// For the providers' requirements ("publish a DMARC record with at least p=none"):
    /// `Some(true)` when a record with a valid, explicit policy applies; `None` on temperror.
    /// A record without a valid `p` fails: RFC 9989 reads it as `p=none`, but Gmail rejects with
    /// 5.7.40 when "the DMARC record doesn't specify a DMARC policy".
    pub fn meets_requirements(&self) -> Option<bool> {
        match self.result {
            DmarcResult::TempError => None,
            DmarcResult::Fail => Some(false),
            DmarcResult::Pass => Some(
                self.record
                    .as_ref()
                    .is_some_and(|r| r.state == PolicyState::Valid),
            ),
        }
    }

    /// Which of the record's policies applies to the domain (RFC 9989 §4.10.1).
    pub fn relation(&self) -> Relation {
        relation(self.source, self.exists)
    }

    /// The alignment modes (`aspf`, `adkim`) of the record that applies; relaxed without one.
    pub fn modes(&self) -> (Mode, Mode) {
        self.record
            .as_ref()
            .map_or((Mode::Relaxed, Mode::Relaxed), |r| (r.aspf, r.adkim))
    }

    /// Every lookup made, in order: the walk, the existence lookups, the destinations'.
    pub fn lookups(&self) -> Vec<&Lookup> {
        let mut out: Vec<&Lookup> = self.walk.lookups().collect();
        out.extend(self.existence.lookups());
        out.extend(self.destinations.iter().flat_map(|d| d.lookups.iter()));
        out
    }
}

/// Finds the DMARC record that applies to `domain` and judges it: one round for the tree walk and
/// the domain's existence, a second only for report destinations outside the organizational
/// domain.
pub async fn check_dmarc<R: Resolver>(resolver: &Cached<R>, domain: &DomainName) -> Dmarc {
    let (walk, existence) = join(
        discovery::walk(resolver, domain),
        check_mx(resolver, domain),
    )
    .await;
    let mut dmarc = evaluate(domain.clone(), walk, existence);
    dmarc.destinations = destinations::verify(resolver, &dmarc).await;
    dmarc
}

/// Judges a finished walk (RFC 9989 §4.10.1).
fn evaluate(domain: DomainName, walk: Walk, existence: Mx) -> Dmarc {
    let org_domain = walk.org_domain();
    let exists = existence.exists;
    let (source, found_at, record, temperror) = match walk.applicable() {
        Err(why) => (None, None, None, Some(why)),
        Ok(None) => (None, None, None, None),
        Ok(Some((source, step))) => (
            Some(source),
            Some(step.domain.clone()),
            step.record().cloned(),
            None,
        ),
    };
    let relation = relation(source, exists);
    let policy = record.as_ref().and_then(|r| r.policy_for(relation));
    let testing = record.as_ref().is_some_and(|r| r.testing);
    let applied_policy = policy.map(|p| if testing { p.one_level_lower() } else { p });
    let governing = governing_record(&walk, org_domain.as_ref());
    let result = if temperror.is_some() {
        DmarcResult::TempError
    } else if policy.is_some() {
        DmarcResult::Pass
    } else {
        DmarcResult::Fail
    };
    Dmarc {
        result,
        source,
        found_at,
        org_domain,
        exists,
        policy,
        applied_policy,
        subdomain_policy: governing.and_then(|r| r.policy_for(Relation::Subdomain)),
        nonexistent_policy: governing.and_then(|r| r.policy_for(Relation::NonexistentSubdomain)),
        temperror,
        record,
        domain,
        walk,
        existence,
        destinations: Vec::new(),
    }
}

/// Which of the record's policies applies: `p` for the domain's own record, else `sp`, or `np`
/// when the domain does not exist.
fn relation(source: Option<Source>, exists: Option<bool>) -> Relation {
    match source {
        Some(Source::Domain) => Relation::Itself,
        _ if exists == Some(false) => Relation::NonexistentSubdomain,
        _ => Relation::Subdomain,
    }
}

/// The record whose `sp`/`np` govern subdomains of the organizational domain: the organizational
/// domain's own, else the PSD's.
fn governing_record<'a>(walk: &'a Walk, org: Option<&DomainName>) -> Option<&'a DmarcRecord> {
    let org = org?;
    let used = walk.used_steps();
    used.iter()
        .find(|s| &s.domain == org)
        .and_then(|s| s.record())
        .or_else(|| {
            used.iter()
                .filter_map(|s| s.record())
                .find(|r| r.psd == Psd::Yes)
        })
}

/// The JSON form: see [`Dmarc::json`].
#[derive(Serialize)]
struct DmarcJson<'a> {
    domain: &'a DomainName,
    result: DmarcResult,
    record: Option<&'a str>,
    found_at: Option<String>,
    source: Option<Source>,
    org_domain: Option<&'a DomainName>,
    exists: Option<bool>,
    policy: Option<Policy>,
    applied_policy: Option<Policy>,
    subdomain_policy: Option<Policy>,
    nonexistent_policy: Option<Policy>,
    policy_state: Option<PolicyState>,
    testing: bool,
    adkim: Mode,
    aspf: Mode,
    rua: Vec<&'a str>,
    ruf: Vec<&'a str>,
    destinations: &'a [Destination],
    errors: Vec<String>,
    warnings: Vec<String>,
    notes: Vec<String>,
    walk: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    name: String,
    found: &'static str,
    used: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    records: Vec<&'a str>,
}

impl Dmarc {
    /// The problems to show, as texts by level: the record's tag problems, several or discarded
    /// records at the walked names, a transient failure, unauthorised report destinations.
    pub fn messages(&self, level: Level) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if level == Level::Error {
            if let Some(why) = &self.temperror {
                out.push(format!("lookup failed: {why}"));
            }
            for s in self.walk.used_steps() {
                if let Found::Several(texts) = &s.found {
                    out.push(format!(
                        "{} has {} DMARC records, so receivers ignore all of them",
                        s.query_name(),
                        texts.len()
                    ));
                }
            }
        }
        if let Some(r) = &self.record {
            out.extend(
                r.problems
                    .iter()
                    .filter(|p| p.level == level)
                    .map(|p| p.message.clone()),
            );
        }
        if level == Level::Warning {
            for s in self.walk.used_steps() {
                if matches!(s.found, Found::Nothing) {
                    for (text, why) in &s.discarded {
                        out.push(format!(
                            "{} holds `{}`, which is not a DMARC record: {why}",
                            s.query_name(),
                            crate::dns::shorten(text)
                        ));
                    }
                }
            }
            for d in self
                .destinations
                .iter()
                .filter(|d| d.authorized == Some(false))
            {
                out.push(format!(
                    "reports to {} are dropped: {}",
                    d.uri,
                    d.problem.as_deref().unwrap_or("not authorised")
                ));
            }
        }
        if level == Level::Note {
            for s in self.walk.skipped() {
                out.push(format!(
                    "{} holds a DMARC record that does not apply to {}",
                    s.query_name(),
                    self.domain
                ));
            }
        }
        out
    }

    /// The result as JSON:
    ///
    /// ```json
    /// {"domain": "mail.example.com", "result": "pass", "record": "v=DMARC1; p=reject; rua=…",
    ///  "found_at": "_dmarc.example.com", "source": "org-domain", "org_domain": "example.com",
    ///  "exists": true, "policy": "reject", "applied_policy": "reject", "subdomain_policy": "reject",
    ///  "nonexistent_policy": "reject", "policy_state": "valid", "testing": false,
    ///  "adkim": "r", "aspf": "r", "rua": ["mailto:d@example.com"], "ruf": [],
    ///  "destinations": [{"tag": "rua", "uri": "mailto:d@example.com", "host": "example.com",
    ///                    "external": false, "authorized": true, …}],
    ///  "errors": [], "warnings": [], "notes": [],
    ///  "walk": [{"name": "_dmarc.mail.example.com", "found": "none", "used": true}, …]}
    /// ```
    ///
    /// `result` is `pass` when a usable record applies, `fail` with `policy: null` when none
    /// does, `temperror` when a lookup failed transiently. `found` is `record`, `none`,
    /// `several`, `temperror` or `too-long`; `used` is false for names past where a receiver stops.
    pub fn json(&self) -> serde_json::Value {
        let uris = |f: fn(&DmarcRecord) -> &Vec<record::ReportUri>| -> Vec<&str> {
            self.record
                .as_ref()
                .map(|r| f(r).iter().map(|u| u.uri.as_str()).collect())
                .unwrap_or_default()
        };
        let (aspf, adkim) = self.modes();
        let json = DmarcJson {
            domain: &self.domain,
            result: self.result,
            record: self.record.as_ref().map(|r| r.text.as_str()),
            found_at: self.found_at.as_ref().map(|d| format!("_dmarc.{d}")),
            source: self.source,
            org_domain: self.org_domain.as_ref(),
            exists: self.exists,
            policy: self.policy,
            applied_policy: self.applied_policy,
            subdomain_policy: self.subdomain_policy,
            nonexistent_policy: self.nonexistent_policy,
            policy_state: self.record.as_ref().map(|r| r.state),
            testing: self.record.as_ref().is_some_and(|r| r.testing),
            adkim,
            aspf,
            rua: uris(|r| &r.rua),
            ruf: uris(|r| &r.ruf),
            destinations: &self.destinations,
            errors: self.messages(Level::Error),
            warnings: self.messages(Level::Warning),
            notes: self.messages(Level::Note),
            walk: self
                .walk
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepJson {
                    name: s.query_name(),
                    found: match &s.found {
                        Found::Record(_) => "record",
                        Found::Nothing => "none",
                        Found::Several(_) => "several",
                        Found::TempError(_) => "temperror",
                        Found::TooLong => "too-long",
                    },
                    used: i < self.walk.used,
                    records: match &s.found {
                        Found::Record(r) => vec![r.text.as_str()],
                        Found::Several(t) => t.iter().map(String::as_str).collect(),
                        _ => Vec::new(),
                    },
                })
                .collect(),
        };
        serde_json::to_value(json).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Dmarc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dns::{RData, Rcode, RecordType};
    use crate::testing::{rec, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    pub(crate) fn name(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    /// A TXT record at `owner`.
    pub(crate) fn txt(fixed: FixedResolver, owner: &str, texts: &[&str]) -> FixedResolver {
        fixed.answer(
            owner,
            RecordType::Txt,
            Rcode::NoError,
            texts
                .iter()
                .map(|t| rec(owner, RecordType::Txt, RData::Txt(vec![t.to_string()])))
                .collect(),
        )
    }

    pub(crate) fn dmarc(fixed: FixedResolver, domain: &str, text: &str) -> FixedResolver {
        txt(fixed, &format!("_dmarc.{domain}"), &[text])
    }

    pub(crate) fn nxdomain(fixed: FixedResolver, domain: &str) -> FixedResolver {
        fixed
            .answer(domain, RecordType::Mx, Rcode::NxDomain, vec![])
            .answer(domain, RecordType::A, Rcode::NxDomain, vec![])
            .answer(domain, RecordType::Aaaa, Rcode::NxDomain, vec![])
    }

    pub(crate) fn run(fixed: &FixedResolver, domain: &str) -> Dmarc {
        block_on(check_dmarc(&Cached::new(fixed), &name(domain)))
    }

    #[test]
    fn the_domains_own_record() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com",
        );
        let d = run(&r, "example.com");
        assert_eq!(d.result, DmarcResult::Pass);
        assert_eq!(d.source, Some(Source::Domain));
        assert_eq!(d.policy, Some(Policy::Reject));
        assert_eq!(d.subdomain_policy, Some(Policy::Quarantine));
        assert_eq!(d.org_domain, Some(name("example.com")));
        assert_eq!(d.meets_requirements(), Some(true));
    }

    #[test]
    fn subdomains_take_sp_and_nonexistent_ones_np() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; sp=quarantine; np=none",
        );
        let d = run(&r, "mail.example.com");
        assert_eq!(d.source, Some(Source::OrgDomain));
        assert_eq!(d.found_at, Some(name("example.com")));
        assert_eq!(d.policy, Some(Policy::Quarantine));
        let r = nxdomain(r, "ghost.example.com");
        let d = run(&r, "ghost.example.com");
        assert_eq!(d.exists, Some(false));
        assert_eq!(d.policy, Some(Policy::None));
        assert_eq!(d.nonexistent_policy, Some(Policy::None));
    }

    #[test]
    fn testing_lowers_the_applied_policy() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; t=y",
        );
        let d = run(&r, "example.com");
        assert_eq!(
            (d.policy, d.applied_policy),
            (Some(Policy::Reject), Some(Policy::Quarantine))
        );
    }

    #[test]
    fn no_record_and_unusable_records() {
        let d = run(&FixedResolver::new(), "example.com");
        assert_eq!((d.result, d.policy), (DmarcResult::Fail, None));
        assert_eq!(d.meets_requirements(), Some(false));

        let r = dmarc(FixedResolver::new(), "example.com", "v=DMARC1; p=bogus");
        let d = run(&r, "example.com");
        assert_eq!((d.result, d.policy), (DmarcResult::Fail, None));
        assert!(
            d.record.is_some(),
            "the unusable record is kept to be shown"
        );

        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; rua=mailto:d@example.com",
        );
        let d = run(&r, "example.com");
        assert_eq!(
            (d.result, d.policy),
            (DmarcResult::Pass, Some(Policy::None))
        );
        assert_eq!(
            d.meets_requirements(),
            Some(false),
            "Gmail: no policy specified"
        );
    }

    #[test]
    fn temperror() {
        let r = FixedResolver::new().answer(
            "_dmarc.example.com",
            RecordType::Txt,
            Rcode::ServFail,
            vec![],
        );
        let d = run(&r, "example.com");
        assert_eq!(d.result, DmarcResult::TempError);
        assert_eq!(d.meets_requirements(), None);
        assert_eq!(
            d.messages(Level::Error),
            ["lookup failed: _dmarc.example.com: the resolver answered SERVFAIL"]
        );
    }

    /// The walk and the domain's MX/A/AAAA go out together: one round, and `check_mx` of the same
    /// domain in the same run adds no question.
    #[test]
    fn discovery_and_existence_in_one_round() {
        let fixed = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=none; rua=mailto:d@example.com",
        );
        let rt = RoundTrips::new(fixed);
        let cached = Cached::new(&rt);
        let domain = name("a.b.example.com");
        let ((d, mx), rounds) = rt.run(join(
            check_dmarc(&cached, &domain),
            super::super::mx::check_mx(&cached, &domain),
        ));
        assert_eq!(rounds, 1);
        assert_eq!(rt.sent(), 4 + 3, "4 _dmarc names, MX, A, AAAA");
        assert_eq!(d.result, DmarcResult::Pass);
        assert_eq!(mx.exists, Some(true));
        assert_eq!(d.lookups().len(), 7);
    }

    #[test]
    fn json_shape() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; pct=50; foo=1; rua=mailto:d@example.com",
        );
        let j = run(&r, "mail.example.com").json();
        assert_eq!(j["result"], "pass");
        assert_eq!(
            j["record"],
            "v=DMARC1; p=reject; pct=50; foo=1; rua=mailto:d@example.com"
        );
        assert_eq!(j["found_at"], "_dmarc.example.com");
        assert_eq!(j["source"], "org-domain");
        assert_eq!(j["org_domain"], "example.com");
        assert_eq!(j["policy"], "reject");
        assert_eq!(j["policy_state"], "valid");
        assert_eq!(j["adkim"], "r");
        assert_eq!(j["rua"][0], "mailto:d@example.com");
        assert_eq!(j["warnings"].as_array().unwrap().len(), 1);
        assert_eq!(j["notes"].as_array().unwrap().len(), 1);
        assert_eq!(
            j["walk"][0],
            serde_json::json!({"name": "_dmarc.mail.example.com", "found": "none", "used": true})
        );
        assert_eq!(
            j["walk"][1]["records"][0],
            "v=DMARC1; p=reject; pct=50; foo=1; rua=mailto:d@example.com"
        );
        assert_eq!(j["destinations"][0]["external"], false);

        let j = run(&FixedResolver::new(), "example.com").json();
        assert_eq!(j["result"], "fail");
        assert!(j["policy"].is_null());
        assert!(j["record"].is_null());
        assert_eq!(
            serde_json::to_value(run(&FixedResolver::new(), "example.com")).unwrap(),
            j
        );
    }
}
