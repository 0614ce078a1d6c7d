//! `sendercheck domain DOMAIN` and `sendercheck ip IP --domain DOMAIN`: the sending domain's SPF for
//! the address, DMARC, DKIM keys, alignment, MX, and the providers' requirements.

use std::io::Write;

use futures::future::{join, OptionFuture};
use sendercheck_core::domain::check::{check_domain, DomainInput, DomainReport};
use sendercheck_core::report::domain_json;
use sendercheck_core::{check, parse_ip, Report, Verdict};

use super::{client, timed, BadInput};
use crate::output::{self, Style};
use crate::{Common, DomainArgs};

/// The command line of a domain check.
pub struct Args<'a> {
    /// The domain or address.
    pub domain: &'a str,
    /// The sending address.
    pub ip: Option<&'a str>,
    /// The EHLO line.
    pub helo: Option<&'a str>,
    /// `--mail-from`, `--dkim`.
    pub extra: &'a DomainArgs,
}

/// What to check, from the options; every mistake is bad input, found before anything is asked.
pub fn input(
    domain: &str,
    ip: Option<std::net::IpAddr>,
    helo: Option<&str>,
    extra: &DomainArgs,
) -> Result<DomainInput, BadInput> {
    let mut d = DomainInput::parse(domain).map_err(|e| BadInput(e.to_string()))?;
    d.ip = ip;
    if let Some(text) = helo {
        d.set_helo(text);
    }
    if let Some(m) = &extra.mail_from {
        d.set_mail_from(m)
            .map_err(|e| BadInput(format!("--mail-from: {e}")))?;
    }
    for s in &extra.dkim {
        d.add_dkim(s)
            .map_err(|e| BadInput(format!("--dkim {s}: {e}")))?;
    }
    Ok(d)
}

/// `sendercheck domain`: with `--ip`, the address's identity check runs beside it and feeds the
/// requirements.
pub async fn run(args: &Args<'_>, opts: &Common, style: Style) -> anyhow::Result<Verdict> {
    let ip = match args.ip {
        Some(text) => Some(parse_ip(text).map_err(|e| BadInput(format!("--ip: {e}")))?),
        None => None,
    };
    let d = input(args.domain, ip, args.helo, args.extra)?;
    let doh = client(opts)?;
    let identity: OptionFuture<_> = ip.map(|ip| check(&doh, ip, args.helo)).into();
    let ((report, mut domain), ms) = timed(join(identity, check_domain(&doh, &d))).await;
    if let Some(r) = &report {
        domain.judge_report(r);
    }
    print(
        &domain,
        report.as_ref(),
        ms,
        doh.endpoint().as_str(),
        opts.json,
        style,
    )
}

/// Prints a domain check (with the identity report, when there is one) and returns the worse
/// verdict.
pub fn print(
    domain: &DomainReport,
    report: Option<&Report>,
    ms: u64,
    resolver: &str,
    json: bool,
    style: Style,
) -> anyhow::Result<Verdict> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", domain_json(domain, report, ms))?;
    } else {
        if let Some(r) = report {
            write!(out, "{}", output::report(r, None, ms, resolver, style))?;
            writeln!(out)?;
        }
        write!(out, "{}", output::domain(domain, style))?;
    }
    Ok(report
        .map_or(Verdict::Pass, Report::verdict)
        .max(domain.verdict()))
}
