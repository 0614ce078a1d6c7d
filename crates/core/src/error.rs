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
    /// A name that is a domain name but not a host's (an underscore, a hyphen at a label's end, …).
    #[error("`{name}` is not a host name: {reason}")]
    NotAHostName {
        /// The name, in canonical form.
        name: String,
        /// What exactly is wrong.
        reason: String,
    },
    /// A host name of one label, which receivers never see as a sending server's name.
    #[error("`{name}` is a single label; give the full host name, such as mail.example.com")]
    SingleLabel {
        /// The name, in canonical form.
        name: String,
    },
    /// Text that should have been a DKIM selector (RFC 6376 §3.1).
    #[error("`{selector}` is not a DKIM selector: {reason}")]
    InvalidSelector {
        /// The text as given (shortened if huge).
        selector: String,
        /// What exactly is wrong.
        reason: String,
    },
    /// Text that should have been a DNS blocklist zone.
    #[error("`{zone}` is not a blocklist zone: {reason}")]
    InvalidZone {
        /// The text as given (shortened if huge).
        zone: String,
        /// What exactly is wrong.
        reason: String,
    },
    /// Text that should have been a Spamhaus Data Query Service key.
    #[error("the Spamhaus key is not valid: {reason}")]
    InvalidKey {
        /// What exactly is wrong (the key itself is never repeated).
        reason: String,
    },
    /// Nothing was given where an address or host name was needed.
    #[error("Enter the sending server's IP address or host name.")]
    NoTarget,
}
