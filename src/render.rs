//! The results as HTML text: the check cards, findings and DNS evidence that the page injects as
//! they are, and that the extras worker writes for everything it adds (the paste panel, and the
//! checks that follow). One renderer for both keeps them alike, and markup built as text costs the
//! page's first load far less than the same markup as Yew components (measured: the identity
//! results as components took 11 KB gzip of wasm, as text about 5). Buttons carry `data-action`
//! and the page handles them by delegation (`components::raw`).
//!
//! Every piece of text goes through [`esc`]: pasted headers are untrusted input.

use std::fmt::Write;

use sendercheck_core::dns::{Exchange, Question};
use sendercheck_core::finding::{Area, Finding, Severity};
use sendercheck_core::identity::iprev::IprevResult;
use sendercheck_core::{Checked, Report};

use crate::state::{FindingData, QueryRow};

/// `text` with `& < > " '` escaped, safe in element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Engine text with every `` `quoted` `` part as `<code>`, escaped.
pub fn with_code(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// A DNS name or address that may wrap only after its dots and colons (never mid-label).
pub fn breakable(name: &str) -> String {
    let mut out = String::new();
    for (i, part) in name.split_inclusive(['.', ':']).enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        out.push_str(&esc(part));
    }
    out
}

/// One finding: what was seen, why it matters, how to fix it (with a copy button that the page
/// handles: `data-action="copy"`), and the rules it cites.
pub fn finding(f: &FindingData) -> String {
    let sev = esc(&f.severity);
    let mut out = format!(
        "<div class=\"finding {sev}\" data-finding=\"{}\"><p class=\"finding-title\"><span class=\"badge {sev}\">{sev}</span>{}</p><p class=\"finding-detail\">{}</p>",
        esc(&f.id),
        with_code(&f.title),
        with_code(&f.detail)
    );
    if !f.fix.is_empty() {
        let _ = write!(
            out,
            "<div class=\"fix\"><div class=\"fix-head\"><span>How to fix</span><button type=\"button\" class=\"copy\" data-action=\"copy\" aria-label=\"Copy the fix for: {}\">Copy</button></div><pre><code>{}</code></pre></div>",
            esc(&f.title),
            esc(&f.fix)
        );
    }
    if !f.refs.is_empty() {
        out.push_str("<p class=\"refs\">See ");
        for (i, (title, url)) in f.refs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                esc(url),
                esc(title)
            );
        }
        out.push_str("</p>");
    }
    out.push_str("</div>");
    out
}

/// A check card (`data-check`, `data-result`), its heading id unique within `scope`.
pub fn card(
    scope: &str,
    check: &str,
    result: &str,
    title: &str,
    summary: &str,
    body: &str,
) -> String {
    card_with(scope, check, result, "", title, summary, body)
}

/// [`card`] with more attributes on the card (`attrs`: escaped, each with a leading space).
pub fn card_with(
    scope: &str,
    check: &str,
    result: &str,
    attrs: &str,
    title: &str,
    summary: &str,
    body: &str,
) -> String {
    let id = format!("{}-{}", esc(scope), esc(check));
    let mut out = format!(
        "<article class=\"card {r}\" data-check=\"{c}\" data-result=\"{r}\"{attrs} aria-labelledby=\"{id}\"><header class=\"card-head\"><h3 id=\"{id}\">{t}</h3><span class=\"result {r}\">{r}</span></header>",
        c = esc(check),
        r = esc(result),
        t = esc(title),
    );
    if !summary.is_empty() {
        let _ = write!(out, "<p class=\"card-summary\">{}</p>", with_code(summary));
    }
    // A passing card keeps its details folded: the scorecard above says it all.
    if result == "pass" && !body.is_empty() {
        let _ = write!(
            out,
            "<details class=\"card-more\"><summary>Details</summary>{body}</details>"
        );
    } else {
        out.push_str(body);
    }
    out.push_str("</article>");
    out
}

/// Where a worker's markup carries its scorecard rows: `<!--rows-->…<!--/rows-->` first.
const ROWS_END: &str = "<!--/rows-->";

