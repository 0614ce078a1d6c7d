//! Every finding the engine can report, defined once: its id string, check, severity and the
//! rules it cites (after ripgrep's `flags/defs.rs`: one definition per item, its docs beside it).
//!
//! The id strings are a public interface (JSON, the page's `data-*` attributes, scripts), listed in
//! the README; the tests below keep the two in step and check that each finding is built in one
//! module only.

use std::fmt;

use super::refs::*;
use super::{Area, Finding, Reference, Severity};

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $area:ident, $severity:ident, [$($r:ident),*]; )*) => {
        /// The identity of a finding: see the [module docs](self).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FindingId {
            $( $(#[$doc])* $variant, )*
        }

        impl FindingId {
            /// Every finding, in catalogue order.
            pub const ALL: &'static [FindingId] = &[$(FindingId::$variant),*];

            /// The stable id string, e.g. `iprev-fail`.
            pub fn as_str(self) -> &'static str {
                match self { $(FindingId::$variant => $id,)* }
            }

            /// The check it belongs to.
            pub fn check(self) -> Area {
                match self { $(FindingId::$variant => Area::$area,)* }
            }

            /// How much it matters.
            pub fn severity(self) -> Severity {
                match self { $(FindingId::$variant => Severity::$severity,)* }
            }

            /// The rules it cites.
            pub fn refs(self) -> &'static [Reference] {
                match self { $(FindingId::$variant => &[$($r),*],)* }
            }
        }
    };
}

