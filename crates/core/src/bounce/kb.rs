//! The knowledge base: receivers' replies and what they mean, as data (`data/bounces.json`).
//!
//! Live wording drifts, so a rule matches on the reply code, the enhanced status and a few
//! keywords, never on the whole text: its `code` and `status` (when set) must equal the reply's,
//! every keyword must be in the reply's folded, lower-cased text, and no `unless` keyword may be.
//! Of several matching rules the highest `priority` wins, then the one whose code and status were
//! actually compared (a reply without an enhanced status cannot confirm a rule's), then the most
//! keywords, then the longest.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{Category, CheckKind};

const DATA: &str = include_str!("../../data/bounces.json");

/// One known reply.
#[derive(Debug, PartialEq, Eq, Deserialize)]
pub struct Rule {
    /// Stable id, e.g. `gmail-5.7.25-ptr`.
    pub id: String,
    /// Who writes this reply: a receiver's id (`gmail`), or the software or list its wording
    /// comes from (`postfix`, `spamhaus`, `generic`).
    pub provider: String,
    /// The basic reply code it applies to; `None`: any.
    pub code: Option<u16>,
    /// The enhanced status it applies to; `None`: any.
    pub status: Option<String>,
    /// Fragments that must all appear (lower case).
    pub keywords: Vec<String>,
    /// Fragments that must not appear.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Wins over lower priorities (list- and vendor-specific rules over generic MTA ones).
    #[serde(default)]
    pub priority: i32,
    /// The part of the setup it points to.
    pub category: Category,
    /// The checks to run for it.
    pub checks: Vec<CheckKind>,
    /// The public DNS blocklists its reply refers to; empty for a receiver's own list.
    #[serde(default)]
    pub lists: Vec<String>,
    /// What it means, in plain words.
    pub meaning: String,
    /// What to do.
    pub action: String,
    /// A reply this rule was written from.
    pub example: String,
    /// Where the reply and its meaning are documented or observed.
    pub source: String,
}

/// What kind of party a provider entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// A mailbox provider (Gmail, Yahoo, …).
    Mailbox,
    /// A filtering service in front of other domains' mail (Proofpoint, Mimecast, …).
    Filter,
    /// MTA software whose wording a reply uses (Postfix, Exim).
    Software,
    /// A blocklist named in a reply.
    List,
}

/// A receiver or the origin of a reply's wording.
#[derive(Debug, PartialEq, Eq, Deserialize)]
pub struct Provider {
    /// Id, as in JSON (`gmail`, `exchange-online`, …).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Mailbox provider, filter, software or list.
    pub kind: ProviderKind,
    /// The domains its MX hosts are under (most specific first where they nest).
    pub hosts: Vec<String>,
}

impl Provider {
    /// A receiver (mailbox provider or filtering service), as opposed to software or a list.
    pub fn is_receiver(&self) -> bool {
        matches!(self.kind, ProviderKind::Mailbox | ProviderKind::Filter)
    }
}

#[derive(Debug, Deserialize)]
struct Data {
    providers: Vec<Provider>,
    rules: Vec<Rule>,
}

fn data() -> &'static Data {
    static PARSED: OnceLock<Data> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(DATA).unwrap_or(Data {
            providers: Vec::new(),
            rules: Vec::new(),
        })
    })
}

/// Every rule, in the file's order.
pub fn rules() -> &'static [Rule] {
    &data().rules
}

/// Every provider.
pub fn providers() -> &'static [Provider] {
    &data().providers
}

/// The provider with this id.
pub fn provider(id: &str) -> Option<&'static Provider> {
    providers().iter().find(|p| p.id == id)
}

/// The receiver an MX host name belongs to: the provider with the longest domain that the host
/// is, or is under (`hotmail-com.olc.protection.outlook.com` is Outlook.com, not Exchange Online).
pub fn provider_of_host(host: &str) -> Option<&'static Provider> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    providers()
        .iter()
        .flat_map(|p| p.hosts.iter().map(move |h| (p, h)))
        .filter(|(_, h)| host == **h || host.ends_with(&format!(".{h}")))
        .max_by_key(|(_, h)| h.len())
        .map(|(p, _)| p)
}

