//! The DNS data the engine reasons about, and the [`Resolver`] trait a transport implements.
//!
//! These types are the boundary between the engine and the wire: a transport (the DoH client in
//! `sendercheck-doh`) encodes a [`Question`], decodes the reply into an [`Answer`], and reports
//! transport trouble as a [`ResolveError`]. The engine never sees bytes.

use std::fmt;
use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::DomainName;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// An alias target, as text (lower case, no trailing dot).
    Cname(String),
    /// A reverse pointer target, as text (lower case, no trailing dot).
    Ptr(String),
    /// Any other data, in presentation form.
    Other(String),
}

impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(a) => write!(f, "{a}"),
            RData::Aaaa(a) => write!(f, "{a}"),
            RData::Cname(n) | RData::Ptr(n) | RData::Other(n) => f.write_str(n),
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
}

/// A question that got no usable answer. Every variant makes the affected check `temperror`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No reply within the time allowed.
    #[error("no answer within {} s", *millis as f64 / 1000.0)]
    Timeout {
        /// The limit that passed, in milliseconds.
        millis: u64,
    },
    /// The resolver could not be reached (connection refused, TLS failure, blocked by CORS, …).
    #[error("could not reach the resolver: {0}")]
    Transport(String),
    /// The resolver answered with an HTTP error status.
    #[error("the resolver answered HTTP {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
    },
    /// The body was not a DNS message.
    #[error("the resolver's reply is not a DNS message: {0}")]
    NotDns(String),
    /// The reply had the TC bit set: part of the answer is missing.
    #[error("the resolver's reply is truncated (TC flag), so part of the answer is missing")]
    Truncated,
    /// The reply answers a different question than the one asked.
    #[error("the resolver answered another question ({got}) instead of {asked}")]
    WrongQuestion {
        /// What was asked.
        asked: String,
        /// What the reply says it answers.
        got: String,
    },
}

/// Asks one DNS question. Implemented by transports; the engine calls it for every lookup and runs
/// independent questions concurrently, so an implementation must allow several calls at once.
///
/// The futures need not be `Send`: the browser's fetch futures are not, and the engine never spawns.
pub trait Resolver {
    /// Asks `question` and returns the decoded reply, whatever its rcode.
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>>;
}

impl<R: Resolver + ?Sized> Resolver for &R {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        (**self).query(question)
    }
}
