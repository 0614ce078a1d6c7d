//! The paste corpus: realistic samples of every recognised format, each with the extraction it
//! must give (see `corpus/README.md` for the samples' sources and the meaning of each value).

use std::fs;
use std::path::Path;

use sendercheck_core::paste::{extract, paste_findings};
use serde_json::{json, Value};

fn corpus() -> Vec<(String, String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
            let expected: Value =
                serde_json::from_slice(&fs::read(path.with_extension("json")).unwrap())
                    .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            out.push((name, text, expected));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_sample_extracts_as_expected() {
    let samples = corpus();
    assert!(samples.len() >= 40, "only {} samples", samples.len());
    let mut wrong = Vec::new();
    for (name, text, expected) in &samples {
        let got = match extract(text) {
            Ok(x) => json!({
                "format": x.format.as_str(),
                "ip": x.ip.map(|ip| ip.to_string()),
                "helo": x.helo,
                "rdns_seen": x.rdns_seen,
                "sav": x.sav,
                "hop": x.chosen,
            }),
            Err(e) => json!({"error": e.reason}),
        };
        let want = json!({
            "format": expected["format"],
            "ip": expected["ip"],
            "helo": expected["helo"],
            "rdns_seen": expected["rdns_seen"],
            "sav": expected["sav"],
            "hop": expected["hop"],
        });
        if got != want {
            wrong.push(format!("{name}:\n  want {want}\n  got  {got}"));
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

#[test]
fn sav_samples_name_the_line_to_change() {
    for (name, text, expected) in corpus() {
        let x = extract(&text).unwrap();
        if expected["sav"] == true {
            assert!(!x.sav_lines.is_empty(), "{name}: no SAV line");
            let f = paste_findings(&x, None);
            let sav = f
                .iter()
                .find(|f| f.id == "sav-callout")
                .unwrap_or_else(|| panic!("{name}: no sav-callout finding"));
            for l in &x.sav_lines {
                assert!(
                    sav.fix.contains(&l.text),
                    "{name}: fix lacks the line {:?}",
                    l.text
                );
                assert!(
                    !l.replacement.contains("reject_unverified_sender")
                        && !l.replacement.contains("callout"),
                    "{name}: replacement keeps the callout: {}",
                    l.replacement
                );
            }
        } else {
            assert!(
                x.sav_lines.is_empty(),
                "{name}: unexpected SAV lines {:?}",
                x.sav_lines
            );
        }
    }
}
