//! `sendercheck paste` against the real NSD + dnsdist testbed (`testbed/run.sh exec -- …`): message
//! headers, Postfix and Exim log lines and configurations, EHLO lines, and text it must refuse.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{finding, sendercheck, transports, Run};
use sendercheck_core::paste::{extract, Format, MAX_PASTE};
use serde_json::{json, Value};

/// Gmail's view of a message from 192.0.2.10 (a pass case): Google's internal hop on top, the
/// entry hop, Google's SPF/DKIM/DMARC results, and the sender's own submission hop below.
const GMAIL_HEADERS: &str = "Delivered-To: bob@gmail.com
Received: by 2002:a05:7300:a4a0:b0:1a5:5b2a:9c4 with SMTP id qz32csp1234dyb;
        Fri, 27 Nov 2026 02:00:01 -0800 (PST)
Received: from mail.sendercheck.test (mail.sendercheck.test. [192.0.2.10])
        by mx.google.com with ESMTPS id abc
        for <bob@gmail.com>; Fri, 27 Nov 2026 02:00:00 -0800 (PST)
Received-SPF: pass (google.com: domain of alice@sendercheck.test designates 192.0.2.10 as permitted sender) client-ip=192.0.2.10;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@sendercheck.test header.s=s1;
       spf=pass (google.com: domain of alice@sendercheck.test designates 192.0.2.10 as permitted sender) smtp.mailfrom=alice@sendercheck.test;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=sendercheck.test
Received: from [10.0.0.5] (unknown [10.0.0.5]) by mail.sendercheck.test (Postfix) with ESMTPSA id 4Ab; Fri, 27 Nov 2026 10:00:00 +0000
From: Alice <alice@sendercheck.test>
Subject: test

Received: from quoted.example.org (quoted.example.org [203.0.113.9]) by body.example.net
";

/// A Postfix receiver's view of a message from 192.0.2.30 (a fail case: its PTR name resolves to
/// 192.0.2.31). The receiver recorded iprev=pass and the reverse name, as if DNS had changed since.
const POSTFIX_HEADERS: &str = "Return-Path: <alice@sendercheck.test>
Received: from mx.example.net (localhost [127.0.0.1]) by mx.example.net (Postfix) with ESMTP id 9XyZ; Fri, 27 Nov 2026 10:00:02 +0000
Authentication-Results: mx.example.net; iprev=pass policy.iprev=192.0.2.30 (mismatch.sendercheck.test); spf=softfail smtp.mailfrom=alice@sendercheck.test
Received: from mismatch.sendercheck.test (mismatch.sendercheck.test [192.0.2.30]) by mx.example.net (Postfix) with ESMTPS id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000
Subject: hi
";

fn http() -> Vec<String> {
    transports().remove(0).1
}

/// `sendercheck paste - --json` of `text` on the plain-HTTP resolver.
fn paste_json(text: &str) -> (Run, Value) {
    let run = sendercheck(&["paste", "-", "--json"], &http(), Some(text));
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    let j = run.json();
    (run, j)
}

/// The contract part of `extracted`: format, ip, helo, rdns_seen, sav.
fn contract(j: &Value) -> Value {
    let x = &j["extracted"];
    for key in ["format", "ip", "helo", "rdns_seen", "sav"] {
        assert!(x.get(key).is_some(), "extracted has no {key}: {x}");
    }
    json!({
        "format": x["format"], "ip": x["ip"], "helo": x["helo"],
        "rdns_seen": x["rdns_seen"], "sav": x["sav"],
    })
}

/// The top-level keys, without the sending domain's (`domain`, `requirements`), which a paste
/// that names a From domain adds; `sending_domain_of_pasted_headers` tests those.
fn keys(j: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = j
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| !["domain", "requirements"].contains(k))
        .collect();
    k.sort_unstable();
    k
}

/// The ids of the identity and paste findings, in order (the sending domain's are left out).
fn ids(j: &Value) -> Vec<String> {
    common::ids(j)
        .into_iter()
        .zip(j["findings"].as_array().unwrap())
        .filter(|(_, f)| {
            !["spf", "dmarc", "dkim", "alignment", "mx", "requirements"]
                .contains(&f["check"].as_str().unwrap())
        })
        .map(|(id, _)| id)
        .collect()
}

