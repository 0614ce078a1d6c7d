//! A batch through the testbed's flaky DoH path (`testbed/proxy.py`: a share of requests fails at
//! random with HTTP 502, 429 with `Retry-After`, or a dropped connection) at concurrency 64: every
//! address answered once, in input order, no temperror but for the one address whose PTR
//! SERVFAILs, and the retries kept as evidence. The 10,000-address run is in `make bench`.

mod common;

use common::{env, sendercheck};
use serde_json::Value;

/// The first `n` addresses of the testbed's load zones (testbed/README.md).
fn addresses(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("198.18.{}.{}", i / 250, i % 250 + 1))
        .collect()
}

const SERVFAIL: &str = "198.18.0.100";

#[test]
fn a_flaky_resolver_loses_nothing() {
    let ips = addresses(300);
    let input: String = ips.iter().map(|ip| format!("{ip}\n")).collect();
    let flaky = env("SENDERCHECK_TEST_DOH_FLAKY");
    let run = sendercheck(
        &[
            "ip",
            "-",
            "--json",
            "--concurrency",
            "64",
            "--stats",
            "--resolver",
            &flaky,
        ],
        &[],
        Some(&input),
    );
    assert_eq!(
        run.code, 3,
        "only the SERVFAIL is a temperror: {}",
        run.stderr
    );
    let results: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), ips.len(), "one line per address");
    let mut retried = Vec::new();
    for (ip, j) in ips.iter().zip(&results) {
        assert_eq!(j["ip"], ip.as_str(), "input order");
        let expected = if ip == SERVFAIL { "temperror" } else { "pass" };
        assert_eq!(j["iprev"]["result"], expected, "{j}");
        for q in j["queries"].as_array().unwrap() {
            for a in q["attempts"].as_array().into_iter().flatten() {
                retried.push(a["error"].as_str().unwrap().to_string());
            }
        }
    }
    // SERVFAIL is an answer: never retried, whatever the proxy did before it came.
    let sf = &results[ips.iter().position(|ip| ip == SERVFAIL).unwrap()];
    assert_eq!(sf["queries"][0]["rcode"], "SERVFAIL", "{sf}");
    // Every kind of fault was met and retried.
    assert!(retried.iter().any(|e| e == "HTTP 502"), "{retried:?}");
    assert!(retried.iter().any(|e| e == "HTTP 429"), "{retried:?}");
    assert!(
        retried.iter().any(|e| !e.starts_with("HTTP")),
        "a dropped connection: {retried:?}"
    );
    assert!(
        run.stderr.contains("sendercheck: 300 addresses in"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_readable_report_says_when_a_question_was_retried() {
    // Ask until one question of a check needed a retry (a fault hits about one request in five).
    let flaky = env("SENDERCHECK_TEST_DOH_FLAKY");
    for ip in addresses(40).iter().skip(20) {
        let run = sendercheck(&["ip", ip, "--resolver", &flaky], &[], None);
        assert_eq!(run.code, 0, "{}", run.stdout);
        if run.stdout.contains("(after 1 failed try: ") {
            return;
        }
    }
    panic!("no retry in 20 checks through the flaky path");
}
