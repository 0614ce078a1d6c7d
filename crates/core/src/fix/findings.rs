//! The `where-*` findings: the same fixes the identity findings give, said where to make them.
//!
//! They are written only when there is something to fix there: a PTR to publish or change
//! (`where-reverse-zone`), an address record to add (`where-forward-zone`), an EHLO name to change
//! (`where-mta`), Sender Address Verification to turn off (`where-sav`). The facts behind each go
//! in its detail, and an operator recognised on unverified data is named as a likelihood.

use super::mta::MtaChoice;
use super::operators::{default_ptr_owner, Kind, Recognised};
use super::Place;
use crate::dns::{forward_type, reverse_name, Outcome};
use crate::finding::{most_severe_first, Finding, FindingId};
use crate::identity::fix::{address_record, ptr_record, EXAMPLE_NAME};
use crate::identity::helo::{parse_helo, HeloKind, HeloResult};
use crate::identity::iprev::IprevResult;
use crate::paste::PasteReport;
use crate::report::Report;

/// The `where-*` findings of one report.
pub(crate) fn where_findings(
    report: &Report,
    reverse: Option<&Place>,
    forward: &[Place],
    mta: Option<MtaChoice>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = target_name(report);
    if let Some(place) = reverse.filter(|_| needs_ptr(report)) {
        out.push(reverse_finding(report, place, name));
    }
    for place in forward
        .iter()
        .filter(|p| needs_address(report, &p.name, name))
    {
        out.push(forward_finding(report, place));
    }
    if let Some(choice) = mta {
        out.extend(mta_finding(report, choice));
    }
    most_severe_first(out)
}

/// The PTR must be published or changed: none exists, none confirms, the name looks generic or
/// is unusable, there are several, or the EHLO name fails and no proper name is confirmed.
fn needs_ptr(report: &Report) -> bool {
    let iprev = &report.iprev;
    let proper = iprev
        .names
        .iter()
        .any(|n| n.confirmed && !n.generic.generic);
    match iprev.result {
        IprevResult::TempError => false,
        IprevResult::PermError | IprevResult::Fail => true,
        IprevResult::Pass => {
            iprev.generic()
                || iprev.names.len() + iprev.unchecked.len() > 1
                || iprev
                    .names
                    .iter()
                    .any(|n| n.problem.is_some() || n.is_alias())
                || (!proper
                    && report
                        .helo
                        .as_ref()
                        .is_some_and(|h| h.result == HeloResult::Fail))
        }
    }
}

/// The name the server should have both ways: a forward-confirmed, non-generic PTR name; else the
/// EHLO name (when it is a name and not one of the generic PTR names); else a usable non-generic
/// PTR name; else a placeholder.
fn target_name(report: &Report) -> &str {
    let iprev = &report.iprev;
    if let Some(n) = iprev
        .names
        .iter()
        .find(|n| n.confirmed && !n.generic.generic)
    {
        return &n.name;
    }
    let generic = |name: &str| {
        iprev
            .names
            .iter()
            .any(|n| n.name == name && n.generic.generic)
    };
    if let Some(h) = report
        .helo
        .as_ref()
        .filter(|h| h.helo.kind == HeloKind::Fqdn && !generic(&h.helo.name))
    {
        return &h.helo.name;
    }
    iprev
        .names
        .iter()
        .find(|n| n.problem.is_none() && !n.generic.generic)
        .map_or(EXAMPLE_NAME, |n| n.name.as_str())
}

/// `name` needs an address record for the address: it is an unconfirmed PTR name of a failing
/// check (not a provider's own default name), or it is the name to publish and has none, or it
/// is the EHLO name and has no address record at all.
fn needs_address(report: &Report, name: &str, target: &str) -> bool {
    let iprev = &report.iprev;
    if default_ptr_owner(name).is_some() || iprev.result == IprevResult::TempError {
        return false;
    }
    let ptr_unconfirmed = iprev.result == IprevResult::Fail
        && iprev.names.iter().any(|n| {
            n.name == name
                && !n.confirmed
                && n.forward
                    .as_ref()
                    .is_some_and(|f| !f.outcome.is_temporary())
        });
    let helo = report.helo.as_ref().filter(|h| h.helo.name == name);
    let helo_missing = helo.is_some_and(|h| {
        h.forward.as_ref().is_some_and(|f| {
            matches!(f.outcome, Outcome::NxDomain | Outcome::NoData)
                || (name == target && needs_ptr(report) && h.resolves_to_ip == Some(false))
        })
    });
    ptr_unconfirmed || helo_missing
}

