//! SPF records: choosing the one record (RFC 7208 §4.5) and parsing its terms (§4.6.1, §5, §6).
//!
//! ```text
//! record           = version terms *SP
//! version          = "v=spf1"
//! terms            = *( 1*SP ( directive / modifier ) )
//! directive        = [ qualifier ] mechanism
//! qualifier        = "+" / "-" / "?" / "~"
//! mechanism        = ( all / include / a / mx / ptr / ip4 / ip6 / exists )
//! modifier         = redirect / explanation / unknown-modifier
//! unknown-modifier = name "=" macro-string
//! name             = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
//! ```
//!
//! The whole record is parsed before any term is evaluated, so a syntax error anywhere is a
//! `permerror` (§4.6), as the test suite's `detect-errors-anywhere` requires. A term whose name is
//! followed by `=` is a modifier; any other term is a mechanism, and an unknown mechanism is an
//! error. The known modifiers are never read as unknown ones, so `redirect=-all` is an error too.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::macros::{Context, MacroString};
use super::SpfResult;
use crate::dns::RData;

/// A mechanism's qualifier (§4.6.2): the result when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `+` (the default).
    Pass,
    /// `-`.
    Fail,
    /// `~`.
    SoftFail,
    /// `?`.
    Neutral,
}

impl Qualifier {
    /// The result a match gives.
    pub fn result(self) -> SpfResult {
        match self {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

/// The CIDR lengths of `a` and `mx` (§5.6): IPv4 and IPv6, each the full length when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DualCidr {
    /// 0 to 32.
    pub v4: u8,
    /// 0 to 128.
    pub v6: u8,
}

impl DualCidr {
    /// The prefix length that applies to `ip`'s family.
    pub fn for_ip(self, ip: IpAddr) -> u8 {
        match ip {
            IpAddr::V4(_) => self.v4,
            IpAddr::V6(_) => self.v6,
        }
    }
}

/// A mechanism (§5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    /// `all` (§5.1).
    All,
    /// `include:<domain-spec>` (§5.2).
    Include(MacroString),
    /// `a[:<domain-spec>][<dual-cidr>]` (§5.3).
    A(Option<MacroString>, DualCidr),
    /// `mx[:<domain-spec>][<dual-cidr>]` (§5.4).
    Mx(Option<MacroString>, DualCidr),
    /// `ptr[:<domain-spec>]` (§5.5).
    Ptr(Option<MacroString>),
    /// `ip4:<network>[/<length>]` (§5.6).
    Ip4(Ipv4Addr, u8),
    /// `ip6:<network>[/<length>]` (§5.6).
    Ip6(Ipv6Addr, u8),
    /// `exists:<domain-spec>` (§5.7).
    Exists(MacroString),
}

impl Mechanism {
    /// True for the mechanisms that count against the 10-lookup limit (§4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A(..)
                | Mechanism::Mx(..)
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }

    /// The domain-spec it names, if any.
    pub fn domain_spec(&self) -> Option<&MacroString> {
        match self {
            Mechanism::Include(d) | Mechanism::Exists(d) => Some(d),
            Mechanism::A(d, _) | Mechanism::Mx(d, _) | Mechanism::Ptr(d) => d.as_ref(),
            _ => None,
        }
    }
}

/// A modifier (§6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modifier {
    /// `redirect=<domain-spec>` (§6.1).
    Redirect(MacroString),
    /// `exp=<domain-spec>` (§6.2).
    Exp(MacroString),
    /// Any other `name=value`, ignored (§6).
    Unknown(String),
}

/// What a term is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// A qualified mechanism.
    Mechanism(Qualifier, Mechanism),
    /// A modifier.
    Modifier(Modifier),
}

/// One term of a record, with its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As written, e.g. `-all` or `include:_spf.example.com`.
    pub text: String,
    /// What it is.
    pub kind: TermKind,
}

/// A parsed SPF record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record as published (its strings joined).
    pub text: String,
    /// Its terms, in order.
    pub terms: Vec<Term>,
}

