//! The JSON form of a report: the schema of `sendercheck --json` and of the page's JSON export.
//!
//! ```json
//! {"ip": "192.0.2.10",
//!  "verdict": "pass",
//!  "iprev": {"result": "pass", "ptr": ["mail.example.com"], "confirmed": ["mail.example.com"], "generic": false},
//!  "helo": {"name": "mail.example.com", "kind": "fqdn", "matches_ptr": true, "resolves_to_ip": true, "result": "pass"},
//!  "findings": [{"id": "iprev-pass", "check": "iprev", "severity": "ok", "title": "…", "detail": "…", "fix": "",
//!                "refs": [{"title": "RFC 8601 §3 (iprev)", "url": "https://…"}]}],
//!  "queries": [{"name": "10.2.0.192.in-addr.arpa", "type": "PTR", "rcode": "NOERROR", "ad": false,
//!               "answers": [{"name": "…", "type": "PTR", "ttl": 300, "data": "mail.example.com"}]}],
//!  "elapsed_ms": 41}
//! ```
//!
//! With where-to-fix ([`crate::fix::where_to_fix`], through [`report_json_with`]), the report also
//! has `reverse_zone` (`{"name", "zone", "primary_ns", "rname", "ns": […], "classless",
//! "operator": {"id", "name", "url", "kind", "matched_by", "matched", "certain"} | null}` or
//! `null`), `forward_zones` (`[{"name", "zone", "primary_ns", "rname", "ns", "operator"}]`, one
//! per PTR and EHLO name), `mta` (`{"id", "name", "url", "source"}`, when known), the `where-*`
//! findings among `findings`, and the NS questions among `queries`.
//!
//! `verdict` is `pass`, `fail`, `temperror` or `unchecked`. `temperror`: the DNS answered with an
//! error (SERVFAIL), which receivers would meet too. `unchecked`: the resolver this check asked
//! gave no DNS answer (connection failed, HTTP error status, a body that is not DNS, no answer in
//! time; see [`Outcome::is_unanswered`](crate::dns::Outcome::is_unanswered)), so the check could not
//! be made and says nothing about the server; check again through another resolver. The
//! `iprev.result` and `helo.result` words stay RFC 8601's `temperror` in both cases; the finding
//! tells them apart (`iprev-temperror` or `iprev-unchecked`). The CLI exits 3 for either.
//!
//! A query's `authority` (the authority section: the zone's SOA in a negative answer) is present
//! only when not empty. `helo` is present only when an EHLO line was checked. `ip` is the canonical text of the address;
//! names are lower case without a trailing dot. A query that got no answer has `"error"` instead of
//! `rcode`/`ad`/`answers`. A query whose first tries failed and were retried (HTTP 5xx, 429, a
//! dropped connection, a timeout) has `"attempts": [{"error": "HTTP 502", "ms": 3}, …]`: those
//! tries, oldest first, before the one whose outcome the query shows. Fields are only ever added,
//! never renamed.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::check::{Report, Verdict};
use super::host::HostReport;
use crate::blocklist::json::ListingJson;
use crate::blocklist::Listing;
use crate::dns::{Attempt, Exchange, Rcode, Record, RecordType};
use crate::domain::check::{DomainJson, DomainReport};
use crate::domain::requirements::Judged;
use crate::finding::{most_severe_first, Finding};
use crate::fix::{MtaChoice, MtaJson, WhereJson, WhereToFix};
use crate::identity::helo::{HeloKind, HeloResult};
use crate::identity::iprev::IprevResult;

/// The JSON of one address's report (also the base of a paste's JSON).
#[derive(Serialize)]
pub(crate) struct ReportJson<'a> {
    ip: String,
    pub(crate) verdict: Verdict,
    iprev: IprevJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    helo: Option<HeloJson<'a>>,
    pub(crate) findings: Cow<'a, [Finding]>,
    pub(crate) queries: Vec<QueryJson<'a>>,
    elapsed_ms: u64,
    /// Where to fix it: `reverse_zone`, `forward_zones`, `mta`.
    #[serde(flatten)]
    place: Option<WhereJson<'a>>,
    /// Only with `--blocklists`: each list's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    blocklists: Option<Vec<ListingJson<'a>>>,
}

#[derive(Serialize)]
struct IprevJson<'a> {
    result: IprevResult,
    ptr: Vec<&'a str>,
    confirmed: Vec<&'a str>,
    generic: bool,
}

#[derive(Serialize)]
struct HeloJson<'a> {
    name: &'a str,
    kind: HeloKind,
    matches_ptr: bool,
    resolves_to_ip: Option<bool>,
    result: HeloResult,
}

