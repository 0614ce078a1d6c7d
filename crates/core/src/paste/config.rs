//! MTA configuration: the name the server will announce in EHLO, the address it sends from, and
//! whether it runs Sender Address Verification (callouts).
//!
//! Postfix (postconf(5)): `name = value` lines; a line starting with whitespace continues the one
//! before; `#` starts a comment line. `smtp_helo_name` (default `$myhostname`) is the EHLO name,
//! `myhostname` defaults to the machine's host name, `mydomain` to `$myhostname` minus its first
//! label; `smtp_bind_address`/`smtp_bind_address6` fix the source address; `reject_unverified_sender`
//! in any restriction list turns on sender address verification (ADDRESS_VERIFICATION_README).
//! `master.cf` overrides (`-o name=value`) are read too and win over `main.cf`.
//!
//! Exim (spec ch. "Main configuration", "The smtp transport", "Access control lists"):
//! `primary_hostname` (default: the machine's host name), the smtp transport's `helo_data` (default
//! `$primary_hostname`) and `interface`; `verify = sender/callout` in an ACL makes a callout to
//! the sender's domain. A line ending in `\` continues on the next.

use super::text::{helo_name, plain_ip};
use super::{Extracted, Format, SavLine, Setting};

/// A logical configuration line: where it starts, its text, and its `name = value` split.
struct Logical {
    line: usize,
    text: String,
}

impl Logical {
    fn assignment(&self) -> Option<(&str, &str)> {
        assignment(&self.text)
    }
}

/// `name = value`, with a plain name (letters, digits, `_`).
fn assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    plain.then(|| (name, value.trim()))
}

const POSTFIX_KEYS: [&str; 12] = [
    "myhostname",
    "mydomain",
    "myorigin",
    "mydestination",
    "mynetworks",
    "relayhost",
    "inet_interfaces",
    "inet_protocols",
    "alias_maps",
    "compatibility_level",
    "smtp_helo_name",
    "queue_directory",
];

const EXIM_KEYS: [&str; 10] = [
    "primary_hostname",
    "qualify_domain",
    "helo_data",
    "driver",
    "verify",
    "local_interfaces",
    "daemon_smtp_ports",
    "domainlist",
    "hostlist",
    "interface",
];

/// Exim main options that start like Postfix's `smtp_` client parameters.
const EXIM_SMTP_OPTIONS: [&str; 14] = [
    "smtp_accept",
    "smtp_active_hostname",
    "smtp_backlog",
    "smtp_banner",
    "smtp_check_spool",
    "smtp_connect_backlog",
    "smtp_enforce_sync",
    "smtp_etrn",
    "smtp_load_reserve",
    "smtp_max",
    "smtp_no_mail",
    "smtp_ratelimit",
    "smtp_receive_timeout",
    "smtp_reserve",
];

/// Other Exim main options that are unlike any Postfix parameter.
const EXIM_OPTIONS: [&str; 8] = [
    "log_selector",
    "host_lookup",
    "never_users",
    "received_header_text",
    "tls_advertise_hosts",
    "qualify_recipient",
    "trusted_users",
    "rfc1413_hosts",
];

/// The Exim ACL verbs.
const ACL_VERBS: [&str; 7] = [
    "accept", "defer", "deny", "discard", "drop", "require", "warn",
];

fn postfix_name(name: &str) -> bool {
    POSTFIX_KEYS.contains(&name)
        || name.starts_with("smtpd_")
        || name.starts_with("address_verify_")
        || name.starts_with("smtp_tls_")
        || name.starts_with("smtp_sasl_")
        || name.starts_with("smtp_bind_address")
}

/// Exim options, and macros (upper-case names).
fn exim_name(name: &str) -> bool {
    EXIM_KEYS.contains(&name)
        || EXIM_OPTIONS.contains(&name)
        || EXIM_SMTP_OPTIONS.iter().any(|o| name.starts_with(o))
        || macro_like(name)
}

/// An Exim macro name: an upper-case letter, then upper-case letters, digits and `_`.
fn macro_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

