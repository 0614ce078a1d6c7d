//! DKIM public keys: is the key a signer's selector points at published and usable?
//!
//! A verifier fetches the TXT record at `<selector>._domainkey.<d=>` (RFC 6376 §3.6.2.1; CNAMEs
//! are followed, as providers delegate selectors that way) and checks the key record
//! ([`record`]). DNS cannot list a domain's selectors, so the user names them; all of them are
//! asked at once ([`check_selectors`]): one round trip.
//!
//! `pass` means a verifier can use the key: RSA of 1024 bits or more (RFC 8301 §3.2; Gmail
//! requires 1024, recommends 2048, so 1024–2047 passes with a warning), or Ed25519 (RFC 8463).

mod der;
pub mod record;

use futures::future::join_all;
use serde::Serialize;

pub use record::{parse_key_record, KeyRecord, KeyType};

use crate::dns::{
    lookup, shorten, Cached, DomainName, Lookup, Outcome, RData, RecordType, Resolver,
};
use crate::domain::fix::txt_record;
use crate::finding::{most_severe_first, Finding, FindingId};
use crate::Error;

/// A DKIM selector (RFC 6376 §3.1): one or more labels, lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Selector(String);

impl Selector {
    /// Checks a selector as the user typed it. Dots are allowed (RFC 6376 §3.1: a selector is a
    /// sub-domain, `s=foo.bar` gives `foo.bar._domainkey.example.com`); spaces, empty labels and
    /// characters other than letters, digits, `-` and `_` are not.
    ///
    /// ```
    /// # use sendercheck_core::domain::dkim::Selector;
    /// assert_eq!(Selector::parse(" Google ").unwrap().as_str(), "google");
    /// assert!(Selector::parse("2024.q1").is_ok());
    /// assert_eq!(
    ///     Selector::parse("s1 s2").unwrap_err().to_string(),
    ///     "`s1 s2` is not a DKIM selector: it contains a space; check one selector at a time"
    /// );
    /// ```
    pub fn parse(text: &str) -> Result<Selector, Error> {
        let fail = |reason: String| Error::InvalidSelector {
            selector: shorten(text),
            reason,
        };
        let s = text.trim();
        if s.is_empty() {
            return Err(fail("it is empty".into()));
        }
        if s.contains(|c: char| c.is_whitespace()) {
            return Err(fail(
                "it contains a space; check one selector at a time".into(),
            ));
        }
        let lower = s.to_ascii_lowercase();
        if let Some((selector, _)) = lower.split_once("._domainkey") {
            return Err(fail(format!(
                "give only the selector (`{selector}`), not the whole name"
            )));
        }
        for label in lower.split('.') {
            if label.is_empty() {
                return Err(fail(
                    "it has an empty label (two dots in a row, or a dot at either end)".into(),
                ));
            }
            if label.len() > 63 {
                return Err(fail(format!(
                    "a label is {} characters long; labels have at most 63 (RFC 1035 §2.3.4)",
                    label.len()
                )));
            }
            if let Some(c) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
            {
                return Err(fail(format!(
                    "it contains `{}`; a selector has letters, digits, hyphens and dots",
                    c.escape_default()
                )));
            }
        }
        Ok(Selector(lower))
    }

    /// The selector as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A selector and signing domain to check, with the name their key lives at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimQuery {
    /// The selector (`s=`).
    pub selector: Selector,
    /// The signing domain (`d=`).
    pub domain: DomainName,
    /// `<selector>._domainkey.<domain>`.
    pub name: DomainName,
}

impl DkimQuery {
    /// Checks the selector and builds the key's name; `Err` for a bad selector or a name longer
    /// than DNS allows.
    pub fn new(selector: &str, domain: &DomainName) -> Result<DkimQuery, Error> {
        let selector = Selector::parse(selector)?;
        let name = DomainName::parse(&format!("{selector}._domainkey.{domain}")).map_err(|e| {
            Error::InvalidSelector {
                selector: selector.to_string(),
                reason: match e {
                    Error::InvalidName { reason, .. } => format!(
                        "`{selector}._domainkey.{domain}` is not a usable DNS name: {reason}"
                    ),
                    other => other.to_string(),
                },
            }
        })?;
        Ok(DkimQuery {
            selector,
            domain: domain.clone(),
            name,
        })
    }
}

