//! The page's state: a [`State`], the [`Action`]s that change it, and [`State::apply`], the reducer.
//!
//! Plain data with no browser types, so `cargo test` runs the reducer natively; `hooks` serves it
//! to the components through Yew's `use_reducer`.

use std::rc::Rc;

use sendercheck_core::dns::{Question, Rcode, ResolveError};
use sendercheck_core::finding::Finding;
use sendercheck_core::{Checked, Target, Verdict};

use crate::model::ResolverChoice;

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

/// A finding as the page shows it: the engine's own (the identity checks run on the page), or one
/// the extras worker wrote as JSON (paste findings).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingData {
    /// The stable id, e.g. `iprev-fail`.
    pub id: String,
    /// The check it belongs to (`iprev`, `helo`, `sav`, `receiver`, …).
    pub check: String,
    /// `ok`, `info`, `warning` or `error`.
    pub severity: String,
    /// One line.
    pub title: String,
    /// What was seen, and why it matters.
    pub detail: String,
    /// What to change (empty when nothing needs changing).
    pub fix: String,
    /// The rules cited: title and URL.
    pub refs: Vec<(String, String)>,
}

impl From<&Finding> for FindingData {
    fn from(f: &Finding) -> Self {
        FindingData {
            id: f.id.as_str().into(),
            check: f.check.as_str().into(),
            severity: f.severity.as_str().into(),
            title: f.title.clone(),
            detail: f.detail.clone(),
            fix: f.fix.clone(),
            refs: f
                .refs
                .iter()
                .map(|r| (r.title.into(), r.url.into()))
                .collect(),
        }
    }
}

/// A paste the extras worker has read.
#[derive(Debug, Clone)]
pub struct Paste {
    /// The text, kept to hand to the worker again for the findings that need the check and for
    /// the exports.
    pub text: Rc<str>,
    /// The Received header picked by hand (0-based), if any.
    pub hop: Option<usize>,
    /// What the paste names, to check.
    pub target: Option<Target>,
    /// The EHLO argument it names.
    pub helo: Option<String>,
    /// The paste panel as the worker rendered it before the check (`crate::extras::panel`).
    pub panel: Rc<str>,
    /// The sending domain it names.
    pub domain: Option<DomainAsk>,
}

/// The sending domain a run asks about; the worker checks it (`crate::extras::domain`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DomainAsk {
    /// The domain field: a domain, or a From or MAIL FROM address.
    pub text: String,
    /// The reverse-path, when a paste gave one apart from the From address (`<>`: null sender).
    pub mail_from: Option<String>,
    /// The DKIM selectors field: `selector` or `selector:domain`, separated by commas or spaces.
    pub dkim: String,
}

/// A paste is the same paste when it is the same text, read at the same hop.
impl PartialEq for Paste {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.text, &other.text) && self.hop == other.hop
    }
}

/// Text the extras worker could not read as any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteError {
    /// Why, in one sentence.
    pub reason: String,
    /// Every format: its word, description and a sample line.
    pub formats: Vec<(String, String, String)>,
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
    pub paste: Option<Rc<Paste>>,
    /// The sending domain to check beside the address.
    pub domain: Option<Rc<DomainAsk>>,
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The request it answers.
    pub request: Request,
    /// What it found.
    pub checked: Checked,
    /// Wall time of the whole check.
    pub elapsed_ms: u64,
    /// The run's DNS replies in `sendercheck_doh::replay` text form, for the worker's exports.
    pub recording: Rc<str>,
}

/// A finished run never changes, so its run id says which one it is. (Comparing the reports field
/// by field would cost the page's first load several kilobytes for nothing.)
impl PartialEq for Finished {
    fn eq(&self, other: &Self) -> bool {
        self.request.run_id == other.request.run_id
    }
}

impl Finished {
    /// The worker follows the run up (a paste's findings, a bounce's checks, where to fix it)
    /// when it came from a paste or found something to fix; a passing check loads nothing more.
    pub fn follows(&self) -> bool {
        self.request.paste.is_some() || self.checked.verdict() != sendercheck_core::Verdict::Pass
    }

    /// When the check could not be made because the resolver gave no DNS answer (verdict
    /// `unchecked`, whether it failed every question or only some the verdict needs): which
    /// resolver, what went wrong (its first unanswered question), which to try instead. A
    /// SERVFAIL is the DNS's answer, a `temperror`, and gets nothing here.
    pub fn resolver_problem(&self) -> Option<String> {
        if self.checked.verdict() != Verdict::Unchecked {
            return None;
        }
        let exchanges = self.checked.exchanges();
        let error = exchanges.iter().find_map(|e| e.result.as_ref().err())?;
        let resolver = &self.request.resolver;
        let hint = match error {
            ResolveError::Transport(_) => {
                " Check the URL, or whether a network filter or browser extension blocks it."
            }
            _ => "",
        };
        let others: Vec<&str> = resolver.alternatives().iter().map(|p| p.name()).collect();
        let others = match others.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        Some(format!(
            "Could not use {}: {error}.{hint} Try {others}.",
            resolver.describe()
        ))
    }

