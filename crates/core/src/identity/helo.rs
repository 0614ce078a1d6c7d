//! The EHLO/HELO name: parse what the user pasted, classify it, and compare it with reverse DNS.
//!
//! RFC 5321 §4.1.1.1: the argument of EHLO is the client's fully-qualified domain name, or an address
//! literal (§4.1.3: `[192.0.2.1]`, `[IPv6:2001:db8::1]`) when it has none. Receivers go further:
//! Postfix's `reject_invalid_helo_hostname`, `reject_non_fqdn_helo_hostname` and
//! `reject_unknown_helo_hostname` refuse malformed, single-label and unresolvable names, and
//! Fastmail's guidance is that the name match the sending IP's reverse DNS. The rule checked here is
//! that last one: `pass` only for a fully-qualified name equal to a forward-confirmed PTR name.

use std::net::IpAddr;

use super::fix::{address_record, best_name, helo_settings, ptr_record};
use super::iprev::{Iprev, IprevResult};
use crate::dns::{
    forward_type, lookup, shorten, zone_of, DomainName, Lookup, Outcome, Resolver, ZoneFacts,
};
use crate::finding::{Finding, FindingId};

/// RFC 5321 §4.5.3.1.2: a domain is at most 255 octets.
const MAX_ARGUMENT: usize = 255;

/// What kind of argument the EHLO carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeloKind {
    /// A syntactically valid fully-qualified host name.
    Fqdn,
    /// An address literal such as `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
    AddressLiteral,
    /// Anything else.
    Invalid,
}

impl HeloKind {
    /// The kind word (`fqdn`, `address-literal`, `invalid`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HeloKind::Fqdn => "fqdn",
            HeloKind::AddressLiteral => "address-literal",
            HeloKind::Invalid => "invalid",
        }
    }
}

crate::serialize_as_str!(HeloKind);

/// Why an argument is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Nothing after the verb.
    Empty,
    /// An IP address without the brackets of an address literal.
    BareIp(IpAddr),
    /// One label only, e.g. `mailserver`.
    SingleLabel,
    /// `localhost` or a name under `.localhost`/`.localdomain`.
    Localhost,
    /// An underscore, e.g. `mail_1.example.com`.
    Underscore,
    /// Brackets around something that is not an address.
    BadLiteral(String),
    /// Not a name at all; the reason says why.
    Junk(String),
}

impl Invalid {
    /// One sentence saying what is wrong.
    pub fn reason(&self) -> String {
        match self {
            Invalid::Empty => "nothing follows EHLO; RFC 5321 §4.1.1.1 requires the client's domain name".into(),
            Invalid::BareIp(ip) => format!(
                "it is a bare IP address; RFC 5321 §4.1.3 allows an address only as a literal in brackets ({}), and receivers treat a bare one as invalid",
                literal_of(*ip)
            ),
            Invalid::SingleLabel => "it is a single label, not a fully-qualified domain name (RFC 5321 §2.3.5)".into(),
            Invalid::Localhost => "it is `localhost`, which names every machine and identifies none".into(),
            Invalid::Underscore => "it contains an underscore, which host names may not (RFC 1123 §2.1)".into(),
            Invalid::BadLiteral(why) => format!("it is not a valid address literal: {why}"),
            Invalid::Junk(why) => format!("it is not a domain name: {why}"),
        }
    }
}

/// The address literal for an address: `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
pub fn literal_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("[{v4}]"),
        IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
    }
}

/// A parsed EHLO argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helo {
    /// The argument: for a name, lower case without a trailing dot; otherwise as written (shortened
    /// if huge).
    pub name: String,
    /// Its kind.
    pub kind: HeloKind,
    /// The name, when the kind is [`HeloKind::Fqdn`].
    pub domain: Option<DomainName>,
    /// The address, when the kind is [`HeloKind::AddressLiteral`].
    pub literal: Option<IpAddr>,
    /// Why it is invalid, when it is.
    pub invalid: Option<Invalid>,
}

