//! `sendercheck host NAME`: every A and AAAA address of the name.

use std::io::Write;

use sendercheck_core::report::host_json;
use sendercheck_core::{check_host, parse_ip, DomainName, Verdict};

use super::{client, timed, BadInput};
use crate::output::{self, Style};
use crate::Options;

/// Checks every address of `name`.
pub async fn run(name: &str, opts: &Options, style: Style) -> anyhow::Result<Verdict> {
    if parse_ip(name).is_ok() {
        return Err(BadInput(format!(
            "`{name}` is an IP address; check it with `sendercheck ip {name}`"
        ))
        .into());
    }
    if opts.domain.is_some() {
        return Err(BadInput(
            "--domain checks one sending address: use `sendercheck ip ADDRESS --domain …` or `sendercheck domain DOMAIN --ip ADDRESS`".into(),
        )
        .into());
    }
    let host = DomainName::parse(name).map_err(|e| BadInput(e.to_string()))?;
    let doh = client(&opts.common)?;
    let (report, ms) = timed(check_host(&doh, host, opts.helo.as_deref())).await;
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
    Ok(report.verdict())
}
