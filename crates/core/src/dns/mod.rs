//! The DNS layer every check stands on: names, addresses and reverse names, the wire-independent
//! record types, the [`Resolver`] trait a transport implements, [`lookup`] with CNAME chasing, and
//! the per-run answer cache, and the zone a name belongs to (from its SOA).
//!
//! Laid out like hickory-proto's `op/` and `rr/`: each file one concern, this module only the list.

mod cache;
mod idna;
mod ip;
mod lookup;
mod name;
mod record;
mod resolver;
mod zone;

pub use cache::{Cached, DEFAULT_CAPACITY};
pub(crate) use ip::strip_prefix_ignore_case;
pub use ip::{canonical, forward_type, non_public_reason, parse_ip, reverse_name};
pub use lookup::{lookup, Exchange, Lookup, Outcome, MAX_CNAME_HOPS, MAX_QUERIES};
pub use name::DomainName;
pub(crate) use name::{in_zone, shorten};
pub use record::{Answer, Question, RData, Rcode, Record, RecordType, Soa};
pub use resolver::{Attempt, ResolveError, Resolver};
pub use zone::{zone_facts, zone_of, ZoneFacts};