/// One row of the scorecard (`data-check`, `data-result`): the check's name linking to its card
/// (the card's heading id), the result, the reason and, when something is wrong, what to do.
pub fn row(check: &str, result: &str, card: &str, name: &str, why: &str, fix: &str) -> String {
    let mut out = format!(
        "<li class=\"row {r}\" data-check=\"{c}\" data-result=\"{r}\"><a href=\"#{id}\">{n}</a> <span class=\"result {r}\">{r}</span> <span class=\"why\">{w}</span>",
        r = esc(result),
        c = esc(check),
        id = esc(card),
        n = esc(name),
        w = with_code(why),
    );
    // The fix's first line; when it announces what follows (`…:`), the line after it too (the
    // record to publish, the setting to change).
    let mut lines = fix.lines().filter(|l| !l.trim().is_empty());
    if let Some(first) = lines.next() {
        let _ = write!(out, "<span class=\"to-do\">{}", with_code(first));
        if let Some(next) = lines.next().filter(|_| first.trim_end().ends_with(':')) {
            let _ = write!(out, " <code>{}</code>", esc(next.trim()));
        }
        out.push_str("</span>");
    }
    out.push_str("</li>");
    out
}

/// A worker's markup with its scorecard rows put first, between markers ([`take_rows`]).
pub fn with_rows(rows: &str, html: &str) -> String {
    format!("<!--rows-->{rows}{ROWS_END}{html}")
}

/// The scorecard rows of a worker's markup, and the markup without them.
pub fn take_rows(html: &str) -> (&str, &str) {
    match html
        .strip_prefix("<!--rows-->")
        .and_then(|h| h.split_once(ROWS_END))
    {
        Some((rows, rest)) => (rows, rest),
        None => ("", html),
    }
}

/// The scorecard rows of one address's identity checks (see [`address`] for the cards).
pub fn address_rows(r: &Report, n: usize) -> String {
    let top = |areas: &[Area]| {
        r.findings
            .iter()
            .find(|f| areas.contains(&f.check) && f.severity != Severity::Ok)
    };
    let line = |areas: &[Area], fallback: String| match top(areas) {
        Some(f) => (f.title.clone(), f.fix.clone()),
        None => (fallback, String::new()),
    };
    let mut out = String::new();
    let (why, fix) = line(
        &[Area::Address, Area::Iprev],
        format!("{} has a PTR whose name resolves back to it.", r.ip),
    );
    out.push_str(&row(
        "iprev",
        r.iprev.result.as_str(),
        &format!("a{n}-iprev"),
        &format!("Reverse DNS of {}", r.ip),
        &why,
        &fix,
    ));
    if let Some(h) = &r.helo {
        let (why, fix) = line(&[Area::Helo], format!("`{}` matches.", h.helo.name));
        out.push_str(&row(
            "helo",
            h.result.as_str(),
            &format!("a{n}-helo"),
            "EHLO name",
            &why,
            &fix,
        ));
    }
    if r.iprev.generic() {
        let (why, fix) = line(&[Area::Generic], String::new());
        out.push_str(&row(
            "generic",
            "fail",
            &format!("a{n}-generic"),
            "Generic reverse DNS",
            &why,
            &fix,
        ));
    }
    out
}

fn findings(report: &Report, areas: &[Area]) -> String {
    report
        .findings
        .iter()
        .filter(|f| areas.contains(&f.check))
        .map(|f: &Finding| finding(&FindingData::from(f)))
        .collect()
}

/// The raw DNS answers behind a report, collapsible: per question the rcode, the AD flag and the
/// records with their TTL.
pub fn evidence(exchanges: &[&Exchange]) -> String {
    let mut out = format!(
        "<details class=\"evidence\"><summary>DNS evidence ({} questions)</summary>",
        exchanges.len()
    );
    for e in exchanges {
        let _ = write!(
            out,
            "<div class=\"exchange\"><p class=\"exchange-q\"><code>{} {}</code>",
            esc(e.question.name.as_str()),
            e.question.rtype
        );
        match &e.result {
            Ok(a) => {
                let _ = write!(
                    out,
                    "<span class=\"rcode\">{}</span><span class=\"ad\" title=\"AD flag: the resolver validated the answer with DNSSEC\">{}</span></p>",
                    a.rcode,
                    if a.authenticated { "AD (DNSSEC validated)" } else { "no AD flag" }
                );
                if !a.records.is_empty() {
                    out.push_str("<table class=\"records\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">TTL</th><th scope=\"col\">Type</th><th scope=\"col\">Data</th></tr></thead><tbody>");
                    for r in &a.records {
                        let _ = write!(
                            out,
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                            esc(&r.name),
                            r.ttl,
                            r.rtype,
                            esc(&r.data.to_string())
                        );
                    }
                    out.push_str("</tbody></table>");
                }
            }
            Err(err) => {
                let _ = write!(
                    out,
                    "<span class=\"rcode failed\">no answer: {}</span></p>",
                    esc(&err.to_string())
                );
            }
        }
        out.push_str("</div>");
    }
    out.push_str("</details>");
    out
}

