//! The paste panel, as the worker renders it: the format, the values taken and why, the Received
//! chain (each hop a button that checks it: `data-action="hop"`), the receiver's own verdicts
//! beside this check's, the settings read, and the paste's findings.
//!
//! Data attributes for tests and scripts: `data-format` on the section, `data-extracted` on each
//! value, `data-role` (`receiver`, `filter`, `entry`, `sender`, `submission`) and `data-chosen` on
//! hop rows, `data-method` on receiver rows, and the cards' `data-check` (`receiver`, `sav`) and
//! `data-result`. A hop row's class is its role word (and `chosen`); its role cell names the role
//! for people (`filter in front of the receiver`, `submission from a device`) with the reason.

use std::fmt::Write;

use sendercheck_core::bounce::{Bounce, Cause};
use sendercheck_core::finding::{Area, Finding, FindingId};
use sendercheck_core::paste::{BounceCheck, Extracted, HopRole};

/// The role as the table's role cell shows it.
fn role_label(role: HopRole) -> &'static str {
    match role {
        HopRole::Receiver => "receiver",
        HopRole::Filter => "filter in front of the receiver",
        HopRole::Entry => "entry",
        HopRole::Sender => "sender",
        HopRole::Submission => "submission from a device",
    }
}
use sendercheck_core::report::Target;

use crate::render::{breakable, card, card_with, esc, finding, with_code};
use crate::state::FindingData;

/// What the panel knows about the check of the paste's target.
pub enum Check<'a> {
    /// The paste names nothing to look up.
    None,
    /// The check is running (or about to).
    Running,
    /// It finished; `iprev` is its result word for an address (`None` for a host name).
    Done {
        /// The iprev result word.
        iprev: Option<&'a str>,
    },
}

fn value(out: &mut String, label: &str, key: &str, v: Option<&str>) {
    let _ = write!(
        out,
        "<dt>{}</dt><dd data-extracted=\"{key}\">{}</dd>",
        esc(label),
        esc(v.unwrap_or("—"))
    );
}

fn findings_html(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| finding(&FindingData::from(*f)))
        .collect()
}

