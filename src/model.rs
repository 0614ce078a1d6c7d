//! The page's plain data: resolver choices, what the user asked to check, and permalinks.
//! Nothing here touches the browser, so it is tested natively with `cargo test`.

use std::net::IpAddr;

use sendercheck_core::{parse_ip, DomainName};

/// A public DoH resolver the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Cloudflare's 1.1.1.1 (the default).
    Cloudflare,
    /// Google Public DNS.
    Google,
    /// Quad9.
    Quad9,
}

impl Preset {
    /// Every preset, in menu order.
    pub const ALL: [Preset; 3] = [Preset::Cloudflare, Preset::Google, Preset::Quad9];

    /// The key used in permalinks and local storage.
    pub fn key(self) -> &'static str {
        match self {
            Preset::Cloudflare => "cloudflare",
            Preset::Google => "google",
            Preset::Quad9 => "quad9",
        }
    }

    /// The name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Cloudflare => "Cloudflare",
            Preset::Google => "Google",
            Preset::Quad9 => "Quad9",
        }
    }

    /// The RFC 8484 endpoint.
    pub fn url(self) -> &'static str {
        match self {
            Preset::Cloudflare => "https://cloudflare-dns.com/dns-query",
            Preset::Google => "https://dns.google/dns-query",
            Preset::Quad9 => "https://dns.quad9.net/dns-query",
        }
    }
}

/// The resolver the checks go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolverChoice {
    /// One of the presets.
    Preset(Preset),
    /// A custom RFC 8484 URL (validated before use).
    Custom(String),
}

impl Default for ResolverChoice {
    fn default() -> Self {
        ResolverChoice::Preset(Preset::Cloudflare)
    }
}

impl ResolverChoice {
    /// Reads a permalink or storage value: a preset key or a URL. Empty text is the default.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            return Self::default();
        }
        Preset::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(text) || p.url() == text)
            .map_or_else(
                || ResolverChoice::Custom(text.to_string()),
                ResolverChoice::Preset,
            )
    }

    /// The value for permalinks and storage.
    pub fn key(&self) -> &str {
        match self {
            ResolverChoice::Preset(p) => p.key(),
            ResolverChoice::Custom(url) => url,
        }
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        match self {
            ResolverChoice::Preset(p) => p.url(),
            ResolverChoice::Custom(url) => url,
        }
    }

    /// "Cloudflare (https://…)" or the custom URL.
    pub fn describe(&self) -> String {
        match self {
            ResolverChoice::Preset(p) => format!("{} ({})", p.name(), p.url()),
            ResolverChoice::Custom(url) => format!("the resolver at {url}"),
        }
    }

    /// Other presets to suggest when this one fails.
    pub fn alternatives(&self) -> Vec<Preset> {
        Preset::ALL
            .into_iter()
            .filter(|p| *self != ResolverChoice::Preset(*p))
            .collect()
    }

    /// Checks a custom URL; presets are always valid.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            ResolverChoice::Preset(_) => Ok(()),
            ResolverChoice::Custom(url) => sendercheck_doh::resolver_url(url)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }
    }
}

/// What to check: one address, or every address of a host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A sending IP address.
    Ip(IpAddr),
    /// A host name whose A/AAAA addresses are each checked.
    Host(DomainName),
}

/// Reads the address field. Text that looks like an address gets the address parser's specific
/// message (`999.1.1.1` is not an IPv4 address: 999 is larger than 255); anything else must be a
/// host name.
pub fn parse_target(text: &str) -> Result<Target, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter the sending server's IP address or host name.".into());
    }
    let looks_like_ip =
        t.contains(':') || t.starts_with('[') || t.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_like_ip {
        return parse_ip(t).map(Target::Ip).map_err(|e| e.to_string());
    }
    let name = DomainName::parse(t).map_err(|e| e.to_string())?;
    if let Some(why) = name.host_name_problem() {
        return Err(format!("`{name}` is not a host name: {why}"));
    }
    if name.label_count() < 2 {
        return Err(format!(
            "`{name}` is a single label; give the full host name, such as mail.example.com"
        ));
    }
    Ok(Target::Host(name))
}

/// The state a permalink carries: `?ip=…&helo=…&resolver=…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permalink {
    /// The address or host name, as typed.
    pub ip: String,
    /// The EHLO line, as typed (may be empty).
    pub helo: String,
    /// The resolver, when the link names one.
    pub resolver: Option<ResolverChoice>,
}