/// The cards of one address (FCrDNS, EHLO, generic rDNS) and its evidence; `n` makes the cards'
/// heading ids unique on the page.
pub fn address(r: &Report, n: usize) -> String {
    let ptr = r.iprev.ptr();
    let iprev_summary = if ptr.is_empty() {
        match r.iprev.result {
            IprevResult::TempError => "The PTR lookup failed.".to_string(),
            _ => "No PTR record.".to_string(),
        }
    } else {
        let parts: Vec<String> = r
            .iprev
            .names
            .iter()
            .map(|n| {
                let addrs: Vec<String> = n.addresses().iter().map(ToString::to_string).collect();
                let failed = n.forward.as_ref().is_some_and(|f| f.outcome.is_temporary());
                let forward = match (addrs.is_empty(), failed) {
                    (_, true) => "lookup failed".to_string(),
                    (true, false) => "no address".to_string(),
                    (false, false) => addrs.join(", "),
                };
                format!(
                    "{} → {} {}",
                    n.name,
                    forward,
                    if n.confirmed { "✓" } else { "✗" }
                )
            })
            .collect();
        format!("PTR {}", parts.join("; "))
    };
    let scope = format!("a{n}");
    let mut out = format!(
        "<section class=\"address\" data-ip=\"{ip}\" aria-label=\"Results for {ip}\"><h2 class=\"section-title\">{ip}</h2>",
        ip = r.ip
    );
    out.push_str(&card(
        &scope,
        "iprev",
        r.iprev.result.as_str(),
        "Forward-confirmed reverse DNS",
        &iprev_summary,
        &findings(r, &[Area::Address, Area::Iprev]),
    ));
    if let Some(h) = &r.helo {
        out.push_str(&card(
            &scope,
            "helo",
            h.result.as_str(),
            "EHLO name",
            &format!("The server says `{}`.", h.helo.name),
            &findings(r, &[Area::Helo]),
        ));
    }
    if r.iprev.relevant_names().iter().any(|n| n.problem.is_none()) {
        out.push_str(&card(
            &scope,
            "generic",
            if r.iprev.generic() { "fail" } else { "pass" },
            "Generic reverse DNS",
            "",
            &findings(r, &[Area::Generic]),
        ));
    }
    out.push_str(&evidence(&r.exchanges()));
    out.push_str("</section>");
    out
}