/// A file under Cargo's scratch directory for integration tests.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn gmail_headers_of_a_pass_case_on_both_transports() {
    for (transport, opts) in transports() {
        let run = sendercheck(&["paste", "--json"], &opts, Some(GMAIL_HEADERS));
        let ctx = format!("{transport}: {}", run.stdout);
        let j = run.json();
        assert_eq!(
            contract(&j),
            json!({"format": "headers", "ip": "192.0.2.10", "helo": "mail.sendercheck.test",
                   "rdns_seen": "mail.sendercheck.test", "sav": false}),
            "{ctx}"
        );
        let x = &j["extracted"];
        assert_eq!(x["chosen_hop"], 1, "{ctx}");
        let roles: Vec<&str> = x["hops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["role"].as_str().unwrap())
            .collect();
        assert_eq!(
            roles,
            ["receiver", "entry", "sender"],
            "the body's Received line is not a hop: {ctx}"
        );
        assert_eq!(x["reason"], "Received header 2 is where mx.google.com took the message from a client outside the receiver. The header above it was added inside the receiver.", "{ctx}");
        let receiver: Vec<(&str, &Value)> = x["receiver"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["header"].as_str().unwrap(), &a["authserv_id"]))
            .collect();
        assert_eq!(
            receiver,
            [
                ("Received-SPF", &Value::Null),
                ("Authentication-Results", &json!("mx.google.com"))
            ],
            "{ctx}"
        );
        // The same fields as `sendercheck ip 192.0.2.10 --helo mail.sendercheck.test --json`.
        assert_eq!(j["ip"], "192.0.2.10", "{ctx}");
        assert_eq!(j["iprev"]["result"], "pass", "{ctx}");
        assert_eq!(
            j["iprev"]["confirmed"],
            json!(["mail.sendercheck.test"]),
            "{ctx}"
        );
        assert_eq!(j["helo"]["name"], "mail.sendercheck.test", "{ctx}");
        assert_eq!(j["helo"]["result"], "pass", "{ctx}");
        assert_eq!(j["verdict"], "pass", "{ctx}");
        assert_eq!(
            ids(&j),
            [
                "iprev-pass",
                "rdns-not-generic",
                "helo-pass",
                "receiver-results"
            ],
            "{ctx}"
        );
        assert_eq!(
            finding(&j, "receiver-results")["title"],
            "The receiver recorded spf=pass, dkim=pass, dmarc=pass",
            "{ctx}"
        );
        assert_eq!(run.code, 0, "{ctx}");
        assert!(run.stderr.is_empty(), "{ctx}: {}", run.stderr);
    }
}

#[test]
fn postfix_headers_of_a_fail_case_compare_with_the_receiver() {
    let (run, j) = paste_json(POSTFIX_HEADERS);
    assert_eq!(
        contract(&j),
        json!({"format": "headers", "ip": "192.0.2.30", "helo": "mismatch.sendercheck.test",
               "rdns_seen": "mismatch.sendercheck.test", "sav": false})
    );
    assert_eq!(j["extracted"]["chosen_hop"], 1);
    assert_eq!(j["ip"], "192.0.2.30");
    assert_eq!(j["iprev"]["result"], "fail");
    assert_eq!(j["iprev"]["ptr"], json!(["mismatch.sendercheck.test"]));
    assert_eq!(j["helo"]["result"], "fail");
    assert_eq!(j["verdict"], "fail");
    assert_eq!(run.code, 1);
    let got = ids(&j);
    for id in [
        "iprev-fail",
        "helo-mismatch",
        "receiver-auth-fail",
        "receiver-iprev-differs",
        "receiver-rdns-differs",
    ] {
        assert!(got.iter().any(|g| g == id), "no {id} in {got:?}");
    }
    assert_eq!(got[0], "iprev-fail", "most severe first: {got:?}");
    assert_eq!(
        finding(&j, "receiver-iprev-differs")["title"],
        "The receiver recorded iprev=pass; this check finds iprev=fail"
    );
    assert_eq!(
        finding(&j, "receiver-auth-fail")["title"],
        "The receiver's own results include spf=softfail"
    );
    assert!(finding(&j, "receiver-rdns-differs")["detail"]
        .as_str()
        .unwrap()
        .starts_with("The receiver recorded the reverse name mismatch.sendercheck.test for 192.0.2.30, but the forward-confirmed names now are: none."));
}