impl Record {
    /// The `redirect=` domain-spec, if any.
    pub fn redirect(&self) -> Option<&MacroString> {
        self.terms.iter().find_map(|t| match &t.kind {
            TermKind::Modifier(Modifier::Redirect(d)) => Some(d),
            _ => None,
        })
    }

    /// The `exp=` domain-spec, if any.
    pub fn exp(&self) -> Option<&MacroString> {
        self.terms.iter().find_map(|t| match &t.kind {
            TermKind::Modifier(Modifier::Exp(d)) => Some(d),
            _ => None,
        })
    }

    /// True when an `all` mechanism appears anywhere (then `redirect=` is ignored, §6.1).
    pub fn has_all(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t.kind, TermKind::Mechanism(_, Mechanism::All)))
    }
}

/// A syntax error, naming the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The term as written.
    pub term: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.term, self.reason)
    }
}

/// Which record a TXT answer holds (§4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// No record starts with `v=spf1`.
    None,
    /// Exactly one does: its text, strings joined.
    One(String),
    /// More than one: how many.
    Many(usize),
}

/// True when `text` begins with the version section `v=spf1` (any case), followed by a space or
/// the end (§4.5): `v=spf10` is not an SPF record.
pub fn is_spf_record(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 6 && b[..6].eq_ignore_ascii_case(b"v=spf1") && b.get(6).is_none_or(|c| *c == b' ')
}

/// §4.5: of the TXT records at a name, the one SPF record (its strings joined with nothing between,
/// §3.3).
pub fn select(answers: &[RData]) -> Selection {
    let mut found: Vec<String> = answers
        .iter()
        .filter_map(RData::txt)
        .filter(|t| is_spf_record(t))
        .collect();
    match found.len() {
        0 => Selection::None,
        1 => Selection::One(found.remove(0)),
        n => Selection::Many(n),
    }
}

/// Parses an SPF record (which [`is_spf_record`]); the first syntax error, if any (§4.6).
pub fn parse(text: &str) -> Result<Record, SyntaxError> {
    if !is_spf_record(text) {
        return Err(SyntaxError {
            term: text.chars().take(6).collect(),
            reason: "an SPF record starts with `v=spf1` (RFC 7208 §4.5)".into(),
        });
    }
    let mut terms = Vec::new();
    let (mut redirects, mut exps) = (0, 0);
    for word in text[6..].split(' ').filter(|w| !w.is_empty()) {
        let kind = parse_term(word).map_err(|reason| SyntaxError {
            term: word.to_string(),
            reason,
        })?;
        let twice = match &kind {
            TermKind::Modifier(Modifier::Redirect(_)) => {
                redirects += 1;
                redirects > 1
            }
            TermKind::Modifier(Modifier::Exp(_)) => {
                exps += 1;
                exps > 1
            }
            _ => false,
        };
        if twice {
            return Err(SyntaxError {
                term: word.to_string(),
                reason: "the record has this modifier twice; `redirect=` and `exp=` may each appear once (RFC 7208 §6)".into(),
            });
        }
        terms.push(Term {
            text: word.to_string(),
            kind,
        });
    }
    Ok(Record {
        text: text.to_string(),
        terms,
    })
}