/// The panel for a paste and, once its check ran, the findings that compare it with the check.
pub fn paste_panel(
    x: &Extracted,
    target: Option<&Target>,
    check: Check<'_>,
    findings: &[Finding],
    bounce: Option<&BounceCheck>,
) -> String {
    let format = x.format.as_str();
    let mut out = format!(
        "<section id=\"pasted\" class=\"pasted\" data-format=\"{format}\" aria-labelledby=\"pasted-title\"><h2 id=\"pasted-title\" class=\"section-title\">Pasted: {}</h2><p class=\"pasted-reason\">{}</p><dl class=\"extracted\">",
        esc(x.format.describe()),
        with_code(&x.reason)
    );
    let no_ip = match target {
        Some(Target::Host(name)) => Some(format!(
            "not in the paste; every address of {name} is checked"
        )),
        Some(Target::Ip(ip)) if x.ip.is_none() => Some(format!(
            "not in the paste; the EHLO literal's {ip} is checked"
        )),
        _ => None,
    };
    let ip = x.ip.map(|ip| ip.to_string()).or(no_ip);
    value(&mut out, "Sending IP", "ip", ip.as_deref());
    value(&mut out, "EHLO name", "helo", x.helo.as_deref());
    if x.format.is_receivers_record() {
        let rdns = x.rdns_seen.as_deref().or(x
            .rdns_unknown
            .then_some("none (the receiver found no verified name)"));
        value(
            &mut out,
            "Reverse name the receiver recorded",
            "rdns_seen",
            rdns,
        );
    }
    if x.format.is_config() {
        value(
            &mut out,
            "Sender Address Verification",
            "sav",
            Some(if x.sav { "on" } else { "off" }),
        );
    }
    out.push_str("</dl>");
    if !x.notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for n in &x.notes {
            let _ = write!(out, "<li>{}</li>", with_code(n));
        }
        out.push_str("</ul>");
    }
    if let Some(b) = &x.bounce {
        out.push_str(&bounce_card(b, &check, findings, bounce));
    }
    if !x.hops.is_empty() {
        out.push_str("<div class=\"table-wrap\"><table class=\"hops\"><caption>The Received chain, newest first. The highlighted hop is where the message entered the receiver; a filtering service in front of the receiver counts as the receiver's, and a submission from the user's device is never the sending server.</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Role</th><th scope=\"col\">EHLO</th><th scope=\"col\">Reverse name</th><th scope=\"col\">IP</th><th scope=\"col\">By</th><th scope=\"col\"><span class=\"sr-only\">Action</span></th></tr></thead><tbody>");
        for (i, h) in x.hops.iter().enumerate() {
            let chosen = x.chosen == Some(i);
            let role = h.role.as_str();
            let rdns = h
                .rdns
                .as_deref()
                .unwrap_or(if h.rdns_unknown { "unknown" } else { "" });
            let ip = match h.ip {
                Some(std::net::IpAddr::V6(v6)) => breakable(&v6.to_string()),
                Some(v4) => format!("<span class=\"nowrap\">{v4}</span>"),
                None => String::new(),
            };
            let action = if h.ip.is_some() && !chosen {
                format!("<button type=\"button\" class=\"pick\" data-action=\"hop\" data-value=\"{i}\" aria-label=\"Check this hop (Received header {n})\">Check this hop</button>", n = i + 1)
            } else if chosen {
                "<span class=\"chosen-mark\">checked</span>".into()
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<tr class=\"{role}{c}\" data-role=\"{role}\" data-chosen=\"{chosen}\"{cur}><td data-label=\"#\">{n}</td><td data-label=\"Role\">{label}<span class=\"why\">{why}</span></td><td class=\"name\" data-label=\"EHLO\">{helo}</td><td class=\"name\" data-label=\"Reverse name\">{rdns}</td><td class=\"name\" data-label=\"IP\">{ip}</td><td class=\"name\" data-label=\"By\">{by}</td><td class=\"action\">{action}</td></tr>",
                c = if chosen { " chosen" } else { "" },
                cur = if chosen { " aria-current=\"true\"" } else { "" },
                n = i + 1,
                label = role_label(h.role),
                why = with_code(&h.why),
                helo = breakable(h.helo.as_deref().unwrap_or_default()),
                rdns = breakable(rdns),
                by = breakable(h.by.as_deref().unwrap_or_default()),
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str(&receiver_card(x, &check, findings));
    if !x.settings.is_empty() {
        out.push_str("<ul class=\"settings\" aria-label=\"Settings read\">");
        for s in &x.settings {
            let _ = write!(
                out,
                "<li><span class=\"line\">line {}</span><code>{} = {}</code></li>",
                s.line,
                esc(&s.name),
                esc(&s.value)
            );
        }
        out.push_str("</ul>");
    }
    if x.format.is_config() {
        let sav: Vec<&Finding> = findings.iter().filter(|f| f.check == Area::Sav).collect();
        out.push_str(&card(
            "pasted",
            "sav",
            if x.sav { "fail" } else { "pass" },
            "Sender Address Verification (callouts)",
            if x.sav {
                "On: your server probes other domains' servers before accepting mail."
            } else {
                "Off: this configuration makes no sender callouts."
            },
            &findings_html(&sav),
        ));
    }
    // While an address is checked, its own EHLO card speaks for the name.
    let running = matches!(check, Check::Running);
    let rest: Vec<&Finding> = findings
        .iter()
        .filter(|f| ![Area::Sav, Area::Receiver, Area::Bounce, Area::Blocklist].contains(&f.check))
        .filter(|f| !(running && f.check == Area::Helo))
        .collect();
    out.push_str(&findings_html(&rest));
    out.push_str("</section>");
    out
}

/// What the receiver said and what it means (`data-category`, `data-provider`, `data-status`),
/// whether its cause is still there (`data-result`: `fail` still there, `pass` fixed, `not-dns`,
/// `unknown`, `loading` while the checks run), and the blocklists it pointed to.
fn bounce_card(
    b: &Bounce,
    check: &Check<'_>,
    findings: &[Finding],
    done: Option<&BounceCheck>,
) -> String {
    let result = match done.map(|d| d.cause) {
        Some(Cause::Present) => "fail",
        Some(Cause::Fixed) => "pass",
        Some(Cause::NotDns) => "not-dns",
        Some(Cause::Unknown) => "unknown",
        None if matches!(check, Check::Running) => "loading",
        None => "unknown",
    };
    let mut body = String::from("<dl class=\"extracted bounce-facts\">");
    let mut who: Vec<String> = Vec::new();
    if let Some(p) = b.provider {
        who.push(p.name.clone());
    }
    if let Some(h) = &b.receiver_host {
        who.push(h.clone());
    }
    if let Some(ip) = b.receiver_ip {
        who.push(format!("[{ip}]"));
    }
    let receiver = (!who.is_empty()).then(|| who.join(" "));
    let mut when = b.reply.line();
    if let Some(c) = &b.command {
        let _ = write!(when, " (at {c})");
    }
    value(&mut body, "Refused by", "receiver", receiver.as_deref());
    value(&mut body, "Reply", "reply", Some(&when));
    value(&mut body, "Means", "meaning", Some(&b.meaning));
    value(
        &mut body,
        "Points to",
        "category",
        Some(b.category.as_str()),
    );
    value(&mut body, "To do", "action", Some(&b.action));
    value(&mut body, "Recipient", "recipient", b.recipient.as_deref());
    value(&mut body, "Sender", "sender", b.sender.as_deref());
    body.push_str("</dl>");
    if let Some(r) = b.rule {
        let _ = write!(
            body,
            "<p class=\"refs\">Rule <code>{}</code>: <a href=\"{}\" rel=\"noopener noreferrer\">source</a></p>",
            esc(&r.id),
            esc(&r.source)
        );
    }
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check == Area::Bounce)
        .collect();
    body.push_str(&findings_html(&mine));
    if let Some(listings) = done.and_then(|d| d.follow.blocklists.as_ref()) {
        if let Some(ip) = listings.first().map(|l| l.ip) {
            let all: Vec<_> = listings.iter().collect();
            body.push_str(&super::lists::card(ip, &all, 90));
        }
    }
    let attrs = format!(
        " data-category=\"{}\" data-provider=\"{}\" data-status=\"{}\"",
        b.category.as_str(),
        esc(b.provider.map_or("", |p| p.id.as_str())),
        esc(b.reply.status.as_deref().unwrap_or_default()),
    );
    card_with(
        "pasted",
        "bounce",
        result,
        &attrs,
        "What the receiver said",
        "",
        &body,
    )
}

/// The receiver's own verdicts beside this check's, and what disagrees.
fn receiver_card(x: &Extracted, check: &Check<'_>, findings: &[Finding]) -> String {
    let rows: Vec<_> = x
        .receiver_auth()
        .flat_map(|a| a.results.iter().map(move |r| (a, r)))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let iprev = match check {
        Check::Done { iprev } => *iprev,
        _ => None,
    };
    let done = !matches!(check, Check::Running);
    let ours = |method: &str| match (iprev, method) {
        (Some(result), "iprev") => result,
        (None, "iprev") if !done => "…",
        _ => "not checked here",
    };
    let receiver: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check == Area::Receiver)
        .collect();
    let disagree = receiver
        .iter()
        .any(|f| FindingId::is_receiver_disagreement(f.id));
    let result = match (done, disagree) {
        (false, _) => "loading",
        (true, true) => "differs",
        (true, false) => "agrees",
    };
    let mut body = String::from("<div class=\"table-wrap\"><table class=\"receiver\"><thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Receiver</th><th scope=\"col\">This check</th><th scope=\"col\">Details</th></tr></thead><tbody>");
    for (a, r) in rows {
        let props: Vec<String> = r.props.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = write!(
            body,
            "<tr data-method=\"{m}\" data-result=\"{res}\"><td data-label=\"Method\">{m}</td><td class=\"said {res}\" data-label=\"Receiver\">{res}</td><td data-label=\"This check\">{ours}</td><td class=\"name\" data-label=\"Details\">{who} {props}</td></tr>",
            m = esc(&r.method),
            res = esc(&r.result),
            ours = ours(&r.method),
            who = esc(a.authserv_id.as_deref().unwrap_or(a.header)),
            props = esc(&props.join(" ")),
        );
    }
    body.push_str("</tbody></table></div>");
    body.push_str(&findings_html(&receiver));
    card(
        "pasted",
        "receiver",
        result,
        "The receiver's own verdicts",
        "",
        &body,
    )
}

/// The scorecard row of a pasted bounce, once its checks ran: whether the cause is still there.
pub fn bounce_row(b: &BounceCheck, findings: &[Finding]) -> String {
    let result = match b.cause {
        Cause::Present => "fail",
        Cause::Fixed => "pass",
        Cause::NotDns => "not-dns",
        Cause::Unknown => "unknown",
    };
    let cause = findings
        .iter()
        .find(|f| f.check == Area::Bounce && f.id != FindingId::BounceReply);
    crate::render::row(
        "bounce",
        result,
        "pasted-bounce",
        "The bounce",
        cause.map_or("", |f| f.title.as_str()),
        cause.map_or("", |f| f.fix.as_str()),
    )
}
