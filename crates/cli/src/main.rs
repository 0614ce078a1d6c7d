//! `sendercheck`: will mailbox providers accept this sending server's identity?
//!
//! ```text
//! sendercheck ip <IP|-> [--helo TEXT] [--resolver URL] [--timeout SECONDS] [--json]
//!                       [--concurrency N] [--rate N] [--stats] [--http1]
//! sendercheck host <NAME> [same options]
//! sendercheck paste [FILE|-] [--hop N] [--resolver URL] [--timeout SECONDS] [--json]
//! ```
//!
//! Exit status: 0 when every result is `pass`; 1 when any is `fail` or `permerror`; 3 when the only
//! non-pass results are `temperror`; 2 for bad usage or input (message on stderr), including a
//! paste that is none of the recognised formats.

mod batch;
mod cmd;
mod extracted;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

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

#[derive(Args, Debug, Clone)]
pub struct Options {
    /// What the server says in EHLO: `EHLO name`, `HELO name`, a `250 name` line, or the bare name.
    #[arg(long, value_name = "TEXT")]
    helo: Option<String>,
    #[command(flatten)]
    common: Common,
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
