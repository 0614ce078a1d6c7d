//! Validated domain names.
//!
//! A [`DomainName`] is what every query and comparison in the engine works with: lower case, A-labels
//! (IDNA, RFC 5891, converted by the engine's own `idna` module), no trailing dot, at most 253 octets in text form (RFC 1035 §2.3.4: 255 octets on
//! the wire), labels of 1 to 63 octets. Names from the DNS may legally hold any octet, so the
//! constructor accepts letters, digits, `-`, `_` and `/` (RFC 2317 names such as `64/26.2.0.192.in-addr.arpa`)
//! in labels; whether a name is a valid *host* name
//! (letters, digits, hyphens only, RFC 952/1123) is a separate question asked by [`DomainName::host_name_problem`].

use std::fmt;

use crate::Error;

/// A DNS name in canonical text form: lower case, A-labels, no trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DomainName(String);

impl DomainName {
    /// Parses a name as a user or a DNS answer writes it: any case, an optional trailing dot,
    /// Unicode labels converted to A-labels.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let trimmed = text.trim();
        let bare = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if bare.is_empty() {
            return Err(Error::InvalidName {
                name: text.into(),
                reason: "it is empty".into(),
            });
        }
        let ascii = if bare.is_ascii() {
            bare.to_ascii_lowercase()
        } else {
            super::idna::to_ascii(bare).map_err(|e| Error::InvalidName {
                name: shorten(text),
                reason: e.0,
            })?
        };
        if let Some(reason) = syntax_problem(&ascii) {
            return Err(Error::InvalidName {
                name: shorten(text),
                reason,
            });
        }
        Ok(DomainName(ascii))
    }

    /// A name as SPF builds it (RFC 7208 §4.8 target names, §7 macro expansions): printable ASCII
    /// octets in any label, since a DNS label may hold any octet (RFC 2181 §11), lower-cased, one
    /// trailing dot removed. Only the length limits apply: labels of 1 to 63 octets, at most 253
    /// octets in all (RFC 1035 §2.3.4). Such names are asked as they are, never shown as host names.
    pub(crate) fn parse_any(text: &str) -> Result<Self, Error> {
        let bare = text.strip_suffix('.').unwrap_or(text);
        let invalid = |reason: String| Error::InvalidName {
            name: shorten(text),
            reason,
        };
        if bare.is_empty() {
            return Err(invalid("it is empty".into()));
        }
        if let Some(c) = bare.chars().find(|c| !matches!(c, ' '..='~')) {
            return Err(invalid(format!(
                "it contains `{}`, which is not printable ASCII",
                c.escape_default()
            )));
        }
        let lower = bare.to_ascii_lowercase();
        if lower.len() > 253 {
            return Err(invalid(format!(
                "it is {} characters long; a DNS name has at most 253 (RFC 1035 §2.3.4)",
                lower.len()
            )));
        }
        for label in lower.split('.') {
            if label.is_empty() {
                return Err(invalid(
                    "it has an empty label (two dots in a row, or a leading dot)".into(),
                ));
            }
            if label.len() > 63 {
                return Err(invalid(format!(
                    "a label is {} characters long; labels have at most 63 (RFC 1035 §2.3.4)",
                    label.len()
                )));
            }
        }
        Ok(DomainName(lower))
    }

    /// The name as text: lower case, no trailing dot.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The labels, left to right.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.0.split('.')
    }

    /// Number of labels (`mail.example.com` has 3).
    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// Why this name is not a valid host name (RFC 1123 §2.1: letters, digits and hyphens, no hyphen
    /// at either end of a label; the last label not all-numeric), or `None` when it is one.
    pub fn host_name_problem(&self) -> Option<String> {
        if self.0.contains('_') {
            return Some(
                "it contains an underscore, which host names may not (RFC 1123 §2.1)".into(),
            );
        }
        if self.0.contains('/') {
            return Some("it contains `/`, which host names may not (RFC 1123 §2.1)".into());
        }
        for label in self.labels() {
            if label.starts_with('-') || label.ends_with('-') {
                return Some(format!(
                    "the label `{label}` starts or ends with a hyphen (RFC 1123 §2.1)"
                ));
            }
        }
        let tld = self.labels().last().unwrap_or_default();
        if tld.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!(
                "its last label `{tld}` is all digits, so it reads as a partial IP address, not a name"
            ));
        }
        None
    }
}

