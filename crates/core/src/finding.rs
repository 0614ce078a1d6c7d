//! Findings: what the report tells a person, each with what was seen, why it matters and how to fix it.
//!
//! Ids are stable (scripts and the page key on them); texts may improve. Every finding cites the
//! rule it applies: an RFC section or a mailbox provider's published requirement.

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// All is well.
    Ok,
    /// Worth knowing; nothing to change.
    Info,
    /// Some receivers will score or defer the mail.
    Warning,
    /// Major receivers will reject the mail.
    Error,
}

impl Severity {
    /// The severity word (`ok`, `info`, `warning`, `error`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which part of the check a finding belongs to (the page groups its cards by this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// The address itself.
    Address,
    /// Forward-confirmed reverse DNS.
    Iprev,
    /// Generic-looking reverse names.
    Generic,
    /// The EHLO/HELO name.
    Helo,
    /// Sender Address Verification (callouts) in a pasted configuration.
    Sav,
    /// The receiver's own verdicts in pasted headers or logs, beside this check's.
    Receiver,
}

/// A cited rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Short title, e.g. "RFC 8601 §3".
    pub title: &'static str,
    /// Where to read it.
    pub url: &'static str,
}

/// One thing the report says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `iprev-fail`.
    pub id: &'static str,
    /// The part of the check it belongs to.
    pub check: Area,
    /// How much it matters.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// What was seen, and why it matters.
    pub detail: String,
    /// What to change (empty when nothing needs changing).
    pub fix: String,
    /// The rules cited.
    pub refs: Vec<Reference>,
}

/// A finding citing `refs` (the engine's one constructor, so every finding is built alike).
pub(crate) fn finding(
    id: &'static str,
    check: Area,
    severity: Severity,
    title: String,
    detail: String,
    fix: String,
    refs: &[Reference],
) -> Finding {
    Finding {
        id,
        check,
        severity,
        title,
        detail,
        fix,
        refs: refs.to_vec(),
    }
}

/// The findings reordered most severe first, keeping their order within a severity. (A stable
/// sort would do the same, but each `sort_by_key` adds several kilobytes to the page's wasm.)
pub(crate) fn most_severe_first(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out = Vec::with_capacity(findings.len());
    for severity in [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Ok,
    ] {
        out.extend(findings.iter().filter(|f| f.severity == severity).cloned());
    }
    out
}

/// The references findings cite.
pub mod refs {
    use super::Reference;

    /// RFC 8601 §3, the `iprev` method.
    pub const RFC8601_IPREV: Reference = Reference {
        title: "RFC 8601 §3 (iprev)",
        url: "https://www.rfc-editor.org/rfc/rfc8601#section-3",
    };
    /// RFC 1912 §2.1: PTR and A records must match; PTRs must not point at aliases.
    pub const RFC1912_PTR: Reference = Reference {
        title: "RFC 1912 §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc1912#section-2.1",
    };
    /// RFC 2317, classless IN-ADDR.ARPA delegation.
    pub const RFC2317: Reference = Reference {
        title: "RFC 2317",
        url: "https://www.rfc-editor.org/rfc/rfc2317",
    };
    /// RFC 5321 §4.1.1.1, the EHLO argument.
    pub const RFC5321_EHLO: Reference = Reference {
        title: "RFC 5321 §4.1.1.1",
        url: "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1",
    };
    /// RFC 5321 §4.1.3, address literals.
    pub const RFC5321_LITERAL: Reference = Reference {
        title: "RFC 5321 §4.1.3",
        url: "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.3",
    };
    /// Google's sender guidelines (valid forward and reverse DNS).
    pub const GMAIL: Reference = Reference {
        title: "Gmail sender guidelines",
        url: "https://support.google.com/a/answer/81126",
    };
    /// Google's SMTP error reference (550-5.7.25).
    pub const GMAIL_ERRORS: Reference = Reference {
        title: "Gmail SMTP errors (5.7.25)",
        url: "https://support.google.com/a/answer/3726730",
    };
    /// Yahoo's sender best practices.
    pub const YAHOO: Reference = Reference {
        title: "Yahoo sender best practices",
        url: "https://senders.yahooinc.com/best-practices/",
    };
    /// Fastmail's SMTP-stage checks (HELO and reverse DNS).
    pub const FASTMAIL: Reference = Reference {
        title: "Fastmail SMTP checks",
        url: "https://www.fastmail.com/help/technical/smtpchecks.html",
    };
    /// Postfix `smtp_helo_name`.
    pub const POSTFIX_HELO: Reference = Reference {
        title: "Postfix smtp_helo_name",
        url: "https://www.postfix.org/postconf.5.html#smtp_helo_name",
    };
    /// Postfix `reject_unknown_helo_hostname`.
    pub const POSTFIX_UNKNOWN_HELO: Reference = Reference {
        title: "Postfix reject_unknown_helo_hostname",
        url: "https://www.postfix.org/postconf.5.html#reject_unknown_helo_hostname",
    };
    /// Postfix `reject_unknown_client_hostname`.
    pub const POSTFIX_UNKNOWN_CLIENT: Reference = Reference {
        title: "Postfix reject_unknown_client_hostname",
        url: "https://www.postfix.org/postconf.5.html#reject_unknown_client_hostname",
    };
    /// Exim's smtp transport (`helo_data`).
    pub const EXIM_HELO: Reference = Reference {
        title: "Exim smtp transport: helo_data",
        url: "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-the_smtp_transport.html",
    };
    /// Postfix address verification, whose warning says sender verification may get a site
    /// denylisted.
    pub const POSTFIX_SAV: Reference = Reference {
        title: "Postfix ADDRESS_VERIFICATION_README",
        url: "https://www.postfix.org/ADDRESS_VERIFICATION_README.html",
    };
    /// Exim's callout verification (ACL `verify = sender/callout`).
    pub const EXIM_CALLOUT: Reference = Reference {
        title: "Exim ACLs: callout verification",
        url:
            "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html",
    };
    /// RFC 8601 §2.2, the Authentication-Results header.
    pub const RFC8601_HEADER: Reference = Reference {
        title: "RFC 8601 §2.2 (Authentication-Results)",
        url: "https://www.rfc-editor.org/rfc/rfc8601#section-2.2",
    };
    /// RFC 5322 §3.6.7, trace fields (Received).
    pub const RFC5322_TRACE: Reference = Reference {
        title: "RFC 5322 §3.6.7 (Received)",
        url: "https://www.rfc-editor.org/rfc/rfc5322#section-3.6.7",
    };
    /// SpamAssassin's RDNS_DYNAMIC rule.
    pub const SPAMASSASSIN_RDNS: Reference = Reference {
        title: "SpamAssassin RDNS_DYNAMIC",
        url: "https://svn.apache.org/repos/asf/spamassassin/trunk/rules/20_dynrdns.cf",
    };
    /// Haraka's fcrdns plugin (generic rDNS detection).
    pub const HARAKA_FCRDNS: Reference = Reference {
        title: "Haraka fcrdns plugin",
        url: "https://github.com/haraka/haraka-plugin-fcrdns",
    };
}
