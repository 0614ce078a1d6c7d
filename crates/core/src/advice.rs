//! Turns the evaluations into [`Finding`]s: what was seen, why it matters, how to fix it.

use std::net::IpAddr;

use crate::finding::{finding, refs, Area, Finding, Severity};
use crate::helo::{literal_of, HeloCheck, HeloKind, HeloResult};
use crate::iprev::{Iprev, IprevResult, PtrName};
use crate::resolve::Outcome;
use crate::{ip, reverse_name};

/// A placeholder host name for advice when the user gave none.
const EXAMPLE_NAME: &str = "mail.example.com";

/// The zone-file line of a PTR record.
pub fn ptr_record(ip: IpAddr, name: &str) -> String {
    format!("{}. 3600 IN PTR {name}.", reverse_name(ip))
}

/// The zone-file line of the forward record for `ip`.
pub fn address_record(ip: IpAddr, name: &str) -> String {
    let rtype = crate::iprev::forward_type(ip);
    format!("{name}. 3600 IN {rtype} {ip}")
}

/// The MTA settings that make the server say `name` in EHLO.
pub fn helo_settings(name: &str) -> String {
    format!(
        "Postfix (main.cf): smtp_helo_name = {name}\n\
         Exim (smtp transport): helo_data = {name}"
    )
}

/// The name to recommend: a confirmed PTR name, else the EHLO name, else a PTR name, else a placeholder.
fn best_name<'a>(iprev: &'a Iprev, helo: Option<&'a HeloCheck>) -> &'a str {
    let confirmed = iprev.confirmed();
    if let Some(c) = confirmed.first() {
        return c;
    }
    if let Some(h) = helo.filter(|h| h.helo.kind == HeloKind::Fqdn) {
        return &h.helo.name;
    }
    iprev
        .names
        .iter()
        .find(|n| n.problem.is_none())
        .map_or(EXAMPLE_NAME, |n| n.name.as_str())
}

/// All findings, most severe first (stable within a severity).
pub fn findings(iprev: &Iprev, helo: Option<&HeloCheck>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(why) = ip::non_public_reason(iprev.ip) {
        out.push(finding(
            "ip-not-public",
            Area::Address,
            Severity::Warning,
            format!("{} is {why}", iprev.ip),
            format!(
                "Receivers on the Internet never see {} as the sender: they see the public address your mail leaves from (after NAT or a relay).",
                iprev.ip
            ),
            "Check the public address instead: it is in the Received header that the receiving provider added, or ask your provider for the egress address.".into(),
            &[],
        ));
    }
    iprev_findings(iprev, helo, &mut out);
    generic_findings(iprev, &mut out);
    if let Some(h) = helo {
        helo_findings(iprev, h, &mut out);
    }
    crate::finding::most_severe_first(out)
}

fn forward_summary(n: &PtrName, rtype: crate::dns::RecordType) -> String {
    match (&n.problem, &n.forward) {
        (Some(why), _) => format!("`{}` is not a usable host name: {why}", n.name),
        (None, Some(f)) => match &f.outcome {
            Outcome::Found(_) => {
                let list: Vec<String> = n.addresses().iter().map(ToString::to_string).collect();
                format!("`{}` has {rtype} {}", n.name, list.join(", "))
            }
            other => format!("`{}`: {}", n.name, other.describe(rtype)),
        },
        (None, None) => format!("`{}` was not looked up", n.name),
    }
}

