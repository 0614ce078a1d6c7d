//! Where to fix it, as the worker renders it: who runs each address's reverse zone (where its PTR
//! is set) and each name's forward zone (where its A/AAAA record is added), and the `where-*`
//! findings with the operator's steps and the user's mail server's setting.
//!
//! Data attributes for tests and scripts: the section's `data-mta` (the MTA the advice is for, or
//! empty); `data-zone` (`reverse` or `forward`) and `data-operator` (the operator's id, empty when
//! not recognised) on each zone's row, `data-name` on forward ones, and the operator's page for
//! the steps as `a.steps` in the row when the data has one; `data-mta` on the fix blocks of
//! `where-mta` and `where-sav`. The mail server is chosen beside the EHLO field (`select#mta`); the
//! page remembers the choice and asks again.

use std::fmt::Write;

use sendercheck_core::finding::{Finding, FindingId};
use sendercheck_core::fix::{MtaChoice, MtaSource, Place, WhereToFix};

use crate::render::{breakable, esc, finding, with_code};
use crate::state::FindingData;

fn zone_row(out: &mut String, kind: &str, p: &Place) {
    let operator = p.operator.as_ref();
    let who = match operator {
        Some(r) if r.certain => format!(", run by {}", r.operator.name),
        Some(r) => format!(", probably {} ({})", r.operator.name, r.evidence()),
        None => String::new(),
    };
    let servers = p.servers();
    let servers = match servers.is_empty() {
        true => String::new(),
        false => format!("; name servers `{}`", servers.join("`, `")),
    };
    let what = match kind {
        "reverse" => "Reverse zone",
        _ => "Zone of",
    };
    let zone = p.zone.as_deref().unwrap_or("not found");
    let name = match kind {
        "reverse" => String::new(),
        _ => format!(" `{}`", p.name),
    };
    // The operator's own page for the steps, as a link (the fix block below quotes it as text).
    let steps = match operator.and_then(|r| r.operator.steps_url.map(|u| (r.operator.name, u))) {
        Some((who, url)) => format!(
            " <a class=\"steps\" href=\"{}\" rel=\"noopener noreferrer\">{}'s steps</a>",
            esc(url),
            esc(who)
        ),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<li class=\"zone\" data-zone=\"{kind}\" data-operator=\"{op}\"{data_name}>{}{steps}</li>",
        with_code(&format!("{what}{name}: `{zone}`{who}{servers}.")),
        op = esc(operator.map_or("", |r| r.operator.id)),
        data_name = match kind {
            "reverse" => String::new(),
            _ => format!(" data-name=\"{}\"", esc(&p.name)),
        },
    );
}

/// Which mail server the advice is for: chosen beside the EHLO field, or guessed from a paste.
fn advice_for(mta: Option<MtaChoice>) -> String {
    match mta {
        Some(MtaChoice { mta, source }) => format!(
            "<p class=\"mta-pick\">Settings for {} ({}).</p>",
            esc(mta.label()),
            match source {
                MtaSource::Guessed => "guessed from the paste; choose yours beside the EHLO field",
                MtaSource::Given => "chosen beside the EHLO field",
            }
        ),
        None => "<p class=\"mta-pick hint\">Choose your mail server beside the EHLO field for its exact settings.</p>".into(),
    }
}

fn findings_html(findings: &[Finding], mta: Option<MtaChoice>) -> String {
    let mut out = String::new();
    for f in findings {
        let html = finding(&FindingData::from(f));
        match (f.id, mta) {
            (FindingId::WhereMta | FindingId::WhereSav, Some(m)) => {
                let _ = write!(out, "<div data-mta=\"{}\">{html}</div>", m.mta.as_str());
            }
            _ => out.push_str(&html),
        }
    }
    out
}

/// The section for a run's places (one per address, `ips` in the same order) and a paste's own
/// `where-*` findings; empty when nothing is known and nothing needs fixing.
pub fn section(
    places: &[WhereToFix],
    ips: &[String],
    mta: Option<MtaChoice>,
    more: &[Finding],
) -> String {
    let known = places
        .iter()
        .any(|w| w.reverse_zone.is_some() || !w.forward_zones.is_empty());
    let any_finding = !more.is_empty() || places.iter().any(|w| !w.findings.is_empty());
    if !known && !any_finding {
        return String::new();
    }
    let mut out = format!(
        "<section id=\"where\" class=\"where\" data-mta=\"{}\" aria-labelledby=\"where-title\"><h2 id=\"where-title\" class=\"section-title\">Where to fix it</h2>{}",
        mta.map_or("", |m| m.mta.as_str()),
        advice_for(mta)
    );
    for (w, ip) in places.iter().zip(ips) {
        let _ = write!(
            out,
            "<div class=\"places\" data-ip=\"{ip}\"><h3>{}</h3><ul class=\"zones\">",
            breakable(ip),
            ip = esc(ip)
        );
        if let Some(p) = &w.reverse_zone {
            zone_row(&mut out, "reverse", p);
        }
        for p in &w.forward_zones {
            zone_row(&mut out, "forward", p);
        }
        out.push_str("</ul>");
        out.push_str(&findings_html(&w.findings, mta));
        out.push_str("</div>");
    }
    out.push_str(&findings_html(more, mta));
    out.push_str("</section>");
    out
}