#[test]
fn readable_report_of_headers() {
    let run = sendercheck(&["paste"], &http(), Some(GMAIL_HEADERS));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..17],
        [
            "Pasted: message headers",
            "  Received header 2 is where mx.google.com took the message from a client outside the receiver. The header above it was added inside the receiver.",
            "  IP         192.0.2.10",
            "  EHLO       mail.sendercheck.test",
            "  rDNS seen  mail.sendercheck.test",
            "",
            "  Received headers, newest first (> marks the one checked):",
            "    #  role      EHLO                   rDNS                   IP          by",
            "    1  receiver  -                      -                      -           2002:a05:7300:a4a0:b0:1a5:5b2a:9c4",
            "  > 2  entry     mail.sendercheck.test  mail.sendercheck.test  192.0.2.10  mx.google.com",
            "    3  sender    [10.0.0.5]             unknown                10.0.0.5    mail.sendercheck.test",
            "",
            "  The receiver's own results:",
            "    Received-SPF: spf=pass",
            "    Authentication-Results by mx.google.com: dkim=pass spf=pass dmarc=pass",
            "",
            "PASS 192.0.2.10: iprev=pass helo=pass — Reverse DNS of 192.0.2.10 is forward-confirmed (`mail.sendercheck.test`)",
        ],
        "{}",
        run.stdout
    );
    // The check's findings, then the paste's own under their heading, then the DNS evidence.
    let at = |needle: &str| {
        run.stdout
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in {}", run.stdout))
    };
    assert!(
        at("[ok] EHLO name `mail.sendercheck.test` matches the reverse DNS")
            < at("\nFrom the paste:\n")
    );
    assert!(
        at("\nFrom the paste:\n")
            < at("[ok] The receiver recorded spf=pass, dkim=pass, dmarc=pass")
    );
    assert!(
        at("[ok] The receiver recorded spf=pass") < at("DNS questions asked of http://127.0.0.1:")
    );
    assert!(run
        .stdout
        .contains("  10.2.0.192.in-addr.arpa PTR → NOERROR: 10.2.0.192.in-addr.arpa 300 PTR mail.sendercheck.test\n"));
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when not a terminal"
    );
}

#[test]
fn postfix_log_lines() {
    let (run, j) = paste_json(
        "Nov 27 10:00:00 mx postfix/smtpd[1234]: connect from unknown[192.0.2.50]\n\
         Nov 27 10:00:01 mx postfix/smtpd[1234]: NOQUEUE: reject: RCPT from unknown[192.0.2.50]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.50]; from=<a@sendercheck.test> to=<b@example.net> proto=ESMTP helo=<Mail.SenderCheck.test>\n",
    );
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-log", "ip": "192.0.2.50", "helo": "mail.sendercheck.test",
               "rdns_seen": null, "sav": false})
    );
    assert_eq!(j["iprev"]["result"], "permerror");
    assert_eq!(j["helo"]["result"], "fail");
    assert_eq!(j["verdict"], "fail");
    assert_eq!(ids(&j)[0], "iprev-no-ptr");
    assert_eq!(run.code, 1);

    let (run, j) = paste_json(
        "Nov 27 10:00:00 mx postfix/smtpd[99]: connect from mail.sendercheck.test[192.0.2.10]",
    );
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-log", "ip": "192.0.2.10", "helo": null,
               "rdns_seen": "mail.sendercheck.test", "sav": false})
    );
    assert_eq!(j["iprev"]["result"], "pass");
    assert!(j.get("helo").is_none(), "no EHLO name, no helo check: {j}");
    assert_eq!(j["verdict"], "pass");
    assert_eq!(run.code, 0);
}