/// Checks the lower-case ASCII text form; returns the reason it is not a DNS name.
fn syntax_problem(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!(
            "it is {} characters long; a DNS name has at most 253 (RFC 1035 §2.3.4)",
            name.len()
        ));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("it has an empty label (two dots in a row, or a leading dot)".into());
        }
        if label.len() > 63 {
            return Some(format!(
                "a label is {} characters long; labels have at most 63 (RFC 1035 §2.3.4)",
                label.len()
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')))
        {
            return Some(format!(
                "it contains `{}`, which is not a letter, digit, hyphen or dot",
                c.escape_default()
            ));
        }
    }
    None
}

/// True when `name` is `zone` or below it, label by label (`mail.example.com` is in
/// `example.com`; `mail.myexample.com` is not). Both in canonical text form.
pub(crate) fn in_zone(name: &str, zone: &str) -> bool {
    name == zone
        || name
            .strip_suffix(zone)
            .is_some_and(|head| head.ends_with('.'))
}

/// Caps text quoted back in an error message so a huge paste does not become a huge message.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    let text = text.trim();
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for DomainName {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        DomainName::parse(s)
    }
}

impl AsRef<str> for DomainName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        let n = DomainName::parse(" MiXeD.SenderCheck.TEST. ").unwrap();
        assert_eq!(n.as_str(), "mixed.sendercheck.test");
        assert_eq!(n.label_count(), 3);
    }

    #[test]
    fn unicode_becomes_a_labels() {
        let n = DomainName::parse("mail.bücher.example").unwrap();
        assert_eq!(n.as_str(), "mail.xn--bcher-kva.example");
    }

    #[test]
    fn rejects_bad_syntax_with_reason() {
        let err = DomainName::parse("a..b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`a..b` is not a valid domain name: it has an empty label (two dots in a row, or a leading dot)"
        );
        assert!(DomainName::parse("").is_err());
        assert!(DomainName::parse(".").is_err());
        assert!(DomainName::parse(&"a".repeat(64)).is_err());
        assert!(DomainName::parse(&format!("{}.com", "a.".repeat(130))).is_err());
        let err = DomainName::parse("mail server.example").unwrap_err();
        assert!(err.to_string().contains("contains ` `"), "{err}");
    }

    #[test]
    fn host_name_rules() {
        let p = |s: &str| DomainName::parse(s).unwrap().host_name_problem();
        assert_eq!(p("mail.example.com"), None);
        assert!(p("_dmarc.example.com").unwrap().contains("underscore"));
        assert!(p("-a.example.com").unwrap().contains("hyphen"));
        assert!(p("192.0.2").unwrap().contains("all digits"));
    }

    #[test]
    fn any_printable_octets_for_spf() {
        let n = DomainName::parse_any("Foo:Bar/Baz.Example.com.").unwrap();
        assert_eq!(n.as_str(), "foo:bar/baz.example.com");
        assert!(DomainName::parse_any("macro%percent  space.example.com").is_ok());
        assert!(DomainName::parse_any("a..b").is_err());
        assert!(DomainName::parse_any(&"a".repeat(64)).is_err());
        assert!(DomainName::parse_any("tab\there.example").is_err());
        assert!(DomainName::parse_any("bücher.example").is_err());
        assert!(DomainName::parse_any(".").is_err());
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let long = "x".repeat(5000) + " y";
        let err = DomainName::parse(&long).unwrap_err().to_string();
        assert!(err.len() < 300, "{err}");
    }
}