/// The DNS questions of a run as they go out and come back, each once, with its state and time
/// taken; once the run is over, which checks used it (`used_by`).
pub fn progress(rows: &[QueryRow], used_by: impl Fn(&Question) -> String) -> String {
    let mut out = String::from("<section class=\"progress\" aria-label=\"DNS questions\"><h2 class=\"section-title\">DNS questions</h2><ol id=\"queries\" class=\"queries\">");
    for q in rows {
        let (word, text) = match &q.result {
            None => ("asking", "asking…".to_string()),
            Some(Ok(rcode)) => ("answered", rcode.to_string()),
            Some(Err(e)) => ("failed", e.clone()),
        };
        let used = used_by(&q.question);
        let _ = write!(
            out,
            "<li class=\"query {word}\" data-state=\"{word}\" data-used-by=\"{u}\"><span class=\"q-type\">{}</span><code class=\"q-name\">{}</code><span class=\"q-state\">{}</span><span class=\"q-ms\">{}</span>",
            q.question.rtype,
            esc(q.question.name.as_str()),
            esc(&text),
            q.ms.map(|ms| format!("{ms} ms")).unwrap_or_default(),
            u = esc(&used),
        );
        if !q.retried.is_empty() {
            let _ = write!(
                out,
                "<span class=\"q-retried\" data-retried=\"{n}\">answered after {n} failed {tries}: {}</span>",
                esc(&q.retried.join(", ")),
                n = q.retried.len(),
                tries = if q.retried.len() == 1 { "try" } else { "tries" },
            );
        }
        if !used.is_empty() {
            let _ = write!(out, "<span class=\"q-used\">used by {}</span>", esc(&used));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></section>");
    out
}

/// Share and export: copy the permalink, download JSON (the CLI's schema) or Markdown; ask the
/// DNS blocklists about the run's addresses.
pub const ACTIONS: &str = "<section class=\"actions\" aria-label=\"Share and export\"><button id=\"copy-link\" type=\"button\" data-action=\"link\">Copy link</button><button id=\"export-json\" type=\"button\" data-action=\"export\" data-value=\"json\">Export JSON</button><button id=\"export-markdown\" type=\"button\" data-action=\"export\" data-value=\"markdown\">Export Markdown</button><button id=\"check-blocklists\" type=\"button\" data-action=\"blocklists\">Check blocklists</button></section>";

/// The results of a finished run: one address's cards, or every address of a host name.
pub fn checked(c: &Checked) -> String {
    match c {
        Checked::Ip(r) => address(r, 0),
        Checked::Host(h) => {
            let mut out = format!(
                "<div class=\"host\" data-host=\"{}\">",
                esc(h.host.as_str())
            );
            if h.reports.len() > 1 {
                let _ = write!(
                    out,
                    "<p class=\"host-note\">{} has {} addresses; each is checked as a sending IP.</p>",
                    esc(h.host.as_str()),
                    h.reports.len()
                );
            }
            for (i, r) in h.reports.iter().enumerate() {
                out.push_str(&address(r, i));
            }
            out.push_str("</div>");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(with_code("PTR `<x>` set"), "PTR <code>&lt;x&gt;</code> set");
        assert_eq!(breakable("a.b:c"), "a.<wbr>b:<wbr>c");
        let f = FindingData {
            id: "x\"y".into(),
            severity: "error".into(),
            title: "<b>".into(),
            detail: "d".into(),
            fix: "</pre><script>".into(),
            refs: vec![("t".into(), "javascript:\"".into())],
            ..FindingData::default()
        };
        let html = finding(&f);
        assert!(
            !html.contains("<b>") && !html.contains("<script>"),
            "{html}"
        );
        assert!(html.contains("data-finding=\"x&quot;y\""), "{html}");
        assert!(html.contains("data-action=\"copy\""));
    }

    #[test]
    fn a_retried_question_says_so_and_rows_carry_their_fix() {
        use sendercheck_core::dns::{DomainName, Question, Rcode, RecordType};
        let row_of = |retried: Vec<String>| QueryRow {
            id: 0,
            question: Question::new(
                DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
                RecordType::Ptr,
            ),
            ms: Some(120),
            result: Some(Ok(Rcode::NoError)),
            retried,
        };
        let html = progress(&[row_of(vec!["HTTP 502".into()])], |_| String::new());
        assert!(
            html.contains("<span class=\"q-retried\" data-retried=\"1\">answered after 1 failed try: HTTP 502</span>"),
            "{html}"
        );
        assert!(!progress(&[row_of(Vec::new())], |_| String::new()).contains("q-retried"));
        let r = row(
            "iprev",
            "fail",
            "a0-iprev",
            "Reverse DNS",
            "No PTR",
            "Publish:\n10.2.0.192.in-addr.arpa. IN PTR mail.example.com.\n",
        );
        assert!(
            r.contains(
                "data-check=\"iprev\" data-result=\"fail\"><a href=\"#a0-iprev\">Reverse DNS</a>"
            ),
            "{r}"
        );
        assert!(
            r.contains("<span class=\"to-do\">Publish: <code>10.2.0.192.in-addr.arpa. IN PTR mail.example.com.</code></span>"),
            "{r}"
        );
        let both = with_rows("<li>x</li>", "<section></section>");
        assert_eq!(take_rows(&both), ("<li>x</li>", "<section></section>"));
        assert_eq!(
            take_rows("<section></section>"),
            ("", "<section></section>")
        );
    }
}