#[derive(Serialize)]
pub(crate) struct QueryJson<'a> {
    name: Cow<'a, str>,
    #[serde(rename = "type")]
    rtype: RecordType,
    #[serde(skip_serializing_if = "Option::is_none")]
    rcode: Option<Rcode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ad: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answers: Option<&'a [Record]>,
    /// The authority section, when not empty: the zone's SOA of a negative answer.
    #[serde(skip_serializing_if = "<[Record]>::is_empty")]
    authority: &'a [Record],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attempts: Vec<AttemptJson>,
}

/// A try that failed and was retried.
#[derive(Serialize)]
struct AttemptJson {
    error: String,
    ms: u64,
}

impl From<&Attempt> for AttemptJson {
    fn from(a: &Attempt) -> Self {
        AttemptJson {
            error: a.error.short(),
            ms: a.millis,
        }
    }
}

impl QueryJson<'_> {
    fn is(&self, e: &Exchange) -> bool {
        self.name == e.question.name.as_str() && self.rtype == e.question.rtype
    }
}

impl<'a> From<&'a Exchange> for QueryJson<'a> {
    fn from(e: &'a Exchange) -> Self {
        let (rcode, ad, answers, authority, error) = match &e.result {
            Ok(a) => (
                Some(a.rcode),
                Some(a.authenticated),
                Some(a.records.as_slice()),
                a.authority.as_slice(),
                None,
            ),
            Err(err) => (None, None, None, &[][..], Some(err.to_string())),
        };
        QueryJson {
            name: Cow::Borrowed(e.question.name.as_str()),
            rtype: e.question.rtype,
            rcode,
            ad,
            answers,
            authority,
            error,
            attempts: e.attempts.iter().map(AttemptJson::from).collect(),
        }
    }
}

/// The JSON of a host's reports (also the base of a paste's JSON).
#[derive(Serialize)]
pub(crate) struct HostJson<'a> {
    host: &'a str,
    pub(crate) verdict: Verdict,
    addresses: Vec<ReportJson<'a>>,
    elapsed_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Only in a paste's JSON: the paste's findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) findings: Option<Vec<Finding>>,
    /// The MTA the where-to-fix advice is for, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mta: Option<MtaJson>,
}

impl<'a> ReportJson<'a> {
    pub(crate) fn new(report: &'a Report, elapsed_ms: u64) -> Self {
        ReportJson {
            ip: report.ip.to_string(),
            verdict: report.verdict(),
            iprev: IprevJson {
                result: report.iprev.result,
                ptr: report.iprev.ptr(),
                confirmed: report.iprev.confirmed(),
                generic: report.iprev.generic(),
            },
            helo: report.helo.as_ref().map(|h| HeloJson {
                name: &h.helo.name,
                kind: h.helo.kind,
                matches_ptr: h.matches_ptr,
                resolves_to_ip: h.resolves_to_ip,
                result: h.result,
            }),
            findings: Cow::Borrowed(&report.findings),
            queries: report
                .exchanges()
                .into_iter()
                .map(QueryJson::from)
                .collect(),
            elapsed_ms,
            place: None,
            blocklists: None,
        }
    }

    /// The same report with where to fix it: its places, its findings among the report's (most
    /// severe first) and its NS questions after the report's.
    pub(crate) fn with_where(mut self, w: &'a WhereToFix) -> Self {
        let mut findings = self.findings.into_owned();
        findings.extend(w.findings.iter().cloned());
        self.findings = Cow::Owned(most_severe_first(findings));
        for e in &w.exchanges {
            if !self.queries.iter().any(|q| q.is(e)) {
                self.queries.push(QueryJson::from(e));
            }
        }
        self.place = Some(WhereJson::from(w));
        self
    }
}

impl<'a> QueryJson<'a> {
    /// An exchange with its question's name shown as `show` writes it (a DQS key hidden).
    pub(crate) fn shown(e: &'a Exchange, show: impl Fn(&str) -> String) -> Self {
        let mut q = QueryJson::from(e);
        q.name = Cow::Owned(show(e.question.name.as_str()));
        if let Some(answers) = q.answers {
            if answers.iter().any(|r| show(&r.name) != r.name) {
                // Answers repeat the question's name; drop them rather than leak it.
                q.answers = Some(&[]);
            }
        }
        q
    }
}

/// Serialised through a `Value`, whose maps keep their keys in alphabetical order: every JSON
/// object the engine writes has its keys sorted.
pub(crate) fn value(json: impl Serialize) -> serde_json::Value {
    serde_json::to_value(json).unwrap_or(serde_json::Value::Null)
}

