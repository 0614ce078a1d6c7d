//! The DNS tree walk (RFC 9989 §4.10), the organizational domain it yields (§4.10.2), and which
//! record applies to a domain (§4.10.1).
//!
//! A receiver asks `_dmarc.<domain>`, then, label by label, the names above it (from 8 labels or
//! more it jumps to 7), at most 8 questions, and stops at a record with `psd=y` or `psd=n`. Every
//! name of the walk is known before the first answer, so [`walk`] asks them all in one round
//! (through the run's cache) and then evaluates the answers in the receiver's order; the answers
//! past the point where a receiver would stop are ignored.

use futures::future::join_all;

use super::record::{parse_record, DmarcRecord, Psd};
use crate::dns::{lookup, DomainName, Lookup, Outcome, RData, RecordType, Resolver};

/// Most names one tree walk queries (RFC 9989 §4.10).
pub const MAX_WALK: usize = 8;

/// The names a tree walk from `domain` asks about, in order, without the `_dmarc` label
/// (RFC 9989 §4.10 steps 3–7): the domain, then its ancestors down to the top-level domain; a
/// domain of 8 or more labels is followed directly by its 7-label ancestor.
///
/// ```
/// # use sendercheck_core::DomainName;
/// # use sendercheck_core::domain::dmarc::discovery::walk_names;
/// let d = DomainName::parse("a.b.c.d.e.f.g.h.i.j.mail.example.com").unwrap();
/// let names: Vec<String> = walk_names(&d).iter().map(|n| n.to_string()).collect();
/// assert_eq!(names, ["a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com",
///     "h.i.j.mail.example.com", "i.j.mail.example.com", "j.mail.example.com",
///     "mail.example.com", "example.com", "com"]);
/// ```
pub fn walk_names(domain: &DomainName) -> Vec<DomainName> {
    let count = domain.label_count();
    let mut names = vec![domain.clone()];
    let next = if count >= MAX_WALK {
        MAX_WALK - 1
    } else {
        count - 1
    };
    names.extend((1..=next).rev().filter_map(|k| suffix(domain, k)));
    names
}

/// The last `k` labels of `name` (`suffix("a.b.example", 2)` is `b.example`).
pub(crate) fn suffix(name: &DomainName, k: usize) -> Option<DomainName> {
    let labels: Vec<&str> = name.labels().collect();
    let start = labels.len().checked_sub(k)?;
    DomainName::parse(&labels[start..].join(".")).ok()
}

/// True when `name` is `ancestor` or below it.
pub(crate) fn is_at_or_below(name: &DomainName, ancestor: &DomainName) -> bool {
    let (n, a) = (name.as_str(), ancestor.as_str());
    n == a || n.strip_suffix(a).is_some_and(|rest| rest.ends_with('.'))
}

/// What one `_dmarc` name held, after RFC 9989 §4.10 step 2.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Exactly one DMARC policy record.
    Record(Box<DmarcRecord>),
    /// No DMARC policy record (NXDOMAIN, NODATA, or only TXT records that are not DMARC).
    Nothing,
    /// Several DMARC policy records: all are discarded, as if there were none.
    Several(Vec<String>),
    /// The lookup failed transiently (SERVFAIL, timeout, …).
    TempError(String),
    /// `_dmarc.<name>` would be longer than a DNS name may be, so it cannot be asked.
    TooLong,
}

/// One name of the walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The domain the record would be published for (without `_dmarc`).
    pub domain: DomainName,
    /// The TXT lookup of `_dmarc.<domain>` (none when the name is too long).
    pub lookup: Option<Lookup>,
    /// What it held.
    pub found: Found,
    /// TXT records at the name that are not DMARC policy records, with why.
    pub discarded: Vec<(String, String)>,
}

impl Step {
    /// The DMARC record found here, if exactly one.
    pub fn record(&self) -> Option<&DmarcRecord> {
        match &self.found {
            Found::Record(r) => Some(r),
            _ => None,
        }
    }

    /// The name asked: `_dmarc.<domain>`.
    pub fn query_name(&self) -> String {
        format!("_dmarc.{}", self.domain)
    }
}

/// Where the record that applies to a domain was found (RFC 9989 §4.10.1, in order of preference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The domain's own record.
    Domain,
    /// Its organizational domain's record.
    OrgDomain,
    /// Its public suffix domain's record (`psd=y`).
    Psd,
}

impl Source {
    /// The source word (`domain`, `org-domain`, `psd`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Domain => "domain",
            Source::OrgDomain => "org-domain",
            Source::Psd => "psd",
        }
    }
}

crate::serialize_as_str!(Source);