/// "The SOA of `x` names the zone `z` (primary name server `m`, contact c); its name servers are
/// `a`, `b`."
fn zone_facts(place: &Place) -> String {
    let Some(zone) = &place.zone else {
        return format!("No answer named the zone of `{}`", place.name);
    };
    let mut soa = Vec::new();
    if let Some(m) = &place.primary_ns {
        soa.push(format!("primary name server `{m}`"));
    }
    if let Some(c) = place.contact() {
        soa.push(format!("contact {c}"));
    }
    let mut text = format!("The zone of `{}` is `{zone}`", place.name);
    if !soa.is_empty() {
        text.push_str(&format!(" ({})", soa.join(", ")));
    }
    match place.ns.as_slice() {
        [] => {}
        [one] => text.push_str(&format!("; its name server is `{one}`")),
        many => {
            let list: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            text.push_str(&format!("; its name servers are {}", list.join(", ")));
        }
    }
    text
}

fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .fold(template.to_string(), |t, (k, v)| t.replace(k, v))
}

/// "Steps from: URL", or a word that they are general knowledge.
fn steps_source(r: &Recognised) -> String {
    match r.operator.steps_url {
        Some(url) => format!("Steps from: {url}"),
        None => "(These steps are from general knowledge, not from the provider's documentation: check them there.)".into(),
    }
}

fn hedge(r: &Recognised) -> &'static str {
    if r.certain {
        ""
    } else {
        " (the data behind this is not verified, so check it with your provider if the steps do not fit)"
    }
}

fn reverse_finding(report: &Report, place: &Place, name: &str) -> Finding {
    let ip = report.ip;
    let record = ptr_record(ip, name);
    let mut detail = format!("{}.", zone_facts(place));
    if place.classless {
        detail.push_str(&format!(
            " `{}` is an alias into that zone (RFC 2317 classless delegation): the zone was delegated to whoever runs its name servers, often you or your provider.",
            reverse_name(ip)
        ));
    }
    let Some(r) = &place.operator else {
        let servers: Vec<String> = place.servers().iter().map(|s| format!("`{s}`")).collect();
        let who = servers
            .first()
            .cloned()
            .unwrap_or_else(|| "the zone".into());
        let contact = place
            .contact()
            .map(|c| format!(" (SOA contact {c})"))
            .unwrap_or_default();
        detail.push_str(" The operator is not one Sender Check knows.");
        return FindingId::WhereReverseZone
            .says(format!("The reverse zone of {ip} is run by the operator of {who}"))
            .because(detail)
            .fixed_by(format!(
                "Ask whoever runs {}{contact} to publish the PTR: usually the hosting provider or ISP that gave you {ip}; most have a \"reverse DNS\" setting in their control panel.\n{record}",
                if servers.is_empty() { "the reverse zone".to_string() } else { servers.join(", ") }
            ));
    };
    let op = r.operator;
    detail.push_str(&format!(" {}{}.", capitalise(&r.evidence()), hedge(r)));
    let (title, fix) = match op.kind {
        Kind::AccessIsp => (
            format!(
                "{ip} {} {}'s access network: its PTR cannot be set on a home line",
                if r.certain { "is in" } else { "looks like an address of" },
                op.name
            ),
            format!(
                "{} keeps the PTR of its customers' lines, and on a residential line it cannot be changed at all. Send your mail through a relay (smarthost) whose address already has matching forward and reverse DNS, such as your mail provider's submission server or a sending service; or move the server to a business line with a static IP, where the ISP sets the PTR on request:\n{record}",
                op.name
            ),
        ),
        Kind::DnsHost => (
            format!("The reverse zone of {ip} is hosted at {}", op.name),
            format!(
                "Add the PTR record in the zone `{}` at {}, like any other record there:\n{record}{}",
                place.zone.as_deref().unwrap_or("?"),
                op.name,
                op.steps_url
                    .map(|u| format!("\n{}'s steps for adding a record: {u}", op.name))
                    .unwrap_or_default()
            ),
        ),
        Kind::Cloud | Kind::Hosting => (
            format!(
                "The PTR of {ip} is set at {}{}",
                op.name,
                if r.certain { "" } else { " (probably)" }
            ),
            format!(
                "Set the PTR at {}: {}\nThe record it must produce:\n{record}\n{}",
                op.name,
                fill(op.steps, &[("{name}", name), ("{ip}", &ip.to_string())]),
                steps_source(r)
            ),
        ),
    };
    FindingId::WhereReverseZone
        .says(title)
        .because(detail)
        .fixed_by(fix)
}

