//! The mailbox providers' published requirements for senders, as data, and which of them a
//! sender's DNS meets.
//!
//! One row per requirement of Gmail, Yahoo/AOL, Outlook.com, iCloud Mail and Fastmail, as their
//! pages stated them in 2024–2026 (research: `requirements.json`, read from dated captures of the
//! pages). Each row names the checks that decide it: [`evaluate`] turns the results of those
//! checks into `pass`, `fail` or `unknown`; rows no DNS check can decide (spam rate, TLS,
//! unsubscribe links, volume) stay `unknown`.
//!
//! "Bulk" is the provider's own threshold: Gmail and Outlook.com about 5,000 messages a day to
//! their users; Yahoo will not name a number; Apple does not define one.

use serde::Serialize;

use crate::finding::{Finding, FindingId};

/// A mailbox provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Gmail (personal accounts; not Google Workspace recipients).
    Gmail,
    /// Yahoo Mail and AOL.
    Yahoo,
    /// Outlook.com (hotmail.com, live.com, outlook.com; not Microsoft 365 tenants).
    Outlook,
    /// iCloud Mail (icloud.com, me.com, mac.com).
    Icloud,
    /// Fastmail.
    Fastmail,
}

impl Provider {
    /// Every provider, in table order.
    pub const ALL: [Provider; 5] = [
        Provider::Gmail,
        Provider::Yahoo,
        Provider::Outlook,
        Provider::Icloud,
        Provider::Fastmail,
    ];

    /// The provider id (`gmail`, `yahoo`, `outlook`, `icloud`, `fastmail`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Gmail => "gmail",
            Provider::Yahoo => "yahoo",
            Provider::Outlook => "outlook",
            Provider::Icloud => "icloud",
            Provider::Fastmail => "fastmail",
        }
    }

    /// The name people know.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Gmail => "Gmail",
            Provider::Yahoo => "Yahoo/AOL",
            Provider::Outlook => "Outlook.com",
            Provider::Icloud => "iCloud Mail",
            Provider::Fastmail => "Fastmail",
        }
    }

    /// Who counts as a bulk sender, in the provider's words.
    pub fn bulk(self) -> &'static str {
        match self {
            Provider::Gmail => "about 5,000 or more messages a day to personal Gmail accounts, counted per organizational domain; once bulk, always bulk",
            Provider::Yahoo => "\"a significant volume\"; Yahoo will not name a number",
            Provider::Outlook => "more than 5,000 messages a day to Outlook.com addresses",
            Provider::Icloud => "not defined by a number",
            Provider::Fastmail => "no bulk rules; authentication only changes the spam score",
        }
    }
}

/// Who a requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every sender.
    All,
    /// Bulk senders, by the provider's definition ([`Provider::bulk`]).
    Bulk,
}

impl Scope {
    /// The scope word (`all`, `bulk`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Bulk => "bulk",
        }
    }
}

/// How firmly the provider asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Mail that fails it is rejected or deferred.
    Required,
    /// Asked for, not enforced by a rejection.
    Recommended,
    /// Only changes the spam score.
    Scored,
    /// Stated by a secondary source, not the provider's own page.
    Expected,
    /// Once required; no longer on the provider's current page.
    Historical,
}

impl Level {
    /// The level word (`required`, `recommended`, `scored`, `expected`, `historical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Required => "required",
            Level::Recommended => "recommended",
            Level::Scored => "scored",
            Level::Expected => "expected",
            Level::Historical => "historical",
        }
    }
}

/// A check whose result decides a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Forward-confirmed reverse DNS of the sending IP.
    Fcrdns,
    /// The EHLO name matches the reverse DNS.
    Helo,
    /// SPF passes.
    Spf,
    /// A DKIM key is usable.
    Dkim,
    /// The DKIM keys found are long enough (RSA 1024 bits or more).
    DkimKeyLength,
    /// A DMARC record with a valid policy applies.
    Dmarc,
    /// The From domain aligns with SPF or DKIM.
    Alignment,
    /// The domain can receive mail (MX or address, no null MX).
    Mx,
    /// The MAIL FROM and From domains exist in the DNS.
    Exists,
}