#[test]
fn exim_log_lines() {
    let (run, j) = paste_json("2026-11-27 10:00:00 1tAbCd-000123-Ef <= alice@sendercheck.test H=mail.sendercheck.test [2001:db8::10]:41234 P=esmtps S=1234");
    assert_eq!(
        contract(&j),
        json!({"format": "exim-log", "ip": "2001:db8::10", "helo": "mail.sendercheck.test",
               "rdns_seen": "mail.sendercheck.test", "sav": false})
    );
    assert_eq!(j["iprev"]["result"], "pass");
    assert_eq!(j["helo"]["result"], "pass");
    assert_eq!(run.code, 0);

    // 192.0.2.60: the resolver answers SERVFAIL.
    let (run, j) = paste_json("2026-11-27 10:00:00 1tAbCd-000123-Ef <= alice@sendercheck.test H=(mail.sendercheck.test) [192.0.2.60]:41234 P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 S=1234");
    assert_eq!(
        contract(&j),
        json!({"format": "exim-log", "ip": "192.0.2.60", "helo": "mail.sendercheck.test",
               "rdns_seen": null, "sav": false})
    );
    assert_eq!(j["iprev"]["result"], "temperror");
    assert_eq!(j["verdict"], "temperror");
    assert!(ids(&j).contains(&"iprev-temperror".to_string()));
    assert_eq!(run.code, 3);
}

#[test]
fn postfix_config_with_sender_address_verification() {
    let main_cf = "# main.cf\nsmtpd_sender_restrictions = permit_mynetworks, reject_unverified_sender\naddress_verify_map = btree:$data_directory/verify_cache\n";
    let (run, j) = paste_json(main_cf);
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-config", "ip": null, "helo": null, "rdns_seen": null, "sav": true})
    );
    assert_eq!(
        j["extracted"]["sav_lines"],
        json!([{"line": 2,
                "text": "smtpd_sender_restrictions = permit_mynetworks, reject_unverified_sender",
                "replacement": "smtpd_sender_restrictions = permit_mynetworks"}])
    );
    // Neither an address nor a host name: no DNS check, only the paste's findings, and the MTA
    // the paste shows with where it turns callouts off.
    assert_eq!(
        keys(&j),
        ["elapsed_ms", "extracted", "findings", "mta", "verdict"]
    );
    assert_eq!(ids(&j), ["sav-callout", "where-sav"]);
    assert_eq!(j["mta"]["id"], "postfix");
    assert_eq!(j["mta"]["source"], "guessed");
    let f = finding(&j, "sav-callout");
    assert_eq!(f["severity"], "warning");
    assert_eq!(
        f["title"],
        "Sender Address Verification (callouts) is on: line 2"
    );
    assert!(f["detail"].as_str().unwrap().contains("dictionary-harvest"));
    // Callouts are a warning: only an error-severity finding fails a paste (PasteReport::verdict).
    assert_eq!(j["verdict"], "pass");
    assert_eq!(run.code, 0);

    let run = sendercheck(&["paste"], &http(), Some(main_cf));
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..15],
        [
            "Pasted: a Postfix main.cf",
            "  The EHLO name is not known from this file.",
            "  IP         (not in the paste)",
            "  EHLO       (not in the paste)",
            "  SAV        on (line 2)",
            "  Note: smtp_helo_name is $myhostname, which needs myhostname; myhostname is not set here, so Postfix uses the machine's host name (what `postconf myhostname` prints). Set it explicitly: myhostname = mail.example.com",
            "",
            "  Settings read:",
            "    line 3  address_verify_map = btree:$data_directory/verify_cache",
            "",
            "  Lines that turn on Sender Address Verification:",
            "    line 2  smtpd_sender_restrictions = permit_mynetworks, reject_unverified_sender",
            "            instead: smtpd_sender_restrictions = permit_mynetworks",
            "",
            "PASS nothing to look up in DNS: the paste names no sending address and no EHLO name",
        ],
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("\n[warning] Sender Address Verification (callouts) is on: line 2\n"));
}

