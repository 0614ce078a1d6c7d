//! The full check of what a paste names: its address, or, when it names only an EHLO name, every
//! address of that name; for a bounce, also the checks its reply points to.

use std::net::IpAddr;

use futures::future::{join3, OptionFuture};

use super::{paste_findings, Extracted};
use crate::bounce::{bounce_findings, follow_up, Cause, FollowUp, FollowUpOptions};
use crate::dns::DomainName;
use crate::dns::Resolver;
use crate::domain::check::{check_domain, DomainInput, DomainReport};
use crate::domain::dkim::DkimQuery;
use crate::finding::{most_severe_first, Finding, Severity};
use crate::identity::helo::{parse_helo, HeloKind};
use crate::report::{check_target, Checked, Target, Verdict};

/// A paste, its DNS check, and the findings only the paste can give.
#[derive(Debug, Clone, PartialEq)]
pub struct PasteReport {
    /// What was found in the text.
    pub extracted: Extracted,
    /// The DNS check; `None` when the paste names neither an address nor a host name.
    pub checked: Option<Checked>,
    /// SAV, receiver-comparison and (without an address) EHLO-syntax findings; for a bounce,
    /// what the receiver said, whether its cause is still there, and the findings of the checks
    /// run for it.
    pub findings: Vec<Finding>,
    /// The sending domain's check, when the paste names one (headers' From, a configuration's
    /// origin domain).
    pub domain: Option<DomainReport>,
    /// A bounce's follow-up checks and whether its cause is still there.
    pub bounce: Option<BounceCheck>,
}

/// The checks a bounce pointed to, run for the address and domains it names.
#[derive(Debug, Clone, PartialEq)]
pub struct BounceCheck {
    /// What they found.
    pub follow: FollowUp,
    /// Whether the cause is still there.
    pub cause: Cause,
}

impl PasteReport {
    /// The DNS check's verdict, made `fail` by any paste finding of severity error (an invalid
    /// EHLO name in a configuration; a bounce's cause still there; a blocklist listing).
    /// Warnings (Sender Address Verification, disagreements with the receiver, lists that could
    /// not be checked, bounces no DNS change fixes) never change it. With no DNS check and no
    /// such finding, `pass`. The sending domain's check is reported beside it and has its own
    /// verdict ([`DomainReport::verdict`]): a paste of headers names the server and the domain,
    /// and the status says whether the server is accepted.
    pub fn verdict(&self) -> Verdict {
        let dns = self
            .checked
            .as_ref()
            .map_or(Verdict::Pass, Checked::verdict);
        let paste = if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Verdict::worst([dns, paste])
    }
}

/// What to look up for a paste: its address; else the address of an address-literal EHLO
/// argument; else every address of an EHLO host name; `None` when it names nothing to look up.
/// The page and the CLI both start here. For a bounce the address is the sending IP it names,
/// never the receiver's.
pub fn target(x: &Extracted) -> Option<Target> {
    if let Some(ip) = x.ip {
        return Some(Target::Ip(ip));
    }
    let helo = parse_helo(x.helo.as_deref()?);
    match (helo.kind, helo.literal, helo.domain) {
        (HeloKind::AddressLiteral, Some(ip), _) => Some(Target::Ip(ip)),
        (HeloKind::Fqdn, _, Some(name)) => Some(Target::Host(name)),
        _ => None,
    }
}

/// The sending domain's check a paste asks for: its From domain (else the Return-Path's), the
/// Return-Path as MAIL FROM, its DKIM signatures' keys, the extracted address and EHLO name.
pub fn domain_input(x: &Extracted) -> Option<DomainInput> {
    let s = &x.sender;
    let from = s
        .from
        .as_deref()
        .or(s.mail_from.as_deref().filter(|m| !m.is_empty()))?;
    let mut d = DomainInput::parse(from).ok()?;
    if let Some(m) = &s.mail_from {
        // A Return-Path that is not an address leaves the From address as the reverse-path.
        let _ = d.set_mail_from(m);
    }
    d.ip = x.ip;
    if let Some(helo) = &x.helo {
        d.set_helo(helo);
    }
    d.dkim = s
        .dkim
        .iter()
        .filter_map(|k| DkimQuery::new(&k.selector, &DomainName::parse(&k.domain).ok()?).ok())
        .collect();
    Some(d)
}

/// Checks what the paste names (see [`target`]) with the extracted EHLO name, the sending domain
/// it names beside it, and for a bounce the checks it points to, through the curated blocklists.
pub async fn check_paste<R: Resolver>(resolver: &R, extracted: Extracted) -> PasteReport {
    check_paste_with(resolver, extracted, &FollowUpOptions::default()).await
}