impl Check {
    /// The check word, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Fcrdns => "fcrdns",
            Check::Helo => "helo",
            Check::Spf => "spf",
            Check::Dkim => "dkim",
            Check::DkimKeyLength => "dkim-key-length",
            Check::Dmarc => "dmarc",
            Check::Alignment => "alignment",
            Check::Mx => "mx",
            Check::Exists => "exists",
        }
    }
}

/// Which checks decide a requirement, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// No DNS check can: spam rate, TLS, unsubscribe links, list practices.
    Unknown,
    /// Met when any of the checks passes.
    Any(&'static [Check]),
    /// Met when all of the checks pass.
    All(&'static [Check]),
}

impl Decided {
    /// The checks named.
    pub fn checks(self) -> &'static [Check] {
        match self {
            Decided::Unknown => &[],
            Decided::Any(c) | Decided::All(c) => c,
        }
    }
}

/// One published requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Whose rule.
    pub provider: Provider,
    /// Its id, unique per provider.
    pub id: &'static str,
    /// Who it applies to.
    pub scope: Scope,
    /// How firmly.
    pub level: Level,
    /// What it asks, in one sentence.
    pub asks: &'static str,
    /// The provider's page.
    pub url: &'static str,
    /// The reply mail gets when it fails the requirement.
    pub failure_reply: &'static str,
    /// Which checks decide it.
    pub decided: Decided,
}

const GMAIL: &str = "https://support.google.com/mail/answer/81126?hl=en";
const YAHOO: &str = "https://senders.yahooinc.com/best-practices/";
const OUTLOOK: &str = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730";
const APPLE: &str = "https://support.apple.com/en-us/102322";
const FASTMAIL: &str =
    "https://www.fastmail.help/hc/en-us/articles/1500000280461-Sender-authentication";

const YAHOO_UNAUTH: &str = "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.";
const YAHOO_POLICY: &str = "554 5.7.9 Message not accepted for policy reasons";
const OUTLOOK_AUTH: &str = "550 5.7.515 Access denied, sending domain [SendingDomain] does not meet the required authentication level.";
const APPLE_POLICY: &str =
    "550 5.7.1 [CS01] Message rejected due to local policy (generic; reported by third parties)";
const NONE: &str = "none specific";

use Check::*;
use Decided::{All as AllOf, Any as AnyOf, Unknown as ByHand};
use Level::*;
use Provider::*;
use Scope::{All as Everyone, Bulk};

macro_rules! rows {
    ($( $p:ident $id:literal $scope:ident $level:ident $decided:expr, $asks:literal, $url:expr, $reply:expr; )*) => {
        &[$(Requirement {
            provider: $p,
            id: $id,
            scope: $scope,
            level: $level,
            asks: $asks,
            url: $url,
            failure_reply: $reply,
            decided: $decided,
        }),*]
    };
}