    /// Which checks used each question of the run, by question: `FCrDNS` (the PTR and its names'
    /// forward lookups), `EHLO` (the EHLO name's forward lookup), `host` (a host name's addresses).
    pub fn used_by(&self, question: &Question) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut add = |what: &'static str, used: bool| {
            if used && !out.contains(&what) {
                out.push(what);
            }
        };
        let asks =
            |l: &sendercheck_core::dns::Lookup| l.exchanges.iter().any(|e| &e.question == question);
        if let Checked::Host(h) = &self.checked {
            add("host", asks(&h.a) || asks(&h.aaaa));
        }
        for r in self.checked.reports() {
            add("FCrDNS", r.iprev.lookups().any(asks));
            add(
                "EHLO",
                r.helo
                    .as_ref()
                    .and_then(|h| h.forward.as_ref())
                    .is_some_and(asks),
            );
        }
        out
    }
}

/// One step of a question's life.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryEvent {
    /// The question went out.
    Asked {
        /// Its number within the run.
        id: usize,
        /// The question.
        question: Question,
    },
    /// The reply came back (or did not).
    Answered {
        /// Its number within the run.
        id: usize,
        /// Whole milliseconds since it was asked.
        ms: u32,
        /// The reply's rcode, or why there was none.
        result: Result<Rcode, String>,
        /// Why the tries before the last one failed (empty: the first try answered).
        retried: Vec<String>,
    },
}

/// One DNS question in the live progress list.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRow {
    /// Its number within the run.
    pub id: usize,
    /// The question.
    pub question: Question,
    /// Milliseconds it took, once answered.
    pub ms: Option<u32>,
    /// The rcode, or why there was no answer, once answered.
    pub result: Option<Result<Rcode, String>>,
    /// Why earlier tries failed, when the answer came after a retry.
    pub retried: Vec<String>,
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
    pub paste: Option<Rc<Paste>>,
    /// The paste panel once the run has finished, with the findings that need the check (the
    /// receiver's verdicts beside this check's), as the worker rendered it.
    pub paste_panel: Remote<Rc<str>, String>,
    /// "Where to fix it", as the worker rendered it after the run (empty when nothing is known).
    pub fixes: Remote<Rc<str>, String>,
    /// The replies the worker asked after the run (where to fix it, a bounce's checks, the
    /// blocklists), for the exports.
    pub extra: Rc<str>,
    /// The DNS blocklists' section, once asked for.
    pub blocklists: Remote<Rc<str>, String>,
    /// The Spamhaus DQS key the blocklists were asked with (`Some("")`: asked without one).
    pub lists_key: Option<Rc<str>>,
    /// The sending domain's panel, as the worker rendered it (`Idle` when the run asks about no
    /// domain).
    pub domain_panel: Remote<Rc<str>, String>,
    /// The recording of the sending domain's live check, for the exports.
    pub domain_recording: Option<Rc<str>>,
    /// Why the last paste could not be read, shown beside the paste box.
    pub paste_error: Option<Rc<PasteError>>,
    /// A paste on its way to the worker.
    pub reading: bool,
}

/// What the worker's follow-up of a run gives the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Followed {
    /// The paste panel with every finding (a run from a paste).
    pub panel: Option<Rc<str>>,
    /// "Where to fix it" (empty: nothing to say).
    pub fixes: Rc<str>,
    /// The replies asked.
    pub recording: Rc<str>,
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
    /// A paste went to the worker to be read.
    Reading,
    /// A paste named neither an address nor a host name: show what it says, check nothing.
    Pasted(Rc<Paste>),
    /// The paste could not be read: unrecognised text, or the worker could not be loaded.
    PasteFailed(Rc<PasteError>),
    /// The user typed in the paste box after an error: hide it until the next submission.
    PasteEdited,
    /// The worker finished the sending domain's live check: its recording.
    DomainRecorded {
        /// The run.
        run_id: u64,
        /// The recording's text form.
        recording: Rc<str>,
    },
    /// The worker rendered the sending domain's panel (or could not check the domain).
    DomainPanel {
        /// The run.
        run_id: u64,
        /// The panel's HTML, or why there is none.
        result: Result<Rc<str>, String>,
    },
    /// The worker ran the checks that follow a finished run: a paste's panel (for a run from a
    /// paste), "Where to fix it", and the replies it asked; or why it could not.
    Followed {
        /// The run.
        run_id: u64,
        /// What it rendered and asked.
        result: Result<Followed, String>,
    },
    /// The blocklists were asked (with this DQS key, empty for none).
    Listed {
        /// The run.
        run_id: u64,
        /// The key.
        key: Rc<str>,
        /// The section and the replies, or why there are none.
        result: Result<(Rc<str>, Rc<str>), String>,
    },
}