/// Whether a verifier can use the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DkimResult {
    /// A usable key.
    Pass,
    /// No key record, a revoked key, or a key verifiers cannot use.
    Fail,
    /// The lookup failed transiently.
    TempError,
}

impl DkimResult {
    /// The result word (`pass`, `fail`, `temperror`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DkimResult::Pass => "pass",
            DkimResult::Fail => "fail",
            DkimResult::TempError => "temperror",
        }
    }
}

crate::serialize_as_str!(DkimResult);

/// The check of one selector's key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DkimKey {
    /// The selector.
    pub selector: Selector,
    /// The signing domain.
    pub domain: DomainName,
    /// The name asked, `<selector>._domainkey.<domain>`.
    pub name: DomainName,
    /// Pass, fail or temperror.
    pub result: DkimResult,
    /// `k=` of the key record (`rsa` when absent); `null` without one.
    pub key_type: Option<KeyType>,
    /// The key length in bits (RSA modulus; 256 for Ed25519), when the key could be read.
    pub key_bits: Option<u32>,
    /// `t=y`: the domain is testing DKIM.
    pub testing: bool,
    /// The key is revoked (empty `p=`).
    pub revoked: bool,
    /// The key record's text.
    pub record: Option<String>,
    /// Why the key is unusable (empty on pass).
    pub problems: Vec<String>,
    /// What works but deserves attention.
    pub warnings: Vec<String>,
    /// How many key records the name holds (verifiers may pick any one when there are several).
    pub records: usize,
    /// Other TXT records at the name, which verifiers skip, with why.
    pub skipped: Vec<String>,
    /// The TXT lookup.
    #[serde(skip)]
    pub lookup: Lookup,
    /// The first key record, parsed.
    #[serde(skip)]
    pub key: Option<KeyRecord>,
}

/// Fetches and judges one selector's key.
pub async fn check_dkim<R: Resolver>(resolver: &Cached<R>, query: &DkimQuery) -> DkimKey {
    let lookup = lookup(resolver, query.name.clone(), RecordType::Txt).await;
    judge(query, lookup)
}

/// Fetches and judges several selectors' keys, all at once: one round trip.
pub async fn check_selectors<R: Resolver>(
    resolver: &Cached<R>,
    queries: &[DkimQuery],
) -> Vec<DkimKey> {
    join_all(queries.iter().map(|q| check_dkim(resolver, q))).await
}

