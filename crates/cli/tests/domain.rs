//! `sendercheck domain` and `sendercheck ip --domain` against the testbed's sending-domain zone
//! (`testbed/zones/dom.sendercheck.test.zone`): SPF for the address, DMARC, DKIM keys, alignment,
//! MX and the providers' requirements, on both transports.

mod common;

use common::{finding, ids, sendercheck, transports, Run};
use serde_json::Value;

fn domain(args: &[&str], extra: &[String]) -> (Run, Value) {
    let mut all = vec!["domain"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = sendercheck(&all, extra, None);
    let j = run.json();
    (run, j)
}

fn spf(d: &str, ip: &str, extra: &[String]) -> Value {
    domain(&[d, "--ip", ip], extra).1["domain"]["spf"].clone()
}

#[test]
fn a_domain_that_authorises_its_server_on_both_transports() {
    for (transport, t) in transports() {
        let (run, j) = domain(
            &[
                "alice@pass.dom.sendercheck.test",
                "--ip",
                "192.0.2.10",
                "--helo",
                "EHLO mail.sendercheck.test",
                "--dkim",
                "rsa2048",
                "--dkim",
                "cname",
            ],
            &t,
        );
        assert_eq!(run.code, 0, "{transport}: {}", run.stdout);
        let d = &j["domain"];
        assert_eq!(d["name"], "pass.dom.sendercheck.test");
        assert_eq!(d["mail_from"], "alice@pass.dom.sendercheck.test");
        assert_eq!(d["spf"]["result"], "pass", "{transport}");
        assert_eq!(d["spf"]["record"], "v=spf1 ip4:192.0.2.10 -all");
        assert_eq!(d["spf"]["decided_by"], "ip4:192.0.2.10");
        assert_eq!(d["spf"]["lookups"], 0);
        assert_eq!(d["helo_spf"]["result"], "none");
        assert_eq!(d["dmarc"]["result"], "pass");
        assert_eq!(d["dmarc"]["policy"], "reject");
        assert_eq!(d["dmarc"]["found_at"], "_dmarc.pass.dom.sendercheck.test");
        let dkim = d["dkim"].as_array().unwrap();
        assert_eq!(dkim.len(), 2);
        assert_eq!(dkim[0]["selector"], "rsa2048");
        assert_eq!(dkim[0]["key_bits"], 2048);
        assert_eq!(dkim[0]["result"], "pass");
        assert_eq!(dkim[1]["result"], "pass", "a selector that is a CNAME");
        assert_eq!(d["alignment"]["spf"], true);
        assert_eq!(d["alignment"]["dkim"], true);
        assert_eq!(d["mx"]["result"], "pass");
        // With --ip the identity check ran too, and fed the requirements.
        assert_eq!(j["iprev"]["result"], "pass");
        let fcrdns = j["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["provider"] == "gmail" && r["id"] == "fcrdns")
            .expect("gmail fcrdns row");
        assert_eq!(fcrdns["result"], "pass");
        assert!(j["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["url"].as_str().unwrap().starts_with("https://")));
        assert!(ids(&j).contains(&"spf-pass".to_string()));
    }
}

#[test]
fn spf_results_traces_and_limits() {
    let t = &transports()[0].1;
    let j = spf("chain.dom.sendercheck.test", "192.0.2.10", t);
    assert_eq!(j["result"], "pass");
    assert_eq!(j["lookups"], 3);
    assert_eq!(
        j["decided_by"],
        "include:l1.dom.sendercheck.test → include:l2.dom.sendercheck.test → include:l3.dom.sendercheck.test → ip4:192.0.2.0/24"
    );
    let l1 = &j["trace"]["terms"][0]["child"];
    assert_eq!(l1["domain"], "l1.dom.sendercheck.test");
    assert_eq!(
        spf("chain.dom.sendercheck.test", "198.51.100.1", t)["result"],
        "fail"
    );
    assert_eq!(
        spf("soft.dom.sendercheck.test", "192.0.2.10", t)["result"],
        "softfail"
    );
    assert_eq!(
        spf("neutral.dom.sendercheck.test", "192.0.2.10", t)["result"],
        "neutral"
    );
    assert_eq!(
        spf("redirect.dom.sendercheck.test", "192.0.2.10", t)["result"],
        "pass"
    );
    // Every mechanism: a (with a CIDR), mx, ptr, ip6, exists with macros.
    assert_eq!(
        spf("mech.dom.sendercheck.test", "2001:db8::77", t)["result"],
        "pass"
    );
    let j = domain(
        &["alice@mech.dom.sendercheck.test", "--ip", "198.51.100.9"],
        t,
    )
    .1;
    assert_eq!(
        j["domain"]["spf"]["result"], "pass",
        "exists with %{{i}} and %{{l}}"
    );
    assert_eq!(
        spf("mech.dom.sendercheck.test", "192.0.2.10", t)["decided_by"],
        "a:mail.sendercheck.test/32"
    );
    // Limits: 11 includes, 3 void lookups; two records; a syntax error names its term.
    let j = spf("toomany.dom.sendercheck.test", "192.0.2.10", t);
    assert_eq!(j["result"], "permerror");
    assert!(j["problem"].as_str().unwrap().contains("10"), "{j}");
    let j = spf("void.dom.sendercheck.test", "192.0.2.10", t);
    assert_eq!(j["result"], "permerror");
    assert_eq!(j["void_lookups"], 3);
    assert_eq!(
        spf("two.dom.sendercheck.test", "192.0.2.10", t)["result"],
        "permerror"
    );
    let j = spf("syntax.dom.sendercheck.test", "192.0.2.10", t);
    assert_eq!(j["result"], "permerror");
    assert!(
        j["problem"].as_str().unwrap().contains("ip4:999.1.1.1"),
        "{j}"
    );
    assert_eq!(
        spf("spfservfail.dom.sendercheck.test", "192.0.2.10", t)["result"],
        "temperror"
    );
    // Advice beyond the result.
    let near = domain(&["nearlimit.dom.sendercheck.test", "--ip", "192.0.2.10"], t).1;
    assert_eq!(near["domain"]["spf"]["result"], "pass");
    assert!(ids(&near).contains(&"spf-lookups-near-limit".to_string()));
    for (d, id) in [
        ("plusall", "spf-plus-all"),
        ("neutral", "spf-neutral-all"),
        ("noall", "spf-no-all"),
        ("ptr", "spf-ptr"),
        ("missinginclude", "spf-include-missing"),
        ("oldtype", "spf-type-spf"),
    ] {
        let j = domain(
            &[&format!("{d}.dom.sendercheck.test"), "--ip", "192.0.2.10"],
            t,
        )
        .1;
        assert!(ids(&j).contains(&id.to_string()), "{d}: {:?}", ids(&j));
    }
    let fix = finding(
        &domain(&["plusall.dom.sendercheck.test", "--ip", "192.0.2.10"], t).1,
        "spf-plus-all",
    )["fix"]
        .clone();
    assert!(
        fix.as_str().unwrap().contains("-all") || fix.as_str().unwrap().contains("~all"),
        "{fix}"
    );
}

#[test]
fn dmarc_where_it_is_found_and_what_is_wrong_with_it() {
    let t = &transports()[1].1;
    let dmarc = |d: &str| domain(&[d], t).1["domain"]["dmarc"].clone();
    let j = dmarc("mail.org.dom.sendercheck.test");
    assert_eq!(j["result"], "pass");
    assert_eq!(j["found_at"], "_dmarc.org.dom.sendercheck.test");
    assert_eq!(j["org_domain"], "org.dom.sendercheck.test");
    assert_eq!(j["policy"], "quarantine", "sp= applies to a subdomain");
    let j = dmarc("mail.shop.psd.dom.sendercheck.test");
    assert_eq!(j["found_at"], "_dmarc.psd.dom.sendercheck.test");
    assert_eq!(
        j["org_domain"], "shop.psd.dom.sendercheck.test",
        "one label below the PSD"
    );
    let (run, all) = domain(&["baddmarc.dom.sendercheck.test"], t);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(all["domain"]["dmarc"]["errors"][0]
        .as_str()
        .unwrap()
        .contains("p=rejected"));
    assert_eq!(dmarc("dupdmarc.dom.sendercheck.test")["result"], "fail");
    let none = domain(&["nodmarc.dom.sendercheck.test"], t).1;
    assert_eq!(none["domain"]["dmarc"]["result"], "fail");
    assert_eq!(none["domain"]["dmarc"]["policy"], Value::Null);
    assert!(ids(&none).contains(&"dmarc-missing".to_string()));
    let nullmx = domain(&["nullmx.dom.sendercheck.test"], t).1;
    assert_eq!(nullmx["domain"]["mx"]["null_mx"], true);
    assert!(ids(&nullmx).contains(&"mx-null".to_string()));
}

#[test]
fn dkim_keys_of_every_kind() {
    let t = &transports()[0].1;
    let mut args = vec!["pass.dom.sendercheck.test"];
    for s in [
        "rsa2048", "rsa1024", "rsa512", "ed", "revoked", "testing", "broken", "sha1",
    ] {
        args.extend(["--dkim", s]);
    }
    let (run, j) = domain(&args, t);
    assert_eq!(run.code, 1);
    let keys = j["domain"]["dkim"].as_array().unwrap();
    let get = |s: &str| keys.iter().find(|k| k["selector"] == s).unwrap();
    assert_eq!(get("rsa1024")["result"], "pass");
    assert_eq!(get("rsa1024")["key_bits"], 1024);
    assert_eq!(get("rsa512")["result"], "fail");
    assert_eq!(get("ed")["key_type"], "ed25519");
    assert_eq!(get("ed")["result"], "pass");
    assert_eq!(get("revoked")["revoked"], true);
    assert_eq!(get("testing")["testing"], true);
    assert_eq!(get("broken")["result"], "fail");
    assert_eq!(get("sha1")["result"], "fail");
    let all = ids(&j);
    for id in [
        "dkim-short-key",
        "dkim-weak-key",
        "dkim-revoked",
        "dkim-invalid",
        "dkim-testing",
    ] {
        assert!(all.contains(&id.to_string()), "{id}: {all:?}");
    }
}

#[test]
fn ip_with_a_domain_adds_the_section() {
    let t = &transports()[0].1;
    let run = sendercheck(
        &[
            "ip",
            "192.0.2.30",
            "--domain",
            "pass.dom.sendercheck.test",
            "--json",
        ],
        t,
        None,
    );
    let j = run.json();
    assert_eq!(run.code, 1, "192.0.2.30 fails FCrDNS and SPF");
    assert_eq!(j["ip"], "192.0.2.30");
    assert_eq!(j["iprev"]["result"], "fail");
    assert_eq!(j["domain"]["spf"]["result"], "fail");
    assert_eq!(j["verdict"], "fail");
    let all = ids(&j);
    assert!(all.contains(&"iprev-fail".to_string()) && all.contains(&"spf-fail".to_string()));
    // The readable report has both.
    let run = sendercheck(
        &["ip", "192.0.2.10", "--domain", "pass.dom.sendercheck.test"],
        t,
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("PASS 192.0.2.10"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("PASS sending domain pass.dom.sendercheck.test"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Providers' requirements:"));

    // With where to fix it and the blocklists: one run, every section. 198.51.100.20 has no PTR
    // and DigitalOcean's reverse zone; the testbed refuses the public lists' zones (unknown).
    let args = [
        "ip",
        "198.51.100.20",
        "--domain",
        "pass.dom.sendercheck.test",
        "--blocklists",
        "--mta",
        "exim",
    ];
    let run = sendercheck(&[&args[..], &["--json"]].concat(), t, None);
    let j = run.json();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(j["reverse_zone"]["operator"]["id"], "digitalocean");
    assert_eq!(j["mta"]["id"], "exim");
    assert_eq!(j["domain"]["spf"]["result"], "fail");
    let lists = j["blocklists"].as_array().expect("blocklists");
    assert!(lists.len() >= 8 && lists.iter().all(|l| l["result"] == "unknown"));
    let all = ids(&j);
    for id in ["where-reverse-zone", "spf-fail"] {
        assert!(all.contains(&id.to_string()), "{id}: {all:?}");
    }
    let run = sendercheck(&args, t, None);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for part in [
        "DigitalOcean",
        "Spamhaus ZEN",
        "sending domain pass.dom.sendercheck.test",
    ] {
        assert!(run.stdout.contains(part), "{part}:\n{}", run.stdout);
    }
}

#[test]
fn bad_input_asks_nothing() {
    // An unreachable resolver: any question asked would show as a transport error instead.
    let dead = vec![
        "--resolver".to_string(),
        "http://127.0.0.1:9/dns-query".to_string(),
    ];
    for (args, message) in [
        (vec!["domain", "not a domain"], "is not a valid domain name"),
        (vec!["domain", "mailserver"], "single label"),
        (
            vec!["domain", "example.com", "--ip", "999.1.1.1"],
            "--ip: `999.1.1.1` is not an IPv4 address",
        ),
        (vec!["domain", "example.com", "--dkim", "s 1"], "--dkim"),
        (vec!["domain", "example.com", "--dkim", "s1..x"], "--dkim"),
        (
            vec!["ip", "-", "--domain", "example.com"],
            "--domain checks one address",
        ),
    ] {
        // Only `ip -` reads stdin; the others exit before reading it (no broken pipe).
        let stdin = (args[1] == "-").then_some("");
        let run = sendercheck(&args, &dead, stdin);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}
