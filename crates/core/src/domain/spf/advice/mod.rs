//! Findings from an SPF evaluation: what the result means at the big mailbox providers, and what
//! in the record puts mail at risk (the lookup limit, `+all`/`?all`, `ptr`, no `all`, includes of
//! domains without a record, void lookups, strings that join badly, size, the old SPF record type,
//! `exp=`; those are in `risks.rs`). Each says what was seen, why it matters (the RFC 7208 section and the provider), and
//! the fix, as the exact record to publish when one can be computed.

use std::net::IpAddr;

mod risks;

pub use risks::answer_size;

use super::record::{self, Record, Term};
use super::{Evaluation, Identity, SpfResult};
use crate::dns::RData;
use crate::finding::{most_severe_first, Finding, FindingId};

/// The worst case from which the lookup count is worth a warning.
pub const NEAR_LIMIT: usize = 8;
/// The largest record worth publishing (RFC 4408 §3.1.4's advice, kept by practice).
pub const MAX_RECORD_CHARS: usize = 450;
/// The classic DNS UDP payload (RFC 1035 §2.3.4) that RFC 7208 §3.4 asks SPF answers to fit.
pub const UDP_SIZE: usize = 512;

/// All findings of one evaluation, most severe first.
pub fn findings(e: &Evaluation) -> Vec<Finding> {
    let mut out = Vec::new();
    result_finding(e, &mut out);
    let record = e.record.as_deref().and_then(|t| record::parse(t).ok());
    if let Some(record) = &record {
        risks::all_findings(e, record, &mut out);
        risks::ptr_finding(e, record, &mut out);
    }
    risks::cost_findings(e, record.as_ref(), &mut out);
    risks::void_finding(e, record.as_ref(), &mut out);
    risks::strings_finding(e, &mut out);
    risks::size_finding(e, &mut out);
    risks::type_spf_finding(e, &mut out);
    if let Some(exp) = record.as_ref().and_then(Record::exp) {
        let shown = match &e.explanation {
            Some(text) => format!(" This check's failure would read: \"{text}\"."),
            None => String::new(),
        };
        out.push(FindingId::SpfExp
            .says(format!("The record gives an explanation (`exp={exp}`)"))
            .because(format!(
                "When the result is fail, a receiver may look up the TXT record at `{exp}` and quote it in its rejection (RFC 7208 §6.2).{shown} The lookup happens after the result, so it does not count against the 10-lookup limit, and most large providers send their own text instead. It is harmless but rarely seen."
            )));
    }
    most_severe_first(out)
}

/// The record with an `ip4:`/`ip6:` term for `ip` first, and `~all` when it had no ending.
fn authorizing(e: &Evaluation) -> String {
    let term = match e.ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    };
    match e.record.as_deref().and_then(|t| record::parse(t).ok()) {
        Some(r) => {
            let mut text = rewrite(&r, |t| Some(t.text.clone()));
            text.insert_str("v=spf1".len(), &format!(" {term}"));
            if !r.has_all() && r.redirect().is_none() {
                text.push_str(" ~all");
            }
            text
        }
        None => format!("v=spf1 {term} ~all"),
    }
}

/// The record's terms mapped by `f` (`None` drops a term), after `v=spf1`.
pub(super) fn rewrite(record: &Record, f: impl Fn(&Term) -> Option<String>) -> String {
    let mut out = String::from("v=spf1");
    for term in record.terms.iter().filter_map(f) {
        out.push(' ');
        out.push_str(&term);
    }
    out
}

/// The zone-file line that publishes `record` at `domain`: strings of at most 255 octets, each
/// split at a space that stays inside the strings (receivers join them with nothing between,
/// RFC 7208 §3.3).
pub fn publish(domain: &str, record: &str) -> String {
    let mut strings: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, word) in record.split(' ').enumerate() {
        let piece = if i == 0 {
            word.to_string()
        } else {
            format!(" {word}")
        };
        if !current.is_empty() && current.len() + piece.len() > 255 {
            strings.push(std::mem::take(&mut current));
        }
        current.push_str(&piece);
        while current.len() > 255 {
            let mut cut = 255;
            while !current.is_char_boundary(cut) {
                cut -= 1;
            }
            let rest = current.split_off(cut);
            strings.push(std::mem::replace(&mut current, rest));
        }
    }
    strings.push(current);
    format!("{domain}. 3600 IN TXT {}", RData::Txt(strings))
}

