//! The extras: what the page loads only when it is first needed, in a Web Worker of its own (the
//! `sendercheck-extras` binary; Trunk builds it with `data-type="worker"`). Here the paste reader,
//! the findings that compare a paste with the check, the sending domain's check ([`domain`]), and
//! the JSON and Markdown exports.
//!
//! The first load of the page holds only the identity check; everything here would add about
//! 55 KB gzip to it (`make size` lists the worker's files apart). The worker asks the resolver
//! only for the sending domain ([`check_domain_live`]); for everything else the page hands it the
//! run's recorded replies (`sendercheck_doh::replay`) and the worker replays the same check, so
//! what it writes matches what the page showed.
//!
//! This module is the worker's logic as plain functions from text to text (tested natively);
//! [`worker`] is the message loop around them. Requests and replies are JS objects whose fields
//! are strings and numbers; every reply's `value` is JSON or the exported text.

pub mod domain;
pub mod panel;
#[cfg(target_arch = "wasm32")]
pub mod worker;

use serde::Serialize;

use sendercheck_core::domain::check::{check_domain, DomainReport};
use sendercheck_core::paste::{self, paste_findings, Extracted, Format, PasteReport};
use sendercheck_core::report::{check_target, domain_json, domain_markdown, Checked, Target};
use sendercheck_doh::replay::{Recorder, Recording, Replay};
use sendercheck_doh::DohClient;

/// What [`read`] found, as the page receives it.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ReadReply {
    /// The paste was recognised.
    Read {
        /// The paste panel's HTML ([`panel::paste_panel`]) before the check.
        panel: String,
        /// What to check: an address or a host name, as text; `null` when nothing.
        target: Option<String>,
        /// The EHLO argument.
        helo: Option<String>,
        /// The sending domain it names (the From domain, else the Return-Path's).
        domain: Option<String>,
        /// The Return-Path, when the paste has one (`<>` for a null sender).
        mail_from: Option<String>,
        /// The DKIM signatures' keys, `selector:domain`, space-separated.
        dkim: String,
    },
    /// It was not.
    NotRecognised {
        /// Why, in one sentence.
        reason: String,
        /// Every format: word, description, sample line.
        formats: Vec<[&'static str; 3]>,
    },
}

fn extracted(text: &str, hop: Option<usize>) -> Result<Extracted, String> {
    let mut x = paste::extract(text).map_err(|e| e.reason)?;
    if let Some(i) = hop {
        if !x.choose_hop(i) {
            return Err(format!("The paste has no Received header {}.", i + 1));
        }
    }
    Ok(x)
}

/// Reads a paste; `hop` picks a Received header (0-based) instead of the entry.
pub fn read(text: &str, hop: Option<usize>) -> ReadReply {
    match extracted(text, hop) {
        Ok(x) => {
            let target = paste::target(&x);
            let check = match target {
                Some(_) => panel::Check::Running,
                None => panel::Check::None,
            };
            let sender = paste::domain_input(&x);
            let dkim: Vec<String> = sender
                .iter()
                .flat_map(|d| &d.dkim)
                .map(|k| format!("{}:{}", k.selector, k.domain))
                .collect();
            ReadReply::Read {
                panel: panel::paste_panel(&x, target.as_ref(), check, &paste_findings(&x, None)),
                target: target.map(|t| t.to_string()),
                helo: x.helo.clone(),
                domain: sender.as_ref().map(|d| d.from.to_string()),
                mail_from: x.sender.mail_from.as_ref().map(|m| match m.as_str() {
                    "" => "<>".to_string(),
                    m => m.to_string(),
                }),
                dkim: dkim.join(" "),
            }
        }
        Err(reason) => ReadReply::NotRecognised {
            reason,
            formats: Format::ALL
                .iter()
                .map(|f| [f.as_str(), f.describe(), f.sample()])
                .collect(),
        },
    }
}

/// Checks the sending domain live through `resolver` (the page's DoH URL), beside the page's own
/// identity check; returns the replies' recording, which [`Run`] replays with the identity
/// check's for the panel and the exports.
pub async fn check_domain_live(
    ask: &domain::Ask<'_>,
    target: &str,
    helo: &str,
    resolver: &str,
) -> Result<String, String> {
    let target = Target::parse(target).map_err(|e| e.to_string())?;
    let input = ask.input(&target, helo)?;
    let doh = DohClient::new(resolver)
        .map_err(|e| e.to_string())?
        .with_timeout(std::time::Duration::from_secs(5));
    let recorder = Recorder::new(doh);
    check_domain(&recorder, &input).await;
    Ok(recorder.recording().to_text())
}