/// Every requirement, provider by provider.
pub const REQUIREMENTS: &[Requirement] = rows! {
    Gmail "spf-or-dkim" Everyone Required AnyOf(&[Spf, Dkim]), "Authenticate with SPF or DKIM: at least one must pass.", GMAIL,
        "550-5.7.26 This email has been blocked because the sender is unauthenticated. (421 4.7.26 while rate-limited)";
    Gmail "dkim-key-length" Everyone Required AllOf(&[DkimKeyLength]), "DKIM keys must be 1024 bits or longer; 2048 is recommended.", GMAIL,
        "none specific: a signature with a shorter key does not count as DKIM pass";
    Gmail "fcrdns" Everyone Required AllOf(&[Fcrdns]), "The sending IP has a PTR record whose name resolves back to that IP (forward-confirmed reverse DNS).", GMAIL,
        "550-5.7.25 The sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address. (421 4.7.0 / 451 4.7.23 while rate-limited)";
    Gmail "tls" Everyone Required ByHand, "Send over a TLS connection.", GMAIL,
        "550-5.7.29 This message was blocked because it wasn't sent over a TLS connection. (421 4.7.29)";
    Gmail "spam-rate" Everyone Required ByHand, "Keep the spam rate reported in Postmaster Tools below 0.3 %.", GMAIL,
        "421 4.7.28 / 550 5.7.28 unusual rate of unsolicited email";
    Gmail "rfc5322-format" Everyone Required ByHand, "Format messages per RFC 5322: one From address, a valid Message-ID, single-instance headers only once.", GMAIL,
        "550-5.7.1 This message is not RFC 5322 compliant; 554 5.6.0 malformed message";
    Gmail "no-gmail-from-spoofing" Everyone Required ByHand, "Do not use a gmail.com From address you are not authenticated for: gmail.com has a DMARC quarantine policy.", GMAIL,
        "550-5.7.26 Unauthenticated email from gmail.com is not accepted due to domain's DMARC policy.";
    Gmail "arc-for-forwarders" Everyone Historical ByHand, "Forwarders and mailing lists add ARC headers (listed until 2024, not on the 2026 page).", GMAIL, NONE;
    Gmail "spf" Bulk Required AllOf(&[Spf]), "Bulk mail must pass SPF.", GMAIL,
        "550-5.7.27 This message was blocked because it didn't pass SPF authentication. (421 4.7.27)";
    Gmail "dkim" Bulk Required AllOf(&[Dkim]), "Bulk mail must pass DKIM.", GMAIL,
        "550-5.7.30 This message was blocked because it didn't pass DKIM authentication. (421 4.7.30)";
    Gmail "dmarc" Bulk Required AllOf(&[Dmarc]), "Publish a DMARC record with a policy for the sending domain; p=none is enough.", GMAIL,
        "550-5.7.40 The sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy. (421 4.7.40)";
    Gmail "dmarc-alignment" Bulk Required AllOf(&[Alignment]), "The From domain aligns with the SPF or the DKIM domain (same organizational domain).", GMAIL,
        "421-4.7.32 / 550-5.7.32 The From: header isn't aligned with either the authenticated SPF or DKIM organizational domain.";
    Gmail "one-click-unsubscribe" Bulk Required ByHand, "Marketing mail supports one-click unsubscribe (List-Unsubscribe-Post, RFC 8058) and shows an unsubscribe link.", GMAIL,
        "none: non-compliant senders lose delivery mitigation";
    Gmail "honor-unsubscribe-48h" Bulk Required ByHand, "Honour unsubscribe requests within 48 hours.", "https://support.google.com/a/answer/14229414?hl=en",
        "none: delivery support becomes unavailable";

    Yahoo "spf-or-dkim" Everyone Required AnyOf(&[Spf, Dkim]), "Authenticate with SPF or DKIM at a minimum.", YAHOO, YAHOO_UNAUTH;
    Yahoo "spam-rate" Everyone Required ByHand, "Keep the spam complaint rate below 0.3 %.", YAHOO,
        "421/451 temporary deferrals (TS codes)";
    Yahoo "fcrdns" Everyone Required AllOf(&[Fcrdns]), "Sending IPs have valid forward and reverse DNS; the PTR should be non-generic.", YAHOO,
        "not documented as a distinct code";
    Yahoo "rfc5321-5322" Everyone Required ByHand, "Comply with RFC 5321 and RFC 5322.", YAHOO,
        "553/554, or 451, RFC compliance failures";
    Yahoo "resolvable-from-domains" Everyone Required AllOf(&[Exists]), "The MAIL FROM and From domains exist in the DNS (Yahoo asks for their SOA).", "https://senders.yahooinc.com/smtp-error-codes/",
        "554 (451 while lookups fail) Unresolvable RFC.5321 or RFC.5322 from domain";
    Yahoo "dkim-key-length" Everyone Recommended AllOf(&[DkimKeyLength]), "Sign with DKIM keys of at least 1024 bits.", YAHOO, NONE;
    Yahoo "arc-for-forwarders" Everyone Recommended ByHand, "Forwarders implement ARC.", YAHOO, NONE;
    Yahoo "spf" Bulk Required AllOf(&[Spf]), "Implement SPF (and DKIM).", YAHOO, YAHOO_UNAUTH;
    Yahoo "dkim" Bulk Required AllOf(&[Dkim]), "Implement DKIM (and SPF).", YAHOO, YAHOO_UNAUTH;
    Yahoo "dmarc" Bulk Required AllOf(&[Dmarc, Alignment]), "Publish a valid DMARC policy (p=none or stronger) and pass DMARC; a working rua is strongly recommended.", YAHOO, YAHOO_POLICY;
    Yahoo "dmarc-alignment" Bulk Required AllOf(&[Alignment]), "The From domain aligns with the SPF or the DKIM domain; relaxed alignment is enough.", YAHOO, YAHOO_POLICY;
    Yahoo "one-click-unsubscribe" Bulk Required ByHand, "Marketing mail has a working one-click List-Unsubscribe (RFC 8058 POST recommended, mailto: accepted) and a visible unsubscribe link.", YAHOO,
        "none specific: spam folder or rejection";
    Yahoo "honor-unsubscribe-2d" Bulk Required ByHand, "Honour unsubscribes within 2 days.", YAHOO, NONE;
    Yahoo "spam-rate-bulk" Bulk Required ByHand, "Keep the spam rate below 0.3 % and enrol DKIM domains in the Complaint Feedback Loop.", YAHOO,
        "421/451 deferrals (excessive user complaints)";
    Yahoo "fcrdns-bulk" Bulk Required AllOf(&[Fcrdns]), "Sending IPs have valid forward and reverse DNS.", YAHOO, "not documented";
    Yahoo "rfc5321-5322-bulk" Bulk Required ByHand, "Comply with RFC 5321 and RFC 5322.", YAHOO, "553/554/451 RFC compliance failures";

    Outlook "spf" Bulk Required AllOf(&[Spf]), "SPF passes for the sending domain.", OUTLOOK, OUTLOOK_AUTH;
    Outlook "dkim" Bulk Required AllOf(&[Dkim]), "DKIM passes.", OUTLOOK, OUTLOOK_AUTH;
    Outlook "dmarc" Bulk Required AllOf(&[Dmarc]), "Publish DMARC with at least p=none.", OUTLOOK, OUTLOOK_AUTH;
    Outlook "dmarc-alignment" Bulk Required AllOf(&[Alignment]), "DMARC aligns with SPF or DKIM, preferably both.", OUTLOOK, OUTLOOK_AUTH;
    Outlook "valid-from" Bulk Recommended AllOf(&[Mx]), "From and Reply-To addresses are valid, reflect the sending domain and can receive replies.", OUTLOOK,
        "none yet (Microsoft may block non-compliant addresses later)";
    Outlook "unsubscribe-link" Bulk Recommended ByHand, "Provide a working, visible unsubscribe link.", OUTLOOK, NONE;
    Outlook "list-hygiene" Bulk Recommended ByHand, "Remove invalid addresses and manage bounces.", OUTLOOK, NONE;
    Outlook "transparent-practices" Bulk Recommended ByHand, "Accurate subject lines, no deceptive headers, recipient consent.", OUTLOOK, NONE;
    Outlook "arc-for-forwarders" Bulk Recommended ByHand, "Forwarders and mailing lists use ARC.", OUTLOOK, NONE;

    Icloud "opt-in" Bulk Required ByHand, "Send only to recipients who subscribed; no purchased or rented lists.", APPLE, APPLE_POLICY;
    Icloud "unsubscribe-link" Bulk Required ByHand, "Offer an unsubscribe link that works at once.", APPLE, APPLE_POLICY;
    Icloud "arc-for-forwarders" Bulk Required ByHand, "Add ARC headers to forwarded mail.", APPLE, APPLE_POLICY;
    Icloud "rfc5321-5322" Bulk Required ByHand, "Comply with RFC 5321 and RFC 5322.", APPLE, APPLE_POLICY;
    Icloud "fcrdns" Bulk Required AllOf(&[Fcrdns]), "Publish reverse DNS with your domain for your sending IPs.", APPLE, APPLE_POLICY;
    Icloud "consistent-ips" Bulk Required ByHand, "Use consistent sending IPs and domains; keep marketing and transactional mail apart.", APPLE, APPLE_POLICY;
    Icloud "consistent-from" Bulk Required ByHand, "Use a consistent From name and address that identifies the brand.", APPLE, APPLE_POLICY;
    Icloud "spf-and-dkim" Bulk Required AllOf(&[Spf, Dkim]), "Authenticate with SPF and DKIM.", APPLE, APPLE_POLICY;
    Icloud "dmarc" Bulk Required AllOf(&[Dmarc]), "Publish a DMARC policy for the sending domain.", APPLE, APPLE_POLICY;
    Icloud "bounce-handling" Bulk Required ByHand, "Act on temporary and permanent SMTP errors; remove inactive and unsubscribed addresses.", APPLE, APPLE_POLICY;

    Fastmail "spf-dkim-dmarc-arc" Everyone Scored AllOf(&[Spf, Dkim, Dmarc]), "SPF, DKIM, DMARC and ARC results change the spam score; Fastmail does not reject on them.", FASTMAIL,
        "none: scored, not rejected";
    Fastmail "fcrdns-helo" Everyone Expected AllOf(&[Fcrdns, Helo]), "Forward-confirmed reverse DNS, and a HELO name matching it (from a third-party summary).", "https://egressif.io/resources/sender-requirements/fastmail",
        "not documented";
};