/// Parses a pasted line: `EHLO x`, `HELO x`, a server's `250 x …` or `220 x …` line, or a bare name.
/// Only the first non-empty line counts; the argument is its first word after the verb or code.
///
/// ```
/// use sendercheck_core::identity::helo::{parse_helo, HeloKind};
/// let h = parse_helo("EHLO Mail.Example.COM.");
/// assert_eq!((h.name.as_str(), h.kind), ("mail.example.com", HeloKind::Fqdn));
/// assert_eq!(parse_helo("250-[192.0.2.1] Hello").kind, HeloKind::AddressLiteral);
/// assert_eq!(parse_helo("HELO mailserver").kind, HeloKind::Invalid);
/// ```
pub fn parse_helo(text: &str) -> Helo {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut words = line.split_whitespace();
    let mut arg = words.next().unwrap_or("");
    let verb = arg.to_ascii_uppercase();
    if verb == "EHLO" || verb == "HELO" || verb == "LHLO" || verb == "220" || verb == "250" {
        arg = words.next().unwrap_or("");
    } else if let Some(rest) = arg
        .strip_prefix("250-")
        .or_else(|| arg.strip_prefix("220-"))
    {
        arg = rest;
    }
    classify(arg)
}

fn invalid(arg: &str, why: Invalid) -> Helo {
    Helo {
        name: shorten(arg),
        kind: HeloKind::Invalid,
        domain: None,
        literal: None,
        invalid: Some(why),
    }
}

fn classify(arg: &str) -> Helo {
    if arg.is_empty() {
        return invalid(arg, Invalid::Empty);
    }
    if arg.len() > MAX_ARGUMENT {
        return invalid(
            arg,
            Invalid::Junk(format!(
                "it is {} characters long; a domain has at most 255 (RFC 5321 §4.5.3.1.2)",
                arg.len()
            )),
        );
    }
    if arg.starts_with('[') {
        return classify_literal(arg);
    }
    if let Ok(ip) = arg.parse::<IpAddr>() {
        return invalid(arg, Invalid::BareIp(ip));
    }
    // DomainName::parse lower-cases what is not ASCII (`dns::idna`).
    let lower = arg.to_ascii_lowercase();
    let bare = lower.strip_suffix('.').unwrap_or(&lower);
    if bare == "localhost"
        || bare.ends_with(".localhost")
        || bare == "localhost.localdomain"
        || bare.ends_with(".localdomain")
    {
        return invalid(bare, Invalid::Localhost);
    }
    if bare.contains('_') {
        return invalid(bare, Invalid::Underscore);
    }
    let name = match DomainName::parse(bare) {
        Ok(n) => n,
        Err(crate::Error::InvalidName { reason, .. }) => {
            return invalid(arg, Invalid::Junk(reason))
        }
        Err(e) => return invalid(arg, Invalid::Junk(e.to_string())),
    };
    if let Some(why) = name.host_name_problem() {
        return invalid(name.as_str(), Invalid::Junk(why));
    }
    if name.label_count() < 2 {
        return invalid(name.as_str(), Invalid::SingleLabel);
    }
    Helo {
        name: name.to_string(),
        kind: HeloKind::Fqdn,
        domain: Some(name),
        literal: None,
        invalid: None,
    }
}

/// RFC 5321 §4.1.3: `[` IPv4-address-literal `]` or `[IPv6:` IPv6-addr `]`.
fn classify_literal(arg: &str) -> Helo {
    let Some(inner) = arg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
        return invalid(
            arg,
            Invalid::BadLiteral("the closing `]` is missing".into()),
        );
    };
    let literal = |ip: IpAddr| Helo {
        name: arg.to_string(),
        kind: HeloKind::AddressLiteral,
        domain: None,
        literal: Some(ip),
        invalid: None,
    };
    if let Some(v6) = crate::dns::strip_prefix_ignore_case(inner, "ipv6:") {
        return match v6.parse::<std::net::Ipv6Addr>() {
            Ok(v6) => literal(IpAddr::V6(v6)),
            Err(_) => invalid(
                arg,
                Invalid::BadLiteral(format!("`{}` is not an IPv6 address", shorten(v6))),
            ),
        };
    }
    match inner.parse::<std::net::Ipv4Addr>() {
        Ok(v4) => literal(IpAddr::V4(v4)),
        Err(_) if inner.parse::<std::net::Ipv6Addr>().is_ok() => invalid(
            arg,
            Invalid::BadLiteral(
                "an IPv6 literal needs the `IPv6:` tag, as in `[IPv6:2001:db8::1]`".into(),
            ),
        ),
        Err(_) => invalid(
            arg,
            Invalid::BadLiteral(format!("`{}` is not an IPv4 address", shorten(inner))),
        ),
    }
}

