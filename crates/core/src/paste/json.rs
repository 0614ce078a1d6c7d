//! The JSON form of a paste check: `sendercheck paste --json` and the page's export after a paste.
//!
//! ```json
//! {"extracted": {"format": "headers", "ip": "192.0.2.10", "helo": "mail.example.com",
//!                "rdns_seen": "mail.example.com", "rdns_unknown": false, "sav": false,
//!                "reason": "Received header 2 is where mx.google.com took the message …",
//!                "notes": [], "chosen_hop": 1,
//!                "hops": [{"index": 0, "role": "receiver", "helo": null, "rdns": null,
//!                          "rdns_unknown": false, "ip": null, "auth": null,
//!                          "by": "…", "with": "SMTP", "date": "…", "why": "…", "raw": "…"}, …],
//!                "receiver": [{"header": "Authentication-Results", "authserv_id": "mx.google.com",
//!                              "results": [{"method": "spf", "result": "pass", "comment": "…",
//!                                           "props": {"smtp.mailfrom": "a@example.com"}}]}],
//!                "settings": [{"line": 2, "name": "myhostname", "value": "mail.example.com"}],
//!                "sav_lines": [{"line": 5, "text": "…", "replacement": "…"}],
//!                "sender": {"from": "alice@example.com", "mail_from": "bounce@example.com",
//!                           "dkim": [{"selector": "s1", "domain": "example.com"}]}},
//!  "domain": {…}, "requirements": […],   (when the paste names a sending domain)
//!  "ip": …, "verdict": …, "iprev": …, "helo": …, "findings": […], "queries": […], "elapsed_ms": …}
//! ```
//!
//! A hop's `role` is `receiver`, `filter` (a filtering service in front of the receiver passed the
//! message on to the receiver's servers), `entry`, `sender` or `submission` (an authenticated
//! submission from a user's device at a public address); `auth` is how the header shows an
//! authenticated client (`with ESMTPSA`, `(authenticated bits=0)`), else null.
//!
//! A bounce (`format` `bounce`, or a log line quoting a receiver's reply) adds
//! `extracted.bounce` (see [`crate::bounce::bounce_json`]) and, beside the address's fields, the
//! checks it pointed to: `bounce_cause` (`fixed`, `present`, `not-dns`, `unknown`),
//! `blocklists` (as `sendercheck blocklists --json`), `spf` (`{"domain", "sender", "ip",
//! "result", "record", "decided_by", "problem", "lookups"}`), `dmarc` (the DMARC check's JSON),
//! `alignment`, `dkim` (one object per key checked), `mx`, each only when it ran, and
//! `bounce_skipped` (`[{"check", "why"}]`, the checks that could not run).
//!
//! Keys come out in alphabetical order, like every JSON object of the CLI. With an address, the
//! fields besides `extracted` are those of `sendercheck ip --json`, and
//! `findings` also holds the paste's own (`sav-callout`, `receiver-*`). With only an EHLO host
//! name they are those of `sendercheck host --json` plus `findings`; with neither, `verdict` and
//! `findings` only. `verdict` is the DNS check's, made `fail` by a paste finding of severity
//! error (see [`PasteReport::verdict`]). `receiver` lists only the headers the receiver added (see
//! [`Extracted::receiver_auth`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;
use serde_json::Value;

use super::run::{BounceCheck, PasteReport};
use super::{Extracted, Format, HopRole, SavLine, Sender, Setting};
use crate::blocklist::json::ListingJson;
use crate::bounce::json::BounceJson;
use crate::bounce::{Cause, CheckKind};
use crate::domain::alignment::Alignment;
use crate::domain::check::DomainJson;
use crate::domain::dkim::DkimKey;
use crate::domain::mx::Mx;
use crate::domain::requirements::Judged;
use crate::domain::spf::SpfResult;
use crate::finding::{most_severe_first, Finding};
use crate::fix::{MtaJson, PasteWhere};
use crate::report::json::{value, HostJson, QueryJson, ReportJson};
use crate::report::{Checked, Verdict};

