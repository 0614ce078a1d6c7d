//! A run's DNS replies, recorded as they came and replayed later, exactly.
//!
//! The page keeps only the identity check in its first load; the paste reader, the exports and the
//! other checks run in a worker loaded when first needed (see the web app's `services::extras`).
//! The worker does not ask the resolver again: the page hands it the run's [`Recording`] as text
//! and the worker answers the engine's questions from it ([`Replay`]), so the JSON and Markdown it
//! writes describe the very answers the page showed. A recording holds the reply bytes, not the
//! decoded answers, so the replay decodes them with the same [`decode_answer`].
//!
//! The text form is one line per question: `name TYPE-number ` followed by the reply in base64
//! (standard alphabet, no padding), or by `!` and the error ([`encode_error`]). A question whose
//! first tries failed and were retried has a line before it for each of those tries:
//! `name TYPE-number ~MILLISECONDS ERROR` (`~` is in neither base64 nor the error form).

use std::future::Future;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use sendercheck_core::dns::{
    Answer, Attempt, DomainName, Exchange, Question, RecordType, ResolveError, Resolver,
};

use crate::Fetched;

/// The replies of one run, in the order the questions were asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    entries: Vec<(Question, Fetched)>,
}

impl Recording {
    /// Adds a question and what [`DohClient::fetch`](crate::DohClient::fetch) got for it (or just
    /// the reply: bytes as received, or why there were none).
    pub fn push(&mut self, question: Question, reply: impl Into<Fetched>) {
        self.entries.push((question, reply.into()));
    }

    /// How many questions were recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The text form (see the module docs).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (q, fetched) in &self.entries {
            let head = format!("{} {} ", q.name.as_str(), q.rtype.code());
            for a in &fetched.attempts {
                out.push_str(&head);
                out.push_str(&format!("~{} {}\n", a.millis, encode_error(&a.error)));
            }
            out.push_str(&head);
            match &fetched.reply {
                Ok(bytes) => out.push_str(&STANDARD_NO_PAD.encode(bytes)),
                Err(e) => {
                    out.push('!');
                    out.push_str(&encode_error(e));
                }
            }
            out.push('\n');
        }
        out
    }

    /// Reads the text form; `None` when a line is not one this module wrote.
    pub fn from_text(text: &str) -> Option<Recording> {
        let mut recording = Recording::default();
        let mut attempts = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let name = DomainName::parse(parts.next()?).ok()?;
            let rtype = RecordType::from_code(parts.next()?.parse().ok()?);
            let reply = parts.next()?;
            if let Some(attempt) = reply.strip_prefix('~') {
                let (millis, error) = attempt.split_once(' ')?;
                attempts.push(Attempt {
                    error: decode_error(error)?,
                    millis: millis.parse().ok()?,
                });
                continue;
            }
            let reply = match reply.strip_prefix('!') {
                Some(err) => Err(decode_error(err)?),
                None => Ok(STANDARD_NO_PAD.decode(reply).ok()?),
            };
            let attempts = std::mem::take(&mut attempts);
            recording.push(Question::new(name, rtype), Fetched { reply, attempts });
        }
        attempts.is_empty().then_some(recording)
    }
}

/// A [`ResolveError`] as one line of text: `timeout 5000`, `transport TEXT`, `http 502`,
/// `notdns TEXT`, `truncated`, `wrong ASKED\tGOT`. Line breaks in texts become spaces.
pub fn encode_error(e: &ResolveError) -> String {
    let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    match e {
        ResolveError::Timeout { millis } => format!("timeout {millis}"),
        ResolveError::Transport(t) => format!("transport {}", flat(t)),
        ResolveError::Http { status } => format!("http {status}"),
        ResolveError::NotDns(t) => format!("notdns {}", flat(t)),
        ResolveError::Truncated => "truncated".into(),
        ResolveError::WrongQuestion { asked, got } => {
            format!("wrong {}\t{}", flat(asked), flat(got))
        }
    }
}

/// The error [`encode_error`] wrote.
pub fn decode_error(text: &str) -> Option<ResolveError> {
    let (kind, rest) = text.split_once(' ').unwrap_or((text, ""));
    Some(match kind {
        "timeout" => ResolveError::Timeout {
            millis: rest.parse().ok()?,
        },
        "transport" => ResolveError::Transport(rest.into()),
        "http" => ResolveError::Http {
            status: rest.parse().ok()?,
        },
        "notdns" => ResolveError::NotDns(rest.into()),
        "truncated" => ResolveError::Truncated,
        "wrong" => {
            let (asked, got) = rest.split_once('\t')?;
            ResolveError::WrongQuestion {
                asked: asked.into(),
                got: got.into(),
            }
        }
        _ => return None,
    })
}

/// A resolver that records every reply of the DoH client it wraps, for a later [`Replay`].
pub struct Recorder {
    doh: crate::DohClient,
    recording: std::cell::RefCell<Recording>,
}

impl Recorder {
    /// Records what `doh` is asked and answers.
    pub fn new(doh: crate::DohClient) -> Self {
        Recorder {
            doh,
            recording: std::cell::RefCell::new(Recording::default()),
        }
    }

    /// The client.
    pub fn client(&self) -> &crate::DohClient {
        &self.doh
    }

    /// What was recorded so far.
    pub fn recording(&self) -> Recording {
        self.recording.borrow().clone()
    }

    async fn ask(&self, question: &Question) -> Exchange {
        let fetched = self.doh.fetch(question).await;
        self.recording
            .borrow_mut()
            .push(question.clone(), fetched.clone());
        fetched.decode(question)
    }
}

impl Resolver for Recorder {
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.ask(question).await.result
    }

    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        self.ask(question)
    }
}

