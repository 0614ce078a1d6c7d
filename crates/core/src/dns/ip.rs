//! IP address input and reverse names.
//!
//! [`parse_ip`] accepts every textual form a user pastes (IPv4 dotted quad; IPv6 compressed, full or
//! upper case; `[…]` brackets; an `IPv6:` tag as in SMTP address literals) and answers with a specific
//! message when the text is not an address. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is
//! checked as the IPv4 address it carries, since that is the address the receiver sees.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::name::shorten;
use super::DomainName;
use super::RecordType;
use crate::Error;

/// The forward record type of an address's family: A for IPv4, AAAA for IPv6.
pub fn forward_type(ip: IpAddr) -> RecordType {
    match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::Aaaa,
    }
}

/// Parses an IP address in any common textual form; IPv4-mapped IPv6 becomes IPv4.
///
/// ```
/// use sendercheck_core::parse_ip;
/// assert_eq!(parse_ip("2001:DB8:0:0:0:0:0:10").unwrap().to_string(), "2001:db8::10");
/// assert_eq!(parse_ip("::ffff:192.0.2.1").unwrap().to_string(), "192.0.2.1");
/// assert_eq!(
///     parse_ip("999.1.1.1").unwrap_err().to_string(),
///     "`999.1.1.1` is not an IPv4 address: 999 is larger than 255"
/// );
/// ```
pub fn parse_ip(text: &str) -> Result<IpAddr, Error> {
    let mut t = text.trim();
    if let Some(inner) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        t = inner.trim();
    }
    if let Some(rest) = strip_prefix_ignore_case(t, "ipv6:") {
        t = rest;
    }
    if t.is_empty() {
        return Err(Error::InvalidIp {
            input: shorten(text),
            expected: "an IP address",
            reason: "nothing was given".into(),
        });
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Ok(canonical(ip));
    }
    // Not an address: find the most useful explanation.
    let invalid = |expected, reason: String| Error::InvalidIp {
        input: shorten(text),
        expected,
        reason,
    };
    if let Some(zone) = t.find('%') {
        return Err(invalid(
            "an IP address",
            format!(
                "`{}` is a link-local zone index; give the address alone",
                shorten(&t[zone..])
            ),
        ));
    }
    if t.contains(':') {
        return Err(invalid("an IPv6 address", ipv6_problem(t)));
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.contains('.') {
        return Err(invalid("an IPv4 address", ipv4_problem(t)));
    }
    if t.contains('/') {
        return Err(invalid(
            "an IP address",
            "it is a network prefix; give one address".into(),
        ));
    }
    if DomainName::parse(t).is_ok() && t.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(invalid(
            "an IP address",
            "it looks like a host name; check a host name with `host` instead".into(),
        ));
    }
    let bad = t
        .chars()
        .find(|c| !(c.is_ascii_hexdigit() || *c == '.' || *c == ':'))
        .map(|c| format!("it contains `{}`", c.escape_default()))
        .unwrap_or_else(|| "it is neither a dotted quad nor an IPv6 address".into());
    Err(invalid("an IP address", bad))
}

/// `text` without `prefix` (an ASCII prefix, matched ignoring case), if it starts with it.
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An IPv4-mapped IPv6 address is the IPv4 address it carries.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

fn ipv4_problem(t: &str) -> String {
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() != 4 {
        return format!("it has {} parts; an IPv4 address has 4", parts.len());
    }
    for p in &parts {
        if p.is_empty() {
            return "one of its four parts is empty".into();
        }
        match p.parse::<u64>() {
            Ok(n) if n > 255 => return format!("{p} is larger than 255"),
            Err(_) => return format!("{p} is larger than 255"),
            _ => {}
        }
        if p.len() > 1 && p.starts_with('0') {
            return format!("`{p}` has a leading zero, which some software reads as octal");
        }
    }
    "it is not a dotted quad".into()
}

fn ipv6_problem(t: &str) -> String {
    if t.matches("::").count() > 1 {
        return "`::` may appear only once".into();
    }
    if let Some(c) = t
        .chars()
        .find(|c| !(c.is_ascii_hexdigit() || *c == ':' || *c == '.'))
    {
        return format!("it contains `{}`", c.escape_default());
    }
    let groups: Vec<&str> = t.split(':').collect();
    if let Some(g) = groups.iter().find(|g| g.len() > 4 && !g.contains('.')) {
        return format!("the group `{g}` has more than 4 hex digits");
    }
    if !t.contains("::") && groups.len() != 8 && !t.contains('.') {
        return format!("it has {} groups; a full IPv6 address has 8", groups.len());
    }
    if groups.len() > 8 {
        return format!(
            "it has {} groups; an IPv6 address has at most 8",
            groups.len()
        );
    }
    "it is not a valid IPv6 address".into()
}

