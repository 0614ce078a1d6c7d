//! What in a record puts mail at risk, beyond the result: `+all`/`?all`, no `all`, `ptr`, the
//! lookup limit, includes of domains without a record, void lookups, strings that join badly,
//! size, and the retired SPF record type.

use super::{publish, rewrite, MAX_RECORD_CHARS, NEAR_LIMIT, UDP_SIZE};
use crate::dns::RData;
use crate::domain::spf::record::{self, Mechanism, Qualifier, Record, Term, TermKind};
use crate::domain::spf::{Evaluation, Trace, MAX_LOOKUPS, MAX_VOID_LOOKUPS};
use crate::finding::{Finding, FindingId};

/// `+all` and `?all` in the record, and a record with neither `all` nor `redirect=`.
pub(super) fn all_findings(e: &Evaluation, record: &Record, out: &mut Vec<Finding>) {
    let domain = e.domain.as_str();
    let with_softfail = |q: Qualifier| {
        rewrite(record, |t| match &t.kind {
            TermKind::Mechanism(qq, Mechanism::All) if *qq == q => Some("~all".into()),
            _ => Some(t.text.clone()),
        })
    };
    if let Some(t) = find(record, |q, m| q == Qualifier::Pass && *m == Mechanism::All) {
        out.push(FindingId::SpfPlusAll
            .says(format!("`{}` authorizes every address on the Internet", t.text))
            .because(format!(
                "With `{}`, any server anywhere passes SPF for {domain} (RFC 7208 §5.1), so SPF protects nothing, and filters treat the record as a spammer's.",
                t.text
            ))
            .fixed_by(format!(
                "List the servers that send for {domain} and end with `~all` (or `-all` once the list is complete):\n{}",
                publish(domain, &with_softfail(Qualifier::Pass))
            )));
    }
    for (place, child) in included_plus_all(&e.trace) {
        out.push(FindingId::SpfPlusAll
            .says(format!("{place}'s record ends in `+all`"))
            .because(format!(
                "Every address passes {place}'s record, so an `include:{place}` matches for any sender (RFC 7208 §5.2) and authorizes the whole Internet for {domain}. {child}"
            ))
            .fixed_by(format!("Remove `include:{place}` unless its owner fixes the record.")));
    }
    if let Some(t) = find(record, |q, m| {
        q == Qualifier::Neutral && *m == Mechanism::All
    }) {
        out.push(FindingId::SpfNeutralAll
            .says(format!("`{}`: unlisted senders are neutral", t.text))
            .because(format!(
                "`{}` says nothing about servers the record does not list (RFC 7208 §2.6.2), so forged mail from {domain} is neutral rather than softfail or fail; receivers and DMARC treat it as unauthenticated rather than as suspicious.",
                t.text
            ))
            .fixed_by(format!("End with `~all` (or `-all` once every sender is listed):\n{}", publish(domain, &with_softfail(Qualifier::Neutral)))));
    }
    if !record.has_all() && record.redirect().is_none() {
        out.push(FindingId::SpfNoAll
            .says("The record has no `all` and no `redirect=`")
            .because(format!(
                "For an address the record does not list, the result is then neutral by default (RFC 7208 §4.7), which is no better than having no SPF for forged mail from {domain}."
            ))
            .fixed_by(format!(
                "End the record with `~all` (or `-all` once every sender is listed):\n{}",
                publish(domain, &format!("{} ~all", rewrite(record, |t| Some(t.text.clone()))))
            )));
    }
}

/// The first term of `record` whose qualifier and mechanism pass `test`.
fn find(record: &Record, test: impl Fn(Qualifier, &Mechanism) -> bool) -> Option<&Term> {
    record.terms.iter().find(|t| match &t.kind {
        TermKind::Mechanism(q, m) => test(*q, m),
        _ => false,
    })
}

