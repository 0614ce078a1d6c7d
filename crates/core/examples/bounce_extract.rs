//! Prints what the paste reader extracts from bounce samples, one JSON object per file, in the
//! bounce corpus's `expected` form: `cargo run -p sendercheck-core --example bounce_extract -- crates/core/tests/bounces/*.txt`.
fn main() {
    for path in std::env::args().skip(1) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let v = match sendercheck_core::paste::extract(&text) {
            Ok(x) => match &x.bounce {
                Some(b) => serde_json::json!({
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
                }),
                None => serde_json::json!({"format": x.format.as_str()}),
            },
            Err(e) => serde_json::json!({"error": e.reason}),
        };
        println!("{path}\t{v}");
    }
}
