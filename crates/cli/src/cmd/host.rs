//! `sendercheck host NAME`: every A and AAAA address of the name.

use std::io::Write;

use futures::future::join_all;
use sendercheck_core::dns::Cached;
use sendercheck_core::fix::{where_to_fix, MtaChoice};
use sendercheck_core::report::host_json_with;
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
    let mta: Option<MtaChoice> = opts.common.mta.map(Into::into);
    let ((report, places), ms) = timed(async {
        let report = check_host(&doh, host, opts.helo.as_deref()).await;
        // The addresses share zones: each NS question once (one answer cache).
        let cached = Cached::new(&doh);
        let places = join_all(report.reports.iter().map(|r| where_to_fix(&cached, r, mta))).await;
        (report, places)
    })
    .await;
    let mut out = std::io::stdout().lock();
    if opts.common.json {
        writeln!(out, "{}", host_json_with(&report, &places, mta, ms))?;
    } else {
        write!(
            out,
            "{}",
            output::host_report(&report, &places, ms, doh.endpoint().as_str(), style)
        )?;
    }
    Ok(report.verdict())
}
