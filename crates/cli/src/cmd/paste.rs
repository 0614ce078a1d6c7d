//! `sendercheck paste [FILE|-]`: recognise the text, check what it names, print.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::Context;
use sendercheck_core::bounce::FollowUpOptions;
use sendercheck_core::finding::most_severe_first;
use sendercheck_core::fix::where_to_fix_paste;
use sendercheck_core::paste::{self, PasteReport, MAX_PASTE};
use sendercheck_core::{Checked, Verdict};

use super::{client, timed, BadInput};
use crate::output::{self, Style};
use crate::{Common, ListOptions};

/// Reads a paste: at most [`MAX_PASTE`] bytes, so an endless stdin is not slurped.
fn read_paste(file: &Path) -> anyhow::Result<String> {
    let stdin = file.as_os_str() == "-";
    let (what, reader): (String, Box<dyn Read>) = if stdin {
        if std::io::stdin().is_terminal() {
            eprintln!("sendercheck: reading the paste from stdin; end it with Ctrl-D");
        }
        ("stdin".into(), Box::new(std::io::stdin().lock()))
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        (file.display().to_string(), Box::new(f))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_PASTE as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what}"))?;
    if bytes.len() > MAX_PASTE {
        return Err(BadInput(format!(
            "{what} holds more than {MAX_PASTE} bytes (4 MiB), the most a paste may be; message headers are a few kilobytes"
        ))
        .into());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Checks what the pasted text names; `hop` picks another Received header (1 = the topmost).
pub async fn run(
    file: &Path,
    hop: Option<usize>,
    lists: &ListOptions,
    opts: &Common,
    style: Style,
) -> anyhow::Result<Verdict> {
    let options = FollowUpOptions {
        blocklists: lists.lists()?,
    };
    let text = read_paste(file)?;
    // The message lists the recognised formats, one sample line each.
    let mut extracted =
        paste::extract(&text).map_err(|e| BadInput(e.to_string().trim_end().to_string()))?;
    if let Some(n) = hop {
        let hops = extracted.hops.len();
        if n == 0 || !extracted.choose_hop(n - 1) {
            return Err(BadInput(match hops {
                0 => format!("--hop {n}: the paste has no Received header"),
                _ => format!("--hop {n}: the paste has Received headers 1 to {hops}"),
            })
            .into());
        }
    }
    drop(text);
    let doh = client(opts)?;
    let ((report, place), ms) = timed(async {
        let report = paste::check_paste_with(&doh, extracted, &options).await;
        let place = where_to_fix_paste(&doh, &report, opts.mta).await;
        (report, place)
    })
    .await;
    let mut out = std::io::stdout().lock();
    if opts.json {
        writeln!(out, "{}", paste::paste_json_with(&report, &place, ms))?;
        return Ok(report.verdict());
    }
    let mut own = report.findings.clone();
    own.extend(place.findings.iter().cloned());
    let own = most_severe_first(own);
    let resolver = doh.endpoint().as_str();
    let mut page = crate::extracted::block(&report.extracted, style);
    page.push('\n');
    bounce_summary(&mut page, &report, style);
    match &report.checked {
        Some(Checked::Ip(r)) => {
            page.push_str(&output::report_with(
                r,
                place.places.first(),
                &own,
                ms,
                resolver,
                style,
            ));
        }
        Some(Checked::Host(h)) => {
            page.push_str(&output::host_report(
                h,
                &place.places,
                None,
                ms,
                resolver,
                style,
            ));
            output::paste_findings(&mut page, &own, style);
        }
        None => {
            let why = match &report.extracted.helo {
                Some(helo) => format!(
                    "nothing to look up in DNS: the paste names no sending address, and the EHLO argument `{helo}` is not a host name"
                ),
                None => "nothing to look up in DNS: the paste names no sending address and no EHLO name".into(),
            };
            page.push_str(&output::problem_line(&why, report.verdict(), style));
            page.push('\n');
            for f in &own {
                output::finding(&mut page, f, style);
            }
        }
    }
    if let Some(d) = &report.domain {
        page.push('\n');
        page.push_str(&output::domain(d, style));
    }
    write!(out, "{page}")?;
    Ok(report.verdict())
}

/// A bounce's verdict (whether its cause is still there) and the blocklists' answers, before the
/// address's own report.
fn bounce_summary(page: &mut String, report: &PasteReport, style: Style) {
    let Some(b) = &report.bounce else {
        return;
    };
    let cause = report
        .findings
        .iter()
        .find(|f| f.id.as_str().starts_with("bounce-") && f.id != "bounce-reply");
    if let Some(f) = cause {
        let verdict = match b.cause {
            sendercheck_core::bounce::Cause::Present => Verdict::Fail,
            sendercheck_core::bounce::Cause::Fixed => Verdict::Pass,
            _ => Verdict::TempError,
        };
        page.push_str(&output::problem_line(
            &format!("Bounce: {}", f.title),
            verdict,
            style,
        ));
        page.push('\n');
    }
    if let Some(listings) = &b.follow.blocklists {
        page.push_str("\nBlocklists:\n");
        output::blocklist_table(page, listings, style);
    }
    if let Some(e) = &b.follow.spf {
        page.push_str(&format!(
            "\n  SPF of {} for {}: {}\n",
            e.domain,
            e.ip,
            e.result.as_str()
        ));
    }
    if let Some(d) = &b.follow.dmarc {
        page.push_str(&format!("  DMARC of {}: {}\n", d.domain, d.result.as_str()));
    }
    for (check, why) in &b.follow.skipped {
        page.push_str(&format!("  {} not checked: {why}\n", check.as_str()));
    }
    page.push('\n');
}