impl Permalink {
    /// Reads `location.search` (with or without the leading `?`).
    pub fn from_query(search: &str) -> Self {
        let mut link = Permalink::default();
        let search = search.strip_prefix('?').unwrap_or(search);
        for (key, value) in url::form_urlencoded::parse(search.as_bytes()) {
            match key.as_ref() {
                "ip" | "host" => link.ip = value.chars().take(1000).collect(),
                "helo" => link.helo = value.chars().take(1000).collect(),
                "resolver" => link.resolver = Some(ResolverChoice::parse(&value)),
                _ => {}
            }
        }
        link
    }

    /// The query string, starting with `?`; the default resolver is left out.
    pub fn to_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("ip", self.ip.trim());
        if !self.helo.trim().is_empty() {
            q.append_pair("helo", self.helo.trim());
        }
        if let Some(r) = self
            .resolver
            .as_ref()
            .filter(|r| **r != ResolverChoice::default())
        {
            q.append_pair("resolver", r.key());
        }
        format!("?{}", q.finish())
    }

    /// True when the link asks for a check (opening it runs the check at once).
    pub fn runs(&self) -> bool {
        !self.ip.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            parse_target("999.1.1.1").unwrap_err(),
            "`999.1.1.1` is not an IPv4 address: 999 is larger than 255"
        );
        assert_eq!(
            parse_target(" 2001:DB8::10 ").unwrap(),
            Target::Ip("2001:db8::10".parse().unwrap())
        );
        assert_eq!(
            parse_target("Mail.Example.com.").unwrap(),
            Target::Host(DomainName::parse("mail.example.com").unwrap())
        );
        assert_eq!(
            parse_target("").unwrap_err(),
            "Enter the sending server's IP address or host name."
        );
        assert_eq!(
            parse_target("mailserver").unwrap_err(),
            "`mailserver` is a single label; give the full host name, such as mail.example.com"
        );
        assert!(parse_target("mail_1.example.com")
            .unwrap_err()
            .contains("underscore"));
        assert!(parse_target("hello world")
            .unwrap_err()
            .contains("contains ` `"));
        assert!(parse_target(&"9".repeat(100_000)).unwrap_err().len() < 300);
    }

    #[test]
    fn resolvers() {
        assert_eq!(ResolverChoice::parse(""), ResolverChoice::default());
        assert_eq!(
            ResolverChoice::parse("google"),
            ResolverChoice::Preset(Preset::Google)
        );
        assert_eq!(
            ResolverChoice::parse("https://dns.quad9.net/dns-query"),
            ResolverChoice::Preset(Preset::Quad9)
        );
        let custom = ResolverChoice::parse("http://127.0.0.1:53580/dns-query");
        assert_eq!(custom.url(), "http://127.0.0.1:53580/dns-query");
        assert!(custom.validate().is_ok());
        assert_eq!(
            ResolverChoice::parse("http://dns.example/q").validate().unwrap_err(),
            "`http://dns.example/q` is not a usable DoH resolver URL: plain http is allowed only for loopback test servers; use https://"
        );
        assert_eq!(
            ResolverChoice::parse("dns.example").validate().unwrap_err(),
            "`dns.example` is not a usable DoH resolver URL: relative URL without a base"
        );
        assert_eq!(
            ResolverChoice::default().alternatives(),
            vec![Preset::Google, Preset::Quad9]
        );
    }

    #[test]
    fn permalinks_round_trip() {
        let link = Permalink {
            ip: "192.0.2.10".into(),
            helo: "EHLO mail.example.com".into(),
            resolver: Some(ResolverChoice::parse("http://127.0.0.1:53580/dns-query")),
        };
        let q = link.to_query();
        assert_eq!(
            q,
            "?ip=192.0.2.10&helo=EHLO+mail.example.com&resolver=http%3A%2F%2F127.0.0.1%3A53580%2Fdns-query"
        );
        assert_eq!(Permalink::from_query(&q), link);
        let plain = Permalink::from_query("ip=2001%3Adb8%3A%3A10");
        assert_eq!(plain.ip, "2001:db8::10");
        assert!(plain.runs());
        assert_eq!(plain.resolver, None);
        assert_eq!(
            Permalink {
                resolver: Some(ResolverChoice::default()),
                ..plain.clone()
            }
            .to_query(),
            "?ip=2001%3Adb8%3A%3A10"
        );
        assert!(!Permalink::from_query("").runs());
    }
}
