//! The engine's one error type: bad *input*. A mail-configuration problem is never an `Err`; it is a
//! [`Finding`](crate::Finding) in the report.

/// Input the engine cannot work with, with a message meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Text that should have been an IP address.
    #[error("`{input}` is not {expected}: {reason}")]
    InvalidIp {
        /// The text as given (shortened if huge).
        input: String,
        /// "an IPv4 address", "an IPv6 address" or "an IP address".
        expected: &'static str,
        /// What exactly is wrong.
        reason: String,
    },
    /// Text that should have been a domain name.
    #[error("`{name}` is not a valid domain name: {reason}")]
    InvalidName {
        /// The text as given (shortened if huge).
        name: String,
        /// What exactly is wrong.
        reason: String,
    },
}
