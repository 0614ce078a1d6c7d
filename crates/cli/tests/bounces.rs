//! `sendercheck blocklists`, `ip --blocklists` and bounce pastes against the real NSD + dnsdist
//! testbed (`testbed/run.sh exec -- …`), on HTTP and HTTPS. Only the testbed's lists under
//! `bl.sendercheck.test` are asked (`--blocklist`): a real list is never queried.

mod common;

use common::{finding, ids, sendercheck, transports};
use serde_json::Value;

const ZEN: &str = "zen.bl.sendercheck.test";
const CLEAN: &str = "clean.bl.sendercheck.test";
const ERRORS: &str = "errors.bl.sendercheck.test";
const NOTEST: &str = "notest.bl.sendercheck.test";
const WILD: &str = "wild.bl.sendercheck.test";

fn lists(zones: &[&str]) -> Vec<String> {
    zones
        .iter()
        .flat_map(|z| ["--blocklist".to_string(), z.to_string()])
        .collect()
}

/// Runs `sendercheck ARGS --blocklist ZONES… --json` on every transport; returns (exit, JSON).
fn each(args: &[&str], zones: &[&str], stdin: Option<&str>, check: impl Fn(&str, i32, &Value)) {
    for (name, resolver) in transports() {
        let mut extra = lists(zones);
        extra.push("--json".into());
        extra.extend(resolver);
        let run = sendercheck(args, &extra, stdin);
        assert!(run.stderr.is_empty(), "{name}: stderr {}", run.stderr);
        check(name, run.code, &run.json());
    }
}

fn by_zone<'a>(j: &'a Value, zone: &str) -> &'a Value {
    j["blocklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["zone"] == zone)
        .unwrap_or_else(|| panic!("no {zone} in {j}"))
}

#[test]
fn a_listing_is_decoded_with_its_reason_and_exits_1() {
    each(
        &["blocklists", "203.0.113.9"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!(code, 1, "{t}");
            assert_eq!(j["ip"], "203.0.113.9");
            assert_eq!(j["verdict"], "fail");
            let zen = by_zone(j, ZEN);
            assert_eq!(zen["result"], "listed", "{t}");
            assert_eq!(zen["codes"], serde_json::json!(["127.0.0.2", "127.0.0.4"]));
            assert_eq!(zen["reason"], "testbed: 203.0.113.9 is listed (SBL, XBL)");
            assert_eq!(zen["test_point"], "listed");
            for key in [
                "zone",
                "name",
                "result",
                "codes",
                "meaning",
                "reason",
                "delist_url",
                "kind",
            ] {
                assert!(zen.get(key).is_some(), "{t}: no {key}");
            }
            assert_eq!(by_zone(j, CLEAN)["result"], "not-listed");
            assert_eq!(ids(j), ["blocklist-listed", "blocklist-clear"]);
            // All four questions of each list, in the evidence.
            assert_eq!(j["queries"].as_array().unwrap().len(), 8);
        },
    );
}

#[test]
fn a_clean_address_exits_0() {
    each(
        &["blocklists", "203.0.113.8"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!((code, &j["verdict"]), (0, &Value::from("pass")), "{t}");
            assert!(j["blocklists"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["result"] == "not-listed"));
        },
    );
}

/// Error codes, a missing test point, a wildcard and a zone no server answers: unknown, never
/// "not listed"; with no listing the status is 3.
#[test]
fn lists_that_cannot_be_trusted_are_unknown() {
    let zones = [ERRORS, NOTEST, WILD, "nothere.example", CLEAN];
    each(
        &["blocklists", "203.0.113.9"],
        &zones,
        None,
        |t, code, j| {
            assert_eq!(code, 3, "{t}");
            assert_eq!(j["verdict"], "temperror");
            for (zone, reason) in [
                (
                    ERRORS,
                    "it answered 127.255.255.254: the list refuses this resolver",
                ),
                (NOTEST, "it does not list its test point 127.0.0.2"),
                (WILD, "it lists 127.0.0.1, which no list may"),
                ("nothere.example", "the resolver answered REFUSED"),
            ] {
                let l = by_zone(j, zone);
                assert_eq!(l["result"], "unknown", "{t} {zone}");
                assert!(
                    l["reason"].as_str().unwrap().contains(reason),
                    "{t} {zone}: {}",
                    l["reason"]
                );
            }
            // notest did list the address, but without its test point that counts for nothing.
            assert_eq!(
                by_zone(j, NOTEST)["codes"],
                serde_json::json!(["127.0.0.2"])
            );
            assert_eq!(by_zone(j, CLEAN)["result"], "not-listed");
            assert_eq!(
                ids(j).iter().filter(|i| *i == "blocklist-unknown").count(),
                4
            );
        },
    );
}