fn judge(query: &DkimQuery, lookup: Lookup) -> DkimKey {
    let mut key = DkimKey {
        selector: query.selector.clone(),
        domain: query.domain.clone(),
        name: query.name.clone(),
        result: DkimResult::Fail,
        key_type: None,
        key_bits: None,
        testing: false,
        revoked: false,
        record: None,
        problems: Vec::new(),
        warnings: Vec::new(),
        records: 0,
        skipped: Vec::new(),
        lookup,
        key: None,
    };
    let texts: Vec<String> = match &key.lookup.outcome {
        Outcome::Found(data) => data.iter().filter_map(RData::txt).collect(),
        other if other.is_temporary() => {
            key.result = DkimResult::TempError;
            key.problems
                .push(format!("{}: {}", key.name, other.describe(RecordType::Txt)));
            return key;
        }
        other => {
            key.problems.push(format!(
                "no key record at {}: {}",
                key.name,
                other.describe(RecordType::Txt)
            ));
            return key;
        }
    };
    let mut parsed: Vec<KeyRecord> = Vec::new();
    for text in texts {
        match parse_key_record(&text) {
            Ok(r) => parsed.push(r),
            Err(why) => key.skipped.push(format!("`{}`: {why}", shorten(&text))),
        }
    }
    key.records = parsed.len();
    let Some(first) = parsed.first().cloned() else {
        key.problems.push(format!(
            "no DKIM key record at {}; it holds only other TXT records",
            key.name
        ));
        return key;
    };
    let several = parsed.len() > 1;
    for (i, r) in parsed.iter().enumerate() {
        let prefix = if several {
            format!("record {}: ", i + 1)
        } else {
            String::new()
        };
        if r.revoked {
            key.problems
                .push(format!("{prefix}the key is revoked (empty `p=`)"));
        }
        key.problems
            .extend(r.problems.iter().map(|p| format!("{prefix}{p}")));
        key.warnings
            .extend(r.warnings.iter().map(|w| format!("{prefix}{w}")));
    }
    if several {
        key.warnings.push(format!(
            "{} holds {} key records; verifiers may use any one of them (RFC 6376 §3.6.2.2)",
            key.name,
            parsed.len()
        ));
    }
    key.key_type = Some(first.key_type.clone());
    key.key_bits = first.bits;
    key.testing = first.testing;
    key.revoked = first.revoked;
    key.record = Some(first.text.clone());
    if parsed.iter().all(KeyRecord::usable) {
        key.result = DkimResult::Pass;
    }
    key.key = Some(first);
    key
}

impl DkimKey {
    /// For the providers' requirements: `Some(true)` for a usable key, `None` when unknown.
    pub fn usable(&self) -> Option<bool> {
        match self.result {
            DkimResult::Pass => Some(true),
            DkimResult::Fail => Some(false),
            DkimResult::TempError => None,
        }
    }
}

/// For the providers' requirements, over the selectors checked: `Some(true)` when one has a usable
/// key, `Some(false)` when all were checked and none has, `None` when none was checked or it is
/// unknown.
pub fn any_usable(keys: &[DkimKey]) -> Option<bool> {
    if keys.iter().any(|k| k.result == DkimResult::Pass) {
        Some(true)
    } else if !keys.is_empty() && keys.iter().all(|k| k.result == DkimResult::Fail) {
        Some(false)
    } else {
        None
    }
}

/// For the providers' key-length rules (Gmail: 1024 bits or more): `Some(false)` when a key was
/// read and is too short, `Some(true)` when every key read is long enough, `None` when no key
/// could be read.
pub fn key_lengths_ok(keys: &[DkimKey]) -> Option<bool> {
    let bits: Vec<(bool, u32)> = keys
        .iter()
        .filter_map(|k| Some((k.key_type == Some(KeyType::Rsa), k.key_bits?)))
        .collect();
    if bits.is_empty() {
        None
    } else {
        Some(
            bits.iter()
                .all(|(rsa, b)| !rsa || *b >= record::MIN_RSA_BITS),
        )
    }
}

const KEYGEN: &str = "generate it with, for example, `opendkim-genkey -b 2048 -s SELECTOR -d DOMAIN` (OpenDKIM) or `rspamadm dkim_keygen -b 2048 -s SELECTOR -d DOMAIN` (Rspamd), or take it from your mail provider's DKIM settings";

