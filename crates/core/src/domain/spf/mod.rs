//! SPF, RFC 7208: `check_host()` exactly, with a trace of everything it did, and advice.
//!
//! - [`check_host`] is RFC 7208 §4: the `<ip>`, `<domain>` and `<sender>` of the RFC, plus the
//!   HELO name for the `%{h}` macro. The domain is text, because an identity may be no domain at
//!   all (§4.3 then says `none`).
//! - [`spf_mail_from`] checks the MAIL FROM identity (§2.4): `postmaster@<helo>` for the null
//!   reverse-path, `postmaster@<domain>` when only a domain is given (§4.3).
//! - [`spf_helo`] checks the HELO identity (§2.3): `postmaster@<helo>`.
//! - [`evaluate`] takes a [`Request`] with the rest of the macro inputs (`%{r}`, `%{t}`).
//! - [`advice::findings`] turns an [`Evaluation`] into findings: the result at Gmail, Yahoo and
//!   Outlook.com, and what in the record puts mail at risk, with the record to publish instead.
//!
//! An [`Evaluation`] serialises to JSON as
//! `{identity, ip, domain, sender, result, record, decided_by, lookups, void_lookups, explanation,
//! problem, trace, cost, spf_type_records}`: `result` is a word of §2.6 (`none`, `neutral`, `pass`,
//! `fail`, `softfail`, `temperror`, `permerror`), `trace` is the [`Trace`] tree (each record
//! fetched, each term in order with its outcome and why, `include:` and `redirect=` calls nested
//! under their terms), `cost` the worst case of the lookup limit ([`Cost`]).
//!
//! ```
//! use sendercheck_core::domain::spf::{spf_mail_from, SpfResult};
//! use sendercheck_core::dns::{Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver};
//!
//! /// One domain with one record; every other name does not exist.
//! struct Zone;
//! impl Resolver for Zone {
//!     async fn query(&self, q: &Question) -> Result<Answer, ResolveError> {
//!         if q.name.as_str() == "example.com" && q.rtype == RecordType::Txt {
//!             let data = RData::Txt(vec!["v=spf1 ip4:192.0.2.0/24 -all".into()]);
//!             let record = Record { name: "example.com".into(), rtype: RecordType::Txt, ttl: 300, data };
//!             return Ok(Answer::new(Rcode::NoError, vec![record]));
//!         }
//!         Ok(Answer::new(Rcode::NxDomain, vec![]))
//!     }
//! }
//!
//! let ip = "192.0.2.25".parse().unwrap();
//! let spf = futures::executor::block_on(spf_mail_from(&Zone, ip, "alice@example.com", "mail.example.com"));
//! assert_eq!(spf.result, SpfResult::Pass);
//! assert_eq!(spf.decided_by.as_deref(), Some("ip4:192.0.2.0/24"));
//! assert_eq!(spf.lookups, 0);
//! ```
//!
//! ## How the lookups go out
//!
//! The RFC's order, counts and limits are kept: terms are evaluated left to right, each
//! DNS-querying term counts when it is evaluated, and an answer fetched but never used counts for
//! nothing. But the questions go out early. Evaluation runs through a per-check [`Cached`]
//! resolver; as soon as a record is parsed, every lookup its terms will need whose domain-spec
//! needs no DNS to expand (TXT of `include:`/`redirect=` targets, A/AAAA of `a`, MX of `mx`, A of
//! `exists`, PTR of `ptr`) is asked at once, together, and recursively for the records those TXT
//! answers hold, within the 10 lookups the check may still make; an `mx` answer's hosts are asked
//! as soon as it arrives. Evaluation meanwhile walks the terms in order and finds the answers in
//! the cache. So a check costs round trips by the depth of its include tree, not by its number of
//! lookups: **one round per level of records (the checked domain's TXT is the first), one more
//! when the deepest record evaluated has DNS-querying terms, and one more when an `mx` there needs
//! its hosts' addresses** (plus one for each CNAME a resolver did not chase). A record with five
//! `a:` terms and three includes of `ip4:` terms takes 2 rounds; a three-level tree (domain →
//! include → include) takes 3, 4 with an `a:` at the bottom, 5 with an `mx` there.
//! [`Evaluation::rounds`] computes this from the trace (for `make bench` to print beside what it
//! measures); the unit tests check it against a resolver that holds every question until the round
//! ends. The worst-case [`Cost`] walk and the SPF-type query run beside the evaluation on the same
//! cache, so the check also waits for the deepest record of the whole tree.
//!
//! ## Limits and choices where the RFC leaves room
//!
//! - 10 DNS-querying terms (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) per check, the 11th
//!   is a `permerror`; expanding `%{p}` in a domain-spec counts as one more (its PTR query, §4.6.4).
//! - 2 void lookups (NXDOMAIN, or NOERROR with no answer), counted per term; the 3rd is a
//!   `permerror`. An `exp=` lookup never counts.
//! - More than 10 MX records is a `permerror`; PTR names past the 10th are ignored.
//! - A target name that cannot be a DNS name after expansion (an empty label, a label over 63
//!   octets, §4.8 leaves it undefined) does not exist: `a`, `mx`, `ptr` and `exists` do not match;
//!   `include:` and `redirect=` give `permerror`, as for any domain without a record.
//! - `%{i}` of an IPv6 address is written with upper-case nibbles, as the test suite expects.
//! - `%{r}` is `unknown` and `%{t}` is 0 unless the [`Request`] gives them: the engine reads no
//!   clock (wasm has none in `std`).
//! - No explanation unless `exp=` gives one: the caller adds its own default.

