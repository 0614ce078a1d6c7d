//! `check_host()` (RFC 7208 §4): initial processing (§4.3), record lookup (§4.4) and selection
//! (§4.5), term evaluation in order (§4.6), `redirect=` (§6.1), the default result (§4.7), the
//! lookup limits (§4.6.4) and the explanation (§6.2). The mechanisms are in `mechanisms.rs`, the
//! early lookups and the worst-case walk in `prefetch.rs`.

use std::cell::Cell;
use std::future::Future;
use std::net::IpAddr;
use std::pin::{pin, Pin};

use futures::future::{join3, select, Either};

use super::macros::{target_name, Context, Env, MacroString};
use super::record::{self, Modifier, Record, Selection, TermKind};
use super::trace::{TermOutcome, TermTrace, Trace};
use super::{Evaluation, Request, SpfResult, MAX_LOOKUPS, MAX_VOID_LOOKUPS};
use crate::dns::{canonical, lookup, DomainName, Lookup, Outcome, RData, RecordType, Resolver};

/// One check in progress: its inputs and its counters.
pub(crate) struct Run<'a, D> {
    pub dns: &'a D,
    pub ip: IpAddr,
    pub sender: String,
    pub local: String,
    pub sender_domain: String,
    pub helo: String,
    pub receiver: String,
    pub timestamp: u64,
    pub lookups: Cell<usize>,
    pub voids: Cell<usize>,
}

/// What evaluating one term did.
pub(crate) enum Step {
    /// Matched: why, and the terms below it that decided (for `include:`).
    Match(String, Vec<String>),
    /// Did not match: why.
    NoMatch(String),
    /// Stopped the check: the result, why, and the terms below it that decided.
    Error(SpfResult, String, Vec<String>),
}

impl Step {
    pub fn error(result: SpfResult, why: impl Into<String>) -> Self {
        Step::Error(result, why.into(), Vec::new())
    }
}

/// What one `check_host()` call found.
pub(crate) struct Level {
    pub result: SpfResult,
    pub trace: Trace,
    /// The `exp=` that explains a `fail` from this call: its domain-spec and its record's domain.
    pub exp: Option<(MacroString, DomainName)>,
    /// The terms that decided, outermost first.
    pub decided: Vec<String>,
    pub problem: Option<String>,
    /// The TXT lookup was void (NXDOMAIN or no TXT records).
    pub void: bool,
}

impl Level {
    fn ended(mut trace: Trace, result: SpfResult, problem: String, void: bool) -> Self {
        trace.result = result;
        trace.problem = Some(problem.clone());
        Level {
            result,
            trace,
            exp: None,
            decided: Vec::new(),
            problem: Some(problem),
            void,
        }
    }
}

/// A DNS answer as the mechanisms see it (§5).
pub(crate) enum Dns<'l> {
    Records(&'l [RData]),
    /// NXDOMAIN or NOERROR with no answer: a void lookup (§4.6.4).
    Void(String),
    /// Any other failure: `temperror` where §5 says so.
    Error(String),
}

pub(crate) fn classify(l: &Lookup) -> Dns<'_> {
    let rtype = l.question.rtype;
    match &l.outcome {
        Outcome::Found(data) => Dns::Records(data),
        o @ (Outcome::NxDomain | Outcome::NoData) => Dns::Void(o.describe(rtype)),
        o => Dns::Error(o.describe(rtype)),
    }
}

/// §4.3: the `<domain>` of a check must be a fully qualified domain name; otherwise `none`.
fn identity_domain(text: &str) -> Result<DomainName, String> {
    let name = DomainName::parse(text).map_err(|e| e.to_string())?;
    if name.label_count() < 2 {
        return Err(format!(
            "`{name}` is a single label, not a fully qualified domain name"
        ));
    }
    if name
        .labels()
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("`{name}` is an address, not a domain name"));
    }
    Ok(name)
}