/// The findings for every selector checked, most severe first.
pub fn findings(keys: &[DkimKey]) -> Vec<Finding> {
    let mut out = Vec::new();
    for k in keys {
        let name = &k.name;
        let keygen = KEYGEN
            .replace("SELECTOR", k.selector.as_str())
            .replace("DOMAIN", k.domain.as_str());
        let placeholder = txt_record(name.as_str(), "v=DKIM1; k=rsa; p=<base64 public key>");
        let shown = k
            .record
            .as_deref()
            .map(|r| format!("`{}`", shorten(r)))
            .unwrap_or_default();
        let problems = k.problems.join("; ");
        match k.result {
            DkimResult::TempError => out.push(
                FindingId::DkimTemperror
                    .says(format!("Could not look up the DKIM key {name}"))
                    .because(format!(
                        "The lookup failed in a way that may be temporary ({problems}). Verifiers that see the same failure return TEMPFAIL (key unavailable, RFC 6376 §6.1.2), and providers may defer the mail."
                    ))
                    .fixed_by("Try again, or with another resolver; if it persists, check the authoritative servers and DNSSEC of the signing domain's zone."),
            ),
            DkimResult::Fail if k.record.is_none() => out.push(
                FindingId::DkimMissing
                    .says(format!("No DKIM key at {name}"))
                    .because(format!(
                        "{problems}{}. Every signature with d={} s={} fails (RFC 6376 §6.1.2 \"no key for signature\"). Gmail blocks bulk mail without a passing DKIM signature (550-5.7.30) and all mail that passes neither SPF nor DKIM (550-5.7.26); Yahoo (550 5.7.9) and Outlook.com (550 5.7.515) likewise.",
                        if k.skipped.is_empty() { String::new() } else { format!(" ({})", k.skipped.join("; ")) },
                        k.domain,
                        k.selector
                    ))
                    .fixed_by(format!(
                        "Publish the public key of the private key your signer uses with selector {}:\n{placeholder}\nIf you have none, {keygen}.",
                        k.selector
                    )),
            ),
            DkimResult::Fail if k.revoked && k.records == 1 => out.push(
                FindingId::DkimRevoked
                    .says(format!("The DKIM key {name} is revoked"))
                    .because(format!(
                        "{shown} has an empty p=, which RFC 6376 §3.6.1 defines as a revoked key: every signature with d={} s={} fails.",
                        k.domain, k.selector
                    ))
                    .fixed_by(format!(
                        "If your signer still uses selector {}, switch it to a selector with a published key, or publish this one's key again:\n{placeholder}\nIf nothing signs with it any more, the empty record is right and nothing needs changing.",
                        k.selector
                    )),
            ),
            DkimResult::Fail
                if k.key_type == Some(KeyType::Rsa)
                    && k.key_bits.is_some_and(|b| b < record::MIN_RSA_BITS)
                    && k.records == 1 =>
            {
                out.push(
                    FindingId::DkimShortKey
                        .says(format!(
                            "The DKIM key {name} is too short: {} bits",
                            k.key_bits.unwrap_or_default()
                        ))
                        .because(format!(
                            "{problems}. Signatures made with it fail everywhere, so the mail counts as unsigned: Gmail blocks bulk mail without DKIM (550-5.7.30)."
                        ))
                        .fixed_by(format!(
                            "Generate a 2048-bit key under a new selector, publish it, switch the signer to it, then empty the old record's p= ({keygen})."
                        )),
                );
            }
            DkimResult::Fail => {
                let fix = match k.key.as_ref().and_then(KeyRecord::corrected) {
                    Some(corrected) => format!("Publish:\n{}", txt_record(name.as_str(), &corrected)),
                    None => format!("Publish a valid key record:\n{placeholder}\nTake the key from your signer's configuration, or {keygen}."),
                };
                out.push(
                    FindingId::DkimInvalid
                        .says(format!("The DKIM key record at {name} cannot be used"))
                        .because(format!(
                            "{shown}: {problems}. Verifiers fail every signature that needs it (RFC 6376 §6.1.2), so the mail counts as unsigned: Gmail blocks bulk mail without DKIM (550-5.7.30)."
                        ))
                        .fixed_by(fix),
                );
            }
            DkimResult::Pass => {
                let what = match (&k.key_type, k.key_bits) {
                    (Some(KeyType::Ed25519), _) => "Ed25519".to_string(),
                    (_, Some(bits)) => format!("RSA, {bits} bits"),
                    _ => "usable".to_string(),
                };
                let weak = k.key_bits.filter(|b| *b < record::GOOD_RSA_BITS && k.key_type == Some(KeyType::Rsa));
                if let Some(bits) = weak {
                    out.push(
                        FindingId::DkimWeakKey
                            .says(format!("The DKIM key {name} has {bits} bits; use 2048"))
                            .because(format!(
                                "{shown}. Gmail accepts keys of 1024 bits or more but recommends 2048, and RFC 8301 §3.2 says signers SHOULD use at least 2048: 1024-bit RSA is within reach of well-funded attackers."
                            ))
                            .fixed_by(format!(
                                "Generate a 2048-bit key under a new selector, publish it, switch the signer to it, then empty the old record's p= ({keygen})."
                            )),
                    );
                } else {
                    out.push(
                        FindingId::DkimPass
                            .says(format!("DKIM key {name}: {what}"))
                            .because(format!(
                                "{shown} holds a key verifiers can use (RFC 6376 §3.6.1, RFC 8301). Gmail requires DKIM keys of 1024 bits or more for mail to personal accounts and DKIM for bulk senders; Yahoo asks for 1024 bits or more."
                            )),
                    );
                }
            }
        }
        if k.records > 1 {
            out.push(
                FindingId::DkimMultipleRecords
                    .says(format!("{name} holds {} DKIM key records", k.records))
                    .because(format!(
                        "RFC 6376 §3.6.2.2: with several key records, a verifier may pick any one, so a signature passes or fails depending on which it takes{}.",
                        if problems.is_empty() { String::new() } else { format!(" ({problems})") }
                    ))
                    .fixed_by("Keep only the record with the key your signer uses."),
            );
        }
        if k.testing && k.result == DkimResult::Pass {
            out.push(
                FindingId::DkimTesting
                    .says(format!("The DKIM key {name} is marked as testing (t=y)"))
                    .because("t=y says the domain is testing DKIM: verifiers MUST NOT treat signed mail differently from unsigned mail (RFC 6376 §3.6.1), so the signature may earn no trust.")
                    .fixed_by(match k.key.as_ref().and_then(|r| {
                        let mut live = r.clone();
                        live.testing = false;
                        live.corrected()
                    }) {
                        Some(live) => format!("When DKIM works, remove t=y:\n{}", txt_record(name.as_str(), &live)),
                        None => "When DKIM works, remove t=y from the record.".into(),
                    }),
            );
        }
    }
    let passing: Vec<&DkimKey> = keys
        .iter()
        .filter(|k| k.result == DkimResult::Pass)
        .collect();
    if !passing.is_empty() && passing.iter().all(|k| k.key_type == Some(KeyType::Ed25519)) {
        out.push(
            FindingId::DkimNoRsa
                .says("Only Ed25519 DKIM keys were checked")
                .because("RFC 8463 Ed25519 keys are valid, but not every receiver verifies them yet; a message signed only with Ed25519 counts as unsigned there. Deployments sign with both RSA and Ed25519.")
                .fixed_by("Add an RSA-2048 selector and sign with both; check its selector here too."),
        );
    }
    most_severe_first(out)
}

