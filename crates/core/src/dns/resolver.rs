//! The [`Resolver`] trait a transport implements, the ways a question can go unanswered, and the
//! failed [`Attempt`]s a retrying transport made before its reply.

use std::fmt;
use std::future::Future;

use super::{Answer, Exchange, Question};

/// A question that got no usable answer from the resolver. Every variant leaves the affected
/// check's RFC 8601 result `temperror`, but the verdict is `unchecked`, not `temperror`: the
/// failure is the resolver's or the network's, not the DNS of the name asked about (see
/// [`Outcome::is_unanswered`](super::Outcome::is_unanswered)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No reply within the time allowed.
    #[error("no answer within {} s", Seconds(*millis))]
    Timeout {
        /// The limit that passed, in milliseconds.
        millis: u64,
    },
    /// The resolver could not be reached (connection refused, TLS failure, blocked by CORS, …).
    #[error("could not reach the resolver: {0}")]
    Transport(String),
    /// The resolver answered with an HTTP error status.
    #[error("the resolver answered HTTP {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
    },
    /// The body was not a DNS message.
    #[error("the resolver's reply is not a DNS message: {0}")]
    NotDns(String),
    /// The reply had the TC bit set: part of the answer is missing.
    #[error("the resolver's reply is truncated (TC flag), so part of the answer is missing")]
    Truncated,
    /// The reply answers a different question than the one asked.
    #[error("the resolver answered another question ({got}) instead of {asked}")]
    WrongQuestion {
        /// What was asked.
        asked: String,
        /// What the reply says it answers.
        got: String,
    },
}

impl ResolveError {
    /// A short form for lists of attempts: `HTTP 502`, `no answer within 2.5 s`, or the transport's
    /// own words (`connection closed before message completed`).
    pub fn short(&self) -> String {
        match self {
            ResolveError::Http { status } => format!("HTTP {status}"),
            ResolveError::Transport(text) => text.rsplit(": ").next().unwrap_or(text).to_string(),
            other => other.to_string(),
        }
    }
}

/// One try at a question that failed and was followed by another: a transport that retries
/// (the DoH client retries HTTP 5xx, 429, dropped connections and timeouts) keeps these as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Why the try failed.
    pub error: ResolveError,
    /// How long the try took, in milliseconds (not counting the wait before the next one).
    pub millis: u64,
}

/// Asks one DNS question. Implemented by transports; the engine calls it for every lookup and runs
/// independent questions concurrently, so an implementation must allow several calls at once.
///
/// The futures need not be `Send`: the browser's fetch futures are not, and the engine never spawns.
pub trait Resolver {
    /// Asks `question` and returns the decoded reply, whatever its rcode.
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>>;

    /// Asks `question` and returns the evidence: the reply and the tries that failed before it
    /// ([`Exchange::attempts`]). The engine asks through this. A transport that retries overrides
    /// it (and answers [`query`](Resolver::query) with its `result`); a wrapper forwards it, or the
    /// attempts are lost. The default makes one try.
    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        let question = question.clone();
        async move {
            let result = self.query(&question).await;
            Exchange {
                question,
                result,
                attempts: Vec::new(),
            }
        }
    }
}

impl<R: Resolver + ?Sized> Resolver for &R {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        (**self).query(question)
    }

    fn exchange(&self, question: &Question) -> impl Future<Output = Exchange> {
        (**self).exchange(question)
    }
}

/// Milliseconds written as seconds without floating point: `300` → `0.3`, `1500` → `1.5`.
struct Seconds(u64);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, mut frac) = (self.0 / 1000, self.0 % 1000);
        write!(f, "{whole}")?;
        if frac > 0 {
            let mut digits = 3;
            while frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
            write!(f, ".{frac:0digits$}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_in_seconds() {
        let t = |millis| ResolveError::Timeout { millis }.to_string();
        assert_eq!(t(300), "no answer within 0.3 s");
        assert_eq!(t(1000), "no answer within 1 s");
        assert_eq!(t(1500), "no answer within 1.5 s");
        assert_eq!(t(5025), "no answer within 5.025 s");
        assert_eq!(t(40), "no answer within 0.04 s");
    }

    #[test]
    fn short_forms() {
        assert_eq!(ResolveError::Http { status: 502 }.short(), "HTTP 502");
        assert_eq!(
            ResolveError::Transport("error sending request: client error (SendRequest): connection closed before message completed".into()).short(),
            "connection closed before message completed"
        );
        assert_eq!(
            ResolveError::Timeout { millis: 2500 }.short(),
            "no answer within 2.5 s"
        );
    }
}
