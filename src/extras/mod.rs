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
pub mod fixes;
pub mod lists;
pub mod panel;
#[cfg(target_arch = "wasm32")]
pub mod worker;

use serde::Serialize;

use sendercheck_core::blocklist::{
    check_blocklists, listings_json, with_spamhaus_key, Blocklist, Listing,
};
use sendercheck_core::bounce::FollowUpOptions;
use sendercheck_core::dns::Resolver;
use sendercheck_core::domain::check::{check_domain, DomainReport};
use sendercheck_core::fix::{where_to_fix_all, where_to_fix_paste, Mta, MtaChoice, WhereToFix};
use sendercheck_core::paste::{
    self, check_paste_with, paste_findings, Extracted, Format, PasteReport,
};
use sendercheck_core::report::{
    blocklists_markdown, check_target, domain_json, domain_json_with, domain_markdown, Checked,
    Target,
};
use sendercheck_doh::replay::{Recorder, Recording, Replay, Resume};
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
                panel: panel::paste_panel(
                    &x,
                    target.as_ref(),
                    check,
                    &paste_findings(&x, None),
                    None,
                ),
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
    let recorder = Recorder::new(client(resolver)?);
    check_domain(&recorder, &input).await;
    Ok(recorder.recording().to_text())
}

/// A run the page made, to replay: what it checked, with which EHLO line, and the replies.
#[derive(Default)]
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
    /// The replies of the follow-up checks the worker asked live ([`Run::follow_up`],
    /// [`Run::blocklists`]), in the same text form.
    pub extra: &'a str,
    /// Where to fix it was worked out ([`Run::follow_up`] ran): the exports say it too.
    pub fixed: bool,
    /// The user's mail server, as an MTA id (`postfix`), when chosen.
    pub mta: Option<&'a str>,
    /// The blocklists were asked, with this Spamhaus DQS key (empty: none).
    pub lists: Option<&'a str>,
}

/// What [`Run::follow_up`] gives the page.
#[derive(Serialize)]
pub struct FollowReply {
    /// The paste panel with every finding, for a run from a paste.
    pub panel: Option<String>,
    /// The "Where to fix it" section (empty when there is nothing to say).
    pub fixes: String,
    /// The replies asked live, for the exports.
    pub recording: String,
}

/// What [`Run::blocklists`] gives the page.
#[derive(Serialize)]
pub struct ListsReply {
    /// The blocklists section.
    pub html: String,
    /// The replies asked live, for the exports.
    pub recording: String,
}

/// A DoH client for the page's resolver, with the page's time limit per question.
fn client(resolver: &str) -> Result<DohClient, String> {
    Ok(DohClient::new(resolver)
        .map_err(|e| e.to_string())?
        .with_timeout(std::time::Duration::from_secs(5)))
}

