//! Prints how long the paste parsers take per megabyte, for pastes of 64 KB, 256 KB and 1 MB in
//! every shape of `tests/support/shapes.rs` and for the corpus samples repeated. Linear parsers
//! show the same time per megabyte at every size.
//!
//!     cargo run --release -p sendercheck-core --example paste_bench

#[path = "../tests/support/shapes.rs"]
mod shapes;

use std::path::PathBuf;
use std::time::Instant;

use sendercheck_core::paste::extract;

/// Milliseconds per megabyte, the best of five runs.
fn per_mb(text: &str) -> f64 {
    let best = (0..5)
        .map(|_| {
            let start = Instant::now();
            let _ = std::hint::black_box(extract(std::hint::black_box(text)));
            start.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min);
    best * 1000.0 / (text.len() as f64 / 1_048_576.0)
}

fn row(name: &str, texts: impl Iterator<Item = String>) {
    let cols: Vec<String> = texts.map(|t| format!("{:>10.1}", per_mb(&t))).collect();
    println!("{name:<34}{}", cols.join(""));
}

fn main() {
    let sizes = [64 << 10, 256 << 10, 1 << 20];
    println!(
        "{:<34}{:>10}{:>10}{:>10}",
        "ms per MB", "64 KB", "256 KB", "1 MB"
    );
    let by_size: Vec<Vec<(&str, String)>> = sizes.iter().map(|&s| shapes::shapes(s)).collect();
    for i in 0..by_size[0].len() {
        row(by_size[0][i].0, by_size.iter().map(|v| v[i].1.clone()));
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for kind in [
        "headers-",
        "postfix-log",
        "exim-log",
        "postfix-config",
        "exim-config",
    ] {
        let sample: String = files
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(kind))
            })
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .collect();
        let sized = |size: usize| sample.repeat(size / sample.len().max(1) + 1);
        row(
            &format!("corpus {kind}* repeated"),
            sizes.iter().map(|&s| sized(s)),
        );
    }
}