/// The EHLO check's result word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeloResult {
    /// A fully-qualified name equal to a forward-confirmed PTR name.
    Pass,
    /// Anything else that is known for certain.
    Fail,
    /// The PTR side could not be evaluated, so the match is unknown.
    TempError,
}

impl HeloResult {
    /// The result word (`pass`, `fail`, `temperror`).
    pub fn as_str(self) -> &'static str {
        match self {
            HeloResult::Pass => "pass",
            HeloResult::Fail => "fail",
            HeloResult::TempError => "temperror",
        }
    }
}

crate::serialize_as_str!(HeloResult);

/// The EHLO check of one address.
#[derive(Debug, Clone, PartialEq)]
pub struct HeloCheck {
    /// The parsed argument.
    pub helo: Helo,
    /// The name's own forward lookup in the address's family (only for a fully-qualified name).
    pub forward: Option<Lookup>,
    /// True when the name equals a forward-confirmed PTR name.
    pub matches_ptr: bool,
    /// Whether the name's forward lookup contains the address; `None` when not looked up or when
    /// the lookup failed transiently.
    pub resolves_to_ip: Option<bool>,
    /// The result.
    pub result: HeloResult,
    /// The SOA lookup of the name, asked beside its forward lookup (only for a fully-qualified
    /// name; see [`zone_of_helo`]).
    pub soa: Option<Lookup>,
    /// The zone that holds the name, from its SOA: where its address record is published.
    pub zone: Option<ZoneFacts>,
}

/// Looks up the EHLO name's own address records (A for an IPv4 sender, AAAA for IPv6), if it is a name.
pub async fn forward_of_helo<R: Resolver>(resolver: &R, helo: &Helo, ip: IpAddr) -> Option<Lookup> {
    match &helo.domain {
        Some(name) => Some(lookup(resolver, name.clone(), forward_type(ip)).await),
        None => None,
    }
}

/// Asks the SOA of the EHLO name, if it is a name: its zone, for the where-to-fix advice.
pub async fn zone_of_helo<R: Resolver>(
    resolver: &R,
    helo: &Helo,
) -> Option<(Lookup, Option<ZoneFacts>)> {
    match &helo.domain {
        Some(name) => Some(zone_of(resolver, name.clone()).await),
        None => None,
    }
}

/// Judges the EHLO name against the FCrDNS evaluation of the same address.
pub fn judge_helo(helo: Helo, forward: Option<Lookup>, iprev: &Iprev) -> HeloCheck {
    let matches_ptr =
        helo.kind == HeloKind::Fqdn && iprev.confirmed().iter().any(|c| *c == helo.name);
    let resolves_to_ip = forward.as_ref().and_then(|f| {
        if f.outcome.is_temporary() {
            None
        } else {
            Some(f.addresses().contains(&iprev.ip))
        }
    });
    let result = if matches_ptr {
        HeloResult::Pass
    } else if helo.kind == HeloKind::Fqdn && iprev.result == IprevResult::TempError {
        HeloResult::TempError
    } else {
        HeloResult::Fail
    };
    HeloCheck {
        helo,
        forward,
        matches_ptr,
        resolves_to_ip,
        result,
        soa: None,
        zone: None,
    }
}

/// How to make the server announce a name that matches its reverse DNS: the confirmed PTR name if
/// it is a proper one; otherwise one name (the EHLO name when it is a real name) published both ways
/// and announced.
fn announce_fix(iprev: &Iprev, h: &HeloCheck) -> String {
    let ip = iprev.ip;
    let proper = iprev
        .names
        .iter()
        .find(|n| n.confirmed && !n.generic.generic);
    if let Some(n) = proper {
        return format!(
            "Announce the forward-confirmed reverse DNS name `{}`:\n{}",
            n.name,
            helo_settings(&n.name)
        );
    }
    let name = if h.helo.kind == HeloKind::Fqdn {
        h.helo.name.as_str()
    } else {
        best_name(iprev, Some(h))
    };
    let why = if iprev.confirmed().is_empty() {
        format!("{ip} has no forward-confirmed reverse DNS name yet.")
    } else {
        format!("The reverse DNS name of {ip} looks generic, so announcing it does not help.")
    };
    format!(
        "{why} Give the server one name, publish it both ways and announce it:\n{}\n{}\n{}",
        ptr_record(ip, name),
        address_record(ip, name),
        helo_settings(name)
    )
}

