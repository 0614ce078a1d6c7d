//! Sender Check's engine: will mailbox providers accept a sending server's identity?
//!
//! It judges forward-confirmed reverse DNS as RFC 8601 §3 `iprev`, flags generic-looking reverse
//! names, classifies the EHLO/HELO argument (RFC 5321 §4.1.1.1) and compares it with the reverse DNS,
//! and turns all of it into [`Finding`](finding::Finding)s that say what was seen, why it matters
//! and how to fix it.
//!
//! The engine does no I/O. It asks its DNS questions through the [`Resolver`] trait, which the CLI
//! and the web page implement with the same DNS-over-HTTPS client (`sendercheck-doh`). A
//! mail-configuration problem is never an `Err`: [`Error`] is only for input that is not an address
//! or a name.
//!
//! ```
//! use sendercheck_core::dns::{parse_ip, reverse_name};
//! use sendercheck_core::identity::helo::{parse_helo, HeloKind};
//!
//! let ip = parse_ip("2001:DB8::10").unwrap();
//! assert_eq!(ip.to_string(), "2001:db8::10");
//! assert!(reverse_name(ip).as_str().ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"));
//! assert_eq!(parse_helo("EHLO [192.0.2.1]").kind, HeloKind::AddressLiteral);
//! ```
//!
//! [`check`] runs everything for one address; see its example for a custom resolver.

#![warn(missing_docs)]

//! ## The map
//!
//! | folder | what it holds |
//! |---|---|
//! | [`dns`] | names, addresses and reverse names, record types, the [`Resolver`] trait, lookups with CNAME chasing, the per-run answer cache |
//! | [`finding`] | the [`Finding`](finding::Finding) type, the catalogue of every finding id, the rules they cite |
//! | [`identity`] | the sending server's identity: FCrDNS (`iprev`), generic reverse names, the EHLO name, each with its findings |
//! | [`domain`] | the sending domain: SPF (RFC 7208 `check_host()` with a trace), DMARC (RFC 9989 tree walk and record), DKIM keys, identifier alignment, MX and existence, the providers' requirements as data |
//! | [`fix`] | where to make each fix: who runs the reverse zone, who hosts the forward zones, which MTA setting (data in `crates/core/data/`, outside the page's first load) |
//! | [`report`] | a run's subject and outcome ([`Target`], [`Checked`]), the headline, JSON and Markdown |
//! | [`paste`] | recognising pasted headers, logs, configs and bounces, and what only a paste can tell |
//! | [`bounce`] | reading bounces (DSNs, NDRs, MTA log replies, bare SMTP replies), the knowledge base of receivers' replies, the reply-code registry, and whether a bounce's cause is still there |
//! | [`blocklist`] | DNS blocklists (RFC 5782): the curated lists as data, IPv6 nibbles, the test points asked in the same round, decoded codes |

pub mod blocklist;
pub mod bounce;
pub mod dns;
pub mod domain;
mod error;
pub mod finding;
pub mod fix;
pub mod identity;
pub mod paste;
pub mod report;
#[cfg(test)]
mod testing;

pub use dns::{parse_ip, DomainName, Resolver};
pub use error::Error;
pub use report::{check, check_host, Checked, Report, Target, Verdict};

/// Implements `Serialize` with the type's `as_str`, so that each word is spelt in one place.
#[macro_export]
#[doc(hidden)]
macro_rules! serialize_as_str {
    ($($t:ty),*) => {$(
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    )*};
}