#[test]
fn exim_config_with_callout_and_interface() {
    let configure = "primary_hostname = mx2.sendercheck.test\nbegin acl\nacl_check_rcpt:\n  require verify = sender/callout=30s,defer_ok\nbegin transports\nremote_smtp:\n  driver = smtp\n  interface = 192.0.2.20\n";
    let (run, j) = paste_json(configure);
    assert_eq!(
        contract(&j),
        json!({"format": "exim-config", "ip": "192.0.2.20", "helo": "mx2.sendercheck.test",
               "rdns_seen": null, "sav": true})
    );
    assert_eq!(
        j["extracted"]["sav_lines"],
        json!([{"line": 4, "text": "require verify = sender/callout=30s,defer_ok",
                "replacement": "require verify = sender"}])
    );
    assert_eq!(j["iprev"]["result"], "pass");
    assert_eq!(j["iprev"]["confirmed"], json!(["mx2.sendercheck.test"]));
    assert_eq!(j["helo"]["result"], "pass");
    let got = ids(&j);
    assert!(got.contains(&"sav-callout".to_string()), "{got:?}");
    assert!(got.contains(&"ptr-multiple".to_string()), "{got:?}");
    // With an address to check, the DNS check decides the verdict (PasteReport::verdict); the
    // SAV warning is reported but does not change it.
    assert_eq!(j["verdict"], "pass");
    assert_eq!(run.code, 0);
}

#[test]
fn postfix_config_with_bind_address() {
    let (run, j) = paste_json("myhostname = mail.sendercheck.test\nmydomain = sendercheck.test\nsmtp_helo_name = $myhostname\nsmtp_bind_address = 192.0.2.10\n");
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-config", "ip": "192.0.2.10", "helo": "mail.sendercheck.test",
               "rdns_seen": null, "sav": false})
    );
    assert_eq!(
        j["extracted"]["settings"],
        json!([
            {"line": 1, "name": "myhostname", "value": "mail.sendercheck.test"},
            {"line": 2, "name": "mydomain", "value": "sendercheck.test"},
            {"line": 3, "name": "smtp_helo_name", "value": "$myhostname"},
            {"line": 4, "name": "smtp_bind_address", "value": "192.0.2.10"},
        ])
    );
    assert_eq!(j["ip"], "192.0.2.10");
    assert_eq!(j["iprev"]["result"], "pass");
    assert_eq!(j["helo"]["result"], "pass");
    assert_eq!(ids(&j), ["iprev-pass", "rdns-not-generic", "helo-pass"]);
    assert_eq!(run.code, 0);

    // 192.0.2.20 has two PTR names; mx1 does not confirm, so announcing it fails.
    let (run, j) =
        paste_json("myhostname = mx1.sendercheck.test\nsmtp_bind_address = 192.0.2.20\n");
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-config", "ip": "192.0.2.20", "helo": "mx1.sendercheck.test",
               "rdns_seen": null, "sav": false})
    );
    assert_eq!(j["iprev"]["result"], "pass");
    assert_eq!(j["helo"]["result"], "fail");
    assert!(ids(&j).contains(&"helo-mismatch".to_string()));
    assert_eq!(run.code, 1);
}

/// (address, iprev result) of each address of a `host`-style report.
fn addresses(j: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["ip"].as_str().unwrap().to_string(),
                a["iprev"]["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn config_with_only_a_host_name_checks_every_address() {
    let (run, j) = paste_json("myhostname = mail.sendercheck.test\n");
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-config", "ip": null, "helo": "mail.sendercheck.test",
               "rdns_seen": null, "sav": false})
    );
    assert_eq!(
        keys(&j),
        [
            "addresses",
            "elapsed_ms",
            "extracted",
            "findings",
            "host",
            "mta",
            "verdict"
        ]
    );
    assert_eq!(j["host"], "mail.sendercheck.test");
    assert_eq!(
        addresses(&j),
        [
            ("192.0.2.10".to_string(), "pass".to_string()),
            ("2001:db8::10".to_string(), "pass".to_string())
        ]
    );
    assert!(j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["helo"]["name"] == "mail.sendercheck.test" && a["helo"]["result"] == "pass"));
    assert_eq!(ids(&j), Vec::<String>::new());
    assert_eq!(j["verdict"], "pass");
    assert_eq!(run.code, 0);

    let (run, j) = paste_json("primary_hostname = multi.sendercheck.test\n");
    assert_eq!(j["extracted"]["format"], "exim-config");
    assert_eq!(j["host"], "multi.sendercheck.test");
    assert_eq!(
        addresses(&j),
        [
            ("192.0.2.120".to_string(), "permerror".to_string()),
            ("192.0.2.121".to_string(), "pass".to_string())
        ]
    );
    assert_eq!(j["verdict"], "fail");
    assert_eq!(run.code, 1);
}