/// A finished tree walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Walk {
    /// Where the walk started.
    pub start: DomainName,
    /// Every name asked, in walk order.
    pub steps: Vec<Step>,
    /// How many steps a receiver evaluates: up to and including the first `psd=y|n` record, or
    /// the first transient failure, or all.
    pub used: usize,
    /// False when a transient failure hides what lies beyond it.
    pub complete: bool,
}

/// Asks every name of the walk from `start` at once, then evaluates them in order.
pub async fn walk<R: Resolver>(resolver: &R, start: &DomainName) -> Walk {
    let steps = join_all(
        walk_names(start)
            .into_iter()
            .map(|name| step(resolver, name)),
    )
    .await;
    let mut used = steps.len();
    let mut complete = true;
    for (i, s) in steps.iter().enumerate() {
        match &s.found {
            Found::TempError(_) => {
                complete = false;
                used = i + 1;
                break;
            }
            Found::Record(r) if r.psd != Psd::Unknown => {
                used = i + 1;
                break;
            }
            _ => {}
        }
    }
    Walk {
        start: start.clone(),
        steps,
        used,
        complete,
    }
}

async fn step<R: Resolver>(resolver: &R, domain: DomainName) -> Step {
    let Ok(name) = DomainName::parse(&format!("_dmarc.{domain}")) else {
        return Step {
            domain,
            lookup: None,
            found: Found::TooLong,
            discarded: Vec::new(),
        };
    };
    let lookup = lookup(resolver, name, RecordType::Txt).await;
    let mut discarded = Vec::new();
    let found = match &lookup.outcome {
        Outcome::Found(data) => {
            let mut records = Vec::new();
            for text in data.iter().filter_map(RData::txt) {
                match parse_record(&text) {
                    Ok(r) => records.push(r),
                    Err(why) => discarded.push((text, why.0)),
                }
            }
            match records.len() {
                0 => Found::Nothing,
                1 => Found::Record(Box::new(records.remove(0))),
                _ => Found::Several(records.into_iter().map(|r| r.text).collect()),
            }
        }
        other if other.is_temporary() => Found::TempError(other.describe(RecordType::Txt)),
        _ => Found::Nothing,
    };
    Step {
        domain,
        lookup: Some(lookup),
        found,
        discarded,
    }
}

impl Walk {
    /// The steps a receiver evaluates.
    pub fn used_steps(&self) -> &[Step] {
        &self.steps[..self.used]
    }

    /// The organizational domain of the start (RFC 9989 §4.10.2), or `None` when a transient
    /// failure leaves it unknown. Among the records found, from the longest name to the shortest:
    /// `psd=n` makes that domain the organizational domain; `psd=y` (except at the start) makes it
    /// the domain one label below; otherwise the record with the fewest labels wins; with no
    /// record at all, the start is its own organizational domain.
    pub fn org_domain(&self) -> Option<DomainName> {
        if !self.complete {
            return None;
        }
        let used = self.used_steps();
        for (i, s) in used.iter().enumerate() {
            match s.record().map(|r| r.psd) {
                Some(Psd::No) => return Some(s.domain.clone()),
                Some(Psd::Yes) if i > 0 => {
                    return suffix(&self.start, s.domain.label_count() + 1);
                }
                _ => {}
            }
        }
        let fewest = used.iter().rev().find(|s| s.record().is_some());
        Some(fewest.map_or_else(|| self.start.clone(), |s| s.domain.clone()))
    }

    /// The record that applies to the start domain and where it came from (RFC 9989 §4.10.1): the
    /// domain's own, else its organizational domain's, else its PSD's. `Ok(None)` when none
    /// applies, `Err` with the failure when a transient failure leaves it unknown.
    pub fn applicable(&self) -> Result<Option<(Source, &Step)>, String> {
        let Some(first) = self.steps.first() else {
            return Ok(None);
        };
        match &first.found {
            Found::Record(_) => return Ok(Some((Source::Domain, first))),
            Found::TempError(why) => return Err(format!("{}: {why}", first.query_name())),
            _ => {}
        }
        if !self.complete {
            let failed = self.used_steps().last().map(|s| match &s.found {
                Found::TempError(why) => format!("{}: {why}", s.query_name()),
                _ => s.query_name(),
            });
            return Err(failed.unwrap_or_default());
        }
        let org = self.org_domain();
        let used = self.used_steps();
        if let Some(s) = used
            .iter()
            .find(|s| Some(&s.domain) == org.as_ref() && s.record().is_some())
        {
            return Ok(Some((Source::OrgDomain, s)));
        }
        Ok(used
            .iter()
            .find(|s| s.record().is_some_and(|r| r.psd == Psd::Yes))
            .map(|s| (Source::Psd, s)))
    }

