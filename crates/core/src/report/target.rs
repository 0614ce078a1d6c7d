//! What a run checks ([`Target`]) and what it found ([`Checked`]): the one subject and the one
//! outcome that the CLI and the page share. Front ends only choose a renderer: [`Checked::json`],
//! [`Checked::markdown`], or their own view of the reports.

use std::fmt;
use std::net::IpAddr;

use super::check::{check, Report, Verdict};
use super::host::{check_host, HostReport};
use super::json::{host_json, host_json_with, report_json, report_json_with};
use super::markdown::report_markdown_with;
use super::summary::headline;
use crate::blocklist::Listing;
use crate::dns::{parse_ip, DomainName, Exchange, Resolver};
use crate::fix::{MtaChoice, WhereToFix};
use crate::Error;

/// What to check: one sending address, or every address of a host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A sending IP address.
    Ip(IpAddr),
    /// A host name whose A/AAAA addresses are each checked.
    Host(DomainName),
}

impl Target {
    /// Reads an address field as a person types it. Text that looks like an address gets the
    /// address parser's specific message (`999.1.1.1` is not an IPv4 address: 999 is larger than
    /// 255); anything else must be a fully-qualified host name.
    ///
    /// ```
    /// use sendercheck_core::report::Target;
    /// assert!(matches!(Target::parse(" 192.0.2.10 "), Ok(Target::Ip(_))));
    /// assert_eq!(
    ///     Target::parse("mailserver").unwrap_err().to_string(),
    ///     "`mailserver` is a single label; give the full host name, such as mail.example.com"
    /// );
    /// ```
    pub fn parse(text: &str) -> Result<Target, Error> {
        let t = text.trim();
        if t.is_empty() {
            return Err(Error::NoTarget);
        }
        let looks_like_ip = t.contains(':')
            || t.starts_with('[')
            || t.chars().all(|c| c.is_ascii_digit() || c == '.');
        if looks_like_ip {
            return parse_ip(t).map(Target::Ip);
        }
        let name = DomainName::parse(t)?;
        if let Some(reason) = name.host_name_problem() {
            return Err(Error::NotAHostName {
                name: name.to_string(),
                reason,
            });
        }
        if name.label_count() < 2 {
            return Err(Error::SingleLabel {
                name: name.to_string(),
            });
        }
        Ok(Target::Host(name))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Ip(ip) => write!(f, "{ip}"),
            Target::Host(name) => write!(f, "{name}"),
        }
    }
}

/// What a run found: the report of one address, or of every address of a host name.
#[derive(Debug, Clone, PartialEq)]
// One value per run, never in a collection: boxing the report would only cost an allocation and
// change the variant's type that the page and the CLI match on.
#[allow(clippy::large_enum_variant)]
pub enum Checked {
    /// One address.
    Ip(Report),
    /// Every address of a host name.
    Host(HostReport),
}

impl Checked {
    /// The reports, one per address.
    pub fn reports(&self) -> Vec<&Report> {
        match self {
            Checked::Ip(r) => vec![r],
            Checked::Host(h) => h.reports.iter().collect(),
        }
    }

    /// The worst verdict.
    pub fn verdict(&self) -> Verdict {
        match self {
            Checked::Ip(r) => r.verdict(),
            Checked::Host(h) => h.verdict(),
        }
    }

    /// The headline sentence: who will accept the server and who will not.
    pub fn headline(&self) -> String {
        match self {
            Checked::Ip(r) => headline(r).text,
            Checked::Host(h) => match h.problem() {
                Some(problem) => problem,
                None if h.reports.len() == 1 => headline(&h.reports[0]).text,
                None => {
                    let worst = h.reports.iter().max_by_key(|r| r.verdict());
                    let text = worst.map(|r| headline(r).text).unwrap_or_default();
                    format!(
                        "{} has {} addresses. Worst: {text}",
                        h.host,
                        h.reports.len()
                    )
                }
            },
        }
    }

