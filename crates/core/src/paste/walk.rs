//! The walk down the Received chain: which hops the receiver added, where the message entered it,
//! and which hops the sender added.
//!
//! From the top (newest) down, a hop is the receiver's own when it names no client address, is no
//! relay between servers (LMTP delivery, POP3/IMAP retrieval, `with local`), comes from a private
//! or loopback address, or comes from a host in the organisation of a `by` host seen so far. Two
//! exceptions keep one provider's two sides apart: a provider's sending edge
//! ([`outbound_edge`]) is never the receiver's own, even when the receiver is the same provider
//! (Microsoft 365 tenant to tenant, Gmail to Gmail).
//!
//! A hop from an inbound filtering service ([`FILTERS`]) to the receiver's own servers is the
//! receiver's too (role `filter`), and the walk goes on to the hop where the service received the
//! mail, when the paste shows one below: a hop by the service from a public client outside the
//! service (not in the /24 or /48 of the service's relay). The service is on the sender's side
//! instead when its intake is not in the paste, when the receiver's own SPF result passes for the
//! relay's address (the sender's domain authorises it), or when the service wrote the message
//! itself (its domain in `From`/`Return-Path`).
//!
//! An authenticated submission (RFC 3848 `with ESMTPSA`, Sendmail's `(authenticated …)`, webmail
//! `with HTTP`) from a public address names the user's device, not a sending server (role
//! `submission`); met before any entry, it ends the walk: the paste shows no relay into the
//! receiver. The first remaining hop is the entry; every hop below it is the sender's.

use std::net::IpAddr;

use super::auth::AuthHeader;
use super::headers::{Hop, HopRole};
use super::received::LOCAL_SUBMISSION;
use super::services::{filter_of, outbound_edge, proofpoint, Service, PROOFPOINT_REINJECTION};
use super::text::{looks_like_host, org_domain, plain_ip};
use crate::dns::non_public_reason;

/// How the entry hop's reason starts when no hop was outside the receiver.
pub(crate) const FALLBACK: &str = "Every hop looked internal to one organisation";

/// What else the walk may consult: the receiver's verdicts and the message's author domains.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// Authentication-Results and Received-SPF headers, top first.
    pub auth: &'a [AuthHeader],
    /// Domains of `From`, `Sender` and `Return-Path`, lower case.
    pub authors: &'a [String],
    /// Domains of `To`, `Delivered-To`, `X-Original-To` and `Envelope-To`, lower case.
    pub recipients: &'a [String],
}

/// A filtering service in front of the receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    /// The service's name.
    pub service: &'static str,
    /// The hop where the service passed the message to the receiver's servers.
    pub handover: usize,
    /// Whom it accepted the message for: the recipient's domain, else the receiver's organisation.
    pub accepted_for: String,
}

/// The walk's outcome.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Walk {
    /// The entry hop.
    pub entry: Option<usize>,
    /// The filtering service in front of the receiver.
    pub filter: Option<Filter>,
    /// An authenticated submission met before any entry.
    pub submission: Option<usize>,
    /// Every hop was the sender's own (its organisation is the `From` domain's, and the
    /// recipient's is another): the paste shows no hop into the receiver.
    pub senders_only: Option<String>,
}

/// The organisation of the host that added a hop, when its `by` is a host name.
pub(crate) fn by_org(hop: &Hop) -> Option<String> {
    hop.by
        .as_deref()
        .filter(|b| looks_like_host(b) && plain_ip(b).is_none())
        .map(org_domain)
}

/// Adds an organisation once. (A list, not a set: at most MAX_HOPS entries, and a set adds
/// kilobytes to the page.)
fn add_org(orgs: &mut Vec<String>, org: Option<String>) {
    if let Some(org) = org.filter(|o| !orgs.contains(o)) {
        orgs.push(org);
    }
}