impl Run<'_> {
    /// Every reply the run holds: the page's, the follow-ups', the sending domain's.
    fn recordings(&self) -> Result<Recording, String> {
        let domain = self.domain.as_ref().map_or("", |(_, r)| *r);
        Recording::from_text(&format!("{}\n{}\n{domain}", self.recording, self.extra))
            .ok_or_else(|| "the page's recording of the run is damaged".to_string())
    }

    fn target(&self) -> Result<Target, String> {
        Target::parse(self.target).map_err(|e| e.to_string())
    }

    fn helo(&self) -> Option<&str> {
        Some(self.helo.trim()).filter(|h| !h.is_empty())
    }

    fn mta(&self) -> Option<Mta> {
        self.mta.and_then(Mta::parse)
    }

    fn lists(&self) -> Result<Vec<Blocklist>, String> {
        match self.lists {
            Some(key) if !key.trim().is_empty() => {
                with_spamhaus_key(Blocklist::curated(), key.trim()).map_err(|e| e.to_string())
            }
            _ => Ok(Blocklist::curated()),
        }
    }

    async fn replay(&self) -> Result<Checked, String> {
        let target = self.target()?;
        Ok(check_target(&Replay::new(self.recordings()?), &target, self.helo()).await)
    }

    /// The sending domain's report, replayed and judged with the identity check's results.
    async fn domain_report(&self, checked: &Checked) -> Result<Option<DomainReport>, String> {
        let Some((ask, _)) = &self.domain else {
            return Ok(None);
        };
        let input = ask.input(&self.target()?, self.helo)?;
        let mut report = check_domain(&Replay::new(self.recordings()?), &input).await;
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

    /// The paste's whole check through `resolver`: its address, a bounce's follow-up checks and,
    /// with `with_domain`, the sending domain it names (its panel is apart on the page).
    async fn paste_report<R: Resolver>(
        &self,
        resolver: &R,
        with_domain: bool,
    ) -> Result<Option<PasteReport>, String> {
        let Some((text, hop)) = self.paste else {
            return Ok(None);
        };
        let mut x = extracted(text, hop)?;
        if !with_domain {
            x.sender = Default::default();
        }
        Ok(Some(
            check_paste_with(resolver, x, &FollowUpOptions::default()).await,
        ))
    }

    /// The checks that follow the page's: a bounce's (blocklists, SPF, DMARC…) and where to fix
    /// what was found. Answers the page already has come from its recording; only the new
    /// questions go to `resolver`.
    pub async fn follow_up(&self, resolver: &str) -> Result<FollowReply, String> {
        let resume = Resume::new(self.recordings()?, client(resolver)?);
        let target = self.target().ok();
        let (panel, fixes) = match self.paste_report(&resume, false).await? {
            Some(p) => {
                let place = where_to_fix_paste(&resume, &p, self.mta()).await;
                let mut findings = p.findings.clone();
                findings.extend(place.findings.iter().cloned());
                let iprev = match &p.checked {
                    Some(Checked::Ip(r)) => Some(r.iprev.result.as_str()),
                    _ => None,
                };
                let panel = panel::paste_panel(
                    &p.extracted,
                    target.as_ref(),
                    panel::Check::Done { iprev },
                    &p.findings,
                    p.bounce.as_ref(),
                );
                let rows = p
                    .bounce
                    .as_ref()
                    .map(|b| panel::bounce_row(b, &p.findings))
                    .unwrap_or_default();
                let panel = crate::render::with_rows(&rows, &panel);
                let ips = ips(p.checked.as_ref());
                (
                    Some(panel),
                    fixes::section(&place.places, &ips, place.mta, &place.findings),
                )
            }
            None => {
                let checked = check_target(&resume, &self.target()?, self.helo()).await;
                let mta = self.mta().map(MtaChoice::from);
                let places = where_to_fix_all(&resume, &checked, mta).await;
                let ips = ips(Some(&checked));
                (None, fixes::section(&places, &ips, mta, &[]))
            }
        };
        Ok(FollowReply {
            panel,
            fixes,
            recording: resume.recording().to_text(),
        })
    }

    /// Asks the DNS blocklists about every address of the run.
    pub async fn blocklists(&self, resolver: &str) -> Result<ListsReply, String> {
        let lists = self.lists()?;
        let resume = Resume::new(self.recordings()?, client(resolver)?);
        let checked = check_target(&resume, &self.target()?, self.helo()).await;
        let listings = self.listings(&resume, &checked, &lists).await;
        Ok(ListsReply {
            html: lists::section(
                &listings.concat(),
                self.lists.is_some_and(|k| !k.is_empty()),
            ),
            recording: resume.recording().to_text(),
        })
    }

    /// The lists' answers for each address of the run, in the order of its reports.
    async fn listings<R: Resolver>(
        &self,
        resolver: &R,
        checked: &Checked,
        lists: &[Blocklist],
    ) -> Vec<Vec<Listing>> {
        let asks = checked
            .reports()
            .into_iter()
            .map(|r| check_blocklists(resolver, r.ip, lists));
        futures::future::join_all(asks).await
    }

    /// Where to fix each address, when the page worked it out.
    async fn places(&self, replay: &Replay, checked: &Checked) -> Vec<WhereToFix> {
        match self.fixed {
            true => where_to_fix_all(replay, checked, self.mta().map(MtaChoice::from)).await,
            false => Vec::new(),
        }
    }

    /// The JSON export: `sendercheck ip|host --json`, or `sendercheck paste --json` after a paste,
    /// with the sending domain, where to fix it and the blocklists as far as the page ran them.
    pub async fn json(&self, elapsed_ms: u64) -> Result<String, String> {
        let replay = Replay::new(self.recordings()?);
        let value = match self.paste_report(&replay, true).await? {
            Some(p) => {
                let mut json = match self.fixed {
                    true => {
                        let place = where_to_fix_paste(&replay, &p, self.mta()).await;
                        paste::paste_json_with(&p, &place, elapsed_ms)
                    }
                    false => paste::paste_json(&p, elapsed_ms),
                };
                if let (Some(_), Some(c)) = (self.lists, &p.checked) {
                    let listings = self.listings(&replay, c, &self.lists()?).await;
                    json["blocklists"] = listings_json(&listings.concat());
                }
                json
            }
            None => {
                let checked = self.replay().await?;
                let places = self.places(&replay, &checked).await;
                let listings = match self.lists {
                    Some(_) => Some(self.listings(&replay, &checked, &self.lists()?).await),
                    None => None,
                };
                let domain = self.domain_report(&checked).await?;
                let first = listings.as_ref().and_then(|l| l.first()).map(Vec::as_slice);
                match (domain, &checked) {
                    (Some(d), Checked::Ip(r)) => {
                        domain_json_with(&d, Some(r), places.first(), first, elapsed_ms)
                    }
                    (d, _) => {
                        let mta = self.mta().map(MtaChoice::from);
                        let mut json =
                            checked.json_with(&places, listings.as_deref(), mta, elapsed_ms);
                        if let Some(d) = d {
                            let alone = domain_json(&d, None, elapsed_ms);
                            for key in ["domain", "requirements"] {
                                json[key] = alone[key].clone();
                            }
                        }
                        json
                    }
                }
            }
        };
        Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
    }

    /// The Markdown export, for a ticket; `resolver` is the resolver's URL.
    pub async fn markdown(&self, resolver: &str) -> Result<String, String> {
        let replay = Replay::new(self.recordings()?);
        Ok(match self.paste_report(&replay, true).await? {
            Some(p) => {
                let places = match (self.fixed, &p.checked) {
                    (true, Some(c)) => {
                        where_to_fix_all(&replay, c, self.mta().map(MtaChoice::from)).await
                    }
                    _ => Vec::new(),
                };
                let checked = p
                    .checked
                    .as_ref()
                    .map(|c| c.markdown_with(resolver, &places));
                let domain = p.domain.as_ref().map(domain_markdown);
                let lists = match &p.checked {
                    Some(c) => self.lists_markdown(&replay, c).await?,
                    None => String::new(),
                };
                sendercheck_core::report::paste_markdown(&p.extracted, &p.findings)
                    + &checked.unwrap_or_default()
                    + &domain.unwrap_or_default()
                    + &lists
            }
            None => {
                let checked = self.replay().await?;
                let places = self.places(&replay, &checked).await;
                let domain = self.domain_report(&checked).await?;
                checked.markdown_with(resolver, &places)
                    + &domain.map(|d| domain_markdown(&d)).unwrap_or_default()
                    + &self.lists_markdown(&replay, &checked).await?
            }
        })
    }

    /// The blocklists' section of the Markdown export, when the page asked them.
    async fn lists_markdown(&self, replay: &Replay, checked: &Checked) -> Result<String, String> {
        Ok(match self.lists {
            Some(_) => blocklists_markdown(
                &self
                    .listings(replay, checked, &self.lists()?)
                    .await
                    .concat(),
            ),
            None => String::new(),
        })
    }
}

