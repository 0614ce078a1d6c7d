//! The JSON form of a bounce: `extracted.bounce` of `sendercheck paste --json`.
//!
//! ```json
//! {"source": "dsn", "provider": "gmail", "provider_name": "Gmail",
//!  "receiver_host": "gmail-smtp-in.l.google.com", "receiver_ip": "142.250.102.27",
//!  "smtp_code": 550, "status": "5.7.25", "text": "[192.0.2.10] The IP address …",
//!  "command": "DATA", "permanent": true, "category": "iprev", "meaning": "…", "action": "…",
//!  "checks": ["iprev", "generic-rdns", "helo"], "sending_ip": "192.0.2.10",
//!  "sending_ip_from": "the receiver's reply, which names 192.0.2.10",
//!  "recipient": "user@gmail.com", "sender": "alice@example.com", "from_domain": "example.com",
//!  "rule": "gmail-5.7.25-ptr", "rule_source": "https://…", "named_lists": [],
//!  "dsn_status": null, "dsn_action": "failed", "helo": null}
//! ```
//!
//! `provider` is the receiver's id (from its host name, else from the rule that matched), `null`
//! when unknown; `smtp_code` is a number; `status` is the reply's enhanced status (a DSN's
//! `Status` field fills in when the reply has none, unless it is a generic `X.0.0`);
//! `dsn_status` is the DSN's `Status` when it says something else; `permanent` follows the reply
//! code's class; `rule` is `null` when no rule of the knowledge base matches (the meaning is then
//! the codes'); `sending_ip` is never the receiver's address.

use std::net::IpAddr;

use serde::Serialize;

use super::{Bounce, Category, CheckKind, Source};
use crate::report::json::value;

#[derive(Serialize)]
pub(crate) struct BounceJson<'a> {
    source: Source,
    provider: Option<&'a str>,
    provider_name: Option<&'a str>,
    receiver_host: Option<&'a str>,
    receiver_ip: Option<IpAddr>,
    smtp_code: Option<u16>,
    status: Option<&'a str>,
    text: &'a str,
    command: Option<&'a str>,
    permanent: Option<bool>,
    category: Category,
    meaning: &'a str,
    action: &'a str,
    checks: &'a [CheckKind],
    sending_ip: Option<IpAddr>,
    sending_ip_from: Option<&'a str>,
    recipient: Option<&'a str>,
    sender: Option<&'a str>,
    from_domain: Option<&'a str>,
    rule: Option<&'a str>,
    rule_source: Option<&'a str>,
    named_lists: &'a [String],
    dsn_status: Option<&'a str>,
    dsn_action: Option<&'a str>,
    helo: Option<&'a str>,
}

impl<'a> BounceJson<'a> {
    pub(crate) fn new(b: &'a Bounce) -> Self {
        BounceJson {
            source: b.source,
            provider: b.provider.map(|p| p.id.as_str()),
            provider_name: b.provider.map(|p| p.name.as_str()),
            receiver_host: b.receiver_host.as_deref(),
            receiver_ip: b.receiver_ip,
            smtp_code: b.reply.code,
            status: b.reply.status.as_deref(),
            text: &b.reply.text,
            command: b.command.as_deref(),
            permanent: b.permanent,
            category: b.category,
            meaning: &b.meaning,
            action: &b.action,
            checks: &b.checks,
            sending_ip: b.sending_ip,
            sending_ip_from: b.sending_ip_from.as_deref(),
            recipient: b.recipient.as_deref(),
            sender: b.sender.as_deref(),
            from_domain: b.from_domain.as_deref(),
            rule: b.rule.map(|r| r.id.as_str()),
            rule_source: b.rule.map(|r| r.source.as_str()),
            named_lists: &b.named_lists,
            dsn_status: b.dsn_status.as_deref(),
            dsn_action: b.action_field.as_deref(),
            helo: b.helo.as_deref(),
        }
    }
}

/// A bounce as JSON.
pub fn bounce_json(b: &Bounce) -> serde_json::Value {
    value(BounceJson::new(b))
}
