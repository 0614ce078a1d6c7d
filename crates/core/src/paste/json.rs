//! The JSON form of a paste check: `sendercheck paste --json` and the page's export after a paste.
//!
//! ```json
//! {"extracted": {"format": "headers", "ip": "192.0.2.10", "helo": "mail.example.com",
//!                "rdns_seen": "mail.example.com", "sav": false,
//!                "reason": "Received header 2 is where mx.google.com took the message …",
//!                "notes": [], "chosen_hop": 1,
//!                "hops": [{"index": 0, "role": "receiver", "helo": null, "rdns": null, "ip": null,
//!                          "by": "…", "with": "SMTP", "date": "…", "why": "…", "raw": "…"}, …],
//!                "receiver": [{"header": "Authentication-Results", "authserv_id": "mx.google.com",
//!                              "results": [{"method": "spf", "result": "pass", "comment": "…",
//!                                           "props": {"smtp.mailfrom": "a@example.com"}}]}],
//!                "settings": [{"line": 2, "name": "myhostname", "value": "mail.example.com"}],
//!                "sav_lines": [{"line": 5, "text": "…", "replacement": "…"}]},
//!  "ip": …, "verdict": …, "iprev": …, "helo": …, "findings": […], "queries": […], "elapsed_ms": …}
//! ```
//!
//! Keys come out in alphabetical order, like every JSON object of the CLI. With an address, the
//! fields besides `extracted` are those of `sendercheck ip --json`, and
//! `findings` also holds the paste's own (`sav-callout`, `receiver-*`). With only an EHLO host
//! name they are those of `sendercheck host --json` plus `findings`; with neither, `verdict` and
//! `findings` only. `verdict` is the DNS check's, made `fail` by a paste finding of severity
//! error (see [`PasteReport::verdict`]). `receiver` lists only the headers the receiver added (see
//! [`Extracted::receiver_auth`]).

use serde_json::{json, Map, Value};

use super::run::{Checked, PasteReport};
use super::Extracted;
use crate::json::{host_json, report_json};

fn extracted_json(x: &Extracted) -> Value {
    let hops: Vec<Value> = x
        .hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            json!({
                "index": i, "role": h.role, "helo": h.helo, "rdns": h.rdns, "ip": h.ip,
                "by": h.by, "with": h.with, "date": h.date, "why": h.why, "raw": h.raw,
            })
        })
        .collect();
    let receiver: Vec<Value> = x
        .receiver_auth()
        .map(|a| {
            let results: Vec<Value> = a
                .results
                .iter()
                .map(|r| {
                    let mut props = Map::new();
                    for (k, v) in &r.props {
                        props.insert(k.clone(), Value::String(v.clone()));
                    }
                    json!({"method": r.method, "result": r.result, "comment": r.comment, "props": props})
                })
                .collect();
            json!({"header": a.header, "authserv_id": a.authserv_id, "results": results})
        })
        .collect();
    json!({
        "format": x.format,
        "ip": x.ip,
        "helo": x.helo,
        "rdns_seen": x.rdns_seen,
        "sav": x.sav,
        "reason": x.reason,
        "notes": x.notes,
        "chosen_hop": x.chosen,
        "hops": hops,
        "receiver": receiver,
        "settings": x.settings,
        "sav_lines": x.sav_lines,
    })
}

/// The paste check as JSON; `elapsed_ms` is the wall time the caller measured.
pub fn paste_json(p: &PasteReport, elapsed_ms: u64) -> Value {
    let mut out = match &p.checked {
        Checked::Ip(r) => report_json(r, elapsed_ms),
        Checked::Host(h) => host_json(h, elapsed_ms),
        Checked::Nothing => json!({"elapsed_ms": elapsed_ms}),
    };
    let Some(obj) = out.as_object_mut() else {
        return out;
    };
    let mut findings: Vec<crate::Finding> = match &p.checked {
        Checked::Ip(r) => r.findings.clone(),
        _ => Vec::new(),
    };
    findings.extend(p.findings.iter().cloned());
    let findings = crate::finding::most_severe_first(findings);
    obj.insert("verdict".into(), json!(p.verdict()));
    obj.insert("findings".into(), json!(findings));
    obj.insert("extracted".into(), extracted_json(&p.extracted));
    out
}