#[derive(Serialize)]
struct PasteJson<'a> {
    #[serde(flatten)]
    checked: CheckedJson<'a>,
    extracted: ExtractedJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<DomainJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requirements: Option<&'a [Judged]>,
    #[serde(flatten)]
    bounce: Option<BounceChecksJson<'a>>,
}

/// The checks a bounce pointed to.
#[derive(Serialize)]
struct BounceChecksJson<'a> {
    bounce_cause: Cause,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocklists: Option<Vec<ListingJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spf: Option<SpfJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dmarc: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alignment: Option<&'a Alignment>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    dkim: &'a [DkimKey],
    #[serde(skip_serializing_if = "Option::is_none")]
    mx: Option<&'a Mx>,
    bounce_skipped: Vec<SkippedJson<'a>>,
}

#[derive(Serialize)]
struct SpfJson<'a> {
    domain: &'a str,
    sender: &'a str,
    ip: IpAddr,
    result: SpfResult,
    record: Option<&'a str>,
    decided_by: Option<&'a str>,
    problem: Option<&'a str>,
    lookups: usize,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    check: CheckKind,
    why: &'a str,
}

impl<'a> BounceChecksJson<'a> {
    fn new(b: &'a BounceCheck) -> Self {
        let f = &b.follow;
        BounceChecksJson {
            bounce_cause: b.cause,
            blocklists: f
                .blocklists
                .as_ref()
                .map(|l| l.iter().map(ListingJson::new).collect()),
            spf: f.spf.as_ref().map(|e| SpfJson {
                domain: &e.domain,
                sender: &e.sender,
                ip: e.ip,
                result: e.result,
                record: e.record.as_deref(),
                decided_by: e.decided_by.as_deref(),
                problem: e.problem.as_deref(),
                lookups: e.lookups,
            }),
            dmarc: f.dmarc.as_ref().map(|d| d.json()),
            alignment: f.alignment.as_ref(),
            dkim: &f.dkim,
            mx: f.mx.as_ref(),
            bounce_skipped: f
                .skipped
                .iter()
                .map(|(check, why)| SkippedJson { check: *check, why })
                .collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(untagged)]
// Built once per paste and serialised at once.
#[allow(clippy::large_enum_variant)]
enum CheckedJson<'a> {
    Ip(ReportJson<'a>),
    Host(HostJson<'a>),
    Nothing {
        verdict: Verdict,
        findings: Vec<Finding>,
        elapsed_ms: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        mta: Option<MtaJson>,
    },
}

#[derive(Serialize)]
struct ExtractedJson<'a> {
    format: Format,
    ip: Option<IpAddr>,
    helo: Option<&'a str>,
    rdns_seen: Option<&'a str>,
    rdns_unknown: bool,
    sav: bool,
    reason: &'a str,
    notes: &'a [String],
    chosen_hop: Option<usize>,
    hops: Vec<HopJson<'a>>,
    receiver: Vec<AuthJson<'a>>,
    settings: &'a [Setting],
    sav_lines: &'a [SavLine],
    sender: &'a Sender,
    #[serde(skip_serializing_if = "Option::is_none")]
    bounce: Option<BounceJson<'a>>,
}

#[derive(Serialize)]
struct HopJson<'a> {
    index: usize,
    role: HopRole,
    helo: Option<&'a str>,
    rdns: Option<&'a str>,
    rdns_unknown: bool,
    ip: Option<IpAddr>,
    by: Option<&'a str>,
    with: Option<&'a str>,
    date: Option<&'a str>,
    why: &'a str,
    raw: &'a str,
    auth: Option<&'a str>,
}

#[derive(Serialize)]
struct AuthJson<'a> {
    header: &'a str,
    authserv_id: Option<&'a str>,
    results: Vec<MethodJson<'a>>,
}

#[derive(Serialize)]
struct MethodJson<'a> {
    method: &'a str,
    result: &'a str,
    comment: Option<&'a str>,
    props: BTreeMap<&'a str, &'a str>,
}

