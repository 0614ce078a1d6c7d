//! The `sendercheck` binary against the real NSD + dnsdist testbed (`testbed/run.sh exec -- …`,
//! which `make test` uses). Every zone case, over DoH on plain HTTP and on HTTPS.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{env, finding, ids, sendercheck, transports};
use serde_json::Value;

fn sorted(v: &Value) -> Vec<String> {
    let mut list: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    list.sort();
    list
}

/// (input, iprev result, PTR names, confirmed names, generic, exit code, a finding id that must be present)
type ZoneCase = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    bool,
    i32,
    &'static str,
);

const CASES: &[ZoneCase] = &[
    (
        "192.0.2.10",
        "pass",
        &["mail.sendercheck.test"],
        &["mail.sendercheck.test"],
        false,
        0,
        "iprev-pass",
    ),
    (
        "2001:DB8:0:0:0:0:0:10",
        "pass",
        &["mail.sendercheck.test"],
        &["mail.sendercheck.test"],
        false,
        0,
        "iprev-pass",
    ),
    (
        "::ffff:192.0.2.10",
        "pass",
        &["mail.sendercheck.test"],
        &["mail.sendercheck.test"],
        false,
        0,
        "rdns-not-generic",
    ),
    (
        "192.0.2.20",
        "pass",
        &["mx1.sendercheck.test", "mx2.sendercheck.test"],
        &["mx2.sendercheck.test"],
        false,
        0,
        "ptr-multiple",
    ),
    (
        "192.0.2.30",
        "fail",
        &["mismatch.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
    (
        "2001:db8::30",
        "fail",
        &["mismatch6.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
    (
        "192.0.2.40",
        "fail",
        &["nxdomain.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
    (
        "192.0.2.50",
        "permerror",
        &[],
        &[],
        false,
        1,
        "iprev-no-ptr",
    ),
    (
        "192.0.2.51",
        "permerror",
        &[],
        &[],
        false,
        1,
        "iprev-no-ptr",
    ),
    (
        "2001:db8::50",
        "permerror",
        &[],
        &[],
        false,
        1,
        "iprev-no-ptr",
    ),
    (
        "192.0.2.60",
        "temperror",
        &[],
        &[],
        false,
        3,
        "iprev-temperror",
    ),
    (
        "192.0.2.61",
        "temperror",
        &["servfail.sendercheck.test"],
        &[],
        false,
        3,
        "iprev-temperror",
    ),
    (
        "192.0.2.70",
        "pass",
        &["classless.sendercheck.test"],
        &["classless.sendercheck.test"],
        false,
        0,
        "ptr-classless",
    ),
    (
        "2001:db8::20",
        "fail",
        &["v4only.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
    (
        "192.0.2.80",
        "pass",
        &["mixed.sendercheck.test"],
        &["mixed.sendercheck.test"],
        false,
        0,
        "iprev-pass",
    ),
    (
        "192.0.2.90",
        "pass",
        &["192-0-2-90.dynamic.pool.sendercheck.test"],
        &["192-0-2-90.dynamic.pool.sendercheck.test"],
        true,
        0,
        "rdns-generic",
    ),
    (
        "192.0.2.100",
        "pass",
        &["alias.sendercheck.test"],
        &["alias.sendercheck.test"],
        false,
        0,
        "ptr-cname",
    ),
    (
        "192.0.2.110",
        "fail",
        &["loop1.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
    (
        "192.0.2.112",
        "permerror",
        &[],
        &[],
        false,
        1,
        "iprev-no-ptr",
    ),
    (
        "192.0.2.121",
        "pass",
        &["multi.sendercheck.test"],
        &["multi.sendercheck.test"],
        false,
        0,
        "iprev-pass",
    ),
    (
        "192.0.2.130",
        "fail",
        &["nodata.sendercheck.test"],
        &[],
        false,
        1,
        "iprev-fail",
    ),
];

#[test]
fn every_zone_case_on_both_transports() {
    for (transport, opts) in transports() {
        for &(input, result, ptr, confirmed, generic, code, id) in CASES {
            let run = sendercheck(&["ip", input, "--json"], &opts, None);
            let ctx = format!("{transport} {input}: {}", run.stdout);
            let j = run.json();
            assert_eq!(j["iprev"]["result"], result, "{ctx}");
            assert_eq!(sorted(&j["iprev"]["ptr"]), ptr, "{ctx}");
            assert_eq!(sorted(&j["iprev"]["confirmed"]), confirmed, "{ctx}");
            assert_eq!(j["iprev"]["generic"], generic, "{ctx}");
            assert_eq!(run.code, code, "{ctx}");
            assert!(ids(&j).iter().any(|i| i == id), "{ctx}: no {id}");
            assert!(j.get("helo").is_none(), "{ctx}");
            assert!(j["elapsed_ms"].is_u64(), "{ctx}");
            assert!(run.stderr.is_empty(), "{ctx}: stderr {}", run.stderr);
        }
    }
}

#[test]
fn canonical_address_text() {
    let opts = &transports()[0].1;
    let j = sendercheck(&["ip", "2001:DB8:0:0:0:0:0:10", "--json"], opts, None).json();
    assert_eq!(j["ip"], "2001:db8::10");
    let j = sendercheck(&["ip", "::ffff:192.0.2.10", "--json"], opts, None).json();
    assert_eq!(j["ip"], "192.0.2.10");
}

#[test]
fn failure_details_name_the_cause() {
    let opts = &transports()[0].1;
    let detail = |ip: &str, id: &str| {
        let j = sendercheck(&["ip", ip, "--json"], opts, None).json();
        finding(&j, id)["detail"].as_str().unwrap().to_string()
    };
    assert!(
        detail("192.0.2.30", "iprev-fail").contains("`mismatch.sendercheck.test` has A 192.0.2.31")
    );
    assert!(detail("192.0.2.40", "iprev-fail").contains("NXDOMAIN"));
    assert!(detail("192.0.2.130", "iprev-fail").contains("no A record (NODATA)"));
    assert!(detail("2001:db8::20", "iprev-fail").contains("no AAAA record (NODATA)"));
    assert!(detail("192.0.2.110", "iprev-fail").contains("loop"));
    assert!(detail("192.0.2.51", "iprev-no-ptr").contains("NODATA"));
    assert!(detail("192.0.2.50", "iprev-no-ptr").contains("NXDOMAIN"));
    assert!(detail("192.0.2.60", "iprev-temperror").contains("SERVFAIL"));
    assert!(detail("192.0.2.100", "ptr-cname").contains("real.sendercheck.test"));
    let fix = {
        let j = sendercheck(&["ip", "192.0.2.30", "--json"], opts, None).json();
        finding(&j, "iprev-fail")["fix"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        fix.contains("mismatch.sendercheck.test. 3600 IN A 192.0.2.30"),
        "{fix}"
    );
}

/// (EHLO text, IP, name, kind, matches_ptr, resolves_to_ip, result, finding that must be present, exit)
type HeloCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<bool>,
    &'static str,
    &'static str,
    i32,
);

const HELO_CASES: &[HeloCase] = &[
    (
        "EHLO mail.sendercheck.test",
        "192.0.2.10",
        "mail.sendercheck.test",
        "fqdn",
        true,
        Some(true),
        "pass",
        "helo-pass",
        0,
    ),
    (
        "250-MAIL.SenderCheck.test. Hello",
        "192.0.2.10",
        "mail.sendercheck.test",
        "fqdn",
        true,
        Some(true),
        "pass",
        "helo-pass",
        0,
    ),
    (
        "EHLO mail.sendercheck.test",
        "2001:db8::10",
        "mail.sendercheck.test",
        "fqdn",
        true,
        Some(true),
        "pass",
        "helo-pass",
        0,
    ),
    (
        "EHLO elsewhere.sendercheck.test",
        "192.0.2.10",
        "elsewhere.sendercheck.test",
        "fqdn",
        false,
        Some(false),
        "fail",
        "helo-resolves-elsewhere",
        1,
    ),
    (
        "HELO nxhelo.sendercheck.test",
        "192.0.2.10",
        "nxhelo.sendercheck.test",
        "fqdn",
        false,
        Some(false),
        "fail",
        "helo-unresolvable",
        1,
    ),
    (
        "EHLO mx1.sendercheck.test",
        "192.0.2.20",
        "mx1.sendercheck.test",
        "fqdn",
        false,
        Some(false),
        "fail",
        "helo-mismatch",
        1,
    ),
    (
        "EHLO [192.0.2.10]",
        "192.0.2.10",
        "[192.0.2.10]",
        "address-literal",
        false,
        None,
        "fail",
        "helo-address-literal",
        1,
    ),
    (
        "EHLO [IPv6:2001:db8::10]",
        "2001:db8::10",
        "[IPv6:2001:db8::10]",
        "address-literal",
        false,
        None,
        "fail",
        "helo-address-literal",
        1,
    ),
    (
        "EHLO localhost",
        "192.0.2.10",
        "localhost",
        "invalid",
        false,
        None,
        "fail",
        "helo-invalid",
        1,
    ),
    (
        "EHLO mail_1.sendercheck.test",
        "192.0.2.10",
        "mail_1.sendercheck.test",
        "invalid",
        false,
        None,
        "fail",
        "helo-invalid",
        1,
    ),
    (
        "EHLO 192.0.2.10",
        "192.0.2.10",
        "192.0.2.10",
        "invalid",
        false,
        None,
        "fail",
        "helo-invalid",
        1,
    ),
    (
        "EHLO mailserver",
        "192.0.2.10",
        "mailserver",
        "invalid",
        false,
        None,
        "fail",
        "helo-invalid",
        1,
    ),
    (
        "EHLO mail.sendercheck.test",
        "192.0.2.60",
        "mail.sendercheck.test",
        "fqdn",
        false,
        Some(false),
        "temperror",
        "helo-temperror",
        3,
    ),
    (
        "EHLO mail.sendercheck.test",
        "192.0.2.50",
        "mail.sendercheck.test",
        "fqdn",
        false,
        Some(false),
        "fail",
        "helo-mismatch",
        1,
    ),
];

#[test]
fn ehlo_cases_on_both_transports() {
    for (transport, opts) in transports() {
        for &(text, ip, name, kind, matches, resolves, result, id, code) in HELO_CASES {
            let run = sendercheck(&["ip", ip, "--helo", text, "--json"], &opts, None);
            let ctx = format!("{transport} {ip} {text:?}: {}", run.stdout);
            let j = run.json();
            let h = &j["helo"];
            assert_eq!(h["name"], name, "{ctx}");
            assert_eq!(h["kind"], kind, "{ctx}");
            assert_eq!(h["matches_ptr"], matches, "{ctx}");
            assert_eq!(
                h["resolves_to_ip"],
                resolves.map_or(Value::Null, Value::Bool),
                "{ctx}"
            );
            assert_eq!(h["result"], result, "{ctx}");
            assert!(ids(&j).iter().any(|i| i == id), "{ctx}: no {id}");
            assert_eq!(run.code, code, "{ctx}");
        }
    }
}

#[test]
fn address_literal_warning_explains_the_rfc() {
    let opts = &transports()[0].1;
    let j = sendercheck(
        &["ip", "192.0.2.10", "--helo", "EHLO [192.0.2.10]", "--json"],
        opts,
        None,
    )
    .json();
    let f = finding(&j, "helo-address-literal");
    assert_eq!(f["severity"], "warning");
    assert!(f["detail"]
        .as_str()
        .unwrap()
        .contains("RFC 5321 §4.1.3 allows an address literal"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("smtp_helo_name = mail.sendercheck.test"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("helo_data = mail.sendercheck.test"));
}

#[test]
fn host_checks_every_address() {
    let opts = &transports()[1].1;
    let run = sendercheck(&["host", "mail.sendercheck.test", "--json"], opts, None);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let j = run.json();
    assert_eq!(j["host"], "mail.sendercheck.test");
    let ips: Vec<&str> = j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips, vec!["192.0.2.10", "2001:db8::10"]);
    assert!(j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["iprev"]["result"] == "pass"));

    let run = sendercheck(&["host", "multi.sendercheck.test", "--json"], opts, None);
    let j = run.json();
    let results: Vec<(&str, &str)> = j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["ip"].as_str().unwrap(),
                a["iprev"]["result"].as_str().unwrap(),
            )
        })
        .collect::<Vec<_>>();
    let mut results = results;
    results.sort();
    assert_eq!(
        results,
        vec![("192.0.2.120", "permerror"), ("192.0.2.121", "pass")]
    );
    assert_eq!(run.code, 1);

    let run = sendercheck(&["host", "nxdomain.sendercheck.test", "--json"], opts, None);
    assert_eq!(run.code, 1);
    let j = run.json();
    assert_eq!(j["addresses"], serde_json::json!([]));
    assert!(j["error"].as_str().unwrap().contains("NXDOMAIN"));

    let run = sendercheck(&["host", "servfail.sendercheck.test"], opts, None);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("SERVFAIL"), "{}", run.stdout);
}

#[test]
fn batch_from_stdin() {
    let opts = &transports()[0].1;
    let input = "# mail servers\n192.0.2.10\n\n2001:db8::10\n192.0.2.60\n";
    let run = sendercheck(&["ip", "-", "--json"], opts, Some(input));
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|j| {
            (
                j["ip"].as_str().unwrap(),
                j["iprev"]["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("192.0.2.10", "pass"),
            ("2001:db8::10", "pass"),
            ("192.0.2.60", "temperror")
        ]
    );
    assert_eq!(run.code, 3);

    let run = sendercheck(
        &["ip", "-", "--json"],
        opts,
        Some("192.0.2.10\n192.0.2.30\n"),
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 2);

    let run = sendercheck(&["ip", "-"], opts, Some("192.0.2.10\n999.1.1.1\n"));
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.starts_with("PASS 192.0.2.10: iprev=pass"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("line 2: `999.1.1.1` is not an IPv4 address: 999 is larger than 255"),
        "{}",
        run.stderr
    );

    // A hundred addresses, checked with bounded concurrency, all answered, in input order.
    let many: String = (0..100)
        .map(|i| {
            if i % 2 == 0 {
                "192.0.2.10\n"
            } else {
                "192.0.2.30\n"
            }
        })
        .collect();
    let run = sendercheck(
        &["ip", "-", "--json", "--concurrency", "16"],
        opts,
        Some(&many),
    );
    let results: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["iprev"]["result"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(results.len(), 100);
    assert!(results
        .iter()
        .enumerate()
        .all(|(i, r)| r == if i % 2 == 0 { "pass" } else { "fail" }));
    assert_eq!(run.code, 1);
}

#[test]
fn readable_report() {
    let opts = &transports()[0].1;
    let run = sendercheck(
        &[
            "ip",
            "192.0.2.30",
            "--helo",
            "EHLO mismatch.sendercheck.test",
        ],
        opts,
        None,
    );
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    assert_eq!(first, "FAIL 192.0.2.30: iprev=fail helo=fail — Reverse DNS of 192.0.2.30 does not resolve back to it");
    assert!(run
        .stdout
        .contains("[error] Reverse DNS of 192.0.2.30 does not resolve back to it"));
    assert!(run.stdout.contains("30.2.0.192.in-addr.arpa PTR → NOERROR"));
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when not a terminal"
    );
}

#[test]
fn bad_input_is_usage_error() {
    let opts = &transports()[0].1;
    for (args, message) in [
        (vec!["ip", "999.1.1.1"], "sendercheck: `999.1.1.1` is not an IPv4 address: 999 is larger than 255\n"),
        (vec!["ip", "mail.example.com"], "sendercheck: `mail.example.com` is not an IP address: it looks like a host name; check a host name with `host` instead\n"),
        (vec!["host", "bad..name"], "sendercheck: `bad..name` is not a valid domain name: it has an empty label (two dots in a row, or a leading dot)\n"),
        (vec!["ip", "192.0.2.10", "--timeout", "0"], "sendercheck: --timeout must be between 0 and 300 seconds, not 0\n"),
    ] {
        let run = sendercheck(&args, opts, None);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, message, "{args:?}");
    }
    let run = sendercheck(
        &["ip", "192.0.2.10", "--resolver", "ftp://127.0.0.1/x"],
        &[],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a usable DoH resolver URL"),
        "{}",
        run.stderr
    );
    let run = sendercheck(&["ip"], &[], None);
    assert_eq!(run.code, 2);
    let huge = "1".repeat(100_000);
    let run = sendercheck(&["ip", &huge], &[], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.len() < 400,
        "message stays short: {}",
        run.stderr.len()
    );
}

/// The resolver itself failing (HTTP status, a body that is not DNS, no connection, no answer in
/// time) is the check's own failure: verdict `unchecked`, finding `iprev-unchecked`, the resolver
/// named with others to try, nothing about receivers. The RFC 8601 word stays `temperror`, and so
/// does the exit status (3).
#[test]
fn resolver_faults_are_unchecked() {
    let expect = |resolver: &str, timeout: &str, needle: &str| {
        let start = Instant::now();
        let args = [
            "ip",
            "192.0.2.10",
            "--helo",
            "EHLO mail.sendercheck.test",
            "--timeout",
            timeout,
            "--resolver",
            resolver,
        ];
        let run = sendercheck(&[&args[..], &["--json"]].concat(), &[], None);
        let j = run.json();
        assert_eq!(j["verdict"], "unchecked", "{resolver}");
        assert_eq!(j["iprev"]["result"], "temperror", "{resolver}");
        assert_eq!(j["helo"]["result"], "temperror", "{resolver}");
        assert_eq!(run.code, 3);
        assert!(!ids(&j).contains(&"iprev-temperror".to_string()), "{j}");
        let f = finding(&j, "iprev-unchecked");
        let detail = f["detail"].as_str().unwrap();
        assert!(detail.contains(needle), "{resolver}: {detail}");
        assert!(
            !detail.contains("receivers") && !detail.contains("defer"),
            "{detail}"
        );
        assert!(f["fix"]
            .as_str()
            .unwrap()
            .starts_with("Check again through another resolver."));

        // The readable report: UNCHECKED first, then the resolver named and others to try.
        let run = sendercheck(&args, &[], None);
        assert_eq!(run.code, 3);
        let mut lines = run.stdout.lines();
        let first = lines.next().unwrap();
        assert!(
            first.starts_with("UNCHECKED 192.0.2.10: iprev=temperror helo=temperror — Could not check the reverse DNS of 192.0.2.10"),
            "{first}"
        );
        let named = lines.next().unwrap();
        assert!(
            named.starts_with(&format!("  The resolver {resolver} gave no DNS answer: "))
                && named.contains(needle),
            "{named}"
        );
        assert_eq!(
            lines.next().unwrap(),
            "  Check again through another: --resolver https://cloudflare-dns.com/dns-query or --resolver https://dns.google/dns-query or --resolver https://dns.quad9.net/dns-query"
        );
        assert!(
            !run.stdout.contains("defer") && !run.stdout.contains("TEMPERROR"),
            "{}",
            run.stdout
        );
        start.elapsed()
    };
    expect(&env("SENDERCHECK_TEST_DOH_500"), "5", "HTTP 500");
    expect(&env("SENDERCHECK_TEST_DOH_JUNK"), "5", "not a DNS message");
    // Nothing listens: connection refused.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    expect(
        &format!("http://127.0.0.1:{port}/dns-query"),
        "5",
        "could not reach the resolver",
    );
    // Accepts the connection and never answers: the timeout ends it, and it is the resolver's.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/dns-query", silent.local_addr().unwrap());
    let took = expect(&url, "1", "no answer within 1 s");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    drop(silent);

    // A host name whose addresses the resolver would not give: unchecked too.
    let down = [env("SENDERCHECK_TEST_DOH_500")];
    let run = sendercheck(
        &["host", "mail.sendercheck.test", "--resolver"],
        &down,
        None,
    );
    assert_eq!(run.code, 3);
    assert!(
        run.stdout.starts_with("UNCHECKED Could not check mail.sendercheck.test: the resolver gave no DNS answer about its addresses"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "Check again through another: --resolver https://cloudflare-dns.com/dns-query"
        ),
        "{}",
        run.stdout
    );
    let j = sendercheck(
        &["host", "mail.sendercheck.test", "--json", "--resolver"],
        &down,
        None,
    )
    .json();
    assert_eq!(j["verdict"], "unchecked", "{j}");
}

/// A SERVFAIL is the DNS's answer, not the resolver's failure: `temperror`, explained by what
/// receivers do with it, and no resolver to replace. Both transports, the PTR and a forward name.
#[test]
fn servfail_stays_temperror_apart_from_resolver_faults() {
    for (t, opts) in transports() {
        for (ip, lookup) in [
            ("192.0.2.60", "60.2.0.192.in-addr.arpa PTR"),
            ("192.0.2.61", "servfail.sendercheck.test A"),
        ] {
            let args = ["ip", ip, "--helo", "EHLO servfail.sendercheck.test"];
            let run = sendercheck(&[&args[..], &["--json"]].concat(), &opts, None);
            assert_eq!(run.code, 3, "{t} {ip}");
            let j = run.json();
            assert_eq!(j["verdict"], "temperror", "{t} {ip}");
            assert_eq!(j["iprev"]["result"], "temperror", "{t} {ip}");
            assert!(!ids(&j).contains(&"iprev-unchecked".to_string()), "{j}");
            let detail = finding(&j, "iprev-temperror")["detail"].as_str().unwrap();
            assert!(
                detail.contains(&format!("{lookup}: the resolver answered SERVFAIL"))
                    && detail.contains("Receivers that see the same failure defer the mail"),
                "{t} {ip}: {detail}"
            );
            let run = sendercheck(&args, &opts, None);
            assert!(
                run.stdout.starts_with(&format!("TEMPERROR {ip}:")),
                "{}",
                run.stdout
            );
            assert!(!run.stdout.contains("gave no DNS answer"), "{}", run.stdout);
        }
    }
}