pub(super) fn extract(text: &str) -> Option<Extracted> {
    // Scored on physical lines: an indented Exim ACL condition is its own line, not a Postfix
    // continuation.
    let (mut p_score, mut e_score) = (0, 0);
    for raw in text.lines() {
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let first = t.split_whitespace().next().unwrap_or("");
        if t.starts_with("begin ")
            || t.starts_with("acl_smtp_")
            || ["domainlist", "hostlist", ".ifdef", ".ifndef", ".include"].contains(&first)
            || t.trim_start_matches('!').starts_with("verify")
            || (ACL_VERBS.contains(&first) && t.contains('='))
        {
            e_score += 1;
        }
        if first == "-o" {
            p_score += 1;
        }
        if let Some((name, _)) = assignment(t) {
            p_score += usize::from(postfix_name(name));
            e_score += usize::from(exim_name(name));
        }
    }
    if p_score == 0 && e_score == 0 {
        return None;
    }
    Some(if e_score > p_score {
        exim(&logical_lines(text, Style::Exim))
    } else {
        postfix_config(&logical_lines(text, Style::Postfix))
    })
}

#[derive(Clone, Copy)]
enum Style {
    Postfix,
    Exim,
}

/// Joins continuation lines and drops comments and blank lines.
fn logical_lines(text: &str, style: Style) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    let mut open = false;
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            open = false;
            continue;
        }
        let continues = match style {
            Style::Postfix => raw.starts_with([' ', '\t']) && !trimmed.starts_with("-o"),
            Style::Exim => open,
        };
        let (body, next_open) = match style {
            Style::Exim => match trimmed.strip_suffix('\\') {
                Some(b) => (b.trim_end(), true),
                None => (trimmed, false),
            },
            Style::Postfix => (trimmed, false),
        };
        match out.last_mut().filter(|_| continues) {
            Some(last) => {
                last.text.push(' ');
                last.text.push_str(body);
            }
            None => out.push(Logical {
                line: n + 1,
                text: body.to_string(),
            }),
        }
        open = next_open;
    }
    out
}

/// The longest expansion kept (a domain name is at most 255 octets).
const MAX_EXPANSION: usize = 1024;

/// Expands `$name`, `${name}` and `$(name)` from the settings (or the defaults), a few levels deep.
fn expand(value: &str, get: &dyn Fn(&str) -> Option<String>, depth: usize) -> Option<String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) =
            if let Some(inner) = after.strip_prefix('{').or_else(|| after.strip_prefix('(')) {
                let end = inner.find(['}', ')'])?;
                (&inner[..end], &inner[end + 1..])
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
        if depth == 0 || name.is_empty() {
            return None;
        }
        out.push_str(&expand(&get(name)?, get, depth - 1)?);
        // A host name is short; refuse values that expand into anything longer (and so refuse
        // `$a` = `$b$b…` chains that would grow exponentially).
        if out.len() > MAX_EXPANSION {
            return None;
        }
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

/// Parameter (or macro) definitions in file order: name, line, value.
#[derive(Default)]
struct Definitions(Vec<(String, usize, String)>);

impl Definitions {
    /// The last definition of `name`: its line and value.
    fn get(&self, name: &str) -> Option<(usize, &str)> {
        self.0
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, line, value)| (*line, value.as_str()))
    }
}

/// At most this many settings are listed.
const MAX_SHOWN: usize = 40;

/// The Postfix parameters listed among the settings read (besides `address_verify_*`).
const SHOWN: [&str; 5] = [
    "myhostname",
    "mydomain",
    "smtp_helo_name",
    "smtp_bind_address",
    "smtp_bind_address6",
];

