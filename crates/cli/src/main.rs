//! `sendercheck`: will mailbox providers accept this sending server's identity?
//!
//! ```text
//! sendercheck ip <IP|-> [--helo TEXT] [--mta ID] [--resolver URL] [--timeout SECONDS] [--json]
//! sendercheck host <NAME> [same options]
//! sendercheck paste [FILE|-] [--hop N] [--mta ID] [--resolver URL] [--timeout SECONDS] [--json]
//! sendercheck domain <DOMAIN|ADDRESS> [--ip IP] [--helo TEXT] [--mail-from ADDR] [--dkim SELECTOR]...
//! sendercheck ip <IP> --domain <DOMAIN|ADDRESS> [--mail-from ADDR] [--dkim SELECTOR]...
//! ```
//!
//! Exit status: 0 when every result is `pass`; 1 when any is `fail` or `permerror` (for a sending
//! domain: any finding of severity error); 3 when the only non-pass results are `temperror`; 2 for
//! bad usage or input (message on stderr), including a paste that is none of the recognised formats.

mod cmd;
mod extracted;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sendercheck_core::fix::Mta;

/// Checks whether mailbox providers (Gmail, Yahoo, Fastmail, …) will accept a sending mail server's
/// identity: forward-confirmed reverse DNS (RFC 8601 iprev), generic rDNS, and the EHLO name.
#[derive(Parser, Debug)]
#[command(name = "sendercheck", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a sending IP address; `-` reads addresses from stdin, one per line.
    Ip {
        /// The address (IPv4 or IPv6, any common form), or `-` for a list on stdin.
        address: String,
        #[command(flatten)]
        opts: Options,
    },
    /// Check every A/AAAA address of a host name.
    Host {
        /// The host name, e.g. mail.example.com.
        name: String,
        #[command(flatten)]
        opts: Options,
    },
    /// Check a sending domain: SPF for the sending address (MAIL FROM and HELO), DMARC, DKIM keys,
    /// alignment, whether it receives its bounces, and the providers' requirements.
    Domain {
        /// The domain, or a From or MAIL FROM address (`alice@example.com`).
        domain: String,
        /// The sending address: SPF is evaluated for it, and its identity check (FCrDNS, EHLO)
        /// feeds the requirements.
        #[arg(long, value_name = "IP")]
        ip: Option<String>,
        /// What the server says in EHLO (HELO identity of SPF; the SPF domain of a null sender).
        #[arg(long, value_name = "TEXT")]
        helo: Option<String>,
        #[command(flatten)]
        domain_opts: DomainArgs,
        #[command(flatten)]
        opts: Common,
    },
    /// Check what pasted text names: message headers, a Postfix or Exim log line or configuration,
    /// or an EHLO line.
    Paste {
        /// The file holding the text, or `-` for stdin (at most 4 MiB).
        #[arg(value_name = "FILE|-", default_value = "-")]
        file: std::path::PathBuf,
        /// Message headers: check Received header N (1 = the topmost, as numbered in the report)
        /// instead of the one where the message entered the receiver.
        #[arg(long, value_name = "N")]
        hop: Option<usize>,
        #[command(flatten)]
        opts: Common,
    },
}

/// The sending domain's options (the `domain` command, and `ip --domain`).
#[derive(Args, Debug, Clone, Default)]
pub struct DomainArgs {
    /// The reverse-path (MAIL FROM) when it differs from the From address: `bounce@example.com`,
    /// or `<>` for a null sender. Default: the address given, or `postmaster@<domain>`.
    #[arg(long, value_name = "ADDR")]
    mail_from: Option<String>,
    /// A DKIM selector to fetch the key of (`<selector>._domainkey.<domain>`); repeatable.
    /// `SELECTOR:DOMAIN` for a key of another signing domain.
    #[arg(long = "dkim", value_name = "SELECTOR")]
    dkim: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct Options {
    /// What the server says in EHLO: `EHLO name`, `HELO name`, a `250 name` line, or the bare name.
    #[arg(long, value_name = "TEXT")]
    helo: Option<String>,
    /// Also check this sending domain (or From address) for the address: SPF, DMARC, DKIM,
    /// alignment, MX, and the providers' requirements.
    #[arg(long, value_name = "DOMAIN|ADDRESS")]
    domain: Option<String>,
    #[command(flatten)]
    domain_opts: DomainArgs,
    #[command(flatten)]
    common: Common,
    /// Addresses checked at once when reading stdin.
    #[arg(long, value_name = "N", default_value_t = 8)]
    concurrency: usize,
}

/// The options of every command: which resolver to ask, how long to wait, how to print.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// DNS-over-HTTPS resolver URL (RFC 8484).
    #[arg(long, value_name = "URL", default_value = sendercheck_doh::DEFAULT_RESOLVER)]
    resolver: String,
    /// Seconds allowed for each DNS question.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    timeout: f64,
    /// Print JSON: one object (`ip -`: one per line).
    #[arg(long)]
    json: bool,
    /// Also trust this PEM certificate for the resolver's HTTPS (a private or test resolver).
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<std::path::PathBuf>,
    /// Your mail server, so that EHLO and SAV fixes give its exact setting: postfix, exim,
    /// sendmail, opensmtpd, exchange, haraka, stalwart, maddy, mailcow, mail-in-a-box, iredmail,
    /// zimbra, mailu, modoboa, docker-mailserver, cpanel, plesk, qmail, kumomta, momentum.
    /// `paste` guesses it from a Postfix or Exim log or config, or from Received headers.
    #[arg(long, value_name = "ID", value_parser = parse_mta)]
    mta: Option<Mta>,
}

/// `--mta`: one of the ids, in any case.
fn parse_mta(text: &str) -> Result<Mta, String> {
    Mta::parse(text).ok_or_else(|| format!("unknown mail server; use one of: {}", Mta::ids()))
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sendercheck: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses the command line, runs the command, and turns its verdict into the exit status; every
/// error (bad input, an unusable option, I/O) ends in status 2 with its message on stderr.
fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start")?;
    let style = output::Style::detect(std::io::stdout().is_terminal());
    let verdict = runtime.block_on(async {
        match cli.command {
            Command::Ip { address, opts } => cmd::ip::run(&address, &opts, style).await,
            Command::Host { name, opts } => cmd::host::run(&name, &opts, style).await,
            Command::Domain {
                domain,
                ip,
                helo,
                domain_opts,
                opts,
            } => {
                let args = cmd::domain::Args {
                    domain: &domain,
                    ip: ip.as_deref(),
                    helo: helo.as_deref(),
                    extra: &domain_opts,
                };
                cmd::domain::run(&args, &opts, style).await
            }
            Command::Paste { file, hop, opts } => cmd::paste::run(&file, hop, &opts, style).await,
        }
    })?;
    Ok(ExitCode::from(cmd::exit_code(verdict)))
}

impl Common {
    fn timeout(&self) -> anyhow::Result<Duration> {
        if !(self.timeout > 0.0 && self.timeout <= 300.0) {
            anyhow::bail!(
                "--timeout must be between 0 and 300 seconds, not {}",
                self.timeout
            );
        }
        Ok(Duration::from_secs_f64(self.timeout))
    }
}
