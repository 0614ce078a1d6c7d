//! What the paste reader extracts from a bounce sample, in the corpus's `expected` form; used by
//! `bounce_corpus.rs` and printed by `examples/bounce_extract.rs`.

use sendercheck_core::paste::extract;
use serde_json::{json, Value};

/// What the paste reader extracts from a sample, as the corpus writes it.
pub fn extraction(text: &str) -> Value {
    let x = match extract(text) {
        Ok(x) => x,
        Err(e) => return json!({"error": e.reason}),
    };
    let Some(b) = &x.bounce else {
        return json!({"format": x.format.as_str(), "bounce": null});
    };
    json!({
        "format": x.format.as_str(),
        "provider": b.provider.map(|p| p.id.clone()),
        "receiver_host": b.receiver_host,
        "receiver_ip": b.receiver_ip.map(|ip| ip.to_string()),
        "smtp_code": b.reply.code,
        "status": b.reply.status,
        "command": b.command,
        "permanent": b.permanent,
        "sending_ip": b.sending_ip.map(|ip| ip.to_string()),
        "recipient": b.recipient,
        "sender": b.sender,
        "category": b.category.as_str(),
        "rule": b.rule.map(|r| r.id.clone()),
        "source": b.source.as_str(),
    })
}
