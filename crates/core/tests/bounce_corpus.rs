//! The bounce corpus: real-world bounces (DSNs, NDRs, bounce messages, MTA log lines, bare
//! replies), anonymised, each with its source and the extraction it must give (see
//! `bounces/README.md`).

use std::fs;
use std::path::Path;

use sendercheck_core::paste::{extract, Format};
use serde_json::Value;

// Shared with `examples/bounce_extract.rs`, which prints it for a new sample.
#[path = "bounces/extraction.rs"]
mod extraction;
use extraction::extraction;

/// The fields compared, in the order the corpus's `expected` objects list them.
const FIELDS: [&str; 14] = [
    "format",
    "provider",
    "receiver_host",
    "receiver_ip",
    "smtp_code",
    "status",
    "command",
    "permanent",
    "sending_ip",
    "recipient",
    "sender",
    "category",
    "rule",
    "source",
];

fn corpus() -> Vec<(String, String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bounces");
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
fn every_bounce_extracts_as_expected() {
    let samples = corpus();
    assert!(samples.len() >= 40, "only {} samples", samples.len());
    let mut wrong = Vec::new();
    for (name, text, meta) in &samples {
        let got = extraction(text);
        let want = &meta["expected"];
        let differ: Vec<String> = FIELDS
            .iter()
            .filter(|f| got[**f] != want[**f])
            .map(|f| format!("  {f}: want {} got {}", want[*f], got[*f]))
            .collect();
        if !differ.is_empty() {
            wrong.push(format!("{name}:\n{}", differ.join("\n")));
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

/// Every sample names its source and licence, and the sending IP is never the receiver's.
#[test]
fn every_sample_has_a_source_and_never_takes_the_receiver_for_the_sender() {
    for (name, text, meta) in corpus() {
        assert!(
            meta["source_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{name}"
        );
        assert!(
            meta["licence"].as_str().is_some_and(|l| !l.is_empty()),
            "{name}"
        );
        let x = extract(&text).unwrap();
        if let Some(b) = &x.bounce {
            assert!(
                b.sending_ip.is_none() || b.sending_ip != b.receiver_ip,
                "{name}"
            );
            if x.format == Format::Bounce {
                assert_eq!(x.ip, b.sending_ip, "{name}");
            }
        }
    }
}
