//! DNS-over-HTTPS for Sender Check: RFC 8484 GET requests in DNS wire format, from the browser
//! (wasm32, through `fetch`) and from the command line (native, through hyper), with one code path.
//!
//! [`DohClient`] implements the engine's [`Resolver`](sendercheck_core::dns::Resolver) trait. Every
//! failure of the resolver becomes a [`ResolveError`](sendercheck_core::dns::ResolveError), which the
//! engine reports as RFC 8601 `temperror`: a timeout, an HTTP error status, a body that is not a DNS
//! message, a truncated reply, a reply to another question. Transient failures (HTTP 5xx and 429,
//! a dropped connection, a try that timed out) are tried again within the question's time budget,
//! and the failed tries are kept as evidence ([`Exchange::attempts`](sendercheck_core::dns::Exchange));
//! [`retry`] says when and how.
//!
//! ```no_run
//! # async fn demo() {
//! use sendercheck_core::{check, parse_ip};
//! use sendercheck_doh::DohClient;
//!
//! let doh = DohClient::new(sendercheck_doh::DEFAULT_RESOLVER).unwrap();
//! let report = check(&doh, parse_ip("192.0.2.10").unwrap(), Some("EHLO mail.example.com")).await;
//! println!("{:?}", report.verdict());
//! # }
//! ```
//!
//! ## Why GET and wire format
//!
//! A GET with only an `Accept` header is a CORS simple request: browsers send it without a
//! preflight, which DoH servers do not answer. Every public resolver speaks RFC 8484 wire format;
//! the JSON dialects differ between providers. The DNS id is 0 (RFC 8484 §4.1).
//!
//! ## Why an own decoder
//!
//! The first version encoded and decoded with `simple-dns`, chosen over `hickory-proto` by what
//! each adds to the page's wasm32 release build (opt-level "z", LTO, one codegen unit,
//! `panic = "abort"`), measured on a minimal cdylib that encodes a query and decodes an answer:
//!
//! | crate (version, features)               | adds, after `wasm-opt -Oz` (raw / gzip -9 / brotli) | crates in tree |
//! |-----------------------------------------|------------------------------------------------------|----------------|
//! | simple-dns 0.13.0 (default)             | +55.8 KB / +19.1 KB / +16.3 KB                       | 2              |
//! | hickory-proto 0.26.3, no default features | +250.0 KB / +101.5 KB / +84.8 KB                   | 50             |
//! | hickory-proto 0.26.3, default (`std`)   | +251.5 KB / +101.9 KB / +85.2 KB (with `getrandom/wasm_js`) | 56      |
//!
//! (Measured 2026-11-27: rustc 1.95, binaryen 132 from npm; baseline cdylib 9.2 KB raw.) When the
//! paste parsers pushed the page over its 300 KB gzip budget, `wire.rs` replaced simple-dns with
//! about 200 lines that read only what the checks need (header, the one question, the answer
//! section's A, AAAA, PTR, CNAME, NS and TXT data): the page's wasm went from 311.5 KB to 294.8 KB
//! gzip (`make size`). simple-dns stays as a dev-dependency: the tests
//! build their replies with it, so the decoder is checked against an independent encoder. Unlike
//! simple-dns, answers of another class than IN are skipped rather than failing the message, and
//! the authority and additional sections are not read.

#![warn(missing_docs)]

mod client;
pub mod replay;
pub mod retry;
mod wire;

pub use client::{
    resolver_url, DohClient, Fetched, DEFAULT_RESOLVER, DEFAULT_TIMEOUT, DNS_MESSAGE,
};
pub use retry::RetryPolicy;
pub use wire::{decode_answer, encode_query, DecodeError};

/// A resolver URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The URL is malformed or not a DoH endpoint.
    #[error("`{url}` is not a usable DoH resolver URL: {reason}")]
    ResolverUrl {
        /// The URL as given.
        url: String,
        /// What is wrong.
        reason: String,
    },
}
