//! Findings: what the report tells a person, each with what was seen, why it matters and how to fix it.
//!
//! Every finding has a [`FindingId`] from the [catalogue](catalogue), which fixes its stable id
//! string (scripts and the page key on it), the check it belongs to, its severity and the rules it
//! cites; the code that builds a finding gives only its texts, which may improve over time:
//!
//! ```
//! use sendercheck_core::finding::{FindingId, Severity};
//! let f = FindingId::IprevNoPtr
//!     .says("192.0.2.1 has no reverse DNS (no PTR record)")
//!     .because("…")
//!     .fixed_by("…");
//! assert_eq!((f.id.as_str(), f.severity), ("iprev-no-ptr", Severity::Error));
//! ```

pub mod catalogue;
pub mod refs;

use serde::Serialize;

pub use catalogue::FindingId;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The sending domain's SPF record (RFC 7208).
    Spf,
    /// The sending domain's DMARC policy (RFC 9989).
    Dmarc,
    /// DKIM public keys (RFC 6376, RFC 8301, RFC 8463).
    Dkim,
    /// Identifier alignment of the From domain with the SPF and DKIM domains (RFC 9989).
    Alignment,
    /// Whether the domain exists and can receive mail: MX, null MX, A/AAAA fallback.
    Mx,
    /// The mailbox providers' published requirements, judged from the other checks.
    Requirements,
    /// Where to make a fix: who runs the reverse zone, who hosts the forward zone, which MTA
    /// setting.
    Where,
    /// DNS blocklists (RFC 5782).
    Blocklist,
    /// A receiver's refusal (a bounce) and whether its cause is still there.
    Bounce,
}

impl Area {
    /// The check word (`address`, `iprev`, `generic`, `helo`, `sav`, `receiver`, `spf`, `dmarc`,
    /// `dkim`, `alignment`, `mx`, `requirements`, `where`, `blocklist`, `bounce`), as in JSON and
    /// the page's `data-check`.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Address => "address",
            Area::Iprev => "iprev",
            Area::Generic => "generic",
            Area::Helo => "helo",
            Area::Sav => "sav",
            Area::Receiver => "receiver",
            Area::Spf => "spf",
            Area::Dmarc => "dmarc",
            Area::Dkim => "dkim",
            Area::Alignment => "alignment",
            Area::Mx => "mx",
            Area::Requirements => "requirements",
            Area::Where => "where",
            Area::Blocklist => "blocklist",
            Area::Bounce => "bounce",
        }
    }
}

crate::serialize_as_str!(Severity, Area);

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
    pub id: FindingId,
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
    pub refs: &'static [Reference],
}

impl Finding {
    /// The same finding, with what was seen and why it matters.
    pub fn because(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// The same finding, with what to change.
    pub fn fixed_by(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }
}

/// The findings reordered most severe first, keeping their order within a severity. (A stable
/// sort would do the same, but each `sort_by_key` adds several kilobytes to the page's wasm.)
pub fn most_severe_first(findings: Vec<Finding>) -> Vec<Finding> {
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
