//! The sending domain's whole check: SPF for the sending IP (MAIL FROM and HELO identities),
//! DMARC, DKIM keys, identifier alignment, whether the domain can receive its bounces, and the
//! providers' requirements judged from all of it (and from the identity check, when it ran).
//!
//! Every question goes through one [`Cached`] resolver and every check starts at once, so the
//! rounds follow the deepest chain of dependent questions (SPF's include tree, DMARC's report
//! destinations), not the number of questions.

use std::net::IpAddr;

use futures::future::{join, join4, OptionFuture};
use serde::Serialize;

use super::alignment::{self, Alignment, OrgDomain};
use super::dkim::{self, DkimKey, DkimQuery};
use super::dmarc::{self, Dmarc};
use super::mx::{self, Mx};
use super::requirements::{self, Judged, Results};
use super::spf::{self, Evaluation, SpfResult};
use crate::dns::{Cached, DomainName, Exchange, Lookup, Resolver};
use crate::finding::{most_severe_first, Finding, Severity};
use crate::report::Verdict;
use crate::Error;

/// What to check about a sending domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInput {
    /// The RFC5322.From domain: the domain DMARC, alignment and the requirements are about.
    pub from: DomainName,
    /// The reverse-path (MAIL FROM) as given: `user@domain`, `<user@domain>`, or empty for a null
    /// sender (then SPF checks the HELO name). `postmaster@<from>` when none was given.
    pub mail_from: String,
    /// The sending address; SPF is evaluated only with one.
    pub ip: Option<IpAddr>,
    /// The EHLO name (HELO identity, `%{h}`, and the SPF domain of a null sender).
    pub helo: Option<String>,
    /// The DKIM keys to fetch: selector and signing domain.
    pub dkim: Vec<DkimQuery>,
    /// The identity check's results for the requirements table: FCrDNS passed, the EHLO name
    /// matched the reverse DNS (`None` when not checked).
    pub fcrdns: Option<bool>,
    /// See [`DomainInput::fcrdns`].
    pub helo_matches: Option<bool>,
}

impl DomainInput {
    /// Reads a sending domain as a person gives it: a domain, a From or MAIL FROM address
    /// (`alice@example.com`, `Alice <alice@example.com>`), which is then the reverse-path too.
    ///
    /// ```
    /// use sendercheck_core::domain::check::DomainInput;
    /// let d = DomainInput::parse("Alice <alice@Mail.Example.COM>").unwrap();
    /// assert_eq!((d.from.as_str(), d.mail_from.as_str()), ("mail.example.com", "alice@mail.example.com"));
    /// assert_eq!(DomainInput::parse("example.com").unwrap().mail_from, "postmaster@example.com");
    /// assert!(DomainInput::parse("not a domain").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<DomainInput, Error> {
        let (local, domain) = split_address(text);
        let from = DomainName::parse(domain)?;
        if let Some(reason) = from.host_name_problem() {
            return Err(Error::NotAHostName {
                name: from.to_string(),
                reason,
            });
        }
        if from.label_count() < 2 {
            return Err(Error::SingleLabel {
                name: from.to_string(),
            });
        }
        let mail_from = match local {
            Some(local) if !local.is_empty() => format!("{local}@{from}"),
            _ => format!("postmaster@{from}"),
        };
        Ok(DomainInput {
            from,
            mail_from,
            ip: None,
            helo: None,
            dkim: Vec::new(),
            fcrdns: None,
            helo_matches: None,
        })
    }

    /// Sets the reverse-path as typed: an address (`alice@example.com`, `<alice@example.com>`),
    /// or `<>` / nothing for a null sender.
    pub fn set_mail_from(&mut self, text: &str) -> Result<(), Error> {
        self.mail_from = match text.trim() {
            "" | "<>" => String::new(),
            m => DomainInput::parse(m)?.mail_from,
        };
        Ok(())
    }

    /// Sets the EHLO name from the EHLO line as typed; a line that names no host is left out
    /// (the HELO identity needs a name).
    pub fn set_helo(&mut self, text: &str) {
        let h = crate::identity::helo::parse_helo(text);
        self.helo = (h.kind != crate::identity::helo::HeloKind::Invalid).then_some(h.name);
    }

    /// Adds a DKIM key to fetch: `selector`, or `selector:domain` for a key of another domain.
    pub fn add_dkim(&mut self, text: &str) -> Result<(), Error> {
        let (selector, domain) = match text.trim().split_once(':') {
            Some((selector, domain)) => (selector, DomainName::parse(domain)?),
            None => (text.trim(), self.from.clone()),
        };
        let query = DkimQuery::new(selector, &domain)?;
        if !self.dkim.contains(&query) {
            self.dkim.push(query);
        }
        Ok(())
    }

    /// The domain SPF authenticates: the MAIL FROM domain, or the HELO name for a null sender.
    pub fn spf_domain(&self) -> Option<DomainName> {
        alignment::spf_domain(&self.mail_from, self.helo.as_deref())
    }
}