fn iprev_findings(iprev: &Iprev, helo: Option<&HeloCheck>, out: &mut Vec<Finding>) {
    let ip = iprev.ip;
    let rtype = iprev.forward_type();
    let rev = reverse_name(ip);
    let name = best_name(iprev, helo);
    let ptr_list = iprev
        .ptr()
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match iprev.result {
        IprevResult::Pass => {
            let confirmed = iprev
                .confirmed()
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(finding(
                "iprev-pass",
                Area::Iprev,
                Severity::Ok,
                format!("Reverse DNS of {ip} is forward-confirmed ({confirmed})"),
                format!(
                    "{ip} has PTR {ptr_list}, and {confirmed} has an {rtype} record for {ip}. This is the RFC 8601 §3 iprev check that Gmail (550-5.7.25 when it fails), Yahoo and Microsoft apply to every connection."
                ),
                String::new(),
                &[refs::RFC8601_IPREV, refs::GMAIL],
            ));
        }
        IprevResult::Fail => {
            let seen: Vec<String> = iprev
                .names
                .iter()
                .map(|n| forward_summary(n, rtype))
                .collect();
            out.push(finding(
                "iprev-fail",
                Area::Iprev,
                Severity::Error,
                format!("Reverse DNS of {ip} does not resolve back to it"),
                format!(
                    "{ip} has PTR {ptr_list}, but no PTR name has an {rtype} record for {ip}: {}. Gmail rejects such mail with 550-5.7.25 (\"the corresponding forward DNS entry does not match the sending IP\"); Postfix's reject_unknown_client_hostname rejects it too. RFC 1912 §2.1: PTR and {rtype} records must match (RFC 8601 §3 iprev result: fail).",
                    seen.join("; ")
                ),
                format!(
                    "Publish the forward record in the zone of `{name}`:\n{}\nor change the PTR to a name that already has it (ask whoever controls the reverse zone, usually the hosting provider):\n{}",
                    address_record(ip, name),
                    ptr_record(ip, name)
                ),
                &[refs::RFC8601_IPREV, refs::RFC1912_PTR, refs::GMAIL_ERRORS, refs::POSTFIX_UNKNOWN_CLIENT],
            ));
        }
        IprevResult::PermError => {
            let seen = match &iprev.reverse.outcome {
                Outcome::NxDomain => format!("`{rev}` does not exist (NXDOMAIN)"),
                Outcome::NoData => format!("`{rev}` exists but has no PTR record (NODATA)"),
                Outcome::Found(_) => format!("`{rev}` has no usable PTR record"),
                other => format!("`{rev}`: {}", other.describe(crate::dns::RecordType::Ptr)),
            };
            out.push(finding(
                "iprev-no-ptr",
                Area::Iprev,
                Severity::Error,
                format!("{ip} has no reverse DNS (no PTR record)"),
                format!(
                    "{seen}. Gmail rejects mail from addresses without a PTR record (550-5.7.25 \"does not have a PTR record setup\"), Yahoo requires valid reverse DNS, and many receivers refuse the connection outright (RFC 8601 §3 iprev result: permerror)."
                ),
                format!(
                    "Ask the owner of the address block (your hosting provider or ISP; most have a \"reverse DNS\" setting in their control panel) to publish:\n{}\nand make sure the name resolves back:\n{}",
                    ptr_record(ip, name),
                    address_record(ip, name)
                ),
                &[refs::RFC8601_IPREV, refs::GMAIL_ERRORS, refs::YAHOO],
            ));
        }
        IprevResult::TempError => {
            let why = iprev
                .lookups()
                .find(|l| l.outcome.is_temporary())
                .map(|l| {
                    format!(
                        "{} {}: {}",
                        l.question.name,
                        l.question.rtype,
                        l.outcome.describe(l.question.rtype)
                    )
                })
                .unwrap_or_default();
            out.push(finding(
                "iprev-temperror",
                Area::Iprev,
                Severity::Warning,
                format!("Could not evaluate the reverse DNS of {ip}"),
                format!(
                    "A lookup failed in a way that may be temporary ({why}). Receivers that see the same failure defer the mail with a 4xx code and retry (RFC 8601 §3 iprev result: temperror); if it persists, they bounce it."
                ),
                "Try again, or with another resolver. If the resolver answered SERVFAIL, the authoritative servers of the zone are failing or its DNSSEC is broken: check them.".into(),
                &[refs::RFC8601_IPREV],
            ));
        }
    }
    if iprev.names.len() + iprev.unchecked.len() > 1 {
        out.push(finding(
            "ptr-multiple",
            Area::Iprev,
            Severity::Warning,
            format!("{ip} has {} PTR records", iprev.names.len() + iprev.unchecked.len()),
            format!(
                "PTR names: {ptr_list}. Exim and this check try every name, but Postfix uses only one, in whatever order the resolver returns them, so its verdict can change from one connection to the next; the EHLO name can match at most one of them."
            ),
            format!("Keep a single PTR record:\n{}", ptr_record(ip, name)),
            &[refs::RFC1912_PTR],
        ));
    }
    if !iprev.unchecked.is_empty() {
        out.push(finding(
            "ptr-unchecked",
            Area::Iprev,
            Severity::Info,
            format!("{} PTR names were not checked", iprev.unchecked.len()),
            format!(
                "Only the first {} PTR names were looked up; no receiver looks further.",
                iprev.names.len()
            ),
            String::new(),
            &[],
        ));
    }
    if !iprev.reverse.chain.is_empty() && matches!(iprev.reverse.outcome, Outcome::Found(_)) {
        out.push(finding(
            "ptr-classless",
            Area::Iprev,
            Severity::Info,
            "The reverse zone is delegated by CNAME (RFC 2317)".into(),
            format!(
                "`{rev}` is an alias of `{}`, as in RFC 2317 classless delegation; resolvers follow it and so do receivers.",
                iprev.reverse.chain.join("` → `")
            ),
            String::new(),
            &[refs::RFC2317],
        ));
    }
    for n in &iprev.names {
        if let Some(why) = &n.problem {
            out.push(finding(
                "ptr-invalid-name",
                Area::Iprev,
                Severity::Warning,
                format!("PTR target `{}` is not a valid host name", n.name),
                format!(
                    "{why}. A receiver cannot confirm it, and some reject the connection for it."
                ),
                format!(
                    "Point the PTR at a valid host name:\n{}",
                    ptr_record(ip, name)
                ),
                &[refs::RFC1912_PTR],
            ));
        }
        if n.is_alias() {
            let chain = &n
                .forward
                .as_ref()
                .map(|f| f.chain.clone())
                .unwrap_or_default();
            let target = chain.last().cloned().unwrap_or_default();
            out.push(finding(
                "ptr-cname",
                Area::Iprev,
                Severity::Warning,
                format!("PTR name `{}` is an alias (CNAME)", n.name),
                format!(
                    "`{}` is a CNAME for `{}`. Resolvers follow it, so the check can pass, but RFC 1912 §2.1 says PTR records must point at a name with an address record, not an alias, and some receivers do not follow it.",
                    n.name,
                    chain.join("` → `")
                ),
                format!("Point the PTR at the canonical name:\n{}", ptr_record(ip, &target)),
                &[refs::RFC1912_PTR],
            ));
        }
    }
}