/// Answers questions from a [`Recording`]. A question the recording does not hold (which a
/// deterministic engine never asks) gets a transport error saying so.
pub struct Replay {
    recording: Recording,
}

impl Replay {
    /// A replay of `recording`.
    pub fn new(recording: Recording) -> Self {
        Replay { recording }
    }

    fn holds(&self, question: &Question) -> bool {
        self.recording.entries.iter().any(|(q, _)| q == question)
    }

    fn answer(&self, question: &Question) -> Exchange {
        match self.recording.entries.iter().find(|(q, _)| q == question) {
            Some((_, fetched)) => fetched.clone().decode(question),
            None => Fetched::from(Err(ResolveError::Transport(format!(
                "{question} was not asked in the recorded run"
            ))))
            .decode(question),
        }
    }
}

/// Answers from a [`Recording`] what it holds and asks the rest through a [`Recorder`]. The
/// worker's follow-up checks (where to fix it, a bounce's checks) start from the page's answers
/// and ask only their own new questions; [`Resume::recording`] holds those.
pub struct Resume {
    replay: Replay,
    live: Recorder,
}

impl Resume {
    /// Answers from `recording`, else asks `doh`.
    pub fn new(recording: Recording, doh: crate::DohClient) -> Self {
        Resume {
            replay: Replay::new(recording),
            live: Recorder::new(doh),
        }
    }

    /// The replies of the questions asked live.
    pub fn recording(&self) -> Recording {
        self.live.recording()
    }

    async fn ask(&self, question: &Question) -> Exchange {
        if self.replay.holds(question) {
            self.replay.answer(question)
        } else {
            self.live.ask(question).await
        }
    }
}

impl Resolver for Resume {
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.ask(question).await.result
    }

    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        self.ask(question)
    }
}

impl Resolver for Replay {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let reply = self.answer(question).result;
        async move { reply }
    }

    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        let exchange = self.answer(question);
        async move { exchange }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str, rtype: RecordType) -> Question {
        Question::new(DomainName::parse(name).unwrap(), rtype)
    }

    #[test]
    fn errors_round_trip() {
        for e in [
            ResolveError::Timeout { millis: 5000 },
            ResolveError::Transport("connection refused".into()),
            ResolveError::Http { status: 502 },
            ResolveError::NotDns("17 bytes that do not parse".into()),
            ResolveError::Truncated,
            ResolveError::WrongQuestion {
                asked: "a.example A".into(),
                got: "b.example A".into(),
            },
        ] {
            assert_eq!(decode_error(&encode_error(&e)), Some(e));
        }
        assert_eq!(decode_error("nonsense"), None);
    }

    #[test]
    fn text_round_trip_and_replay() {
        let mut reply = crate::encode_query(&q("mail.example", RecordType::A));
        reply[2] |= 0x80; // a response with no records
        let mut r = Recording::default();
        r.push(q("mail.example", RecordType::A), Ok(reply));
        r.push(
            q("sf.example", RecordType::Txt),
            Err(ResolveError::Transport("reset\nby peer".into())),
        );
        let text = r.to_text();
        assert_eq!(text.lines().count(), 2, "{text}");
        let back = Recording::from_text(&text).unwrap();
        assert_eq!(back.len(), 2);
        let replay = Replay::new(back);
        let a = futures::executor::block_on(replay.query(&q("mail.example", RecordType::A)));
        assert!(a.unwrap().records.is_empty());
        let e = futures::executor::block_on(replay.query(&q("sf.example", RecordType::Txt)));
        assert_eq!(
            e,
            Err(ResolveError::Transport("reset by peer".into())),
            "line breaks flattened"
        );
        let missing = futures::executor::block_on(replay.query(&q("x.example", RecordType::A)));
        assert!(missing.unwrap_err().to_string().contains("not asked"));
        assert_eq!(Recording::from_text("junk"), None);
    }

    #[test]
    fn retried_tries_replay_exactly() {
        let question = q("mail.example", RecordType::A);
        let mut reply = crate::encode_query(&question);
        reply[2] |= 0x80;
        let attempts = vec![
            Attempt {
                error: ResolveError::Http { status: 502 },
                millis: 3,
            },
            Attempt {
                error: ResolveError::Transport(
                    "connection closed\nbefore message completed".into(),
                ),
                millis: 1,
            },
        ];
        let mut r = Recording::default();
        r.push(
            question.clone(),
            Fetched {
                reply: Ok(reply),
                attempts: attempts.clone(),
            },
        );
        let failed = q("sf.example", RecordType::A);
        r.push(
            failed.clone(),
            Fetched {
                reply: Err(ResolveError::Http { status: 429 }),
                attempts: attempts[..1].to_vec(),
            },
        );
        let text = r.to_text();
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.starts_with("mail.example 1 ~3 http 502\nmail.example 1 ~1 transport connection closed before message completed\nmail.example 1 AACB"), "{text}");
        let back = Recording::from_text(&text).unwrap();
        let replay = Replay::new(back.clone());
        let e = futures::executor::block_on(replay.exchange(&question));
        assert!(e.result.is_ok());
        assert_eq!(e.attempts.len(), 2);
        assert_eq!(e.attempts[0], attempts[0]);
        assert_eq!(
            e.attempts[1].error.to_string(),
            "could not reach the resolver: connection closed before message completed"
        );
        let e = futures::executor::block_on(replay.exchange(&failed));
        assert_eq!(e.result, Err(ResolveError::Http { status: 429 }));
        assert_eq!(e.attempts, attempts[..1].to_vec());
        assert_eq!(back.to_text(), text, "text form is stable");
        // Tries with no question after them are not a recording this module wrote.
        assert_eq!(Recording::from_text("mail.example 1 ~3 http 502\n"), None);
    }
}
