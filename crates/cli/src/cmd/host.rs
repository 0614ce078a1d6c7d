//! `sendercheck host NAME`: every A and AAAA address of the name.

use std::io::Write;

use futures::future::{join, join_all, OptionFuture};
use sendercheck_core::blocklist::{self, check_blocklists};
use sendercheck_core::fix::{where_to_fix_each, MtaChoice};
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
    let lists = super::ip::blocklists(opts)?;
    let doh = client(&opts.common)?;
    let mta: Option<MtaChoice> = opts.common.mta.map(Into::into);
    let ((report, places, listings), ms) = timed(async {
        let report = check_host(&doh, host, opts.helo.as_deref()).await;
        // Where to fix each address and, when asked, its blocklists: one round.
        let places = where_to_fix_each(&doh, &report.reports, mta);
        let listings = OptionFuture::from(lists.as_deref().map(|l| {
            join_all(
                report
                    .reports
                    .iter()
                    .map(|r| check_blocklists(&doh, r.ip, l)),
            )
        }));
        let (places, listings) = join(places, listings).await;
        (report, places, listings)
    })
    .await;
    let mut out = std::io::stdout().lock();
    let listings = listings.as_deref();
    if opts.common.json {
        let json = host_json_with(&report, &places, listings, mta, ms);
        writeln!(out, "{json}")?;
    } else {
        let resolver = doh.endpoint().as_str();
        let text = output::host_report(&report, &places, listings, ms, resolver, style);
        write!(out, "{text}")?;
    }
    let lists_verdict = listings
        .unwrap_or_default()
        .iter()
        .map(|l| blocklist::verdict(l));
    Ok(Verdict::worst(lists_verdict.chain([report.verdict()])))
}
