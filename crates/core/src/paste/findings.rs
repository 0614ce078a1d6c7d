//! Findings that only a paste can give: Sender Address Verification in a configuration, and the
//! receiver's own verdicts (Authentication-Results, Received-SPF, the reverse name it recorded)
//! set beside this check's.

use std::net::IpAddr;

use super::{AuthHeader, Extracted, Format};
use crate::finding::{most_severe_first, Finding, FindingId};
use crate::identity::fix::helo_settings;
use crate::identity::helo::{parse_helo, syntax_finding};
use crate::identity::iprev::IprevResult;
use crate::report::Report;

/// The paste's own findings, most severe first. `report` is the check of the extracted address,
/// when there was one; without it only what the text alone shows is reported.
pub fn paste_findings(x: &Extracted, report: Option<&Report>) -> Vec<Finding> {
    let mut out = Vec::new();
    sav(x, &mut out);
    if report.is_none() {
        helo_alone(x, &mut out);
    }
    if let Some(r) = report {
        receiver(x, r, &mut out);
    }
    most_severe_first(out)
}

fn sav(x: &Extracted, out: &mut Vec<Finding>) {
    if !x.sav {
        return;
    }
    let postfix = x.format == Format::PostfixConfig;
    let lines: Vec<String> = x.sav_lines.iter().map(|l| l.line.to_string()).collect();
    let what = if postfix {
        "`reject_unverified_sender` makes Postfix probe each sender address before accepting mail: it connects to the sender domain's MX and starts a delivery (MAIL FROM:<>, RCPT TO) that it never finishes."
    } else {
        "`verify = sender/callout` makes Exim call out to each sender domain's MX and start a delivery (MAIL FROM:<>, RCPT TO) that it never finishes."
    };
    let fix = x
        .sav_lines
        .iter()
        .map(|l| {
            let after = if l.replacement.is_empty() {
                "(delete the line)".to_string()
            } else {
                l.replacement.clone()
            };
            format!("# line {}, before\n{}\n# after\n{after}", l.line, l.text)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let reload = if postfix {
        "postfix reload"
    } else {
        "systemctl reload exim4 (or exim)"
    };
    out.push(FindingId::SavCallout
.says(format!(
            "Sender Address Verification (callouts) is on: line{} {}",
            if lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ))
.because(format!(
            "{what} To the servers you probe, those half-finished deliveries look like a dictionary-harvest attack, and they come from your mail server's address: large providers rate-limit or block it, which hurts your own outgoing mail. Postfix's own documentation warns that sender address verification may get your site denylisted by some providers. Judge senders by SPF, DKIM and DMARC instead."
        ))
.fixed_by(format!("{fix}\nthen: {reload}")));
}

/// With no address to check, the EHLO name's syntax is still worth a word.
fn helo_alone(x: &Extracted, out: &mut Vec<Finding>) {
    if let Some(name) = x.helo.as_deref() {
        let helo = parse_helo(name);
        out.extend(syntax_finding(
            &helo,
            None,
            helo_settings("mail.example.com"),
        ));
    }
}

/// The address the receiver's own verdicts are about, when they say: `policy.iprev`, Received-SPF's
/// `client-ip`, or the SPF comment of Gmail (`designates IP as permitted sender`) and Microsoft
/// (`sender IP is IP`).
fn receiver_ip(auth: &[&AuthHeader]) -> Option<(IpAddr, &'static str)> {
    auth.iter()
        .find_map(|a| a.results.iter().find_map(|r| r.named_ip()))
}

/// The EHLO name the receiver's SPF check saw (`smtp.helo`, Received-SPF's `helo=`).
fn receiver_helo(auth: &[&AuthHeader]) -> Option<String> {
    auth.iter().find_map(|a| {
        a.results
            .iter()
            .find_map(|r| r.prop("smtp.helo").or_else(|| r.prop("helo")))
            .and_then(super::text::helo_name)
    })
}

fn receiver(x: &Extracted, r: &Report, out: &mut Vec<Finding>) {
    let ip = r.ip;
    let ours = r.iprev.result.as_str();
    let confirmed = r.iprev.confirmed();
    let auth: Vec<&AuthHeader> = x.receiver_auth().collect();

    if let Some((theirs, source)) = receiver_ip(&auth).filter(|(theirs, _)| *theirs != ip) {
        out.push(FindingId::ReceiverIpDiffers
.says(format!("The receiver judged {theirs}, not {ip}"))
.because(format!(
                "The receiver's {source} names {theirs}, but the address checked here is {ip}. The hop chosen from the Received chain may not be the one where the message entered the receiver."
            ))
.fixed_by(format!("Check {theirs} too, or pick the Received header whose client is {theirs}.")));
    }

    let helo = x.helo.as_deref();
    if let Some(theirs) = receiver_helo(&auth).filter(|t| helo.is_some_and(|h| h != t)) {
        let ours = helo.unwrap_or_default();
        out.push(FindingId::ReceiverHeloDiffers
.says(format!("The receiver's SPF check saw EHLO {theirs}, not {ours}"))
.because(format!(
                "The receiver's own results name the EHLO argument {theirs}, but the Received header chosen here says {ours}. Either the hop is not the one where the message entered the receiver, or the server announces different names on different connections."
            )));
    }

    let iprev = auth.iter().find_map(|a| a.get("iprev"));
    if let Some(theirs) = iprev.filter(|t| t.result != ours) {
        out.push(FindingId::ReceiverIprevDiffers
.says(format!("The receiver recorded iprev={}; this check finds iprev={ours}", theirs.result))
.because(format!(
                "The receiver's Authentication-Results say iprev={} when the message arrived; the reverse DNS of {ip} now gives {ours}. DNS changed since then, a cached answer had not expired yet, or the receiver saw another address.",
                theirs.result
            )));
    }

    let recorded = match (&x.rdns_seen, x.rdns_unknown) {
        (Some(seen), _) if !confirmed.contains(&seen.as_str()) => Some(format!(
            "The receiver recorded the reverse name {seen} for {ip}, but the forward-confirmed names now are: {}.",
            if confirmed.is_empty() { "none".to_string() } else { confirmed.join(", ") }
        )),
        (None, true) if r.iprev.result == IprevResult::Pass => Some(format!(
            "The receiver recorded no verified reverse name for {ip} (Postfix writes `unknown`, Exim a bare `[address]`), but {ip} now passes FCrDNS as {}.",
            confirmed.join(", ")
        )),
        _ => None,
    };
    if let Some(detail) = recorded {
        out.push(FindingId::ReceiverRdnsDiffers
.says("The receiver saw different reverse DNS than this check")
.because(format!("{detail} If you fixed DNS since, this is expected; otherwise the receiver's resolver sees other data (a split view, or a delegation that is not served everywhere).")));
    }

    if auth.is_empty() {
        return;
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for a in &auth {
        for m in &a.results {
            if ["iprev", "spf", "dkim", "dmarc"].contains(&m.method.as_str())
                && !seen.iter().any(|(k, _)| *k == m.method)
            {
                seen.push((&m.method, &m.result));
            }
        }
    }
    let failed: Vec<String> = seen
        .iter()
        .filter(|(m, r)| {
            matches!(*r, "fail" | "softfail" | "permerror" | "temperror")
                || (*m == "dmarc" && *r == "none")
        })
        .map(|(m, r)| format!("{m}={r}"))
        .collect();
    let listed: Vec<String> = seen.iter().map(|(m, r)| format!("{m}={r}")).collect();
    if !failed.is_empty() {
        out.push(FindingId::ReceiverAuthFail
.says(format!("The receiver's own results include {}", failed.join(", ")))
.because(format!(
                "The receiver recorded {}. SPF, DKIM and DMARC are beyond this check, but Gmail and Yahoo require SPF or DKIM from every sender, and both plus DMARC from bulk senders.",
                listed.join(", ")
            ))
.fixed_by("Publish SPF for the envelope domain, sign with DKIM, and publish a DMARC record; then send a test message and paste its headers again."));
    } else if !listed.is_empty() {
        out.push(FindingId::ReceiverResults
.says(format!("The receiver recorded {}", listed.join(", ")))
.because("These are the receiver's own verdicts from the pasted Authentication-Results and Received-SPF headers."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::extract;

    #[test]
    fn sav_finding_names_the_lines_and_the_fix() {
        let x = extract("myhostname = mail.example.com\nsmtpd_sender_restrictions = reject_unknown_sender_domain, reject_unverified_sender\n").unwrap();
        let f = paste_findings(&x, None);
        let sav = f.iter().find(|f| f.id == "sav-callout").unwrap();
        assert_eq!(
            sav.title,
            "Sender Address Verification (callouts) is on: line 2"
        );
        assert_eq!(sav.fix, "# line 2, before\nsmtpd_sender_restrictions = reject_unknown_sender_domain, reject_unverified_sender\n# after\nsmtpd_sender_restrictions = reject_unknown_sender_domain\nthen: postfix reload");
        assert!(sav.detail.contains("dictionary-harvest"));
    }

    #[test]
    fn helo_alone_from_a_config() {
        let x = extract("myhostname = localhost\n").unwrap();
        let f = paste_findings(&x, None);
        assert_eq!(f[0].id, "helo-invalid");
        assert!(f[0].detail.contains("`localhost`"), "{}", f[0].detail);
        let x = extract("myhostname = mail.example.com\n").unwrap();
        assert!(paste_findings(&x, None).is_empty());
    }
}

#[cfg(test)]
mod receiver_tests {
    use futures::executor::block_on;

    use crate::paste::{check_paste, extract, paste_json};
    use crate::report::Checked;
    use crate::testing::FixedResolver;

    /// 192.0.2.10 passes FCrDNS as mail.example.com.
    fn dns() -> FixedResolver {
        FixedResolver::new().ptr_and_address("192.0.2.10", "mail.example.com", "192.0.2.10")
    }

    fn ids(text: &str) -> Vec<&'static str> {
        let p = block_on(check_paste(&dns(), extract(text).unwrap()));
        let mut ids: Vec<_> = p.findings.iter().map(|f| f.id.as_str()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn disagreements_with_the_receiver_are_called_out() {
        let text = "Received: from mail.example.com (unknown [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 1\n\
Authentication-Results: mx.example.net; iprev=fail policy.iprev=192.0.2.10; spf=pass smtp.mailfrom=a@example.com; dkim=pass header.d=example.com; dmarc=fail header.from=example.com\n\
Received-SPF: pass client-ip=192.0.2.99; helo=mail.example.com;\n";
        assert_eq!(
            ids(text),
            [
                "receiver-auth-fail",
                "receiver-iprev-differs",
                "receiver-rdns-differs"
            ]
        );
    }

    #[test]
    fn another_address_in_the_receivers_verdict() {
        let text = "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix)\n\
Received-SPF: pass client-ip=192.0.2.99; helo=mail.example.com;\n";
        assert_eq!(ids(text), ["receiver-ip-differs", "receiver-results"]);
        // Gmail's and Microsoft's SPF comments name the address too; SPF's helo names the EHLO.
        let text = "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.google.com\n\
Authentication-Results: mx.google.com; spf=pass (google.com: domain of a@example.com designates 198.51.100.4 as permitted sender) smtp.mailfrom=a@example.com smtp.helo=other.example.com\n";
        assert_eq!(
            ids(text),
            [
                "receiver-helo-differs",
                "receiver-ip-differs",
                "receiver-results"
            ]
        );
        let text = "Received: from mail.example.com (192.0.2.10) by BN1.mail.protection.outlook.com (10.13.2.190)\n\
Authentication-Results: spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=example.com; dkim=none (message not signed) header.d=none;dmarc=bestguesspass action=none header.from=example.com;\n";
        assert_eq!(ids(text), ["receiver-results"]);
    }

    #[test]
    fn agreement_is_said_once() {
        let text = "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix)\n\
Authentication-Results: mx.example.net; iprev=pass policy.iprev=192.0.2.10; spf=pass smtp.mailfrom=a@example.com; dkim=pass; dmarc=pass\n";
        assert_eq!(ids(text), ["receiver-results"]);
        // Results written by another organisation (below the entry, or another authserv-id)
        // are not the receiver's.
        let text = "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix)\n\
Authentication-Results: filter.example.org; iprev=fail policy.iprev=192.0.2.10\n";
        assert_eq!(ids(text), Vec::<&str>::new());
    }

    #[test]
    fn a_config_without_an_address_checks_its_helo_host() {
        let p = block_on(check_paste(
            &dns(),
            extract("myhostname = mail.example.com\n").unwrap(),
        ));
        let Some(Checked::Host(h)) = &p.checked else {
            panic!("expected a host check, got {:?}", p.checked);
        };
        assert_eq!(h.reports.len(), 1);
        assert_eq!(
            h.reports[0].helo.as_ref().unwrap().helo.name,
            "mail.example.com"
        );
        let j = paste_json(&p, 7);
        assert_eq!(
            j["extracted"],
            serde_json::json!({
                "format": "postfix-config", "ip": null, "helo": "mail.example.com",
                "rdns_seen": null, "rdns_unknown": false, "sav": false,
                "reason": "smtp_helo_name is not set, so Postfix announces $myhostname, which is mail.example.com.",
                "notes": [], "chosen_hop": null, "hops": [], "receiver": [],
                "settings": [{"line": 1, "name": "myhostname", "value": "mail.example.com"}],
                "sav_lines": [],
                "sender": {"from": "mail.example.com", "mail_from": null, "dkim": []}
            })
        );
        assert_eq!(j["host"], "mail.example.com");
        assert_eq!(j["verdict"], "pass");
    }

    #[test]
    fn what_is_looked_up_and_the_verdict() {
        use crate::paste::target;
        use crate::report::{Target, Verdict};
        let lit = extract("EHLO [192.0.2.10]").unwrap();
        assert_eq!(
            target(&lit),
            Some(Target::Ip("192.0.2.10".parse().unwrap()))
        );
        let p = block_on(check_paste(&dns(), lit));
        assert!(matches!(p.checked, Some(Checked::Ip(_))));

        // Callouts are a warning: they do not decide whether the DNS identity is accepted.
        let sav =
            "myhostname = mail.example.com\nsmtpd_sender_restrictions = reject_unverified_sender\n";
        let p = block_on(check_paste(&dns(), extract(sav).unwrap()));
        assert!(matches!(p.checked, Some(Checked::Host(_))));
        assert_eq!(p.verdict(), Verdict::Pass);
        let p = block_on(check_paste(
            &dns(),
            extract("smtpd_sender_restrictions = reject_unverified_sender\n").unwrap(),
        ));
        assert_eq!((&p.checked, p.verdict()), (&None, Verdict::Pass));
        // An unusable EHLO name is an error, with or without a lookup.
        let p = block_on(check_paste(
            &dns(),
            extract("myhostname = localhost\n").unwrap(),
        ));
        assert_eq!((&p.checked, p.verdict()), (&None, Verdict::Fail));
    }

    #[test]
    fn headers_json_has_the_ip_report_fields() {
        let text = "Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net (Postfix)\n";
        let p = block_on(check_paste(&dns(), extract(text).unwrap()));
        let j = paste_json(&p, 3);
        assert_eq!(j["extracted"]["ip"], "192.0.2.10");
        assert_eq!(j["extracted"]["rdns_seen"], "mail.example.com");
        assert_eq!(j["extracted"]["hops"][0]["role"], "entry");
        assert_eq!(j["ip"], "192.0.2.10");
        assert_eq!(j["iprev"]["result"], "pass");
        assert_eq!(j["helo"]["result"], "pass");
        assert_eq!(j["verdict"], "pass");
        assert!(j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "iprev-pass"));
        assert!(j["queries"].as_array().is_some());
    }
}
