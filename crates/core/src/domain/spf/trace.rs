//! What an evaluation saw and did, as a tree that serialises to JSON: one [`Trace`] per
//! `check_host()` call (the domain, the TXT records fetched, the record chosen, each term in
//! order), with `include:` and `redirect=` calls as children of their terms.

use serde::Serialize;

use super::SpfResult;
use crate::dns::RData;

/// One `check_host()` call: a domain, its record and its terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The `<domain>` of this call.
    pub domain: String,
    /// What the TXT lookup found, in words ("1 TXT record", "the name does not exist (NXDOMAIN)").
    pub lookup: String,
    /// Every TXT record at the name, in presentation form (each record's strings quoted).
    pub txt: Vec<RData>,
    /// The SPF record chosen (§4.5), strings joined.
    pub record: Option<String>,
    /// Every term of the record, in order.
    pub terms: Vec<TermTrace>,
    /// The result of this call.
    pub result: SpfResult,
    /// Why the result is `none`, `permerror` or `temperror` here, when it is.
    pub problem: Option<String>,
}

impl Trace {
    /// A call that has not fetched anything yet.
    pub(crate) fn new(domain: &str) -> Self {
        Trace {
            domain: domain.to_string(),
            lookup: String::new(),
            txt: Vec::new(),
            record: None,
            terms: Vec::new(),
            result: SpfResult::None,
            problem: None,
        }
    }

    /// The round trip in which the last answer this call needed arrives, when its TXT answer
    /// arrives in round `level` and every lookup goes out as early as it can (see the module
    /// docs of [`spf`](super)).
    pub(crate) fn last_round(&self, level: usize) -> usize {
        let mut last = level;
        for t in self.terms.iter().filter(|t| t.lookup.is_some()) {
            let done = match &t.child {
                Some(child) => child.last_round(level + 1),
                // %{p} is expanded first: a PTR lookup and its names' address lookups.
                None if t.term.contains("%{p") || t.term.contains("%{P") => level + 3,
                None => level + 1 + usize::from(t.follow_up),
            };
            last = last.max(done);
        }
        last
    }

    /// How deep the `include:`/`redirect=` calls below this one go (0 when there are none).
    pub fn depth(&self) -> usize {
        self.terms
            .iter()
            .filter_map(|t| t.child.as_deref())
            .map(|c| 1 + c.depth())
            .max()
            .unwrap_or(0)
    }
}

/// What became of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermOutcome {
    /// The mechanism matched: its qualifier is the result.
    Match,
    /// The mechanism did not match; evaluation went on.
    NoMatch,
    /// The term stopped the evaluation with `permerror` or `temperror`.
    Error,
    /// `redirect=` was followed: its result is the result.
    Followed,
    /// A modifier that takes no part in the evaluation (`exp=`, unknown ones, an unused
    /// `redirect=`).
    Ignored,
    /// Evaluation ended before this term.
    NotReached,
}

impl TermOutcome {
    /// The outcome word (`match`, `no-match`, `error`, `followed`, `ignored`, `not-reached`).
    pub fn as_str(self) -> &'static str {
        match self {
            TermOutcome::Match => "match",
            TermOutcome::NoMatch => "no-match",
            TermOutcome::Error => "error",
            TermOutcome::Followed => "followed",
            TermOutcome::Ignored => "ignored",
            TermOutcome::NotReached => "not-reached",
        }
    }
}

crate::serialize_as_str!(TermOutcome);

/// One term and what it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermTrace {
    /// The term as written.
    pub term: String,
    /// What became of it.
    pub outcome: TermOutcome,
    /// Why, in words: what was looked up and found, what was compared.
    pub why: String,
    /// The domain-spec after macro expansion (§4.8 `<target-name>`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Its number among the DNS-querying terms of the whole check (the limit is 10, §4.6.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup: Option<usize>,
    /// Its number among the void lookups of the whole check (the limit is 2, §4.6.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub void: Option<usize>,
    /// The `check_host()` call an `include:` or `redirect=` made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Box<Trace>>,
    /// Its answer needed lookups of its own (an `mx` answer's hosts), one round later.
    #[serde(skip)]
    pub(crate) follow_up: bool,
}

impl TermTrace {
    pub(crate) fn new(term: &str, outcome: TermOutcome, why: &str) -> Self {
        TermTrace {
            term: term.to_string(),
            outcome,
            why: why.to_string(),
            target: None,
            lookup: None,
            void: None,
            child: None,
            follow_up: false,
        }
    }
}

/// The worst case of a record: how many DNS-querying terms an address that matches nothing makes
/// the receiver evaluate, and what each top-level term costs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// DNS-querying terms in all (the limit is 10, §4.6.4).
    pub lookups: usize,
    /// False when the walk stopped early (a loop, or far over the limit): `lookups` is a lower
    /// bound.
    pub complete: bool,
    /// Each DNS-querying term of the checked record and its cost, nested includes counted.
    pub terms: Vec<TermCost>,
    /// `include:` targets (anywhere in the tree) that publish no SPF record, as written.
    pub missing: Vec<String>,
    /// Levels of records walked (1: the checked domain's record alone).
    pub levels: usize,
}

/// One term's share of [`Cost`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCost {
    /// The term as written.
    pub term: String,
    /// The DNS-querying terms it makes the receiver evaluate, itself included.
    pub lookups: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_a_tree() {
        let mut child = Trace::new("_spf.example.net");
        child.record = Some("v=spf1 ip4:192.0.2.0/24".into());
        child.result = SpfResult::Pass;
        let mut include = TermTrace::new(
            "include:_spf.example.net",
            TermOutcome::Match,
            "its record gives pass",
        );
        include.lookup = Some(1);
        include.child = Some(Box::new(child));
        let mut top = Trace::new("example.com");
        top.terms = vec![include, TermTrace::new("-all", TermOutcome::NotReached, "")];
        top.result = SpfResult::Pass;
        let json = serde_json::to_value(&top).unwrap();
        assert_eq!(json["terms"][0]["outcome"], "match");
        assert_eq!(json["terms"][0]["lookup"], 1);
        assert_eq!(json["terms"][0]["child"]["result"], "pass");
        assert_eq!(json["terms"][1]["outcome"], "not-reached");
        assert!(json["terms"][1].get("child").is_none());
        assert!(json["terms"][1].get("follow_up").is_none());
        assert_eq!(top.depth(), 1);
    }
}