/// Included records (evaluated, anywhere below the top) that have a `+all`: (domain, note).
fn included_plus_all(trace: &Trace) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<&Trace> = trace
        .terms
        .iter()
        .filter_map(|t| t.child.as_deref())
        .collect();
    while let Some(t) = stack.pop() {
        let plus_all = t
            .record
            .as_deref()
            .and_then(|r| record::parse(r).ok())
            .is_some_and(|r| {
                find(&r, |q, m| q == Qualifier::Pass && *m == Mechanism::All).is_some()
            });
        if plus_all {
            out.push((
                t.domain.clone(),
                format!("Its record: `{}`.", t.record.as_deref().unwrap_or_default()),
            ));
        }
        stack.extend(t.terms.iter().filter_map(|x| x.child.as_deref()));
    }
    out
}

pub(super) fn ptr_finding(e: &Evaluation, record: &Record, out: &mut Vec<Finding>) {
    let ptrs: Vec<&str> = record
        .terms
        .iter()
        .filter(|t| matches!(t.kind, TermKind::Mechanism(_, Mechanism::Ptr(_))))
        .map(|t| t.text.as_str())
        .collect();
    if ptrs.is_empty() {
        return;
    }
    let without = rewrite(record, |t| match t.kind {
        TermKind::Mechanism(_, Mechanism::Ptr(_)) => None,
        _ => Some(t.text.clone()),
    });
    out.push(FindingId::SpfPtr
        .says(format!("The record uses `{}`", ptrs.join("`, `")))
        .because("RFC 7208 §5.5 says `ptr` SHOULD NOT be used: it is slow (a reverse lookup and forward lookups for every check), depends on reverse DNS the sender's ISP controls, and large receivers may skip it, so the servers it was meant to cover can fail SPF.")
        .fixed_by(format!(
            "Replace it with `ip4:`/`ip6:` (or `a:`) terms for the servers it covered, and remove it:\n{}",
            publish(&e.domain, &without)
        )));
}

pub(super) fn cost_findings(e: &Evaluation, record: Option<&Record>, out: &mut Vec<Finding>) {
    let cost = &e.cost;
    let shown: Vec<String> = cost
        .terms
        .iter()
        .map(|t| format!("`{}` {}", t.term, t.lookups))
        .collect();
    let count = if cost.complete {
        cost.lookups.to_string()
    } else {
        format!("at least {}", cost.lookups)
    };
    let fix = "Replace the costliest `include:` terms with the `ip4:`/`ip6:` ranges they publish (or a provider's smaller include), remove includes of services no longer used, and use `ip4:` instead of `a`/`mx` for your own servers.";
    if cost.lookups > MAX_LOOKUPS {
        out.push(FindingId::SpfLookupsOverLimit
            .says(format!("The record needs {count} DNS lookups; the limit is {MAX_LOOKUPS}"))
            .because(format!(
                "Evaluating {}'s record for a server it does not list takes {count} DNS-querying terms; RFC 7208 §4.6.4 makes the 11th a permerror, which receivers and DMARC count as SPF failing (Gmail: 5.7.27/5.7.26). This check used {} for {}. Per term: {}.",
                e.domain, e.lookups, e.ip, shown.join(", ")
            ))
            .fixed_by(fix));
    } else if cost.lookups >= NEAR_LIMIT {
        out.push(FindingId::SpfLookupsNearLimit
            .says(format!("The record needs {count} of its {MAX_LOOKUPS} DNS lookups"))
            .because(format!(
                "Evaluating {}'s record for a server it does not list takes {count} DNS-querying terms; one more include, or a provider adding a term to its own, makes it a permerror (RFC 7208 §4.6.4). Per term: {}.",
                e.domain,
                shown.join(", ")
            ))
            .fixed_by(fix));
    }
    if !cost.missing.is_empty() {
        let own: Vec<&String> = cost
            .missing
            .iter()
            .filter(|m| record.is_some_and(|r| r.terms.iter().any(|t| &&t.text == m)))
            .collect();
        let fix = match record {
            Some(r) if !own.is_empty() => format!(
                "Remove them (or correct the domain names):\n{}",
                publish(
                    &e.domain,
                    &rewrite(r, |t| (!own.contains(&&t.text)).then(|| t.text.clone()))
                )
            ),
            _ => "Ask the owner of the record that includes them to remove or correct them.".into(),
        };
        out.push(FindingId::SpfIncludeMissing
            .says(format!("`{}` names a domain without an SPF record", cost.missing.join("`, `")))
            .because("An `include:` or `redirect=` of a domain that publishes no SPF record is a permerror whenever evaluation reaches it (RFC 7208 §5.2, §6.1), so every server not listed before it fails SPF with a permerror.")
            .fixed_by(fix));
    }
}