/// The EHLO findings of one address, judged against its FCrDNS evaluation.
pub(crate) fn helo_findings(iprev: &Iprev, h: &HeloCheck, out: &mut Vec<Finding>) {
    let ip = iprev.ip;
    let rtype = iprev.forward_type();
    let confirmed = iprev.confirmed();
    match h.helo.kind {
        HeloKind::Invalid | HeloKind::AddressLiteral => {
            out.extend(syntax_finding(&h.helo, Some(iprev), announce_fix(iprev, h)));
        }
        HeloKind::Fqdn if h.result == HeloResult::Pass => {
            out.push(FindingId::HeloPass
.says(format!("EHLO name `{}` matches the reverse DNS", h.helo.name))
.because(format!(
                    "`{}` is a fully-qualified name and a forward-confirmed PTR name of {ip}, as RFC 5321 §4.1.1.1 and Fastmail's guidance ask.",
                    h.helo.name
                )));
        }
        HeloKind::Fqdn if h.result == HeloResult::TempError => {
            out.push(FindingId::HeloTemperror
.says(format!("Could not tell whether `{}` matches the reverse DNS", h.helo.name))
.because("The reverse DNS of the address could not be evaluated (see above), so the match is unknown.")
.fixed_by("Try again once the reverse DNS answers."));
        }
        HeloKind::Fqdn => {
            let rdns = if confirmed.is_empty() {
                "the address has no forward-confirmed reverse DNS name to match".to_string()
            } else {
                format!(
                    "the forward-confirmed reverse DNS name is {}",
                    confirmed
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(FindingId::HeloMismatch
.says(format!("EHLO name `{}` does not match the reverse DNS", h.helo.name))
.because(format!(
                    "The server says `{}`, but {rdns}. Fastmail and many filters expect the EHLO name to equal the reverse DNS name; a mismatch is a common spam signal.",
                    h.helo.name
                ))
.fixed_by(announce_fix(iprev, h)));
        }
    }
    if let Some(f) = &h.forward {
        match (&f.outcome, h.resolves_to_ip) {
            (Outcome::Found(_), Some(false)) => {
                let list: Vec<String> = f.addresses().iter().map(ToString::to_string).collect();
                out.push(FindingId::HeloResolvesElsewhere
.says(format!("EHLO name `{}` resolves to {}, not {ip}", h.helo.name, list.join(", ")))
.because("The name exists, so Postfix's reject_unknown_helo_hostname accepts it, but it names another host than the one sending."));
            }
            (outcome, _) if !outcome.is_temporary() && !matches!(outcome, Outcome::Found(_)) => {
                out.push(FindingId::HeloUnresolvable
.says(format!("EHLO name `{}` has no {rtype} record", h.helo.name))
.because(format!(
                        "{}: {}. Postfix's reject_unknown_helo_hostname rejects (450 4.7.1) an EHLO name without an address record, and spam filters score it.",
                        h.helo.name,
                        outcome.describe(rtype)
                    ))
.fixed_by(format!(
                        "If `{}` is this server's name, publish its address record:\n{}",
                        h.helo.name,
                        address_record(ip, &h.helo.name)
                    )));
            }
            _ => {}
        }
    }
}

/// The finding for an EHLO argument that is not a usable host name: `helo-invalid`, or
/// `helo-address-literal`. With `iprev`, the address's check says what to announce instead; without
/// it (a paste that names no address), only the syntax is judged. `None` for a host name.
pub(crate) fn syntax_finding(helo: &Helo, iprev: Option<&Iprev>, fix: String) -> Option<Finding> {
    let finding = match (helo.kind, &helo.invalid, iprev) {
        (HeloKind::Invalid, Some(invalid), Some(_)) => FindingId::HeloInvalid
            .says(format!("EHLO argument `{}` is not valid", helo.name))
            .because(format!(
                "{}. Postfix's reject_invalid_helo_hostname and reject_non_fqdn_helo_hostname refuse it, and spam filters score it heavily.",
                invalid.reason()
            )),
        (HeloKind::AddressLiteral, _, Some(iprev)) => {
            let ip = iprev.ip;
            let other = helo.literal.filter(|l| *l != ip).map_or(String::new(), |l| {
                format!(" It is not even the sending address: the literal says {l}, the mail comes from {ip}.")
            });
            FindingId::HeloAddressLiteral
                .says(format!("EHLO uses the address literal {}", helo.name))
                .because(format!(
                    "RFC 5321 §4.1.3 allows an address literal when the client has no name, but receivers want the name that reverse DNS gives (Fastmail's guidance), and spam filters score a literal as a sign of a misconfigured or compromised host.{other} Recommended literal form for this address: {}.",
                    literal_of(ip)
                ))
        }
        (HeloKind::Invalid | HeloKind::AddressLiteral, invalid, None) => {
            let (id, why) = match invalid {
                Some(invalid) => (FindingId::HeloInvalid, invalid.reason()),
                None => (
                    FindingId::HeloAddressLiteral,
                    "RFC 5321 §4.1.3 allows an address literal only when the client has no name; receivers want the name that reverse DNS gives".to_string(),
                ),
            };
            id.says(format!("EHLO argument `{}` is not a usable host name", helo.name))
                .because(format!(
                    "The name is not usable: {why}. No sending address was found in the paste, so reverse DNS was not checked."
                ))
        }
        _ => return None,
    };
    Some(finding.fixed_by(fix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> (String, HeloKind) {
        let h = parse_helo(s);
        (h.name, h.kind)
    }

    #[test]
    fn forms_of_input() {
        for input in [
            "EHLO mail.example.com",
            "ehlo mail.example.com",
            "HELO Mail.Example.Com.",
            "mail.example.com",
            "  mail.example.com  \n",
            "250-mail.example.com Hello client [192.0.2.1]",
            "250 mail.example.com",
            "220 mail.example.com ESMTP Postfix",
            "\n\nEHLO mail.example.com\r\nMAIL FROM:<a@b>",
        ] {
            assert_eq!(
                kind(input),
                ("mail.example.com".into(), HeloKind::Fqdn),
                "{input:?}"
            );
        }
    }

    #[test]
    fn literals() {
        let h = parse_helo("EHLO [192.0.2.1]");
        assert_eq!(h.kind, HeloKind::AddressLiteral);
        assert_eq!(h.literal, Some("192.0.2.1".parse().unwrap()));
        assert_eq!(
            parse_helo("EHLO [IPv6:2001:db8::1]").kind,
            HeloKind::AddressLiteral
        );
        assert_eq!(
            parse_helo("EHLO [ipv6:2001:DB8::1]").kind,
            HeloKind::AddressLiteral
        );
        let bad = |s: &str| parse_helo(s).invalid.unwrap().reason();
        assert_eq!(bad("EHLO [2001:db8::1]"), "it is not a valid address literal: an IPv6 literal needs the `IPv6:` tag, as in `[IPv6:2001:db8::1]`");
        assert_eq!(
            bad("EHLO [192.0.2.300]"),
            "it is not a valid address literal: `192.0.2.300` is not an IPv4 address"
        );
        assert_eq!(
            bad("EHLO [192.0.2.1"),
            "it is not a valid address literal: the closing `]` is missing"
        );
    }

    #[test]
    fn invalid_kinds_with_reasons() {
        let why = |s: &str| {
            let h = parse_helo(s);
            assert_eq!(h.kind, HeloKind::Invalid, "{s}");
            h.invalid.unwrap()
        };
        assert_eq!(why("EHLO"), Invalid::Empty);
        assert_eq!(why(""), Invalid::Empty);
        assert_eq!(
            why("EHLO 192.0.2.1"),
            Invalid::BareIp("192.0.2.1".parse().unwrap())
        );
        assert_eq!(why("EHLO mailserver"), Invalid::SingleLabel);
        assert_eq!(why("EHLO localhost"), Invalid::Localhost);
        assert_eq!(why("EHLO localhost.localdomain"), Invalid::Localhost);
        assert_eq!(why("EHLO mail_1.example.com"), Invalid::Underscore);
        assert!(matches!(why("EHLO mail..example.com"), Invalid::Junk(_)));
        assert!(matches!(why("EHLO -mail.example.com"), Invalid::Junk(_)));
        assert!(matches!(why("EHLO m@il.example.com"), Invalid::Junk(_)));
        assert!(matches!(
            why(&format!("EHLO {}", "a".repeat(300))),
            Invalid::Junk(_)
        ));
        assert_eq!(
            why("EHLO 192.0.2.1").clone().reason(),
            "it is a bare IP address; RFC 5321 §4.1.3 allows an address only as a literal in brackets ([192.0.2.1]), and receivers treat a bare one as invalid"
        );
    }

    #[test]
    fn idn_names_become_a_labels() {
        assert_eq!(
            kind("EHLO mail.bücher.example"),
            ("mail.xn--bcher-kva.example".into(), HeloKind::Fqdn)
        );
    }
}
