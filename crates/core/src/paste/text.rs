//! Small text helpers shared by the paste parsers. Each looks at one token, so callers stay linear.

use std::net::IpAddr;

use crate::dns::{canonical, strip_prefix_ignore_case};

/// Second-level labels under which registrations sit one level deeper (`example.co.uk`).
const SECOND_LEVEL: [&str; 9] = ["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or"];

/// The organisation's domain of a host name: its last two labels, or three under a country's
/// `co.`/`com.`-style second level. An approximation of the Public Suffix List, good enough to
/// tell a receiver's own hosts from the sender's.
pub(crate) fn org_domain(name: &str) -> String {
    let name = host_name(name);
    let labels: Vec<&str> = name.rsplit('.').take(3).collect();
    let keep = match labels.as_slice() {
        [tld, second, _] if tld.len() == 2 && SECOND_LEVEL.contains(second) => 3,
        _ => 2,
    };
    let mut kept: Vec<&str> = labels.into_iter().take(keep).collect();
    kept.reverse();
    kept.join(".")
}

/// A host name as written in a header or log: lower case, without a trailing dot.
pub(crate) fn host_name(word: &str) -> String {
    let word = word.trim();
    word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase()
}

/// Whether a word could be a host name (letters, digits, `-`, `.`, `_`, with a letter and a dot or
/// a letter only), as opposed to an address, a keyword list or punctuation.
pub(crate) fn looks_like_host(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 255
        && word.bytes().any(|b| b.is_ascii_alphabetic())
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

/// An address in brackets, as in `[192.0.2.10]`, `[IPv6:2001:db8::1]`, `[2001:db8::1]:587`.
pub(crate) fn bracketed_ip(word: &str) -> Option<IpAddr> {
    let inner = word.strip_prefix('[')?;
    let end = inner.find(']')?;
    let rest = &inner[end + 1..];
    if !(rest.is_empty() || rest.starts_with([':', ')']) || rest == "," || rest == ";") {
        return None;
    }
    plain_ip(&inner[..end])
}

/// An address written plainly, allowing an `IPv6:` tag and an ident (`user@192.0.2.10`).
pub(crate) fn plain_ip(word: &str) -> Option<IpAddr> {
    let word = word.rsplit('@').next().unwrap_or(word);
    let word = strip_prefix_ignore_case(word, "ipv6:").unwrap_or(word);
    if word.len() > 45 {
        return None;
    }
    word.parse::<IpAddr>().ok().map(canonical)
}

/// `NAME[IP]` (Postfix's client notation): the name and the address.
pub(crate) fn name_and_ip(word: &str) -> Option<(String, IpAddr)> {
    let open = word.find('[')?;
    let (name, rest) = word.split_at(open);
    let ip = bracketed_ip(rest)?;
    (!name.is_empty()).then(|| (host_name(name), ip))
}

/// The value of `key=value` in a word, with quotes and trailing punctuation removed.
pub(crate) fn key_value<'a>(word: &'a str, key: &str) -> Option<&'a str> {
    let value = strip_prefix_ignore_case(word, key)?;
    let value = value.trim_end_matches([',', ';', ')', ':']);
    let value = value.trim_matches('"');
    let value = value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value);
    Some(value)
}

/// At most the first `max` bytes of `text`, cut at a character boundary.
pub(crate) fn head(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// An EHLO argument as recorded: a host name lower-cased without its trailing dot; an address
/// literal as written.
pub(crate) fn helo_name(word: &str) -> Option<String> {
    let word = word.trim().trim_end_matches([',', ';', ')']);
    // Control and bidirectional-override characters would hide what the name is.
    if word.is_empty()
        || word.chars().any(|c| {
            c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
    {
        return None;
    }
    // A domain has at most 255 octets; keep enough to show what it was.
    let word = head(word, 300);
    Some(if word.starts_with('[') {
        word.to_string()
    } else {
        host_name(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_domains() {
        assert_eq!(org_domain("mx.google.com"), "google.com");
        assert_eq!(
            org_domain("BN8NAM11FT066.eop-nam11.prod.protection.outlook.com."),
            "outlook.com"
        );
        assert_eq!(org_domain("smtp.mail.example.co.uk"), "example.co.uk");
        assert_eq!(org_domain("example"), "example");
    }

    #[test]
    fn addresses_in_words() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(bracketed_ip("[192.0.2.10]"), Some(ip("192.0.2.10")));
        assert_eq!(bracketed_ip("[192.0.2.10]:4567"), Some(ip("192.0.2.10")));
        assert_eq!(bracketed_ip("[IPv6:2001:DB8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(bracketed_ip("[::ffff:192.0.2.1]"), Some(ip("192.0.2.1")));
        assert_eq!(bracketed_ip("[mail]"), None);
        assert_eq!(plain_ip("qmailr@192.0.2.10"), Some(ip("192.0.2.10")));
        assert_eq!(
            name_and_ip("Mail.Example.com[192.0.2.10]:"),
            Some(("mail.example.com".into(), ip("192.0.2.10")))
        );
        assert_eq!(name_and_ip("[192.0.2.10]"), None);
        assert_eq!(
            key_value("helo=<Mail.example.com>", "helo="),
            Some("Mail.example.com")
        );
    }
}
