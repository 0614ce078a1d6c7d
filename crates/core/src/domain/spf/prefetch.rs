//! Lookups asked before evaluation reaches them, and the worst-case walk of a record tree.
//!
//! [`Run::warm`] asks, together, every lookup a record's terms will need whose domain-spec needs
//! no DNS to expand, and warms the records those answers hold in turn. It only fills the per-check
//! cache: nothing is counted here, and evaluation still asks (and counts) in the RFC's order. Its
//! budget is the lookups the check may still make (§4.6.4), so it never asks for more terms than
//! evaluation could reach.
//!
//! [`Run::cost`] walks the whole tree the way an address that matches nothing would be evaluated
//! and counts the DNS-querying terms, to say how close the record is to the limit for every
//! sender, not just the address checked. It fetches at most [`MAX_WALKED`] records and goes at most
//! [`MAX_DEPTH`] levels deep.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use futures::future::join_all;

use super::eval::Run;
use super::macros::{target_name, MacroString};
use super::mechanisms::{mx_hosts, mx_name, within};
use super::record::{self, Mechanism, Modifier, Record, Selection, TermKind};
use super::trace::{Cost, TermCost};
use super::MAX_NAMES;
use crate::dns::{forward_type, DomainName, Outcome, RecordType, Resolver};

/// Records the worst-case walk fetches at most.
pub const MAX_WALKED: usize = 40;
/// Include levels the worst-case walk follows at most (more than 10 already exceeds the limit).
pub const MAX_DEPTH: usize = 11;

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What a term needs from the DNS.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Address,
    ExistsA,
    Mx,
    Ptr,
    Record,
}

/// The DNS-querying terms of `record` that evaluation can reach, with their domain-spec and need:
/// none after `all`, and no `redirect=` beside an `all` (§6.1).
fn dns_terms(record: &Record) -> Vec<(&record::Term, Option<&MacroString>, Need)> {
    let mut out = Vec::new();
    let has_all = record.has_all();
    for term in &record.terms {
        let (spec, need) = match &term.kind {
            TermKind::Mechanism(_, Mechanism::All) => break,
            TermKind::Mechanism(_, m @ Mechanism::A(..)) => (m.domain_spec(), Need::Address),
            TermKind::Mechanism(_, m @ Mechanism::Mx(..)) => (m.domain_spec(), Need::Mx),
            TermKind::Mechanism(_, m @ Mechanism::Ptr(_)) => (m.domain_spec(), Need::Ptr),
            TermKind::Mechanism(_, m @ Mechanism::Exists(_)) => (m.domain_spec(), Need::ExistsA),
            TermKind::Mechanism(_, m @ Mechanism::Include(_)) => (m.domain_spec(), Need::Record),
            TermKind::Modifier(Modifier::Redirect(spec)) if !has_all => (Some(spec), Need::Record),
            _ => continue,
        };
        out.push((term, spec, need));
    }
    out
}

