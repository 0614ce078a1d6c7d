//! `sendercheck ip ADDRESS` and `sendercheck ip -` (a batch from stdin).

use std::collections::VecDeque;
use std::io::Write;

use anyhow::Context;
use futures::future::{join, OptionFuture};
use futures::stream::{FuturesUnordered, StreamExt};
use sendercheck_core::blocklist::{self, check_blocklists, Blocklist, Listing};
use sendercheck_core::dns::Cached;
use sendercheck_core::domain::check::check_domain;
use sendercheck_core::fix::{where_to_fix, MtaChoice, WhereToFix};
use sendercheck_core::report::{domain_json_with, report_json_with};
use sendercheck_core::{check, parse_ip, Report, Resolver, Verdict};
use tokio::io::AsyncBufReadExt;

use super::{client, timed, BadInput};
use crate::batch::{Aimd, Pacer, Throttle};
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
        return with_domain(ip, domain, opts, style).await;
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
            report_json_with(report, Some(place), listings.as_deref(), ms)
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

/// `ip IP --domain DOMAIN`: the identity check with where to fix it (and the blocklists when
/// asked), beside the sending domain's checks, which the identity's result feeds; the worse
/// verdict of the two.
async fn with_domain(
    ip: std::net::IpAddr,
    domain: &str,
    opts: &Options,
    style: Style,
) -> anyhow::Result<Verdict> {
    let input = super::domain::input(domain, Some(ip), opts.helo.as_deref(), &opts.domain_opts)?;
    let lists = blocklists(opts)?;
    let doh = client(&opts.common)?;
    let mta = opts.common.mta.map(Into::into);
    let identity = checks(&doh, ip, opts, lists.as_deref(), mta, true);
    let ((checked, mut domain), ms) = timed(join(identity, check_domain(&doh, &input))).await;
    domain.judge_report(&checked.report);
    let mut out = std::io::stdout().lock();
    if opts.common.json {
        let json = domain_json_with(
            &domain,
            Some(&checked.report),
            checked.place.as_ref(),
            checked.listings.as_deref(),
            ms,
        );
        writeln!(out, "{json}")?;
    } else {
        let resolver = doh.endpoint().as_str();
        let (report, place) = (&checked.report, checked.place.as_ref());
        let text = match &checked.listings {
            Some(l) => output::report_with_blocklists(report, place, l, ms, resolver, style),
            None => output::report(report, place, ms, resolver, style),
        };
        write!(out, "{text}\n{}", output::domain(&domain, style))?;
    }
    Ok(checked.verdict().max(domain.verdict()))
}

