//! `sendercheck ip ADDRESS` and `sendercheck ip -` (a batch from stdin).

use std::io::{BufRead, Write};

use anyhow::Context;
use futures::future::{join, OptionFuture};
use futures::stream::{self, StreamExt};
use sendercheck_core::blocklist::{self, check_blocklists, Blocklist};
use sendercheck_core::dns::Cached;
use sendercheck_core::report::{report_json, report_json_with_blocklists};
use sendercheck_core::{check, parse_ip, Report, Verdict};

use super::{client, timed, BadInput};
use crate::output::{self, Style};
use crate::Options;

/// Longest line read from stdin; anything longer is not an address.
const MAX_LINE: usize = 1024;

/// Checks one address, or with `-` every address on stdin.
pub async fn run(address: &str, opts: &Options, style: Style) -> anyhow::Result<Verdict> {
    if address == "-" {
        return batch(opts, style).await;
    }
    let ip = parse_ip(address).map_err(|e| BadInput(e.to_string()))?;
    let lists = blocklists(opts)?;
    let doh = client(&opts.common)?;
    let ((report, listings), ms) = timed(checks(&doh, ip, opts, lists.as_deref())).await;
    let mut out = std::io::stdout().lock();
    let resolver = doh.endpoint().as_str();
    match (&listings, opts.common.json) {
        (Some(l), true) => writeln!(out, "{}", report_json_with_blocklists(&report, l, ms))?,
        (None, true) => writeln!(out, "{}", report_json(&report, ms))?,
        (Some(l), false) => write!(
            out,
            "{}",
            output::report_with_blocklists(&report, l, ms, resolver, style)
        )?,
        (None, false) => write!(out, "{}", output::report(&report, ms, resolver, style))?,
    }
    Ok(verdict(&report, listings.as_deref()))
}

/// The lists to ask, when `--blocklists` (or a list option) was given.
fn blocklists(opts: &Options) -> Result<Option<Vec<Blocklist>>, BadInput> {
    if opts.blocklists || opts.lists.given() {
        Ok(Some(opts.lists.lists()?))
    } else {
        Ok(None)
    }
}

/// The identity check and, when asked, the blocklists, at once.
async fn checks<R: sendercheck_core::Resolver>(
    resolver: &R,
    ip: std::net::IpAddr,
    opts: &Options,
    lists: Option<&[Blocklist]>,
) -> (Report, Option<Vec<blocklist::Listing>>) {
    join(
        check(resolver, ip, opts.helo.as_deref()),
        OptionFuture::from(lists.map(|l| check_blocklists(resolver, ip, l))),
    )
    .await
}

/// The identity verdict, made worse by the blocklists.
fn verdict(report: &Report, listings: Option<&[blocklist::Listing]>) -> Verdict {
    Verdict::worst([
        report.verdict(),
        listings.map_or(Verdict::Pass, blocklist::verdict),
    ])
}

/// Reads addresses from stdin and checks them with bounded concurrency, printing in input order.
/// The whole batch is one run: a question shared by many addresses (the EHLO name's) is asked once.
async fn batch(opts: &Options, style: Style) -> anyhow::Result<Verdict> {
    let doh = Cached::with_capacity(client(&opts.common)?, 4096);
    let mut addresses = Vec::new();
    let mut bad_lines = 0usize;
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("cannot read stdin")?;
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let parsed = if text.len() > MAX_LINE {
            Err(format!(
                "the line is {} characters long; expected one address",
                text.len()
            ))
        } else {
            parse_ip(text).map_err(|e| e.to_string())
        };
        match parsed {
            Ok(ip) => addresses.push(ip),
            Err(msg) => {
                bad_lines += 1;
                eprintln!("sendercheck: line {}: {msg}", n + 1);
            }
        }
    }
    let concurrency = opts.concurrency.clamp(1, 64);
    let lists = blocklists(opts)?;
    let lists = lists.as_deref();
    let doh = &doh;
    let mut results = stream::iter(addresses)
        .map(|ip| timed(checks(doh, ip, opts, lists)))
        .buffered(concurrency);
    let mut worst = Verdict::Pass;
    let mut out = std::io::stdout().lock();
    while let Some(((report, listings), ms)) = results.next().await {
        worst = worst.max(verdict(&report, listings.as_deref()));
        match (&listings, opts.common.json) {
            (Some(l), true) => writeln!(out, "{}", report_json_with_blocklists(&report, l, ms))?,
            (None, true) => writeln!(out, "{}", report_json(&report, ms))?,
            (Some(l), false) => writeln!(
                out,
                "{}",
                output::verdict_line_with_blocklists(&report, l, style)
            )?,
            (None, false) => writeln!(out, "{}", output::verdict_line(&report, style))?,
        }
        out.flush()?;
    }
    if bad_lines > 0 {
        return Err(BadInput(format!(
            "{bad_lines} line(s) of input were not addresses (see above)"
        ))
        .into());
    }
    Ok(worst)
}
