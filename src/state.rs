//! App state: a [`State`], the [`Action`]s that change it, and its reducer.

use std::cell::Cell;
use std::rc::Rc;

use sendercheck_core::paste::{paste_findings, paste_json, Checked, Extracted, PasteReport};
use sendercheck_core::{
    headline, host_json, paste_markdown, report_json, report_markdown, Answer, Exchange, Finding,
    HostReport, Question, Report, ResolveError, Verdict,
};
use yew::Reducible;

use crate::model::{ResolverChoice, Target};
use crate::trace::QueryEvent;

/// A value that is fetched: not yet asked, on its way, there, or failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Remote<T, E> {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// On its way.
    Loading,
    /// Here.
    Ready(T),
    /// Could not be had.
    Failed(E),
}

/// One check the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Identifies the run; events of older runs are dropped.
    pub run_id: u64,
    /// What to check.
    pub target: Target,
    /// The address field as typed.
    pub target_text: String,
    /// The EHLO field as typed (may be empty).
    pub helo: String,
    /// Where the questions go.
    pub resolver: ResolverChoice,
    /// The paste the address and EHLO name came from, when they came from one.
    pub paste: Option<Rc<Extracted>>,
}

thread_local! {
    static NEXT_RUN: Cell<u64> = const { Cell::new(1) };
}

/// A fresh run id.
pub fn next_run_id() -> u64 {
    NEXT_RUN.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// What a finished run found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// One address.
    Ip(Report),
    /// Every address of a host name.
    Host(HostReport),
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// The request it answers.
    pub request: Request,
    /// The result.
    pub outcome: Outcome,
    /// Wall time of the whole check.
    pub elapsed_ms: u64,
}

impl Finished {
    /// The reports, one per address.
    pub fn reports(&self) -> Vec<&Report> {
        match &self.outcome {
            Outcome::Ip(r) => vec![r],
            Outcome::Host(h) => h.reports.iter().collect(),
        }
    }

    /// The worst verdict.
    pub fn verdict(&self) -> Verdict {
        match &self.outcome {
            Outcome::Ip(r) => r.verdict(),
            Outcome::Host(h) => h.verdict(),
        }
    }

    /// The headline sentence.
    pub fn headline(&self) -> String {
        match &self.outcome {
            Outcome::Ip(r) => headline(r).text,
            Outcome::Host(h) => match h.problem() {
                Some(problem) => problem,
                None if h.reports.len() == 1 => headline(&h.reports[0]).text,
                None => {
                    let worst = h.reports.iter().max_by_key(|r| r.verdict());
                    let text = worst.map(|r| headline(r).text).unwrap_or_default();
                    format!(
                        "{} has {} addresses. Worst: {text}",
                        h.host,
                        h.reports.len()
                    )
                }
            },
        }
    }

    /// The paste's own findings (SAV, the receiver's verdicts), when the run came from a paste.
    pub fn paste_findings(&self) -> Vec<Finding> {
        let report = match &self.outcome {
            Outcome::Ip(r) => Some(r),
            Outcome::Host(_) => None,
        };
        self.request
            .paste
            .as_ref()
            .map(|x| paste_findings(x, report))
            .unwrap_or_default()
    }