pub mod advice;
mod eval;
pub mod macros;
mod mechanisms;
mod prefetch;
pub mod record;
mod trace;

use std::net::IpAddr;

use serde::Serialize;

use crate::dns::{Cached, Resolver};
pub use trace::{Cost, TermCost, TermOutcome, TermTrace, Trace};

/// Most DNS-querying terms one check may evaluate (§4.6.4).
pub const MAX_LOOKUPS: usize = 10;
/// Most void lookups one check may make (§4.6.4, the RFC's recommended default).
pub const MAX_VOID_LOOKUPS: usize = 2;
/// Most MX or PTR names one `mx`, `ptr` or `%{p}` looks up (§4.6.4).
pub const MAX_NAMES: usize = 10;

/// An SPF result (RFC 7208 §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpfResult {
    /// No SPF record, or the identity is no domain (§2.6.1).
    None,
    /// The domain asserts nothing about the address (§2.6.2).
    Neutral,
    /// The address is authorized (§2.6.3).
    Pass,
    /// The address is not authorized (§2.6.4).
    Fail,
    /// Probably not authorized (§2.6.5).
    SoftFail,
    /// A transient DNS error (§2.6.6).
    TempError,
    /// The records could not be interpreted (§2.6.7).
    PermError,
}

impl SpfResult {
    /// The result word, as in `Received-SPF` and `Authentication-Results`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }
}

/// Which identity is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The MAIL FROM (reverse-path) domain (§2.4).
    MailFrom,
    /// The HELO/EHLO name (§2.3).
    Helo,
}

impl Identity {
    /// `mail-from` or `helo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::MailFrom => "mail-from",
            Identity::Helo => "helo",
        }
    }
}

crate::serialize_as_str!(SpfResult, Identity);

/// Everything one check needs: `check_host()`'s arguments and the macro inputs.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `<ip>`: the client's address.
    pub ip: IpAddr,
    /// `<domain>`: the domain whose record is checked.
    pub domain: &'a str,
    /// `<sender>`: `local-part@domain` (a missing local-part becomes `postmaster`).
    pub sender: &'a str,
    /// The HELO/EHLO name (`%{h}`).
    pub helo: &'a str,
    /// The checking host's name (`%{r}`, explanations only).
    pub receiver: &'a str,
    /// Seconds since the epoch (`%{t}`, explanations only).
    pub timestamp: u64,
    /// The identity the result is about.
    pub identity: Identity,
}

/// The result of one check, with the trace behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The identity checked.
    pub identity: Identity,
    /// The client address (IPv4-mapped addresses as IPv4).
    pub ip: IpAddr,
    /// The domain checked, as given.
    pub domain: String,
    /// The sender, `local@domain`.
    pub sender: String,
    /// The result.
    pub result: SpfResult,
    /// The domain's SPF record, when it has exactly one.
    pub record: Option<String>,
    /// The terms that decided, outermost first, joined by ` → ` (e.g.
    /// `include:_spf.example.net → ip4:192.0.2.0/24`); `None` for `none` and the default `neutral`.
    pub decided_by: Option<String>,
    /// DNS-querying terms evaluated (the limit is [`MAX_LOOKUPS`]).
    pub lookups: usize,
    /// Void lookups made (the limit is [`MAX_VOID_LOOKUPS`]).
    pub void_lookups: usize,
    /// The `exp=` explanation, when the result is `fail` and the record gives one (§6.2).
    pub explanation: Option<String>,
    /// Why the result is `none`, `permerror` or `temperror`, naming the term.
    pub problem: Option<String>,
    /// The calls and terms, as a tree.
    pub trace: Trace,
    /// The worst case of the lookup limit for this record.
    pub cost: Cost,
    /// Records of the deprecated SPF RR type (99) at the domain (§3.1, §14.1).
    pub spf_type_records: Vec<String>,
}

impl Evaluation {
    /// How deep the evaluated `include:`/`redirect=` calls go below the checked record.
    pub fn depth(&self) -> usize {
        self.trace.depth()
    }