/// The results of the other checks, as the requirements need them: `Some(true)` passed,
/// `Some(false)` failed, `None` not checked or unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Results {
    /// FCrDNS (`iprev` pass).
    pub fcrdns: Option<bool>,
    /// The EHLO name equals a confirmed PTR name.
    pub helo: Option<bool>,
    /// SPF passes.
    pub spf: Option<bool>,
    /// A DKIM key is usable ([`dkim::any_usable`](super::dkim::any_usable)).
    pub dkim: Option<bool>,
    /// Every DKIM key found is long enough; `None` when none was found
    /// ([`dkim::key_lengths_ok`](super::dkim::key_lengths_ok)).
    pub dkim_key_length: Option<bool>,
    /// A DMARC record with a valid policy applies
    /// ([`Dmarc::meets_requirements`](super::dmarc::Dmarc::meets_requirements)).
    pub dmarc: Option<bool>,
    /// SPF or DKIM aligns ([`Alignment::aligned`](super::alignment::Alignment::aligned)).
    pub alignment: Option<bool>,
    /// The domain can receive mail ([`Mx::can_receive`](super::mx::Mx::can_receive)).
    pub mx: Option<bool>,
    /// The domains exist ([`Mx::exists`](super::mx::Mx::exists)).
    pub exists: Option<bool>,
}