#[cfg(test)]
mod tests {
    use super::record::tests::{rsa_record, ED25519_KEY, RSA_1024};
    use super::*;
    use crate::dns::Rcode;
    use crate::testing::{cname, rec, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    fn domain() -> DomainName {
        DomainName::parse("example.com").unwrap()
    }

    fn key(fixed: FixedResolver, name: &str, texts: &[&str]) -> FixedResolver {
        fixed.answer(
            name,
            RecordType::Txt,
            Rcode::NoError,
            texts
                .iter()
                .map(|t| rec(name, RecordType::Txt, RData::Txt(vec![t.to_string()])))
                .collect(),
        )
    }

    fn run(fixed: &FixedResolver, selector: &str) -> DkimKey {
        block_on(check_dkim(
            &Cached::new(fixed),
            &DkimQuery::new(selector, &domain()).unwrap(),
        ))
    }

    fn ids(k: &DkimKey) -> Vec<String> {
        findings(std::slice::from_ref(k))
            .iter()
            .map(|f| f.id.to_string())
            .collect()
    }

    #[test]
    fn selectors() {
        let err = |s: &str| Selector::parse(s).unwrap_err().to_string();
        assert_eq!(err(""), "`` is not a DKIM selector: it is empty");
        assert_eq!(err("a..b"), "`a..b` is not a DKIM selector: it has an empty label (two dots in a row, or a dot at either end)");
        assert_eq!(err(".a"), "`.a` is not a DKIM selector: it has an empty label (two dots in a row, or a dot at either end)");
        assert_eq!(err("s1._domainkey.example.com"), "`s1._domainkey.example.com` is not a DKIM selector: give only the selector (`s1`), not the whole name");
        assert_eq!(err("s1;"), "`s1;` is not a DKIM selector: it contains `;`; a selector has letters, digits, hyphens and dots");
        assert_eq!(
            Selector::parse("Sel-1_x.2024").unwrap().as_str(),
            "sel-1_x.2024"
        );
        let q = DkimQuery::new("foo.bar", &domain()).unwrap();
        assert_eq!(q.name.as_str(), "foo.bar._domainkey.example.com");
        let long =
            DomainName::parse(&format!("{}.example", vec!["a".repeat(60); 3].join("."))).unwrap();
        assert!(DkimQuery::new(&"b".repeat(60), &long)
            .unwrap_err()
            .to_string()
            .contains("is not a usable DNS name"));
    }

    #[test]
    fn pass_and_key_sizes() {
        let r = key(
            FixedResolver::new(),
            "s2048._domainkey.example.com",
            &[&rsa_record(2048)],
        );
        let k = run(&r, "s2048");
        assert_eq!(
            (k.result, k.key_bits, k.key_type.clone()),
            (DkimResult::Pass, Some(2048), Some(KeyType::Rsa))
        );
        assert_eq!(ids(&k), ["dkim-pass"]);
        assert_eq!(
            findings(&[k])[0].title,
            "DKIM key s2048._domainkey.example.com: RSA, 2048 bits"
        );

        let r = key(
            FixedResolver::new(),
            "test._domainkey.example.com",
            &[RSA_1024],
        );
        let k = run(&r, "test");
        assert_eq!(k.result, DkimResult::Pass);
        assert_eq!(ids(&k), ["dkim-weak-key"]);

        let r = key(
            FixedResolver::new(),
            "old._domainkey.example.com",
            &[&rsa_record(768)],
        );
        let k = run(&r, "old");
        assert_eq!(k.result, DkimResult::Fail);
        assert_eq!(ids(&k), ["dkim-short-key"]);
        assert!(findings(&[k])[0]
            .fix
            .contains("opendkim-genkey -b 2048 -s old -d example.com"));
    }

    #[test]
    fn ed25519_and_cnames() {
        let r = FixedResolver::new().answer(
            "brisbane._domainkey.example.com",
            RecordType::Txt,
            Rcode::NoError,
            vec![
                cname(
                    "brisbane._domainkey.example.com",
                    "brisbane.dkim.provider.example",
                ),
                rec(
                    "brisbane.dkim.provider.example",
                    RecordType::Txt,
                    RData::Txt(vec![ED25519_KEY.into()]),
                ),
            ],
        );
        let k = run(&r, "brisbane");
        assert_eq!((k.result, k.key_bits), (DkimResult::Pass, Some(256)));
        assert_eq!(ids(&k), ["dkim-no-rsa", "dkim-pass"]);
    }

    #[test]
    fn missing_revoked_invalid_and_temperror() {
        let k = run(&FixedResolver::new(), "none");
        assert_eq!(k.result, DkimResult::Fail);
        assert_eq!(ids(&k), ["dkim-missing"]);
        let f = &findings(&[k])[0];
        assert!(f.fix.contains("none._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; p=<base64 public key>\""), "{}", f.fix);

        // A wildcard SPF record answering for the selector is no key.
        let r = key(
            FixedResolver::new(),
            "w._domainkey.example.com",
            &["v=spf1 -all"],
        );
        let k = run(&r, "w");
        assert_eq!(ids(&k), ["dkim-missing"]);
        assert!(findings(&[k])[0].detail.contains("SPF record"));

        let r = key(
            FixedResolver::new(),
            "gone._domainkey.example.com",
            &["v=DKIM1; p="],
        );
        let k = run(&r, "gone");
        assert!(k.revoked);
        assert_eq!(ids(&k), ["dkim-revoked"]);

        let r = key(
            FixedResolver::new(),
            "sha1._domainkey.example.com",
            &[&rsa_record(2048).replace("k=rsa", "k=rsa; h=sha1")],
        );
        let k = run(&r, "sha1");
        assert_eq!(ids(&k), ["dkim-invalid"]);
        let f = &findings(&[k])[0];
        assert!(
            f.fix.starts_with(
                "Publish:\nsha1._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; p=MII"
            ),
            "{}",
            f.fix
        );

        let r = FixedResolver::new().answer(
            "sf._domainkey.example.com",
            RecordType::Txt,
            Rcode::ServFail,
            vec![],
        );
        let k = run(&r, "sf");
        assert_eq!((k.result, k.usable()), (DkimResult::TempError, None));
        assert_eq!(ids(&k), ["dkim-temperror"]);
    }

    #[test]
    fn several_records_and_testing() {
        let r = key(
            FixedResolver::new(),
            "two._domainkey.example.com",
            &[&rsa_record(2048), "v=DKIM1; p="],
        );
        let k = run(&r, "two");
        assert_eq!(k.result, DkimResult::Fail);
        assert_eq!(k.records, 2);
        assert_eq!(ids(&k), ["dkim-invalid", "dkim-multiple-records"]);

        let r = key(
            FixedResolver::new(),
            "t._domainkey.example.com",
            &[&format!("{}; t=y", rsa_record(2048))],
        );
        let k = run(&r, "t");
        assert_eq!(ids(&k), ["dkim-testing", "dkim-pass"]);
    }

    #[test]
    fn selectors_in_one_round_trip() {
        let mut fixed = FixedResolver::new();
        for s in ["a", "b", "c"] {
            fixed = key(
                fixed,
                &format!("{s}._domainkey.example.com"),
                &[&rsa_record(2048)],
            );
        }
        let rt = RoundTrips::new(fixed);
        let cached = Cached::new(&rt);
        let queries: Vec<DkimQuery> = ["a", "b", "c", "missing"]
            .iter()
            .map(|s| DkimQuery::new(s, &domain()).unwrap())
            .collect();
        let (keys, rounds) = rt.run(check_selectors(&cached, &queries));
        assert_eq!(rounds, 1);
        assert_eq!(
            keys.iter().filter(|k| k.result == DkimResult::Pass).count(),
            3
        );
        assert_eq!(any_usable(&keys), Some(true));
        assert_eq!(any_usable(&keys[3..]), Some(false));
        assert_eq!(any_usable(&[]), None);
        assert_eq!(key_lengths_ok(&keys), Some(true));
        assert_eq!(key_lengths_ok(&keys[3..]), None);
        let r = key(
            FixedResolver::new(),
            "old._domainkey.example.com",
            &[&rsa_record(768)],
        );
        assert_eq!(key_lengths_ok(&[run(&r, "old")]), Some(false));
    }

    #[test]
    fn json_shape() {
        let r = key(
            FixedResolver::new(),
            "s._domainkey.example.com",
            &[&rsa_record(2048)],
        );
        let j = serde_json::to_value(run(&r, "s")).unwrap();
        assert_eq!(j["selector"], "s");
        assert_eq!(j["domain"], "example.com");
        assert_eq!(j["result"], "pass");
        assert_eq!(j["key_type"], "rsa");
        assert_eq!(j["key_bits"], 2048);
        assert_eq!(j["testing"], false);
        assert_eq!(j["revoked"], false);
        assert_eq!(j["problems"], serde_json::json!([]));
    }
}
