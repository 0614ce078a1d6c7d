//! Where to fix it, against the testbed's zones whose SOA and NS name real operators' servers
//! (served by our NSD only): a cloud's reverse zone, an access ISP's, an RFC 2317 delegation to a
//! host, an unknown one, and forward zones at a Cloudflare-like and a Route 53-like host. Every
//! case on both transports.

mod common;

use common::{finding, ids, sendercheck, transports};
use serde_json::{json, Value};

fn ip_json(opts: &[String], args: &[&str]) -> (i32, Value) {
    let mut all = vec!["ip"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = sendercheck(&all, opts, None);
    assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    (run.code, run.json())
}

fn operator(zone: &Value) -> (&str, &str, &str, bool) {
    let op = &zone["operator"];
    (
        op["id"].as_str().unwrap(),
        op["kind"].as_str().unwrap(),
        op["matched_by"].as_str().unwrap(),
        op["certain"].as_bool().unwrap(),
    )
}

fn text<'a>(j: &'a Value, id: &str, field: &str) -> &'a str {
    finding(j, id)[field].as_str().unwrap()
}

#[test]
fn reverse_zone_of_a_cloud_an_isp_a_delegation_and_an_unknown_operator() {
    for (transport, opts) in transports() {
        // No PTR at DigitalOcean: set it there.
        let (code, j) = ip_json(&opts, &["198.51.100.20"]);
        let ctx = format!("{transport}: {j}");
        assert_eq!(code, 1, "{ctx}");
        let zone = &j["reverse_zone"];
        assert_eq!(zone["zone"], "100.51.198.in-addr.arpa", "{ctx}");
        assert_eq!(zone["primary_ns"], "ns1.digitalocean.com", "{ctx}");
        assert_eq!(
            zone["ns"],
            json!([
                "ns1.digitalocean.com",
                "ns2.digitalocean.com",
                "ns3.digitalocean.com"
            ]),
            "{ctx}"
        );
        assert_eq!(
            operator(zone),
            ("digitalocean", "cloud", "ns", true),
            "{ctx}"
        );
        assert_eq!(zone["operator"]["name"], "DigitalOcean");
        assert_eq!(
            zone["operator"]["url"],
            "https://docs.digitalocean.com/glossary/ptr-record/"
        );
        assert_eq!(zone["classless"], false);
        assert_eq!(
            text(&j, "where-reverse-zone", "title"),
            "The PTR of 198.51.100.20 is set at DigitalOcean"
        );
        assert!(text(&j, "where-reverse-zone", "fix")
            .starts_with("Set the PTR at DigitalOcean: rename the Droplet to mail.example.com"));
        assert_eq!(finding(&j, "where-reverse-zone")["check"], "where");
        assert_eq!(finding(&j, "where-reverse-zone")["severity"], "info");
        assert_eq!(j["forward_zones"], json!([]));
        assert!(j.get("mta").is_none());
        // The SOA rode along with the PTR question; the NS question came after.
        let asked: Vec<String> = j["queries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                format!(
                    "{} {}",
                    q["name"].as_str().unwrap(),
                    q["type"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            asked,
            [
                "20.100.51.198.in-addr.arpa PTR",
                "20.100.51.198.in-addr.arpa SOA",
                "100.51.198.in-addr.arpa NS"
            ],
            "{ctx}"
        );
        assert_eq!(
            j["queries"][1]["authority"][0]["name"],
            "100.51.198.in-addr.arpa"
        );

        // An access ISP's reverse zone (its SOA only; the data is assumed): say so, plainly.
        let (code, j) = ip_json(&opts, &["203.0.113.10"]);
        let ctx = format!("{transport}: {j}");
        assert_eq!(code, 1, "{ctx}");
        assert_eq!(
            operator(&j["reverse_zone"]),
            ("comcast", "access-isp", "ns", false),
            "{ctx}"
        );
        assert_eq!(
            text(&j, "where-reverse-zone", "title"),
            "203.0.113.10 looks like an address of Comcast's access network: its PTR cannot be set on a home line"
        );
        let fix = text(&j, "where-reverse-zone", "fix");
        assert!(
            fix.contains("on a residential line it cannot be changed at all"),
            "{fix}"
        );
        assert!(fix.contains("relay (smarthost)"), "{fix}");
        assert!(fix.contains("business line with a static IP"), "{fix}");
        // A generic PTR name there: the same advice.
        let (_, j) = ip_json(&opts, &["203.0.113.20"]);
        assert!(ids(&j).contains(&"rdns-generic".to_string()), "{j}");
        assert!(text(&j, "where-reverse-zone", "title").contains("home line"));

        // RFC 2317: the CNAME leads into the delegated zone, run (here) by Hetzner.
        let (code, j) = ip_json(&opts, &["192.0.2.71"]);
        let ctx = format!("{transport}: {j}");
        assert_eq!(code, 1, "{ctx}");
        let zone = &j["reverse_zone"];
        assert_eq!(zone["zone"], "64/26.2.0.192.in-addr.arpa", "{ctx}");
        assert_eq!(zone["classless"], true, "{ctx}");
        assert_eq!(zone["rname"], "postmaster.your-server.de");
        assert_eq!(operator(zone), ("hetzner", "hosting", "ns", false), "{ctx}");
        assert_eq!(
            text(&j, "where-reverse-zone", "title"),
            "The PTR of 192.0.2.71 is set at Hetzner (probably)"
        );
        assert!(text(&j, "where-reverse-zone", "detail").contains("RFC 2317 classless delegation"));

        // Nobody Sender Check knows: named by its name servers and SOA contact.
        let (_, j) = ip_json(&opts, &["192.0.2.50"]);
        let zone = &j["reverse_zone"];
        assert_eq!(zone["operator"], Value::Null, "{transport}: {j}");
        assert_eq!(zone["ns"], json!(["ns.sendercheck.test"]));
        assert_eq!(
            text(&j, "where-reverse-zone", "title"),
            "The reverse zone of 192.0.2.50 is run by the operator of `ns.sendercheck.test`"
        );
        assert!(text(&j, "where-reverse-zone", "fix").starts_with(
            "Ask whoever runs `ns.sendercheck.test` (SOA contact hostmaster@sendercheck.test)"
        ));

        // A passing check: the places are there, no where-to-fix finding.
        let (code, j) = ip_json(
            &opts,
            &["198.51.100.10", "--helo", "EHLO mail.cf.sendercheck.test"],
        );
        let ctx = format!("{transport}: {j}");
        assert_eq!(code, 0, "{ctx}");
        assert!(!ids(&j).iter().any(|i| i.starts_with("where-")), "{ctx}");
        let fwd = &j["forward_zones"];
        assert_eq!(fwd.as_array().unwrap().len(), 1, "{ctx}");
        assert_eq!(fwd[0]["name"], "mail.cf.sendercheck.test");
        assert_eq!(fwd[0]["zone"], "cf.sendercheck.test");
        assert_eq!(
            fwd[0]["ns"],
            json!(["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"])
        );
        assert_eq!(operator(&fwd[0]), ("cloudflare", "dns-host", "ns", true));
    }
}

#[test]
fn forward_zones_at_two_dns_hosts_and_the_mta_setting() {
    for (transport, opts) in transports() {
        // The PTR name resolves elsewhere and the EHLO name not at all: both zones at Route 53.
        let (code, j) = ip_json(
            &opts,
            &[
                "198.51.100.30",
                "--helo",
                "EHLO nx.r53.sendercheck.test",
                "--mta",
                "postfix",
            ],
        );
        let ctx = format!("{transport}: {j}");
        assert_eq!(code, 1, "{ctx}");
        let names: Vec<&str> = j["forward_zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["mismatch.r53.sendercheck.test", "nx.r53.sendercheck.test"],
            "{ctx}"
        );
        for z in j["forward_zones"].as_array().unwrap() {
            assert_eq!(z["zone"], "r53.sendercheck.test", "{ctx}");
            assert_eq!(operator(z), ("route53", "dns-host", "ns", true), "{ctx}");
        }
        let adds: Vec<&str> = j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == "where-forward-zone")
            .map(|f| f["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            adds,
            [
                "Add the A record of `mismatch.r53.sendercheck.test` at Amazon Route 53",
                "Add the A record of `nx.r53.sendercheck.test` at Amazon Route 53"
            ],
            "{ctx}"
        );
        // The EHLO name is the name to publish: the fix is in DNS, not in Postfix.
        assert!(!ids(&j).contains(&"where-mta".to_string()), "{ctx}");
        assert_eq!(
            j["mta"],
            json!({"id": "postfix", "name": "Postfix", "source": "given",
                                     "url": "https://www.postfix.org/postconf.5.html#smtp_helo_name"})
        );
        // The reverse zone is DigitalOcean's: the other way to fix a mismatch.
        assert!(text(&j, "where-reverse-zone", "fix")
            .contains("rename the Droplet to nx.r53.sendercheck.test"));

        // An invalid EHLO name: the user's MTA's own setting, file, reload and docs.
        let (_, j) = ip_json(
            &opts,
            &["198.51.100.30", "--helo", "EHLO localhost", "--mta", "Exim"],
        );
        let ctx = format!("{transport}: {j}");
        assert_eq!(
            text(&j, "where-mta", "title"),
            "Set the EHLO name in Exim",
            "{ctx}"
        );
        let fix = text(&j, "where-mta", "fix");
        assert!(
            fix.contains("helo_data = mismatch.r53.sendercheck.test\nthen: systemctl reload exim4"),
            "{fix}"
        );
        assert!(fix.ends_with(
            "Docs: https://www.exim.org/exim-html-current/doc/html/spec_html/ch-the_smtp_transport.html"
        ), "{fix}");
        let (_, j) = ip_json(
            &opts,
            &[
                "198.51.100.30",
                "--helo",
                "EHLO localhost",
                "--mta",
                "mailcow",
            ],
        );
        assert!(
            text(&j, "where-mta", "fix").contains("MAILCOW_HOSTNAME=mismatch.r53.sendercheck.test")
        );
    }
}

#[test]
fn readable_report_says_where() {
    let opts = &transports()[0].1;
    let run = sendercheck(&["ip", "198.51.100.20"], opts, None);
    let out = &run.stdout;
    assert_eq!(run.code, 1);
    assert!(
        out.contains("\n  rDNS   zone      100.51.198.in-addr.arpa, DigitalOcean (ns1.digitalocean.com, ns2.digitalocean.com, ns3.digitalocean.com)\n"),
        "{out}"
    );
    assert!(
        out.contains("\n[info] The PTR of 198.51.100.20 is set at DigitalOcean\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "\n      Set the PTR at DigitalOcean: rename the Droplet to mail.example.com (Droplets"
        ),
        "{out}"
    );
    assert!(
        out.contains("\n  100.51.198.in-addr.arpa NS → NOERROR: "),
        "{out}"
    );
    assert!(
        out.contains("\n  20.100.51.198.in-addr.arpa SOA → NXDOMAIN (authority: 100.51.198.in-addr.arpa 300 SOA ns1.digitalocean.com "),
        "{out}"
    );

    let run = sendercheck(
        &[
            "ip",
            "198.51.100.30",
            "--helo",
            "EHLO localhost",
            "--mta",
            "postfix",
        ],
        opts,
        None,
    );
    assert!(
        run.stdout.contains("\n  mta    given     Postfix\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "\n      smtp_helo_name = mismatch.r53.sendercheck.test\n      then: postfix reload\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn hosts_and_pastes_carry_the_places() {
    let opts = &transports()[1].1;
    let run = sendercheck(
        &[
            "host",
            "mail.cf.sendercheck.test",
            "--json",
            "--mta",
            "haraka",
        ],
        opts,
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let j = run.json();
    assert_eq!(j["mta"]["id"], "haraka");
    let a = &j["addresses"][0];
    assert_eq!(a["ip"], "198.51.100.10");
    assert_eq!(a["reverse_zone"]["operator"]["id"], "digitalocean");
    assert_eq!(a["forward_zones"][0]["operator"]["id"], "cloudflare");
    assert_eq!(a["mta"]["id"], "haraka");

    // A Postfix log line: the MTA is guessed from it.
    let log = "Nov 27 10:00:00 mx postfix/smtpd[1234]: connect from unknown[198.51.100.20]\n";
    let run = sendercheck(&["paste", "--json"], opts, Some(log));
    let j = run.json();
    assert_eq!(j["mta"]["id"], "postfix", "{j}");
    assert_eq!(j["mta"]["source"], "guessed");
    assert_eq!(j["reverse_zone"]["operator"]["id"], "digitalocean");
    assert!(ids(&j).contains(&"where-reverse-zone".to_string()));
}

#[test]
fn unknown_mta_is_a_usage_error() {
    let opts = &transports()[0].1;
    let run = sendercheck(&["ip", "192.0.2.10", "--mta", "notes"], opts, None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("unknown mail server; use one of: postfix, exim, sendmail"),
        "{}",
        run.stderr
    );
}
