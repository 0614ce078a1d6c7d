//! Bounces: what the receiver said, what it means, and which part of the sender's setup it points
//! to.
//!
//! The user who comes with a problem usually holds a bounce. This module reads it in every form
//! it comes in: a delivery status notification (RFC 3464 `multipart/report`, with
//! `Reporting-MTA`, `Remote-MTA`, `Status`, `Diagnostic-Code`, `Action`) from Postfix, Exim,
//! Sendmail, Exchange/Office 365 or Gmail; the non-standard ones (qmail, Exim's "Mail delivery
//! failed" body); a Postfix or Exim log line quoting the receiver's reply (Postfix
//! `status=bounced (host H[IP] said: …)`, Exim `**`/`==` lines with `SMTP error from remote mail
//! server after …`), a Sendmail `stat=` line; or a bare SMTP reply, single- or multi-line. It
//! extracts a [`Bounce`]: the receiver (host, address, provider), the reply code, the enhanced
//! status, the text, the command it answered, permanent or temporary, the recipient and sender,
//! and the **sending IP**: from the reply's text (`[203.0.113.9]`, `Messages from …`, `ip=…`),
//! else from the returned message's Received chain where the receiver itself recorded it. The
//! receiver's own address (`host H[IP]`) is never the sending IP.
//!
//! The [knowledge base](kb) (data, one file, a source for every rule) gives the provider, a
//! [`Category`], the meaning in plain words, what to do and which checks to run; a reply it does
//! not know still gets its codes' meaning from the [registry](status) of RFC 5321 reply codes and
//! RFC 3463 enhanced status codes. [`follow`] runs those checks for the address and domains the
//! bounce names and says whether the cause is still there.
//!
//! ```
//! use sendercheck_core::bounce::{read, Category};
//! let b = read("553 5.7.2 [TSS09] All messages from 203.0.113.9 will be permanently deferred; Retrying will NOT succeed.").unwrap();
//! assert_eq!(b.category, Category::Reputation);
//! assert_eq!(b.sending_ip.unwrap().to_string(), "203.0.113.9");
//! assert_eq!(b.rule.unwrap().id, "yahoo-tss09");
//! assert_eq!(b.permanent, Some(true));
//! ```

mod assemble;
mod dsn;
mod findings;
pub mod follow;
pub(crate) mod json;
pub mod kb;
pub(crate) mod log;
pub mod reply;
pub mod status;

use std::net::IpAddr;

use serde::Deserialize;

pub(crate) use assemble::reindent;
pub use findings::{bounce_findings, cause_findings, reply_finding, Cause};
pub use follow::{follow_up, FollowUp, FollowUpOptions};
pub use json::bounce_json;
pub use kb::{Provider, Rule};
pub use reply::Reply;

/// The part of the sender's setup a reply points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Reverse DNS of the sending IP (PTR, forward confirmation).
    Iprev,
    /// The EHLO/HELO name.
    Helo,
    /// SPF.
    Spf,
    /// DKIM.
    Dkim,
    /// DMARC policy.
    Dmarc,
    /// Identifier alignment with the From domain.
    Alignment,
    /// A DNS blocklist.
    Blocklist,
    /// The receiver's own reputation data (IP, domain, complaints).
    Reputation,
    /// Sending too much, too fast.
    Rate,
    /// TLS.
    Tls,
    /// The message's content.
    Content,
    /// The recipient's address or mailbox.
    Recipient,
    /// Relaying or authentication at the receiver.
    Relay,
    /// Anything else.
    #[default]
    Other,
}

impl Category {
    /// The category word, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Iprev => "iprev",
            Category::Helo => "helo",
            Category::Spf => "spf",
            Category::Dkim => "dkim",
            Category::Dmarc => "dmarc",
            Category::Alignment => "alignment",
            Category::Blocklist => "blocklist",
            Category::Reputation => "reputation",
            Category::Rate => "rate",
            Category::Tls => "tls",
            Category::Content => "content",
            Category::Recipient => "recipient",
            Category::Relay => "relay",
            Category::Other => "other",
        }
    }

    /// The checks a reply of this category points to, when no rule says more.
    pub fn checks(self) -> &'static [CheckKind] {
        use CheckKind::*;
        match self {
            Category::Iprev => &[Iprev, GenericRdns],
            Category::Helo => &[Helo],
            Category::Spf => &[Spf],
            Category::Dkim => &[Dkim],
            Category::Dmarc => &[Dmarc, Alignment, Spf, Dkim],
            Category::Alignment => &[Alignment, Dmarc],
            Category::Blocklist | Category::Reputation => &[Blocklist],
            _ => &[],
        }
    }

    /// Whether a DNS record of the sender can be the cause (false: reputation, volume, content,
    /// the recipient, the receiver's relaying rules, TLS, anything else).
    pub fn is_dns(self) -> bool {
        matches!(
            self,
            Category::Iprev
                | Category::Helo
                | Category::Spf
                | Category::Dkim
                | Category::Dmarc
                | Category::Alignment
                | Category::Blocklist
        )
    }
}

/// A check a reply points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// Forward-confirmed reverse DNS of the sending IP.
    Iprev,
    /// The EHLO name.
    Helo,
    /// Whether the reverse name looks generic.
    GenericRdns,
    /// The MAIL FROM domain's SPF for the sending IP.
    Spf,
    /// DKIM keys (needs a selector).
    Dkim,
    /// The From domain's DMARC policy.
    Dmarc,
    /// Alignment of the SPF (and DKIM) domain with the From domain.
    Alignment,
    /// DNS blocklists.
    Blocklist,
    /// Whether the sender's domain exists and receives mail.
    Mx,
}

