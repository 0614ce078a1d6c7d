//! The DMARC findings: what was found where, why it matters (RFC 9989 and the providers' rules),
//! and the record to publish.

use super::discovery::{Found, Source};
use super::record::{parse_record, DmarcRecord, Level, PolicyState, Relation, ReportUri};
use super::{Dmarc, DmarcResult};
use crate::dns::{shorten, DomainName};
use crate::domain::fix::txt_record;
use crate::finding::{most_severe_first, Finding, FindingId};

/// The zone-file line of a DMARC record for `domain`.
fn dmarc_line(domain: &DomainName, text: &str) -> String {
    txt_record(&format!("_dmarc.{domain}"), text)
}

/// The tag whose policy applied (`p`, `sp` or `np`).
fn policy_tag(record: &DmarcRecord, relation: Relation) -> &'static str {
    match relation {
        Relation::Itself => "p",
        Relation::Subdomain if record.sp.is_some() => "sp",
        Relation::NonexistentSubdomain if record.np.is_some() => "np",
        Relation::NonexistentSubdomain if record.sp.is_some() => "sp",
        _ => "p",
    }
}

fn bullets(items: &[String]) -> String {
    items.iter().map(|m| format!("\n- {m}")).collect::<String>()
}

/// The sentence about the 8-label window, for a long domain without its own record.
fn deep_note(dmarc: &Dmarc) -> String {
    if dmarc.domain.label_count() > super::discovery::MAX_WALK
        && dmarc.source != Some(Source::Domain)
    {
        format!(
            " {} has more than 8 labels, so the tree walk jumps from it to its 7-label ancestor: a record on a name in between is never found (RFC 9989 §5.1.8).",
            dmarc.domain
        )
    } else {
        String::new()
    }
}

/// A TXT record at a `_dmarc` name that is not a DMARC record, made into one when the mistake is
/// plain (quotes, the version's case, `v` not first).
fn repair(text: &str) -> Option<String> {
    let bare = text.trim().trim_matches(|c| c == '"' || c == '\\').trim();
    let mut tags: Vec<&str> = bare
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let v = tags.iter().position(|t| {
        t.split_once('=').is_some_and(|(n, v)| {
            n.trim().eq_ignore_ascii_case("v") && v.trim().eq_ignore_ascii_case("DMARC1")
        })
    })?;
    tags.remove(v);
    tags.insert(0, "v=DMARC1");
    parse_record(&tags.join("; ")).ok().map(|r| r.corrected())
}

