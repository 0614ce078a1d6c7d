//! Where to make each fix: who runs the reverse zone (where the PTR is set), who hosts the zone of
//! each PTR and EHLO name (where its A/AAAA record is added), and which setting of the user's mail
//! server names it in EHLO.
//!
//! The check already asked each of these names' SOA beside its own questions
//! (`identity::iprev`), so it knows every zone's apex, primary name server and contact.
//! [`where_to_fix`] asks the apexes' NS records (one more round trip, all at once), recognises the
//! operators from the data in `crates/core/data/` (every entry with its sources, marked verified or
//! not), and writes the `where-*` findings: "Set the PTR at DigitalOcean: rename the Droplet to
//! mail.example.com …". The page calls it from its extras worker and the CLI after the check, never
//! [`check`](crate::check) itself, so the data stays out of the page's first load.
//!
//! ```
//! use sendercheck_core::fix::{where_to_fix, Mta};
//! use sendercheck_core::dns::{Answer, Question, Rcode, ResolveError, Resolver};
//! # use std::future::Future;
//! // A resolver that knows nothing: every name is NXDOMAIN, and no answer names a zone.
//! struct Empty;
//! impl Resolver for Empty {
//!     fn query(&self, _: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
//!         async { Ok(Answer::new(Rcode::NxDomain, vec![])) }
//!     }
//! }
//! let ip = sendercheck_core::parse_ip("192.0.2.1").unwrap();
//! let report = futures::executor::block_on(sendercheck_core::check(&Empty, ip, None));
//! let place = futures::executor::block_on(where_to_fix(&Empty, &report, Some(Mta::Postfix.into())));
//! // Nothing is known about the reverse zone, so there is nothing to say about where to fix it.
//! assert!(place.reverse_zone.is_none());
//! assert!(place.findings.is_empty());
//! ```

mod data;
mod findings;
mod json;
mod mta;
mod operators;
mod zones;

use crate::dns::{non_public_reason, reverse_name, Cached, Exchange, Lookup, ZoneFacts};
use crate::finding::Finding;
use crate::paste::PasteReport;
use crate::report::{Checked, Report};
use crate::Resolver;

pub(crate) use self::json::{MtaJson, WhereJson};
pub use mta::{Mta, MtaChoice, MtaInfo, MtaSource};
pub use operators::{
    default_ptr_owner, dns_hosts, recognise_forward, recognise_reverse, reverse_operators, Kind,
    MatchedBy, Operator, Recognised, Status,
};

/// A zone, and who runs it as far as the DNS and the data tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The name the zone holds: a PTR or EHLO name, or the address's reverse name.
    pub name: String,
    /// The zone's apex.
    pub zone: Option<String>,
    /// The SOA MNAME.
    pub primary_ns: Option<String>,
    /// The SOA RNAME.
    pub rname: Option<String>,
    /// The zone's NS records.
    pub ns: Vec<String>,
    /// The operator, when recognised.
    pub operator: Option<Recognised>,
    /// Reverse zones: the reverse name is an alias into a delegated zone (RFC 2317).
    pub classless: bool,
}

impl Place {
    /// Nothing is known: no zone and no operator.
    pub fn is_unknown(&self) -> bool {
        self.zone.is_none() && self.operator.is_none()
    }

    /// The name servers as people name them: the NS records, else the SOA MNAME.
    pub fn servers(&self) -> Vec<&str> {
        if self.ns.is_empty() {
            self.primary_ns.iter().map(String::as_str).collect()
        } else {
            self.ns.iter().map(String::as_str).collect()
        }
    }

    /// The SOA contact as a mail address.
    pub fn contact(&self) -> Option<String> {
        let facts = ZoneFacts {
            apex: String::new(),
            primary_ns: String::new(),
            rname: self.rname.clone()?,
        };
        Some(facts.contact())
    }
}

/// Where to fix what one address's report found.
#[derive(Debug, Clone, PartialEq)]
pub struct WhereToFix {
    /// The reverse zone of the address; `None` when nothing is known about it.
    pub reverse_zone: Option<Place>,
    /// The zones of the PTR names and of the EHLO name, each name once.
    pub forward_zones: Vec<Place>,
    /// The mail server the advice is for.
    pub mta: Option<MtaChoice>,
    /// The `where-*` findings, most severe first.
    pub findings: Vec<Finding>,
    /// The NS questions asked, with their answers.
    pub exchanges: Vec<Exchange>,
}