fn parse_term(word: &str) -> Result<TermKind, String> {
    let (qualifier, body) = match word.as_bytes().first() {
        Some(b'+') => (Some(Qualifier::Pass), &word[1..]),
        Some(b'-') => (Some(Qualifier::Fail), &word[1..]),
        Some(b'~') => (Some(Qualifier::SoftFail), &word[1..]),
        Some(b'?') => (Some(Qualifier::Neutral), &word[1..]),
        _ => (None, word),
    };
    let name_len = if body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        body.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(body.len())
    } else {
        0
    };
    if name_len == 0 {
        return Err(format!(
            "a term starts with a mechanism or modifier name, which begins with a letter; `{}` does not (RFC 7208 §4.6.1)",
            body.chars().next().map(|c| c.escape_default().to_string()).unwrap_or_default()
        ));
    }
    let (name, rest) = body.split_at(name_len);
    let lower = name.to_ascii_lowercase();
    if let Some(value) = rest.strip_prefix('=') {
        if qualifier.is_some() {
            return Err("a modifier takes no qualifier (RFC 7208 §4.6.1)".into());
        }
        return Ok(TermKind::Modifier(match lower.as_str() {
            "redirect" => Modifier::Redirect(domain_spec(value)?),
            "exp" => Modifier::Exp(domain_spec(value)?),
            _ => {
                MacroString::parse(value, Context::Modifier)?;
                Modifier::Unknown(lower)
            }
        }));
    }
    let mechanism = match lower.as_str() {
        "all" if rest.is_empty() => Mechanism::All,
        "all" => return Err("`all` takes no argument (RFC 7208 §5.1)".into()),
        "include" => Mechanism::Include(required_spec(rest, "include")?),
        "exists" => Mechanism::Exists(required_spec(rest, "exists")?),
        "a" => {
            let (spec, cidr) = spec_and_cidr(rest)?;
            Mechanism::A(spec, cidr)
        }
        "mx" => {
            let (spec, cidr) = spec_and_cidr(rest)?;
            Mechanism::Mx(spec, cidr)
        }
        "ptr" if rest.is_empty() => Mechanism::Ptr(None),
        "ptr" => Mechanism::Ptr(Some(required_spec(rest, "ptr")?)),
        "ip4" => ip4(rest)?,
        "ip6" => ip6(rest)?,
        _ => {
            return Err(format!(
                "`{name}` is not a mechanism (RFC 7208 §5: all, include, a, mx, ptr, ip4, ip6, exists), and a modifier needs `=` right after its name"
            ))
        }
    };
    Ok(TermKind::Mechanism(
        qualifier.unwrap_or(Qualifier::Pass),
        mechanism,
    ))
}

fn domain_spec(text: &str) -> Result<MacroString, String> {
    MacroString::parse_domain_spec(text)
}

/// `":" domain-spec`, required.
fn required_spec(rest: &str, name: &str) -> Result<MacroString, String> {
    match rest.strip_prefix(':') {
        Some(spec) => domain_spec(spec),
        None => Err(format!("`{name}` needs `:` and a domain (RFC 7208 §5)")),
    }
}

/// `[ ":" domain-spec ] [ dual-cidr-length ]` of `a` and `mx`.
fn spec_and_cidr(rest: &str) -> Result<(Option<MacroString>, DualCidr), String> {
    let (spec, cidr) = match rest.strip_prefix(':') {
        Some(text) => {
            let (spec, cidr) = split_cidr(text);
            (Some(domain_spec(spec)?), cidr)
        }
        None => {
            let (before, cidr) = split_cidr(rest);
            if !before.is_empty() {
                return Err(format!(
                    "`{rest}` is neither `:` and a domain nor a CIDR length such as `/24` or `//64` (RFC 7208 §5.3)"
                ));
            }
            (None, cidr)
        }
    };
    let v4 = match cidr.0 {
        Some(d) => prefix(d, 32)?,
        None => 32,
    };
    let v6 = match cidr.1 {
        Some(d) => prefix(d, 128)?,
        None => 128,
    };
    Ok((spec, DualCidr { v4, v6 }))
}

