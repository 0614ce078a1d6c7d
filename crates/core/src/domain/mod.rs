//! The sending domain's own records: what the MAIL FROM and HELO domains publish for receivers to
//! authenticate mail by. Each module parses, evaluates and writes its own findings over the shared
//! [`dns`](crate::dns) layer.
//!
//! - [`spf`]: RFC 7208 Sender Policy Framework, `check_host()` with a trace, and advice.

pub mod spf;
