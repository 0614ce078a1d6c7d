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
//! `helo` is present only when an EHLO line was checked. `ip` is the canonical text of the address;
//! names are lower case without a trailing dot. A query that got no answer has `"error"` instead of
//! `rcode`/`ad`/`answers`. A query whose first tries failed and were retried (HTTP 5xx, 429, a
//! dropped connection, a timeout) has `"attempts": [{"error": "HTTP 502", "ms": 3}, …]`: those
//! tries, oldest first, before the one whose outcome the query shows. Fields are only ever added,
//! never renamed.

use std::borrow::Cow;

use serde::Serialize;

use super::check::{Report, Verdict};
use super::host::HostReport;
use crate::dns::{Attempt, Exchange, Rcode, Record, RecordType};
use crate::finding::Finding;
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
    queries: Vec<QueryJson<'a>>,
    elapsed_ms: u64,
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
struct QueryJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    rtype: RecordType,
    #[serde(skip_serializing_if = "Option::is_none")]
    rcode: Option<Rcode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ad: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answers: Option<&'a [Record]>,
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

impl<'a> From<&'a Exchange> for QueryJson<'a> {
    fn from(e: &'a Exchange) -> Self {
        let (rcode, ad, answers, error) = match &e.result {
            Ok(a) => (
                Some(a.rcode),
                Some(a.authenticated),
                Some(a.records.as_slice()),
                None,
            ),
            Err(err) => (None, None, None, Some(err.to_string())),
        };
        QueryJson {
            name: e.question.name.as_str(),
            rtype: e.question.rtype,
            rcode,
            ad,
            answers,
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
        }
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
        }
    }
}

/// The report as a JSON value; `elapsed_ms` is the wall time the caller measured.
pub fn report_json(report: &Report, elapsed_ms: u64) -> serde_json::Value {
    value(ReportJson::new(report, elapsed_ms))
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
        for v in [Verdict::Pass, Verdict::TempError, Verdict::Fail] {
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
        // PTR, and `mail.example.com A` once: the EHLO name's forward lookup is the PTR name's.
        assert_eq!(j["queries"].as_array().unwrap().len(), 2);
        assert!(
            j["queries"][0].get("attempts").is_none(),
            "only after a retry"
        );
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
