//! The Received parser against SpamAssassin's `t/rcvd_parser.t` (143 cases) and rspamd's
//! `test/lua/unit/received.lua` (9 cases), vendored in `tests/received/` (see its README for the
//! sources, commits and licences).
//!
//! Each case's relay is compared field by field (`ip`, `rdns`, `helo`, `by`; case-insensitive, as
//! SpamAssassin's rules compare them). A case that differs on purpose is listed in
//! [`DIFFERENCES`] with the field and the reason; every other case must agree.

use std::fs;
use std::path::Path;

use sendercheck_core::paste::{parse_received, Hop};
use serde_json::Value;

/// Cases where this parser differs from SpamAssassin on purpose: (case `n`, field, reason).
const DIFFERENCES: &[(u64, &str, &str)] = &[
    (
        43,
        "rdns",
        "Sendmail marked the name `(may be forged)`: it did not forward-confirm, so the engine records no verified reverse name (Hop::rdns_forged is set); SpamAssassin keeps the unverified name.",
    ),
    (
        91,
        "rdns",
        "The from-name is the client's address, not a name: the engine records no reverse name; SpamAssassin copies the address into rdns.",
    ),
    (
        101,
        "rdns",
        "The from-name is an address literal `[213.174.165.187]`, not a name: the engine records no reverse name; SpamAssassin copies the literal into rdns.",
    ),
    (
        104,
        "rdns",
        "`(may be forged)` again (see case 43).",
    ),
];

/// rspamd cases that differ on purpose: (case `n`, field, reason).
const RSPAMD_DIFFERENCES: &[(u64, &str, &str)] = &[(
    1,
    "rdns",
    "`from NAME [IP] by … with QMQP` records no reverse lookup the MTA did: NAME is read as the EHLO name, as SpamAssassin reads `from NAME [IP] by` (IMail); rspamd calls it the real host name.",
)];

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/received")
        .join(name);
    serde_json::from_slice(&fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A field as SpamAssassin writes it: `[` `]` become `!`, no value is empty.
fn sa(value: Option<&str>) -> String {
    value
        .unwrap_or("")
        .replace(['[', ']'], "!")
        .to_ascii_lowercase()
}

fn ours(hop: &Hop, field: &str) -> String {
    match field {
        "ip" => hop.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        "rdns" => sa(hop.rdns.as_deref()),
        "helo" => sa(hop.helo.as_deref()),
        "by" => sa(hop.by.as_deref()),
        _ => unreachable!(),
    }
}

fn is_relay(hop: &Hop) -> bool {
    hop.ip.is_some() && hop.not_relay.is_none()
}

struct Tally {
    passed: usize,
    documented: Vec<String>,
    failed: Vec<String>,
}

fn judge(
    tally: &mut Tally,
    n: u64,
    mismatches: Vec<(String, String, String)>,
    header: &str,
    differences: &[(u64, &str, &str)],
) {
    let undocumented: Vec<String> = mismatches
        .iter()
        .filter(|(field, _, _)| !differences.iter().any(|(d, f, _)| *d == n && f == field))
        .map(|(field, want, got)| format!("{field}: want {want:?}, got {got:?}"))
        .collect();
    if !undocumented.is_empty() {
        tally.failed.push(format!(
            "case {n}: {}\n    {header}",
            undocumented.join("; ")
        ));
    } else if mismatches.is_empty() {
        tally.passed += 1;
    } else {
        tally.documented.push(format!("case {n}"));
    }
}

#[test]
fn spamassassin_rcvd_parser_cases() {
    let cases = load("spamassassin-rcvd.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 143);
    let mut tally = Tally {
        passed: 0,
        documented: Vec::new(),
        failed: Vec::new(),
    };
    for case in cases {
        let n = case["n"].as_u64().unwrap();
        let header = case["received"][0].as_str().unwrap();
        let hop = parse_received(header);
        let mut mismatches = Vec::new();
        match case["expected"].as_array().unwrap().first() {
            None => {
                if is_relay(&hop) {
                    mismatches.push((
                        "relay".to_string(),
                        "none".to_string(),
                        format!("{:?}", hop.ip),
                    ));
                }
            }
            Some(want) => {
                if !is_relay(&hop) {
                    mismatches.push((
                        "relay".to_string(),
                        "a relay".to_string(),
                        format!("{:?} {:?}", hop.ip, hop.not_relay),
                    ));
                }
                for field in ["ip", "rdns", "helo", "by"] {
                    let want = want[field].as_str().unwrap_or("").to_ascii_lowercase();
                    let got = ours(&hop, field);
                    let same = match (
                        field,
                        want.parse::<std::net::IpAddr>(),
                        got.parse::<std::net::IpAddr>(),
                    ) {
                        ("ip", Ok(a), Ok(b)) => a == b,
                        _ => want == got,
                    };
                    if !same {
                        mismatches.push((field.to_string(), want, got));
                    }
                }
            }
        }
        judge(&mut tally, n, mismatches, header, DIFFERENCES);
    }
    println!(
        "SpamAssassin t/rcvd_parser.t: {} passed, {} documented differences, {} failed",
        tally.passed,
        tally.documented.len(),
        tally.failed.len()
    );
    assert!(
        tally.failed.is_empty(),
        "{} cases differ without a documented reason:\n{}",
        tally.failed.len(),
        tally.failed.join("\n")
    );
    // Every documented difference is still a difference.
    for (n, field, _) in DIFFERENCES {
        assert!(
            tally.documented.contains(&format!("case {n}")),
            "case {n} ({field}) now agrees: drop it from DIFFERENCES"
        );
    }
}

#[test]
fn rspamd_received_cases() {
    let file = load("rspamd-rcvd.json");
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 9);
    let mut tally = Tally {
        passed: 0,
        documented: Vec::new(),
        failed: Vec::new(),
    };
    for case in cases {
        let n = case["n"].as_u64().unwrap();
        // The rspamd test replaces each newline by a space before parsing.
        let header = case["received"][0].as_str().unwrap().replace('\n', " ");
        let hop = parse_received(&header);
        let want = &case["expected"];
        let mut mismatches = Vec::new();
        // rspamd's real_ip is the connecting client; real_hostname its verified name; by_hostname
        // the receiving host. (from_ip/from_hostname describe the from clause's first word, which
        // this parser does not keep as such.)
        for (theirs, field) in [
            ("real_ip", "ip"),
            ("real_hostname", "rdns"),
            ("by_hostname", "by"),
        ] {
            if let Some(w) = want.get(theirs).and_then(Value::as_str) {
                let got = ours(&hop, field);
                // Addresses compare as values: rspamd writes one IPv6 zero field as `::`.
                let same = match (
                    field,
                    w.parse::<std::net::IpAddr>(),
                    got.parse::<std::net::IpAddr>(),
                ) {
                    ("ip", Ok(a), Ok(b)) => a == b,
                    _ => w.to_ascii_lowercase() == got,
                };
                if !same {
                    mismatches.push((field.to_string(), w.to_string(), got));
                }
            }
        }
        judge(&mut tally, n, mismatches, &header, RSPAMD_DIFFERENCES);
    }
    println!(
        "rspamd received.lua: {} passed, {} documented differences, {} failed",
        tally.passed,
        tally.documented.len(),
        tally.failed.len()
    );
    assert!(
        tally.failed.is_empty(),
        "{} cases differ without a documented reason:\n{}",
        tally.failed.len(),
        tally.failed.join("\n")
    );
}