fn postfix_config(lines: &[Logical]) -> Extracted {
    let mut x = Extracted {
        format: Format::PostfixConfig,
        ..Extracted::default()
    };
    // Every definition in order; the last of a name wins (postconf(5)). A list, not a map: it is
    // only looked up a bounded number of times, and a map adds kilobytes to the page.
    let mut values = Definitions::default();
    let mut service: Option<(String, String, String)> = None;
    for l in lines {
        let mut record = |name: &str, value: &str, x: &mut Extracted| {
            if value
                .split([',', ' ', '\t'])
                .any(|w| w == "reject_unverified_sender")
            {
                x.sav = true;
                let kept: Vec<&str> = value
                    .split([',', ' ', '\t'])
                    .filter(|w| !w.is_empty() && *w != "reject_unverified_sender")
                    .collect();
                x.sav_lines.push(SavLine {
                    line: l.line,
                    text: l.text.clone(),
                    replacement: if l.text.trim_start().starts_with("-o") {
                        if kept.is_empty() {
                            String::new()
                        } else {
                            format!("-o {name}={}", kept.join(","))
                        }
                    } else {
                        format!("{name} = {}", kept.join(", "))
                            .trim_end()
                            .to_string()
                    },
                });
            }
            // The settings shown: the last definition of each, in line order.
            // (Postfix has about 25 address_verify_* parameters; more are junk, and the cap keeps
            // this linear.)
            let verify = name.starts_with("address_verify_") && x.settings.len() < MAX_SHOWN;
            if SHOWN.contains(&name) || verify {
                x.settings.retain(|s| s.name != name);
                x.settings.push(Setting {
                    line: l.line,
                    name: name.into(),
                    value: value.into(),
                });
            }
            values.0.push((name.to_string(), l.line, value.to_string()));
        };
        if let Some((name, value)) = l
            .assignment()
            .filter(|_| !l.text.trim_start().starts_with("-o"))
        {
            record(name, value, &mut x);
        }
        let words: Vec<&str> = l.text.split_whitespace().collect();
        // A master.cf service: `name type private unpriv chroot wakeup maxproc command …`.
        if words.len() >= 8 && ["inet", "unix", "fifo", "pass", "unix-dgram"].contains(&words[1]) {
            service = Some((
                words[0].to_string(),
                words[1].to_string(),
                words[7].to_string(),
            ));
        }
        for (i, w) in words.iter().enumerate() {
            let pair = match w.strip_prefix("-o") {
                Some("") => words.get(i + 1).copied(),
                Some(p) => Some(p),
                None => None,
            };
            let Some((name, value)) = pair.and_then(|p| p.split_once('=')) else {
                continue;
            };
            // An override applies to its service only: smtpd_* ones to that listener (where
            // callouts are configured), smtp_* ones to outgoing mail only in the default
            // `smtp unix … smtp` transport.
            let (svc, kind, command) = service.clone().unwrap_or_default();
            let default_transport = svc == "smtp" && kind == "unix" && command == "smtp";
            if name.starts_with("smtpd_") || default_transport || service.is_none() {
                record(name, value, &mut x);
            } else if name.starts_with("smtp_") && (command == "smtp" || command == "lmtp") {
                x.notes.push(format!(
                    "master.cf service `{svc}` (line {}) sets {name} = {value} only for mail routed through it (transport_maps, relayhost or default_transport naming it).",
                    l.line
                ));
            }
        }
    }
    let get = |name: &str| -> Option<String> {
        if let Some((_, v)) = values.get(name) {
            return Some(v.to_string());
        }
        match name {
            "mydomain" => values
                .get("myhostname")
                .and_then(|(_, h)| h.split_once('.').map(|(_, d)| d.to_string())),
            "smtp_helo_name" => Some("$myhostname".into()),
            _ => None,
        }
    };

    let helo_source = values
        .get("smtp_helo_name")
        .map_or("$myhostname", |(_, v)| v)
        .to_string();
    match expand(&helo_source, &get, 5) {
        Some(name) if !name.trim().is_empty() => {
            x.helo = helo_name(&name);
            x.reason = if values.get("smtp_helo_name").is_some() {
                format!("Postfix announces smtp_helo_name = {helo_source}, which is {name}.")
            } else {
                format!(
                    "smtp_helo_name is not set, so Postfix announces $myhostname, which is {name}."
                )
            };
        }
        _ => {
            x.reason = "The EHLO name is not known from this file.".into();
            x.notes.push(format!(
                "smtp_helo_name is {helo_source}, which needs myhostname; myhostname is not set here, so Postfix uses the machine's host name (what `postconf myhostname` prints). Set it explicitly: myhostname = mail.example.com"
            ));
        }
    }
    // The domain Postfix appends to local senders: myorigin (default $myhostname), postconf(5).
    let origin = values.get("myorigin").map_or("$myhostname", |(_, v)| v);
    if let Some(domain) = expand(origin, &get, 5).filter(|d| d.contains('.') && !d.contains('$')) {
        x.sender.from = Some(domain.trim().to_ascii_lowercase());
    }
    let bind = |key: &str| values.get(key).and_then(|(_, v)| plain_ip(v.trim()));
    x.ip = bind("smtp_bind_address").or_else(|| bind("smtp_bind_address6"));
    if x.ip.is_some() {
        x.reason
            .push_str(" smtp_bind_address fixes the address it sends from.");
    }
    if !x.sav
        && x.settings
            .iter()
            .any(|s| s.name.starts_with("address_verify_"))
    {
        x.notes.push("address_verify_* settings are present, but no restriction uses reject_unverified_sender, so Postfix does not verify senders.".into());
    }
    x
}