fn generic_findings(iprev: &Iprev, out: &mut Vec<Finding>) {
    let names = iprev.relevant_names();
    let usable: Vec<&&PtrName> = names.iter().filter(|n| n.problem.is_none()).collect();
    if usable.is_empty() {
        return;
    }
    let generic: Vec<&&&PtrName> = usable.iter().filter(|n| n.generic.generic).collect();
    if generic.is_empty() {
        let list = usable
            .iter()
            .map(|n| format!("`{}`", n.name))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(finding(
            "rdns-not-generic",
            Area::Generic,
            Severity::Ok,
            format!("Reverse name {list} does not look generic"),
            "It does not embed the address's digits, use a dynamic-pool word or match a cloud provider's default name (the heuristics of SpamAssassin's RDNS_DYNAMIC and Haraka's fcrdns plugin).".into(),
            String::new(),
            &[refs::SPAMASSASSIN_RDNS],
        ));
        return;
    }
    for n in generic {
        out.push(finding(
            "rdns-generic",
            Area::Generic,
            Severity::Warning,
            format!("Reverse name `{}` looks generic", n.name),
            format!(
                "{}. Yahoo asks for \"valid, non-generic\" reverse DNS; SpamAssassin's RDNS_DYNAMIC and Haraka's fcrdns plugin score such names as dynamic or residential, and some receivers reject them outright.",
                n.generic.explanation(&n.name)
            ),
            format!(
                "Set a PTR that names the mail server under your own domain, with a matching forward record:\n{}\n{}",
                ptr_record(iprev.ip, EXAMPLE_NAME),
                address_record(iprev.ip, EXAMPLE_NAME)
            ),
            &[refs::YAHOO, refs::SPAMASSASSIN_RDNS, refs::HARAKA_FCRDNS],
        ));
    }
}

/// How to make the server announce a name that matches its reverse DNS: the confirmed PTR name if
/// it is a proper one; otherwise one name (the EHLO name when it is a real name) published both ways
/// and announced.
fn announce_fix(iprev: &Iprev, h: &HeloCheck) -> String {
    let ip = iprev.ip;
    let proper = iprev
        .names
        .iter()
        .find(|n| n.confirmed && !n.generic.generic);
    if let Some(n) = proper {
        return format!(
            "Announce the forward-confirmed reverse DNS name `{}`:\n{}",
            n.name,
            helo_settings(&n.name)
        );
    }
    let name = if h.helo.kind == HeloKind::Fqdn {
        h.helo.name.as_str()
    } else {
        best_name(iprev, Some(h))
    };
    let why = if iprev.confirmed().is_empty() {
        format!("{ip} has no forward-confirmed reverse DNS name yet.")
    } else {
        format!("The reverse DNS name of {ip} looks generic, so announcing it does not help.")
    };
    format!(
        "{why} Give the server one name, publish it both ways and announce it:\n{}\n{}\n{}",
        ptr_record(ip, name),
        address_record(ip, name),
        helo_settings(name)
    )
}