/// A host check as JSON: `{"host": …, "addresses": [report_json of each], "elapsed_ms": …}`, plus
/// `"error"` when the host has no address to check.
pub fn host_json(report: &HostReport, elapsed_ms: u64) -> serde_json::Value {
    value(HostJson::new(report, elapsed_ms))
}

impl<'a> HostJson<'a> {
    pub(crate) fn new(report: &'a HostReport, elapsed_ms: u64) -> Self {
        HostJson {
            host: report.host.as_str(),
            verdict: report.verdict(),
            addresses: report
                .reports
                .iter()
                .map(|r| ReportJson::new(r, elapsed_ms))
                .collect(),
            elapsed_ms,
            error: report.problem(),
            findings: None,
            mta: None,
        }
    }

    /// The same host check with where to fix each address (`places` in the order of the
    /// addresses; missing ones are left out).
    pub(crate) fn with_where(mut self, places: &'a [WhereToFix], mta: Option<MtaChoice>) -> Self {
        self.addresses = std::mem::take(&mut self.addresses)
            .into_iter()
            .enumerate()
            .map(|(i, a)| match places.get(i) {
                Some(w) => a.with_where(w),
                None => a,
            })
            .collect();
        self.mta = mta.map(MtaJson::from);
        self
    }
}

/// The report as a JSON value; `elapsed_ms` is the wall time the caller measured.
pub fn report_json(report: &Report, elapsed_ms: u64) -> serde_json::Value {
    value(ReportJson::new(report, elapsed_ms))
}

/// The report with where to fix it when `place` is known (see the module docs for the added
/// fields).
///
/// With `--blocklists`, `listings` adds the lists' answers (`blocklists`), their findings, and
/// the worse of the two verdicts.
pub fn report_json_with(
    report: &Report,
    place: Option<&WhereToFix>,
    listings: Option<&[Listing]>,
    elapsed_ms: u64,
) -> serde_json::Value {
    value(ReportJson::with(report, place, listings, elapsed_ms))
}

impl<'a> ReportJson<'a> {
    /// See [`report_json_with`].
    fn with(
        report: &'a Report,
        place: Option<&'a WhereToFix>,
        listings: Option<&'a [Listing]>,
        elapsed_ms: u64,
    ) -> Self {
        let mut json = ReportJson::new(report, elapsed_ms);
        if let Some(place) = place {
            json = json.with_where(place);
        }
        match listings {
            Some(listings) => json.with_listings(listings),
            None => json,
        }
    }

    /// The lists' answers (`blocklists`), their findings among the others, the worse verdict.
    fn with_listings(mut self, listings: &'a [Listing]) -> Self {
        let mut findings = self.findings.into_owned();
        findings.extend(crate::blocklist::findings(listings));
        self.findings = Cow::Owned(most_severe_first(findings));
        self.verdict = Verdict::worst([self.verdict, crate::blocklist::verdict(listings)]);
        self.blocklists = Some(listings.iter().map(ListingJson::new).collect());
        self
    }
}

/// A host check with where to fix each address, `places` in the order of `report.reports`; with
/// `--blocklists`, `listings` (one list of answers per address, in the same order) adds each
/// address's `blocklists` and their findings as [`report_json_with`] does, and the host's verdict
/// is the worst of its addresses'.
pub fn host_json_with(
    report: &HostReport,
    places: &[WhereToFix],
    listings: Option<&[Vec<Listing>]>,
    mta: Option<MtaChoice>,
    elapsed_ms: u64,
) -> serde_json::Value {
    let mut json = HostJson::new(report, elapsed_ms).with_where(places, mta);
    if let Some(all) = listings {
        json.addresses = std::mem::take(&mut json.addresses)
            .into_iter()
            .enumerate()
            .map(|(i, a)| match all.get(i) {
                Some(l) => a.with_listings(l),
                None => a,
            })
            .collect();
        json.verdict = Verdict::worst(
            json.addresses
                .iter()
                .map(|a| a.verdict)
                .chain([json.verdict]),
        );
    }
    value(json)
}

#[derive(Serialize)]
#[serde(untagged)]
enum DomainBase<'a> {
    Identity(Box<ReportJson<'a>>),
    Alone {
        verdict: Verdict,
        findings: Vec<Finding>,
        queries: Vec<QueryJson<'a>>,
        elapsed_ms: u64,
    },
}

#[derive(Serialize)]
struct DomainRunJson<'a> {
    #[serde(flatten)]
    base: DomainBase<'a>,
    domain: DomainJson<'a>,
    requirements: &'a [Judged],
}

