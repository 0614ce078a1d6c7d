//! The commands, one file each; here what they share: the DoH client, timing and the exit status.

pub mod blocklists;
pub mod domain;
pub mod host;
pub mod ip;
pub mod paste;

use std::time::Instant;

use anyhow::Context;
use sendercheck_core::Verdict;
use sendercheck_doh::DohClient;

use crate::Common;

/// Exit status for a verdict: 0 pass, 1 fail/permerror, 3 temperror or unchecked only (a script
/// that retries on 3 retries both; the JSON's `verdict` tells them apart).
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::TempError | Verdict::Unchecked => 3,
    }
}

/// Input the command cannot work with: the message goes to stderr, nothing to stdout, status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// The DoH client the options describe: one connection pool for the whole run, so a batch shares
/// one HTTP/2 connection when the resolver offers HTTP/2 (ALPN, RFC 7540 §3.3).
pub fn client(opts: &Common) -> anyhow::Result<DohClient> {
    let mut http =
        reqwest::Client::builder().user_agent(concat!("sendercheck/", env!("CARGO_PKG_VERSION")));
    if opts.http1 {
        http = http.http1_only();
    }
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

/// Runs `fut` and measures its wall time in milliseconds.
pub async fn timed<T>(fut: impl std::future::Future<Output = T>) -> (T, u64) {
    let start = Instant::now();
    let out = fut.await;
    (out, start.elapsed().as_millis() as u64)
}
