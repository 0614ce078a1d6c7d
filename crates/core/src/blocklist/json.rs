//! The JSON form of blocklist answers: the `blocklists` array of `sendercheck blocklists --json`,
//! `sendercheck ip --blocklists --json` and a bounce paste.
//!
//! ```json
//! [{"ip": "192.0.2.10", "zone": "zen.spamhaus.org", "name": "Spamhaus ZEN", "result": "listed",
//!   "codes": ["127.0.0.2"], "kind": "listed", "meaning": "Spamhaus Block List: …",
//!   "reason": "the list's TXT record", "delist_url": "https://check.spamhaus.org/",
//!   "test_point": "listed"}]
//! ```
//!
//! `ip` is the address asked about; `result` is `listed`, `not-listed` or `unknown`; `kind` (`listed`, `policy`, `network`,
//! `neutral`, `good`) is `null` without codes; `reason` is the TXT reason of a listing, or why an
//! `unknown` list could not be trusted; `test_point` (`listed`, `not-listed`, `error`,
//! `no-answer`) is how the list answered `2.0.0.127.<zone>`. A Spamhaus DQS key is written `<key>`.

use std::net::{IpAddr, Ipv4Addr};

use serde::Serialize;

use super::{Kind, ListResult, Listing, TestPoint};
use crate::dns::canonical;
use crate::finding::Finding;
use crate::report::json::{value, QueryJson};
use crate::report::Verdict;

#[derive(Serialize)]
pub(crate) struct ListingJson<'a> {
    ip: IpAddr,
    zone: &'a str,
    name: &'a str,
    result: ListResult,
    codes: &'a [Ipv4Addr],
    kind: Option<Kind>,
    meaning: &'a str,
    reason: Option<&'a str>,
    delist_url: Option<String>,
    test_point: TestPoint,
}

impl<'a> ListingJson<'a> {
    pub(crate) fn new(l: &'a Listing) -> Self {
        ListingJson {
            ip: canonical(l.ip),
            zone: &l.list.shown,
            name: &l.list.name,
            result: l.result,
            codes: &l.codes,
            kind: l.kind(),
            meaning: &l.meaning,
            reason: l.reason.as_deref(),
            delist_url: l.delist_url(),
            test_point: l.test_point,
        }
    }
}

#[derive(Serialize)]
struct BlocklistsJson<'a> {
    ip: IpAddr,
    verdict: Verdict,
    blocklists: Vec<ListingJson<'a>>,
    findings: Vec<Finding>,
    queries: Vec<QueryJson<'a>>,
    elapsed_ms: u64,
}

/// `sendercheck blocklists --json`: `{"ip", "verdict", "blocklists", "findings", "queries",
/// "elapsed_ms"}`; `verdict` is `fail` with a listing, `temperror` when no list lists the address
/// but some could not be checked (`unchecked` when the resolver gave no answer for one), else
/// `pass`. Query names hide a Spamhaus DQS key.
pub fn blocklists_json(ip: IpAddr, listings: &[Listing], elapsed_ms: u64) -> serde_json::Value {
    value(BlocklistsJson {
        ip: canonical(ip),
        verdict: super::verdict(listings),
        blocklists: listings.iter().map(ListingJson::new).collect(),
        findings: super::findings(listings),
        queries: listings
            .iter()
            .flat_map(|l| {
                l.exchanges
                    .iter()
                    .map(move |e| QueryJson::shown(e, |n| l.list.show(n)))
            })
            .collect(),
        elapsed_ms,
    })
}

/// One listing as JSON.
pub fn listing_json(l: &Listing) -> serde_json::Value {
    value(ListingJson::new(l))
}

/// Every listing as a JSON array, in the order the lists were given.
pub fn listings_json(listings: &[Listing]) -> serde_json::Value {
    value(listings.iter().map(ListingJson::new).collect::<Vec<_>>())
}
