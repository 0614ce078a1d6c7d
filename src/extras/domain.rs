//! The sending domain, as the worker checks and renders it: SPF for the sending address (MAIL FROM
//! and HELO identities, with the whole `check_host()` evaluation as a tree), DMARC, each DKIM key,
//! alignment, whether the domain receives its bounces, and each provider's requirements.
//!
//! The check runs in the worker twice over the same answers: live first ([`Ask`] with the page's
//! resolver, recording every reply), then replayed from that recording beside the identity
//! check's, whose FCrDNS and EHLO results feed the requirements table. The page never links the
//! domain engine: it would add about 40 KB gzip to the first load.
//!
//! Data attributes for tests and scripts: the section's `data-domain` and `data-verdict` (`pass`,
//! `fail`, `temperror`, `unchecked` when the resolver gave no answer); cards
//! `data-check` = `spf` (with `data-identity` `mail-from` or `helo`; `data-result` the RFC 7208
//! word), `dmarc` (`data-result` pass/fail/temperror, `data-policy` the policy receivers apply or
//! `absent`), `dkim` (one per key, `data-selector`), `alignment`, `mx`; the requirement rows'
//! `data-provider`, `data-requirement`, `data-scope` and `data-result`; SPF terms' `data-outcome`.

use std::fmt::Write;

use sendercheck_core::domain::alignment::aligned_word;
use sendercheck_core::domain::check::{DomainInput, DomainReport};
use sendercheck_core::domain::requirements::{Judged, Met};
use sendercheck_core::domain::spf::{Evaluation, Trace};
use sendercheck_core::finding::{Area, Finding, Severity};
use sendercheck_core::report::Target;

use crate::render::{breakable, card_with, esc, evidence, finding, row, with_code, with_rows};
use crate::state::FindingData;

/// The sending domain a run asks about, as the page sends it to the worker.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The domain field: a domain, or a From or MAIL FROM address.
    pub text: &'a str,
    /// The reverse-path, when it differs from the field (a paste's Return-Path; `<>` for none).
    pub mail_from: Option<&'a str>,
    /// DKIM selectors, separated by commas or spaces: `selector` or `selector:domain`.
    pub dkim: &'a str,
}

impl Ask<'_> {
    /// What to check, with the run's address (SPF needs one) and EHLO line; a mistake in any
    /// field is a sentence that names it.
    pub fn input(&self, target: &Target, helo: &str) -> Result<DomainInput, String> {
        let mut d = DomainInput::parse(self.text).map_err(|e| e.to_string())?;
        if let Some(m) = self.mail_from {
            d.set_mail_from(m).map_err(|e| format!("MAIL FROM: {e}"))?;
        }
        if let Target::Ip(ip) = target {
            d.ip = Some(*ip);
        }
        if !helo.trim().is_empty() {
            d.set_helo(helo);
        }
        for s in selectors(self.dkim) {
            d.add_dkim(s).map_err(|e| format!("DKIM selector: {e}"))?;
        }
        Ok(d)
    }
}

/// The selectors in a field: separated by commas, semicolons or white space.
pub fn selectors(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', ' ', '\t', '\n'])
        .filter(|s| !s.is_empty())
}

fn findings(d: &DomainReport, area: Area, only: impl Fn(&Finding) -> bool) -> String {
    d.findings
        .iter()
        .filter(|f| f.check == area && only(f))
        .map(|f| finding(&FindingData::from(f)))
        .collect()
}

fn word(v: Option<bool>, yes: &'static str, no: &'static str) -> &'static str {
    match v {
        Some(true) => yes,
        Some(false) => no,
        None => "unknown",
    }
}

