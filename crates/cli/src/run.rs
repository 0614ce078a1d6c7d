//! The commands: build the DoH client, run the engine, print, and pick the exit status.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::net::IpAddr;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use futures::stream::{self, StreamExt};
use sendercheck_core::paste::{self, Checked, MAX_PASTE};
use sendercheck_core::{
    check, check_host, host_json, parse_ip, report_json, DomainName, Report, Verdict,
};
use sendercheck_doh::DohClient;

use crate::output::{self, Style};
use crate::{Common, Exit, Options};

/// Longest line read from stdin; anything longer is not an address.
const MAX_LINE: usize = 1024;

/// Exit status for a verdict: 0 pass, 1 fail/permerror, 3 temperror only.
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::TempError => 3,
    }
}

fn client(opts: &Common) -> anyhow::Result<DohClient> {
    let mut http =
        reqwest::Client::builder().user_agent(concat!("sendercheck/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = &opts.ca_cert {
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read --ca-cert {}", path.display()))?;
        let cert = reqwest::Certificate::from_pem(&pem)
            .with_context(|| format!("--ca-cert {} is not a PEM certificate", path.display()))?;
        http = http.add_root_certificate(cert);
    }
    let http = http.build().context("cannot set up HTTPS")?;
    Ok(DohClient::new(&opts.resolver)?
        .with_timeout(opts.timeout()?)
        .with_http_client(http))
}

async fn timed(doh: &DohClient, ip: IpAddr, helo: Option<&str>) -> (Report, u64) {
    let start = Instant::now();
    let report = check(doh, ip, helo).await;
    (report, start.elapsed().as_millis() as u64)
}

/// `sendercheck ip ADDRESS` and `sendercheck ip -`.
pub async fn ip(address: &str, opts: &Options, style: Style) -> anyhow::Result<Exit> {
    if address == "-" {
        return batch(opts, style).await;
    }
    let ip = match parse_ip(address) {
        Ok(ip) => ip,
        Err(e) => return Ok(Exit::BadInput(e.to_string())),
    };
    let doh = client(&opts.common)?;
    let (report, ms) = timed(&doh, ip, opts.helo.as_deref()).await;
    let mut out = std::io::stdout().lock();
    if opts.common.json {
        writeln!(out, "{}", report_json(&report, ms))?;
    } else {
        write!(
            out,
            "{}",
            output::report(&report, ms, doh.endpoint().as_str(), style)
        )?;
    }
    Ok(Exit::Verdict(report.verdict()))
}

/// Reads addresses from stdin and checks them with bounded concurrency, printing in input order.
async fn batch(opts: &Options, style: Style) -> anyhow::Result<Exit> {
    let doh = client(&opts.common)?;
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
    let mut results = stream::iter(addresses)
        .map(|ip| timed(&doh, ip, helo))
        .buffered(concurrency);
    let mut verdicts = Vec::new();
    let mut out = std::io::stdout().lock();
    while let Some((report, ms)) = results.next().await {
        verdicts.push(report.verdict());
        if opts.common.json {
            writeln!(out, "{}", report_json(&report, ms))?;
        } else {
            writeln!(out, "{}", output::verdict_line(&report, style))?;
        }
        out.flush()?;
    }
    if bad_lines > 0 {
        return Ok(Exit::BadInput(format!(
            "{bad_lines} line(s) of input were not addresses (see above)"
        )));
    }
    Ok(Exit::Verdict(Verdict::worst(verdicts)))
}

/// `sendercheck host NAME`: every A and AAAA address of the name.
pub async fn host(name: &str, opts: &Options, style: Style) -> anyhow::Result<Exit> {
    if parse_ip(name).is_ok() {
        return Ok(Exit::BadInput(format!(
            "`{name}` is an IP address; check it with `sendercheck ip {name}`"
        )));
    }
    let host = match DomainName::parse(name) {
        Ok(n) => n,
        Err(e) => return Ok(Exit::BadInput(e.to_string())),
    };
    let doh = client(&opts.common)?;
    let start = Instant::now();
    let report = check_host(&doh, host, opts.helo.as_deref()).await;
    let ms = start.elapsed().as_millis() as u64;
    let mut out = std::io::stdout().lock();
    if opts.common.json {
        writeln!(out, "{}", host_json(&report, ms))?;
    } else {
        write!(
            out,
            "{}",
            output::host_report(&report, ms, doh.endpoint().as_str(), style)
        )?;
    }
    Ok(Exit::Verdict(report.verdict()))
}

/// Reads a paste: at most [`MAX_PASTE`] bytes, so an endless stdin is not slurped. The inner
/// `Err` says the input is larger than that.
fn read_paste(file: &Path) -> anyhow::Result<Result<String, String>> {
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
        return Ok(Err(format!(
            "{what} holds more than {MAX_PASTE} bytes (4 MiB), the most a paste may be; message headers are a few kilobytes"
        )));
    }
    Ok(Ok(String::from_utf8_lossy(&bytes).into_owned()))
}

/// `sendercheck paste [FILE|-]`: recognise the text, check what it names, print.
pub async fn paste(
    file: &Path,
    hop: Option<usize>,
    opts: &Common,
    style: Style,
) -> anyhow::Result<Exit> {
    let text = match read_paste(file)? {
        Ok(text) => text,
        Err(msg) => return Ok(Exit::BadInput(msg)),
    };
    let mut extracted = match paste::extract(&text) {
        Ok(x) => x,
        // The message lists the recognised formats, one sample line each.
        Err(e) => return Ok(Exit::BadInput(e.to_string().trim_end().to_string())),
    };
    if let Some(n) = hop {
        let hops = extracted.hops.len();
        if n == 0 || !extracted.choose_hop(n - 1) {
            return Ok(Exit::BadInput(match hops {
                0 => format!("--hop {n}: the paste has no Received header"),
                _ => format!("--hop {n}: the paste has Received headers 1 to {hops}"),
            }));
        }
    }
    drop(text);
    let doh = client(opts)?;
    let start = Instant::now();
    let report = paste::check_paste(&doh, extracted).await;
    let ms = start.elapsed().as_millis() as u64;
    let mut out = std::io::stdout().lock();
    if opts.json {
        writeln!(out, "{}", paste::paste_json(&report, ms))?;
        return Ok(Exit::Verdict(report.verdict()));
    }
    let resolver = doh.endpoint().as_str();
    let mut page = crate::extracted::block(&report.extracted, style);
    page.push('\n');
    match &report.checked {
        Checked::Ip(r) => {
            page.push_str(&output::report_with(
                r,
                &report.findings,
                ms,
                resolver,
                style,
            ));
        }
        Checked::Host(h) => {
            page.push_str(&output::host_report(h, ms, resolver, style));
            output::paste_findings(&mut page, &report.findings, style);
        }
        Checked::Nothing => {
            let why = match &report.extracted.helo {
                Some(helo) => format!(
                    "nothing to look up in DNS: the paste names no sending address, and the EHLO argument `{helo}` is not a host name"
                ),
                None => "nothing to look up in DNS: the paste names no sending address and no EHLO name".into(),
            };
            page.push_str(&output::problem_line(&why, report.verdict(), style));
            page.push('\n');
            for f in &report.findings {
                output::finding(&mut page, f, style);
            }
        }
    }
    write!(out, "{page}")?;
    Ok(Exit::Verdict(report.verdict()))
}