/// A sending-domain check as JSON (`sendercheck domain --json`): `domain` (SPF, DMARC, DKIM,
/// alignment, MX), `requirements`, `findings`, `verdict`, `queries`, `elapsed_ms`; with the
/// identity check of the sending address (`sendercheck ip --domain`), the fields of
/// [`report_json`] too, the findings and queries of both, and the worse verdict.
pub fn domain_json(domain: &DomainReport, identity: Option<&Report>, elapsed_ms: u64) -> Value {
    domain_json_with(domain, identity, None, None, elapsed_ms)
}

/// [`domain_json`] with the identity check's where to fix it and blocklists, as
/// [`report_json_with`] adds them (the page's export after all three).
pub fn domain_json_with(
    domain: &DomainReport,
    identity: Option<&Report>,
    place: Option<&WhereToFix>,
    listings: Option<&[Listing]>,
    elapsed_ms: u64,
) -> Value {
    let queries = domain.exchanges().into_iter().map(QueryJson::from);
    let base = match identity {
        Some(report) => {
            let mut json = ReportJson::with(report, place, listings, elapsed_ms);
            json.verdict = json.verdict.max(domain.verdict());
            let mut findings = json.findings.into_owned();
            findings.extend(domain.findings.iter().cloned());
            json.findings = Cow::Owned(most_severe_first(findings));
            json.queries.extend(queries);
            DomainBase::Identity(Box::new(json))
        }
        None => DomainBase::Alone {
            verdict: domain.verdict(),
            findings: domain.findings.clone(),
            queries: queries.collect(),
            elapsed_ms,
        },
    };
    value(DomainRunJson {
        base,
        domain: DomainJson::new(domain),
        requirements: &domain.requirements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::dns::parse_ip;
    use crate::report::check;
    use crate::testing::FixedResolver;
    use futures::executor::block_on;

    #[test]
    fn words_match_the_json() {
        use crate::finding::Severity;
        use crate::identity::helo::HeloKind;
        let json = |v: serde_json::Value| v.as_str().unwrap().to_string();
        for v in [
            Verdict::Pass,
            Verdict::TempError,
            Verdict::Unchecked,
            Verdict::Fail,
        ] {
            assert_eq!(json(serde_json::to_value(v).unwrap()), v.as_str());
        }
        for s in [
            Severity::Ok,
            Severity::Info,
            Severity::Warning,
            Severity::Error,
        ] {
            assert_eq!(json(serde_json::to_value(s).unwrap()), s.as_str());
        }
        for k in [HeloKind::Fqdn, HeloKind::AddressLiteral, HeloKind::Invalid] {
            assert_eq!(json(serde_json::to_value(k).unwrap()), k.as_str());
        }
    }

    #[test]
    fn schema() {
        let _rev = "10.2.0.192.in-addr.arpa";
        let r =
            FixedResolver::new().ptr_and_address("192.0.2.10", "mail.example.com", "192.0.2.10");
        let report = block_on(check(
            &r,
            parse_ip("::ffff:192.0.2.10").unwrap(),
            Some("EHLO Mail.Example.com"),
        ));
        let j = report_json(&report, 12);
        assert_eq!(j["ip"], "192.0.2.10");
        assert_eq!(j["verdict"], "pass");
        assert_eq!(j["iprev"]["result"], "pass");
        assert_eq!(j["iprev"]["ptr"], serde_json::json!(["mail.example.com"]));
        assert_eq!(
            j["iprev"]["confirmed"],
            serde_json::json!(["mail.example.com"])
        );
        assert_eq!(j["iprev"]["generic"], false);
        assert_eq!(
            j["helo"],
            serde_json::json!({"name": "mail.example.com", "kind": "fqdn", "matches_ptr": true, "resolves_to_ip": true, "result": "pass"})
        );
        assert_eq!(j["elapsed_ms"], 12);
        let f = &j["findings"][0];
        for key in ["id", "severity", "title", "detail", "fix", "refs"] {
            assert!(!f[key].is_null(), "finding lacks {key}");
        }
        assert_eq!(j["queries"][0]["type"], "PTR");
        assert_eq!(j["queries"][0]["answers"][0]["data"], "mail.example.com");
        // PTR, `mail.example.com A` once (the EHLO name's forward lookup is the PTR name's), and
        // the SOA of each name once.
        let asked: Vec<String> = j["queries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                format!(
                    "{} {}",
                    q["name"].as_str().unwrap(),
                    q["type"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            asked,
            [
                "10.2.0.192.in-addr.arpa PTR",
                "10.2.0.192.in-addr.arpa SOA",
                "mail.example.com A",
                "mail.example.com SOA"
            ]
        );
        assert!(
            j["queries"][0].get("attempts").is_none(),
            "only after a retry"
        );
    }

    #[test]
    fn schema_with_where_to_fix() {
        use crate::dns::{RData, Rcode, RecordType};
        use crate::fix::{where_to_fix, Mta};
        use crate::testing::{negative, rec, soa};
        let rev = "20.2.0.192.in-addr.arpa";
        let r = FixedResolver::new()
            .answer(rev, RecordType::Ptr, Rcode::NxDomain, vec![])
            .with_answer(
                rev,
                RecordType::Soa,
                negative(
                    Rcode::NxDomain,
                    vec![soa(
                        "2.0.192.in-addr.arpa",
                        "ns1.digitalocean.com",
                        "h.example.net",
                    )],
                ),
            )
            .answer(
                "2.0.192.in-addr.arpa",
                RecordType::Ns,
                Rcode::NoError,
                vec![rec(
                    "2.0.192.in-addr.arpa",
                    RecordType::Ns,
                    RData::Ns("ns1.digitalocean.com".into()),
                )],
            );
        let ip = parse_ip("192.0.2.20").unwrap();
        let report = block_on(check(&r, ip, Some("EHLO localhost")));
        let place = block_on(where_to_fix(&r, &report, Some(Mta::Postfix.into())));
        let j = report_json_with(&report, Some(&place), None, 3);
        assert_eq!(
            j["reverse_zone"],
            serde_json::json!({
                "name": rev, "zone": "2.0.192.in-addr.arpa", "primary_ns": "ns1.digitalocean.com",
                "rname": "h.example.net", "ns": ["ns1.digitalocean.com"], "classless": false,
                "operator": {"id": "digitalocean", "name": "DigitalOcean", "kind": "cloud",
                             "url": "https://docs.digitalocean.com/glossary/ptr-record/",
                             "matched_by": "ns", "matched": "ns1.digitalocean.com", "certain": true}})
        );
        assert_eq!(j["forward_zones"], serde_json::json!([]));
        assert_eq!(j["mta"]["id"], "postfix");
        assert_eq!(j["mta"]["source"], "given");
        let ids: Vec<&str> = j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        // Most severe first: the where-to-fix findings (info) come after the errors.
        assert_eq!(
            ids,
            [
                "iprev-no-ptr",
                "helo-invalid",
                "where-reverse-zone",
                "where-mta"
            ]
        );
        let last = j["queries"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (last["name"].as_str(), last["type"].as_str()),
            (Some("2.0.192.in-addr.arpa"), Some("NS"))
        );
        assert_eq!(j["queries"][1]["authority"][0]["type"], "SOA");
        // Without where to fix, none of it.
        let plain = report_json(&report, 3);
        for key in ["reverse_zone", "forward_zones", "mta"] {
            assert!(plain.get(key).is_none(), "{key}");
        }
        // The Markdown says the same.
        let md = crate::report::report_markdown_with(
            &report,
            Some(&place),
            "https://dns.example/dns-query",
        );
        assert!(md.contains("- Reverse zone: `2.0.192.in-addr.arpa` (DigitalOcean; name servers `ns1.digitalocean.com`)"), "{md}");
        assert!(md.contains("- Mail server: Postfix (given)"), "{md}");
        assert!(
            md.contains("### [info] The PTR of 192.0.2.20 is set at DigitalOcean"),
            "{md}"
        );
        assert!(
            md.contains("Set the PTR at DigitalOcean: rename the Droplet to mail.example.com"),
            "{md}"
        );
        assert!(md.contains("- `2.0.192.in-addr.arpa NS` → NOERROR"), "{md}");
    }

    #[test]
    fn retried_queries_list_their_attempts() {
        use crate::dns::{Answer, DomainName, Question, ResolveError};
        let q = Question::new(
            DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
            RecordType::Ptr,
        );
        let e = Exchange {
            question: q,
            result: Ok(Answer::new(Rcode::NxDomain, vec![])),
            attempts: vec![
                Attempt {
                    error: ResolveError::Http { status: 502 },
                    millis: 3,
                },
                Attempt {
                    error: ResolveError::Timeout { millis: 2500 },
                    millis: 2500,
                },
            ],
        };
        let j = value(QueryJson::from(&e));
        assert_eq!(j["rcode"], "NXDOMAIN");
        assert_eq!(
            j["attempts"],
            serde_json::json!([{"error": "HTTP 502", "ms": 3}, {"error": "no answer within 2.5 s", "ms": 2500}])
        );
    }
}
