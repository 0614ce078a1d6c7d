//! The DNS data the engine reasons about: questions, records and answers, independent of the wire.
//!
//! A transport (the DoH client in `sendercheck-doh`) encodes a [`Question`] and decodes the reply
//! into an [`Answer`]; the engine never sees bytes.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::DomainName;

/// A record type (RFC 1035 §3.2.2, RFC 3596 §2.1).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// IPv4 address (1).
    A,
    /// Name server (2).
    Ns,
    /// Alias (5).
    Cname,
    /// Start of authority (6).
    Soa,
    /// Reverse pointer (12).
    Ptr,
    /// Mail exchanger (15).
    Mx,
    /// Text (16).
    Txt,
    /// IPv6 address (28).
    Aaaa,
    /// The SPF record type (99), deprecated by RFC 7208 §14.1; still published by some zones.
    Spf,
    /// Any other type, by number.
    Unknown(u16),
}

impl RecordType {
    /// The type's number on the wire.
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Ns => 2,
            RecordType::Cname => 5,
            RecordType::Soa => 6,
            RecordType::Ptr => 12,
            RecordType::Mx => 15,
            RecordType::Txt => 16,
            RecordType::Aaaa => 28,
            RecordType::Spf => 99,
            RecordType::Unknown(n) => n,
        }
    }

    /// The type for a number on the wire.
    pub fn from_code(code: u16) -> Self {
        match code {
            1 => RecordType::A,
            2 => RecordType::Ns,
            5 => RecordType::Cname,
            6 => RecordType::Soa,
            12 => RecordType::Ptr,
            15 => RecordType::Mx,
            16 => RecordType::Txt,
            28 => RecordType::Aaaa,
            99 => RecordType::Spf,
            n => RecordType::Unknown(n),
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordType::A => f.write_str("A"),
            RecordType::Ns => f.write_str("NS"),
            RecordType::Cname => f.write_str("CNAME"),
            RecordType::Soa => f.write_str("SOA"),
            RecordType::Ptr => f.write_str("PTR"),
            RecordType::Mx => f.write_str("MX"),
            RecordType::Txt => f.write_str("TXT"),
            RecordType::Aaaa => f.write_str("AAAA"),
            RecordType::Spf => f.write_str("SPF"),
            RecordType::Unknown(n) => write!(f, "TYPE{n}"),
        }
    }
}

impl Serialize for RecordType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A response code (RFC 1035 §4.1.1, RFC 6895 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rcode {
    /// 0: no error (possibly no data).
    NoError,
    /// 1: the server could not parse the query.
    FormErr,
    /// 2: the server failed (often DNSSEC or an unreachable authority).
    ServFail,
    /// 3: the name does not exist.
    NxDomain,
    /// 4: not implemented.
    NotImp,
    /// 5: refused by policy.
    Refused,
    /// Any other code.
    Other(u16),
}

impl Rcode {
    /// The code for a number on the wire.
    pub fn from_code(code: u16) -> Self {
        match code {
            0 => Rcode::NoError,
            1 => Rcode::FormErr,
            2 => Rcode::ServFail,
            3 => Rcode::NxDomain,
            4 => Rcode::NotImp,
            5 => Rcode::Refused,
            n => Rcode::Other(n),
        }
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rcode::NoError => f.write_str("NOERROR"),
            Rcode::FormErr => f.write_str("FORMERR"),
            Rcode::ServFail => f.write_str("SERVFAIL"),
            Rcode::NxDomain => f.write_str("NXDOMAIN"),
            Rcode::NotImp => f.write_str("NOTIMP"),
            Rcode::Refused => f.write_str("REFUSED"),
            Rcode::Other(n) => write!(f, "RCODE{n}"),
        }
    }
}

impl Serialize for Rcode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A question: one name, one type, class IN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Question {
    /// The name asked about.
    pub name: DomainName,
    /// The type asked for.
    #[serde(rename = "type")]
    pub rtype: RecordType,
}

impl Question {
    /// A question for `name` and `rtype`.
    pub fn new(name: DomainName, rtype: RecordType) -> Self {
        Question { name, rtype }
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.rtype)
    }
}