pub(super) fn void_finding(e: &Evaluation, record: Option<&Record>, out: &mut Vec<Finding>) {
    let mut voids: Vec<(String, String)> = Vec::new();
    let mut stack = vec![&e.trace];
    while let Some(t) = stack.pop() {
        for term in &t.terms {
            if term.void.is_some() {
                voids.push((term.term.clone(), t.domain.clone()));
            }
            stack.extend(term.child.as_deref());
        }
    }
    if voids.is_empty() {
        return;
    }
    let list: Vec<String> = voids
        .iter()
        .map(|(t, d)| format!("`{t}` (in {d})"))
        .collect();
    let own: Vec<&str> = voids
        .iter()
        .filter(|(_, d)| *d == e.trace.domain)
        .map(|(t, _)| t.as_str())
        .collect();
    let fix = match record {
        Some(r) if !own.is_empty() => format!(
            "Remove the terms that name nothing, or publish the records they expect:\n{}",
            publish(
                &e.domain,
                &rewrite(r, |t| (!own.contains(&t.text.as_str()))
                    .then(|| t.text.clone()))
            )
        ),
        _ => "Ask the owner of the record that has them to remove the terms that name nothing."
            .into(),
    };
    out.push(FindingId::SpfVoidLookups
        .says(format!("{} of the terms looked up names with no records", voids.len()))
        .because(format!(
            "{} found nothing (NXDOMAIN or no answer). RFC 7208 §4.6.4 allows {MAX_VOID_LOOKUPS} such void lookups per check and makes the next a permerror, so stale terms can break SPF for every sender checked after them.",
            list.join(", ")
        ))
        .fixed_by(fix));
}

/// A TXT record split into strings that join (with nothing between, §3.3) into something other
/// than the valid record a space at each break would give.
pub(super) fn strings_finding(e: &Evaluation, out: &mut Vec<Finding>) {
    for data in &e.trace.txt {
        let RData::Txt(parts) = data else { continue };
        if parts.len() < 2 {
            continue;
        }
        let joined = parts.concat();
        let spaced = parts.join(" ");
        let joined_ok = record::is_spf_record(&joined) && record::parse(&joined).is_ok();
        if joined_ok || !record::is_spf_record(&spaced) || record::parse(&spaced).is_err() {
            continue;
        }
        let glued: Vec<String> = parts
            .windows(2)
            .filter(|w| !w[0].ends_with(' ') && !w[1].starts_with(' '))
            .map(|w| {
                let tail: String = w[0]
                    .chars()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let head: String = w[1].chars().take(20).collect();
                format!("`{tail}` + `{head}`")
            })
            .collect();
        out.push(FindingId::SpfSplitStrings
            .says(format!("The record's {} strings join into an invalid record", parts.len()))
            .because(format!(
                "Receivers join a TXT record's strings with nothing between them (RFC 7208 §3.3), so {} run together: the record read is `{joined}`, which is not valid SPF.",
                glued.join(", ")
            ))
            .fixed_by(format!(
                "Publish it with the space inside the strings:\n{}",
                publish(&e.domain, &spaced)
            )));
    }
}