catalogue! {
    /// The address is private, loopback, documentation, …: receivers see another one.
    IpNotPublic = "ip-not-public", Address, Warning, [];
    /// Forward-confirmed reverse DNS (RFC 8601 iprev pass).
    IprevPass = "iprev-pass", Iprev, Ok, [RFC8601_IPREV, GMAIL];
    /// PTR names exist but none resolves back to the address (iprev fail).
    IprevFail = "iprev-fail", Iprev, Error, [RFC8601_IPREV, RFC1912_PTR, GMAIL_ERRORS, POSTFIX_UNKNOWN_CLIENT];
    /// No PTR record (iprev permerror).
    IprevNoPtr = "iprev-no-ptr", Iprev, Error, [RFC8601_IPREV, GMAIL_ERRORS, YAHOO];
    /// A lookup failed transiently (iprev temperror).
    IprevTemperror = "iprev-temperror", Iprev, Warning, [RFC8601_IPREV];
    /// The resolver gave no DNS answer, so the reverse DNS could not be checked (verdict unchecked).
    IprevUnchecked = "iprev-unchecked", Iprev, Warning, [RFC8484_ERRORS];
    /// More than one PTR record.
    PtrMultiple = "ptr-multiple", Iprev, Warning, [RFC1912_PTR];
    /// PTR names beyond the ones looked up.
    PtrUnchecked = "ptr-unchecked", Iprev, Info, [];
    /// The reverse zone is delegated by CNAME (RFC 2317).
    PtrClassless = "ptr-classless", Iprev, Info, [RFC2317];
    /// A PTR target that is not a host name.
    PtrInvalidName = "ptr-invalid-name", Iprev, Warning, [RFC1912_PTR];
    /// A PTR name that is an alias.
    PtrCname = "ptr-cname", Iprev, Warning, [RFC1912_PTR];
    /// The reverse name looks chosen, not generic.
    RdnsNotGeneric = "rdns-not-generic", Generic, Ok, [SPAMASSASSIN_RDNS];
    /// The reverse name looks dynamic, residential or a cloud default.
    RdnsGeneric = "rdns-generic", Generic, Warning, [YAHOO, SPAMASSASSIN_RDNS, HARAKA_FCRDNS];
    /// The EHLO name equals a forward-confirmed PTR name.
    HeloPass = "helo-pass", Helo, Ok, [RFC5321_EHLO, FASTMAIL];
    /// The EHLO argument is not a valid name or literal.
    HeloInvalid = "helo-invalid", Helo, Error, [RFC5321_EHLO, FASTMAIL, POSTFIX_HELO, EXIM_HELO];
    /// The EHLO argument is an address literal.
    HeloAddressLiteral = "helo-address-literal", Helo, Warning, [RFC5321_LITERAL, FASTMAIL, POSTFIX_HELO, EXIM_HELO];
    /// The EHLO name does not match the reverse DNS.
    HeloMismatch = "helo-mismatch", Helo, Warning, [RFC5321_EHLO, FASTMAIL, POSTFIX_HELO, EXIM_HELO];
    /// The match could not be decided: the reverse DNS failed transiently.
    HeloTemperror = "helo-temperror", Helo, Warning, [RFC5321_EHLO];
    /// The EHLO name resolves, but to other addresses.
    HeloResolvesElsewhere = "helo-resolves-elsewhere", Helo, Info, [POSTFIX_UNKNOWN_HELO];
    /// The EHLO name has no address record.
    HeloUnresolvable = "helo-unresolvable", Helo, Warning, [POSTFIX_UNKNOWN_HELO];
    /// A pasted configuration turns on Sender Address Verification.
    SavCallout = "sav-callout", Sav, Warning, [POSTFIX_SAV, EXIM_CALLOUT];
    /// The receiver's results are about another address.
    ReceiverIpDiffers = "receiver-ip-differs", Receiver, Warning, [RFC8601_HEADER, RFC8601_IPREV, RFC5322_TRACE];
    /// The receiver's SPF check saw another EHLO name.
    ReceiverHeloDiffers = "receiver-helo-differs", Receiver, Info, [RFC8601_HEADER, RFC8601_IPREV, RFC5322_TRACE];
    /// The receiver's iprev result differs from this check's.
    ReceiverIprevDiffers = "receiver-iprev-differs", Receiver, Info, [RFC8601_HEADER, RFC8601_IPREV, RFC5322_TRACE];
    /// The receiver recorded another reverse name.
    ReceiverRdnsDiffers = "receiver-rdns-differs", Receiver, Info, [RFC5322_TRACE, RFC8601_IPREV];
    /// The receiver's SPF, DKIM or DMARC failed.
    ReceiverAuthFail = "receiver-auth-fail", Receiver, Warning, [GMAIL, YAHOO, RFC8601_HEADER];
    /// The receiver's own results, all passing.
    ReceiverResults = "receiver-results", Receiver, Ok, [RFC8601_HEADER];
    /// SPF passes (RFC 7208 §2.6.3).
    SpfPass = "spf-pass", Spf, Ok, [RFC7208_RESULTS, GMAIL, YAHOO, OUTLOOK_BULK];
    /// SPF fails: the domain does not authorize the address (§2.6.4).
    SpfFail = "spf-fail", Spf, Error, [RFC7208_RESULTS, GMAIL_SPF_ERRORS, YAHOO, OUTLOOK_BULK];
    /// SPF softfails (§2.6.5).
    SpfSoftfail = "spf-softfail", Spf, Warning, [RFC7208_RESULTS, GMAIL_SPF_ERRORS, OUTLOOK_BULK];
    /// SPF is neutral (§2.6.2).
    SpfNeutral = "spf-neutral", Spf, Warning, [RFC7208_RESULTS, GMAIL_SPF_ERRORS, OUTLOOK_BULK];
    /// The MAIL FROM domain has no SPF record, or is no domain (§2.6.1).
    SpfNone = "spf-none", Spf, Error, [RFC7208_RESULTS, GMAIL, YAHOO, OUTLOOK_BULK];
    /// The HELO name has no SPF record.
    SpfHeloNone = "spf-helo-none", Spf, Info, [RFC7208_HELO];
    /// The record cannot be evaluated (§2.6.7).
    SpfPermerror = "spf-permerror", Spf, Error, [RFC7208_RESULTS, RFC7208_SELECT, GMAIL_SPF_ERRORS];
    /// A DNS lookup failed transiently (§2.6.6).
    SpfTemperror = "spf-temperror", Spf, Warning, [RFC7208_RESULTS];
    /// The worst case is 8 to 10 of the 10 DNS-querying terms.
    SpfLookupsNearLimit = "spf-lookups-near-limit", Spf, Warning, [RFC7208_LIMITS];
    /// The worst case is over 10 DNS-querying terms: permerror for some senders.
    SpfLookupsOverLimit = "spf-lookups-over-limit", Spf, Error, [RFC7208_LIMITS, GMAIL_SPF_ERRORS];
    /// Terms whose lookups found nothing (void lookups).
    SpfVoidLookups = "spf-void-lookups", Spf, Warning, [RFC7208_LIMITS];
    /// `+all`: every address on the Internet passes.
    SpfPlusAll = "spf-plus-all", Spf, Error, [RFC7208_ALL];
    /// `?all`: unlisted senders are neutral.
    SpfNeutralAll = "spf-neutral-all", Spf, Warning, [RFC7208_ALL, RFC7208_RESULTS];
    /// No `all` and no `redirect=`: unlisted senders are neutral.
    SpfNoAll = "spf-no-all", Spf, Warning, [RFC7208_DEFAULT, RFC7208_ALL];
    /// The `ptr` mechanism, which RFC 7208 says not to use.
    SpfPtr = "spf-ptr", Spf, Warning, [RFC7208_PTR];
    /// An `include:` or `redirect=` of a domain without an SPF record.
    SpfIncludeMissing = "spf-include-missing", Spf, Error, [RFC7208_INCLUDE, RFC7208_LIMITS];
    /// A record split into strings that join into an invalid record.
    SpfSplitStrings = "spf-split-strings", Spf, Error, [RFC7208_STRINGS];
    /// A record over 450 characters, or a TXT answer over 512 bytes.
    SpfRecordSize = "spf-record-size", Spf, Warning, [RFC7208_SIZE];
    /// The deprecated SPF record type (99) is published.
    SpfTypeSpf = "spf-type-spf", Spf, Info, [RFC7208_DNS_TYPE];
    /// The record has an `exp=` explanation.
    SpfExp = "spf-exp", Spf, Info, [RFC7208_EXP];

    // The sending domain (domain/): DMARC, DKIM keys, alignment, MX, the providers' requirements.

    /// A DMARC record with a valid policy applies to the domain.
    DmarcPass = "dmarc-pass", Dmarc, Ok, [RFC9989_DISCOVERY, GMAIL];
    /// No DMARC record applies to the domain.
    DmarcMissing = "dmarc-missing", Dmarc, Warning, [RFC9989_TREE_WALK, GMAIL_ERRORS, YAHOO, OUTLOOK, APPLE];
    /// The DMARC lookup failed transiently.
    DmarcTemperror = "dmarc-temperror", Dmarc, Warning, [RFC9989_DISCOVERY];
    /// Several DMARC records at one name: all are discarded.
    DmarcMultiple = "dmarc-multiple", Dmarc, Warning, [RFC9989_TREE_WALK];
    /// A TXT record at a `_dmarc` name that does not start with `v=DMARC1`.
    DmarcNotARecord = "dmarc-not-a-record", Dmarc, Warning, [RFC9989_TAGS];
    /// No valid policy and no valid `rua`: receivers ignore the record.
    DmarcPolicyInvalid = "dmarc-policy-invalid", Dmarc, Warning, [RFC9989_DISCOVERY, RFC9989_TAGS, GMAIL_ERRORS];
    /// No valid policy but a valid `rua`: read as `p=none`, which Gmail counts as no policy.
    DmarcPolicyDefaulted = "dmarc-policy-defaulted", Dmarc, Warning, [RFC9989_DISCOVERY, GMAIL_ERRORS];
    /// Tag values receivers discard in favour of defaults.
    DmarcTagInvalid = "dmarc-tag-invalid", Dmarc, Warning, [RFC9989_SYNTAX, RFC9989_TAGS];
    /// `pct` below 100, which RFC 9989 removed.
    DmarcPct = "dmarc-pct", Dmarc, Warning, [RFC9989_PCT];
    /// Unknown, legacy or redundant text receivers ignore.
    DmarcTagNote = "dmarc-tag-note", Dmarc, Info, [RFC9989_TAGS, RFC9989_REMOVED];
    /// The policy applied is `none`: monitoring only.
    DmarcPolicyNone = "dmarc-policy-none", Dmarc, Info, [RFC9989_TAGS];
    /// `t=y`: the policy applies one level lower.
    DmarcTestMode = "dmarc-test-mode", Dmarc, Info, [RFC9989_TAGS];
    /// No `rua`: no aggregate reports.
    DmarcNoRua = "dmarc-no-rua", Dmarc, Info, [RFC9989_TAGS, YAHOO];
    /// A report destination outside the organizational domain has not authorised the reports.
    DmarcReportUnauthorized = "dmarc-report-unauthorized", Dmarc, Warning, [RFC9990];
    /// A record between the domain and its organizational domain, which does not apply.
    DmarcRecordUnused = "dmarc-record-unused", Dmarc, Info, [RFC9989_DISCOVERY, RFC9989_ALIGNMENT];
    /// A usable DKIM key.
    DkimPass = "dkim-pass", Dkim, Ok, [RFC6376_KEY, RFC8301, GMAIL];
    /// An RSA key of 1024 to 2047 bits.
    DkimWeakKey = "dkim-weak-key", Dkim, Warning, [RFC8301, GMAIL];
    /// An RSA key under 1024 bits.
    DkimShortKey = "dkim-short-key", Dkim, Error, [RFC8301, GMAIL];
    /// An empty `p=`: the key is revoked.
    DkimRevoked = "dkim-revoked", Dkim, Error, [RFC6376_KEY];
    /// No key record at the selector.
    DkimMissing = "dkim-missing", Dkim, Error, [RFC6376_KEY, GMAIL_ERRORS, YAHOO_ERRORS];
    /// A key record verifiers cannot use.
    DkimInvalid = "dkim-invalid", Dkim, Error, [RFC6376_KEY, RFC8301, RFC8463];
    /// The key lookup failed transiently.
    DkimTemperror = "dkim-temperror", Dkim, Warning, [RFC6376_LOOKUP];
    /// Several key records at one selector.
    DkimMultipleRecords = "dkim-multiple-records", Dkim, Warning, [RFC6376_LOOKUP];
    /// `t=y`: the domain is testing DKIM.
    DkimTesting = "dkim-testing", Dkim, Info, [RFC6376_KEY];
    /// Every usable key checked is Ed25519: no RSA key for receivers without Ed25519.
    DkimNoRsa = "dkim-no-rsa", Dkim, Info, [RFC8463];
    /// SPF or DKIM aligns with the From domain.
    AlignmentPass = "alignment-pass", Alignment, Ok, [RFC9989_ALIGNMENT, GMAIL];
    /// Neither aligns.
    AlignmentFail = "alignment-fail", Alignment, Error, [RFC9989_ALIGNMENT, GMAIL_ERRORS, YAHOO_ERRORS, OUTLOOK];
    /// Only one of SPF and DKIM aligns.
    AlignmentPartial = "alignment-partial", Alignment, Info, [RFC9989_ALIGNMENT];
    /// Alignment could not be decided: a DMARC lookup failed.
    AlignmentUnknown = "alignment-unknown", Alignment, Warning, [RFC9989_ALIGNMENT];
    /// The domain has MX records.
    MxPass = "mx-pass", Mx, Ok, [RFC5321_MX];
    /// No MX, but an address: the implicit MX.
    MxImplicit = "mx-implicit", Mx, Info, [RFC5321_MX];
    /// The null MX: the domain accepts no mail.
    MxNull = "mx-null", Mx, Error, [RFC7505, POSTFIX_UNKNOWN_SENDER];
    /// No MX and no address.
    MxNone = "mx-none", Mx, Error, [RFC5321_MX, POSTFIX_UNKNOWN_SENDER];
    /// A null MX beside other MX records.
    MxNullMixed = "mx-null-mixed", Mx, Warning, [RFC7505];
    /// The MX lookup failed transiently.
    MxTemperror = "mx-temperror", Mx, Warning, [RFC5321_MX, YAHOO_ERRORS];
    /// The domain does not exist (NXDOMAIN).
    DomainNxdomain = "domain-nxdomain", Mx, Error, [YAHOO_ERRORS, POSTFIX_UNKNOWN_SENDER];
    /// A provider's rules for every sender fail.
    RequirementsUnmet = "requirements-unmet", Requirements, Error, [GMAIL, YAHOO, OUTLOOK, APPLE, FASTMAIL_AUTH];
    /// A provider's rules for bulk senders fail.
    BulkRequirementsUnmet = "bulk-requirements-unmet", Requirements, Warning, [GMAIL, YAHOO, OUTLOOK, APPLE, FASTMAIL_AUTH];
    /// A provider's recommendations (or scored checks) fail.
    RecommendationsUnmet = "recommendations-unmet", Requirements, Info, [GMAIL, YAHOO, OUTLOOK, APPLE, FASTMAIL_AUTH];
    /// Every requirement of a provider that could be checked is met.
    RequirementsMet = "requirements-met", Requirements, Ok, [GMAIL, YAHOO, OUTLOOK, APPLE, FASTMAIL_AUTH];

    // Where to fix it (fix/): who runs the reverse zone, who hosts the forward zone, which MTA
    // setting. Built outside the page's first load, from the data in crates/core/data/.

    /// Who runs the reverse zone, and how the PTR is set there.
    WhereReverseZone = "where-reverse-zone", Where, Info, [RFC1035_SOA, RFC2308_SOA, RFC1912_PTR];
    /// Who hosts the zone of a name that needs an address record, and how it is added there.
    WhereForwardZone = "where-forward-zone", Where, Info, [RFC1035_SOA, RFC2308_SOA];
    /// The user's MTA's setting for the EHLO name.
    WhereMta = "where-mta", Where, Info, [RFC5321_EHLO];
    /// The user's MTA's setting for Sender Address Verification.
    WhereSav = "where-sav", Where, Info, [POSTFIX_SAV, EXIM_CALLOUT];

    // DNS blocklists (blocklist/).

    /// The address is listed for abuse (spam, exploits, traps).
    BlocklistListed = "blocklist-listed", Blocklist, Error, [RFC5782];
    /// A policy listing: the address's ISP says it should not send directly (Spamhaus PBL).
    BlocklistPolicy = "blocklist-policy", Blocklist, Error, [SPAMHAUS_ZONES];
    /// The address's network or ISP is listed, not the address (UCEPROTECT levels 2 and 3).
    BlocklistNetwork = "blocklist-network", Blocklist, Warning, [RFC5782];
    /// A list cannot be checked through this resolver (error code, no test point, no answer).
    BlocklistUnknown = "blocklist-unknown", Blocklist, Warning, [RFC5782_TESTS, SPAMHAUS_PUBLIC_RESOLVERS];
    /// None of the lists that answered lists the address.
    BlocklistClear = "blocklist-clear", Blocklist, Ok, [RFC5782];

    // Bounces (bounce/): what the receiver said, and whether its cause is still there.

    /// What the receiver's reply means and what to do about it.
    BounceReply = "bounce-reply", Bounce, Info, [RFC5321_REPLIES, RFC3463];
    /// The check the reply points to still fails: the cause is still there.
    BounceCausePresent = "bounce-cause-present", Bounce, Error, [RFC3463];
    /// The checks the reply points to pass now: the bounce came from before the fix.
    BounceCauseFixed = "bounce-cause-fixed", Bounce, Ok, [RFC3463];
    /// Reputation, volume, content or the recipient: no DNS change fixes it.
    BounceNotDns = "bounce-not-dns", Bounce, Warning, [RFC3463];
    /// Whether the cause is still there could not be decided.
    BounceCauseUnknown = "bounce-cause-unknown", Bounce, Warning, [RFC3463];

}