/// [`check_paste`] with a bounce's follow-up options (the blocklists to ask). The identity check,
/// the sending domain's and the bounce's checks run at once.
pub async fn check_paste_with<R: Resolver>(
    resolver: &R,
    extracted: Extracted,
    options: &FollowUpOptions,
) -> PasteReport {
    let target = target(&extracted);
    let ip: Option<IpAddr> = match target {
        Some(Target::Ip(ip)) => Some(ip),
        _ => None,
    };
    let helo = extracted.helo.as_deref();
    let identity = OptionFuture::from(target.as_ref().map(|t| check_target(resolver, t, helo)));
    let input = domain_input(&extracted);
    let domain = OptionFuture::from(input.as_ref().map(|d| check_domain(resolver, d)));
    let follow = OptionFuture::from(
        extracted
            .bounce
            .as_ref()
            .map(|b| follow_up(resolver, b, ip, options)),
    );
    let (checked, mut domain, follow) = join3(identity, domain, follow).await;
    if let (Some(d), Some(Checked::Ip(r))) = (&mut domain, &checked) {
        d.judge_report(r);
    }
    let report = match &checked {
        Some(Checked::Ip(r)) => Some(r),
        _ => None,
    };
    let mut findings = paste_findings(&extracted, report);
    let bounce = match (&extracted.bounce, follow) {
        (Some(b), Some(follow)) => {
            let (cause, more) = bounce_findings(b, report, &follow);
            findings.extend(more);
            Some(BounceCheck { follow, cause })
        }
        _ => None,
    };
    PasteReport {
        extracted,
        checked,
        findings: most_severe_first(findings),
        domain,
        bounce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocklist::Blocklist;
    use crate::dns::{Rcode, RecordType};
    use crate::paste::{extract, Format};
    use crate::testing::{a, txt, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    const GMAIL: &str = "Nov 27 10:00:01 mail postfix/smtp[777]: 4AbC: to=<b@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.2, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup (in reply to end of DATA command))";

    fn ids(p: &PasteReport) -> Vec<&str> {
        p.findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn a_fixed_ptr_makes_the_5_7_25_bounce_history() {
        let x = extract(GMAIL).unwrap();
        assert_eq!(x.format, Format::PostfixLog);
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        let fixed =
            FixedResolver::new().ptr_and_address("192.0.2.10", "mail.example.com", "192.0.2.10");
        let p = block_on(check_paste(&fixed, x.clone()));
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::Fixed);
        assert!(ids(&p).contains(&"bounce-cause-fixed"), "{:?}", ids(&p));
        let f = p
            .findings
            .iter()
            .find(|f| f.id == "bounce-cause-fixed")
            .unwrap();
        assert!(
            f.title
                .starts_with("Fixed: the reverse DNS of 192.0.2.10 is forward-confirmed"),
            "{}",
            f.title
        );
        assert!(
            f.title
                .ends_with("the 550 5.7.25 bounce was from before the fix"),
            "{}",
            f.title
        );
        assert_eq!(p.verdict(), Verdict::Pass);
        // Still no PTR: the cause is there.
        let p = block_on(check_paste(&FixedResolver::new(), x));
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::Present);
        let f = p
            .findings
            .iter()
            .find(|f| f.id == "bounce-cause-present")
            .unwrap();
        assert_eq!(
            f.title,
            "Still failing: 192.0.2.10 has no PTR record, the cause of the 550 5.7.25 bounce"
        );
        assert_eq!(p.verdict(), Verdict::Fail);
    }

    #[test]
    fn a_named_blocklist_is_asked_and_decides() {
        let text = "Nov 27 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using bl.example.net; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<mail.example.org>";
        let x = extract(text).unwrap();
        let healthy = |r: FixedResolver| {
            r.answer(
                "2.0.0.127.bl.example.net",
                RecordType::A,
                Rcode::NoError,
                vec![a("2.0.0.127.bl.example.net", "127.0.0.2")],
            )
        };
        let options = FollowUpOptions {
            blocklists: Vec::new(),
        };
        let listed = healthy(FixedResolver::new()).answer(
            "9.113.0.203.bl.example.net",
            RecordType::A,
            Rcode::NoError,
            vec![a("9.113.0.203.bl.example.net", "127.0.0.2")],
        );
        let p = block_on(check_paste_with(&listed, x.clone(), &options));
        let b = p.bounce.as_ref().unwrap();
        assert_eq!(b.cause, Cause::Present);
        assert_eq!(b.follow.blocklists.as_ref().unwrap().len(), 1);
        assert!(ids(&p).contains(&"blocklist-listed"));
        let p = block_on(check_paste_with(
            &healthy(FixedResolver::new()),
            x.clone(),
            &options,
        ));
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::Fixed);
        // The list answers an error code: unknown, never fixed.
        let refused = FixedResolver::new()
            .answer(
                "2.0.0.127.bl.example.net",
                RecordType::A,
                Rcode::NoError,
                vec![a("2.0.0.127.bl.example.net", "127.255.255.254")],
            )
            .answer(
                "9.113.0.203.bl.example.net",
                RecordType::A,
                Rcode::NoError,
                vec![a("9.113.0.203.bl.example.net", "127.255.255.254")],
            );
        let p = block_on(check_paste_with(&refused, x, &options));
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::Unknown);
        assert!(ids(&p).contains(&"blocklist-unknown"));
    }

    #[test]
    fn reputation_is_not_dns_and_its_checks_take_no_extra_round_trip() {
        let log = "Feb 13 17:06:30 mail postfix/qmgr[700]: 08C8A1211B3: from=<alice@example.org>, size=100, nrcpt=1 (queue active)\nFeb 13 17:06:36 mail postfix/smtp[11204]: 08C8A1211B3: to=<user@yahoo.com>, relay=mta7.am0.yahoodns.net[98.138.112.35]:25, delay=2, dsn=5.7.2, status=bounced (host mta7.am0.yahoodns.net[98.138.112.35] said: 553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. (in reply to MAIL FROM command))";
        let x = extract(log).unwrap();
        let b = x.bounce.as_ref().unwrap();
        assert_eq!(
            (b.sender.as_deref(), b.sending_ip.map(|i| i.to_string())),
            (Some("alice@example.org"), Some("192.0.2.10".into()))
        );
        let mut fixed = FixedResolver::new()
            .ptr_and_address("192.0.2.10", "mail.example.org", "192.0.2.10")
            .answer(
                "example.org",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt("example.org", &["v=spf1 ip4:192.0.2.0/24 -all"])],
            )
            .answer(
                "_dmarc.example.org",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt(
                    "_dmarc.example.org",
                    &["v=DMARC1; p=reject; rua=mailto:d@example.org"],
                )],
            );
        for l in Blocklist::curated() {
            let yes = format!("2.0.0.127.{}", l.zone);
            fixed = fixed.answer(
                &yes,
                RecordType::A,
                Rcode::NoError,
                vec![a(&yes, "127.0.0.2")],
            );
        }
        let rt = RoundTrips::new(fixed);
        let (p, rounds) = rt.run(check_paste(&rt, x));
        assert_eq!(
            rounds, 2,
            "the identity check's two round trips; blocklists, SPF and DMARC fit in them"
        );
        let b = p.bounce.as_ref().unwrap();
        assert_eq!(b.cause, Cause::NotDns);
        assert_eq!(
            b.follow.spf.as_ref().unwrap().result,
            crate::domain::spf::SpfResult::Pass
        );
        assert!(b
            .follow
            .blocklists
            .as_ref()
            .unwrap()
            .iter()
            .all(|l| l.result == crate::blocklist::ListResult::NotListed));
        let f = p
            .findings
            .iter()
            .find(|f| f.id == "bounce-not-dns")
            .unwrap();
        assert!(f.title.starts_with("No DNS change fixes this 553 5.7.2 bounce: it is about the sending IP's or domain's reputation"), "{}", f.title);
        assert!(
            f.detail
                .contains("spf: SPF of example.org for 192.0.2.10 is pass"),
            "{}",
            f.detail
        );
        let reply = p.findings.iter().find(|f| f.id == "bounce-reply").unwrap();
        assert_eq!(
            reply.title,
            "Yahoo/AOL refused the message at MAIL FROM: 553 5.7.2"
        );
    }

    #[test]
    fn a_bounce_without_the_sending_ip_cannot_tell() {
        let x = extract("550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137").unwrap();
        assert_eq!(x.format, Format::Bounce);
        assert_eq!(x.ip, None);
        let p = block_on(check_paste(&FixedResolver::new(), x));
        assert!(p.checked.is_none());
        // [CS01] is content: no DNS change fixes it.
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::NotDns);
        let x = extract(
            "550-5.7.25 The IP address sending this message does not have a PTR record setup",
        )
        .unwrap();
        let p = block_on(check_paste(&FixedResolver::new(), x));
        assert_eq!(p.bounce.as_ref().unwrap().cause, Cause::Unknown);
        let f = p
            .findings
            .iter()
            .find(|f| f.id == "bounce-cause-unknown")
            .unwrap();
        assert!(f.fix.starts_with("Paste the log line"), "{}", f.fix);
        let j = crate::paste::paste_json(&p, 1);
        assert_eq!(j["bounce_cause"], "unknown");
        assert_eq!(j["extracted"]["format"], "bounce");
        assert_eq!(j["extracted"]["bounce"]["smtp_code"], 550);
        assert_eq!(j["extracted"]["bounce"]["rule"], "gmail-5.7.25-ptr");
        assert_eq!(
            j["extracted"]["bounce"]["sending_ip"],
            serde_json::Value::Null
        );
    }
}