/// RFC 7208 §3.4: keep the record, and the whole TXT answer, small enough for one UDP datagram.
pub(super) fn size_finding(e: &Evaluation, out: &mut Vec<Finding>) {
    let Some(text) = &e.record else { return };
    let answer = answer_size(&e.domain, &e.trace.txt);
    if text.len() <= MAX_RECORD_CHARS && answer <= UDP_SIZE {
        return;
    }
    out.push(FindingId::SpfRecordSize
        .says(format!("The SPF record is {} characters; the TXT answer about {answer} bytes", text.len()))
        .because(format!(
            "RFC 7208 §3.4 asks that the answer to an SPF query fit in {UDP_SIZE} bytes, the classic UDP limit, counting every TXT record at {}; larger answers need TCP or EDNS, and some receivers' resolvers then fail, making SPF a temperror. Records over {MAX_RECORD_CHARS} characters are the usual warning sign.",
            e.domain
        ))
        .fixed_by("Shorten the record (ip4 ranges instead of single addresses, fewer includes) and move unrelated TXT records (site verifications) that are no longer needed off the name."));
}

/// The estimated size of the TXT answer for `domain`: header, question, and each record
/// (compressed owner name, type, class, TTL, length, and each string with its length octet).
pub fn answer_size(domain: &str, txt: &[RData]) -> usize {
    let question = domain.len() + 2 + 4;
    let records: usize = txt
        .iter()
        .map(|r| match r {
            RData::Txt(parts) => 12 + parts.iter().map(|p| 1 + p.len()).sum::<usize>(),
            _ => 0,
        })
        .sum();
    12 + question + records
}

pub(super) fn type_spf_finding(e: &Evaluation, out: &mut Vec<Finding>) {
    if e.spf_type_records.is_empty() {
        return;
    }
    let differs = e
        .record
        .as_ref()
        .is_some_and(|r| !e.spf_type_records.contains(r));
    out.push(FindingId::SpfTypeSpf
        .says(format!("{} also publishes the retired SPF record type (99)", e.domain))
        .because(format!(
            "RFC 7208 §3.1 and §14.1 retired the SPF record type: receivers read only TXT, so `{}` is ignored{}.",
            e.spf_type_records.join("`, `"),
            if differs { ", and it differs from the TXT record, which is the one that counts" } else { "" }
        ))
        .fixed_by("Delete the SPF-type record and keep the TXT record."));
}

#[cfg(test)]
mod tests {
    use super::super::findings;
    use super::*;
    use crate::dns::{Rcode, RecordType};
    use crate::domain::spf::{spf_mail_from, SpfResult};
    use crate::testing::{a, rec, txt, FixedResolver};
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
    fn risky_records() {
        let (_, f) = check(&spf("v=spf1 ptr ?all"), "192.0.2.1");
        assert_eq!(
            ids(&f),
            vec![
                "spf-neutral",
                "spf-neutral-all",
                "spf-ptr",
                "spf-void-lookups"
            ]
        );
        let fix = |id: &str| f.iter().find(|x| x.id == id).unwrap().fix.clone();
        assert!(fix("spf-neutral-all").ends_with("\"v=spf1 ptr ~all\""));
        assert!(fix("spf-ptr").ends_with("\"v=spf1 ?all\""));

        let (e, f) = check(&spf("v=spf1 +all"), "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(ids(&f), vec!["spf-plus-all", "spf-pass"]);
        assert!(f[0].fix.ends_with("\"v=spf1 ~all\""));

        let (e, f) = check(&spf("v=spf1 ip4:192.0.2.1"), "198.51.100.1");
        assert_eq!(e.result, SpfResult::Neutral);
        assert_eq!(ids(&f), vec!["spf-neutral", "spf-no-all"]);
        assert!(f[1].fix.ends_with("\"v=spf1 ip4:192.0.2.1 ~all\""));
    }

    #[test]
    fn lookups_near_and_over_the_limit_name_their_cost() {
        let mut r = spf("v=spf1 include:big.example a:h.example -all")
            .answer("big.example", RecordType::Txt, Rcode::NoError, vec![txt("big.example", &["v=spf1 a:1.example a:2.example a:3.example a:4.example a:5.example a:6.example ~all"])]);
        for h in [
            "h.example",
            "1.example",
            "2.example",
            "3.example",
            "4.example",
            "5.example",
            "6.example",
        ] {
            r = r.answer(h, RecordType::A, Rcode::NoError, vec![a(h, "203.0.113.1")]);
        }
        let (e, f) = check(&r, "192.0.2.1");
        assert_eq!((e.cost.lookups, e.cost.complete), (8, true));
        let near = f.iter().find(|x| x.id == "spf-lookups-near-limit").unwrap();
        assert!(
            near.detail
                .contains("`include:big.example` 7, `a:h.example` 1"),
            "{}",
            near.detail
        );

        let r = spf("v=spf1 include:a.example include:b.example -all")
            .answer(
                "a.example",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt("a.example", &["v=spf1 include:b.example"])],
            )
            .answer(
                "b.example",
                RecordType::Txt,
                Rcode::NoError,
                vec![txt("b.example", &["v=spf1 include:a.example"])],
            );
        let (e, f) = check(&r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::PermError);
        assert!(!e.cost.complete);
        assert!(ids(&f).contains(&"spf-lookups-over-limit"));
        assert!(f
            .iter()
            .any(|x| x.title.starts_with("The record needs at least")));
    }