impl Results {
    fn get(&self, check: Check) -> Option<bool> {
        match check {
            Check::Fcrdns => self.fcrdns,
            Check::Helo => self.helo,
            Check::Spf => self.spf,
            Check::Dkim => self.dkim,
            Check::DkimKeyLength => self.dkim_key_length,
            Check::Dmarc => self.dmarc,
            Check::Alignment => self.alignment,
            Check::Mx => self.mx,
            Check::Exists => self.exists,
        }
    }
}

/// Whether a requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Met {
    /// The checks that decide it pass.
    Pass,
    /// One of them fails.
    Fail,
    /// Not decidable by DNS, or a deciding check was not run or failed transiently.
    Unknown,
}

impl Met {
    /// The result word (`pass`, `fail`, `unknown`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Met::Pass => "pass",
            Met::Fail => "fail",
            Met::Unknown => "unknown",
        }
    }
}

crate::serialize_as_str!(Provider, Scope, Level, Check, Met);

/// A requirement and whether it is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    /// The requirement.
    pub requirement: &'static Requirement,
    /// Whether it is met.
    pub result: Met,
}

impl Serialize for Judged {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Row<'a> {
            provider: Provider,
            id: &'a str,
            scope: Scope,
            level: Level,
            result: Met,
            checks: &'a [Check],
            url: &'a str,
            asks: &'a str,
            failure_reply: &'a str,
        }
        let r = self.requirement;
        Row {
            provider: r.provider,
            id: r.id,
            scope: r.scope,
            level: r.level,
            result: self.result,
            checks: r.decided.checks(),
            url: r.url,
            asks: r.asks,
            failure_reply: r.failure_reply,
        }
        .serialize(s)
    }
}