/// The organisations of the receiver: those of the `by` hosts from the top down to `upto`
/// (inclusive), or of every hop when no hop was chosen.
pub(crate) fn receiver_orgs(hops: &[Hop], upto: Option<usize>) -> Vec<String> {
    let mut orgs = Vec::new();
    for hop in hops.iter().take(upto.map_or(hops.len(), |u| u + 1)) {
        add_org(&mut orgs, by_org(hop));
    }
    orgs
}

/// Hosts that re-inject Proofpoint's filtered mail (`from pps.filterd … by HOST`).
fn proofpoint_nodes(hops: &[Hop]) -> Vec<String> {
    hops.iter()
        .filter(|h| h.helo.as_deref() == Some(PROOFPOINT_REINJECTION))
        .filter_map(|h| h.by.clone())
        .collect()
}

/// The filtering service a host belongs to, by name or as a Proofpoint node.
fn service_of(host: &str, nodes: &[String]) -> Option<&'static Service> {
    filter_of(host).or_else(|| nodes.iter().any(|n| n == host).then(proofpoint))
}

/// The service of a hop's client (its recorded reverse name, else its EHLO name).
fn client_service(hop: &Hop, nodes: &[String]) -> Option<&'static Service> {
    [hop.rdns.as_deref(), hop.helo.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|h| service_of(h, nodes))
}

/// Whether the client of hop `i` re-sent the message after delivering it locally (Sendmail's
/// `(from user@localhost) by CLIENT` below): the recipient's own forwarding, the receiver's side.
fn forwarder(hops: &[Hop], i: usize) -> Option<String> {
    let client = hops[i].rdns.as_deref().or(hops[i].helo.as_deref())?;
    hops[i + 1..]
        .iter()
        .any(|h| h.not_relay == Some(LOCAL_SUBMISSION) && h.by.as_deref() == Some(client))
        .then(|| client.to_string())
}

/// Whether two addresses share a /24 (IPv4) or /48 (IPv6): the same operator's network.
fn same_network(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a.octets()[..3] == b.octets()[..3],
        (IpAddr::V6(a), IpAddr::V6(b)) => a.segments()[..3] == b.segments()[..3],
        _ => false,
    }
}

/// The hop below `i` where `service` received the message from a client outside it.
fn intake(hops: &[Hop], i: usize, service: &Service, nodes: &[String]) -> Option<usize> {
    let relay_ip = hops[i].ip?;
    hops.iter().enumerate().skip(i + 1).find_map(|(j, h)| {
        let by_service =
            h.by.as_deref()
                .is_some_and(|b| service_of(b, nodes) == Some(service));
        let ip = h.ip?;
        (by_service
            && h.not_relay.is_none()
            && h.auth.is_none()
            && non_public_reason(ip).is_none()
            && !same_network(ip, relay_ip)
            && client_service(h, nodes) != Some(service))
        .then_some(j)
    })
}

/// Whether the receiver's SPF result, in a header above hop `below`, passes for `ip`.
fn spf_passes_for(ctx: &Context<'_>, ip: IpAddr, below: usize) -> bool {
    ctx.auth
        .iter()
        .filter(|a| a.position < below)
        .flat_map(|a| a.results.iter())
        .filter(|r| r.method == "spf" && r.result == "pass")
        .any(|r| r.named_ip().map(|(named, _)| named) == Some(ip))
}

/// Whether hop `i`, from a filtering service to the receiver's servers, is the receiver's filter;
/// returns the service and its intake hop.
fn inbound_filter(
    hops: &[Hop],
    i: usize,
    orgs: &[String],
    nodes: &[String],
    ctx: &Context<'_>,
) -> Option<(&'static Service, usize)> {
    let hop = &hops[i];
    let service = client_service(hop, nodes)?;
    // The receiver's own servers: a `by` host outside the service, in the receiver's organisation.
    let by = hop.by.as_deref()?;
    let service_orgs: Vec<String> = service.zones.iter().map(|z| org_domain(z)).collect();
    let by_org = org_domain(by);
    if service_of(by, nodes) == Some(service)
        || service_orgs.contains(&by_org)
        || !orgs.contains(&by_org)
    {
        return None;
    }
    let ip = hop.ip?;
    let below = hops.get(i + 1).map_or(usize::MAX, |h| h.position);
    if spf_passes_for(ctx, ip, below)
        || ctx
            .authors
            .iter()
            .any(|d| service_orgs.contains(&org_domain(d)) || service_of(d, nodes).is_some())
    {
        return None;
    }
    intake(hops, i, service, nodes).map(|j| (service, j))
}