/// A run the page made, to replay: what it checked, with which EHLO line, and the replies.
pub struct Run<'a> {
    /// The target as text (the address field, or the paste's target).
    pub target: &'a str,
    /// The EHLO line as typed (empty: none).
    pub helo: &'a str,
    /// The recording's text form.
    pub recording: &'a str,
    /// The pasted text and the hop picked, when the run came from a paste.
    pub paste: Option<(&'a str, Option<usize>)>,
    /// The sending domain asked about, and the recording of its live check.
    pub domain: Option<(domain::Ask<'a>, &'a str)>,
}

impl Run<'_> {
    async fn replay(&self) -> Result<Checked, String> {
        let target = Target::parse(self.target).map_err(|e| e.to_string())?;
        let recording = Recording::from_text(self.recording)
            .ok_or("the page's recording of the run is damaged")?;
        let helo = Some(self.helo.trim()).filter(|h| !h.is_empty());
        Ok(check_target(&Replay::new(recording), &target, helo).await)
    }

    /// The sending domain's report, replayed and judged with the identity check's results.
    async fn domain_report(&self, checked: &Checked) -> Result<Option<DomainReport>, String> {
        let Some((ask, recording)) = &self.domain else {
            return Ok(None);
        };
        let target = Target::parse(self.target).map_err(|e| e.to_string())?;
        let input = ask.input(&target, self.helo)?;
        let recording = Recording::from_text(recording)
            .ok_or("the recording of the domain check is damaged")?;
        let mut report = check_domain(&Replay::new(recording), &input).await;
        if let Checked::Ip(r) = checked {
            report.judge_report(r);
        }
        Ok(Some(report))
    }

    /// The sending domain's panel.
    pub async fn domain_panel(&self) -> Result<String, String> {
        let checked = self.replay().await?;
        match self.domain_report(&checked).await? {
            Some(d) => Ok(domain::panel(&d)),
            None => Err("the run did not ask about a sending domain".into()),
        }
    }

    async fn paste_report(&self) -> Result<Option<PasteReport>, String> {
        let checked = self.replay().await?;
        let domain = self.domain_report(&checked).await?;
        let Some((text, hop)) = self.paste else {
            return Ok(None);
        };
        let x = extracted(text, hop)?;
        let report = match &checked {
            Checked::Ip(r) => Some(r),
            Checked::Host(_) => None,
        };
        let findings = paste_findings(&x, report);
        // A bounce's follow-up checks (blocklists, SPF, DMARC) are not in the page's recording
        // yet; the page does not run them.
        Ok(Some(PasteReport {
            extracted: x,
            checked: Some(checked),
            findings,
            domain,
            bounce: None,
        }))
    }

    /// The paste panel once its check has run, with the findings that compare the two.
    pub async fn paste_panel(&self) -> Result<String, String> {
        let Some(p) = self.paste_report().await? else {
            return Err("the run did not come from a paste".into());
        };
        let iprev = match &p.checked {
            Some(Checked::Ip(r)) => Some(r.iprev.result.as_str()),
            _ => None,
        };
        let target = Target::parse(self.target).ok();
        Ok(panel::paste_panel(
            &p.extracted,
            target.as_ref(),
            panel::Check::Done { iprev },
            &p.findings,
        ))
    }

    /// The JSON export: `sendercheck ip|host --json`, or `sendercheck paste --json` after a paste.
    pub async fn json(&self, elapsed_ms: u64) -> Result<String, String> {
        let value = match self.paste_report().await? {
            Some(p) => paste::paste_json(&p, elapsed_ms),
            None => {
                let checked = self.replay().await?;
                match (self.domain_report(&checked).await?, &checked) {
                    (Some(d), Checked::Ip(r)) => domain_json(&d, Some(r), elapsed_ms),
                    (Some(d), Checked::Host(_)) => {
                        let mut json = checked.json(elapsed_ms);
                        let alone = domain_json(&d, None, elapsed_ms);
                        for key in ["domain", "requirements"] {
                            json[key] = alone[key].clone();
                        }
                        json
                    }
                    (None, _) => checked.json(elapsed_ms),
                }
            }
        };
        Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
    }

    /// The Markdown export, for a ticket; `resolver` is the resolver's URL.
    pub async fn markdown(&self, resolver: &str) -> Result<String, String> {
        Ok(match self.paste_report().await? {
            Some(p) => {
                let checked = p.checked.as_ref().map(|c| c.markdown(resolver));
                let domain = p.domain.as_ref().map(domain_markdown);
                sendercheck_core::report::paste_markdown(&p.extracted, &p.findings)
                    + &checked.unwrap_or_default()
                    + &domain.unwrap_or_default()
            }
            None => {
                let checked = self.replay().await?;
                let domain = self.domain_report(&checked).await?;
                checked.markdown(resolver)
                    + &domain.map(|d| domain_markdown(&d)).unwrap_or_default()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use sendercheck_core::dns::{DomainName, Question, RecordType};
    use sendercheck_doh::encode_query;
    use serde_json::Value;

    const HEADERS: &str = "Received: from mail.example.com (unknown [192.0.2.10])\n\tby mx.example.net (Postfix) with ESMTPS id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000\n\
Authentication-Results: mx.example.net; iprev=fail policy.iprev=192.0.2.10; spf=pass smtp.mailfrom=a@example.com\n";

    /// A DNS response to `q` whose answer section is `rdata` (one record), or empty.
    fn reply(q: &Question, rdata: Option<&[u8]>) -> Vec<u8> {
        let mut bytes = encode_query(q);
        bytes[2] |= 0x80;
        if let Some(rdata) = rdata {
            bytes[7] = 1;
            bytes.extend_from_slice(&[0xc0, 12]);
            bytes.extend_from_slice(&q.rtype.code().to_be_bytes());
            bytes.extend_from_slice(&[0, 1, 0, 0, 1, 44]);
            bytes.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
            bytes.extend_from_slice(rdata);
        }
        bytes
    }

    /// The recording of a run where 192.0.2.10 has PTR mail.example.com with A 192.0.2.10.
    fn passing_run() -> String {
        let ptr = Question::new(
            DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
            RecordType::Ptr,
        );
        let a = Question::new(
            DomainName::parse("mail.example.com").unwrap(),
            RecordType::A,
        );
        let mut r = Recording::default();
        r.push(
            ptr.clone(),
            Ok(reply(&ptr, Some(b"\x04mail\x07example\x03com\x00"))),
        );
        r.push(a.clone(), Ok(reply(&a, Some(&[192, 0, 2, 10]))));
        r.to_text()
    }

    #[test]
    fn filter_and_submission_rows() {
        // Synthetic: Proofpoint in front of the receiver; a submission on the sender's side.
        let text = "Received: from mx0b-00123401.pphosted.com (mx0b-00123401.pphosted.com [148.163.158.5]) by mail.example.co.jp (Postfix) with ESMTPS id 1; Fri, 27 Nov 2026 10:00:02 +0000\n\
Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx0b-00123401.pphosted.com with ESMTPS id 2; Fri, 27 Nov 2026 10:00:01 +0000\n\
Received: from [192.168.1.20] (dsl.example.net [198.51.100.9]) by mail.example.com (Postfix) with ESMTPSA id 3; Fri, 27 Nov 2026 10:00:00 +0000\n";
        let ReadReply::Read { panel, target, .. } = read(text, None) else {
            panic!("headers not read");
        };
        assert_eq!(target.as_deref(), Some("192.0.2.10"));
        assert!(
            panel.contains("<tr class=\"filter\" data-role=\"filter\" data-chosen=\"false\""),
            "{panel}"
        );
        assert!(panel.contains(">filter in front of the receiver<span class=\"why\">Proofpoint passed the message on"), "{panel}");
        assert!(
            panel.contains("<tr class=\"submission\" data-role=\"submission\""),
            "{panel}"
        );
        assert!(panel.contains("<code>with ESMTPSA</code>"), "{panel}");
        assert!(
            panel.contains("Proofpoint accepted it for example.co.jp"),
            "{panel}"
        );
    }

    #[test]
    fn reads_a_paste_or_says_what_it_accepts() {
        let ReadReply::Read {
            panel,
            target,
            helo,
            ..
        } = read(HEADERS, None)
        else {
            panic!("headers not read");
        };
        assert!(panel.contains("data-format=\"headers\""), "{panel}");
        assert!(
            panel.contains("data-role=\"entry\" data-chosen=\"true\""),
            "{panel}"
        );
        assert!(
            panel.contains("data-check=\"receiver\" data-result=\"loading\""),
            "{panel}"
        );
        assert_eq!(target.as_deref(), Some("192.0.2.10"));
        assert_eq!(helo.as_deref(), Some("mail.example.com"));
        let ReadReply::NotRecognised { reason, formats } = read("hello", None) else {
            panic!("junk read");
        };
        assert!(
            reason.starts_with("The paste has no bounce or SMTP reply, no Received header"),
            "{reason}"
        );
        assert_eq!(formats.len(), 7);
        assert!(matches!(
            read(HEADERS, Some(5)),
            ReadReply::NotRecognised { .. }
        ));
        let reply = serde_json::to_value(read("EHLO localhost", None)).unwrap();
        assert!(reply["panel"]
            .as_str()
            .unwrap()
            .contains("data-finding=\"helo-invalid\""));
        let reply = serde_json::to_value(read(
            "myhostname = mail.example.com\nsmtpd_sender_restrictions = reject_unverified_sender\n",
            None,
        ))
        .unwrap();
        let panel = reply["panel"].as_str().unwrap();
        assert!(
            panel.contains("data-check=\"sav\" data-result=\"fail\""),
            "{panel}"
        );
        assert!(panel.contains("data-finding=\"sav-callout\""), "{panel}");
        assert!(
            panel.contains("<dd data-extracted=\"sav\">on</dd>"),
            "{panel}"
        );
    }

    #[test]
    fn replays_the_run_for_findings_and_exports() {
        let recording = passing_run();
        let run = Run {
            target: "192.0.2.10",
            helo: "mail.example.com",
            recording: &recording,
            paste: Some((HEADERS, None)),
            domain: None,
        };
        let panel = block_on(run.paste_panel()).unwrap();
        for id in [
            "receiver-auth-fail",
            "receiver-iprev-differs",
            "receiver-rdns-differs",
        ] {
            assert!(
                panel.contains(&format!("data-finding=\"{id}\"")),
                "{id}: {panel}"
            );
        }
        assert!(
            panel.contains("data-check=\"receiver\" data-result=\"differs\""),
            "{panel}"
        );
        assert!(
            panel.contains("<td data-label=\"This check\">pass</td>"),
            "{panel}"
        );
        let json: Value = serde_json::from_str(&block_on(run.json(7)).unwrap()).unwrap();
        assert_eq!(json["iprev"]["result"], "pass");
        assert_eq!(json["extracted"]["format"], "headers");
        assert_eq!(json["elapsed_ms"], 7);
        let md = block_on(run.markdown("https://dns.example/dns-query")).unwrap();
        assert!(md.starts_with("## Pasted: message headers"), "{md}");
        assert!(md.contains("## Sender Check: 192.0.2.10 (pass)"), "{md}");

        let plain = Run { paste: None, ..run };
        let json: Value = serde_json::from_str(&block_on(plain.json(3)).unwrap()).unwrap();
        assert!(json.get("extracted").is_none());
        assert_eq!(json["helo"]["result"], "pass");
        let broken = Run {
            recording: "not a recording",
            ..plain
        };
        assert_eq!(
            block_on(broken.json(1)).unwrap_err(),
            "the page's recording of the run is damaged"
        );
    }

    /// A message's headers name its sending domain: From, Return-Path and the DKIM selector.
    #[test]
    fn a_paste_names_its_sending_domain() {
        let text = format!(
            "{HEADERS}Return-Path: <bounce@mail.example.com>\nFrom: Alice <alice@example.com>\nDKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s2048; h=from; bh=x; b=y\n"
        );
        let reply = serde_json::to_value(read(&text, None)).unwrap();
        assert_eq!(reply["domain"], "example.com");
        assert_eq!(reply["mail_from"], "bounce@mail.example.com");
        assert_eq!(reply["dkim"], "s2048:example.com");
        let reply = serde_json::to_value(read(HEADERS, None)).unwrap();
        assert_eq!(reply["domain"], Value::Null);
    }

    /// The worker's domain check: live against the testbed's DoH server (run under
    /// `testbed/run.sh exec`, as `make test` does), then replayed beside the identity check for
    /// the panel and the exports.
    #[cfg(not(target_arch = "wasm32"))]
    #[tokio::test]
    async fn checks_a_sending_domain_live_then_renders_it_from_the_recording() {
        use sendercheck_doh::replay::Recorder;
        let doh = std::env::var("SENDERCHECK_TEST_DOH_HTTP")
            .expect("SENDERCHECK_TEST_DOH_HTTP: run under testbed/run.sh exec");
        let ask = domain::Ask {
            text: "Alice <alice@pass.dom.sendercheck.test>",
            mail_from: None,
            dkim: "rsa2048, rsa512 revoked",
        };
        let helo = "EHLO mail.sendercheck.test";
        let domain_recording = check_domain_live(&ask, "192.0.2.10", helo, &doh)
            .await
            .unwrap();
        let recorder = Recorder::new(DohClient::new(&doh).unwrap());
        let target = Target::parse("192.0.2.10").unwrap();
        check_target(&recorder, &target, Some(helo)).await;
        let recording = recorder.recording().to_text();
        let run = Run {
            target: "192.0.2.10",
            helo,
            recording: &recording,
            paste: None,
            domain: Some((ask, &domain_recording)),
        };
        let panel = run.domain_panel().await.unwrap();
        for part in [
            "data-domain=\"pass.dom.sendercheck.test\"",
            "data-check=\"spf\" data-result=\"pass\" data-identity=\"mail-from\"",
            // mail.sendercheck.test publishes no SPF record.
            "data-check=\"spf\" data-result=\"none\" data-identity=\"helo\"",
            "data-check=\"dmarc\" data-result=\"pass\" data-policy=\"reject\"",
            "data-check=\"dkim\" data-result=\"pass\" data-selector=\"rsa2048\"",
            "data-check=\"dkim\" data-result=\"fail\" data-selector=\"rsa512\"",
            "data-check=\"dkim\" data-result=\"fail\" data-selector=\"revoked\"",
            "data-check=\"mx\" data-result=\"pass\"",
            // The identity check's FCrDNS feeds the requirements.
            "data-provider=\"gmail\" data-requirement=\"fcrdns\" data-scope=\"all\" data-result=\"pass\"",
            "data-provider=\"gmail\" data-requirement=\"dkim-key-length\" data-scope=\"all\" data-result=\"fail\"",
            "data-outcome=\"match\"><code class=\"term\">ip4:192.0.2.10</code>",
        ] {
            assert!(panel.contains(part), "{part} is not in the panel:\n{panel}");
        }
        assert!(panel.contains("Reply when it fails"));
        // The HELO identity's finding is in the HELO card.
        let helo_card = &panel[panel.find("data-identity=\"helo\"").unwrap()..];
        assert!(helo_card[..helo_card.find("</article>").unwrap()]
            .contains("data-finding=\"spf-helo-none\""));
        let json: Value = serde_json::from_str(&run.json(9).await.unwrap()).unwrap();
        assert_eq!(json["iprev"]["result"], "pass");
        assert_eq!(json["domain"]["spf"]["result"], "pass");
        assert_eq!(json["domain"]["dmarc"]["policy"], "reject");
        assert!(json["requirements"].as_array().unwrap().len() > 10);
        let md = run.markdown(&doh).await.unwrap();
        assert!(
            md.contains("## Sending domain: pass.dom.sendercheck.test (fail)"),
            "{md}"
        );

        // A host name: no address, so no SPF; the rest is checked.
        let host_recording = check_domain_live(&ask, "mail.sendercheck.test", "", &doh)
            .await
            .unwrap();
        let recorder = Recorder::new(DohClient::new(&doh).unwrap());
        let host = Target::parse("mail.sendercheck.test").unwrap();
        check_target(&recorder, &host, None).await;
        let recording = recorder.recording().to_text();
        let run = Run {
            target: "mail.sendercheck.test",
            helo: "",
            recording: &recording,
            paste: None,
            domain: Some((ask, &host_recording)),
        };
        let panel = run.domain_panel().await.unwrap();
        assert!(
            panel.contains("data-check=\"spf\" data-result=\"unknown\""),
            "{panel}"
        );
        let json: Value = serde_json::from_str(&run.json(1).await.unwrap()).unwrap();
        assert_eq!(json["host"], "mail.sendercheck.test");
        assert_eq!(json["domain"]["dmarc"]["result"], "pass");

        // Bad fields are sentences that name them; nothing is asked.
        for (text, dkim, says) in [
            ("not a domain", "", "is not a valid domain name"),
            ("example.com", "a s@1", "DKIM selector: `s@1`"),
        ] {
            let bad = domain::Ask {
                text,
                mail_from: None,
                dkim,
            };
            let err = check_domain_live(&bad, "192.0.2.10", "", "http://127.0.0.1:9/dns-query")
                .await
                .unwrap_err();
            assert!(err.contains(says), "{err}");
        }
    }
}