impl FindingId {
    /// A finding with this id and `title`; add the texts with [`Finding::because`] and
    /// [`Finding::fixed_by`].
    pub fn says(self, title: impl Into<String>) -> Finding {
        Finding {
            id: self,
            check: self.check(),
            severity: self.severity(),
            title: title.into(),
            detail: String::new(),
            fix: String::new(),
            refs: self.refs(),
        }
    }

    /// The id for an id string, as read back from JSON.
    pub fn parse(id: &str) -> Option<FindingId> {
        FindingId::ALL.iter().copied().find(|f| f.as_str() == id)
    }

    /// A receiver-comparison finding that says the receiver saw something other than this check.
    pub fn is_receiver_disagreement(self) -> bool {
        matches!(
            self,
            FindingId::ReceiverIpDiffers
                | FindingId::ReceiverHeloDiffers
                | FindingId::ReceiverIprevDiffers
                | FindingId::ReceiverRdnsDiffers
        )
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

crate::serialize_as_str!(FindingId);

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn ids_are_unique_kebab_case_and_parse_back() {
        for (i, id) in FindingId::ALL.iter().enumerate() {
            let s = id.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{s}"
            );
            assert_eq!(FindingId::parse(s), Some(*id));
            assert!(
                FindingId::ALL[..i].iter().all(|o| o.as_str() != s),
                "{s} twice"
            );
        }
    }

    #[test]
    fn every_id_is_in_the_readme() {
        let readme = include_str!("../../../../README.md");
        for id in FindingId::ALL {
            assert!(
                readme.contains(&format!("`{id}`")),
                "README.md does not list `{id}`"
            );
        }
    }

    /// Each id is named (`FindingId::X`) in exactly one module besides this one: the module that
    /// builds the finding and owns its texts.
    #[test]
    fn every_id_is_built_in_one_module() {
        fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    // Code only: doc comments may name any id in their examples.
                    let text: String = std::fs::read_to_string(&path)
                        .unwrap()
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    out.push((path.display().to_string(), text));
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        for id in FindingId::ALL {
            let name = format!("FindingId::{id:?}");
            let built: Vec<&str> = files
                .iter()
                .filter(|(path, text)| {
                    !path.ends_with("catalogue.rs")
                        && text.match_indices(&name).any(|(at, _)| {
                            !text[at + name.len()..].starts_with(|c: char| c.is_alphanumeric())
                        })
                })
                .map(|(path, _)| path.as_str())
                .collect();
            assert_eq!(built.len(), 1, "{id} is named in {built:?}");
        }
    }
}