    /// Every DNS exchange of the run, in order, each question once.
    pub fn exchanges(&self) -> Vec<&Exchange> {
        match self {
            Checked::Ip(r) => r.exchanges(),
            Checked::Host(h) => {
                let mut out: Vec<&Exchange> = Vec::new();
                for e in
                    h.a.exchanges
                        .iter()
                        .chain(&h.aaaa.exchanges)
                        .chain(h.reports.iter().flat_map(|r| r.exchanges()))
                {
                    if !out.iter().any(|o| o.question == e.question) {
                        out.push(e);
                    }
                }
                out
            }
        }
    }

    /// The JSON of `sendercheck ip --json` or `sendercheck host --json`.
    pub fn json(&self, elapsed_ms: u64) -> serde_json::Value {
        match self {
            Checked::Ip(r) => report_json(r, elapsed_ms),
            Checked::Host(h) => host_json(h, elapsed_ms),
        }
    }

    /// The JSON with where to fix each report (`places` from [`crate::fix::where_to_fix_all`], in
    /// the order of [`Checked::reports`]; `mta` the MTA the advice is for) and, when the
    /// blocklists were asked, each report's `listings` in the same order.
    pub fn json_with(
        &self,
        places: &[WhereToFix],
        listings: Option<&[Vec<Listing>]>,
        mta: Option<MtaChoice>,
        elapsed_ms: u64,
    ) -> serde_json::Value {
        match self {
            Checked::Ip(r) => report_json_with(
                r,
                places.first(),
                listings.and_then(|l| l.first()).map(Vec::as_slice),
                elapsed_ms,
            ),
            Checked::Host(h) => host_json_with(h, places, listings, mta, elapsed_ms),
        }
    }

    /// The Markdown report with where to fix each report (see [`Checked::json_with`]).
    pub fn markdown_with(&self, resolver: &str, places: &[WhereToFix]) -> String {
        match self {
            Checked::Ip(r) => report_markdown_with(r, places.first(), resolver),
            Checked::Host(h) => {
                let mut md = format!("# Sender Check: {}\n\n", h.host);
                if let Some(problem) = h.problem() {
                    md.push_str(&problem);
                    md.push('\n');
                }
                for (i, r) in h.reports.iter().enumerate() {
                    md.push_str(&report_markdown_with(r, places.get(i), resolver));
                    md.push('\n');
                }
                md
            }
        }
    }

    /// The Markdown report, for a ticket; `resolver` is the resolver URL asked.
    pub fn markdown(&self, resolver: &str) -> String {
        self.markdown_with(resolver, &[])
    }
}

/// Checks a target with the EHLO line `helo` (each address of a host announces it).
pub async fn check_target<R: Resolver>(
    resolver: &R,
    target: &Target,
    helo: Option<&str>,
) -> Checked {
    match target {
        Target::Ip(ip) => Checked::Ip(check(resolver, *ip, helo).await),
        Target::Host(name) => Checked::Host(check_host(resolver, name.clone(), helo).await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let err = |t: &str| Target::parse(t).unwrap_err().to_string();
        assert_eq!(
            err("999.1.1.1"),
            "`999.1.1.1` is not an IPv4 address: 999 is larger than 255"
        );
        assert_eq!(
            Target::parse(" 2001:DB8::10 ").unwrap(),
            Target::Ip("2001:db8::10".parse().unwrap())
        );
        assert_eq!(
            Target::parse("Mail.Example.com.").unwrap(),
            Target::Host(DomainName::parse("mail.example.com").unwrap())
        );
        assert_eq!(
            err(""),
            "Enter the sending server's IP address or host name."
        );
        assert_eq!(
            err("mailserver"),
            "`mailserver` is a single label; give the full host name, such as mail.example.com"
        );
        assert!(err("mail_1.example.com").contains("underscore"));
        assert!(err("hello world").contains("contains ` `"));
        assert!(err(&"9".repeat(100_000)).len() < 300);
        assert_eq!(
            Target::parse("mail.bücher.example").unwrap().to_string(),
            "mail.xn--bcher-kva.example"
        );
    }
}
