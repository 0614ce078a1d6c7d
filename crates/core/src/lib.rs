//! Sender Check's engine: will mailbox providers accept a sending server's identity?
//!
//! It judges forward-confirmed reverse DNS as RFC 8601 §3 `iprev`, flags generic-looking reverse
//! names, classifies the EHLO/HELO argument (RFC 5321 §4.1.1.1) and compares it with the reverse DNS,
//! and turns all of it into [`Finding`]s that say what was seen, why it matters and how to fix it.
//!
//! The engine does no I/O. It asks its DNS questions through the [`Resolver`] trait, which the CLI
//! and the web page implement with the same DNS-over-HTTPS client (`sendercheck-doh`). A
//! mail-configuration problem is never an `Err`: [`Error`] is only for input that is not an address
//! or a name.
//!
//! ```
//! use sendercheck_core::{parse_helo, parse_ip, reverse_name, HeloKind};
//!
//! let ip = parse_ip("2001:DB8::10").unwrap();
//! assert_eq!(ip.to_string(), "2001:db8::10");
//! assert!(reverse_name(ip).as_str().ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"));
//! assert_eq!(parse_helo("EHLO [192.0.2.1]").kind, HeloKind::AddressLiteral);
//! ```
//!
//! [`check`] runs everything for one address; see its example for a custom resolver.

#![warn(missing_docs)]

mod advice;
mod check;
mod dns;
mod error;
mod finding;
pub mod generic;
mod helo;
mod host;
mod idna;
mod ip;
mod iprev;
mod json;
mod markdown;
mod name;
pub mod paste;
mod resolve;
mod summary;
#[cfg(test)]
mod testing;

pub use advice::{address_record, helo_settings, ptr_record};
pub use check::{check, Report, Verdict};
pub use dns::{Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver};
pub use error::Error;
pub use finding::{refs, Area, Finding, Reference, Severity};
pub use helo::{literal_of, parse_helo, Helo, HeloCheck, HeloKind, HeloResult, Invalid};
pub use host::{check_host, HostReport};
pub use ip::{canonical, non_public_reason, parse_ip, reverse_name};
pub use iprev::{check_iprev, forward_type, Iprev, IprevResult, PtrName, MAX_PTR_NAMES};
pub use json::{host_json, report_json};
pub use markdown::{paste_markdown, report_markdown};
pub use name::DomainName;
pub use resolve::{lookup, Exchange, Lookup, Outcome, MAX_CNAME_HOPS, MAX_QUERIES};
pub use summary::{headline, Headline};
