//! The sending domain: what receivers conclude from the DNS of the domains in a message's
//! envelope and headers.
//!
//! | module | what it checks |
//! |---|---|
//! | [`dmarc`] | the DMARC policy record that applies to the From domain (RFC 9989 tree walk), every tag, the organizational domain, external report destinations |
//! | [`dkim`] | DKIM key records by selector (RFC 6376 §3.6.1), key types and lengths (RFC 8301, RFC 8463) |
//! | [`alignment`] | the From domain against the SPF domain and DKIM `d=` (RFC 9989 identifier alignment) |
//! | [`mx`] | whether a domain exists and can receive mail: MX, null MX (RFC 7505), A/AAAA fallback |
//!
//! Each module judges and writes its own findings. All DNS goes through the run's
//! [`Cached`](crate::dns::Cached) resolver: a question is asked once per run, and checks that
//! run together share answers.

pub mod alignment;
pub mod dkim;
pub mod dmarc;
pub mod fix;
pub mod mx;