/// The local part (when there is an `@`) and the domain of a domain or address as a person
/// gives it: `example.com`, `alice@example.com`, `Alice <alice@example.com>`.
///
/// ```
/// use sendercheck_core::domain::check::split_address;
/// assert_eq!(split_address(" Alice <a@Example.com> "), (Some("a"), "Example.com"));
/// assert_eq!(split_address("example.com"), (None, "example.com"));
/// ```
pub fn split_address(text: &str) -> (Option<&str>, &str) {
    let t = text.trim();
    let address = match (t.rfind('<'), t.rfind('>')) {
        (Some(open), Some(close)) if open < close => &t[open + 1..close],
        _ => t,
    }
    .trim();
    match address.rsplit_once('@') {
        Some((local, domain)) => (Some(local), domain),
        None => (None, address),
    }
}

/// Everything known about a sending domain.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainReport {
    /// What was checked.
    pub input: DomainInput,
    /// SPF of the MAIL FROM identity, when an address was given.
    pub spf: Option<Evaluation>,
    /// SPF of the HELO identity, when an address and an EHLO name were given.
    pub helo_spf: Option<Evaluation>,
    /// DMARC of the From domain.
    pub dmarc: Dmarc,
    /// The DKIM keys.
    pub dkim: Vec<DkimKey>,
    /// Alignment of the SPF domain and the DKIM domains with the From domain.
    pub alignment: Alignment,
    /// Whether the MAIL FROM domain can receive its bounces.
    pub mx: Mx,
    /// The providers' requirements, judged.
    pub requirements: Vec<Judged>,
    /// What to tell the user, most severe first.
    pub findings: Vec<Finding>,
}

impl DomainReport {
    /// `fail` when a finding is an error (SPF fail or permerror, a broken key, a DMARC record
    /// receivers ignore, a requirement every sender must meet), `temperror` when a check could
    /// not be evaluated, else `pass`. A `temperror` becomes `unchecked` when the resolver gave no
    /// DNS answer to a DMARC, DKIM or MX question ([`Outcome::is_unanswered`]): then the failure
    /// is this check's, not the domain's. (The SPF evaluation keeps words, not exchanges, in its
    /// trace, so an SPF `temperror` alone stays `temperror`.)
    ///
    /// [`Outcome::is_unanswered`]: crate::dns::Outcome::is_unanswered
    pub fn verdict(&self) -> Verdict {
        let error = self.findings.iter().any(|f| f.severity == Severity::Error);
        let temporary = self.spf.iter().any(|e| e.result == SpfResult::TempError)
            || self.dmarc.result == dmarc::DmarcResult::TempError
            || self
                .dkim
                .iter()
                .any(|k| k.result == dkim::DkimResult::TempError);
        let unanswered = || self.exchanges().iter().any(|e| e.result.is_err());
        match (error, temporary) {
            (true, _) => Verdict::Fail,
            (false, true) if unanswered() => Verdict::Unchecked,
            (false, true) => Verdict::TempError,
            (false, false) => Verdict::Pass,
        }
    }

    /// Judges the providers' requirements again with the identity check's results (FCrDNS passed,
    /// the EHLO name matched), for a domain check that ran beside the identity check.
    pub fn judge_identity(&mut self, fcrdns: Option<bool>, helo_matches: Option<bool>) {
        self.input.fcrdns = fcrdns;
        self.input.helo_matches = helo_matches;
        let mut results = self.results();
        results.fcrdns = fcrdns;
        results.helo = helo_matches;
        self.requirements = requirements::evaluate(&results);
        let mut findings: Vec<Finding> = self
            .findings
            .drain(..)
            .filter(|f| f.check != crate::finding::Area::Requirements)
            .collect();
        findings.extend(requirements::findings(&self.requirements));
        self.findings = most_severe_first(findings);
    }