    /// Records the walk found that do not apply to the start domain because they are neither its
    /// own, nor its organizational domain's, nor its PSD's (RFC 9989 §4.10.1): a record at an
    /// intermediate name, which its publisher may have meant to apply.
    pub fn skipped(&self) -> Vec<&Step> {
        let Ok(Some((source, applied))) = self.applicable() else {
            return Vec::new();
        };
        if source == Source::Domain {
            return Vec::new();
        }
        self.used_steps()
            .iter()
            .skip(1)
            .take_while(|s| s.domain != applied.domain)
            .filter(|s| s.record().is_some())
            .collect()
    }

    /// Every lookup made, in walk order.
    pub fn lookups(&self) -> impl Iterator<Item = &Lookup> {
        self.steps.iter().filter_map(|s| s.lookup.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Cached, Rcode};
    use crate::testing::{rec, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    fn name(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    fn names(s: &str) -> Vec<String> {
        walk_names(&name(s)).iter().map(|n| n.to_string()).collect()
    }

    pub(crate) fn dmarc(fixed: FixedResolver, domain: &str, text: &str) -> FixedResolver {
        let owner = format!("_dmarc.{domain}");
        fixed.answer(
            &owner,
            RecordType::Txt,
            Rcode::NoError,
            vec![rec(&owner, RecordType::Txt, RData::Txt(vec![text.into()]))],
        )
    }

    fn walked(fixed: &FixedResolver, start: &str) -> Walk {
        block_on(walk(fixed, &name(start)))
    }

    #[test]
    fn names_of_the_walk() {
        assert_eq!(names("com"), ["com"]);
        assert_eq!(names("example.com"), ["example.com", "com"]);
        assert_eq!(
            names("a.mail.example.com"),
            [
                "a.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
        // 8 labels: the next name has 7, as with one label removed.
        assert_eq!(names("a.b.c.d.e.f.example.com").len(), 8);
        assert_eq!(names("a.b.c.d.e.f.example.com")[1], "b.c.d.e.f.example.com");
        // 12 labels: straight to 7, at most 8 names in all (RFC 9989 §5.1.8's example).
        assert_eq!(
            names("mail.a.b.c.d.e.f.g.example.com"),
            [
                "mail.a.b.c.d.e.f.g.example.com",
                "c.d.e.f.g.example.com",
                "d.e.f.g.example.com",
                "e.f.g.example.com",
                "f.g.example.com",
                "g.example.com",
                "example.com",
                "com"
            ]
        );
        for n in 1..20 {
            let d = (0..n)
                .map(|i| format!("l{i}"))
                .collect::<Vec<_>>()
                .join(".");
            assert!(names(&d).len() <= MAX_WALK, "{d}");
        }
    }

    /// RFC 9989 §4.10.2's examples and Appendix B.4.
    #[test]
    fn organizational_domains() {
        let r = dmarc(FixedResolver::new(), "mail.example.com", "v=DMARC1; p=none");
        let r = dmarc(r, "example.com", "v=DMARC1; p=reject");
        assert_eq!(
            walked(&r, "a.mail.example.com").org_domain(),
            Some(name("example.com"))
        );

        let r = dmarc(
            FixedResolver::new(),
            "mail.example.com",
            "v=DMARC1; p=none; psd=n",
        );
        let r = dmarc(r, "example.com", "v=DMARC1; p=reject");
        let w = walked(&r, "a.mail.example.com");
        assert_eq!(w.org_domain(), Some(name("mail.example.com")));
        assert_eq!(w.used, 2, "the walk stops at psd=n");

        let r = dmarc(FixedResolver::new(), "com", "v=DMARC1; p=reject; psd=y");
        assert_eq!(
            walked(&r, "a.mail.example.com").org_domain(),
            Some(name("example.com"))
        );

        // B.4.3: giant.bank.example has a record, bank.example psd=y.
        let r = dmarc(
            FixedResolver::new(),
            "giant.bank.example",
            "v=DMARC1; p=reject",
        );
        let r = dmarc(r, "bank.example", "v=DMARC1; p=none; psd=y");
        for start in ["giant.bank.example", "mail.giant.bank.example"] {
            assert_eq!(
                walked(&r, start).org_domain(),
                Some(name("giant.bank.example"))
            );
        }
        assert_eq!(
            walked(&r, "mail.mega.bank.example").org_domain(),
            Some(name("mega.bank.example"))
        );
        // A PSD mailing as itself is its own organizational domain.
        assert_eq!(
            walked(&r, "bank.example").org_domain(),
            Some(name("bank.example"))
        );

        // No record anywhere: the domain itself.
        assert_eq!(
            walked(&FixedResolver::new(), "x.example.org").org_domain(),
            Some(name("x.example.org"))
        );
    }

    #[test]
    fn which_record_applies() {
        let r = dmarc(FixedResolver::new(), "mail.example.com", "v=DMARC1; p=none");
        let r = dmarc(r, "example.com", "v=DMARC1; p=reject");
        let w = walked(&r, "mail.example.com");
        let (source, step) = w.applicable().unwrap().unwrap();
        assert_eq!(
            (source, step.domain.as_str()),
            (Source::Domain, "mail.example.com")
        );
        assert!(w.skipped().is_empty());

        // An intermediate record applies to neither: the organizational domain's does.
        let w = walked(&r, "a.mail.example.com");
        let (source, step) = w.applicable().unwrap().unwrap();
        assert_eq!(
            (source, step.domain.as_str()),
            (Source::OrgDomain, "example.com")
        );
        assert_eq!(w.skipped()[0].domain.as_str(), "mail.example.com");

        // The PSD's record when the organizational domain has none.
        let r = dmarc(
            FixedResolver::new(),
            "bank.example",
            "v=DMARC1; p=reject; psd=y",
        );
        let w = walked(&r, "mail.giant.bank.example");
        let (source, step) = w.applicable().unwrap().unwrap();
        assert_eq!(
            (source, step.domain.as_str()),
            (Source::Psd, "bank.example")
        );

        assert_eq!(
            walked(&FixedResolver::new(), "example.com").applicable(),
            Ok(None)
        );
    }

    #[test]
    fn several_records_count_as_none_and_others_are_discarded() {
        let owner = "_dmarc.example.com";
        let txt = |t: &str| rec(owner, RecordType::Txt, RData::Txt(vec![t.into()]));
        let r = FixedResolver::new().answer(
            owner,
            RecordType::Txt,
            Rcode::NoError,
            vec![
                txt("v=DMARC1; p=none"),
                txt("v=DMARC1; p=reject"),
                txt("v=spf1 -all"),
            ],
        );
        let w = walked(&r, "example.com");
        assert!(matches!(&w.steps[0].found, Found::Several(v) if v.len() == 2));
        assert_eq!(w.steps[0].discarded.len(), 1);
        assert_eq!(w.applicable(), Ok(None));
        // Strings of one record are joined before parsing.
        let r = FixedResolver::new().answer(
            owner,
            RecordType::Txt,
            Rcode::NoError,
            vec![rec(
                owner,
                RecordType::Txt,
                RData::Txt(vec!["v=DMARC1; p=re".into(), "ject".into()]),
            )],
        );
        let w = walked(&r, "example.com");
        assert_eq!(
            w.applicable().unwrap().unwrap().1.record().unwrap().p,
            Some(super::super::record::Policy::Reject)
        );
    }

    #[test]
    fn transient_failures() {
        let r = FixedResolver::new().answer(
            "_dmarc.example.com",
            RecordType::Txt,
            Rcode::ServFail,
            vec![],
        );
        let w = walked(&r, "mail.example.com");
        assert!(!w.complete);
        assert_eq!(w.used, 2);
        assert_eq!(w.org_domain(), None);
        assert_eq!(
            w.applicable(),
            Err("_dmarc.example.com: the resolver answered SERVFAIL".into())
        );
        // The domain's own record still applies when a name above it fails.
        let r = dmarc(r, "mail.example.com", "v=DMARC1; p=reject");
        assert_eq!(
            walked(&r, "mail.example.com")
                .applicable()
                .unwrap()
                .unwrap()
                .0,
            Source::Domain
        );
        // A failure past a psd=n stop does not matter.
        let r = dmarc(
            FixedResolver::new(),
            "mail.example.com",
            "v=DMARC1; p=none; psd=n",
        )
        .answer(
            "_dmarc.example.com",
            RecordType::Txt,
            Rcode::ServFail,
            vec![],
        );
        let w = walked(&r, "a.mail.example.com");
        assert!(w.complete);
        assert_eq!(w.org_domain(), Some(name("mail.example.com")));
    }

    /// Every name is known in advance, so the whole walk is one round trip.
    #[test]
    fn one_round_trip() {
        let rt = RoundTrips::new(dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=none",
        ));
        let cached = Cached::new(&rt);
        let start = name("a.b.c.d.e.f.g.h.i.example.com");
        let (w, rounds) = rt.run(walk(&cached, &start));
        assert_eq!(rounds, 1);
        assert_eq!(rt.sent(), MAX_WALK);
        assert_eq!(w.org_domain(), Some(name("example.com")));
    }

    #[test]
    fn ancestry() {
        assert!(is_at_or_below(&name("a.example.com"), &name("example.com")));
        assert!(is_at_or_below(&name("example.com"), &name("example.com")));
        assert!(!is_at_or_below(
            &name("badexample.com"),
            &name("example.com")
        ));
        assert_eq!(suffix(&name("a.b.example"), 2), Some(name("b.example")));
        assert_eq!(suffix(&name("a.b.example"), 4), None);
    }
}