/// The domain the filter accepted the message for.
fn accepted_for(hops: &[Hop], handover: usize, intake: usize) -> String {
    hops[..=intake]
        .iter()
        .find_map(|h| h.recipient_domain.clone())
        .or_else(|| by_org(&hops[handover]))
        .unwrap_or_else(|| "the receiver".into())
}

fn submission_why(hop: &Hop) -> String {
    let how = hop.auth.as_deref().unwrap_or("authenticated");
    let rfc = if how.starts_with("with ") && !how.to_ascii_uppercase().starts_with("WITH HTTP") {
        ", RFC 3848"
    } else {
        ""
    };
    format!("An authenticated submission (`{how}`{rfc}): it names the user's device, not a server that relays mail.")
}

/// Walks down from the top and marks each hop.
pub(crate) fn assign_roles(hops: &mut [Hop], ctx: &Context<'_>) -> Walk {
    let nodes = proofpoint_nodes(hops);
    let mut orgs: Vec<String> = Vec::new();
    let mut walk = Walk::default();
    let mut stop = None;
    for i in 0..hops.len() {
        add_org(&mut orgs, by_org(&hops[i]));
        let filter = inbound_filter(hops, i, &orgs, &nodes, ctx);
        let forwarded = forwarder(hops, i);
        let hop = &mut hops[i];
        hop.role = HopRole::Receiver;
        if let Some(reason) = hop.not_relay {
            hop.why = format!("It records {reason}.");
            continue;
        }
        let Some(ip) = hop.ip else {
            hop.why = "It names no client address: the receiver added it internally.".into();
            continue;
        };
        if let Some(kind) = non_public_reason(ip) {
            hop.why = format!("Its client {ip} is {kind}: a hop inside the receiver.");
            if hop.auth.is_some() {
                hop.why.push_str(&format!(" {}", submission_why(hop)));
            }
            continue;
        }
        if hop.auth.is_some() {
            hop.role = HopRole::Submission;
            hop.why = submission_why(hop);
            walk.submission = Some(i);
            stop = Some(i);
            break;
        }
        let inside = |name: &Option<String>| {
            name.as_deref()
                .filter(|n| looks_like_host(n) && outbound_edge(n).is_none())
                .is_some_and(|n| orgs.contains(&org_domain(n)))
        };
        if inside(&hop.rdns) || inside(&hop.helo) {
            let who = hop
                .rdns
                .clone()
                .filter(|n| looks_like_host(n))
                .or_else(|| hop.helo.clone())
                .unwrap_or_default();
            hop.why = format!(
                "Its client {who} belongs to {}, the receiver's own organisation.",
                org_domain(&who)
            );
            continue;
        }
        if let Some(host) = forwarded {
            hop.why = format!("{host} delivered the message and sent it on (a `.forward` or a local program below): the recipient's own forwarding.");
            add_org(&mut orgs, Some(org_domain(&host)));
            continue;
        }
        if let Some((service, intake)) = filter {
            hop.role = HopRole::Filter;
            let for_whom = accepted_for(hops, i, intake);
            let hop = &mut hops[i];
            hop.why = format!(
                "{} passed the message on to the receiver's servers: {} accepted it for {for_whom} in Received header {}.",
                service.name,
                service.name,
                intake + 1
            );
            for z in service.zones {
                add_org(&mut orgs, Some(org_domain(z)));
            }
            for n in &nodes {
                add_org(&mut orgs, Some(org_domain(n)));
            }
            walk.filter.get_or_insert(Filter {
                service: service.name,
                handover: i,
                accepted_for: for_whom,
            });
            continue;
        }
        hop.role = HopRole::Entry;
        hop.why = match outbound_edge(hop.rdns.as_deref().or(hop.helo.as_deref()).unwrap_or("")) {
            Some(edge) => format!("The first hop from the top whose client is outside the receiver: {edge}, the sending side of the provider."),
            None => "The first hop from the top whose client is outside the receiver.".into(),
        };
        walk.entry = Some(i);
        break;
    }
    if let Some(s) = stop {
        for hop in &mut hops[s + 1..] {
            hop.role = HopRole::Sender;
            hop.why = "Below the submission: the sender's own device or software.".into();
        }
        return walk;
    }
    match walk.entry {
        Some(e) => {
            for hop in &mut hops[e + 1..] {
                let public = hop.ip.is_some_and(|ip| non_public_reason(ip).is_none());
                if hop.auth.is_some() && public && hop.not_relay.is_none() {
                    hop.role = HopRole::Submission;
                    hop.why = submission_why(hop);
                } else {
                    hop.role = HopRole::Sender;
                    hop.why = "Below the entry hop: added on the sender's side.".into();
                    if hop.auth.is_some() {
                        hop.why.push_str(&format!(" {}", submission_why(hop)));
                    }
                }
            }
        }
        None if senders_only(hops, ctx).is_some() => {
            walk.senders_only = senders_only(hops, ctx);
        }
        None => {
            // Everything looked internal (a message inside one organisation): take the lowest
            // relay with a public client address, else the lowest with any address; never a
            // submission or a filter's handover.
            let candidate = |h: &Hop| {
                h.ip.is_some()
                    && h.auth.is_none()
                    && h.not_relay.is_none()
                    && h.role == HopRole::Receiver
            };
            let fallback = hops
                .iter()
                .rposition(|h| {
                    candidate(h) && h.ip.is_some_and(|ip| non_public_reason(ip).is_none())
                })
                .or_else(|| hops.iter().rposition(candidate));
            if let Some(f) = fallback {
                hops[f].role = HopRole::Entry;
                hops[f].why = format!("{FALLBACK}; this is the lowest with a client address.");
                walk.entry = Some(f);
            }
        }
    }
    walk
}