/// Splits a trailing `[/N][//M]` off `text`: (the rest, IPv4 digits, IPv6 digits).
fn split_cidr(text: &str) -> (&str, (Option<&str>, Option<&str>)) {
    fn digits_after(s: &str, at: usize, skip: usize) -> Option<&str> {
        let d = &s[at + skip..];
        (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
    }
    let mut end = text;
    let mut v6 = None;
    if let Some(at) = end.rfind("//") {
        if let Some(d) = digits_after(end, at, 2) {
            v6 = Some(d);
            end = &end[..at];
        }
    }
    let mut v4 = None;
    if let Some(at) = end.rfind('/') {
        if let Some(d) = digits_after(end, at, 1) {
            v4 = Some(d);
            end = &end[..at];
        }
    }
    (end, (v4, v6))
}

/// A prefix length: digits without a leading zero, at most `max` (§5.6).
fn prefix(digits: &str, max: u8) -> Result<u8, String> {
    let ok = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    match digits.parse::<u8>() {
        Ok(n) if ok && n <= max => Ok(n),
        _ => Err(format!(
            "`/{digits}` is not a prefix length from 0 to {max} (RFC 7208 §5.6)"
        )),
    }
}

/// `ip4:` ip4-network [ ip4-cidr-length ].
fn ip4(rest: &str) -> Result<Mechanism, String> {
    let value = rest
        .strip_prefix(':')
        .ok_or("`ip4` needs `:` and an IPv4 address (RFC 7208 §5.6)")?;
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (value, None),
    };
    let net = parse_ip4(addr).ok_or_else(|| {
        format!(
            "`{addr}` is not an IPv4 address written in full, such as 192.0.2.0 (RFC 7208 §5.6)"
        )
    })?;
    let len = match len {
        Some(l) => prefix(l, 32)?,
        None => 32,
    };
    Ok(Mechanism::Ip4(net, len))
}

/// `ip6:` ip6-network [ ip6-cidr-length ].
fn ip6(rest: &str) -> Result<Mechanism, String> {
    let value = rest
        .strip_prefix(':')
        .ok_or("`ip6` needs `:` and an IPv6 address (RFC 7208 §5.6)")?;
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (value, None),
    };
    let net: Ipv6Addr = addr
        .parse()
        .map_err(|_| format!("`{addr}` is not an IPv6 address (RFC 4291 §2.2)"))?;
    let len = match len {
        Some(l) => prefix(l, 128)?,
        None => 128,
    };
    Ok(Mechanism::Ip6(net, len))
}