    /// [`DomainReport::judge_identity`] with an identity check's report: FCrDNS is met when iprev
    /// passed, the EHLO name when it matched; a temporary error leaves either unknown.
    pub fn judge_report(&mut self, report: &crate::Report) {
        use crate::identity::{helo::HeloResult, iprev::IprevResult};
        let fcrdns = match report.iprev.result {
            IprevResult::Pass => Some(true),
            IprevResult::TempError => None,
            _ => Some(false),
        };
        let helo = report.helo.as_ref().and_then(|h| match h.result {
            HeloResult::Pass => Some(true),
            HeloResult::TempError => None,
            HeloResult::Fail => Some(false),
        });
        self.judge_identity(fcrdns, helo);
    }

    fn results(&self) -> Results {
        Results {
            fcrdns: self.input.fcrdns,
            helo: self.input.helo_matches,
            spf: self.spf.as_ref().and_then(|e| match e.result {
                SpfResult::Pass => Some(true),
                SpfResult::TempError => None,
                _ => Some(false),
            }),
            dkim: dkim::any_usable(&self.dkim),
            dkim_key_length: dkim::key_lengths_ok(&self.dkim),
            dmarc: self.dmarc.meets_requirements(),
            alignment: self.alignment.aligned(),
            mx: self.mx.can_receive(),
            exists: self.mx.exists,
        }
    }

    /// Every DNS exchange behind the report, each question once (the SPF evaluations' exchanges
    /// are in their traces).
    pub fn exchanges(&self) -> Vec<&Exchange> {
        let mut lookups: Vec<&Lookup> = self.dmarc.lookups();
        lookups.extend(self.mx.lookups());
        lookups.extend(self.dkim.iter().map(|k| &k.lookup));
        let mut out: Vec<&Exchange> = Vec::new();
        for e in lookups.into_iter().flat_map(|l| l.exchanges.iter()) {
            if !out.iter().any(|o| o.question == e.question) {
                out.push(e);
            }
        }
        out
    }
}

/// Checks the sending domain: every check at once through one answer cache.
pub async fn check_domain<R: Resolver>(resolver: &R, input: &DomainInput) -> DomainReport {
    let resolver = &Cached::new(resolver);
    let helo = input.helo.as_deref().unwrap_or_default();
    let spf_domain = input.spf_domain();
    let mail_from_domain = spf_domain.clone().unwrap_or_else(|| input.from.clone());
    let identifiers: Vec<DomainName> = spf_domain
        .iter()
        .cloned()
        .chain(input.dkim.iter().map(|q| q.domain.clone()))
        .collect();
    let spf_mail_from: OptionFuture<_> = input
        .ip
        .map(|ip| spf::spf_mail_from(resolver, ip, &input.mail_from, helo))
        .into();
    let spf_helo: OptionFuture<_> = input
        .ip
        .filter(|_| !helo.is_empty())
        .map(|ip| spf::spf_helo(resolver, ip, helo))
        .into();
    let ((spf, helo_spf), (dmarc, mx, keys, walks)) = join(
        join(spf_mail_from, spf_helo),
        join4(
            dmarc::check_dmarc(resolver, &input.from),
            mx::check_mx(resolver, &mail_from_domain),
            dkim::check_selectors(resolver, &input.dkim),
            alignment::org_domains(resolver, &identifiers),
        ),
    )
    .await;
    let (aspf, adkim) = dmarc.modes();
    let from_org = OrgDomain::from_walk(dmarc.walk.clone());
    let (spf_org, dkim_orgs) = match spf_domain {
        Some(_) => (walks.first(), walks.get(1..).unwrap_or_default()),
        None => (None, walks.as_slice()),
    };
    // An SPF domain counts for alignment only when SPF passes (RFC 9989 §4.4).
    let spf_passed = spf.as_ref().is_none_or(|e| e.result == SpfResult::Pass);
    let alignment = alignment::align(
        &from_org,
        spf_org.filter(|_| spf_passed),
        dkim_orgs,
        aspf,
        adkim,
    );
    let mut findings = Vec::new();
    for e in spf.iter().chain(&helo_spf) {
        findings.extend(spf::advice::findings(e));
    }
    findings.extend(dmarc::findings(&dmarc));
    findings.extend(dkim::findings(&keys));
    findings.extend(alignment::findings(&alignment));
    findings.extend(mx::findings(&mx));
    let mut report = DomainReport {
        input: input.clone(),
        spf,
        helo_spf,
        dmarc,
        dkim: keys,
        alignment,
        mx,
        requirements: Vec::new(),
        findings,
    };
    report.judge_identity(input.fcrdns, input.helo_matches);
    report
}

/// The `domain` object of the JSON (`sendercheck domain --json`, and `ip --domain`).
#[derive(Serialize)]
pub(crate) struct DomainJson<'a> {
    name: &'a DomainName,
    mail_from: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    spf: Option<&'a Evaluation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    helo_spf: Option<&'a Evaluation>,
    dmarc: &'a Dmarc,
    dkim: &'a [DkimKey],
    alignment: &'a Alignment,
    mx: &'a Mx,
}