    /// The round trips this check takes with a resolver that chases CNAMEs, every lookup going
    /// out as early as it can (see "How the lookups go out" above): the last answer evaluation
    /// needed, or the deepest record the worst-case walk read, whichever comes later, plus one
    /// for the `exp=` text of a `fail`. 0 when nothing was asked.
    pub fn rounds(&self) -> usize {
        if self.trace.lookup.is_empty() {
            return 0;
        }
        let evaluation = self.trace.last_round(1) + usize::from(self.explanation.is_some());
        evaluation.max(self.cost.levels)
    }
}

/// RFC 7208 §4 `check_host(<ip>, <domain>, <sender>)`, with `helo` for `%{h}`; the identity is
/// reported as MAIL FROM.
pub async fn check_host<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> Evaluation {
    evaluate(
        resolver,
        &Request {
            ip,
            domain,
            sender,
            helo,
            receiver: "unknown",
            timestamp: 0,
            identity: Identity::MailFrom,
        },
    )
    .await
}

/// The MAIL FROM identity (§2.4): `mail_from` is the reverse-path (`user@domain`, `<user@domain>`,
/// a bare domain, or empty for the null reverse-path, which checks `postmaster@<helo>`).
pub async fn spf_mail_from<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    mail_from: &str,
    helo: &str,
) -> Evaluation {
    let path = mail_from.trim();
    let path = path
        .strip_prefix('<')
        .and_then(|p| p.strip_suffix('>'))
        .unwrap_or(path);
    let (domain, sender) = match path.rsplit_once('@') {
        _ if path.is_empty() => (
            helo.trim().to_string(),
            format!("postmaster@{}", helo.trim()),
        ),
        Some((_, domain)) => (domain.to_string(), path.to_string()),
        None => (path.to_string(), format!("postmaster@{path}")),
    };
    check_host(resolver, ip, &domain, &sender, helo).await
}

/// The HELO identity (§2.3): `postmaster@<helo>` against the HELO name's record.
pub async fn spf_helo<R: Resolver>(resolver: &R, ip: IpAddr, helo: &str) -> Evaluation {
    let helo = helo.trim();
    let sender = format!("postmaster@{helo}");
    evaluate(
        resolver,
        &Request {
            ip,
            domain: helo,
            sender: &sender,
            helo,
            receiver: "unknown",
            timestamp: 0,
            identity: Identity::Helo,
        },
    )
    .await
}

/// Runs one check as `request` describes, through a per-check answer cache.
pub async fn evaluate<R: Resolver>(resolver: &R, request: &Request<'_>) -> Evaluation {
    let cached = Cached::new(resolver);
    eval::run(&cached, request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::FixedResolver;
    use futures::executor::block_on;

    fn mail_from(path: &str, helo: &str) -> (String, String) {
        let e = block_on(spf_mail_from(
            &FixedResolver::new(),
            "192.0.2.1".parse().unwrap(),
            path,
            helo,
        ));
        (e.domain, e.sender)
    }

    #[test]
    fn identities() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            mail_from("alice@example.com", "h.example"),
            s("example.com", "alice@example.com")
        );
        assert_eq!(
            mail_from("<alice@example.com>", "h.example"),
            s("example.com", "alice@example.com")
        );
        assert_eq!(
            mail_from("", "h.example"),
            s("h.example", "postmaster@h.example")
        );
        assert_eq!(
            mail_from("<>", "h.example"),
            s("h.example", "postmaster@h.example")
        );
        assert_eq!(
            mail_from("example.com", "h.example"),
            s("example.com", "postmaster@example.com")
        );
        assert_eq!(
            mail_from("@example.com", "h.example"),
            s("example.com", "postmaster@example.com")
        );
        let e = block_on(spf_helo(
            &FixedResolver::new(),
            "::ffff:192.0.2.1".parse().unwrap(),
            "h.example",
        ));
        assert_eq!(
            (e.identity, e.sender.as_str(), e.ip.to_string()),
            (Identity::Helo, "postmaster@h.example", "192.0.2.1".into())
        );
    }

    #[test]
    fn json_shape() {
        let e = block_on(check_host(
            &FixedResolver::new(),
            "192.0.2.1".parse().unwrap(),
            "example.com",
            "a@example.com",
            "h.example",
        ));
        let json = serde_json::to_value(&e).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "identity",
            "ip",
            "domain",
            "sender",
            "result",
            "record",
            "decided_by",
            "lookups",
            "void_lookups",
            "explanation",
            "problem",
            "trace",
            "cost",
            "spf_type_records",
        ] {
            assert!(keys.contains(&key), "{key}");
        }
        assert_eq!(json["result"], "none");
        assert_eq!(json["identity"], "mail-from");
        assert_eq!(
            json["trace"]["lookup"],
            "the name exists but has no TXT record (NODATA)"
        );
        assert_eq!(e.rounds(), 1);
    }
}