/// Runs the whole check: the evaluation, the worst-case walk and the SPF-type query, together.
pub(crate) async fn run<D: Resolver>(dns: &D, request: &Request<'_>) -> Evaluation {
    let ip = canonical(request.ip);
    let (local, sender_domain) = match request.sender.rsplit_once('@') {
        Some((l, d)) => (l, d),
        None => ("", request.sender),
    };
    let local = if local.is_empty() {
        "postmaster"
    } else {
        local
    };
    let run = Run {
        dns,
        ip,
        sender: format!("{local}@{sender_domain}"),
        local: local.to_string(),
        sender_domain: sender_domain.to_string(),
        helo: request.helo.to_string(),
        receiver: request.receiver.to_string(),
        timestamp: request.timestamp,
        lookups: Cell::new(0),
        voids: Cell::new(0),
    };
    let mut evaluation = Evaluation {
        identity: request.identity,
        ip,
        domain: request.domain.to_string(),
        sender: run.sender.clone(),
        result: SpfResult::None,
        record: None,
        decided_by: None,
        lookups: 0,
        void_lookups: 0,
        explanation: None,
        problem: None,
        trace: Trace::new(request.domain),
        cost: Default::default(),
        spf_type_records: Vec::new(),
    };
    let domain = match identity_domain(request.domain) {
        Ok(d) => d,
        Err(why) => {
            let problem = format!("{why}, so there is nothing to check (RFC 7208 §4.3)");
            evaluation.trace.problem = Some(problem.clone());
            evaluation.problem = Some(problem);
            return evaluation;
        }
    };
    let (level, cost, spf_type) = join3(
        run.level(domain.clone()),
        run.cost(&domain),
        lookup(dns, domain.clone(), RecordType::Spf),
    )
    .await;
    if let Outcome::Found(data) = &spf_type.outcome {
        evaluation.spf_type_records = data.iter().filter_map(RData::txt).collect();
    }
    if level.result == SpfResult::Fail {
        if let Some((spec, at)) = &level.exp {
            evaluation.explanation = run.explain(spec, at).await;
        }
    }
    evaluation.result = level.result;
    evaluation.record = level.trace.record.clone();
    evaluation.decided_by = (!level.decided.is_empty()).then(|| level.decided.join(" → "));
    evaluation.lookups = run.lookups.get();
    evaluation.void_lookups = run.voids.get();
    evaluation.problem = level.problem;
    evaluation.trace = level.trace;
    evaluation.cost = cost;
    evaluation
}

