//! The extras: what the page loads only when it is first needed, in a Web Worker of its own (the
//! `sendercheck-extras` binary; Trunk builds it with `data-type="worker"`). Here the paste reader,
//! the findings that compare a paste with the check, and the JSON and Markdown exports.
//!
//! The first load of the page holds only the identity check; everything here would add about
//! 55 KB gzip to it (`make size` lists the worker's files apart). The worker never asks the
//! resolver: the page hands it the run's recorded replies (`sendercheck_doh::replay`) and the
//! worker replays the same check, so what it writes matches what the page showed.
//!
//! This module is the worker's logic as plain functions from text to text (tested natively);
//! [`worker`] is the message loop around them. Requests and replies are JS objects whose fields
//! are strings and numbers; every reply's `value` is JSON or the exported text.

pub mod panel;
#[cfg(target_arch = "wasm32")]
pub mod worker;

use serde::Serialize;

use sendercheck_core::paste::{self, paste_findings, Extracted, Format, PasteReport};
use sendercheck_core::report::{check_target, Checked, Target};
use sendercheck_doh::replay::{Recording, Replay};

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
            ReadReply::Read {
                panel: panel::paste_panel(&x, target.as_ref(), check, &paste_findings(&x, None)),
                target: target.map(|t| t.to_string()),
                helo: x.helo.clone(),
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
}

impl Run<'_> {
    async fn replay(&self) -> Result<Checked, String> {
        let target = Target::parse(self.target).map_err(|e| e.to_string())?;
        let recording = Recording::from_text(self.recording)
            .ok_or("the page's recording of the run is damaged")?;
        let helo = Some(self.helo.trim()).filter(|h| !h.is_empty());
        Ok(check_target(&Replay::new(recording), &target, helo).await)
    }

    async fn paste_report(&self) -> Result<Option<PasteReport>, String> {
        let checked = self.replay().await?;
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
            None => self.replay().await?.json(elapsed_ms),
        };
        Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
    }

    /// The Markdown export, for a ticket; `resolver` is the resolver's URL.
    pub async fn markdown(&self, resolver: &str) -> Result<String, String> {
        Ok(match self.paste_report().await? {
            Some(p) => {
                let checked = p.checked.as_ref().map(|c| c.markdown(resolver));
                sendercheck_core::report::paste_markdown(&p.extracted, &p.findings)
                    + &checked.unwrap_or_default()
            }
            None => self.replay().await?.markdown(resolver),
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
    fn reads_a_paste_or_says_what_it_accepts() {
        let ReadReply::Read {
            panel,
            target,
            helo,
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
}