impl CheckKind {
    /// The check word, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Iprev => "iprev",
            CheckKind::Helo => "helo",
            CheckKind::GenericRdns => "generic-rdns",
            CheckKind::Spf => "spf",
            CheckKind::Dkim => "dkim",
            CheckKind::Dmarc => "dmarc",
            CheckKind::Alignment => "alignment",
            CheckKind::Blocklist => "blocklist",
            CheckKind::Mx => "mx",
        }
    }
}

crate::serialize_as_str!(Category, CheckKind);

/// What kind of text the bounce came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// An RFC 3464 delivery status notification (or a bounce message carrying its fields).
    Dsn,
    /// Exchange/Office 365's non-delivery report.
    Ndr,
    /// A bounce message without DSN fields (Exim's, qmail's, Gmail's text).
    Message,
    /// A Postfix log line.
    PostfixLog,
    /// An Exim main log line.
    EximLog,
    /// A Sendmail log line (`stat=`).
    SendmailLog,
    /// Postfix's queue listing (`mailq`), whose entries quote the last reply.
    Mailq,
    /// A bare SMTP reply.
    #[default]
    SmtpReply,
}

impl Source {
    /// The word, as in JSON (`dsn`, `ndr`, `message`, `postfix-log`, `exim-log`,
    /// `sendmail-log`, `mailq`, `smtp-reply`).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Dsn => "dsn",
            Source::Ndr => "ndr",
            Source::Message => "message",
            Source::PostfixLog => "postfix-log",
            Source::EximLog => "exim-log",
            Source::SendmailLog => "sendmail-log",
            Source::Mailq => "mailq",
            Source::SmtpReply => "smtp-reply",
        }
    }

    /// What it is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Dsn => "a delivery status notification (RFC 3464)",
            Source::Ndr => "an Exchange/Office 365 non-delivery report",
            Source::Message => "a bounce message",
            Source::PostfixLog => "a Postfix log line",
            Source::EximLog => "an Exim log line",
            Source::SendmailLog => "a Sendmail log line",
            Source::Mailq => "Postfix's mail queue listing",
            Source::SmtpReply => "an SMTP reply",
        }
    }
}

crate::serialize_as_str!(Source);

/// A DKIM signature's domain and selector, from the returned message's `DKIM-Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `d=`.
    pub domain: String,
    /// `s=`.
    pub selector: String,
}

/// Everything a bounce says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bounce {
    /// What it was read from.
    pub source: Source,
    /// The server that refused: its host name, when the bounce names it.
    pub receiver_host: Option<String>,
    /// The refusing server's address (never the sending IP).
    pub receiver_ip: Option<IpAddr>,
    /// The receiver, by its host name, else by the rule that matched its reply.
    pub provider: Option<&'static Provider>,
    /// The reply.
    pub reply: Reply,
    /// The SMTP command it answered: `CONNECT`, `EHLO`, `HELO`, `MAIL FROM`, `RCPT TO`, `DATA`.
    pub command: Option<String>,
    /// 5xx (or class 5) is permanent, 4xx temporary; `None` when the reply gives neither.
    pub permanent: Option<bool>,
    /// The recipient.
    pub recipient: Option<String>,
    /// The envelope sender (MAIL FROM).
    pub sender: Option<String>,
    /// The returned message's From domain.
    pub from_domain: Option<String>,
    /// DKIM signatures of the returned message.
    pub signatures: Vec<Signature>,
    /// The address the receiver refused.
    pub sending_ip: Option<IpAddr>,
    /// Where the sending IP was found.
    pub sending_ip_from: Option<String>,
    /// The EHLO name the receiver recorded, when the returned message's Received header that gave
    /// the sending IP shows it.
    pub helo: Option<String>,
    /// The knowledge base's rule for the reply.
    pub rule: Option<&'static Rule>,
    /// The part of the setup it points to.
    pub category: Category,
    /// What the reply means, in plain words.
    pub meaning: String,
    /// What to do.
    pub action: String,
    /// The checks to run.
    pub checks: Vec<CheckKind>,
    /// DNS blocklists the reply names.
    pub named_lists: Vec<String>,
    /// The DSN's `Status` field, when it differs from the reply's enhanced status.
    pub dsn_status: Option<String>,
    /// The DSN's `Action` (`failed`, `delayed`).
    pub action_field: Option<String>,
    /// The returned message's headers.
    pub(crate) returned: Option<String>,
    /// The returned message's Received header (0 = top) the sending IP came from.
    pub(crate) returned_hop: Option<usize>,
}

/// Reads a pasted bounce: a DSN or NDR, a bounce message, a Sendmail log line, Postfix's queue
/// listing, or a bare SMTP reply. `None` for Postfix and Exim log lines (the paste reads those as
/// logs, and attaches their bounce with [`log::from_log`]), and for text that carries no reply.
pub fn read(text: &str) -> Option<Bounce> {
    if log::is_mta_log(text) {
        return None;
    }
    if let Some(b) = log::sendmail(text) {
        return Some(b);
    }
    if let Some(read) = dsn::read(text) {
        return Some(assemble::assemble(read));
    }
    dsn::bare_reply(text).map(assemble::assemble)
}
