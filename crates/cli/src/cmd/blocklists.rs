//! `sendercheck blocklists IP`: the DNS blocklists' answers about one address.

use std::io::Write;

use sendercheck_core::blocklist::{blocklists_json, check_blocklists, verdict};
use sendercheck_core::{parse_ip, Verdict};

use super::{client, timed, BadInput};
use crate::output::{self, Style};
use crate::{Common, ListOptions};

/// Asks every list about `address` in one round trip.
pub async fn run(
    address: &str,
    lists: &ListOptions,
    opts: &Common,
    style: Style,
) -> anyhow::Result<Verdict> {
    let ip = parse_ip(address).map_err(|e| BadInput(e.to_string()))?;
    let lists = lists.lists()?;
    let doh = client(opts)?;
    let (listings, ms) = timed(check_blocklists(&doh, ip, &lists)).await;
    let mut out = std::io::stdout().lock();
    if opts.json {
        writeln!(out, "{}", blocklists_json(ip, &listings, ms))?;
    } else {
        write!(
            out,
            "{}",
            output::blocklists_report(ip, &listings, ms, doh.endpoint().as_str(), style)
        )?;
    }
    Ok(verdict(&listings))
}