/// The reverse-lookup name of an address: `d.c.b.a.in-addr.arpa` (RFC 1035 §3.5) or the 32 nibbles of
/// an IPv6 address under `ip6.arpa` (RFC 3596 §2.5).
///
/// ```
/// use sendercheck_core::dns::{parse_ip, reverse_name};
/// let name = reverse_name(parse_ip("192.0.2.10").unwrap());
/// assert_eq!(name.as_str(), "10.2.0.192.in-addr.arpa");
/// ```
pub fn reverse_name(ip: IpAddr) -> DomainName {
    let text = match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(v6) => {
            let mut s = String::with_capacity(72);
            for byte in v6.octets().iter().rev() {
                s.push(hex(byte & 0x0f));
                s.push('.');
                s.push(hex(byte >> 4));
                s.push('.');
            }
            s.push_str("ip6.arpa");
            s
        }
    };
    DomainName::parse(&text).expect("reverse names are always valid")
}

fn hex(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

/// Why an address can never be seen by a receiver on the public Internet, if it cannot.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(v4: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = v4.octets();
    if v4.is_loopback() {
        Some("a loopback address (127.0.0.0/8)")
    } else if v4.is_private() {
        Some("a private address (RFC 1918)")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a carrier-grade NAT address (100.64.0.0/10, RFC 6598)")
    } else if v4.is_link_local() {
        Some("a link-local address (169.254.0.0/16)")
    } else if v4.is_unspecified() || v4.is_broadcast() || v4.is_multicast() || a >= 240 {
        Some("not a unicast host address")
    } else {
        None
    }
}

fn v6_reason(v6: Ipv6Addr) -> Option<&'static str> {
    let first = v6.segments()[0];
    if v6.is_loopback() {
        Some("the IPv6 loopback address")
    } else if v6.is_unspecified() || v6.is_multicast() {
        Some("not a unicast host address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a unique local address (fc00::/7, RFC 4193)")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address (fe80::/10)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse_ip(s).unwrap_err().to_string()
    }

    #[test]
    fn accepts_every_form() {
        for (input, canon) in [
            ("192.0.2.1", "192.0.2.1"),
            (" 192.0.2.1\n", "192.0.2.1"),
            ("[192.0.2.1]", "192.0.2.1"),
            ("2001:db8::10", "2001:db8::10"),
            ("2001:DB8::10", "2001:db8::10"),
            ("2001:0db8:0000:0000:0000:0000:0000:0010", "2001:db8::10"),
            ("[IPv6:2001:db8::10]", "2001:db8::10"),
            ("ipv6:2001:db8::10", "2001:db8::10"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("::FFFF:c000:0201", "192.0.2.1"),
        ] {
            assert_eq!(parse_ip(input).unwrap().to_string(), canon, "{input}");
        }
    }

    #[test]
    fn specific_messages() {
        assert_eq!(
            err("999.1.1.1"),
            "`999.1.1.1` is not an IPv4 address: 999 is larger than 255"
        );
        assert_eq!(
            err("1.2.3"),
            "`1.2.3` is not an IPv4 address: it has 3 parts; an IPv4 address has 4"
        );
        assert_eq!(
            err("1..2.3"),
            "`1..2.3` is not an IPv4 address: one of its four parts is empty"
        );
        assert_eq!(
            err("010.1.1.1"),
            "`010.1.1.1` is not an IPv4 address: `010` has a leading zero, which some software reads as octal"
        );
        assert_eq!(
            err("2001:db8::1::2"),
            "`2001:db8::1::2` is not an IPv6 address: `::` may appear only once"
        );
        assert_eq!(
            err("2001:db8::g"),
            "`2001:db8::g` is not an IPv6 address: it contains `g`"
        );
        assert_eq!(
            err("2001:db8:12345::1"),
            "`2001:db8:12345::1` is not an IPv6 address: the group `12345` has more than 4 hex digits"
        );
        assert_eq!(
            err("1:2:3"),
            "`1:2:3` is not an IPv6 address: it has 3 groups; a full IPv6 address has 8"
        );
        assert_eq!(err(""), "`` is not an IP address: nothing was given");
        assert_eq!(
            err("mail.example.com"),
            "`mail.example.com` is not an IP address: it looks like a host name; check a host name with `host` instead"
        );
        assert_eq!(
            err("192.0.2.0/24"),
            "`192.0.2.0/24` is not an IP address: it is a network prefix; give one address"
        );
        assert_eq!(
            err("fe80::1%eth0"),
            "`fe80::1%eth0` is not an IP address: `%eth0` is a link-local zone index; give the address alone"
        );
        assert_eq!(
            err("hello world!"),
            "`hello world!` is not an IP address: it contains `h`"
        );
    }

    #[test]
    fn reverse_names() {
        let r = |s: &str| reverse_name(parse_ip(s).unwrap()).to_string();
        assert_eq!(r("192.0.2.10"), "10.2.0.192.in-addr.arpa");
        assert_eq!(
            r("2001:db8::10"),
            "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        assert_eq!(r("::ffff:192.0.2.10"), "10.2.0.192.in-addr.arpa");
    }

    #[test]
    fn non_public() {
        let n = |s: &str| non_public_reason(parse_ip(s).unwrap());
        assert_eq!(n("10.1.2.3"), Some("a private address (RFC 1918)"));
        assert_eq!(
            n("100.100.1.1"),
            Some("a carrier-grade NAT address (100.64.0.0/10, RFC 6598)")
        );
        assert_eq!(
            n("fd00::1"),
            Some("a unique local address (fc00::/7, RFC 4193)")
        );
        assert_eq!(n("192.0.2.1"), None);
        assert_eq!(n("2001:db8::1"), None);
    }
}
