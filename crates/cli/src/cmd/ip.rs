//! `sendercheck ip ADDRESS` and `sendercheck ip -` (a batch from stdin).

use std::io::{BufRead, Write};

use anyhow::Context;
use futures::future::{join, OptionFuture};
use futures::stream::{self, StreamExt};
use sendercheck_core::blocklist::{self, check_blocklists, Blocklist, Listing};
use sendercheck_core::dns::Cached;
use sendercheck_core::fix::{where_to_fix, MtaChoice, WhereToFix};
use sendercheck_core::report::report_json_with;
use sendercheck_core::{check, parse_ip, Report, Resolver, Verdict};

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
    let lists = blocklists(opts)?;
    let doh = client(&opts.common)?;
    let mta = opts.common.mta.map(Into::into);
    let (checked, ms) = timed(checks(&doh, ip, opts, lists.as_deref(), mta, true)).await;
    let mut out = std::io::stdout().lock();
    let resolver = doh.endpoint().as_str();
    let Checked {
        report,
        place,
        listings,
    } = &checked;
    if opts.common.json {
        let place = place.as_ref().expect("asked for");
        writeln!(
            out,
            "{}",
            report_json_with(report, place, listings.as_deref(), ms)
        )?;
    } else {
        let text = match listings {
            Some(l) => {
                output::report_with_blocklists(report, place.as_ref(), l, ms, resolver, style)
            }
            None => output::report(report, place.as_ref(), ms, resolver, style),
        };
        write!(out, "{text}")?;
    }
    Ok(checked.verdict())
}

/// The lists to ask, when `--blocklists` (or a list option) was given.
fn blocklists(opts: &Options) -> Result<Option<Vec<Blocklist>>, BadInput> {
    if opts.blocklists || opts.lists.given() {
        Ok(Some(opts.lists.lists()?))
    } else {
        Ok(None)
    }
}

/// One address's results: its identity check, where to fix it, and the blocklists' answers.
struct Checked {
    report: Report,
    place: Option<WhereToFix>,
    listings: Option<Vec<Listing>>,
}

impl Checked {
    /// The identity verdict, made worse by the blocklists.
    fn verdict(&self) -> Verdict {
        Verdict::worst([
            self.report.verdict(),
            self.listings
                .as_deref()
                .map_or(Verdict::Pass, blocklist::verdict),
        ])
    }
}

/// The identity check and, when asked, the blocklists, at once; then where to fix it (one more
/// round, only when `place` is asked for).
async fn checks<R: Resolver>(
    resolver: &R,
    ip: std::net::IpAddr,
    opts: &Options,
    lists: Option<&[Blocklist]>,
    mta: Option<MtaChoice>,
    place: bool,
) -> Checked {
    let (report, listings) = join(
        check(resolver, ip, opts.helo.as_deref()),
        OptionFuture::from(lists.map(|l| check_blocklists(resolver, ip, l))),
    )
    .await;
    let place = match place {
        true => Some(where_to_fix(resolver, &report, mta).await),
        false => None,
    };
    Checked {
        report,
        place,
        listings,
    }
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
    let lists = blocklists(opts)?;
    let lists = lists.as_deref();
    let mta = opts.common.mta.map(Into::into);
    let json = opts.common.json;
    let doh = &doh;
    // Where to fix it goes only into the JSON: the readable batch prints one line per address.
    let mut results = stream::iter(addresses)
        .map(|ip| timed(checks(doh, ip, opts, lists, mta, json)))
        .buffered(concurrency);
    let mut worst = Verdict::Pass;
    let mut out = std::io::stdout().lock();
    while let Some((c, ms)) = results.next().await {
        worst = worst.max(c.verdict());
        match (&c.place, &c.listings) {
            (Some(place), l) => writeln!(
                out,
                "{}",
                report_json_with(&c.report, place, l.as_deref(), ms)
            )?,
            (None, Some(l)) => writeln!(
                out,
                "{}",
                output::verdict_line_with_blocklists(&c.report, l, style)
            )?,
            (None, None) => writeln!(out, "{}", output::verdict_line(&c.report, style))?,
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