impl<D: Resolver> Run<'_, D> {
    /// The macro values with `domain` as `%{d}`.
    pub fn env<'e>(&'e self, domain: &'e str, ptr: Option<&'e str>) -> Env<'e> {
        Env {
            sender: &self.sender,
            local: &self.local,
            sender_domain: &self.sender_domain,
            domain,
            ip: self.ip,
            helo: &self.helo,
            ptr,
            receiver: &self.receiver,
            timestamp: self.timestamp,
        }
    }

    pub async fn ask(&self, name: DomainName, rtype: RecordType) -> Lookup {
        lookup(self.dns, name, rtype).await
    }

    /// One `check_host()` call for `domain` (boxed: `include:` and `redirect=` recurse).
    pub fn level(&self, domain: DomainName) -> Pin<Box<dyn Future<Output = Level> + '_>> {
        Box::pin(self.check_level(domain))
    }

    async fn check_level(&self, domain: DomainName) -> Level {
        let mut trace = Trace::new(domain.as_str());
        // §4.4: TXT only; a server failure or timeout is temperror, NXDOMAIN is none (§4.3).
        let l = self.ask(domain.clone(), RecordType::Txt).await;
        let data = match classify(&l) {
            Dns::Records(data) => data,
            Dns::Void(why) => {
                trace.lookup = why.clone();
                let problem = format!("{domain} has no SPF record: {why}");
                return Level::ended(trace, SpfResult::None, problem, true);
            }
            Dns::Error(why) => {
                trace.lookup = why.clone();
                let problem = format!("the TXT lookup for {domain} failed: {why} (RFC 7208 §4.4)");
                return Level::ended(trace, SpfResult::TempError, problem, false);
            }
        };
        trace.txt = data.to_vec();
        trace.lookup = match data.len() {
            1 => "1 TXT record".into(),
            n => format!("{n} TXT records"),
        };
        let text = match record::select(data) {
            Selection::One(text) => text,
            Selection::None => {
                let problem = format!(
                    "{domain} has no SPF record: none of its TXT records starts with `v=spf1`"
                );
                return Level::ended(trace, SpfResult::None, problem, false);
            }
            Selection::Many(n) => {
                let problem = format!(
                    "{domain} publishes {n} SPF records; there must be exactly one (RFC 7208 §4.5)"
                );
                return Level::ended(trace, SpfResult::PermError, problem, false);
            }
        };
        trace.record = Some(text.clone());
        let record = match record::parse(&text) {
            Ok(r) => r,
            Err(e) => {
                let problem = format!("{domain}'s record has a syntax error: {e}");
                let mut level = Level::ended(trace, SpfResult::PermError, problem, false);
                level.decided = vec![e.term];
                return level;
            }
        };
        trace.terms = record.terms.iter().map(initial_trace).collect();
        // Evaluate in order while the lookups the record will need go out together.
        let budget = Cell::new(MAX_LOOKUPS.saturating_sub(self.lookups.get()));
        let mut level = {
            let evaluation = pin!(self.evaluate(&record, &domain, &mut trace.terms));
            let warm = pin!(self.warm(&record, &domain, &budget));
            match select(evaluation, warm).await {
                Either::Left((level, _)) => level,
                Either::Right(((), evaluation)) => evaluation.await,
            }
        };
        trace.result = level.result;
        trace.problem.clone_from(&level.problem);
        level.trace = trace;
        level
    }

    /// §4.6 and §4.7: the mechanisms left to right, then `redirect=`, else `neutral`.
    async fn evaluate(
        &self,
        record: &Record,
        domain: &DomainName,
        terms: &mut [TermTrace],
    ) -> Level {
        let mut level = Level {
            result: SpfResult::Neutral,
            trace: Trace::new(domain.as_str()),
            exp: None,
            decided: Vec::new(),
            problem: None,
            void: false,
        };
        for (term, t) in record.terms.iter().zip(terms.iter_mut()) {
            let TermKind::Mechanism(qualifier, mechanism) = &term.kind else {
                continue;
            };
            match self.mechanism(mechanism, domain, t).await {
                Step::Match(why, below) => {
                    t.outcome = TermOutcome::Match;
                    t.why = why;
                    level.result = qualifier.result();
                    level.decided = std::iter::once(term.text.clone()).chain(below).collect();
                    if level.result == SpfResult::Fail {
                        level.exp = record.exp().map(|e| (e.clone(), domain.clone()));
                    }
                    return level;
                }
                Step::NoMatch(why) => {
                    t.outcome = TermOutcome::NoMatch;
                    t.why = why;
                }
                Step::Error(result, why, below) => {
                    return self.stop(level, t, &term.text, result, why, below);
                }
            }
        }
        let redirect = record
            .terms
            .iter()
            .zip(terms.iter_mut())
            .find_map(|(term, t)| match &term.kind {
                TermKind::Modifier(Modifier::Redirect(spec)) => Some((term, spec, t)),
                _ => None,
            });
        match redirect {
            Some((_, _, t)) if record.has_all() => {
                t.outcome = TermOutcome::Ignored;
                t.why = "ignored: the record has an `all` mechanism (RFC 7208 §6.1)".into();
            }
            Some((term, spec, t)) => {
                return match self.redirect(spec, domain, t).await {
                    Ok(child) => {
                        t.outcome = TermOutcome::Followed;
                        level.result = child.result;
                        level.exp = child.exp;
                        level.problem = child
                            .problem
                            .filter(|_| {
                                matches!(child.result, SpfResult::PermError | SpfResult::TempError)
                            })
                            .map(|p| format!("`{}`: {p}", term.text));
                        level.decided = std::iter::once(term.text.clone())
                            .chain(child.decided)
                            .collect();
                        level
                    }
                    Err(Step::Error(result, why, below)) => {
                        self.stop(level, t, &term.text, result, why, below)
                    }
                    Err(_) => level,
                };
            }
            None => {}
        }
        level
    }

    /// The check stops at term `text` with `result`.
    fn stop(
        &self,
        mut level: Level,
        t: &mut TermTrace,
        text: &str,
        result: SpfResult,
        why: String,
        below: Vec<String>,
    ) -> Level {
        t.outcome = TermOutcome::Error;
        level.problem = Some(format!("`{text}`: {why}"));
        t.why = why;
        level.result = result;
        level.decided = std::iter::once(text.to_string()).chain(below).collect();
        level
    }

    /// §6.1: `redirect=` replaces this call's result with the target's (`none` becomes
    /// `permerror`).
    async fn redirect(
        &self,
        spec: &MacroString,
        domain: &DomainName,
        t: &mut TermTrace,
    ) -> Result<Level, Step> {
        self.count_lookup(t)?;
        let target = self.target(Some(spec), domain, t).await?.map_err(|why| {
            Step::error(
                SpfResult::PermError,
                format!("{why}; a redirect to it is a permerror (RFC 7208 §6.1)"),
            )
        })?;
        let mut child = self.level(target.clone()).await;
        t.child = Some(Box::new(std::mem::replace(
            &mut child.trace,
            Trace::new(""),
        )));
        if child.void {
            self.count_void(t)?;
        }
        if child.result == SpfResult::None {
            return Err(Step::error(
                SpfResult::PermError,
                format!("{target} has no SPF record; a redirect to a domain without one is a permerror (RFC 7208 §6.1)"),
            ));
        }
        child.problem = child.problem.map(|p| format!("in {target}'s record: {p}"));
        t.why = format!(
            "no mechanism matched, so {target}'s result is the result: {}",
            child.result.as_str()
        );
        Ok(child)
    }

    /// Counts a DNS-querying term (§4.6.4): the 11th is a `permerror`.
    pub fn count_lookup(&self, t: &mut TermTrace) -> Result<(), Step> {
        let n = self.lookups.get() + 1;
        self.lookups.set(n);
        t.lookup = Some(n);
        if n > MAX_LOOKUPS {
            return Err(Step::error(
                SpfResult::PermError,
                format!("it is DNS-querying term number {n} of the check; RFC 7208 §4.6.4 allows {MAX_LOOKUPS}"),
            ));
        }
        Ok(())
    }

    /// Counts a void lookup (§4.6.4): the 3rd is a `permerror`.
    pub fn count_void(&self, t: &mut TermTrace) -> Result<(), Step> {
        let n = self.voids.get() + 1;
        self.voids.set(n);
        t.void = Some(n);
        if n > MAX_VOID_LOOKUPS {
            return Err(Step::error(
                SpfResult::PermError,
                format!("its lookup is void lookup number {n} of the check (NXDOMAIN or no answer); RFC 7208 §4.6.4 allows {MAX_VOID_LOOKUPS}"),
            ));
        }
        Ok(())
    }

    /// §4.8: the `<target-name>` of a term: its expanded domain-spec, or the current domain.
    /// `Err` stops the check (the `%{p}` lookup over the limit); `Ok(Err)` is a target that
    /// cannot be a DNS name.
    pub async fn target(
        &self,
        spec: Option<&MacroString>,
        domain: &DomainName,
        t: &mut TermTrace,
    ) -> Result<Result<DomainName, String>, Step> {
        let Some(spec) = spec else {
            return Ok(Ok(domain.clone()));
        };
        let ptr = if spec.needs_ptr() {
            let n = self.lookups.get() + 1;
            self.lookups.set(n);
            if n > MAX_LOOKUPS {
                return Err(Step::error(
                    SpfResult::PermError,
                    format!("expanding `%{{p}}` is DNS lookup number {n} of the check; RFC 7208 §4.6.4 allows {MAX_LOOKUPS}"),
                ));
            }
            Some(self.validated_name(domain).await)
        } else {
            None
        };
        let expanded = spec.expand(&self.env(domain.as_str(), ptr.as_deref()));
        let name = target_name(&expanded);
        t.target = Some(match &name {
            Ok(n) => n.to_string(),
            Err(_) => expanded,
        });
        Ok(name)
    }

    /// §6.2: the explanation for a `fail`: the TXT record at the expanded `exp=` target, itself
    /// macro-expanded. Any problem (DNS, no or several records, bad syntax, non-ASCII) means no
    /// explanation. Nothing here counts against the limits.
    pub async fn explain(&self, spec: &MacroString, domain: &DomainName) -> Option<String> {
        let ptr = if spec.needs_ptr() {
            Some(self.validated_name(domain).await)
        } else {
            None
        };
        let target = target_name(&spec.expand(&self.env(domain.as_str(), ptr.as_deref()))).ok()?;
        let l = self.ask(target, RecordType::Txt).await;
        let Outcome::Found(data) = &l.outcome else {
            return None;
        };
        let [only] = data.as_slice() else {
            return None;
        };
        let text = only.txt()?;
        if !text.is_ascii() {
            return None;
        }
        let explain = MacroString::parse(&text, Context::Explanation).ok()?;
        let ptr = if explain.needs_ptr() {
            Some(self.validated_name(domain).await)
        } else {
            None
        };
        Some(explain.expand(&self.env(domain.as_str(), ptr.as_deref())))
    }
}