impl<'a> ExtractedJson<'a> {
    fn new(x: &'a Extracted) -> Self {
        ExtractedJson {
            format: x.format,
            ip: x.ip,
            helo: x.helo.as_deref(),
            rdns_seen: x.rdns_seen.as_deref(),
            rdns_unknown: x.rdns_unknown,
            sav: x.sav,
            reason: &x.reason,
            notes: &x.notes,
            chosen_hop: x.chosen,
            hops: x
                .hops
                .iter()
                .enumerate()
                .map(|(index, h)| HopJson {
                    index,
                    role: h.role,
                    helo: h.helo.as_deref(),
                    rdns: h.rdns.as_deref(),
                    rdns_unknown: h.rdns_unknown,
                    ip: h.ip,
                    by: h.by.as_deref(),
                    with: h.with.as_deref(),
                    date: h.date.as_deref(),
                    why: &h.why,
                    raw: &h.raw,
                    auth: h.auth.as_deref(),
                })
                .collect(),
            receiver: x
                .receiver_auth()
                .map(|a| AuthJson {
                    header: a.header,
                    authserv_id: a.authserv_id.as_deref(),
                    results: a
                        .results
                        .iter()
                        .map(|r| MethodJson {
                            method: &r.method,
                            result: &r.result,
                            comment: r.comment.as_deref(),
                            props: r
                                .props
                                .iter()
                                .map(|(k, v)| (k.as_str(), v.as_str()))
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            settings: &x.settings,
            sav_lines: &x.sav_lines,
            sender: &x.sender,
            bounce: x.bounce.as_ref().map(BounceJson::new),
        }
    }
}

/// The paste check as JSON; `elapsed_ms` is the wall time the caller measured.
pub fn paste_json(p: &PasteReport, elapsed_ms: u64) -> Value {
    json(p, None, elapsed_ms)
}

/// The paste check as JSON with where to fix it: the places of each address checked, the MTA,
/// and the `where-*` findings among `findings` (see `report::json` for the added fields).
pub fn paste_json_with(p: &PasteReport, place: &PasteWhere, elapsed_ms: u64) -> Value {
    json(p, Some(place), elapsed_ms)
}

fn json(p: &PasteReport, place: Option<&PasteWhere>, elapsed_ms: u64) -> Value {
    let verdict = p.verdict();
    let mut findings: Vec<Finding> = match &p.checked {
        Some(Checked::Ip(r)) => r.findings.clone(),
        _ => Vec::new(),
    };
    findings.extend(p.findings.iter().cloned());
    if let Some(d) = &p.domain {
        findings.extend(d.findings.iter().cloned());
    }
    if let Some(w) = place {
        if let (Some(Checked::Ip(_)), Some(first)) = (&p.checked, w.places.first()) {
            findings.extend(first.findings.iter().cloned());
        }
        findings.extend(w.findings.iter().cloned());
    }
    let findings = most_severe_first(findings);
    let places = place.map_or(&[][..], |w| &w.places[..]);
    let mta = place.and_then(|w| w.mta);
    let checked = match &p.checked {
        Some(Checked::Ip(r)) => {
            let mut json = ReportJson::new(r, elapsed_ms);
            if let Some(first) = places.first() {
                json = json.with_where(first);
            }
            json.verdict = verdict;
            json.findings = Cow::Owned(findings);
            if let Some(d) = &p.domain {
                json.queries
                    .extend(d.exchanges().into_iter().map(QueryJson::from));
            }
            CheckedJson::Ip(json)
        }
        Some(Checked::Host(h)) => {
            let mut json = HostJson::new(h, elapsed_ms).with_where(places, mta);
            json.verdict = verdict;
            json.findings = Some(findings);
            CheckedJson::Host(json)
        }
        None => CheckedJson::Nothing {
            verdict,
            findings,
            elapsed_ms,
            mta: mta.map(MtaJson::from),
        },
    };
    value(PasteJson {
        checked,
        extracted: ExtractedJson::new(&p.extracted),
        domain: p.domain.as_ref().map(DomainJson::new),
        requirements: p.domain.as_ref().map(|d| d.requirements.as_slice()),
        bounce: p.bounce.as_ref().map(BounceChecksJson::new),
    })
}
