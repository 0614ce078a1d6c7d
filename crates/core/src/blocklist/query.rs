//! Query names (RFC 5782 §2.1 for IPv4, §2.4 for IPv6) and the test points (§5).

use std::net::{IpAddr, Ipv6Addr};

use crate::dns::{canonical, DomainName};

/// The address part of a query name: the octets of an IPv4 address in reverse order, or the 32
/// nibbles of an IPv6 address in reverse order (RFC 5782 §2.4), without the zone. An
/// IPv4-mapped IPv6 address is asked as the IPv4 address it carries, since that is the address
/// receivers see.
pub fn reversed(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}")
        }
        IpAddr::V6(v6) => nibbles(v6),
    }
}

/// The 32 nibbles of an IPv6 address, lowest first, dot-separated: no mapping to IPv4, so the
/// IPv6 test points (`::ffff:7f00:2`) keep their IPv6 form.
fn nibbles(v6: Ipv6Addr) -> String {
    let mut s = String::with_capacity(63);
    for byte in v6.octets().iter().rev() {
        for nibble in [byte & 0x0f, byte >> 4] {
            if !s.is_empty() {
                s.push('.');
            }
            s.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    s
}

/// `<reversed address>.<zone>`; `None` only when the name would be over 253 octets (a zone of
/// more than 189 octets with an IPv6 address).
pub fn query_name(ip: IpAddr, zone: &DomainName) -> Option<DomainName> {
    DomainName::parse(&format!("{}.{zone}", reversed(ip))).ok()
}

/// The test points of a zone for an address of `ip`'s family (RFC 5782 §5): the entry every list
/// must carry (127.0.0.2, or `::ffff:7f00:2` for IPv6 lists) and the one no list may carry
/// (127.0.0.1, `::ffff:7f00:1`).
pub fn test_points(ip: IpAddr, zone: &DomainName) -> Option<(DomainName, DomainName)> {
    let (listed, unlisted) = match canonical(ip) {
        IpAddr::V4(_) => ("2.0.0.127".to_string(), "1.0.0.127".to_string()),
        IpAddr::V6(_) => (
            nibbles(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 2)),
            nibbles(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)),
        ),
    };
    let name = |head: String| DomainName::parse(&format!("{head}.{zone}")).ok();
    Some((name(listed)?, name(unlisted)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> DomainName {
        DomainName::parse("zen.spamhaus.org").unwrap()
    }

    #[test]
    fn ipv4_names_reverse_the_octets() {
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            query_name(ip, &zone()).unwrap().as_str(),
            "9.113.0.203.zen.spamhaus.org"
        );
        let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert_eq!(reversed(mapped), "9.113.0.203");
        let (yes, no) = test_points(ip, &zone()).unwrap();
        assert_eq!(yes.as_str(), "2.0.0.127.zen.spamhaus.org");
        assert_eq!(no.as_str(), "1.0.0.127.zen.spamhaus.org");
    }

    /// RFC 5782 §2.4's example, and Spamhaus's DQS documentation's (2001:db8:7ca6:22::45).
    #[test]
    fn ipv6_names_are_32_reversed_nibbles() {
        let ip: IpAddr = "2001:db8:1:2:3:4:567:89ab".parse().unwrap();
        assert_eq!(
            reversed(ip),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2"
        );
        let ip: IpAddr = "2001:db8:7ca6:22::45".parse().unwrap();
        assert_eq!(
            reversed(ip),
            "5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.2.0.0.6.a.c.7.8.b.d.0.1.0.0.2"
        );
        let (yes, no) = test_points(ip, &zone()).unwrap();
        assert_eq!(
            yes.as_str(),
            "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.zen.spamhaus.org"
        );
        assert!(no.as_str().starts_with("1.0.0.0.0.0.f.7.f.f.f.f."));
    }

    #[test]
    fn overlong_zones_give_no_name() {
        let long = DomainName::parse(&vec!["a".repeat(63); 3].join(".")).unwrap();
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        assert!(query_name(ip, &long).is_none());
        assert!(test_points(ip, &long).is_none());
    }
}
