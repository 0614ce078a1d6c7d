//! The page's plain data: resolver choices and permalinks.
//! Nothing here touches the browser, so it is tested natively with `cargo test`.

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

    /// The origin to open a connection to before the first check (`<link rel="preconnect">`):
    /// `https://host[:port]`, or `None` for a URL that is not usable.
    pub fn origin(&self) -> Option<String> {
        let url = sendercheck_doh::resolver_url(self.url()).ok()?;
        Some(url.origin().ascii_serialization())
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

/// The state a permalink carries: `?ip=…&helo=…&domain=…&dkim=…&resolver=…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permalink {
    /// The address or host name, as typed.
    pub ip: String,
    /// The EHLO line, as typed (may be empty).
    pub helo: String,
    /// The sending domain field, as typed (may be empty).
    pub domain: String,
    /// The DKIM selectors field, as typed (may be empty).
    pub dkim: String,
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
                "domain" => link.domain = value.chars().take(1000).collect(),
                "dkim" => link.dkim = value.chars().take(1000).collect(),
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
        for (key, value) in [
            ("helo", &self.helo),
            ("domain", &self.domain),
            ("dkim", &self.dkim),
        ] {
            if !value.trim().is_empty() {
                q.append_pair(key, value.trim());
            }
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
        assert_eq!(
            ResolverChoice::default().origin().as_deref(),
            Some("https://cloudflare-dns.com")
        );
        assert_eq!(custom.origin().as_deref(), Some("http://127.0.0.1:53580"));
        assert_eq!(ResolverChoice::parse("dns.example").origin(), None);
    }

    #[test]
    fn permalinks_round_trip() {
        let link = Permalink {
            ip: "192.0.2.10".into(),
            helo: "EHLO mail.example.com".into(),
            domain: "alice@example.com".into(),
            dkim: "s1, s2:example.net".into(),
            resolver: Some(ResolverChoice::parse("http://127.0.0.1:53580/dns-query")),
        };
        let q = link.to_query();
        assert_eq!(
            q,
            "?ip=192.0.2.10&helo=EHLO+mail.example.com&domain=alice%40example.com&dkim=s1%2C+s2%3Aexample.net&resolver=http%3A%2F%2F127.0.0.1%3A53580%2Fdns-query"
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
