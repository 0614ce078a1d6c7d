//! `sendercheck ip ADDRESS` and `sendercheck ip -` (a batch from stdin).

use std::io::{BufRead, Write};

use anyhow::Context;
use futures::stream::{self, StreamExt};
use sendercheck_core::dns::Cached;
use sendercheck_core::fix::where_to_fix;
use sendercheck_core::report::report_json_with;
use sendercheck_core::{check, parse_ip, Verdict};

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
    if let Some(domain) = &opts.domain {
        let args = super::domain::Args {
            domain,
            ip: Some(address),
            helo: opts.helo.as_deref(),
            extra: &opts.domain_opts,
        };
        return super::domain::run(&args, &opts.common, style).await;
    }
    let doh = client(&opts.common)?;
    let mta = opts.common.mta.map(Into::into);
    let ((report, place), ms) = timed(async {
        let report = check(&doh, ip, opts.helo.as_deref()).await;
        let place = where_to_fix(&doh, &report, mta).await;
        (report, place)
    })
    .await;
    let mut out = std::io::stdout().lock();
    if opts.common.json {
        writeln!(out, "{}", report_json_with(&report, &place, ms))?;
    } else {
        write!(
            out,
            "{}",
            output::report(&report, Some(&place), ms, doh.endpoint().as_str(), style)
        )?;
    }
    Ok(report.verdict())
}

/// Reads addresses from stdin and checks them with bounded concurrency, printing in input order.
/// The whole batch is one run: a question shared by many addresses (the EHLO name's) is asked once.
async fn batch(opts: &Options, style: Style) -> anyhow::Result<Verdict> {
    if opts.domain.is_some() {
        return Err(BadInput("--domain checks one address, not a list from stdin".into()).into());
    }
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
    let helo = opts.helo.as_deref();
    let mta = opts.common.mta.map(Into::into);
    let json = opts.common.json;
    let doh = &doh;
    // Where to fix it goes only into the JSON: the readable batch prints one line per address.
    let mut results = stream::iter(addresses)
        .map(|ip| {
            timed(async move {
                let report = check(doh, ip, helo).await;
                let place = if json {
                    Some(where_to_fix(doh, &report, mta).await)
                } else {
                    None
                };
                (report, place)
            })
        })
        .buffered(concurrency);
    let mut verdict = Verdict::Pass;
    let mut out = std::io::stdout().lock();
    while let Some(((report, place), ms)) = results.next().await {
        verdict = verdict.max(report.verdict());
        if let Some(place) = &place {
            writeln!(out, "{}", report_json_with(&report, place, ms))?;
        } else {
            writeln!(out, "{}", output::verdict_line(&report, style))?;
        }
        out.flush()?;
    }
    if bad_lines > 0 {
        return Err(BadInput(format!(
            "{bad_lines} line(s) of input were not addresses (see above)"
        ))
        .into());
    }
    Ok(verdict)
}
