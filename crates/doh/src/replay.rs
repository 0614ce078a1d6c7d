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
//! (standard alphabet, no padding), or by `!` and the error ([`encode_error`]).

use std::future::Future;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use sendercheck_core::dns::{Answer, DomainName, Question, RecordType, ResolveError, Resolver};

use crate::decode_answer;

/// The replies of one run, in the order the questions were asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    entries: Vec<(Question, Result<Vec<u8>, ResolveError>)>,
}

impl Recording {
    /// Adds a question and its reply (bytes as received, or why there were none).
    pub fn push(&mut self, question: Question, reply: Result<Vec<u8>, ResolveError>) {
        self.entries.push((question, reply));
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
        for (q, reply) in &self.entries {
            out.push_str(q.name.as_str());
            out.push(' ');
            out.push_str(&q.rtype.code().to_string());
            out.push(' ');
            match reply {
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
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let name = DomainName::parse(parts.next()?).ok()?;
            let rtype = RecordType::from_code(parts.next()?.parse().ok()?);
            let reply = parts.next()?;
            let reply = match reply.strip_prefix('!') {
                Some(err) => Err(decode_error(err)?),
                None => Ok(STANDARD_NO_PAD.decode(reply).ok()?),
            };
            recording.push(Question::new(name, rtype), reply);
        }
        Some(recording)
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

    async fn ask(&self, question: &Question) -> Result<Answer, ResolveError> {
        let reply = self.doh.fetch(question).await;
        self.recording
            .borrow_mut()
            .push(question.clone(), reply.clone());
        decode_answer(question, &reply?)
    }
}

impl Resolver for Recorder {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
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

    fn answer(&self, question: &Question) -> Result<Answer, ResolveError> {
        match self.recording.entries.iter().find(|(q, _)| q == question) {
            Some((_, Ok(bytes))) => decode_answer(question, bytes),
            Some((_, Err(e))) => Err(e.clone()),
            None => Err(ResolveError::Transport(format!(
                "{question} was not asked in the recorded run"
            ))),
        }
    }
}

impl Resolver for Replay {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let reply = self.answer(question);
        async move { reply }
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
}