impl<'a> DomainJson<'a> {
    pub(crate) fn new(r: &'a DomainReport) -> Self {
        DomainJson {
            name: &r.input.from,
            mail_from: &r.input.mail_from,
            spf: r.spf.as_ref(),
            helo_spf: r.helo_spf.as_ref(),
            dmarc: &r.dmarc,
            dkim: &r.dkim,
            alignment: &r.alignment,
            mx: &r.mx,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{RData, Rcode, RecordType};
    use crate::testing::{a, rec, FixedResolver, RoundTrips};

    fn txt(name: &str, text: &str) -> crate::dns::Record {
        rec(name, RecordType::Txt, RData::Txt(vec![text.into()]))
    }

    fn zone() -> FixedResolver {
        FixedResolver::new()
            .answer(
                "example.com",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt("example.com", "v=spf1 include:_spf.example.net -all")],
            )
            .answer(
                "_spf.example.net",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all")],
            )
            .answer(
                "_dmarc.example.com",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt(
                    "_dmarc.example.com",
                    "v=DMARC1; p=reject; rua=mailto:d@example.com",
                )],
            )
            .answer(
                "example.com",
                RecordType::Mx,
                Rcode::NoError,
                vec![rec(
                    "example.com",
                    RecordType::Mx,
                    RData::Mx {
                        preference: 10,
                        exchange: "mx.example.com".into(),
                    },
                )],
            )
            .answer(
                "example.com",
                RecordType::A,
                Rcode::NoError,
                vec![a("example.com", "192.0.2.80")],
            )
    }

    fn input(text: &str, ip: &str) -> DomainInput {
        let mut d = DomainInput::parse(text).unwrap();
        d.ip = Some(ip.parse().unwrap());
        d.helo = Some("mail.example.com".into());
        d
    }

    #[test]
    fn a_domain_that_authorises_its_server_passes_spf_and_dmarc() {
        let r = futures::executor::block_on(check_domain(
            &zone(),
            &input("alice@example.com", "192.0.2.10"),
        ));
        assert_eq!(r.spf.as_ref().unwrap().result, SpfResult::Pass);
        assert_eq!(r.dmarc.result, dmarc::DmarcResult::Pass);
        assert_eq!(r.alignment.spf, Some(true));
        assert!(r.findings.iter().any(|f| f.id == "spf-pass"));
        let r = futures::executor::block_on(check_domain(
            &zone(),
            &input("alice@example.com", "198.51.100.1"),
        ));
        assert_eq!(r.spf.as_ref().unwrap().result, SpfResult::Fail);
        assert_eq!(r.verdict(), Verdict::Fail);
        // A failing SPF domain does not count for alignment.
        assert_eq!(r.alignment.spf, None);
    }

    /// A resolver that answers every question with `rcode`, or not at all.
    struct Every(Result<Rcode, crate::dns::ResolveError>);

    impl Resolver for Every {
        async fn query(
            &self,
            _: &crate::dns::Question,
        ) -> Result<crate::dns::Answer, crate::dns::ResolveError> {
            self.0
                .clone()
                .map(|rcode| crate::dns::Answer::new(rcode, vec![]))
        }
    }

    #[test]
    fn a_resolver_that_gives_no_answer_leaves_the_domain_unchecked() {
        let d = input("alice@example.com", "192.0.2.10");
        let down = Every(Err(crate::dns::ResolveError::Http { status: 500 }));
        let r = futures::executor::block_on(check_domain(&down, &d));
        assert_eq!(r.dmarc.result, dmarc::DmarcResult::TempError);
        assert_eq!(r.verdict(), Verdict::Unchecked);
        let servfail = Every(Ok(Rcode::ServFail));
        let r = futures::executor::block_on(check_domain(&servfail, &d));
        assert_eq!(r.dmarc.result, dmarc::DmarcResult::TempError);
        assert_eq!(r.verdict(), Verdict::TempError);
    }

    /// SPF's include chain is the longest chain of dependent questions; everything else goes in
    /// the first round.
    #[test]
    fn rounds_follow_the_include_depth() {
        let rt = RoundTrips::new(zone());
        let d = input("alice@example.com", "192.0.2.10");
        let (r, rounds) = rt.run(check_domain(&rt, &d));
        assert_eq!(r.spf.as_ref().unwrap().result, SpfResult::Pass);
        assert_eq!(rounds, 2);
    }
}