/// The data of a record the engine understands; anything else is kept as presentation text.
/// Names are lower case without the trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// An alias target.
    Cname(String),
    /// A reverse pointer target.
    Ptr(String),
    /// A name server.
    Ns(String),
    /// A mail exchanger (RFC 1035 §3.3.9).
    Mx {
        /// Lower is preferred.
        preference: u16,
        /// The exchange's host name (`.`, the empty name, is RFC 7505's null MX).
        exchange: String,
    },
    /// The character-strings of a TXT (or SPF) record, each at most 255 octets on the wire, in
    /// order (RFC 1035 §3.3.14); octets that are not UTF-8 become U+FFFD.
    Txt(Vec<String>),
    /// A zone's start of authority (RFC 1035 §3.3.13).
    Soa(Soa),
    /// Any other data, in presentation form.
    Other(String),
}

/// The fields of an SOA record (RFC 1035 §3.3.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soa {
    /// The zone's primary name server.
    pub mname: String,
    /// The mailbox of the person responsible, as a name (`hostmaster.example.com`).
    pub rname: String,
    /// The zone's version number.
    pub serial: u32,
    /// Seconds between the secondaries' checks.
    pub refresh: u32,
    /// Seconds before a failed check is retried.
    pub retry: u32,
    /// Seconds after which secondaries stop answering without a check.
    pub expire: u32,
    /// The TTL of negative answers (RFC 2308 §4).
    pub minimum: u32,
}

impl RData {
    /// The concatenated text of a TXT record (RFC 7208 §3.3: the strings are joined with nothing
    /// between them), or `None` for other data.
    pub fn txt(&self) -> Option<String> {
        match self {
            RData::Txt(parts) => Some(parts.concat()),
            _ => None,
        }
    }
}

impl fmt::Display for RData {
    /// Presentation form, as in a zone file: TXT strings quoted, MX as `preference exchange`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(a) => write!(f, "{a}"),
            RData::Aaaa(a) => write!(f, "{a}"),
            RData::Cname(n) | RData::Ptr(n) | RData::Ns(n) | RData::Other(n) => f.write_str(n),
            RData::Mx {
                preference,
                exchange,
            } => write!(
                f,
                "{preference} {}",
                if exchange.is_empty() { "." } else { exchange }
            ),
            RData::Txt(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    f.write_str("\"")?;
                    for c in part.chars() {
                        if c == '"' || c == '\\' {
                            f.write_str("\\")?;
                        }
                        write!(f, "{c}")?;
                    }
                    f.write_str("\"")?;
                }
                Ok(())
            }
            RData::Soa(s) => write!(
                f,
                "{} {} {} {} {} {} {}",
                s.mname, s.rname, s.serial, s.refresh, s.retry, s.expire, s.minimum
            ),
        }
    }
}

impl Serialize for RData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One resource record of an answer section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Owner name as text (lower case, no trailing dot).
    pub name: String,
    /// Record type.
    #[serde(rename = "type")]
    pub rtype: RecordType,
    /// Time to live, seconds.
    pub ttl: u32,
    /// The data.
    pub data: RData,
}

impl fmt::Display for Record {
    /// Zone-file order: `name ttl TYPE data`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} {}", self.name, self.ttl, self.rtype, self.data)
    }
}

/// A decoded reply: what the engine needs of it, and what the page shows as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The response code.
    pub rcode: Rcode,
    /// The AD flag: the resolver validated the answer with DNSSEC (RFC 4035 §3.2.3).
    pub authenticated: bool,
    /// The answer section.
    pub records: Vec<Record>,
    /// The authority section: the zone's SOA in a negative answer (RFC 2308 §3), or NS records of
    /// a referral.
    pub authority: Vec<Record>,
}

impl Answer {
    /// An answer with `rcode` and `records`, no AD flag and no authority section.
    pub fn new(rcode: Rcode, records: Vec<Record>) -> Self {
        Answer {
            rcode,
            authenticated: false,
            records,
            authority: Vec::new(),
        }
    }
}