#[test]
fn ipv6_addresses_are_asked_by_nibbles_with_the_ipv6_test_point() {
    each(
        &["blocklists", "2001:DB8::9"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!(code, 1, "{t}");
            assert_eq!(j["ip"], "2001:db8::9");
            assert_eq!(by_zone(j, ZEN)["codes"], serde_json::json!(["127.0.0.3"]));
            assert_eq!(by_zone(j, CLEAN)["result"], "not-listed");
            let q = j["queries"][0]["name"].as_str().unwrap();
            assert_eq!(q, "9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.bl.sendercheck.test");
        },
    );
}

#[test]
fn ip_with_blocklists_adds_them_and_a_listing_fails_a_passing_address() {
    each(
        &["ip", "192.0.2.20", "--blocklists"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!(j["iprev"]["result"], "pass", "{t}");
            assert_eq!((code, &j["verdict"]), (1, &Value::from("fail")), "{t}");
            assert_eq!(by_zone(j, ZEN)["result"], "listed");
            assert_eq!(finding(j, "blocklist-listed")["severity"], "error");
            assert!(ids(j).contains(&"iprev-pass".to_string()));
        },
    );
    // Without --blocklists (or a list option) nothing changes.
    for (t, resolver) in transports() {
        let run = sendercheck(&["ip", "192.0.2.20", "--json"], &resolver, None);
        assert_eq!(run.code, 0, "{t}");
        assert!(run.json().get("blocklists").is_none());
    }
}

/// `host --blocklists`: every address asked (IPv4 and IPv6), the lists in each address's entry,
/// and a listing of one address fails the host.
#[test]
fn host_with_blocklists_asks_for_every_address() {
    each(
        &["host", "mail.sendercheck.test", "--blocklists"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!((code, &j["verdict"]), (0, &Value::from("pass")), "{t}: {j}");
            let addresses = j["addresses"].as_array().unwrap();
            assert_eq!(addresses.len(), 2, "{t}");
            for a in addresses {
                let lists = a["blocklists"].as_array().expect("blocklists per address");
                assert_eq!(lists.len(), 2, "{t}");
                assert!(lists.iter().all(|l| l["ip"] == a["ip"]), "{t}: {a}");
                assert!(
                    lists.iter().all(|l| l["result"] == "not-listed"),
                    "{t}: {a}"
                );
            }
        },
    );
    each(
        &["host", "v4only.sendercheck.test", "--blocklists"],
        &[ZEN, CLEAN],
        None,
        |t, code, j| {
            assert_eq!((code, &j["verdict"]), (1, &Value::from("fail")), "{t}: {j}");
            let a = &j["addresses"][0];
            assert_eq!(a["ip"], "192.0.2.20");
            assert_eq!(a["verdict"], "fail", "{t}");
            assert_eq!(by_zone(a, ZEN)["result"], "listed", "{t}");
        },
    );
    // The readable report has a Blocklists section per address.
    for (t, resolver) in transports() {
        let mut extra = lists(&[ZEN, CLEAN]);
        extra.extend(resolver);
        let run = sendercheck(
            &["host", "mail.sendercheck.test", "--blocklists"],
            &extra,
            None,
        );
        assert_eq!(run.code, 0, "{t}: {}", run.stdout);
        assert_eq!(
            run.stdout.matches("Blocklists:").count(),
            2,
            "{t}: {}",
            run.stdout
        );
    }
}

#[test]
fn bad_zones_and_keys_are_bad_input() {
    let run = sendercheck(
        &["blocklists", "203.0.113.9", "--blocklist", "localhost"],
        &[],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`localhost` is not a blocklist zone"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    let run = sendercheck(
        &["blocklists", "203.0.113.9", "--spamhaus-key", "not a key!"],
        &[],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the Spamhaus key is not valid"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("not a key!"),
        "the key is never repeated"
    );
    let run = sendercheck(&["blocklists", "mail.example.com"], &[], None);
    assert_eq!(run.code, 2);
}