fn forward_finding(report: &Report, place: &Place) -> Finding {
    let ip = report.ip;
    let rtype = forward_type(ip).to_string();
    let name = place.name.as_str();
    let record = address_record(ip, name);
    let mut detail = format!("{}.", zone_facts(place));
    let Some(r) = &place.operator else {
        let servers: Vec<String> = place.servers().iter().map(|s| format!("`{s}`")).collect();
        let zone = place.zone.as_deref().unwrap_or(name);
        detail.push_str(" The DNS host is not one Sender Check knows.");
        return FindingId::WhereForwardZone
            .says(format!("Add the {rtype} record of `{name}` in the zone `{zone}`"))
            .because(detail)
            .fixed_by(format!(
                "Add it where the zone `{zone}` is managed{}: your DNS host's control panel, or your own name server's zone file.\n{record}",
                if servers.is_empty() { String::new() } else { format!(" (its name servers are {})", servers.join(", ")) }
            ));
    };
    let op = r.operator;
    detail.push_str(&format!(" {}{}.", capitalise(&r.evidence()), hedge(r)));
    let zone = place.zone.as_deref().unwrap_or(name);
    let label = name
        .strip_suffix(zone)
        .and_then(|l| l.strip_suffix('.'))
        .unwrap_or("@");
    let steps = fill(
        op.steps,
        &[
            ("{name}", name),
            ("{label}", label),
            ("{zone}", zone),
            ("{type}", &rtype),
            ("{ip}", &ip.to_string()),
        ],
    );
    FindingId::WhereForwardZone
        .says(format!(
            "Add the {rtype} record of `{name}` at {}{}",
            op.name,
            if r.certain { "" } else { " (probably)" }
        ))
        .because(detail)
        .fixed_by(format!(
            "Add the {rtype} record at {}: {steps}\n{record}\n{}",
            op.name,
            steps_source(r)
        ))
}

/// The EHLO fix in the user's MTA, when the EHLO check fails and the server should announce
/// another name (when it already announces the name to publish, the fix is in DNS).
fn mta_finding(report: &Report, choice: MtaChoice) -> Option<Finding> {
    let name = target_name(report);
    let h = report
        .helo
        .as_ref()
        .filter(|h| h.result == HeloResult::Fail && h.helo.name != name)?;
    let info = choice.mta.info();
    let why = match h.helo.kind {
        HeloKind::Fqdn => format!("The server announces `{}`", h.helo.name),
        _ => format!(
            "The server announces `{}`, which is not a host name",
            h.helo.name
        ),
    };
    Some(
        FindingId::WhereMta
            .says(format!("Set the EHLO name in {}", info.name()))
            .because(format!(
                "{} {why}; it should announce `{name}`, the name that has matching forward and reverse DNS.",
                choice.why()
            ))
            .fixed_by(info.helo_fix(name, &report.ip.to_string())),
    )
}