    /// The JSON export: the CLI's `--json` schema (`sendercheck paste --json` after a paste).
    pub fn json(&self) -> String {
        let value = match (&self.request.paste, &self.outcome) {
            (Some(x), outcome) => paste_json(
                &PasteReport {
                    extracted: (**x).clone(),
                    checked: match outcome {
                        Outcome::Ip(r) => Checked::Ip(r.clone()),
                        Outcome::Host(h) => Checked::Host(h.clone()),
                    },
                    findings: self.paste_findings(),
                },
                self.elapsed_ms,
            ),
            (None, Outcome::Ip(r)) => report_json(r, self.elapsed_ms),
            (None, Outcome::Host(h)) => host_json(h, self.elapsed_ms),
        };
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// The Markdown export, for a ticket.
    pub fn markdown(&self) -> String {
        let resolver = self.request.resolver.url();
        let pasted = self
            .request
            .paste
            .as_ref()
            .map(|x| paste_markdown(x, &self.paste_findings()))
            .unwrap_or_default();
        pasted
            + &match &self.outcome {
                Outcome::Ip(r) => report_markdown(r, resolver),
                Outcome::Host(h) => {
                    let mut md = format!("# Sender Check: {}\n\n", h.host);
                    if let Some(problem) = h.problem() {
                        md.push_str(&problem);
                        md.push('\n');
                    }
                    for r in &h.reports {
                        md.push_str(&report_markdown(r, resolver));
                        md.push('\n');
                    }
                    md
                }
            }
    }

    /// Every DNS exchange of the run, in order.
    pub fn exchanges(&self) -> Vec<&Exchange> {
        match &self.outcome {
            Outcome::Ip(r) => r.exchanges(),
            Outcome::Host(h) => {
                h.a.exchanges
                    .iter()
                    .chain(&h.aaaa.exchanges)
                    .chain(h.reports.iter().flat_map(|r| r.exchanges()))
                    .collect()
            }
        }
    }

    /// When the resolver itself failed every question: which resolver, what went wrong, which to try.
    pub fn resolver_problem(&self) -> Option<String> {
        let exchanges = self.exchanges();
        if exchanges.iter().any(|e| e.result.is_ok()) {
            return None;
        }
        let error = exchanges.first()?.result.as_ref().err()?;
        let resolver = &self.request.resolver;
        let hint = match error {
            ResolveError::Transport(_) => {
                " Check the URL, or whether a network filter or browser extension blocks it."
            }
            ResolveError::Timeout { .. } => " It did not answer in time.",
            _ => "",
        };
        let others: Vec<&str> = resolver.alternatives().iter().map(|p| p.name()).collect();
        let others = match others.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        Some(format!(
            "{} failed: {error}.{hint} Try {others}.",
            resolver.describe()
        ))
    }
}

/// One DNS question in the live progress list.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRow {
    /// Its number within the run.
    pub id: usize,
    /// The question.
    pub question: Question,
    /// Milliseconds it took, once answered.
    pub ms: Option<f64>,
    /// The reply, once answered.
    pub result: Option<Result<Answer, ResolveError>>,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The run in progress or last finished.
    pub request: Option<Request>,
    /// Its result.
    pub run: Remote<Rc<Finished>, String>,
    /// Its DNS questions as they go out and come back.
    pub queries: Vec<QueryRow>,
    /// The resolver selected in the form.
    pub resolver: ResolverChoice,
    /// The paste being shown: set by a check started from a paste, or by a paste that names
    /// nothing to look up; cleared by a check started from the form.
    pub paste: Option<Rc<Extracted>>,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A check starts.
    Start(Request),
    /// A DNS question of a run went out or came back.
    Query {
        /// The run.
        run_id: u64,
        /// What happened.
        event: QueryEvent,
    },
    /// A run finished.
    Finish(Rc<Finished>),
    /// A run could not start (the resolver URL was refused).
    Fail {
        /// The run.
        run_id: u64,
        /// Why.
        message: String,
    },
    /// The user picked another resolver.
    ChooseResolver(ResolverChoice),
    /// A paste named neither an address nor a host name: show what it says, check nothing.
    Pasted(Rc<Extracted>),
}

impl State {
    fn current(&self, run_id: u64) -> bool {
        self.request.as_ref().is_some_and(|r| r.run_id == run_id)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Start(request) => {
                next.resolver = request.resolver.clone();
                next.paste = request.paste.clone();
                next.request = Some(request);
                next.run = Remote::Loading;
                next.queries.clear();
            }
            Action::Query { run_id, event } if self.current(run_id) => match event {
                QueryEvent::Asked { id, question } => {
                    next.queries.push(QueryRow {
                        id,
                        question,
                        ms: None,
                        result: None,
                    });
                }
                QueryEvent::Answered { id, ms, result } => {
                    if let Some(row) = next.queries.iter_mut().find(|r| r.id == id) {
                        row.ms = Some(ms);
                        row.result = Some(result);
                    }
                }
            },
            Action::Finish(finished) if self.current(finished.request.run_id) => {
                next.run = Remote::Ready(finished);
            }
            Action::Fail { run_id, message } if self.current(run_id) => {
                next.run = Remote::Failed(message);
            }
            Action::ChooseResolver(choice) => next.resolver = choice,
            Action::Pasted(extracted) => {
                next.paste = Some(extracted);
                next.request = None;
                next.run = Remote::Idle;
                next.queries.clear();
            }
            // Events of a run that was replaced by a newer one.
            Action::Query { .. } | Action::Finish(_) | Action::Fail { .. } => return self,
        }
        Rc::new(next)
    }
}