/// A term's trace before evaluation.
fn initial_trace(term: &record::Term) -> TermTrace {
    let (outcome, why) = match &term.kind {
        TermKind::Mechanism(..) => (TermOutcome::NotReached, "a term before it decided"),
        TermKind::Modifier(Modifier::Redirect(_)) => (
            TermOutcome::NotReached,
            "used only when no mechanism matches (RFC 7208 §6.1)",
        ),
        TermKind::Modifier(Modifier::Exp(_)) => (
            TermOutcome::Ignored,
            "gives the explanation of a fail (RFC 7208 §6.2)",
        ),
        TermKind::Modifier(Modifier::Unknown(_)) => (
            TermOutcome::Ignored,
            "unknown modifier, ignored (RFC 7208 §6)",
        ),
    };
    TermTrace::new(&term.text, outcome, why)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spf::check_host;
    use crate::testing::{txt, FixedResolver};
    use futures::executor::block_on;

    #[test]
    fn identities_that_are_no_domain() {
        assert!(identity_domain("mail.example.com.").is_ok());
        for bad in [
            "",
            "localhost",
            "[192.0.2.1]",
            "192.0.2.1",
            "a..b.example",
            "mail example.com",
        ] {
            assert!(identity_domain(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn terms_after_the_decision_are_not_reached() {
        let r = FixedResolver::new()
            .answer(
                "example.com",
                RecordType::Txt,
                crate::dns::Rcode::NoError,
                vec![txt("example.com", &["v=spf1 ip4:192.0.2.0/24 a:never.example -all exp=why.example foo=bar redirect=other.example"])],
            );
        let e = block_on(check_host(
            &r,
            "192.0.2.7".parse().unwrap(),
            "example.com",
            "a@example.com",
            "h.example",
        ));
        assert_eq!(e.result, SpfResult::Pass);
        let outcomes: Vec<&str> = e.trace.terms.iter().map(|t| t.outcome.as_str()).collect();
        assert_eq!(
            outcomes,
            [
                "match",
                "not-reached",
                "not-reached",
                "ignored",
                "ignored",
                "not-reached"
            ]
        );
        assert_eq!(e.trace.terms[0].why, "192.0.2.7 is in 192.0.2.0/24");
        assert_eq!(e.lookups, 0);
    }

    #[test]
    fn a_redirect_names_where_the_problem_is() {
        let r = FixedResolver::new()
            .answer(
                "example.com",
                RecordType::Txt,
                crate::dns::Rcode::NoError,
                vec![txt("example.com", &["v=spf1 redirect=_spf.example.com"])],
            )
            .answer(
                "_spf.example.com",
                RecordType::Txt,
                crate::dns::Rcode::NoError,
                vec![txt("_spf.example.com", &["v=spf1 ip4:192.0.2.300 -all"])],
            );
        let e = block_on(check_host(
            &r,
            "192.0.2.7".parse().unwrap(),
            "example.com",
            "a@example.com",
            "h.example",
        ));
        assert_eq!(e.result, SpfResult::PermError);
        assert_eq!(
            e.decided_by.as_deref(),
            Some("redirect=_spf.example.com → ip4:192.0.2.300")
        );
        assert_eq!(
            e.problem.as_deref(),
            Some("`redirect=_spf.example.com`: in _spf.example.com's record: _spf.example.com's record has a syntax error: `ip4:192.0.2.300`: `192.0.2.300` is not an IPv4 address written in full, such as 192.0.2.0 (RFC 7208 §5.6)")
        );
        assert_eq!(e.trace.terms[0].outcome, TermOutcome::Followed);
        assert_eq!(e.trace.depth(), 1);
    }
}
