//! The curated lists as data: `data/blocklists.json`, read once. Each list names its zone, its
//! return codes with their meanings, its delisting page, why it may refuse a resolver, and the
//! page its codes come from.

use std::net::Ipv4Addr;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../../data/blocklists.json");

/// What an answer code says about the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Listed for abuse: spam, exploits, traps.
    Listed,
    /// A policy listing: the address should not send mail directly (Spamhaus PBL).
    Policy,
    /// The address's network or ISP is listed, not the address (UCEPROTECT levels 2 and 3).
    Network,
    /// A reputation level that is not a listing (Mailspike's neutral levels).
    Neutral,
    /// A good reputation level (Mailspike's H levels).
    Good,
}

impl Kind {
    /// The kind word (`listed`, `policy`, `network`, `neutral`, `good`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Listed => "listed",
            Kind::Policy => "policy",
            Kind::Network => "network",
            Kind::Neutral => "neutral",
            Kind::Good => "good",
        }
    }

    /// Whether receivers that use the list refuse the address for this code.
    pub fn is_listing(self) -> bool {
        matches!(self, Kind::Listed | Kind::Policy | Kind::Network)
    }
}

crate::serialize_as_str!(Kind);

/// One return code of a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Code {
    /// The A record the list answers.
    pub answer: Ipv4Addr,
    /// The sub-list or level it stands for (`SBL`, `PBL (ISP)`, `L4`, …).
    pub name: String,
    /// What it says about the address.
    pub kind: Kind,
    /// What it means, in plain words.
    pub meaning: String,
}

/// An error code: an answer about the query, never a listing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorCode {
    /// The A record.
    pub answer: Ipv4Addr,
    /// What it means.
    pub meaning: String,
    /// Where that is documented.
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ListData {
    pub zone: String,
    pub name: String,
    #[serde(default)]
    pub dqs: bool,
    pub codes: Vec<Code>,
    pub delist: String,
    pub refuses: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Dqs {
    pub zone: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Data {
    pub spamhaus_dqs: Dqs,
    pub errors: Vec<ErrorCode>,
    pub lists: Vec<ListData>,
}

/// The parsed data file; its shape is checked by the tests below, so a broken file fails them
/// and never reaches a user.
pub(super) fn data() -> &'static Data {
    static DATA_PARSED: OnceLock<Data> = OnceLock::new();
    DATA_PARSED.get_or_init(|| {
        serde_json::from_str(DATA).unwrap_or(Data {
            spamhaus_dqs: Dqs {
                zone: String::new(),
                source: String::new(),
            },
            errors: Vec::new(),
            lists: Vec::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::DomainName;

    #[test]
    fn the_file_parses_and_every_list_is_complete() {
        let parsed: Data = serde_json::from_str(DATA).expect("data/blocklists.json parses");
        assert_eq!(parsed.lists.len(), 9);
        for l in &parsed.lists {
            assert!(DomainName::parse(&l.zone).is_ok(), "{}", l.zone);
            assert!(!l.name.is_empty());
            assert!(l.source.starts_with("http"), "{}: source", l.zone);
            assert!(l.delist.starts_with("http"), "{}: delist", l.zone);
            assert!(!l.codes.is_empty(), "{}", l.zone);
            for (i, c) in l.codes.iter().enumerate() {
                assert_eq!(
                    c.answer.octets()[..3],
                    [127, 0, 0],
                    "{} {}",
                    l.zone,
                    c.answer
                );
                assert!(!c.meaning.is_empty() && !c.name.is_empty());
                assert!(
                    l.codes[..i].iter().all(|o| o.answer != c.answer),
                    "{} lists {} twice",
                    l.zone,
                    c.answer
                );
            }
            assert_eq!(
                parsed.lists.iter().filter(|o| o.zone == l.zone).count(),
                1,
                "{} twice",
                l.zone
            );
        }
        for e in &parsed.errors {
            assert_eq!(e.answer.octets()[..3], [127, 255, 255]);
            assert!(e.source.starts_with("https://"));
        }
        assert!(parsed.spamhaus_dqs.zone.contains("{key}"));
        let raw: serde_json::Value = serde_json::from_str(DATA).unwrap();
        assert!(raw["rfc5782"]
            .as_str()
            .unwrap()
            .starts_with("https://www.rfc-editor.org/"));
        assert_eq!(
            parsed.lists.iter().filter(|l| l.dqs).count(),
            1,
            "one list has a DQS form"
        );
    }
}