/// The lists to ask, when `--blocklists` (or a list option) was given.
pub(super) fn blocklists(opts: &Options) -> Result<Option<Vec<Blocklist>>, BadInput> {
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

/// Addresses read ahead of the oldest one not yet printed, at most: the results wait in input
/// order within this window, so memory stays flat however long stdin is.
const WINDOW: usize = 1024;
/// Questions per second asked of a resolver on the network when `--rate` is not given: well
/// within Google Public DNS's default limit of 1,500 per client address (README, "Retries and
/// batches").
pub const DEFAULT_RATE: f64 = 100.0;

/// `--rate`, or the default for the resolver: [`DEFAULT_RATE`], or no cap for one on loopback.
fn rate(opts: &Options, endpoint: &reqwest::Url) -> anyhow::Result<Option<f64>> {
    match opts.rate {
        Some(r) if !(r >= 0.0 && r.is_finite()) => Err(BadInput(format!(
            "--rate must be a number of questions per second (0: no cap), not {r}"
        ))
        .into()),
        Some(r) => Ok((r > 0.0).then_some(r)),
        None => {
            let host = endpoint.host_str().unwrap_or("").trim_matches(['[', ']']);
            let loopback = host == "localhost"
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            Ok((!loopback).then_some(DEFAULT_RATE))
        }
    }
}

/// Reads addresses from stdin as they come and checks them, at most `--concurrency` at once (less
/// while the resolver pushes back, see [`crate::batch`]) and `--rate` questions per second,
/// printing the results in input order. The whole batch is one run with one connection pool and
/// one bounded cache: a question shared by many addresses (the EHLO name's) is asked once.
async fn batch(opts: &Options, style: Style) -> anyhow::Result<Verdict> {
    if opts.domain.is_some() {
        return Err(BadInput("--domain checks one address, not a list from stdin".into()).into());
    }
    let lists = blocklists(opts)?;
    let lists = lists.as_deref();
    let mta = opts.common.mta.map(Into::into);
    let started = std::time::Instant::now();
    let doh = client(&opts.common)?;
    let max = opts.concurrency.clamp(1, 64);
    let pacer = Pacer::new(rate(opts, doh.endpoint())?);
    let control = Aimd::new(max);
    let resolver = Cached::with_capacity(
        Throttle {
            inner: doh,
            pacer: &pacer,
            control: &control,
        },
        4096,
    );
    let json = opts.common.json;
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let (mut line_no, mut eof, mut bad_lines) = (0usize, false, 0usize);
    let mut in_flight = FuturesUnordered::new();
    // Results of addresses `printed..`, in input order; `None` while still being checked.
    let mut waiting: VecDeque<Option<(String, Verdict)>> = VecDeque::new();
    let mut printed = 0usize;
    let mut verdict = Verdict::Pass;
    let mut out = std::io::stdout().lock();
    loop {
        let room = !eof && in_flight.len() < control.limit() && waiting.len() < WINDOW;
        tokio::select! {
            biased;
            Some((i, line, v)) = in_flight.next(), if !in_flight.is_empty() => {
                waiting[i - printed] = Some((line, v));
                while let Some(Some((line, v))) = waiting.front() {
                    verdict = verdict.max(*v);
                    writeln!(out, "{line}")?;
                    waiting.pop_front();
                    printed += 1;
                }
                out.flush()?;
            }
            read = lines.next_line(), if room => {
                let Some(line) = read.context("cannot read stdin")? else {
                    eof = true;
                    continue;
                };
                line_no += 1;
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
                let ip = match parsed {
                    Ok(ip) => ip,
                    Err(msg) => {
                        bad_lines += 1;
                        eprintln!("sendercheck: line {line_no}: {msg}");
                        continue;
                    }
                };
                let i = printed + waiting.len();
                waiting.push_back(None);
                let resolver = &resolver;
                // Where to fix it goes only into the JSON: the readable batch prints one line per
                // address.
                in_flight.push(async move {
                    let (c, ms) = timed(checks(resolver, ip, opts, lists, mta, json)).await;
                    let line = match (&c.place, &c.listings) {
                        (Some(place), l) => {
                            report_json_with(&c.report, Some(place), l.as_deref(), ms).to_string()
                        }
                        (None, Some(l)) => {
                            output::verdict_line_with_blocklists(&c.report, l, style)
                        }
                        (None, None) => output::verdict_line(&c.report, style),
                    };
                    (i, line, c.verdict())
                });
            }
            else => break,
        }
    }
    if opts.stats {
        eprintln!("{}", summary(&control, printed, max, started.elapsed()));
    }
    if bad_lines > 0 {
        return Err(BadInput(format!(
            "{bad_lines} line(s) of input were not addresses (see above)"
        ))
        .into());
    }
    Ok(verdict)
}

/// The `--stats` line: `sendercheck: 10000 addresses in 12.3 s (813/s), 20001 questions, 37
/// retries (5 met 429), concurrency up to 64, lowest 16 after 3 halvings, 40 at the end`.
fn summary(control: &Aimd, addresses: usize, max: usize, took: std::time::Duration) -> String {
    let s = &control.stats;
    let secs = took.as_secs_f64();
    let mut text = format!(
        "sendercheck: {addresses} addresses in {secs:.1} s ({:.0}/s), {} questions, {} retries ({} met 429), concurrency up to {max}",
        addresses as f64 / secs.max(1e-3),
        s.questions.get(),
        s.retries.get(),
        s.throttled.get(),
    );
    match s.decreases.get() {
        0 => text.push_str(", never lowered"),
        n => text.push_str(&format!(
            ", lowest {} after {n} halving{}",
            s.lowest.get(),
            if n == 1 { "" } else { "s" }
        )),
    }
    text.push_str(&format!(", {} at the end", control.limit()));
    text
}