/// Finds who runs the zones of one report and writes the `where-*` findings. Asks the NS records
/// of every zone at once (one round trip); `mta` is the user's mail server, if known.
pub async fn where_to_fix<R: Resolver>(
    resolver: &R,
    report: &Report,
    mta: Option<MtaChoice>,
) -> WhereToFix {
    let iprev = &report.iprev;
    let reverse = reverse_name(report.ip);
    let mut names: Vec<(&str, Option<&ZoneFacts>, Option<&Lookup>)> = Vec::new();
    for n in iprev.names.iter().filter(|n| n.problem.is_none()) {
        names.push((&n.name, n.zone.as_ref(), n.soa.as_ref()));
    }
    if let Some(h) = report.helo.as_ref().filter(|h| h.helo.domain.is_some()) {
        if !names.iter().any(|(n, ..)| *n == h.helo.name) {
            names.push((&h.helo.name, h.zone.as_ref(), h.soa.as_ref()));
        }
    }
    let walkable = |facts: Option<&ZoneFacts>, soa: Option<&Lookup>| {
        facts.is_none() && soa.is_some_and(|l| !l.outcome.is_temporary())
    };
    let wanted: Vec<zones::Wanted> = std::iter::once(zones::Wanted {
        name: reverse.as_str(),
        facts: iprev.reverse_zone.as_ref(),
        walk: walkable(iprev.reverse_zone.as_ref(), Some(&iprev.reverse_soa)),
    })
    .chain(names.iter().map(|&(name, facts, soa)| zones::Wanted {
        name,
        facts,
        walk: walkable(facts, soa),
    }))
    .collect();
    let (found, exchanges) = zones::find(resolver, &wanted).await;

    let ptr_names = iprev.ptr();
    let place = |name: &str, facts: Option<&ZoneFacts>, found: &zones::Found| Place {
        name: name.to_string(),
        zone: found.apex.clone(),
        primary_ns: facts.map(|f| f.primary_ns.clone()),
        rname: facts.map(|f| f.rname.clone()),
        ns: found.ns.clone(),
        operator: None,
        classless: false,
    };
    let mut reverse_zone = place(reverse.as_str(), iprev.reverse_zone.as_ref(), &found[0]);
    reverse_zone.classless = !iprev.reverse_soa.chain.is_empty();
    reverse_zone.operator =
        recognise_reverse(&reverse_zone.ns, iprev.reverse_zone.as_ref(), &ptr_names);
    let forward_zones: Vec<Place> = names
        .iter()
        .zip(&found[1..])
        .map(|(&(name, facts, _), found)| {
            let mut p = place(name, facts, found);
            p.operator = recognise_forward(&p.ns, facts);
            p
        })
        .collect();
    let reverse_zone = (!reverse_zone.is_unknown()).then_some(reverse_zone);
    let findings = findings::where_findings(
        report,
        reverse_zone
            .as_ref()
            .filter(|_| non_public_reason(report.ip).is_none()),
        &forward_zones,
        mta,
    );
    WhereToFix {
        reverse_zone,
        forward_zones,
        mta,
        findings,
        exchanges,
    }
}

/// Where to fix what a run found: one [`WhereToFix`] per report of the run, in the order of
/// [`Checked::reports`] (see [`where_to_fix_each`]).
pub async fn where_to_fix_all<R: Resolver>(
    resolver: &R,
    checked: &Checked,
    mta: Option<MtaChoice>,
) -> Vec<WhereToFix> {
    where_to_fix_each(resolver, checked.reports(), mta).await
}

/// Where to fix each of `reports`, in their order, all at once. The addresses of one host usually
/// share zones: each NS question is asked once for all of them (one answer cache).
pub async fn where_to_fix_each<'r, R: Resolver>(
    resolver: &R,
    reports: impl IntoIterator<Item = &'r Report>,
    mta: Option<MtaChoice>,
) -> Vec<WhereToFix> {
    let resolver = &Cached::new(resolver);
    let places = reports.into_iter().map(|r| where_to_fix(resolver, r, mta));
    futures::future::join_all(places).await
}

/// Where to fix what a paste showed: the MTA (the user's choice, else a guess from the paste), the
/// places of its DNS check, and the paste's own `where-*` findings (Sender Address Verification
/// in the user's MTA; the EHLO setting when the paste names no address to check).
#[derive(Debug, Clone, PartialEq)]
pub struct PasteWhere {
    /// The MTA the advice is for.
    pub mta: Option<MtaChoice>,
    /// One per report of the paste's DNS check.
    pub places: Vec<WhereToFix>,
    /// The paste's own `where-*` findings.
    pub findings: Vec<Finding>,
}

/// [`where_to_fix`] for a paste; `given` is the user's `--mta`, else the paste's format or
/// Received headers are the guess.
pub async fn where_to_fix_paste<R: Resolver>(
    resolver: &R,
    paste: &PasteReport,
    given: Option<Mta>,
) -> PasteWhere {
    let mta = MtaChoice::given_or_guessed(given, Some(&paste.extracted));
    let places = match &paste.checked {
        Some(checked) => where_to_fix_all(resolver, checked, mta).await,
        None => Vec::new(),
    };
    let findings = findings::paste_findings(paste, mta);
    PasteWhere {
        mta,
        places,
        findings,
    }
}