/// `qnum "." qnum "." qnum "." qnum`, each 0 to 255 without leading zeros.
fn parse_ip4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let ok = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'));
        if !ok {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// True when `ip` is in `net`/`len` (and of its family).
pub fn in_network(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(len.min(32)))
                .unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(len.min(128)))
                .unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TermKind> {
        parse(text)
            .unwrap()
            .terms
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn version_section() {
        assert!(is_spf_record("v=spf1"));
        assert!(is_spf_record("V=SpF1 -all"));
        assert!(!is_spf_record("v=spf10"));
        assert!(!is_spf_record("v=spf1mx"));
        assert!(!is_spf_record("v=spf"));
        assert!(!is_spf_record("\u{96}"));
        let txt = |s: &[&str]| RData::Txt(s.iter().map(|x| x.to_string()).collect());
        assert_eq!(select(&[txt(&["v=spf1", "mx"])]), Selection::None);
        assert_eq!(
            select(&[
                txt(&["v=spf1 ip4:", "192.0.2.5 -all"]),
                txt(&[]),
                txt(&["x"])
            ]),
            Selection::One("v=spf1 ip4:192.0.2.5 -all".into())
        );
        assert_eq!(
            select(&[txt(&["v=spf1 -all"]), txt(&["v=spf1 -all"])]),
            Selection::Many(2)
        );
    }

    #[test]
    fn mechanisms_and_cidrs() {
        let full = DualCidr { v4: 32, v6: 128 };
        assert_eq!(kinds("v=spf1"), vec![]);
        assert_eq!(
            kinds("v=spf1  a  -all "),
            vec![
                TermKind::Mechanism(Qualifier::Pass, Mechanism::A(None, full)),
                TermKind::Mechanism(Qualifier::Fail, Mechanism::All),
            ]
        );
        let TermKind::Mechanism(_, Mechanism::A(spec, cidr)) =
            &kinds("v=spf1 a:foo:bar/baz.example.com/24//64")[0]
        else {
            panic!()
        };
        assert_eq!(spec.as_ref().unwrap().as_str(), "foo:bar/baz.example.com");
        assert_eq!(*cidr, DualCidr { v4: 24, v6: 64 });
        assert_eq!(
            kinds("v=spf1 MX//0 ~ip4:192.0.2.0/24 ?ip6:2001:DB8::/32 ptr"),
            vec![
                TermKind::Mechanism(
                    Qualifier::Pass,
                    Mechanism::Mx(None, DualCidr { v4: 32, v6: 0 })
                ),
                TermKind::Mechanism(
                    Qualifier::SoftFail,
                    Mechanism::Ip4("192.0.2.0".parse().unwrap(), 24)
                ),
                TermKind::Mechanism(
                    Qualifier::Neutral,
                    Mechanism::Ip6("2001:db8::".parse().unwrap(), 32)
                ),
                TermKind::Mechanism(Qualifier::Pass, Mechanism::Ptr(None)),
            ]
        );
        assert_eq!(
            kinds("v=spf1 moo.cow-far_out=man:dog/cat default=+"),
            vec![
                TermKind::Modifier(Modifier::Unknown("moo.cow-far_out".into())),
                TermKind::Modifier(Modifier::Unknown("default".into())),
            ]
        );
    }

    #[test]
    fn syntax_errors_name_the_term() {
        for bad in [
            "v=spf1 -all.",
            "v=spf1 -all:foobar",
            "v=spf1 -all/8",
            "v=spf1 ptr/0",
            "v=spf1 ptr:",
            "v=spf1 a/33",
            "v=spf1 a//129",
            "v=spf1 a/24/64",
            "v=spf1 a:",
            "v=spf1 include",
            "v=spf1 include:",
            "v=spf1 include:ip5.example.com/24",
            "v=spf1 exists",
            "v=spf1 exists:mail.example.com/24",
            "v=spf1 ip4",
            "v=spf1 ip4:1.2.3.4/032",
            "v=spf1 ip4:1.2.3.4//32",
            "v=spf1 ip4:1.2.3.4:8080",
            "v=spf1 ip4:1.2.3",
            "v=spf1 ip4:01.2.3.4",
            "v=spf1 ip6",
            "v=spf1 ip6:::1.1.1.1/129",
            "v=spf1 ip6:::1.1.1.1//33",
            "v=spf1 ip6::CAFE::BABE",
            "v=spf1 1up=foo",
            "v=spf1 =all",
            "v=spf1 redirect:t2.example.com",
            "v=spf1 moo.cow/far=x",
            "v=spf1 exp=",
            "v=spf1 exp=-all",
            "v=spf1 redirect=",
            "v=spf1 foo=%abc",
            "v=spf1 -redirect=a.example",
            "v=spf1 exp=a.example exp=b.example",
            "v=spf1 redirect=a.example redirect=a.example",
            "v=spf1 a:ctrl.example.com\rptr",
            "v=spf1 \u{80}a:example.net",
            "v=spf1 a:foo.example.com\0",
            "v=spf1 a\t-all",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            err("v=spf1 ip4:1.2.3.4 -all moo"),
            "`moo`: `moo` is not a mechanism (RFC 7208 §5: all, include, a, mx, ptr, ip4, ip6, exists), and a modifier needs `=` right after its name"
        );
        assert_eq!(
            err("v=spf1 a//129"),
            "`a//129`: `/129` is not a prefix length from 0 to 128 (RFC 7208 §5.6)"
        );
    }

    #[test]
    fn networks() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_network(ip("192.0.2.77"), ip("192.0.2.0"), 24));
        assert!(!in_network(ip("192.0.3.1"), ip("192.0.2.0"), 24));
        assert!(in_network(ip("203.0.113.9"), ip("1.1.1.1"), 0));
        assert!(in_network(ip("2001:db8::1"), ip("::"), 0));
        assert!(!in_network(ip("192.0.2.1"), ip("::"), 0));
        assert!(in_network(
            ip("cafe:babe:8000::"),
            ip("cafe:babe:8000::"),
            33
        ));
        assert!(!in_network(ip("cafe:babe::1"), ip("cafe:babe:8000::"), 33));
    }
}
