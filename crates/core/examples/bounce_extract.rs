//! Prints what the paste reader extracts from bounce samples, one JSON object per file, in the
//! bounce corpus's `expected` form: `cargo run -p sendercheck-core --example bounce_extract -- crates/core/tests/bounces/*.txt`.

#[path = "../tests/bounces/extraction.rs"]
mod extraction;

fn main() {
    for path in std::env::args().skip(1) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        println!("{path}\t{}", extraction::extraction(&text));
    }
}