#[test]
fn sav_beside_a_host_check() {
    let main_cf = "myhostname = mail.sendercheck.test\nsmtpd_recipient_restrictions = permit_mynetworks,\n    reject_unverified_sender\n";
    let (run, j) = paste_json(main_cf);
    assert_eq!(
        contract(&j),
        json!({"format": "postfix-config", "ip": null, "helo": "mail.sendercheck.test",
               "rdns_seen": null, "sav": true})
    );
    assert_eq!(j["extracted"]["sav_lines"][0]["line"], 2);
    assert_eq!(j["host"], "mail.sendercheck.test");
    // The paste's findings are top-level; each address keeps its own.
    assert_eq!(ids(&j), ["sav-callout", "where-sav"]);
    assert_eq!(j["addresses"][0]["findings"][0]["id"], "iprev-pass", "{j}");
    // As with an address, the DNS check decides the verdict.
    assert_eq!(j["verdict"], "pass");
    assert_eq!(run.code, 0);

    let run = sendercheck(&["paste"], &http(), Some(main_cf));
    let out = &run.stdout;
    assert!(out.starts_with("Pasted: a Postfix main.cf\n"), "{out}");
    assert!(out.contains("\n  SAV        on (line 2)\n"), "{out}");
    assert!(
        out.contains("\nPASS 192.0.2.10: iprev=pass helo=pass"),
        "{out}"
    );
    assert!(
        out.contains("\nPASS 2001:db8::10: iprev=pass helo=pass"),
        "{out}"
    );
    let paste_part = out.rfind("\nFrom the paste:\n").expect("paste findings");
    assert!(
        paste_part > out.rfind("Checked in").unwrap(),
        "after both addresses: {out}"
    );
    assert!(out[paste_part..]
        .contains("[warning] Sender Address Verification (callouts) is on: line 2"));
}

#[test]
fn ehlo_lines() {
    let (run, j) = paste_json("EHLO mail.sendercheck.test\n");
    assert_eq!(
        contract(&j),
        json!({"format": "ehlo", "ip": null, "helo": "mail.sendercheck.test", "rdns_seen": null, "sav": false})
    );
    assert_eq!(j["host"], "mail.sendercheck.test");
    assert_eq!(addresses(&j).len(), 2);
    assert_eq!(run.code, 0);

    let (run, j) = paste_json("HELO nxhelo.sendercheck.test");
    assert_eq!(j["extracted"]["helo"], "nxhelo.sendercheck.test");
    assert_eq!(j["addresses"], json!([]));
    assert!(j["error"].as_str().unwrap().contains("NXDOMAIN"), "{j}");
    assert_eq!(run.code, 1);

    // Not a host name: nothing to look up, the EHLO argument's own finding decides.
    let (run, j) = paste_json("EHLO localhost");
    assert_eq!(
        contract(&j),
        json!({"format": "ehlo", "ip": null, "helo": "localhost", "rdns_seen": null, "sav": false})
    );
    assert_eq!(keys(&j), ["elapsed_ms", "extracted", "findings", "verdict"]);
    assert_eq!(ids(&j), ["helo-invalid"]);
    assert_eq!(finding(&j, "helo-invalid")["severity"], "error");
    assert_eq!(j["verdict"], "fail");
    assert_eq!(run.code, 1);

    let run = sendercheck(&["paste"], &http(), Some("EHLO localhost"));
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("Pasted: an EHLO line\n  The EHLO argument is the first word after `EHLO`.\n  IP         (not in the paste)\n  EHLO       localhost\n\nFAIL nothing to look up in DNS: the paste names no sending address, and the EHLO argument `localhost` is not a host name\n\n[error] EHLO argument `localhost` is not a usable host name\n"), "{}", run.stdout);
}