/// When every hop was added inside the `From` domain's organisation and the recipient's domain
/// is another, the paste is the sender's copy (a Sent folder, a bounce's quoted original): the
/// recipient's domain.
fn senders_only(hops: &[Hop], ctx: &Context<'_>) -> Option<String> {
    let orgs = receiver_orgs(hops, None);
    let author = ctx.authors.first().map(|a| org_domain(a))?;
    let recipient = ctx
        .recipients
        .iter()
        .cloned()
        .chain(hops.iter().filter_map(|h| h.recipient_domain.clone()))
        .next()?;
    (orgs.len() == 1 && orgs[0] == author && org_domain(&recipient) != author).then_some(recipient)
}

/// Why the automatic walk chose hop `index`.
pub(crate) fn entry_reason(hops: &[Hop], index: usize) -> String {
    let hop = &hops[index];
    let by = hop.by.as_deref().unwrap_or("the receiver");
    if hop.why.starts_with(FALLBACK) {
        return format!("Received header {}: {}", index + 1, hop.why);
    }
    let filters: Vec<usize> = hops[..index]
        .iter()
        .enumerate()
        .filter(|(_, h)| h.role == HopRole::Filter)
        .map(|(i, _)| i)
        .collect();
    // The hops above the entry are the receiver's own.
    let skipped = match index {
        0 => String::new(),
        1 => " The header above it was added inside the receiver.".into(),
        n if filters.is_empty() => {
            format!(" The {n} headers above it were added inside the receiver.")
        }
        n => format!(
            " The {n} headers above it were added inside the receiver and its filtering service."
        ),
    };
    let Some(&handover) = filters.first() else {
        return format!(
            "Received header {} is where {by} took the message from a client outside the receiver.{skipped}",
            index + 1
        );
    };
    let h = &hops[handover];
    let service = [h.rdns.as_deref(), h.helo.as_deref()]
        .into_iter()
        .flatten()
        .find_map(filter_of)
        .map_or("A filtering service", |s| s.name);
    let for_whom = accepted_for(hops, handover, index);
    let to = h.by.as_deref().unwrap_or("the receiver");
    format!(
        "Received header {} is where {by} took the message from a client outside the receiver: {service} accepted it for {for_whom} and passed it on to {to} (Received header {}).{skipped}",
        index + 1,
        handover + 1
    )
}

