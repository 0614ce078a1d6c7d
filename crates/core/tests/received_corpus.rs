//! Real header blocks from public sources (`tests/received/corpus/`, each with its source and
//! licence in its JSON): the hop the walk chooses, its address and EHLO name, and the filtering
//! service it finds in front of the receiver.
//!
//! `expected.entry_hop` counts Received headers from the top, from 1 (null: the paste shows no
//! relay into the receiver). Samples are as published, with the anonymisation and trimming each
//! JSON lists.

use std::fs;
use std::path::Path;

use sendercheck_core::paste::{extract, HopRole};
use serde_json::{json, Value};

fn corpus() -> Vec<(String, String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/received/corpus");
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
            let meta: Value =
                serde_json::from_slice(&fs::read(path.with_extension("json")).unwrap())
                    .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            out.push((name, text, meta));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_real_sample_chooses_the_expected_hop() {
    let samples = corpus();
    assert!(samples.len() >= 40, "only {} samples", samples.len());
    let mut wrong = Vec::new();
    for (name, text, meta) in &samples {
        for key in ["source_url", "licence"] {
            assert!(
                meta[key].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: no {key}"
            );
        }
        let e = &meta["expected"];
        let x = extract(text).unwrap_or_else(|err| panic!("{name}: {}", err.reason));
        let filter = x
            .hops
            .iter()
            .find(|h| h.role == HopRole::Filter)
            .and_then(|h| {
                [h.rdns.as_deref(), h.helo.as_deref()]
                    .into_iter()
                    .flatten()
                    .find_map(sendercheck_core::paste::filter_of)
                    .map(|s| s.name)
                    .or(Some("a filtering service"))
            });
        let got = json!({
            "entry_hop": x.chosen.map(|c| c + 1),
            "ip": x.ip.map(|ip| ip.to_string()),
            "helo": x.helo,
            "filter": x.hops.iter().any(|h| h.role == HopRole::Filter),
        });
        let want = json!({
            "entry_hop": e["entry_hop"],
            "ip": e["ip"],
            "helo": e["helo"],
            "filter": !e["filter"].is_null(),
        });
        if got != want {
            wrong.push(format!(
                "{name}:\n  want {want}\n  got  {got} (filter {filter:?})\n  {}",
                x.reason
            ));
        }
        if let Some(c) = x.chosen {
            let role = x.hops[c].role;
            assert!(
                role == HopRole::Entry,
                "{name}: chosen hop has role {role:?}"
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} samples differ:\n{}",
        wrong.len(),
        samples.len(),
        wrong.join("\n")
    );
}