#[test]
fn unrecognised_text_lists_the_formats() {
    let expected = |text: &str| {
        let e = extract(text).unwrap_err();
        format!("sendercheck: {}\n", e.to_string().trim_end())
    };
    for text in [
        "hello there, my mail bounces\nplease help\n",
        "192.0.2.10\n",
        "",
        " \n\t\n",
    ] {
        for json in [false, true] {
            let mut args = vec!["paste"];
            if json {
                args.push("--json");
            }
            let run = sendercheck(&args, &http(), Some(text));
            assert_eq!(run.code, 2, "{text:?}");
            assert_eq!(
                run.stdout, "",
                "{text:?}: nothing on stdout, also with --json"
            );
            assert_eq!(run.stderr, expected(text), "{text:?}");
            for f in Format::ALL {
                let line = format!("\n- {}: {}\n", f.describe(), f.sample());
                assert!(run.stderr.contains(&line), "{text:?}: no {line:?}");
            }
        }
    }
    let run = sendercheck(&["paste"], &http(), Some("hello there"));
    assert!(run.stderr.starts_with("sendercheck: The paste has no bounce or SMTP reply, no Received header, no Postfix or Exim log line naming a client address, no Postfix or Exim settings and no EHLO line. Paste one of these:\n- a bounce (a delivery failure report or the receiver's SMTP reply): 550-5.7.25 [192.0.2.10]"), "{}", run.stderr);
    let run = sendercheck(&["paste"], &http(), Some(""));
    assert!(
        run.stderr
            .starts_with("sendercheck: Nothing was pasted. Paste one of these:\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn unreadable_files_are_usage_errors() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-paste.eml");
    let path = missing.to_str().unwrap();
    let run = sendercheck(&["paste", path, "--json"], &http(), None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("sendercheck: cannot read {path}: No such file or directory (os error 2)\n")
    );
    let dir = env!("CARGO_TARGET_TMPDIR");
    let run = sendercheck(&["paste", dir], &http(), None);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!("sendercheck: cannot read {dir}: Is a directory (os error 21)\n")
    );
}