/// Whether `requirement` is met, given `results`.
pub fn judge(requirement: &Requirement, results: &Results) -> Met {
    let values = |checks: &[Check]| -> Vec<Option<bool>> {
        checks.iter().map(|c| results.get(*c)).collect()
    };
    match requirement.decided {
        Decided::Unknown => Met::Unknown,
        Decided::Any(checks) => {
            let v = values(checks);
            if v.contains(&Some(true)) {
                Met::Pass
            } else if v.iter().all(|x| *x == Some(false)) {
                Met::Fail
            } else {
                Met::Unknown
            }
        }
        Decided::All(checks) => {
            let v = values(checks);
            if v.contains(&Some(false)) {
                Met::Fail
            } else if v.iter().all(|x| *x == Some(true)) {
                Met::Pass
            } else {
                Met::Unknown
            }
        }
    }
}

/// Every requirement with its result, in table order: rows
/// `{provider, id, scope, level, result, checks, url, asks, failure_reply}` in JSON.
pub fn evaluate(results: &Results) -> Vec<Judged> {
    REQUIREMENTS
        .iter()
        .map(|r| Judged {
            requirement: r,
            result: judge(r, results),
        })
        .collect()
}

fn listing(rows: &[&Judged]) -> String {
    rows.iter()
        .map(|j| {
            let r = j.requirement;
            format!("\n- {} ({}): {}", r.asks, r.id, r.failure_reply)
        })
        .collect()
}