/// The addresses a check looked at, in the order of its reports.
fn ips(checked: Option<&Checked>) -> Vec<String> {
    checked.map_or(Vec::new(), |c| {
        c.reports().iter().map(|r| r.ip.to_string()).collect()
    })
}

// Natively only: the worker's logic with the testbed's DoH server (tests/web.rs is the browser's).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
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

    #[tokio::test]
    async fn replays_the_run_for_findings_and_exports() {
        let recording = passing_run();
        let run = Run {
            target: "192.0.2.10",
            helo: "mail.example.com",
            recording: &recording,
            paste: Some((HEADERS, None)),
            domain: None,
            ..Default::default()
        };
        // Where to fix it would ask the zones' NS: nothing answers there, and the panel is the
        // same.
        let followed = run.follow_up("http://127.0.0.1:9/dns-query").await.unwrap();
        let panel = followed.panel.unwrap();
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
        let json: Value = serde_json::from_str(&run.json(7).await.unwrap()).unwrap();
        assert_eq!(json["iprev"]["result"], "pass");
        assert_eq!(json["extracted"]["format"], "headers");
        assert_eq!(json["elapsed_ms"], 7);
        let md = run.markdown("https://dns.example/dns-query").await.unwrap();
        assert!(md.starts_with("## Pasted: message headers"), "{md}");
        assert!(md.contains("## Sender Check: 192.0.2.10 (pass)"), "{md}");

        let plain = Run { paste: None, ..run };
        let json: Value = serde_json::from_str(&plain.json(3).await.unwrap()).unwrap();
        assert!(json.get("extracted").is_none());
        assert_eq!(json["helo"]["result"], "pass");
        let broken = Run {
            recording: "not a recording",
            ..plain
        };
        assert_eq!(
            broken.json(1).await.unwrap_err(),
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
            ..Default::default()
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

        // A failing address with the domain, where to fix it and the blocklists, as the page
        // runs them one after the other: the JSON export carries all three, with the findings of
        // each and the worst verdict.
        let failing = "198.51.100.20";
        let recording = page_run(&doh, failing, Some(helo)).await;
        let domain_recording = check_domain_live(&ask, failing, helo, &doh).await.unwrap();
        let run = Run {
            target: failing,
            helo,
            recording: &recording,
            paste: None,
            domain: Some((ask, &domain_recording)),
            ..Default::default()
        };
        let f = run.follow_up(&doh).await.unwrap();
        let run = Run {
            extra: &f.recording,
            lists: Some(""),
            ..run
        };
        let lists = run.blocklists(&doh).await.unwrap();
        let extra = format!("{}{}", f.recording, lists.recording);
        let run = Run {
            extra: &extra,
            fixed: true,
            ..run
        };
        let json: Value = serde_json::from_str(&run.json(1).await.unwrap()).unwrap();
        assert_eq!(json["verdict"], "fail");
        assert_eq!(json["iprev"]["result"], "permerror");
        assert_eq!(json["reverse_zone"]["operator"]["id"], "digitalocean");
        assert_eq!(json["domain"]["dmarc"]["policy"], "reject");
        assert!(json["blocklists"].as_array().unwrap().len() >= 8, "{json}");
        let ids: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["id"].as_str())
            .collect();
        for id in ["where-reverse-zone", "spf-fail"] {
            assert!(ids.contains(&id), "{id} not in {ids:?}");
        }
        assert!(ids.iter().any(|i| i.starts_with("blocklist")), "{ids:?}");

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
            ..Default::default()
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

    /// The identity check of `target` against the testbed, recorded as the page records it.
    async fn page_run(doh: &str, target: &str, helo: Option<&str>) -> String {
        let recorder = Recorder::new(DohClient::new(doh).unwrap());
        check_target(&recorder, &Target::parse(target).unwrap(), helo).await;
        recorder.recording().to_text()
    }

    /// After a failing check the worker works out where to fix it, asking only the zones' NS:
    /// 198.51.100.20 has no PTR, and its reverse zone is DigitalOcean's (testbed/README.md).
    #[tokio::test]
    async fn follows_a_failing_run_up_with_where_to_fix_it() {
        let doh = std::env::var("SENDERCHECK_TEST_DOH_HTTP")
            .expect("SENDERCHECK_TEST_DOH_HTTP: run under testbed/run.sh exec");
        let recording = page_run(&doh, "198.51.100.20", None).await;
        let run = Run {
            target: "198.51.100.20",
            recording: &recording,
            mta: Some("postfix"),
            ..Default::default()
        };
        let f = run.follow_up(&doh).await.unwrap();
        assert!(f.panel.is_none());
        for part in [
            "<section id=\"where\" class=\"where\" data-mta=\"postfix\"",
            "data-zone=\"reverse\" data-operator=\"digitalocean\"",
            // The operator's page for the steps, as a link beside its zone.
            "<a class=\"steps\" href=\"https://docs.digitalocean.com/glossary/ptr-record/\" rel=\"noopener noreferrer\">DigitalOcean's steps</a></li>",
            "data-finding=\"where-reverse-zone\"",
            "Settings for Postfix (chosen beside the EHLO field)",
        ] {
            assert!(f.fixes.contains(part), "{part}:\n{}", f.fixes);
        }
        // Only the new questions were asked: the NS of the zones.
        assert!(!f.recording.is_empty());
        assert!(
            f.recording
                .lines()
                .all(|l| l.split(' ').nth(1) == Some("2")),
            "{}",
            f.recording
        );
        // The exports say where to fix it too, from the same answers.
        let run = Run {
            extra: &f.recording,
            fixed: true,
            ..run
        };
        let json: Value = serde_json::from_str(&run.json(1).await.unwrap()).unwrap();
        assert_eq!(json["reverse_zone"]["operator"]["id"], "digitalocean");
        assert_eq!(json["mta"]["id"], "postfix");
    }

    /// A pasted bounce: its checks run after the page's (nothing answered from the internet: the
    /// testbed refuses the public lists' zones, so they are unknown), and the panel says whether
    /// its cause is still there.
    #[tokio::test]
    async fn a_pasted_bounce_gets_its_cause_and_the_lists() {
        let doh = std::env::var("SENDERCHECK_TEST_DOH_HTTP")
            .expect("SENDERCHECK_TEST_DOH_HTTP: run under testbed/run.sh exec");
        // 192.0.2.10 passes FCrDNS in the testbed: the 5.7.25 bounce is from before the fix.
        let text = "Nov 27 10:00:01 mail postfix/smtp[777]: 4AbC: to=<b@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.2, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup (in reply to end of DATA command))";
        let ReadReply::Read { panel, target, .. } = read(text, None) else {
            panic!("bounce not read");
        };
        assert!(
            panel.contains("data-check=\"bounce\" data-result=\"loading\" data-category=\"iprev\" data-provider=\"gmail\" data-status=\"5.7.25\""),
            "{panel}"
        );
        let target = target.unwrap();
        let recording = page_run(&doh, &target, None).await;
        let run = Run {
            target: &target,
            recording: &recording,
            paste: Some((text, None)),
            ..Default::default()
        };
        let f = run.follow_up(&doh).await.unwrap();
        let panel = f.panel.unwrap();
        for part in [
            "data-check=\"bounce\" data-result=\"pass\" data-category=\"iprev\"",
            "data-finding=\"bounce-cause-fixed\"",
        ] {
            assert!(panel.contains(part), "{part}:\n{panel}");
        }

        // "Check blocklists" after the run: the curated lists, and the key form for Spamhaus.
        let run = Run {
            extra: &f.recording,
            lists: Some(""),
            paste: None,
            ..run
        };
        let lists = run.blocklists(&doh).await.unwrap();
        assert!(
            lists.html.contains("<section id=\"blocklists\""),
            "{}",
            lists.html
        );
        for part in [
            "data-check=\"blocklist\" data-result=\"unknown\" data-ip=\"192.0.2.10\"",
            "data-list=\"zen.spamhaus.org\" data-result=\"unknown\"",
            "id=\"spamhaus-key\"",
        ] {
            assert!(lists.html.contains(part), "{part}:\n{}", lists.html);
        }
        let with_key = Run {
            lists: Some("abcdefghijklmnopqrstuvwxyz"),
            ..run
        };
        let keyed = with_key.blocklists(&doh).await.unwrap();
        assert!(
            keyed
                .html
                .contains("data-list=\"<key>.zen.dq.spamhaus.net\"")
                || keyed
                    .html
                    .contains("data-list=\"&lt;key&gt;.zen.dq.spamhaus.net\""),
            "{}",
            keyed.html
        );
        assert!(!keyed.html.contains("abcdefghijklmnopqrstuvwxyz"));

        // The exports after "Check blocklists" carry the lists, from the recorded answers (the
        // run passed, so nothing says where to fix it), and never the key.
        let extra = format!("{}{}", f.recording, keyed.recording);
        let exported = Run {
            extra: &extra,
            ..with_key
        };
        let json: Value = serde_json::from_str(&exported.json(1).await.unwrap()).unwrap();
        let rows = json["blocklists"]
            .as_array()
            .expect("blocklists in the JSON");
        assert!(rows.len() >= 8, "{json}");
        assert_eq!(rows[0]["ip"], "192.0.2.10");
        assert!(rows.iter().all(|r| r["result"] == "unknown"), "{json}");
        assert_eq!(
            json["verdict"], "temperror",
            "the lists that could not be asked"
        );
        let md = exported.markdown(&doh).await.unwrap();
        assert!(md.contains("## Blocklists (temperror)"), "{md}");
        assert!(
            md.contains("| 192.0.2.10 | Spamhaus ZEN (Data Query Service) | unknown |"),
            "{md}"
        );
        for text in [json.to_string(), md] {
            assert!(!text.contains("abcdefghijklmnopqrstuvwxyz"));
        }
    }
}