fn result_finding(e: &Evaluation, out: &mut Vec<Finding>) {
    let (ip, domain) = (e.ip, e.domain.as_str());
    let who = match e.identity {
        Identity::MailFrom => format!("The MAIL FROM domain {domain}"),
        Identity::Helo => format!("The HELO name {domain}"),
    };
    let by = e.decided_by.as_deref().unwrap_or("no term matched");
    let add_ip = format!(
        "If {ip} sends mail for {domain}, authorize it in the record:\n{}",
        publish(domain, &authorizing(e))
    );
    let problem = e.problem.clone().unwrap_or_default();
    let f = match e.result {
        SpfResult::Pass => FindingId::SpfPass
            .says(format!("SPF passes: {domain} authorizes {ip}"))
            .because(format!(
                "{who} lists {ip} (`{by}`). Gmail and Yahoo require SPF or DKIM from every sender and both from senders of more than 5,000 messages a day; Outlook.com requires SPF pass from those bulk senders. For DMARC, this domain must also match (align with) the From domain."
            )),
        SpfResult::Fail => FindingId::SpfFail
            .says(format!("SPF fails: {domain} does not authorize {ip}"))
            .because(format!(
                "{who}'s record matched `{by}` for {ip}{}. Gmail may reject such mail with 550 5.7.27 (SPF failed) or, when DKIM does not pass either, 5.7.26 (unauthenticated), or file it as spam; Yahoo requires SPF or DKIM to pass; Outlook.com rejects bulk mail without SPF pass with 550 5.7.515.",
                e.explanation.as_ref().map(|x| format!(" (its explanation: \"{x}\")")).unwrap_or_default()
            ))
            .fixed_by(add_ip),
        SpfResult::SoftFail => FindingId::SpfSoftfail
            .says(format!("SPF softfails: {domain} probably does not authorize {ip}"))
            .because(format!(
                "{who}'s record matched `{by}` for {ip}: not authorized, but without a hard fail (RFC 7208 §2.6.5). Receivers accept the mail but count it against it: for Gmail it is SPF not passing, so without a passing DKIM signature expect the spam folder or 5.7.26; DMARC counts it as a failure, and Outlook.com rejects bulk mail without SPF pass (550 5.7.515)."
            ))
            .fixed_by(add_ip),
        SpfResult::Neutral => FindingId::SpfNeutral
            .says(format!("SPF is neutral: {domain} says nothing about {ip}"))
            .because(format!(
                "{who}'s record {} for {ip}, so the result is neutral (RFC 7208 §2.6.2): the same as no SPF for Gmail, Yahoo and DMARC. Only DKIM can then authenticate the mail, and Outlook.com rejects bulk mail without SPF pass (550 5.7.515).",
                if e.decided_by.is_some() { format!("matched `{by}`") } else { "has no term that matches".into() }
            ))
            .fixed_by(add_ip),
        SpfResult::None if e.identity == Identity::Helo => FindingId::SpfHeloNone
            .says(format!("The HELO name {domain} has no SPF record"))
            .because(format!(
                "{problem}. RFC 7208 §2.3 recommends an SPF record for HELO names: receivers check it when the MAIL FROM is empty (bounces), and some check it for every message."
            ))
            .fixed_by(format!(
                "Publish a record that authorizes the host's own address:\n{}",
                publish(domain, "v=spf1 a -all")
            )),
        SpfResult::None => FindingId::SpfNone
            .says(format!("No SPF for {domain}"))
            .because(format!(
                "{problem}. Without SPF, only DKIM can authenticate the mail: Gmail and Yahoo require SPF or DKIM from every sender and both from senders of more than 5,000 messages a day, and Outlook.com rejects such bulk mail without SPF pass (550 5.7.515)."
            ))
            .fixed_by(format!(
                "Publish one SPF record at {domain} listing every server that sends its mail, such as:\n{}",
                publish(domain, &authorizing(e))
            )),
        SpfResult::PermError => FindingId::SpfPermerror
            .says(format!("SPF permerror: {domain}'s record cannot be evaluated"))
            .because(format!(
                "{problem}. A permerror is a broken record (RFC 7208 §2.6.7): DMARC counts it as SPF failing, Gmail may reject the mail (5.7.27, or 5.7.26 without DKIM), and nothing the record lists is authorized."
            ))
            .fixed_by(if problem.contains("SPF records; there must be exactly one") {
                format!("Merge the records into one `v=spf1` TXT record at {domain} and delete the others (RFC 7208 §4.5).")
            } else {
                format!("Correct `{by}` (see above); the rest of the record is evaluated only when every term is valid.")
            }),
        SpfResult::TempError => FindingId::SpfTemperror
            .says(format!("SPF could not be evaluated for {domain}: a DNS lookup failed"))
            .because(format!(
                "{problem}. Receivers defer such mail (4xx) or treat it as having no SPF (RFC 7208 §2.6.6); if the failure lasts, the mail is delayed and finally bounced."
            ))
            .fixed_by("Check that the name servers named above answer TXT and A queries from the Internet, then check again."),
    };
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Rcode, RecordType};
    use crate::domain::spf::spf_mail_from;
    use crate::testing::{txt, FixedResolver};
    use futures::executor::block_on;

    fn check(r: &FixedResolver, ip: &str) -> (Evaluation, Vec<Finding>) {
        let e = block_on(spf_mail_from(
            r,
            ip.parse().unwrap(),
            "alice@example.com",
            "mail.example.com",
        ));
        let f = findings(&e);
        (e, f)
    }

    fn ids(f: &[Finding]) -> Vec<&'static str> {
        f.iter().map(|f| f.id.as_str()).collect()
    }

    fn spf(record: &str) -> FixedResolver {
        FixedResolver::new().answer(
            "example.com",
            RecordType::Txt,
            Rcode::NoError,
            vec![txt("example.com", &[record])],
        )
    }

    #[test]
    fn fail_says_what_to_publish() {
        let (e, f) = check(&spf("v=spf1 ip4:192.0.2.0/24 -all"), "198.51.100.7");
        assert_eq!(e.result, SpfResult::Fail);
        assert_eq!(ids(&f), vec!["spf-fail"]);
        assert_eq!(
            f[0].fix,
            "If 198.51.100.7 sends mail for example.com, authorize it in the record:\nexample.com. 3600 IN TXT \"v=spf1 ip4:198.51.100.7 ip4:192.0.2.0/24 -all\""
        );
        assert!(f[0].detail.contains("5.7.27"), "{}", f[0].detail);
    }

    #[test]
    fn publishing_long_records_splits_at_spaces() {
        let record = format!(
            "v=spf1 {} -all",
            "include:_spf.example.net ".repeat(12).trim()
        );
        let line = publish("example.com", &record);
        let strings: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        assert!(strings.len() > 1);
        assert!(strings.iter().all(|s| s.len() <= 255));
        assert_eq!(strings.concat(), record);
    }

    #[test]
    fn none_helo_and_errors() {
        let r = FixedResolver::new();
        let (_, f) = check(&r, "192.0.2.1");
        assert_eq!(ids(&f), vec!["spf-none"]);
        assert!(f[0].fix.ends_with("\"v=spf1 ip4:192.0.2.1 ~all\""));
        let e = block_on(crate::domain::spf::spf_helo(
            &r,
            "192.0.2.1".parse().unwrap(),
            "mail.example.com",
        ));
        assert_eq!(ids(&findings(&e)), vec!["spf-helo-none"]);
        let r = FixedResolver::new().error(
            "example.com",
            RecordType::Txt,
            crate::dns::ResolveError::Timeout { millis: 5000 },
        );
        let (_, f) = check(&r, "192.0.2.1");
        assert_eq!(ids(&f), vec!["spf-temperror"]);
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Txt,
            Rcode::NoError,
            vec![
                txt("example.com", &["v=spf1 -all"]),
                txt("example.com", &["v=spf1 +all"]),
            ],
        );
        let (_, f) = check(&r, "192.0.2.1");
        assert_eq!(ids(&f), vec!["spf-permerror"]);
        assert!(f[0].fix.starts_with("Merge the records"));
    }
}