impl<D: Resolver> Run<'_, D> {
    /// The target of a domain-spec when expanding it needs no DNS; `None` otherwise.
    fn quiet_target(&self, spec: Option<&MacroString>, domain: &DomainName) -> Option<DomainName> {
        match spec {
            None => Some(domain.clone()),
            Some(s) if s.needs_ptr() => None,
            Some(s) => target_name(&s.expand(&self.env(domain.as_str(), None))).ok(),
        }
    }

    /// The one parseable SPF record at `name`, from the cache or the DNS.
    async fn fetch_record(&self, name: DomainName) -> Option<Record> {
        let l = self.ask(name, RecordType::Txt).await;
        let Outcome::Found(data) = &l.outcome else {
            return None;
        };
        match record::select(data) {
            Selection::One(text) => record::parse(&text).ok(),
            _ => None,
        }
    }

    /// Asks the lookups `record`'s terms will need, together, within `budget` terms.
    pub fn warm<'a>(
        &'a self,
        record: &'a Record,
        domain: &'a DomainName,
        budget: &'a Cell<usize>,
    ) -> Boxed<'a, ()> {
        Box::pin(async move {
            let mut asks: Vec<Boxed<'a, ()>> = Vec::new();
            for (_, spec, need) in dns_terms(record) {
                if budget.get() == 0 {
                    break;
                }
                budget.set(budget.get() - 1);
                let Some(target) = self.quiet_target(spec, domain) else {
                    continue;
                };
                let rtype = forward_type(self.ip);
                asks.push(match need {
                    Need::Address => Box::pin(async move {
                        self.ask(target, rtype).await;
                    }),
                    Need::ExistsA => Box::pin(async move {
                        self.ask(target, RecordType::A).await;
                    }),
                    Need::Mx => Box::pin(async move {
                        let l = self.ask(target, RecordType::Mx).await;
                        if let Outcome::Found(data) = &l.outcome {
                            let hosts = mx_hosts(data);
                            if hosts.len() <= MAX_NAMES {
                                let names = hosts.iter().filter_map(|h| mx_name(h));
                                join_all(names.map(|n| self.ask(n, rtype))).await;
                            }
                        }
                    }),
                    Need::Ptr => Box::pin(async move {
                        if let Ok(names) = self.ptr_names().await {
                            let mine: Vec<DomainName> =
                                names.into_iter().filter(|n| within(n, &target)).collect();
                            self.validate(&mine).await;
                        }
                    }),
                    Need::Record => Box::pin(async move {
                        if let Some(child) = self.fetch_record(target.clone()).await {
                            self.warm(&child, &target, budget).await;
                        }
                    }),
                });
            }
            join_all(asks).await;
        })
    }

    /// The worst case of the record at `domain` (see the module docs).
    pub async fn cost(&self, domain: &DomainName) -> Cost {
        let walked = Cell::new(1);
        let Some(record) = self.fetch_record(domain.clone()).await else {
            return Cost {
                complete: true,
                levels: 1,
                ..Cost::default()
            };
        };
        let walk = self.walk(&record, domain, 0, &walked).await;
        Cost {
            lookups: walk.lookups,
            complete: walk.complete,
            terms: walk.terms,
            missing: walk.missing,
            levels: walk.levels,
        }
    }

    fn walk<'a>(
        &'a self,
        record: &'a Record,
        domain: &'a DomainName,
        depth: usize,
        walked: &'a Cell<usize>,
    ) -> Boxed<'a, Walk> {
        Box::pin(async move {
            let parts = join_all(dns_terms(record).into_iter().map(|(term, spec, need)| {
                let step: Boxed<'a, Walk> = Box::pin(async move {
                    let own = 1 + usize::from(spec.is_some_and(|s| s.needs_ptr()));
                    let mut walk = Walk::single(&term.text, own);
                    if need != Need::Record {
                        return walk;
                    }
                    let Some(target) = self.quiet_target(spec, domain) else {
                        walk.complete = false;
                        return walk;
                    };
                    if depth + 1 >= MAX_DEPTH || walked.get() >= MAX_WALKED {
                        walk.complete = false;
                        return walk;
                    }
                    walked.set(walked.get() + 1);
                    match self.fetch_record(target.clone()).await {
                        Some(child) => {
                            let below = self.walk(&child, &target, depth + 1, walked).await;
                            walk.lookups += below.lookups;
                            walk.complete &= below.complete;
                            walk.missing = below.missing;
                            walk.levels = below.levels;
                        }
                        None => {
                            walk.missing.push(term.text.clone());
                            walk.levels = 1;
                        }
                    }
                    walk.terms[0].lookups = walk.lookups;
                    walk
                });
                step
            }))
            .await;
            let mut total = Walk {
                lookups: 0,
                complete: true,
                terms: Vec::new(),
                missing: Vec::new(),
                levels: 1,
            };
            for part in parts {
                total.levels = total.levels.max(1 + part.levels);
                total.lookups += part.lookups;
                total.complete &= part.complete;
                total.terms.extend(part.terms);
                total.missing.extend(part.missing);
            }
            total
        })
    }
}

/// A part of the worst-case walk.
struct Walk {
    lookups: usize,
    complete: bool,
    terms: Vec<TermCost>,
    missing: Vec<String>,
    /// Levels of records below this part (0 for a term that fetches no record).
    levels: usize,
}

impl Walk {
    fn single(term: &str, lookups: usize) -> Self {
        Walk {
            lookups,
            complete: true,
            terms: vec![TermCost {
                term: term.to_string(),
                lookups,
            }],
            missing: Vec::new(),
            levels: 0,
        }
    }
}