/// All DMARC findings for `dmarc.domain`, most severe first.
pub fn findings(dmarc: &Dmarc) -> Vec<Finding> {
    let mut out = Vec::new();
    let d = &dmarc.domain;
    let asked: Vec<String> = dmarc
        .walk
        .used_steps()
        .iter()
        .map(|s| s.query_name())
        .collect();
    let several = dmarc
        .walk
        .used_steps()
        .iter()
        .any(|s| matches!(s.found, Found::Several(_)));

    for s in dmarc.walk.used_steps() {
        match &s.found {
            Found::Several(texts) => {
                let list: Vec<String> = texts.iter().map(|t| format!("`{}`", shorten(t))).collect();
                let keep = parse_record(&texts[0])
                    .map(|r| r.corrected())
                    .unwrap_or_default();
                out.push(
                    FindingId::DmarcMultiple
                        .says(format!("{} has {} DMARC records, so receivers ignore them all", s.query_name(), texts.len()))
                        .because(format!(
                            "RFC 9989 §4.10 step 2: when a name holds more than one record starting with v=DMARC1, all of them are discarded, as if there were none. Found: {}.",
                            list.join("; ")
                        ))
                        .fixed_by(format!("Delete all but one, for example keep:\n{}", dmarc_line(&s.domain, &keep))),
                );
            }
            Found::Nothing => {
                for (text, why) in &s.discarded {
                    let suggestion = repair(text).unwrap_or_else(|| "v=DMARC1; p=none".into());
                    out.push(
                        FindingId::DmarcNotARecord
                            .says(format!("{} holds a TXT record that is not a DMARC record", s.query_name()))
                            .because(format!(
                                "`{}`: {why}. Receivers skip it: a record whose first tag is not exactly v=DMARC1 \"MUST be ignored\" (RFC 9989 §4.7).",
                                shorten(text)
                            ))
                            .fixed_by(format!("Replace it with a DMARC record:\n{}", dmarc_line(&s.domain, &suggestion))),
                    );
                }
            }
            _ => {}
        }
    }

    match dmarc.result {
        DmarcResult::TempError => out.push(
            FindingId::DmarcTemperror
                .says(format!("Could not look up the DMARC policy of {d}"))
                .because(format!(
                    "A lookup failed in a way that may be temporary ({}). RFC 9989 §4.10.1 leaves it to the receiver: some deliver the mail without DMARC (\"fail open\"), others defer it with a 4xx reply until the lookup works.",
                    dmarc.temperror.as_deref().unwrap_or_default()
                ))
                .fixed_by("Try again, or with another resolver; if it persists, check the authoritative servers and DNSSEC of the zone that holds the _dmarc name."),
        ),
        DmarcResult::Fail if dmarc.record.is_none() && !several => out.push(
            FindingId::DmarcMissing
                .says(format!("{d} has no DMARC record"))
                .because(format!(
                    "A receiver looks for a DMARC policy record at {} (the RFC 9989 §4.10 tree walk) and finds none, so DMARC does not apply to mail from {d}: anyone can send as {d}. Gmail blocks bulk senders without one (550-5.7.40 \"the sending domain doesn't have a DMARC record\"), Yahoo and Outlook.com (550 5.7.515) require one from bulk senders, and Apple requires one for bulk mail.{}",
                    asked.join(", "),
                    deep_note(dmarc)
                ))
                .fixed_by(format!(
                    "Publish a policy record; start with p=none and read the aggregate reports before moving to quarantine or reject (RFC 9989 §5.1):\n{}\nCreate the mailbox dmarc-reports@{d} first, or use your DMARC report service's address.",
                    dmarc_line(d, &format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{d}"))
                )),
        ),
        _ => {}
    }

    let (Some(record), Some(at), Some(source)) = (&dmarc.record, &dmarc.found_at, dmarc.source)
    else {
        return most_severe_first(out);
    };
    let relation = dmarc.relation();
    let shown = format!("`{}` at _dmarc.{at}", record.text);
    let errors: Vec<String> = record
        .problems
        .iter()
        .filter(|p| p.level == Level::Error)
        .map(|p| p.message.clone())
        .collect();
    let corrected = dmarc_line(at, &record.corrected());

    match record.state {
        PolicyState::Valid => {
            let policy = dmarc.policy.map_or("", |p| p.as_str());
            let tag = policy_tag(record, relation);
            let whose = match source {
                Source::Domain => format!("{d}'s own record"),
                Source::OrgDomain => format!("the record of its organizational domain {at}, whose `{tag}` applies to its subdomains"),
                Source::Psd => format!("the record of the public suffix domain {at} (psd=y), whose `{tag}` applies to the domains below it"),
            };
            let testing = match dmarc.applied_policy {
                Some(applied) if Some(applied) != dmarc.policy => {
                    format!(", applied as {} while t=y", applied.as_str())
                }
                _ => String::new(),
            };
            out.push(
                FindingId::DmarcPass
                    .says(format!("DMARC policy of {d}: {tag}={policy}"))
                    .because(format!(
                        "Receivers find {shown}, {whose}. Mail from {d} that fails DMARC gets the policy `{policy}`{testing}. Gmail, Yahoo and Outlook.com ask bulk senders for a DMARC record with at least p=none (Gmail 550-5.7.40 without one, Outlook.com 550 5.7.515), and Apple asks for one for bulk mail: this record meets that.{}",
                        deep_note(dmarc)
                    )),
            );
            if !errors.is_empty() {
                out.push(
                    FindingId::DmarcTagInvalid
                        .says(format!("The DMARC record at _dmarc.{at} has {} invalid value{}", errors.len(), if errors.len() == 1 { "" } else { "s" }))
                        .because(format!(
                            "{shown}:{}\nRFC 9989 §4.8: receivers discard invalid values in favour of the defaults, which may not be what you meant.",
                            bullets(&errors)
                        ))
                        .fixed_by(format!("Publish:\n{corrected}")),
                );
            }
        }
        PolicyState::TreatedAsNone => out.push(
            FindingId::DmarcPolicyDefaulted
                .says(format!("The DMARC record at _dmarc.{at} has no valid policy; receivers read it as p=none"))
                .because(format!(
                    "{shown}:{}\nRFC 9989 §4.10.1: without a valid p, or with an invalid sp or np, but with a valid rua address, receivers act as if the record said p=none. Gmail counts it as a record that \"doesn't specify a DMARC policy\" and blocks bulk senders (550-5.7.40).",
                    bullets(&errors)
                ))
                .fixed_by(format!("Publish:\n{corrected}")),
        ),
        PolicyState::Ignored => out.push(
            FindingId::DmarcPolicyInvalid
                .says(format!("The DMARC record at _dmarc.{at} has no usable policy, so receivers ignore it"))
                .because(format!(
                    "{shown}:{}\nRFC 9989 §4.10.1: a record without a valid p, or with an invalid sp or np, counts as p=none only when rua holds a valid address; this one has none, so receivers apply no DMARC processing to mail from {d}. Gmail blocks bulk senders whose record \"doesn't specify a DMARC policy\" (550-5.7.40).",
                    bullets(&errors)
                ))
                .fixed_by(format!("Publish:\n{corrected}")),
        ),
    }

    for p in record.problems.iter().filter(|p| p.level == Level::Warning) {
        let mut testing = record.clone();
        testing.testing = true;
        out.push(
            FindingId::DmarcPct
                .says(format!("The DMARC record at _dmarc.{at} uses pct, which RFC 9989 removed"))
                .because(format!("{shown}: {}.", p.message))
                .fixed_by(format!(
                    "Drop pct; while you are testing, use t=y (receivers then apply the policy one level lower):\n{}",
                    dmarc_line(at, &testing.corrected())
                )),
        );
    }

    let notes: Vec<String> = record
        .problems
        .iter()
        .filter(|p| p.level == Level::Note)
        .map(|p| p.message.clone())
        .collect();
    if !notes.is_empty() {
        out.push(
            FindingId::DmarcTagNote
                .says(format!(
                    "The DMARC record at _dmarc.{at} has text receivers ignore"
                ))
                .because(format!("{shown}:{}", bullets(&notes)))
                .fixed_by(format!("Nothing breaks; to tidy up, publish:\n{corrected}")),
        );
    }

    if record.state == PolicyState::Valid {
        if dmarc.applied_policy == Some(super::Policy::None) && source != Source::Psd {
            out.push(
                FindingId::DmarcPolicyNone
                    .says(format!("The DMARC policy of {d} is none: monitoring only"))
                    .because(format!(
                        "Receivers deliver mail that fails DMARC as if there were no policy: the record meets Gmail's, Yahoo's and Outlook.com's bulk-sender requirement and brings reports, but does not stop others from sending as {d}. RFC 9989 §5.1.7: move to quarantine or reject once the aggregate reports show that all your legitimate mail passes."
                    ))
                    .fixed_by("When the reports show all your mail passing, change p=none to p=quarantine, then to p=reject."),
            );
        }
        if record.testing {
            let mut live = record.clone();
            live.testing = false;
            let (policy, applied) = (
                dmarc.policy.map_or("", |p| p.as_str()),
                dmarc.applied_policy.map_or("", |p| p.as_str()),
            );
            out.push(
                FindingId::DmarcTestMode
                    .says(format!("The DMARC record at _dmarc.{at} is in test mode (t=y)"))
                    .because(format!(
                        "t=y asks receivers to apply the policy one level lower: {policy} becomes {applied} for mail that fails DMARC (RFC 9989 §4.7)."
                    ))
                    .fixed_by(format!("When testing is over, remove t=y:\n{}", dmarc_line(at, &live.corrected()))),
            );
        }
        if record.rua.is_empty() && source != Source::Psd {
            let mut with = record.clone();
            let mailbox = format!("dmarc-reports@{at}");
            with.rua.push(ReportUri {
                uri: format!("mailto:{mailbox}"),
                host: Some(at.clone()),
            });
            out.push(
                FindingId::DmarcNoRua
                    .says(format!("The DMARC record at _dmarc.{at} asks for no aggregate reports"))
                    .because(format!(
                        "Without a valid rua, receivers MUST NOT send aggregate reports (RFC 9989 §4.7), so you cannot see who sends as {d} or whether your own mail passes. Yahoo strongly recommends a working rua."
                    ))
                    .fixed_by(format!(
                        "Add a rua address (create the mailbox first, or use your report service's):\n{}",
                        dmarc_line(at, &with.corrected())
                    )),
            );
        }
    }

    let org = dmarc.org_domain.as_ref().unwrap_or(at);
    for dest in dmarc
        .destinations
        .iter()
        .filter(|x| x.authorized == Some(false))
    {
        let why = dest.problem.as_deref().unwrap_or_default();
        let fix = match &dest.query {
            Some(q) if !why.contains("another host") && DomainName::parse(q).is_ok() => format!(
                "Ask whoever runs {} (your report service) to publish:\n{}\nor send the reports to an address in {org}.",
                dest.host,
                txt_record(q, "v=DMARC1;")
            ),
            Some(q) if why.contains("another host") => format!(
                "Ask whoever runs {} to correct the {} in its record at {q}, or publish the address it names.",
                dest.host, dest.tag
            ),
            _ => format!("Send the reports to an address in {org}."),
        };
        out.push(
            FindingId::DmarcReportUnauthorized
                .says(format!(
                    "Reports to {} are dropped: {} has not authorised them",
                    dest.uri, dest.host
                ))
                .because(format!(
                    "{why}. The {} reports about {d} addressed there are never sent.",
                    if dest.tag == "rua" {
                        "aggregate"
                    } else {
                        "failure"
                    }
                ))
                .fixed_by(fix),
        );
    }

    for s in dmarc.walk.skipped() {
        let mut org_record = s.record().cloned().unwrap_or_else(|| record.clone());
        org_record.psd = super::Psd::No;
        out.push(
            FindingId::DmarcRecordUnused
                .says(format!("{} holds a DMARC record that does not apply to {d}", s.query_name()))
                .because(format!(
                    "RFC 9989 §4.10.1 applies the record of the domain itself, else of its organizational domain ({org}), else of its public suffix domain. A record at {}, between them, only helps find the organizational domain; mail from {d} gets the policy of _dmarc.{at}.",
                    s.domain
                ))
                .fixed_by(format!(
                    "If {} should govern its subdomains, mark it as an organizational domain with psd=n:\n{}\nor publish a record for {d} itself.",
                    s.domain,
                    dmarc_line(&s.domain, &org_record.corrected())
                )),
        );
    }
    most_severe_first(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{dmarc, run, txt};
    use super::*;
    use crate::testing::FixedResolver;

    fn ids(fixed: &FixedResolver, domain: &str) -> Vec<String> {
        findings(&run(fixed, domain))
            .iter()
            .map(|f| f.id.to_string())
            .collect()
    }

    fn finding(fixed: &FixedResolver, domain: &str, id: &str) -> Finding {
        findings(&run(fixed, domain))
            .into_iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    #[test]
    fn missing_record_with_the_record_to_publish() {
        let f = finding(&FixedResolver::new(), "example.com", "dmarc-missing");
        assert_eq!(f.title, "example.com has no DMARC record");
        assert!(
            f.detail.contains("_dmarc.example.com, _dmarc.com"),
            "{}",
            f.detail
        );
        assert!(f.detail.contains("550-5.7.40"));
        assert!(f.fix.contains(
            "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\""
        ));
    }

    #[test]
    fn a_good_record() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; rua=mailto:d@example.com",
        );
        assert_eq!(ids(&r, "example.com"), ["dmarc-pass"]);
        let f = finding(&r, "mail.example.com", "dmarc-pass");
        assert_eq!(f.title, "DMARC policy of mail.example.com: p=reject");
        assert!(
            f.detail.contains("organizational domain example.com"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn monitoring_without_reports() {
        let r = dmarc(FixedResolver::new(), "example.com", "v=DMARC1; p=none");
        assert_eq!(
            ids(&r, "example.com"),
            ["dmarc-policy-none", "dmarc-no-rua", "dmarc-pass"]
        );
        let f = finding(&r, "example.com", "dmarc-no-rua");
        assert!(
            f.fix
                .contains("\"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\""),
            "{}",
            f.fix
        );
    }

    #[test]
    fn invalid_policy_and_its_correction() {
        let r = dmarc(FixedResolver::new(), "example.com", "v=DMARC1; p=rejected");
        assert_eq!(ids(&r, "example.com"), ["dmarc-policy-invalid"]);
        let f = finding(&r, "example.com", "dmarc-policy-invalid");
        assert!(
            f.detail
                .contains("- `p=rejected` is not none, quarantine or reject"),
            "{}",
            f.detail
        );
        assert!(
            f.fix
                .ends_with("_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none\""),
            "{}",
            f.fix
        );

        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; rua=mailto:d@example.com",
        );
        assert_eq!(ids(&r, "example.com"), ["dmarc-policy-defaulted"]);
    }

    #[test]
    fn tag_problems_pct_and_notes() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=quarantine; pct=0; adkim=x; foo=1; rua=mailto:d@example.com",
        );
        assert_eq!(
            ids(&r, "example.com"),
            [
                "dmarc-tag-invalid",
                "dmarc-pct",
                "dmarc-tag-note",
                "dmarc-pass"
            ]
        );
        let f = finding(&r, "example.com", "dmarc-pct");
        assert!(
            f.fix
                .contains("\"v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com\""),
            "{}",
            f.fix
        );
    }

    #[test]
    fn several_and_discarded_records() {
        let r = txt(
            FixedResolver::new(),
            "_dmarc.example.com",
            &["v=DMARC1; p=none", "v=DMARC1; p=reject"],
        );
        assert_eq!(ids(&r, "example.com"), ["dmarc-multiple"]);
        let r = txt(
            FixedResolver::new(),
            "_dmarc.example.com",
            &["v=dmarc1; p=reject; rua=mailto:d@example.com"],
        );
        assert_eq!(
            ids(&r, "example.com"),
            ["dmarc-not-a-record", "dmarc-missing"]
        );
        let f = finding(&r, "example.com", "dmarc-not-a-record");
        assert!(
            f.fix
                .contains("\"v=DMARC1; p=reject; rua=mailto:d@example.com\""),
            "{}",
            f.fix
        );
    }

    #[test]
    fn test_mode_and_unused_records() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com",
        );
        let r = dmarc(
            r,
            "mail.example.com",
            "v=DMARC1; p=none; rua=mailto:d@example.com",
        );
        let f = finding(&r, "a.mail.example.com", "dmarc-test-mode");
        assert!(
            f.detail.contains("reject becomes quarantine"),
            "{}",
            f.detail
        );
        let f = finding(&r, "a.mail.example.com", "dmarc-record-unused");
        assert_eq!(f.title, "_dmarc.mail.example.com holds a DMARC record that does not apply to a.mail.example.com");
        assert!(f.fix.contains("_dmarc.mail.example.com. 3600 IN TXT \"v=DMARC1; p=none; psd=n; rua=mailto:d@example.com\""), "{}", f.fix);
    }

    #[test]
    fn unauthorised_destination() {
        let r = dmarc(
            FixedResolver::new(),
            "example.com",
            "v=DMARC1; p=none; rua=mailto:d@reports.example.net",
        );
        let f = finding(&r, "example.com", "dmarc-report-unauthorized");
        assert_eq!(f.title, "Reports to mailto:d@reports.example.net are dropped: reports.example.net has not authorised them");
        assert!(
            f.fix.contains(
                "example.com._report._dmarc.reports.example.net. 3600 IN TXT \"v=DMARC1;\""
            ),
            "{}",
            f.fix
        );
    }

    #[test]
    fn temperror() {
        let r = FixedResolver::new().answer(
            "_dmarc.example.com",
            crate::dns::RecordType::Txt,
            crate::dns::Rcode::ServFail,
            vec![],
        );
        assert_eq!(ids(&r, "example.com"), ["dmarc-temperror"]);
    }

    #[test]
    fn repairs() {
        assert_eq!(
            repair("\"v=DMARC1; p=none\"").as_deref(),
            Some("v=DMARC1; p=none")
        );
        assert_eq!(
            repair("p=reject; v=DMARC1").as_deref(),
            Some("v=DMARC1; p=reject")
        );
        assert_eq!(repair("v=spf1 -all"), None);
    }
}