    #[test]
    fn missing_includes_and_void_lookups() {
        let (e, f) = check(
            &spf("v=spf1 include:gone.example a:old.example ~all"),
            "192.0.2.1",
        );
        assert_eq!(e.result, SpfResult::PermError);
        assert_eq!(
            ids(&f),
            vec!["spf-permerror", "spf-include-missing", "spf-void-lookups"]
        );
        assert!(
            f[1].fix.ends_with("\"v=spf1 a:old.example ~all\""),
            "{}",
            f[1].fix
        );
    }

    #[test]
    fn strings_that_join_badly() {
        let r = FixedResolver::new().answer(
            "example.com",
            RecordType::Txt,
            Rcode::NoError,
            vec![txt(
                "example.com",
                &["v=spf1 ip4:192.0.2.1", "include:_spf.example.net -all"],
            )],
        );
        let (e, f) = check(&r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::PermError);
        let split = f.iter().find(|x| x.id == "spf-split-strings").unwrap();
        assert!(
            split
                .detail
                .contains("`v=spf1 ip4:192.0.2.1` + `include:_spf.example`"),
            "{}",
            split.detail
        );
        assert!(split
            .fix
            .ends_with("\"v=spf1 ip4:192.0.2.1 include:_spf.example.net -all\""));
    }

    #[test]
    fn size_and_the_old_record_type() {
        let long = format!(
            "v=spf1 {} -all",
            (1..=40)
                .map(|i| format!("ip4:192.0.2.{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let r = spf(&long).answer(
            "example.com",
            RecordType::Spf,
            Rcode::NoError,
            vec![rec(
                "example.com",
                RecordType::Spf,
                RData::Txt(vec!["v=spf1 -all".into()]),
            )],
        );
        let (e, f) = check(&r, "192.0.2.1");
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(e.spf_type_records, vec!["v=spf1 -all"]);
        assert_eq!(ids(&f), vec!["spf-record-size", "spf-type-spf", "spf-pass"]);
        assert!(f[1].detail.contains("differs"));
    }

    #[test]
    fn exp_is_noted() {
        let r = spf("v=spf1 -all exp=why.example.com").answer(
            "why.example.com",
            RecordType::Txt,
            Rcode::NoError,
            vec![txt("why.example.com", &["%{i} is not allowed"])],
        );
        let (e, f) = check(&r, "192.0.2.1");
        assert_eq!(e.explanation.as_deref(), Some("192.0.2.1 is not allowed"));
        assert_eq!(ids(&f), vec!["spf-fail", "spf-exp"]);
        assert!(f[1].detail.contains("\"192.0.2.1 is not allowed\""));
    }
}
