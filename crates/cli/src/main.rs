//! `sendercheck`: will mailbox providers accept this sending server's identity?
//!
//! ```text
//! sendercheck ip <IP|-> [--helo TEXT] [--mta ID] [--resolver URL] [--timeout SECONDS] [--json]
//!                       [--concurrency N] [--rate N] [--stats] [--http1]
//! sendercheck host <NAME> [same options]
//! sendercheck paste [FILE|-] [--hop N] [--mta ID] [--blocklist ZONE]... [--spamhaus-key KEY] [--resolver URL] [--timeout SECONDS] [--json]
//! sendercheck domain <DOMAIN|ADDRESS> [--ip IP] [--helo TEXT] [--mail-from ADDR] [--dkim SELECTOR]...
//! sendercheck ip <IP> --domain <DOMAIN|ADDRESS> [--mail-from ADDR] [--dkim SELECTOR]...
//! sendercheck blocklists <IP> [--blocklist ZONE]... [--spamhaus-key KEY] [same options]
//! sendercheck ip <IP> --blocklists [--blocklist ZONE]... [--spamhaus-key KEY] [same options]
//! ```
//!
//! Exit status: 0 when every result is `pass`; 1 when any is `fail` or `permerror` (for a sending
//! domain: any finding of severity error; a blocklist listing counts as a fail, so does a bounce
//! whose cause is still there); 3 when the only non-pass results are `temperror` (a blocklist that
//! could not be checked through the resolver counts as one) or `unchecked` (the resolver gave no
//! DNS answer: the JSON's `verdict` tells the two apart); 2 for bad usage or input (message on
//! stderr), including a paste that is none of the recognised formats.

mod batch;
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
    /// Ask DNS blocklists about an address: Spamhaus ZEN, SpamCop, Barracuda, UCEPROTECT 1-3, PSBL,
    /// Mailspike BL and reputation; each list's RFC 5782 test point in the same round, so a list
    /// that does not answer this resolver is "unknown", never "not listed".
    Blocklists {
        /// The address (IPv4 or IPv6).
        address: String,
        #[command(flatten)]
        lists: ListOptions,
        #[command(flatten)]
        opts: Common,
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
    /// Check what pasted text names: a bounce (DSN, NDR, SMTP reply), message headers, a Postfix or
    /// Exim log line or configuration, or an EHLO line. For a bounce, also run the checks its reply
    /// points to and say whether the cause is still there.
    Paste {
        /// The file holding the text, or `-` for stdin (at most 4 MiB).
        #[arg(value_name = "FILE|-", default_value = "-")]
        file: std::path::PathBuf,
        /// Message headers: check Received header N (1 = the topmost, as numbered in the report)
        /// instead of the one where the message entered the receiver.
        #[arg(long, value_name = "N")]
        hop: Option<usize>,
        #[command(flatten)]
        lists: ListOptions,
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

/// Which DNS blocklists to ask.
#[derive(Args, Debug, Clone, Default)]
pub struct ListOptions {
    /// Ask this blocklist zone instead of the curated set (repeat for several).
    #[arg(long = "blocklist", value_name = "ZONE")]
    blocklist: Vec<String>,
    /// A Spamhaus Data Query Service key: Spamhaus ZEN is asked as `<key>.zen.dq.spamhaus.net`,
    /// which answers through any resolver.
    #[arg(long, value_name = "KEY")]
    spamhaus_key: Option<String>,
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
    /// Also ask the DNS blocklists about each address (see `sendercheck blocklists`).
    #[arg(long)]
    blocklists: bool,
    #[command(flatten)]
    lists: ListOptions,
    /// Most addresses checked at once when reading stdin (1–64). The batch starts with one until the
    /// first answer, halves when the resolver pushes back (429, a burst of 5xx), and grows by one
    /// while answers flow again.
    #[arg(long, value_name = "N", default_value_t = 8)]
    concurrency: usize,
    /// Most DNS questions per second when reading stdin; 0 for no cap. Default: 100 for a
    /// resolver on the network, no cap for one on loopback.
    #[arg(long, value_name = "N")]
    rate: Option<f64>,
    /// After a stdin batch, print a summary to stderr: addresses, questions, retries, 429s, and
    /// how the concurrency moved.
    #[arg(long)]
    stats: bool,
}

/// The options of every command: which resolver to ask, how long to wait, how to print.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// DNS-over-HTTPS resolver URL (RFC 8484).
    #[arg(long, value_name = "URL", default_value = sendercheck_doh::DEFAULT_RESOLVER)]
    resolver: String,
    /// Seconds allowed for each DNS question, retries included.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    timeout: f64,
    /// Print JSON: one object (`ip -`: one per line).
    #[arg(long)]
    json: bool,
    /// Also trust this PEM certificate for the resolver's HTTPS (a private or test resolver).
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<std::path::PathBuf>,
    /// Speak HTTP/1.1 to the resolver even when it offers HTTP/2 (one connection per question in
    /// flight instead of one shared connection); for comparison and for broken HTTP/2 servers.
    #[arg(long)]
    http1: bool,
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
            Command::Blocklists {
                address,
                lists,
                opts,
            } => cmd::blocklists::run(&address, &lists, &opts, style).await,
            Command::Paste {
                file,
                hop,
                lists,
                opts,
            } => cmd::paste::run(&file, hop, &lists, &opts, style).await,
        }
    })?;
    Ok(ExitCode::from(cmd::exit_code(verdict)))
}

impl ListOptions {
    /// The lists to ask: the `--blocklist` zones, else the curated set; Spamhaus through the Data
    /// Query Service with a key.
    pub fn lists(&self) -> Result<Vec<sendercheck_core::blocklist::Blocklist>, cmd::BadInput> {
        use sendercheck_core::blocklist::{with_spamhaus_key, Blocklist};
        let bad = |e: sendercheck_core::Error| cmd::BadInput(e.to_string());
        let lists = if self.blocklist.is_empty() {
            Blocklist::curated()
        } else {
            let mut lists = Vec::new();
            for zone in &self.blocklist {
                let list = Blocklist::parse(zone).map_err(bad)?;
                if !lists.contains(&list) {
                    lists.push(list);
                }
            }
            lists
        };
        match &self.spamhaus_key {
            Some(key) => with_spamhaus_key(lists, key).map_err(bad),
            None => Ok(lists),
        }
    }

    /// Whether any list option was given.
    pub fn given(&self) -> bool {
        !self.blocklist.is_empty() || self.spamhaus_key.is_some()
    }
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