#[cfg(test)]
mod tests {
    use crate::paste::extract;

    fn roles(text: &str) -> Vec<&'static str> {
        extract(text)
            .unwrap()
            .hops
            .iter()
            .map(|h| h.role.as_str())
            .collect()
    }

    #[test]
    fn a_filter_in_front_of_the_receiver_is_the_receivers() {
        // Synthetic (documentation names and addresses): Proofpoint in front of Exchange Online.
        let text = "Received: from SA1PR11MB5678.namprd11.prod.outlook.com (2603:10b6:806:1::1) by BN8PR11MB1234.namprd11.prod.outlook.com with HTTPS; Fri, 27 Nov 2026 10:00:03 +0000\n\
Authentication-Results: spf=fail (sender IP is 148.163.158.5) smtp.mailfrom=example.com; dkim=pass header.d=example.com;dmarc=pass action=none header.from=example.com\n\
Received: from mx0b-00123401.pphosted.com (148.163.158.5) by BN1NAM02FT050.mail.protection.outlook.com (10.13.2.190) with Microsoft SMTP Server id 15.20.1 via Frontend Transport; Fri, 27 Nov 2026 10:00:02 +0000\n\
Received: from pps.filterd (m0123401.ppops.net [127.0.0.1]) by mx0b-00123401.pphosted.com (8.17.1.19/8.17.1.19) with SMTP id 4AR; Fri, 27 Nov 2026 10:00:01 +0000\n\
Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx0b-00123401.pphosted.com with ESMTPS id 4AS for <bob@example.co.jp>; Fri, 27 Nov 2026 10:00:00 +0000\n\
Received: from [10.0.0.5] (unknown [10.0.0.5]) by mail.example.com (Postfix) with ESMTPSA id 9Zz; Fri, 27 Nov 2026 09:59:59 +0000\n";
        let x = extract(text).unwrap();
        assert_eq!(x.chosen, Some(3));
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert_eq!(
            roles(text),
            ["receiver", "filter", "receiver", "entry", "sender"]
        );
        assert_eq!(x.reason, "Received header 4 is where mx0b-00123401.pphosted.com took the message from a client outside the receiver: Proofpoint accepted it for example.co.jp and passed it on to bn1nam02ft050.mail.protection.outlook.com (Received header 2). The 3 headers above it were added inside the receiver and its filtering service.");
        assert!(
            x.hops[1]
                .why
                .starts_with("Proofpoint passed the message on"),
            "{}",
            x.hops[1].why
        );
    }

    #[test]
    fn a_senders_outbound_gateway_stays_the_entry() {
        // Synthetic: the sender's own Proofpoint relays to Gmail; the receiver's SPF passes for it.
        let text = "Received: from mx0a-00123401.pphosted.com (mx0a-00123401.pphosted.com. [148.163.156.1]) by mx.google.com with ESMTPS id x; Fri, 27 Nov 2026 10:00:02 -0800\n\
Received-SPF: pass (google.com: domain of a@example.com designates 148.163.156.1 as permitted sender) client-ip=148.163.156.1;\n\
Received: from pps.filterd (m0123401.ppops.net [127.0.0.1]) by mx0a-00123401.pphosted.com with SMTP id 4AR; Fri, 27 Nov 2026 10:00:01 +0000\n\
Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx0a-00123401.pphosted.com with ESMTPS id 4AS; Fri, 27 Nov 2026 10:00:00 +0000\n";
        let x = extract(text).unwrap();
        assert_eq!(x.chosen, Some(0));
        assert_eq!(roles(text), ["entry", "sender", "sender"]);
        // Without the intake below, the service is the sending side too.
        let cut = text
            .split("Received: from pps")
            .next()
            .unwrap()
            .replace("Received-SPF: pass", "Received-SPF: neutral");
        assert_eq!(extract(&cut).unwrap().chosen, Some(0));
    }

    #[test]
    fn one_provider_on_both_sides() {
        // Synthetic: Microsoft 365 tenant to tenant.
        let text = "Received: from SA1PR11MB5678.namprd11.prod.outlook.com (2603:10b6:806:1::1) by BN8PR11MB1234.namprd11.prod.outlook.com with HTTPS; Fri, 27 Nov 2026 10:00:04 +0000\n\
Received: from BN1NAM02FT050.eop-nam02.prod.protection.outlook.com (2603:10b6:408:e6::4) by SA1PR11MB5678.outlook.office365.com (2603:10b6:806:1::1) with Microsoft SMTP Server id 15.20.1 via Frontend Transport; Fri, 27 Nov 2026 10:00:03 +0000\n\
Received: from NAM12-BN8-obe.outbound.protection.outlook.com (40.107.237.100) by BN1NAM02FT050.mail.protection.outlook.com (10.13.2.190) with Microsoft SMTP Server id 15.20.1 via Frontend Transport; Fri, 27 Nov 2026 10:00:02 +0000\n\
Received: from DM6PR11MB0001.namprd11.prod.outlook.com (2603:10b6:5:1::1) by DM6PR11MB0002.namprd11.prod.outlook.com (2603:10b6:5:1::2) with Microsoft SMTP Server id 15.20.1; Fri, 27 Nov 2026 10:00:01 +0000\n";
        let x = extract(text).unwrap();
        assert_eq!(x.chosen, Some(2));
        assert_eq!(
            x.helo.as_deref(),
            Some("nam12-bn8-obe.outbound.protection.outlook.com")
        );
        assert!(x.hops[2].why.contains("Microsoft 365's outbound edge"));
        // Synthetic: Gmail to Gmail through smtp.gmail.com.
        let text = "Received: by 2002:a05:7300:a4a0:b0:1a5:5b2a:9c4 with SMTP id qz32; Fri, 27 Nov 2026 02:00:02 -0800 (PST)\n\
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a; Fri, 27 Nov 2026 02:00:01 -0800 (PST)\n\
Received: from [192.168.1.20] (dsl-198-51-100-9.example.net. [198.51.100.9]) by smtp.gmail.com with ESMTPSA id b; Fri, 27 Nov 2026 02:00:00 -0800 (PST)\n";
        let x = extract(text).unwrap();
        assert_eq!(x.chosen, Some(1));
        assert_eq!(roles(text), ["receiver", "entry", "submission"]);
        assert!(
            x.hops[2].why.contains("`with ESMTPSA`, RFC 3848"),
            "{}",
            x.hops[2].why
        );
    }

    #[test]
    fn a_submission_alone_names_no_sending_server() {
        let text = "Received: from [192.168.1.20] (dsl-198-51-100-9.example.net. [198.51.100.9]) by smtp.gmail.com with ESMTPSA id b; Fri, 27 Nov 2026 02:00:00 -0800 (PST)\n";
        let x = extract(text).unwrap();
        assert_eq!((x.chosen, x.ip), (None, None));
        assert_eq!(roles(text), ["submission"]);
        assert!(
            x.reason
                .starts_with("Received header 1 is an authenticated submission"),
            "{}",
            x.reason
        );
    }
}