/// The paste's own `where-*` findings: SAV in the user's MTA, and the EHLO setting when the paste
/// names no address to check and its EHLO argument is not a host name.
pub(crate) fn paste_findings(paste: &PasteReport, mta: Option<MtaChoice>) -> Vec<Finding> {
    let Some(choice) = mta else {
        return Vec::new();
    };
    let info = choice.mta.info();
    let mut out = Vec::new();
    let x = &paste.extracted;
    if x.sav {
        if let Some(fix) = info.sav_fix() {
            out.push(
                FindingId::WhereSav
                    .says(format!(
                        "Turn off Sender Address Verification in {}",
                        info.name()
                    ))
                    .because(format!(
                        "{} The paste turns on Sender Address Verification (see above); this is where {} sets it.",
                        choice.why(),
                        info.name()
                    ))
                    .fixed_by(fix),
            );
        }
    }
    if paste.checked.is_none() {
        if let Some(helo) = x.helo.as_deref().map(parse_helo) {
            if helo.kind != HeloKind::Fqdn {
                out.push(
                    FindingId::WhereMta
                        .says(format!("Set the EHLO name in {}", info.name()))
                        .because(format!(
                            "{} The server announces `{}`, which is not a host name; give it its fully-qualified name, one with matching forward and reverse DNS.",
                            choice.why(),
                            helo.name
                        ))
                        .fixed_by(info.helo_fix(EXAMPLE_NAME, "192.0.2.1")),
                );
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::dns::{parse_ip, Rcode, RecordType};
    use crate::fix::{where_to_fix, Mta, WhereToFix};
    use crate::report::{check, Report};
    use crate::testing::{a, negative, ptr, rec, soa, FixedResolver, RoundTrips};
    use futures::executor::block_on;

    /// A resolver for one address whose reverse zone and forward zone are run by the given
    /// servers: the SOA of every name inside names its zone, the apexes have NS records.
    fn zones(
        fixed: FixedResolver,
        zones: &[(&str, &str, &str, &[&str])],
        names: &[&str],
    ) -> FixedResolver {
        let mut fixed = fixed;
        for name in names {
            let (apex, mname, rname, _) = zones
                .iter()
                .find(|(apex, ..)| crate::dns::in_zone(name, apex))
                .unwrap();
            fixed = fixed.with_answer(
                name,
                RecordType::Soa,
                negative(Rcode::NoError, vec![soa(apex, mname, rname)]),
            );
        }
        for (apex, _, _, ns) in zones {
            let records = ns
                .iter()
                .map(|n| rec(apex, RecordType::Ns, crate::dns::RData::Ns(n.to_string())))
                .collect();
            fixed = fixed.answer(apex, RecordType::Ns, Rcode::NoError, records);
        }
        fixed
    }

    const DO: (&str, &str, &str, &[&str]) = (
        "100.51.198.in-addr.arpa",
        "ns1.digitalocean.com",
        "hostmaster.digitalocean.com",
        &["ns1.digitalocean.com", "ns2.digitalocean.com"],
    );
    const R53: (&str, &str, &str, &[&str]) = (
        "example.com",
        "ns-123.awsdns-45.com",
        "awsdns-hostmaster.amazon.com",
        &["ns-123.awsdns-45.com", "ns-678.awsdns-12.net"],
    );

    fn run(
        fixed: &FixedResolver,
        ip: &str,
        helo: Option<&str>,
        mta: Option<Mta>,
    ) -> (Report, WhereToFix) {
        let ip = parse_ip(ip).unwrap();
        let report = block_on(check(fixed, ip, helo));
        let place = block_on(where_to_fix(fixed, &report, mta.map(Into::into)));
        (report, place)
    }

    fn finding<'a>(w: &'a WhereToFix, id: &str) -> &'a crate::finding::Finding {
        w.findings
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no {id} in {:#?}", w.findings))
    }

    #[test]
    fn no_ptr_at_a_cloud_provider() {
        let rev = "20.100.51.198.in-addr.arpa";
        let fixed = FixedResolver::new().answer(rev, RecordType::Ptr, Rcode::NxDomain, vec![]);
        let fixed = zones(fixed, &[DO, R53], &[rev, "mail.example.com"]).answer(
            "mail.example.com",
            RecordType::A,
            Rcode::NoError,
            vec![a("mail.example.com", "198.51.100.20")],
        );
        let (_, w) = run(&fixed, "198.51.100.20", Some("EHLO mail.example.com"), None);
        let zone = w.reverse_zone.as_ref().unwrap();
        assert_eq!(zone.zone.as_deref(), Some("100.51.198.in-addr.arpa"));
        assert_eq!(zone.ns, ["ns1.digitalocean.com", "ns2.digitalocean.com"]);
        let op = zone.operator.as_ref().unwrap();
        assert_eq!((op.operator.id, op.certain), ("digitalocean", true));
        let f = finding(&w, "where-reverse-zone");
        assert_eq!(f.title, "The PTR of 198.51.100.20 is set at DigitalOcean");
        assert!(
            f.fix.starts_with(
                "Set the PTR at DigitalOcean: rename the Droplet to mail.example.com (Droplets"
            ),
            "{}",
            f.fix
        );
        assert!(f
            .fix
            .contains("20.100.51.198.in-addr.arpa. 3600 IN PTR mail.example.com."));
        assert!(f
            .fix
            .ends_with("Steps from: https://docs.digitalocean.com/glossary/ptr-record/"));
        assert!(
            f.detail
                .ends_with("Its name server `ns1.digitalocean.com` is DigitalOcean's."),
            "{}",
            f.detail
        );
        // The EHLO name already resolves to the address: no forward record to add, no MTA known.
        assert_eq!(w.findings.len(), 1);
        assert_eq!(
            w.forward_zones[0].operator.as_ref().unwrap().operator.id,
            "route53"
        );
    }

    #[test]
    fn forward_mismatch_at_route53_and_the_mta_setting() {
        let rev = "30.100.51.198.in-addr.arpa";
        let fixed = FixedResolver::new()
            .answer(
                rev,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(rev, "mail.example.com")],
            )
            .answer(
                "mail.example.com",
                RecordType::A,
                Rcode::NoError,
                vec![a("mail.example.com", "198.51.100.31")],
            );
        let fixed = zones(fixed, &[DO, R53], &[rev, "mail.example.com"]);
        let (_, w) = run(
            &fixed,
            "198.51.100.30",
            Some("EHLO localhost"),
            Some(Mta::Postfix),
        );
        let f = finding(&w, "where-forward-zone");
        assert_eq!(
            f.title,
            "Add the A record of `mail.example.com` at Amazon Route 53"
        );
        assert!(
            f.fix.starts_with("Add the A record at Amazon Route 53: Route 53 console → Hosted zones → example.com → Create record: Record name mail, Record type A, Value 198.51.100.30"),
            "{}",
            f.fix
        );
        assert!(f.fix.contains("mail.example.com. 3600 IN A 198.51.100.30"));
        // Either fix works for a mismatch: the PTR can change too.
        finding(&w, "where-reverse-zone");
        let f = finding(&w, "where-mta");
        assert_eq!(f.title, "Set the EHLO name in Postfix");
        assert!(f.detail.starts_with("You chose Postfix as your mail server. The server announces `localhost`, which is not a host name; it should announce `mail.example.com`"), "{}", f.detail);
        assert!(f
            .fix
            .contains("smtp_helo_name = mail.example.com\nthen: postfix reload"));
    }

    #[test]
    fn access_isp_unknown_operator_and_default_names() {
        // Comcast runs the reverse zone: the PTR cannot be set on a home line.
        let rev = "10.113.0.203.in-addr.arpa";
        let isp = (
            "113.0.203.in-addr.arpa",
            "dns101.comcast.net",
            "domregtech.comcastonline.com",
            &[][..],
        );
        let fixed = FixedResolver::new().answer(rev, RecordType::Ptr, Rcode::NxDomain, vec![]);
        let (_, w) = run(&zones(fixed, &[isp], &[rev]), "203.0.113.10", None, None);
        let f = finding(&w, "where-reverse-zone");
        assert_eq!(
            f.title,
            "203.0.113.10 looks like an address of Comcast's access network: its PTR cannot be set on a home line"
        );
        assert!(f.fix.contains("relay (smarthost)"), "{}", f.fix);
        assert!(
            f.detail.contains(
                "Its primary name server `dns101.comcast.net` suggests Comcast (the data"
            ),
            "{}",
            f.detail
        );

        // Nobody we know: named by its servers.
        let rev = "50.2.0.192.in-addr.arpa";
        let own = (
            "2.0.192.in-addr.arpa",
            "ns.example.net",
            "hostmaster.example.net",
            &["ns.example.net"][..],
        );
        let fixed = FixedResolver::new().answer(rev, RecordType::Ptr, Rcode::NxDomain, vec![]);
        let (_, w) = run(&zones(fixed, &[own], &[rev]), "192.0.2.50", None, None);
        let f = finding(&w, "where-reverse-zone");
        assert_eq!(
            f.title,
            "The reverse zone of 192.0.2.50 is run by the operator of `ns.example.net`"
        );
        assert!(
            f.fix.starts_with(
                "Ask whoever runs `ns.example.net` (SOA contact hostmaster@example.net)"
            ),
            "{}",
            f.fix
        );

        // A generic default PTR of a cloud: recognised by the name, never stated as a fact; its
        // provider's forward zone gets no "add a record" advice.
        let rev = "1.2.0.192.in-addr.arpa";
        let name = "ec2-192-0-2-1.compute-1.amazonaws.com";
        let fixed = FixedResolver::new().ptr_and_address("192.0.2.1", name, "192.0.2.1");
        let (_, w) = run(&zones(fixed, &[own], &[rev]), "192.0.2.1", None, None);
        let f = finding(&w, "where-reverse-zone");
        assert_eq!(
            f.title,
            "The PTR of 192.0.2.1 is set at Amazon Web Services (probably)"
        );
        assert!(
            f.detail
                .contains("looks like a default name given by Amazon Web Services"),
            "{}",
            f.detail
        );
        assert!(
            f.fix.contains("only an Elastic IP can have a PTR"),
            "{}",
            f.fix
        );
        assert!(!w.findings.iter().any(|f| f.id == "where-forward-zone"));
    }

    #[test]
    fn nothing_to_fix_nothing_said_and_one_more_round() {
        let rev = "10.100.51.198.in-addr.arpa";
        let fixed = FixedResolver::new().ptr_and_address(
            "198.51.100.10",
            "mail.example.com",
            "198.51.100.10",
        );
        let fixed = zones(fixed, &[DO, R53], &[rev, "mail.example.com"]);
        let rt = RoundTrips::new(fixed);
        let ip = parse_ip("198.51.100.10").unwrap();
        let (report, rounds) = rt.run(check(&rt, ip, Some("EHLO mail.example.com")));
        assert_eq!(rounds, 1, "the SOA questions ride along");
        let (w, rounds) = rt.run(where_to_fix(&rt, &report, Some(Mta::Exim.into())));
        assert_eq!(rounds, 1, "the NS questions go out together");
        assert!(w.findings.is_empty(), "{:#?}", w.findings);
        // The NS of both apexes, once each.
        assert_eq!(w.exchanges.len(), 2);
        assert_eq!(w.forward_zones.len(), 1);
        assert_eq!(w.forward_zones[0].zone.as_deref(), Some("example.com"));
    }

    /// A host's two addresses in one reverse zone, with one PTR name: where to fix both asks each
    /// NS question once, and each address still gets its places.
    #[test]
    fn a_hosts_addresses_share_their_ns_questions() {
        let (rev10, rev11) = ("10.100.51.198.in-addr.arpa", "11.100.51.198.in-addr.arpa");
        let fixed = FixedResolver::new()
            .ptr_and_address("198.51.100.10", "mail.example.com", "198.51.100.10")
            .answer(
                rev11,
                RecordType::Ptr,
                Rcode::NoError,
                vec![ptr(rev11, "mail.example.com")],
            )
            .answer(
                "mail.example.com",
                RecordType::A,
                Rcode::NoError,
                vec![
                    a("mail.example.com", "198.51.100.10"),
                    a("mail.example.com", "198.51.100.11"),
                ],
            );
        let fixed = zones(fixed, &[DO, R53], &[rev10, rev11, "mail.example.com"]);
        let host = crate::dns::DomainName::parse("mail.example.com").unwrap();
        let rt = RoundTrips::new(fixed);
        let (report, _) = rt.run(crate::report::check_host(&rt, host, None));
        let checked = crate::report::Checked::Host(report);
        let before = rt.sent();
        let (places, rounds) = rt.run(crate::fix::where_to_fix_all(&rt, &checked, None));
        assert_eq!(rounds, 1);
        assert_eq!(
            rt.sent() - before,
            2,
            "NS of the reverse zone and of example.com, once each"
        );
        assert_eq!(places.len(), 2);
        for w in &places {
            assert_eq!(w.exchanges.len(), 2, "{w:#?}");
            let zone = w.reverse_zone.as_ref().and_then(|p| p.zone.as_deref());
            assert_eq!(zone, Some("100.51.198.in-addr.arpa"));
        }
    }
}