fn exim(lines: &[Logical]) -> Extracted {
    let mut x = Extracted {
        format: Format::EximConfig,
        ..Extracted::default()
    };
    let mut macros = Definitions::default();
    let mut primary: Option<(usize, String)> = None;
    let mut helo_data: Option<(usize, String)> = None;
    let mut interface: Option<(usize, String)> = None;
    let mut qualify: Option<(usize, String)> = None;
    let mut section = String::from("main");
    // `.ifdef`/`.ifndef`/`.elifdef`/`.else`/`.endif`: (parent active, a branch taken, active).
    let mut blocks: Vec<(bool, bool, bool)> = Vec::new();
    // The ACL statement being read: whether a callout in it only applies to senders listed in
    // Debian's local_sender_callout file.
    let mut statement_sav = false;
    let mut statement_listed = false;
    let mut listed_only = false;
    for l in lines {
        let text = l.text.trim();
        let word = |i: usize| text.split_whitespace().nth(i).unwrap_or("");
        let active = blocks.last().is_none_or(|b| b.2);
        match word(0) {
            ".ifdef" | ".ifndef" => {
                let defined = macros.get(word(1)).is_some();
                let cond = defined == (word(0) == ".ifdef");
                blocks.push((active, active && cond, active && cond));
                continue;
            }
            ".elifdef" | ".elifndef" | ".else" | ".endif" => {
                if word(0) == ".endif" {
                    blocks.pop();
                } else if let Some(b) = blocks.last_mut() {
                    let defined = macros.get(word(1)).is_some();
                    let cond = match word(0) {
                        ".else" => true,
                        ".elifdef" => defined,
                        _ => !defined,
                    };
                    b.2 = b.0 && !b.1 && cond;
                    b.1 |= b.2;
                }
                continue;
            }
            _ if !active => continue,
            verb if ACL_VERBS.contains(&verb) => {
                listed_only |= statement_sav && statement_listed;
                statement_sav = false;
                statement_listed = false;
            }
            _ => {}
        }
        statement_listed |= text.contains("local_sender_callout");
        if let Some(s) = text.strip_prefix("begin ") {
            section = s.trim().to_ascii_lowercase();
            continue;
        }
        if let Some(at) = callout_option(text) {
            x.sav = true;
            statement_sav = true;
            x.sav_lines.push(SavLine {
                line: l.line,
                text: text.to_string(),
                replacement: remove_callout(text, at),
            });
            continue;
        }
        let Some((name, value)) = l.assignment() else {
            continue;
        };
        let setting = Some((l.line, value.to_string()));
        match name {
            "primary_hostname" if section == "main" => primary = setting,
            "qualify_domain" if section == "main" => qualify = setting,
            "helo_data" => helo_data = helo_data.or(setting),
            "interface" if section == "transports" => interface = interface.or(setting),
            _ if macro_like(name) && section == "main" => {
                macros.0.push((name.to_string(), l.line, value.to_string()));
            }
            _ => {}
        }
    }
    if listed_only || (statement_sav && statement_listed) {
        x.notes.push("The callout applies only to senders listed in /etc/exim4/local_sender_callout (Debian's stock ACL); with no such file, or an empty one, Exim makes no callouts.".into());
    }
    // A value that is a macro: its definition; a macro defined elsewhere (Debian's conf.d or
    // update-exim4.conf.conf) is unknown here.
    let mut unknown_macros = Vec::new();
    let mut unmacro = |v: &str| -> Option<String> {
        let v = v.trim();
        match macros.get(v) {
            Some((_, m)) => Some(m.to_string()),
            None if macro_like(v) => {
                unknown_macros.push(v.to_string());
                None
            }
            None => Some(v.to_string()),
        }
    };
    for (name, s) in [
        ("primary_hostname", &primary),
        ("helo_data", &helo_data),
        ("interface", &interface),
    ] {
        if let Some((line, value)) = s {
            x.settings.push(Setting {
                line: *line,
                name: name.into(),
                value: value.clone(),
            });
        }
    }
    let primary_name = primary.as_ref().and_then(|(_, v)| unmacro(v));
    // The domain Exim adds to local senders: qualify_domain, by default primary_hostname.
    let origin = qualify
        .as_ref()
        .and_then(|(_, v)| unmacro(v))
        .or_else(|| primary_name.clone());
    x.sender.from = origin
        .filter(|d| d.contains('.') && !d.contains('$'))
        .map(|d| d.trim().to_ascii_lowercase());
    let helo_value = helo_data.as_ref().and_then(|(_, v)| unmacro(v));
    let interface_value = interface.as_ref().and_then(|(_, v)| unmacro(v));
    for m in &unknown_macros {
        x.notes.push(format!("`{m}` is a macro defined in another file (on Debian, update-exim4.conf.conf or conf.d), so its value is unknown here."));
    }
    let is_primary = |v: &str| v == "$primary_hostname" || v == "${primary_hostname}";
    match (&helo_value, &primary_name) {
        (Some(h), _) if !h.contains('$') => {
            x.helo = helo_name(h);
            x.reason = format!("The smtp transport announces helo_data = {h}.");
        }
        (Some(h), Some(p)) if is_primary(h) => {
            x.helo = helo_name(p);
            x.reason = format!("helo_data is $primary_hostname, which is {p}.");
        }
        (Some(h), primary) if !is_primary(h) => {
            let fallback = match primary {
                Some(p) => {
                    x.helo = helo_name(p);
                    x.reason = format!("helo_data is an expansion; the check uses primary_hostname, {p}, which it falls back to.");
                    format!("the check below uses primary_hostname ({p})")
                }
                None => {
                    x.reason = "The EHLO name is not known from this file.".into();
                    "primary_hostname is not set here either".into()
                }
            };
            x.notes.push(format!(
                "helo_data is the expansion `{h}`, which only Exim can evaluate (`exim -be` prints it); {fallback}. If it looks up the PTR of $sending_ip_address, Exim sends the PTR name whenever there is one, and that matches reverse DNS."
            ));
        }
        (None, Some(p)) => {
            x.helo = helo_name(p);
            x.reason =
                format!("helo_data is not set, so Exim announces primary_hostname, which is {p}.");
        }
        _ => {
            x.reason = "The EHLO name is not known from this file.".into();
            x.notes.push("primary_hostname is not set here, so Exim announces the machine's host name (what `exim -bP primary_hostname` prints). Set it explicitly: primary_hostname = mail.example.com".into());
        }
    }
    if let Some(v) = interface_value {
        // Exim lists are colon-separated unless they start with `<;` (needed for IPv6).
        x.ip = match v.strip_prefix("<;") {
            Some(list) => list.split(';').find_map(|p| plain_ip(p.trim())),
            None => plain_ip(v.trim()).or_else(|| v.split(':').find_map(|p| plain_ip(p.trim()))),
        };
        if x.ip.is_some() {
            x.reason
                .push_str(" The smtp transport's interface fixes the address it sends from.");
        }
    }
    x
}