/// Per provider: the required rows that fail for every sender, for bulk senders, the
/// recommendations that fail, or that everything DNS can check is met.
pub fn findings(judged: &[Judged]) -> Vec<Finding> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut infos = Vec::new();
    let mut oks = Vec::new();
    for provider in Provider::ALL {
        let rows: Vec<&Judged> = judged
            .iter()
            .filter(|j| j.requirement.provider == provider)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let failing = |scope: Option<Scope>, required: bool| -> Vec<&Judged> {
            rows.iter()
                .copied()
                .filter(|j| {
                    j.result == Met::Fail
                        && (j.requirement.level == Level::Required) == required
                        && scope.is_none_or(|s| j.requirement.scope == s)
                })
                .collect()
        };
        let (name, url) = (provider.name(), rows[0].requirement.url);
        let all = failing(Some(Scope::All), true);
        let bulk = failing(Some(Scope::Bulk), true);
        let soft = failing(None, false);
        if !all.is_empty() {
            errors.push(
                FindingId::RequirementsUnmet
                    .says(format!(
                        "{name}: {} rule{} for every sender not met",
                        all.len(),
                        if all.len() == 1 { "" } else { "s" }
                    ))
                    .because(format!(
                        "{name} requires of every sender ({url}); each rule with the reply mail gets when it fails:{}",
                        listing(&all)
                    ))
                    .fixed_by(
                        "See the findings of the checks named above for the records to publish.",
                    ),
            );
        }
        if !bulk.is_empty() {
            warnings.push(
                FindingId::BulkRequirementsUnmet
                    .says(format!(
                        "{name}: {} rule{} for bulk senders not met",
                        bulk.len(),
                        if bulk.len() == 1 { "" } else { "s" }
                    ))
                    .because(format!(
                        "For bulk senders ({}), {name} requires ({url}); each rule with the reply mail gets when it fails:{}",
                        provider.bulk(),
                        listing(&bulk)
                    ))
                    .fixed_by(
                        "See the findings of the checks named above for the records to publish.",
                    ),
            );
        }
        if !soft.is_empty() {
            infos.push(
                FindingId::RecommendationsUnmet
                    .says(format!(
                        "{name}: {} recommendation{} not met",
                        soft.len(),
                        if soft.len() == 1 { "" } else { "s" }
                    ))
                    .because(format!(
                        "{name} asks, without rejecting ({url}):{}",
                        listing(&soft)
                    ))
                    .fixed_by("See the findings of the checks named above."),
            );
        }
        if all.is_empty() && bulk.is_empty() && soft.is_empty() {
            let checked = rows.iter().filter(|j| j.result == Met::Pass).count();
            let open = rows.len() - checked;
            oks.push(
                FindingId::RequirementsMet
                    .says(format!("{name}: every requirement checked here is met"))
                    .because(format!(
                        "{checked} of {name}'s {} published requirements pass; {open} cannot be seen in DNS or were not checked (spam rate, TLS, unsubscribe links, list practices, or a check not run). Bulk senders: {}. ({url})",
                        rows.len(),
                        provider.bulk()
                    )),
            );
        }
    }
    errors
        .into_iter()
        .chain(warnings)
        .chain(infos)
        .chain(oks)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(results: &Results) -> Vec<(String, Met)> {
        evaluate(results)
            .iter()
            .map(|j| {
                (
                    format!("{}/{}", j.requirement.provider.as_str(), j.requirement.id),
                    j.result,
                )
            })
            .collect()
    }

    fn result(results: &Results, key: &str) -> Met {
        rows(results)
            .into_iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("{key}"))
            .1
    }

    #[test]
    fn the_table_is_complete() {
        assert_eq!(REQUIREMENTS.len(), 51);
        for (i, r) in REQUIREMENTS.iter().enumerate() {
            assert!(
                r.url.starts_with("https://"),
                "{} {}",
                r.provider.as_str(),
                r.id
            );
            assert!(
                !r.asks.is_empty() && !r.failure_reply.is_empty(),
                "{}",
                r.id
            );
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
            assert!(
                REQUIREMENTS[..i]
                    .iter()
                    .all(|o| o.provider != r.provider || o.id != r.id),
                "{}/{} twice",
                r.provider.as_str(),
                r.id
            );
            assert!(r.asks.ends_with('.'), "{}: one sentence", r.id);
        }
        for p in Provider::ALL {
            assert!(
                REQUIREMENTS.iter().any(|r| r.provider == p),
                "{}",
                p.as_str()
            );
        }
    }

    /// Gmail, Yahoo and Fastmail set rules for every sender; Outlook.com's and Apple's pages are
    /// about bulk senders only.
    #[test]
    fn all_sender_rows() {
        let all = |p: Provider, id: &str| {
            REQUIREMENTS.iter().any(|r| {
                r.provider == p && r.id == id && r.scope == Scope::All && r.level == Level::Required
            })
        };
        for id in [
            "spf-or-dkim",
            "fcrdns",
            "dkim-key-length",
            "tls",
            "spam-rate",
        ] {
            assert!(all(Provider::Gmail, id), "gmail {id}");
        }
        for id in [
            "spf-or-dkim",
            "fcrdns",
            "resolvable-from-domains",
            "spam-rate",
        ] {
            assert!(all(Provider::Yahoo, id), "yahoo {id}");
        }
        assert!(REQUIREMENTS
            .iter()
            .any(|r| r.provider == Provider::Fastmail && r.scope == Scope::All));
        for p in [Provider::Outlook, Provider::Icloud] {
            assert!(REQUIREMENTS
                .iter()
                .filter(|r| r.provider == p)
                .all(|r| r.scope == Scope::Bulk));
        }
        // The bulk authentication rows and their replies.
        let reply = |p: Provider, id: &str| {
            REQUIREMENTS
                .iter()
                .find(|r| r.provider == p && r.id == id)
                .unwrap()
                .failure_reply
        };
        assert!(reply(Provider::Gmail, "dmarc").starts_with("550-5.7.40"));
        assert!(reply(Provider::Gmail, "spf").starts_with("550-5.7.27"));
        assert!(reply(Provider::Gmail, "spf-or-dkim").starts_with("550-5.7.26"));
        assert!(reply(Provider::Outlook, "dmarc").starts_with("550 5.7.515"));
        assert!(reply(Provider::Yahoo, "spf-or-dkim").starts_with("550 5.7.9"));
    }

    #[test]
    fn everything_passes() {
        let r = Results {
            fcrdns: Some(true),
            helo: Some(true),
            spf: Some(true),
            dkim: Some(true),
            dkim_key_length: Some(true),
            dmarc: Some(true),
            alignment: Some(true),
            mx: Some(true),
            exists: Some(true),
        };
        let judged = evaluate(&r);
        assert!(judged.iter().all(|j| j.result != Met::Fail));
        // Only rows that need no DNS stay unknown.
        assert!(judged
            .iter()
            .filter(|j| j.result == Met::Unknown)
            .all(|j| j.requirement.decided == Decided::Unknown));
        let ids: Vec<String> = findings(&judged).iter().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["requirements-met"; 5]);
    }

    #[test]
    fn spf_only_sender_without_dmarc() {
        let r = Results {
            fcrdns: Some(true),
            spf: Some(true),
            dkim: Some(false),
            dmarc: Some(false),
            ..Results::default()
        };
        assert_eq!(result(&r, "gmail/spf-or-dkim"), Met::Pass);
        assert_eq!(result(&r, "yahoo/spf-or-dkim"), Met::Pass);
        assert_eq!(result(&r, "gmail/dkim"), Met::Fail);
        assert_eq!(result(&r, "gmail/dmarc"), Met::Fail);
        assert_eq!(result(&r, "icloud/spf-and-dkim"), Met::Fail);
        assert_eq!(result(&r, "outlook/dmarc-alignment"), Met::Unknown);
        assert_eq!(result(&r, "gmail/tls"), Met::Unknown);
        assert_eq!(result(&r, "fastmail/spf-dkim-dmarc-arc"), Met::Fail);
        let f = findings(&evaluate(&r));
        let ids: Vec<&str> = f.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bulk-requirements-unmet",
                "bulk-requirements-unmet",
                "bulk-requirements-unmet",
                "bulk-requirements-unmet",
                "recommendations-unmet"
            ]
        );
        assert_eq!(f[0].title, "Gmail: 2 rules for bulk senders not met");
        assert!(f[0].detail.contains("550-5.7.40"));
    }

    #[test]
    fn unauthenticated_sender_without_rdns() {
        let r = Results {
            fcrdns: Some(false),
            spf: Some(false),
            dkim: Some(false),
            exists: Some(false),
            ..Results::default()
        };
        assert_eq!(result(&r, "gmail/spf-or-dkim"), Met::Fail);
        assert_eq!(result(&r, "yahoo/resolvable-from-domains"), Met::Fail);
        assert_eq!(result(&r, "fastmail/fcrdns-helo"), Met::Fail);
        let f = findings(&evaluate(&r));
        assert_eq!(f[0].id, "requirements-unmet");
        assert_eq!(f[0].title, "Gmail: 2 rules for every sender not met");
        assert!(f[0].detail.contains("550-5.7.25"), "{}", f[0].detail);
        assert_eq!(f[1].title, "Yahoo/AOL: 3 rules for every sender not met");
    }

    #[test]
    fn unknown_when_a_check_is_missing() {
        let r = Results {
            spf: Some(false),
            ..Results::default()
        };
        assert_eq!(result(&r, "gmail/spf-or-dkim"), Met::Unknown);
        assert_eq!(result(&r, "icloud/spf-and-dkim"), Met::Fail);
        assert_eq!(result(&r, "gmail/fcrdns"), Met::Unknown);
    }

    #[test]
    fn json_rows() {
        let judged = evaluate(&Results {
            dmarc: Some(false),
            ..Results::default()
        });
        let j = serde_json::to_value(&judged).unwrap();
        let row = j
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["provider"] == "gmail" && r["id"] == "dmarc")
            .unwrap();
        assert_eq!(row["scope"], "bulk");
        assert_eq!(row["level"], "required");
        assert_eq!(row["result"], "fail");
        assert_eq!(row["checks"], serde_json::json!(["dmarc"]));
        assert_eq!(
            row["url"],
            "https://support.google.com/mail/answer/81126?hl=en"
        );
        assert!(row["failure_reply"]
            .as_str()
            .unwrap()
            .starts_with("550-5.7.40"));
        assert!(row["asks"].as_str().unwrap().contains("p=none"));
    }
}