/// One `check_host()` call and its terms, nested for `include:` and `redirect=`.
fn spf_tree(out: &mut String, t: &Trace) {
    let _ = write!(
        out,
        "<li class=\"spf-call\"><p class=\"spf-head\"><code>{}</code> <span class=\"result {r}\">{r}</span></p>",
        breakable(&t.domain),
        r = t.result.as_str(),
    );
    match &t.record {
        Some(record) => {
            let _ = write!(
                out,
                "<p class=\"spf-record\"><code>{}</code></p>",
                esc(record)
            );
        }
        None => {
            let _ = write!(out, "<p class=\"spf-record\">{}</p>", esc(&t.lookup));
        }
    }
    if let Some(problem) = &t.problem {
        let _ = write!(out, "<p class=\"spf-problem\">{}</p>", with_code(problem));
    }
    if !t.terms.is_empty() {
        out.push_str("<ol class=\"spf-terms\">");
        for term in &t.terms {
            let outcome = term.outcome.as_str();
            let count = match (term.lookup, term.void) {
                (Some(n), Some(v)) => format!(" · lookup {n} of 10, void {v} of 2"),
                (Some(n), None) => format!(" · lookup {n} of 10"),
                _ => String::new(),
            };
            let _ = write!(
                out,
                "<li class=\"spf-term {outcome}\" data-outcome=\"{outcome}\"><code class=\"term\">{}</code> <span class=\"outcome\">{}</span><span class=\"why\">{}{}</span>",
                esc(&term.term),
                outcome.replace('-', " "),
                with_code(&term.why),
                count
            );
            if let Some(child) = &term.child {
                out.push_str("<ul class=\"spf-tree\">");
                spf_tree(out, child);
                out.push_str("</ul>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push_str("</li>");
}

fn spf_card(out: &mut String, d: &DomainReport, e: &Evaluation, helo: bool) {
    let (scope, identity, title) = match helo {
        false => ("d-mf", "mail-from", "SPF for MAIL FROM"),
        true => ("d-helo", "helo", "SPF for the HELO name"),
    };
    let decided = e
        .decided_by
        .as_deref()
        .map(|t| format!(", decided by `{t}`"))
        .unwrap_or_default();
    let summary = format!(
        "`{}` asked about `{}` (sender `{}`){decided}. {} of 10 DNS lookups, {} of 2 void.",
        e.domain, e.ip, e.sender, e.lookups, e.void_lookups
    );
    let mut body = String::new();
    if let Some(exp) = &e.explanation {
        let _ = write!(
            body,
            "<p class=\"spf-exp\">The domain's explanation: {}</p>",
            esc(exp)
        );
    }
    // The HELO identity's findings (`spf-helo-…`) go to its card, the rest to MAIL FROM's.
    body.push_str(&findings(d, Area::Spf, |f| {
        f.id.as_str().starts_with("spf-helo") == helo
    }));
    let _ = write!(
        body,
        "<details class=\"spf-trace\"{}><summary>The evaluation, term by term</summary><ul class=\"spf-tree\">",
        if helo { "" } else { " open" }
    );
    spf_tree(&mut body, &e.trace);
    body.push_str("</ul></details>");
    out.push_str(&card_with(
        scope,
        "spf",
        e.result.as_str(),
        &format!(" data-identity=\"{identity}\""),
        title,
        &summary,
        &body,
    ));
}

fn dmarc_card(out: &mut String, d: &DomainReport) {
    let m = &d.dmarc;
    let policy = m.applied_policy.map_or("absent", |p| p.as_str());
    let summary = match (&m.found_at, &m.record) {
        (Some(at), Some(r)) => format!(
            "`_dmarc.{at}`: `{}`. Organizational domain `{}`.",
            r.text,
            m.org_domain
                .as_ref()
                .map_or("unknown".to_string(), ToString::to_string)
        ),
        _ => match &m.temperror {
            Some(why) => format!("The lookup failed: {why}"),
            None => format!("No DMARC record applies to `{}`.", m.domain),
        },
    };
    let mut body = String::new();
    if let Some(p) = m.policy {
        let _ = write!(
            body,
            "<p class=\"policy\">Policy for {}: <strong>{}</strong>{}{}</p>",
            esc(m.domain.as_str()),
            p.as_str(),
            if m.applied_policy != m.policy {
                format!(" (applied as {policy}: the record is in testing, t=y)")
            } else {
                String::new()
            },
            m.subdomain_policy
                .map(|s| format!("; subdomains: {}", s.as_str()))
                .unwrap_or_default()
        );
    }
    body.push_str(&findings(d, Area::Dmarc, |_| true));
    out.push_str(&card_with(
        "d",
        "dmarc",
        m.result.as_str(),
        &format!(" data-policy=\"{policy}\""),
        "DMARC",
        &summary,
        &body,
    ));
}

fn dkim_cards(out: &mut String, d: &DomainReport) {
    if d.dkim.is_empty() {
        out.push_str(&card_with(
            "d-k",
            "dkim",
            "unknown",
            " data-selector=\"\"",
            "DKIM",
            "No selector to look up. Give one (the `s=` of your DKIM-Signature header), or paste a message's headers.",
            &findings(d, Area::Dkim, |_| true),
        ));
        return;
    }
    for (i, k) in d.dkim.iter().enumerate() {
        let mut summary = format!("`{}`", k.name);
        if let Some(bits) = k.key_bits {
            let _ = write!(
                summary,
                ": {} key, {bits} bits",
                k.key_type.as_ref().map_or("rsa", |t| t.as_str())
            );
        }
        if k.testing {
            summary.push_str(", testing (t=y)");
        }
        if k.revoked {
            summary.push_str(", revoked (empty p=)");
        }
        summary.push('.');
        let name = k.name.as_str();
        // A finding belongs to the key its text names; with one key, every DKIM finding.
        let mine =
            |f: &Finding| d.dkim.len() == 1 || f.title.contains(name) || f.detail.contains(name);
        let mut body = String::new();
        for p in k.problems.iter().chain(&k.warnings) {
            let _ = write!(body, "<p class=\"key-note\">{}</p>", with_code(p));
        }
        body.push_str(&findings(d, Area::Dkim, mine));
        out.push_str(&card_with(
            &format!("d-k{i}"),
            "dkim",
            k.result.as_str(),
            &format!(" data-selector=\"{}\"", esc(k.selector.as_str())),
            &format!("DKIM key {}", k.selector.as_str()),
            &summary,
            &body,
        ));
    }
}

fn alignment_card(out: &mut String, d: &DomainReport) {
    let a = &d.alignment;
    let mut summary = format!(
        "From `{}` (organizational domain `{}`): SPF {} (aspf={}), DKIM {} (adkim={}).",
        a.from,
        a.from_org
            .as_ref()
            .map_or("unknown".to_string(), ToString::to_string),
        aligned_word(a.spf),
        a.aspf.as_str(),
        aligned_word(a.dkim),
        a.adkim.as_str()
    );
    if let Some(s) = &a.spf_domain {
        let _ = write!(summary, " SPF domain `{}`.", s.domain);
    }
    let mut dkim_domains: Vec<&str> = a.dkim_domains.iter().map(|k| k.domain.as_str()).collect();
    dkim_domains.dedup();
    for domain in dkim_domains {
        let _ = write!(summary, " DKIM d=`{domain}`.");
    }
    out.push_str(&card_with(
        "d",
        "alignment",
        word(a.aligned(), "pass", "fail"),
        "",
        "Alignment with the From domain",
        &summary,
        &findings(d, Area::Alignment, |_| true),
    ));
}

fn mx_card(out: &mut String, d: &DomainReport) {
    let mx = &d.mx;
    let how = if mx.null_mx {
        "publishes the null MX (RFC 7505): it accepts no mail".to_string()
    } else if !mx.hosts.is_empty() {
        let hosts: Vec<String> = mx
            .hosts
            .iter()
            .map(|h| format!("`{}`", h.exchange))
            .collect();
        format!("MX {}", hosts.join(", "))
    } else if mx.implicit && !mx.addresses.is_empty() {
        "no MX; mail goes to its own address (RFC 5321 §5.1)".to_string()
    } else if mx.exists == Some(false) {
        "does not exist (NXDOMAIN)".to_string()
    } else {
        "has neither MX nor address".to_string()
    };
    out.push_str(&card_with(
        "d",
        "mx",
        mx.result.as_str(),
        "",
        "Bounces can come back",
        &format!("`{}` {how}.", mx.domain),
        &findings(d, Area::Mx, |_| true),
    ));
}

/// The requirements, one table per provider (open when one fails).
fn requirements(out: &mut String, rows: &[Judged]) {
    out.push_str("<section class=\"requirements\" aria-labelledby=\"req-title\"><h3 id=\"req-title\">What each provider asks</h3><p class=\"hint\">Unknown: DNS cannot tell (volume, spam rate, TLS, unsubscribe headers); check those yourself.</p>");
    let mut providers: Vec<_> = rows.iter().map(|j| j.requirement.provider).collect();
    providers.dedup();
    for p in providers {
        let mine: Vec<&Judged> = rows
            .iter()
            .filter(|j| j.requirement.provider == p)
            .collect();
        let count = |m: Met| mine.iter().filter(|j| j.result == m).count();
        let failed = count(Met::Fail);
        let _ = write!(
            out,
            "<details class=\"provider\" data-provider=\"{}\"{}><summary><strong>{}</strong> · {} failed, {} met, {} to check yourself</summary><table class=\"req-table\"><thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">For</th><th scope=\"col\">This check</th></tr></thead><tbody>",
            p.as_str(),
            if failed > 0 { " open" } else { "" },
            esc(p.name()),
            failed,
            count(Met::Pass),
            count(Met::Unknown)
        );
        for j in mine {
            let r = j.requirement;
            let result = j.result.as_str();
            let _ = write!(
                out,
                "<tr class=\"{result}\" data-provider=\"{}\" data-requirement=\"{}\" data-scope=\"{}\" data-result=\"{result}\"><td data-label=\"Requirement\">{} <a href=\"{}\" rel=\"noopener noreferrer\">source</a>",
                p.as_str(),
                esc(r.id),
                r.scope.as_str(),
                esc(r.asks),
                esc(r.url),
            );
            if j.result == Met::Fail {
                let _ = write!(
                    out,
                    "<span class=\"reply\">Reply when it fails: <code>{}</code></span>",
                    esc(r.failure_reply)
                );
            }
            let _ = write!(
                out,
                "</td><td data-label=\"For\">{}</td><td data-label=\"This check\"><span class=\"result {result}\">{result}</span></td></tr>",
                if r.scope.as_str() == "bulk" { "bulk senders" } else { "everyone" },
            );
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("</section>");
}

/// The panel while the check runs.
pub fn loading(domain: &str) -> String {
    format!(
        "<section id=\"sending-domain\" class=\"domain\" data-verdict=\"loading\" aria-labelledby=\"domain-title\"><h2 id=\"domain-title\" class=\"section-title\">Sending domain</h2>{}</section>",
        crate::render::card(
            "d",
            "domain",
            "loading",
            "SPF, DMARC and DKIM",
            &format!("Checking `{domain}`…"),
            ""
        )
    )
}

/// The scorecard rows of a domain check: each check's result, its most serious finding and
/// what to do about it.
fn rows(d: &DomainReport) -> String {
    let top = |area: Area, only: &dyn Fn(&Finding) -> bool| {
        d.findings
            .iter()
            .filter(|f| f.check == area && only(f))
            .min_by_key(|f| f.severity == Severity::Ok)
            .map_or((String::new(), String::new()), |f| {
                let fix = match f.severity {
                    Severity::Ok => String::new(),
                    _ => f.fix.clone(),
                };
                (f.title.clone(), fix)
            })
    };
    let mut out = String::new();
    let mut add =
        |check: &str, result: &str, card: String, name: String, (why, fix): (String, String)| {
            out.push_str(&row(check, result, &card, &name, &why, &fix));
        };
    let mail_from = |f: &Finding| !f.id.as_str().starts_with("spf-helo");
    match &d.spf {
        Some(e) => add(
            "spf",
            e.result.as_str(),
            "d-mf-spf".into(),
            "SPF for MAIL FROM".into(),
            top(Area::Spf, &mail_from),
        ),
        None => add(
            "spf",
            "unknown",
            "d-mf-spf".into(),
            "SPF".into(),
            (
                "SPF is evaluated for a sending address.".into(),
                String::new(),
            ),
        ),
    }
    if let Some(e) = &d.helo_spf {
        let helo = |f: &Finding| f.id.as_str().starts_with("spf-helo");
        add(
            "spf",
            e.result.as_str(),
            "d-helo-spf".into(),
            "SPF for the HELO name".into(),
            top(Area::Spf, &helo),
        );
    }
    add(
        "dmarc",
        d.dmarc.result.as_str(),
        "d-dmarc".into(),
        "DMARC".into(),
        top(Area::Dmarc, &|_| true),
    );
    for (i, k) in d.dkim.iter().enumerate() {
        let name = k.name.as_str();
        let mine =
            |f: &Finding| d.dkim.len() == 1 || f.title.contains(name) || f.detail.contains(name);
        add(
            "dkim",
            k.result.as_str(),
            format!("d-k{i}-dkim"),
            format!("DKIM key {}", k.selector.as_str()),
            top(Area::Dkim, &mine),
        );
    }
    add(
        "alignment",
        word(d.alignment.aligned(), "pass", "fail"),
        "d-alignment".into(),
        "Alignment".into(),
        top(Area::Alignment, &|_| true),
    );
    add(
        "mx",
        d.mx.result.as_str(),
        "d-mx".into(),
        "Bounces can come back".into(),
        top(Area::Mx, &|_| true),
    );
    let count = |m: Met| d.requirements.iter().filter(|j| j.result == m).count();
    let (failed, known) = (count(Met::Fail), d.requirements.len() - count(Met::Unknown));
    add(
        "requirements",
        if failed > 0 { "fail" } else { "pass" },
        "req-title".into(),
        "Providers' requirements".into(),
        (
            format!(
                "{failed} of the {known} that DNS can tell are not met; see each provider's table."
            ),
            String::new(),
        ),
    );
    out
}

/// The panel of a finished domain check, its scorecard rows first (`render::with_rows`).
pub fn panel(d: &DomainReport) -> String {
    with_rows(&rows(d), &panel_only(d))
}

fn panel_only(d: &DomainReport) -> String {
    let verdict = d.verdict().as_str();
    let mail_from = match d.input.mail_from.as_str() {
        "" => "<> (null sender: SPF checks the HELO name)",
        m => m,
    };
    let mut out = format!(
        "<section id=\"sending-domain\" class=\"domain\" data-domain=\"{name}\" data-verdict=\"{verdict}\" aria-labelledby=\"domain-title\"><h2 id=\"domain-title\" class=\"section-title\">Sending domain: {} <span class=\"result {verdict}\">{verdict}</span></h2><p class=\"domain-note\">{}</p>",
        breakable(d.input.from.as_str()),
        with_code(&format!("MAIL FROM `{mail_from}`.")),
        name = esc(d.input.from.as_str()),
    );
    match &d.spf {
        Some(e) => spf_card(&mut out, d, e, false),
        None => out.push_str(&card_with(
            "d-mf",
            "spf",
            "unknown",
            " data-identity=\"mail-from\"",
            "SPF",
            "SPF is evaluated for a sending address: check an IP address to see whether the domain authorises it.",
            &findings(d, Area::Spf, |_| true),
        )),
    }
    if let Some(e) = &d.helo_spf {
        spf_card(&mut out, d, e, true);
    }
    dmarc_card(&mut out, d);
    dkim_cards(&mut out, d);
    alignment_card(&mut out, d);
    mx_card(&mut out, d);
    requirements(&mut out, &d.requirements);
    out.push_str(&findings(d, Area::Requirements, |_| true));
    out.push_str(&evidence(&d.exchanges()));
    out.push_str("</section>");
    out
}

/// The panel when the domain could not be checked: the field named something that is not a
/// domain, or the worker could not run.
pub fn failed(why: &str) -> String {
    format!(
        "<section id=\"sending-domain\" class=\"domain\" data-verdict=\"error\" aria-labelledby=\"domain-title\"><h2 id=\"domain-title\" class=\"section-title\">Sending domain</h2><p class=\"field-error\" role=\"alert\">{}</p></section>",
        with_code(why)
    )
}