/// Where `/callout` starts in an Exim `verify = sender/callout…` (or `header_sender`) condition.
fn callout_option(text: &str) -> Option<usize> {
    let at = text.find("verify")?;
    let rest = text[at + 6..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    if !(rest.starts_with("sender") || rest.starts_with("header_sender")) {
        return None;
    }
    let callout = rest.find("/callout")?;
    Some(text.len() - rest.len() + callout)
}

/// The condition without its callout option: `verify = sender/callout=30s,defer_ok` → `verify = sender`.
fn remove_callout(text: &str, at: usize) -> String {
    let tail = &text[at + 1..];
    let end = tail.find('/').map_or(text.len(), |i| at + 1 + i);
    format!("{}{}", &text[..at], &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_helo_name_and_bind_address() {
        let x = super::super::extract("# main.cf\nmyhostname = Mail.Example.com\nmydomain = example.com\nsmtp_bind_address = 192.0.2.10\n").unwrap();
        assert_eq!(x.format, Format::PostfixConfig);
        assert_eq!(
            (x.helo.as_deref(), x.ip.map(|i| i.to_string())),
            (Some("mail.example.com"), Some("192.0.2.10".into()))
        );
        assert_eq!(x.reason, "smtp_helo_name is not set, so Postfix announces $myhostname, which is Mail.Example.com. smtp_bind_address fixes the address it sends from.");

        let x =
            super::super::extract("myhostname = host.example.com\nsmtp_helo_name = ${mydomain}\n")
                .unwrap();
        assert_eq!(x.helo.as_deref(), Some("example.com"));

        let x = super::super::extract(
            "mydestination = $myhostname, localhost\nsmtp_tls_security_level = may\n",
        )
        .unwrap();
        assert_eq!(x.helo, None);
        assert!(
            x.notes[0].contains("myhostname is not set"),
            "{:?}",
            x.notes
        );
    }

    #[test]
    fn postfix_sav_across_a_continuation_line() {
        let text = "myhostname = mail.example.com\nsmtpd_sender_restrictions = permit_mynetworks,\n    reject_unverified_sender, reject_unknown_sender_domain\naddress_verify_map = btree:$data_directory/verify_cache\n";
        let x = super::super::extract(text).unwrap();
        assert!(x.sav);
        assert_eq!(x.sav_lines.len(), 1);
        assert_eq!(x.sav_lines[0].line, 2);
        assert_eq!(
            x.sav_lines[0].replacement,
            "smtpd_sender_restrictions = permit_mynetworks, reject_unknown_sender_domain"
        );
        assert!(x
            .settings
            .iter()
            .any(|s| s.name == "address_verify_map" && s.line == 4));
        let x = super::super::extract("myhostname = mail.example.com\n#smtpd_sender_restrictions = reject_unverified_sender\n").unwrap();
        assert!(!x.sav);
    }

    #[test]
    fn master_cf_override() {
        let text = "submission inet n - y - - smtpd\n  -o smtpd_sender_restrictions=reject_unverified_sender\n  -o smtp_helo_name=ignored.example.com\nrelay unix - - n - - smtp\n  -o smtp_helo_name=relay.example.com\nsmtp unix - - n - - smtp\n  -o smtp_bind_address=192.0.2.10\n";
        let x = super::super::extract(text).unwrap();
        assert_eq!(x.format, Format::PostfixConfig);
        assert!(x.sav);
        assert_eq!(x.sav_lines[0].replacement, "");
        assert_eq!(
            x.helo, None,
            "the relay transport's name is not the default one"
        );
        assert_eq!(x.ip.unwrap().to_string(), "192.0.2.10");
        assert!(x.notes.iter().any(|n| n.starts_with("master.cf service `relay` (line 5) sets smtp_helo_name = relay.example.com only for mail routed through it")), "{:?}", x.notes);
    }

    #[test]
    fn exim_config() {
        let text = "primary_hostname = mail.example.com\nbegin acl\nacl_check_rcpt:\n  require verify = sender/callout=30s,defer_ok\n  accept  verify = recipient/callout\nbegin transports\nremote_smtp:\n  driver = smtp\n  interface = <; 2001:db8::10 ; 192.0.2.10\n";
        let x = super::super::extract(text).unwrap();
        assert_eq!(x.format, Format::EximConfig);
        assert_eq!(x.helo.as_deref(), Some("mail.example.com"));
        assert_eq!(x.ip.unwrap().to_string(), "2001:db8::10");
        assert!(x.sav);
        assert_eq!(x.sav_lines.len(), 1);
        assert_eq!(
            (x.sav_lines[0].line, x.sav_lines[0].replacement.as_str()),
            (4, "require verify = sender")
        );

        let x = super::super::extract("begin transports\nremote_smtp:\n  driver = smtp\n  helo_data = ${lookup dnsdb{ptr=$sending_ip_address}{$value}{$primary_hostname}}\n").unwrap();
        assert_eq!(x.helo, None);
        assert!(x.notes[0].contains("only Exim can evaluate"));
        assert!(x.notes[0].contains("primary_hostname is not set here either"));
        assert_eq!(
            remove_callout("verify = sender/callout=10s/no_details", 15),
            "verify = sender/no_details"
        );
    }
}