#[test]
fn file_stdin_and_dash_read_the_same_paste() {
    // Bytes that are not UTF-8 (a raw Latin-1 subject) are replaced, not refused.
    let (head, tail) = GMAIL_HEADERS.split_once("Subject: test").unwrap();
    let bytes = [head.as_bytes(), b"Subject: caf\xe9", tail.as_bytes()].concat();
    let path = scratch("gmail-latin1.eml", &bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let from_file = sendercheck(&["paste", path.to_str().unwrap(), "--json"], &http(), None);
    let from_dash = sendercheck(&["paste", "-", "--json"], &http(), Some(&text));
    let from_default = sendercheck(&["paste", "--json"], &http(), Some(&text));
    for run in [&from_file, &from_dash, &from_default] {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let j = run.json();
        assert_eq!(
            contract(&j),
            json!({"format": "headers", "ip": "192.0.2.10", "helo": "mail.sendercheck.test",
                   "rdns_seen": "mail.sendercheck.test", "sav": false})
        );
        assert_eq!(j["iprev"]["result"], "pass");
    }
}

#[test]
fn oversized_pastes_are_refused() {
    // Exactly MAX_PASTE bytes are read.
    let mut text = String::from("EHLO mail.sendercheck.test\n");
    text.push_str(&"\n".repeat(MAX_PASTE - text.len()));
    let (run, j) = paste_json(&text);
    assert_eq!(j["extracted"]["format"], "ehlo");
    assert_eq!(run.code, 0);

    // One byte more is refused, from a file ...
    text.push('\n');
    let path = scratch("oversized.txt", text.as_bytes());
    let run = sendercheck(&["paste", path.to_str().unwrap()], &http(), None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("sendercheck: {} holds more than 4194304 bytes (4 MiB), the most a paste may be; message headers are a few kilobytes\n", path.display())
    );

    // ... and from an endless stdin, which is not read to its end.
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sendercheck"))
        .args(["paste", "-"])
        .args(http())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        let mut written = 0usize;
        // Ends when the reader closes the pipe (EPIPE).
        while input.write_all(&chunk).is_ok() {
            written += chunk.len();
            if written > 64 * MAX_PASTE {
                break;
            }
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sendercheck: stdin holds more than 4194304 bytes (4 MiB), the most a paste may be; message headers are a few kilobytes\n"
    );
    assert!(
        written < 2 * MAX_PASTE,
        "stopped reading early: {written} bytes written"
    );
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn another_hop_by_number() {
    // Hop 3 is the sender's submission hop from 10.0.0.5: a private address.
    let run = sendercheck(
        &["paste", "--json", "--hop", "3"],
        &http(),
        Some(GMAIL_HEADERS),
    );
    let j = run.json();
    assert_eq!(j["extracted"]["chosen_hop"], 2);
    assert_eq!(j["extracted"]["ip"], "10.0.0.5");
    assert_eq!(
        j["extracted"]["reason"],
        "Received header 3 was picked by hand."
    );
    assert!(
        ids(&j).contains(&"ip-not-public".to_string()),
        "{}",
        run.stdout
    );
    // The receiver's verdicts are about 192.0.2.10, not the picked hop.
    assert!(
        ids(&j).contains(&"receiver-ip-differs".to_string()),
        "{}",
        run.stdout
    );

    for (hop, message) in [
        (
            "0",
            "sendercheck: --hop 0: the paste has Received headers 1 to 3",
        ),
        (
            "4",
            "sendercheck: --hop 4: the paste has Received headers 1 to 3",
        ),
    ] {
        let run = sendercheck(&["paste", "--hop", hop], &http(), Some(GMAIL_HEADERS));
        assert_eq!(run.code, 2);
        assert_eq!(run.stderr.trim_end(), message);
        assert_eq!(run.stdout, "");
    }
    let run = sendercheck(
        &["paste", "--hop", "1"],
        &http(),
        Some("EHLO mail.sendercheck.test"),
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "sendercheck: --hop 1: the paste has no Received header"
    );
}

#[test]
fn sending_domain_of_pasted_headers() {
    let text = "Return-Path: <bounce@pass.dom.sendercheck.test>\n\
Received: from mail.sendercheck.test (mail.sendercheck.test [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 1; Fri, 27 Nov 2026 10:00:00 +0000\n\
DKIM-Signature: v=1; a=rsa-sha256; d=pass.dom.sendercheck.test; s=rsa2048; h=from; bh=x; b=y\n\
From: Alice <alice@pass.dom.sendercheck.test>\n";
    let (run, j) = paste_json(text);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let sender = &j["extracted"]["sender"];
    assert_eq!(sender["from"], "alice@pass.dom.sendercheck.test");
    assert_eq!(sender["mail_from"], "bounce@pass.dom.sendercheck.test");
    assert_eq!(sender["dkim"][0]["selector"], "rsa2048");
    let d = &j["domain"];
    assert_eq!(d["name"], "pass.dom.sendercheck.test");
    assert_eq!(d["mail_from"], "bounce@pass.dom.sendercheck.test");
    assert_eq!(d["spf"]["result"], "pass");
    assert_eq!(d["dmarc"]["result"], "pass");
    assert_eq!(d["dkim"][0]["result"], "pass");
    assert_eq!(d["alignment"]["spf"], true);
    assert!(j["requirements"].as_array().unwrap().len() > 20);
    // The readable report has the domain section after the server's.
    let run = sendercheck(&["paste", "-"], &http(), Some(text));
    assert!(
        run.stdout
            .contains("PASS sending domain pass.dom.sendercheck.test"),
        "{}",
        run.stdout
    );
    // A configuration names the origin domain: Postfix myorigin, Exim qualify_domain.
    let (_, j) =
        paste_json("myhostname = mail.sendercheck.test\nmyorigin = pass.dom.sendercheck.test\n");
    assert_eq!(
        j["extracted"]["sender"]["from"],
        "pass.dom.sendercheck.test"
    );
    assert_eq!(j["domain"]["dmarc"]["policy"], "reject");
    let (_, j) = paste_json(
        "primary_hostname = mail.sendercheck.test\nqualify_domain = pass.dom.sendercheck.test\n",
    );
    assert_eq!(
        j["extracted"]["sender"]["from"],
        "pass.dom.sendercheck.test"
    );
}