/// `text` as rules see it: lower case, typographic apostrophes straightened, whitespace runs
/// collapsed to one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2019}' | '\u{2018}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// The rule that best matches a reply; `text` is the folded reply, any case.
///
/// ```
/// use sendercheck_core::bounce::kb::best_match;
/// let rule = best_match(Some(553), Some("5.7.2"), "[TSS09] All messages from 203.0.113.9 will be permanently deferred").unwrap();
/// assert_eq!(rule.id, "yahoo-tss09");
/// ```
pub fn best_match(code: Option<u16>, status: Option<&str>, text: &str) -> Option<&'static Rule> {
    let text = normalise(text);
    rules()
        .iter()
        .filter_map(|r| {
            let code_ok = match (r.code, code) {
                (Some(want), Some(got)) if want != got => return None,
                (Some(_), Some(_)) => 1,
                _ => 0,
            };
            let status_ok = match (&r.status, status) {
                (Some(want), Some(got)) if want != got => return None,
                (Some(_), Some(_)) => 1,
                (Some(_), None) => -1,
                _ => 0,
            };
            if !r.keywords.iter().all(|k| text.contains(k.as_str()))
                || r.unless.iter().any(|k| text.contains(k.as_str()))
            {
                return None;
            }
            // A rule with neither keywords nor a confirmed status says nothing about this reply.
            if r.keywords.is_empty() && status_ok < 1 {
                return None;
            }
            let length: usize = r.keywords.iter().map(String::len).sum();
            Some((
                (r.priority, code_ok + status_ok, r.keywords.len(), length),
                r,
            ))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::reply::Reply;

    #[test]
    fn the_file_parses_and_every_rule_is_complete() {
        let d: Data = serde_json::from_str(DATA).expect("data/bounces.json parses");
        assert!(d.rules.len() >= 60, "{}", d.rules.len());
        for (i, r) in d.rules.iter().enumerate() {
            assert!(d.rules[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
            assert!(r.source.starts_with("http"), "{}: source", r.id);
            assert!(!r.meaning.is_empty() && !r.action.is_empty(), "{}", r.id);
            assert!(
                d.providers.iter().any(|p| p.id == r.provider),
                "{}: unknown provider {}",
                r.id,
                r.provider
            );
            for k in r.keywords.iter().chain(&r.unless) {
                assert_eq!(*k, normalise(k), "{}: keywords are normalised", r.id);
            }
            if let Some(s) = &r.status {
                assert!(
                    super::super::status::parse_status(s).is_some(),
                    "{}: {s}",
                    r.id
                );
            }
            assert!(
                !r.keywords.is_empty() || r.status.is_some(),
                "{} matches anything",
                r.id
            );
        }
    }

    /// Every rule's own example selects that rule, read as a reply (code, enhanced status, text),
    /// so no rule shadows another.
    #[test]
    fn every_example_selects_its_own_rule() {
        let mut wrong = Vec::new();
        for r in rules() {
            let reply = Reply::parse(&r.example).unwrap_or_else(|| Reply::without_code(&r.example));
            let got = best_match(reply.code, reply.status.as_deref(), &reply.matched_text());
            if got.map(|g| g.id.as_str()) != Some(r.id.as_str()) {
                wrong.push(format!("{} -> {:?}", r.id, got.map(|g| &g.id)));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn providers_by_host() {
        let id = |h: &str| provider_of_host(h).map(|p| p.id.as_str());
        assert_eq!(id("gmail-smtp-in.l.google.com"), Some("gmail"));
        assert_eq!(
            id("hotmail-com.olc.protection.outlook.com"),
            Some("outlook")
        );
        assert_eq!(
            id("example-com.mail.protection.outlook.com."),
            Some("exchange-online")
        );
        assert_eq!(id("mta7.am0.yahoodns.net"), Some("yahoo"));
        assert_eq!(id("mx-ha03.web.de"), Some("gmx"));
        assert_eq!(id("notgoogle.com"), None);
        assert_eq!(id("mx.example.net"), None);
        assert!(providers().iter().filter(|p| p.is_receiver()).count() >= 13);
    }
}
