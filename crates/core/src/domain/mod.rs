//! The sending domain: what receivers conclude from the DNS of the domains in a message's
//! envelope and headers.
//!
//! Its modules arrive one per concern (DMARC, DKIM keys, alignment, MX, the providers'
//! requirements); [`fix`] holds the zone-file lines their fixes share.
//!
//! Each module judges and writes its own findings. All DNS goes through the run's
//! [`Cached`](crate::dns::Cached) resolver: a question is asked once per run, and checks that
//! run together share answers.

pub mod fix;