impl State {
    fn current(&self, run_id: u64) -> bool {
        self.request.as_ref().is_some_and(|r| r.run_id == run_id)
    }

    /// The state after `action`, or `None` when the action changes nothing (events of a run that
    /// a newer one replaced).
    pub fn apply(&self, action: Action) -> Option<State> {
        let mut next = self.clone();
        match action {
            Action::Start(request) => {
                next.resolver = request.resolver.clone();
                next.paste = request.paste.clone();
                next.domain_panel = match request.domain {
                    Some(_) => Remote::Loading,
                    None => Remote::Idle,
                };
                next.request = Some(request);
                next.run = Remote::Loading;
                next.queries.clear();
                next.paste_panel = Remote::Idle;
                next.domain_recording = None;
                next.fixes = Remote::Idle;
                next.extra = Rc::from("");
                next.blocklists = Remote::Idle;
                next.lists_key = None;
                next.paste_error = None;
                next.reading = false;
            }
            Action::Query { run_id, event } if self.current(run_id) => match event {
                QueryEvent::Asked { id, question } => {
                    next.queries.push(QueryRow {
                        id,
                        question,
                        ms: None,
                        result: None,
                        retried: Vec::new(),
                    });
                }
                QueryEvent::Answered {
                    id,
                    ms,
                    result,
                    retried,
                } => {
                    if let Some(row) = next.queries.iter_mut().find(|r| r.id == id) {
                        row.ms = Some(ms);
                        row.result = Some(result);
                        row.retried = retried;
                    }
                }
            },
            Action::Finish(finished) if self.current(finished.request.run_id) => {
                if finished.request.paste.is_some() {
                    next.paste_panel = Remote::Loading;
                }
                if finished.follows() {
                    next.fixes = Remote::Loading;
                }
                next.run = Remote::Ready(finished);
            }
            Action::Fail { run_id, message } if self.current(run_id) => {
                next.run = Remote::Failed(message);
                next.domain_panel = Remote::Idle;
            }
            Action::ChooseResolver(choice) => next.resolver = choice,
            Action::Reading => {
                next.reading = true;
                next.paste_error = None;
            }
            Action::Pasted(paste) => {
                next.paste = Some(paste);
                next.request = None;
                next.run = Remote::Idle;
                next.queries.clear();
                next.paste_panel = Remote::Idle;
                next.domain_panel = Remote::Idle;
                next.domain_recording = None;
                next.paste_error = None;
                next.reading = false;
            }
            Action::PasteFailed(error) => {
                next.paste_error = Some(error);
                next.reading = false;
            }
            Action::PasteEdited if self.paste_error.is_some() => next.paste_error = None,
            Action::PasteEdited => return None,
            Action::Followed { run_id, result } if self.current(run_id) => match result {
                Ok(f) => {
                    if let Some(panel) = f.panel {
                        next.paste_panel = Remote::Ready(panel);
                    }
                    next.fixes = Remote::Ready(f.fixes);
                    next.extra = format!("{}\n{}", self.extra, f.recording).into();
                }
                Err(why) => {
                    if self.paste.is_some() {
                        next.paste_panel = Remote::Failed(why.clone());
                    }
                    next.fixes = Remote::Failed(why);
                }
            },
            Action::Listed {
                run_id,
                key,
                result,
            } if self.current(run_id) => match result {
                Ok((html, recording)) => {
                    next.blocklists = Remote::Ready(html);
                    next.lists_key = Some(key);
                    next.extra = format!("{}\n{}", self.extra, recording).into();
                }
                Err(why) => next.blocklists = Remote::Failed(why),
            },
            Action::DomainRecorded { run_id, recording } if self.current(run_id) => {
                next.domain_recording = Some(recording);
            }
            Action::DomainPanel { run_id, result } if self.current(run_id) => {
                next.domain_panel = match result {
                    Ok(html) => Remote::Ready(html),
                    Err(why) => Remote::Failed(why),
                };
            }
            // Events of a run that was replaced by a newer one.
            Action::Query { .. }
            | Action::Finish(_)
            | Action::Fail { .. }
            | Action::Followed { .. }
            | Action::Listed { .. }
            | Action::DomainRecorded { .. }
            | Action::DomainPanel { .. } => return None,
        }
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Preset;
    use sendercheck_core::dns::{DomainName, RecordType};
    use sendercheck_core::parse_ip;

    fn request(run_id: u64, ip: &str) -> Request {
        Request {
            run_id,
            target: Target::Ip(parse_ip(ip).unwrap()),
            target_text: ip.into(),
            helo: String::new(),
            resolver: ResolverChoice::default(),
            paste: None,
            domain: None,
        }
    }

    fn apply(state: &State, action: Action) -> State {
        state.apply(action).expect("changes the state")
    }

    #[test]
    fn reducer_follows_one_run_and_drops_stale_events() {
        let state = apply(&State::default(), Action::Start(request(7, "192.0.2.10")));
        assert_eq!(state.run, Remote::Loading);
        let q = Question::new(
            DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
            RecordType::Ptr,
        );
        let state = apply(
            &state,
            Action::Query {
                run_id: 7,
                event: QueryEvent::Asked {
                    id: 0,
                    question: q.clone(),
                },
            },
        );
        assert_eq!(state.queries.len(), 1);
        assert!(state.queries[0].result.is_none());
        // An event of an older run changes nothing.
        assert_eq!(
            state.apply(Action::Query {
                run_id: 6,
                event: QueryEvent::Asked { id: 1, question: q },
            }),
            None
        );
        let state = apply(
            &state,
            Action::Query {
                run_id: 7,
                event: QueryEvent::Answered {
                    id: 0,
                    ms: 12,
                    result: Ok(Rcode::NxDomain),
                    retried: vec!["HTTP 502".into()],
                },
            },
        );
        assert_eq!(state.queries[0].ms, Some(12));
        assert_eq!(state.queries[0].retried, ["HTTP 502"]);
        assert_eq!(
            state.apply(Action::Fail {
                run_id: 3,
                message: "old".into(),
            }),
            None
        );
        let state = apply(
            &state,
            Action::ChooseResolver(ResolverChoice::Preset(Preset::Quad9)),
        );
        assert_eq!(state.resolver.key(), "quad9");
        // A new run clears the progress list.
        let state = apply(&state, Action::Start(request(8, "192.0.2.11")));
        assert!(state.queries.is_empty());
    }

    #[test]
    fn a_paste_lives_until_a_check_from_the_form() {
        let paste = Rc::new(Paste {
            text: "EHLO localhost".into(),
            hop: None,
            target: None,
            helo: Some("localhost".into()),
            panel: "<section id=pasted></section>".into(),
            domain: None,
        });
        let state = apply(&State::default(), Action::Reading);
        assert!(state.reading);
        let state = apply(&state, Action::Pasted(paste.clone()));
        assert!(!state.reading);
        assert_eq!(state.run, Remote::Idle);
        let mut from_paste = request(2, "192.0.2.10");
        from_paste.paste = Some(paste.clone());
        let state = apply(&state, Action::Start(from_paste));
        assert!(state.paste.as_ref().is_some_and(|p| Rc::ptr_eq(p, &paste)));
        // The findings of run 1 are stale; run 2's land.
        assert_eq!(
            state.apply(Action::Followed {
                run_id: 1,
                result: Ok(Followed {
                    panel: Some("<section></section>".into()),
                    fixes: "".into(),
                    recording: "".into(),
                })
            }),
            None
        );
        let state = apply(
            &state,
            Action::Followed {
                run_id: 2,
                result: Err("the worker could not be loaded".into()),
            },
        );
        assert_eq!(
            state.paste_panel,
            Remote::Failed("the worker could not be loaded".into())
        );
        let state = apply(&state, Action::Start(request(3, "192.0.2.10")));
        assert!(state.paste.is_none());
        let failed = apply(
            &state,
            Action::PasteFailed(Rc::new(PasteError {
                reason: "Nothing was pasted.".into(),
                formats: vec![],
            })),
        );
        assert_eq!(
            failed.paste_error.as_ref().unwrap().reason,
            "Nothing was pasted."
        );
    }

    #[test]
    fn the_domain_panel_follows_its_run() {
        let mut with_domain = request(5, "192.0.2.10");
        with_domain.domain = Some(Rc::new(DomainAsk {
            text: "example.com".into(),
            ..DomainAsk::default()
        }));
        let state = apply(&State::default(), Action::Start(with_domain));
        assert_eq!(state.domain_panel, Remote::Loading);
        assert_eq!(
            state.apply(Action::DomainRecorded {
                run_id: 4,
                recording: "old".into()
            }),
            None
        );
        let state = apply(
            &state,
            Action::DomainRecorded {
                run_id: 5,
                recording: "x 1 AA".into(),
            },
        );
        assert_eq!(state.domain_recording.as_deref(), Some("x 1 AA"));
        let state = apply(
            &state,
            Action::DomainPanel {
                run_id: 5,
                result: Ok("<section id=domain></section>".into()),
            },
        );
        assert_eq!(
            state.domain_panel,
            Remote::Ready("<section id=domain></section>".into())
        );
        // A run without a domain clears both.
        let state = apply(&state, Action::Start(request(6, "192.0.2.11")));
        assert_eq!(state.domain_panel, Remote::Idle);
        assert_eq!(state.domain_recording, None);
    }
}