fn helo_findings(iprev: &Iprev, h: &HeloCheck, out: &mut Vec<Finding>) {
    let ip = iprev.ip;
    let rtype = iprev.forward_type();
    let confirmed = iprev.confirmed();
    let helo_refs = [
        refs::RFC5321_EHLO,
        refs::FASTMAIL,
        refs::POSTFIX_HELO,
        refs::EXIM_HELO,
    ];
    match h.helo.kind {
        HeloKind::Invalid => {
            let why = h
                .helo
                .invalid
                .as_ref()
                .map(|i| i.reason())
                .unwrap_or_default();
            out.push(finding(
                "helo-invalid",
                Area::Helo,
                Severity::Error,
                format!("EHLO argument `{}` is not valid", h.helo.name),
                format!(
                    "{why}. Postfix's reject_invalid_helo_hostname and reject_non_fqdn_helo_hostname refuse it, and spam filters score it heavily."
                ),
                announce_fix(iprev, h),
                &helo_refs,
            ));
        }
        HeloKind::AddressLiteral => {
            let other = h.helo.literal.filter(|l| *l != ip).map_or(String::new(), |l| {
                format!(" It is not even the sending address: the literal says {l}, the mail comes from {ip}.")
            });
            out.push(finding(
                "helo-address-literal",
                Area::Helo,
                Severity::Warning,
                format!("EHLO uses the address literal {}", h.helo.name),
                format!(
                    "RFC 5321 §4.1.3 allows an address literal when the client has no name, but receivers want the name that reverse DNS gives (Fastmail's guidance), and spam filters score a literal as a sign of a misconfigured or compromised host.{other} Recommended literal form for this address: {}.",
                    literal_of(ip)
                ),
                announce_fix(iprev, h),
                &[refs::RFC5321_LITERAL, refs::FASTMAIL, refs::POSTFIX_HELO, refs::EXIM_HELO],
            ));
        }
        HeloKind::Fqdn if h.result == HeloResult::Pass => {
            out.push(finding(
                "helo-pass",
                Area::Helo,
                Severity::Ok,
                format!("EHLO name `{}` matches the reverse DNS", h.helo.name),
                format!(
                    "`{}` is a fully-qualified name and a forward-confirmed PTR name of {ip}, as RFC 5321 §4.1.1.1 and Fastmail's guidance ask.",
                    h.helo.name
                ),
                String::new(),
                &[refs::RFC5321_EHLO, refs::FASTMAIL],
            ));
        }
        HeloKind::Fqdn if h.result == HeloResult::TempError => {
            out.push(finding(
                "helo-temperror",
                Area::Helo,
                Severity::Warning,
                format!("Could not tell whether `{}` matches the reverse DNS", h.helo.name),
                "The reverse DNS of the address could not be evaluated (see above), so the match is unknown.".into(),
                "Try again once the reverse DNS answers.".into(),
                &[refs::RFC5321_EHLO],
            ));
        }
        HeloKind::Fqdn => {
            let rdns = if confirmed.is_empty() {
                "the address has no forward-confirmed reverse DNS name to match".to_string()
            } else {
                format!(
                    "the forward-confirmed reverse DNS name is {}",
                    confirmed
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(finding(
                "helo-mismatch",
                Area::Helo,
                Severity::Warning,
                format!("EHLO name `{}` does not match the reverse DNS", h.helo.name),
                format!(
                    "The server says `{}`, but {rdns}. Fastmail and many filters expect the EHLO name to equal the reverse DNS name; a mismatch is a common spam signal.",
                    h.helo.name
                ),
                announce_fix(iprev, h),
                &helo_refs,
            ));
        }
    }
    if let Some(f) = &h.forward {
        match (&f.outcome, h.resolves_to_ip) {
            (Outcome::Found(_), Some(false)) => {
                let list: Vec<String> = f.addresses().iter().map(ToString::to_string).collect();
                out.push(finding(
                    "helo-resolves-elsewhere",
                    Area::Helo,
                    Severity::Info,
                    format!("EHLO name `{}` resolves to {}, not {ip}", h.helo.name, list.join(", ")),
                    "The name exists, so Postfix's reject_unknown_helo_hostname accepts it, but it names another host than the one sending.".into(),
                    String::new(),
                    &[refs::POSTFIX_UNKNOWN_HELO],
                ));
            }
            (outcome, _) if !outcome.is_temporary() && !matches!(outcome, Outcome::Found(_)) => {
                out.push(finding(
                    "helo-unresolvable",
                    Area::Helo,
                    Severity::Warning,
                    format!("EHLO name `{}` has no {rtype} record", h.helo.name),
                    format!(
                        "{}: {}. Postfix's reject_unknown_helo_hostname rejects (450 4.7.1) an EHLO name without an address record, and spam filters score it.",
                        h.helo.name,
                        outcome.describe(rtype)
                    ),
                    format!(
                        "If `{}` is this server's name, publish its address record:\n{}",
                        h.helo.name,
                        address_record(ip, &h.helo.name)
                    ),
                    &[refs::POSTFIX_UNKNOWN_HELO],
                ));
            }
            _ => {}
        }
    }
}
