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
//! sender, not just the address checked. It fetches at most [`MAX_WALKED`] records, goes at most
//! [`MAX_DEPTH`] levels deep and counts at most [`MAX_COUNTED`] terms.

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
/// DNS-querying terms the worst-case walk counts at most (ten times the limit says enough).
pub const MAX_COUNTED: usize = 100;

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
        let counted = Cell::new(0);
        let Some(record) = self.fetch_record(domain.clone()).await else {
            return Cost {
                complete: true,
                levels: 1,
                ..Cost::default()
            };
        };
        let walk = self.walk(&record, domain, 0, &walked, &counted).await;
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
        counted: &'a Cell<usize>,
    ) -> Boxed<'a, Walk> {
        Box::pin(async move {
            let mut terms = dns_terms(record);
            let room = MAX_COUNTED.saturating_sub(counted.get());
            let cut = terms.len() > room;
            terms.truncate(room);
            counted.set(counted.get() + terms.len());
            let parts = join_all(terms.into_iter().map(|(term, spec, need)| {
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
                            let below =
                                self.walk(&child, &target, depth + 1, walked, counted).await;
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
                complete: !cut,
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

#[cfg(test)]
mod tests {
    //! Round trips, measured with a resolver that holds every question until the round ends.

    use crate::dns::{Rcode, RecordType};
    use crate::domain::spf::{spf_mail_from, Evaluation, SpfResult};
    use crate::testing::{a, mx, txt, FixedResolver, RoundTrips};

    /// A zone of SPF records (`name`, record) and A records (`name`, address).
    fn zone(records: &[(&str, &str)], addresses: &[(&str, &str)]) -> FixedResolver {
        let mut r = FixedResolver::new();
        for (name, record) in records {
            r = r.answer(
                name,
                RecordType::Txt,
                Rcode::NoError,
                vec![txt(name, &[record])],
            );
        }
        for (name, ip) in addresses {
            r = r.answer(name, RecordType::A, Rcode::NoError, vec![a(name, ip)]);
        }
        r
    }

    /// Checks `alice@example.com` sending from `ip`; the evaluation and its round trips.
    fn check(r: FixedResolver, ip: &str) -> (Evaluation, usize) {
        let rt = RoundTrips::new(r);
        let ip = ip.parse().unwrap();
        rt.run(spf_mail_from(
            &rt,
            ip,
            "alice@example.com",
            "mail.example.com",
        ))
    }

    #[test]
    fn five_a_terms_and_three_includes_take_two_rounds() {
        let r = zone(
            &[
                ("example.com", "v=spf1 a:h1.example a:h2.example a:h3.example a:h4.example a:h5.example include:i1.example include:i2.example include:i3.example -all"),
                ("i1.example", "v=spf1 ip4:198.51.100.1 ip4:198.51.100.2"),
                ("i2.example", "v=spf1 ip4:198.51.100.3 ip4:198.51.100.4"),
                ("i3.example", "v=spf1 ip4:198.51.100.5 ip4:192.0.2.1"),
            ],
            &[
                ("h1.example", "203.0.113.1"),
                ("h2.example", "203.0.113.2"),
                ("h3.example", "203.0.113.3"),
                ("h4.example", "203.0.113.4"),
                ("h5.example", "203.0.113.5"),
            ],
        );
        let (e, rounds) = check(r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(
            e.decided_by.as_deref(),
            Some("include:i3.example → ip4:192.0.2.1")
        );
        assert_eq!((e.lookups, e.void_lookups), (8, 0));
        assert_eq!(e.depth(), 1);
        // The domain's TXT (and SPF-type) query; then 5 A and 3 TXT queries together.
        assert_eq!(rounds, e.depth() + 1);
        assert_eq!(e.rounds(), rounds);
    }

    #[test]
    fn lookups_of_included_terms_go_out_with_the_next_level() {
        let r = zone(
            &[
                ("example.com", "v=spf1 a:h1.example a:h2.example a:h3.example a:h4.example include:i1.example include:i2.example include:i3.example -all"),
                ("i1.example", "v=spf1 a:j1.example ip4:198.51.100.1"),
                ("i2.example", "v=spf1 a:j2.example ip4:198.51.100.2"),
                ("i3.example", "v=spf1 a:j3.example ip4:198.51.100.3"),
            ],
            &[
                ("h1.example", "203.0.113.1"),
                ("h2.example", "203.0.113.2"),
                ("h3.example", "203.0.113.3"),
                ("h4.example", "203.0.113.4"),
                ("j1.example", "203.0.113.5"),
                ("j2.example", "203.0.113.6"),
                ("j3.example", "192.0.2.1"),
            ],
        );
        let (e, rounds) = check(r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(e.lookups, 10);
        // TXT; 4 A + 3 TXT; the includes' 3 A.
        assert_eq!(rounds, 3);
        assert_eq!(e.rounds(), rounds);
    }

    fn three_levels(leaf: &str) -> FixedResolver {
        zone(
            &[
                ("example.com", "v=spf1 include:l1.example -all"),
                ("l1.example", "v=spf1 ip4:198.51.100.1 include:l2.example"),
                ("l2.example", leaf),
            ],
            &[("mail.l2.example", "192.0.2.1")],
        )
        .answer(
            "l2.example",
            RecordType::Mx,
            Rcode::NoError,
            vec![mx("l2.example", 10, "mail.l2.example")],
        )
    }

    #[test]
    fn a_three_level_include_tree_takes_a_round_per_level() {
        let (e, rounds) = check(three_levels("v=spf1 ip4:192.0.2.0/24"), "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(e.depth(), 2);
        assert_eq!((rounds, e.rounds()), (3, 3));
        // An address lookup at the deepest level: one more; an MX host's address: one more again.
        let (e, rounds) = check(three_levels("v=spf1 a:mail.l2.example"), "192.0.2.1");
        assert_eq!((e.result, rounds, e.rounds()), (SpfResult::Pass, 4, 4));
        let (e, rounds) = check(three_levels("v=spf1 mx"), "192.0.2.1");
        assert_eq!((e.result, rounds, e.rounds()), (SpfResult::Pass, 5, 5));
        assert_eq!(
            e.decided_by.as_deref(),
            Some("include:l1.example → include:l2.example → mx")
        );
    }

    #[test]
    fn answers_fetched_early_count_for_nothing() {
        let r = zone(
            &[(
                "example.com",
                "v=spf1 ip4:192.0.2.1 a:x.example include:i.example -all",
            )],
            &[],
        );
        let (e, rounds) = check(r, "192.0.2.1");
        assert_eq!(
            (e.result, e.lookups, e.void_lookups),
            (SpfResult::Pass, 0, 0)
        );
        assert_eq!(rounds, 2, "the worst-case walk still reads the include");
        assert_eq!(e.rounds(), rounds);
        assert_eq!((e.cost.lookups, e.cost.levels), (2, 2));
        assert_eq!(e.cost.missing, vec!["include:i.example"]);
    }

    #[test]
    fn explanations_and_ptr_macros_wait_for_their_lookups() {
        let r = zone(
            &[
                ("example.com", "v=spf1 -all exp=why.example.com"),
                ("why.example.com", "%{i} is not allowed"),
            ],
            &[],
        );
        let (e, rounds) = check(r, "192.0.2.1");
        assert_eq!(e.explanation.as_deref(), Some("192.0.2.1 is not allowed"));
        assert_eq!((rounds, e.rounds()), (2, 2));

        let r = zone(
            &[("example.com", "v=spf1 exists:%{p}.ok.example -all")],
            &[
                ("mail.example.com", "192.0.2.1"),
                ("mail.example.com.ok.example", "127.0.0.2"),
            ],
        )
        .ptr_and_address("192.0.2.1", "mail.example.com", "192.0.2.1");
        let (e, rounds) = check(r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(e.lookups, 2, "the exists term and its %{{p}}");
        // TXT; PTR; the PTR name's A; the exists A.
        assert_eq!((rounds, e.rounds()), (4, 4));
    }

    #[test]
    fn early_lookups_stay_within_the_limit() {
        let terms: Vec<String> = (0..14).map(|i| format!("a:h{i}.example")).collect();
        let record = format!("v=spf1 {} -all", terms.join(" "));
        let addresses: Vec<(String, &str)> = (0..14)
            .map(|i| (format!("h{i}.example"), "203.0.113.1"))
            .collect();
        let addresses: Vec<(&str, &str)> =
            addresses.iter().map(|(n, a)| (n.as_str(), *a)).collect();
        let rt = RoundTrips::new(zone(&[("example.com", &record)], &addresses));
        let ip = "192.0.2.1".parse().unwrap();
        let (e, rounds) = rt.run(spf_mail_from(
            &rt,
            ip,
            "alice@example.com",
            "mail.example.com",
        ));
        assert_eq!(e.result, SpfResult::PermError);
        assert_eq!(e.decided_by.as_deref(), Some("a:h10.example"));
        assert_eq!(e.cost.lookups, 14);
        assert_eq!((rounds, e.rounds()), (2, 2));
        // TXT, SPF and the 10 A lookups evaluation may make.
        assert_eq!(rt.sent(), 12);
    }
}