#[test]
fn readable_report() {
    let (_, resolver) = transports().remove(0);
    let mut extra = lists(&[ZEN, ERRORS, CLEAN]);
    extra.extend(resolver);
    let run = sendercheck(&["blocklists", "203.0.113.9"], &extra, None);
    assert_eq!(run.code, 1);
    let out = run.stdout;
    assert!(
        out.starts_with("FAIL 203.0.113.9: listed on zen.bl.sendercheck.test\n"),
        "{out}"
    );
    assert!(out.contains("  listed      zen.bl.sendercheck.test     127.0.0.2, 127.0.0.4 (testbed: 203.0.113.9 is listed (SBL, XBL))"), "{out}");
    assert!(
        out.contains("  unknown     errors.bl.sendercheck.test  it answered 127.255.255.254"),
        "{out}"
    );
    assert!(
        out.contains("  not listed  clean.bl.sendercheck.test"),
        "{out}"
    );
    assert!(
        out.contains("9.113.0.203.zen.bl.sendercheck.test A → NOERROR: 127.0.0.2; 127.0.0.4"),
        "{out}"
    );
}

/// A Postfix DSN from Gmail: 550-5.7.25 for the address the reply names.
fn gmail_dsn(ip: &str) -> String {
    format!("This is the mail system at host mail.sendercheck.test.\n\n<b@gmail.com>: host gmail-smtp-in.l.google.com[142.250.102.27] said:\n    550-5.7.25 [{ip}] The IP address sending this message does not have a\n    550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not\n    550 5.7.25 point to the sending IP. - gsmtp (in reply to end of DATA command)\n\nReporting-MTA: dns; mail.sendercheck.test\nX-Postfix-Sender: rfc822; alice@sendercheck.test\n\nFinal-Recipient: rfc822; b@gmail.com\nAction: failed\nStatus: 5.7.25\nRemote-MTA: dns; gmail-smtp-in.l.google.com\n")
}

#[test]
fn a_bounce_says_whether_its_cause_is_still_there() {
    each(
        &["paste", "-"],
        &[CLEAN],
        Some(&gmail_dsn("192.0.2.50")),
        |t, code, j| {
            assert_eq!(code, 1, "{t}");
            let x = &j["extracted"];
            assert_eq!(x["format"], "bounce");
            assert_eq!(x["ip"], "192.0.2.50");
            let b = &x["bounce"];
            for (key, want) in [
                ("provider", Value::from("gmail")),
                ("receiver_host", "gmail-smtp-in.l.google.com".into()),
                ("receiver_ip", "142.250.102.27".into()),
                ("smtp_code", 550.into()),
                ("status", "5.7.25".into()),
                ("command", "DATA".into()),
                ("permanent", true.into()),
                ("category", "iprev".into()),
                ("sending_ip", "192.0.2.50".into()),
                ("recipient", "b@gmail.com".into()),
                ("sender", "alice@sendercheck.test".into()),
                ("rule", "gmail-5.7.25-ptr".into()),
                ("source", "dsn".into()),
            ] {
                assert_eq!(b[key], want, "{t}: {key}");
            }
            for key in ["text", "meaning", "action", "checks"] {
                assert!(b.get(key).is_some(), "{t}: no {key}");
            }
            assert_eq!(j["bounce_cause"], "present");
            assert_eq!(j["iprev"]["result"], "permerror");
            assert!(ids(j).contains(&"bounce-cause-present".to_string()));
            assert!(ids(j).contains(&"bounce-reply".to_string()));
        },
    );
    each(
        &["paste", "-"],
        &[CLEAN],
        Some(&gmail_dsn("192.0.2.10")),
        |t, code, j| {
            assert_eq!(
                (code, &j["bounce_cause"]),
                (0, &Value::from("fixed")),
                "{t}"
            );
            let f = finding(j, "bounce-cause-fixed");
            assert!(
                f["title"]
                    .as_str()
                    .unwrap()
                    .ends_with("the 550 5.7.25 bounce was from before the fix"),
                "{f}"
            );
        },
    );
}

