//! DMARC (RFC 9989, "DMARCbis"): the policy record and what it asks.

pub mod record;

pub use record::{parse_record, DmarcRecord, Level, Mode, Policy, PolicyState, Psd, Relation};
