//! The [`Resolver`] trait a transport implements, and the ways a question can go unanswered.

use std::fmt;
use std::future::Future;

use super::{Answer, Question};

/// A question that got no usable answer. Every variant makes the affected check `temperror`.
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

/// Asks one DNS question. Implemented by transports; the engine calls it for every lookup and runs
/// independent questions concurrently, so an implementation must allow several calls at once.
///
/// The futures need not be `Send`: the browser's fetch futures are not, and the engine never spawns.
pub trait Resolver {
    /// Asks `question` and returns the decoded reply, whatever its rcode.
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>>;
}

impl<R: Resolver + ?Sized> Resolver for &R {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        (**self).query(question)
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
}