/// The misread: an Exim deferral's `H=` is the receiver; the paste must not check it as
/// the sender (192.0.2.30 would fail its check).
#[test]
fn an_exim_deferral_never_checks_the_receiver() {
    let line = "2026-11-27 10:00:00 1tAbCd-000123-Ef == b@example.net R=dnslookup T=remote_smtp defer (-44) H=mismatch.sendercheck.test [192.0.2.30]: SMTP error from remote mail server after EHLO mail.sendercheck.test: 421 4.7.0 Client host rejected: try again later";
    each(&["paste", "-"], &[CLEAN], Some(line), |t, _, j| {
        let x = &j["extracted"];
        assert_eq!(x["format"], "exim-log", "{t}");
        assert_eq!(
            x["ip"],
            Value::Null,
            "{t}: the receiver taken as the sender"
        );
        assert_eq!(x["bounce"]["receiver_ip"], "192.0.2.30");
        assert_eq!(x["bounce"]["sending_ip"], Value::Null);
        assert!(j.get("iprev").is_none(), "{t}: no address was checked");
        assert!(!j["queries"].is_array() || j["queries"].as_array().unwrap().is_empty());
    });
}

/// A receiver's reject line naming the list: that list is asked (and only the ones given).
#[test]
fn the_list_a_reply_names_is_asked() {
    let line = |ip: &str, name: &str| {
        format!("Nov 27 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from {name}[{ip}]: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.bl.sendercheck.test; from=<alice@sendercheck.test> to=<b@example.net> proto=ESMTP helo=<{name}>")
    };
    each(
        &["paste", "-"],
        &[CLEAN],
        Some(&line("192.0.2.20", "mx2.sendercheck.test")),
        |t, code, j| {
            assert_eq!(
                (code, &j["bounce_cause"]),
                (1, &Value::from("present")),
                "{t}"
            );
            assert_eq!(j["extracted"]["format"], "postfix-log");
            assert_eq!(j["extracted"]["bounce"]["category"], "blocklist");
            assert_eq!(by_zone(j, ZEN)["result"], "listed");
            assert_eq!(
                j["blocklists"].as_array().unwrap().len(),
                2,
                "{t}: the given list and the named one"
            );
        },
    );
    each(
        &["paste", "-"],
        &[CLEAN],
        Some(&line("192.0.2.10", "mail.sendercheck.test")),
        |t, code, j| {
            assert_eq!(
                (code, &j["bounce_cause"]),
                (0, &Value::from("fixed")),
                "{t}"
            );
        },
    );
}

#[test]
fn reputation_bounces_are_not_dns() {
    let text = "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes";
    each(&["paste", "-"], &[CLEAN], Some(text), |t, code, j| {
        assert_eq!(j["bounce_cause"], "not-dns", "{t}");
        assert_eq!(code, 0, "{t}: a warning does not fail the paste");
        assert_eq!(by_zone(j, CLEAN)["result"], "not-listed");
        let f = finding(j, "bounce-not-dns");
        assert!(
            f["title"]
                .as_str()
                .unwrap()
                .starts_with("No DNS change fixes this 553 5.7.2 bounce"),
            "{f}"
        );
        assert_eq!(
            j["bounce_skipped"][0]["check"], "spf",
            "{t}: the reply names no sender"
        );
    });
}

#[test]
fn readable_bounce() {
    let (_, resolver) = transports().remove(0);
    let mut extra = lists(&[CLEAN]);
    extra.extend(resolver);
    let run = sendercheck(&["paste", "-"], &extra, Some(&gmail_dsn("192.0.2.50")));
    assert_eq!(run.code, 1);
    let out = run.stdout;
    for line in [
        "Pasted: a bounce (a delivery failure report or the receiver's SMTP reply)",
        "  Refused by Gmail: gmail-smtp-in.l.google.com [142.250.102.27]",
        "  Reply      550 5.7.25 [192.0.2.50] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp (at DATA, permanent)",
        "  Points to  iprev (checks: iprev, generic-rdns, helo)",
        "  Sender     alice@sendercheck.test",
        "FAIL Bounce: Still failing: 192.0.2.50 has no PTR record, the cause of the 550 5.7.25 bounce",
    ] {
        assert!(out.contains(line), "no {line:?} in\n{out}");
    }
}
