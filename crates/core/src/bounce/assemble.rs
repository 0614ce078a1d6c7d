//! From the pieces a reader found to a [`Bounce`]: the effective status, the knowledge base's
//! rule (else the registry's meaning), the provider, and the sending IP.

use std::net::IpAddr;

use super::reply::{named_lists, sending_ip};
use super::status::{parse_status, reply_meaning, status_meaning};
use super::{kb, Bounce, Category, CheckKind, Reply, Signature, Source};
use crate::dns::non_public_reason;
use crate::paste::headers::received_hops;
use crate::paste::text::{host_name, looks_like_host, org_domain, plain_ip};

/// What a reader found in the text.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub source: Source,
    pub reply: Option<Reply>,
    pub receiver_host: Option<String>,
    pub receiver_ip: Option<IpAddr>,
    pub command: Option<String>,
    pub recipient: Option<String>,
    pub sender: Option<String>,
    pub from_domain: Option<String>,
    pub signatures: Vec<Signature>,
    pub dsn_status: Option<String>,
    pub action: Option<String>,
    /// The DSN's Reporting-MTA (or the host whose log it is).
    pub reporting_mta: Option<String>,
    /// The returned message's headers.
    pub returned: Option<String>,
    /// A receiver's own log line names its client: that is the sending IP.
    pub client_ip: Option<IpAddr>,
}

/// The generic "what to do" of a category, for a reply no rule knows.
fn generic_action(category: Category) -> &'static str {
    match category {
        Category::Iprev => "Give the sending IP a PTR record whose name resolves (A/AAAA) back to the same IP; the PTR is set by whoever owns the IP (hosting provider or ISP).",
        Category::Helo => "Make the server announce a fully-qualified name in EHLO that resolves to its address, ideally its PTR name (Postfix smtp_helo_name, Exim helo_data).",
        Category::Spf => "Publish an SPF record for the MAIL FROM domain that includes the sending IP (or the service that sends for you).",
        Category::Dkim => "Sign outgoing mail with DKIM and publish the key at the selector the signature names.",
        Category::Dmarc | Category::Alignment => "Make SPF or DKIM pass for a domain aligned with the From domain, and publish a DMARC record.",
        Category::Blocklist => "Find the list that blocks the address, stop what got it listed, and ask for removal.",
        Category::Tls => "Offer and use TLS (STARTTLS) with a valid certificate when sending.",
        Category::Recipient => "Nothing on your server causes this: check the recipient's address, or ask the recipient about their mailbox.",
        Category::Relay => "The receiver does not accept this mail from you for that recipient: check the recipient's domain and its MX, or authenticate if you meant to relay.",
        Category::Rate => "Slow down and let the mail queue retry; spread large sends over time.",
        Category::Reputation | Category::Content => "No DNS change fixes this by itself: it is reputation, volume or content. Check the authentication anyway, then follow the receiver's instructions in the reply.",
        Category::Other => "Read the reply's text: it names the receiver's reason; the receiver's postmaster pages explain its codes.",
    }
}

/// An enhanced status a DSN's `Status:` field may supply when the reply has none; `X.0.0` is an
/// MTA's generic value, not the receiver's.
fn useful_status(status: &str) -> Option<&str> {
    let (_, subject, detail) = parse_status(status)?;
    (subject != 0 || detail != 0).then_some(status)
}

pub(crate) fn assemble(read: Read) -> Bounce {
    let mut reply = read.reply.unwrap_or_default();
    if reply.status.is_none() {
        reply.status = read
            .dsn_status
            .as_deref()
            .and_then(useful_status)
            .map(str::to_string);
    }
    let dsn_status = read
        .dsn_status
        .clone()
        .filter(|s| Some(s) != reply.status.as_ref());
    let receiver_host = read
        .receiver_host
        .map(|h| host_name(&h))
        .filter(|h| !h.is_empty());
    let rule = kb::best_match(reply.code, reply.status.as_deref(), &reply.matched_text());
    let provider = receiver_host
        .as_deref()
        .and_then(kb::provider_of_host)
        .or_else(|| {
            rule.and_then(|r| kb::provider(&r.provider))
                .filter(|p| p.is_receiver())
        });
    let (category, meaning, action, mut checks) = match rule {
        Some(r) => (
            r.category,
            r.meaning.clone(),
            r.action.clone(),
            r.checks.clone(),
        ),
        None => {
            let by_status = reply.status.as_deref().and_then(status_meaning);
            let by_code = reply.code.and_then(reply_meaning);
            let category = if named_lists(&reply.text).is_empty() {
                by_status
                    .as_ref()
                    .and_then(|(_, c)| *c)
                    .or(by_code.as_ref().and_then(|(_, c)| *c))
                    .unwrap_or(Category::Other)
            } else {
                // The reply names the DNS blocklist it used.
                Category::Blocklist
            };
            let meaning = match (&by_status, &by_code) {
                (Some((s, _)), Some((c, _))) => format!("{s} ({} {c})", reply.code.unwrap_or(0)),
                (Some((s, _)), None) => s.clone(),
                (None, Some((c, _))) => c.clone(),
                (None, None) => {
                    "The reply carries no reply code or status; its text is all there is.".into()
                }
            };
            (
                category,
                meaning,
                generic_action(category).to_string(),
                category.checks().to_vec(),
            )
        }
    };
    let named = named_lists(&reply.text);
    if !named.is_empty() && !checks.contains(&CheckKind::Blocklist) {
        checks.push(CheckKind::Blocklist);
    }
    let permanent = reply.permanent().or_else(|| {
        read.dsn_status
            .as_deref()
            .or(dsn_status.as_deref())
            .and_then(parse_status)
            .map(|(class, ..)| class == 5)
    });
    let mut bounce = Bounce {
        source: read.source,
        receiver_ip: read.receiver_ip,
        provider,
        command: read.command,
        permanent,
        recipient: read.recipient,
        sender: read.sender,
        from_domain: read.from_domain,
        signatures: read.signatures,
        rule,
        category,
        meaning,
        action,
        checks,
        named_lists: named,
        dsn_status,
        action_field: read.action,
        returned: read.returned,
        ..Bounce::default()
    };
    // The sending IP: the receiver's own log names its client; else the reply names it; else the
    // returned message shows where the receiver took it.
    if let Some(ip) = read.client_ip {
        bounce.sending_ip = Some(ip);
        bounce.sending_ip_from = Some(format!("the client of the receiver's log line, {ip}"));
    } else if let Some(ip) = sending_ip(&reply.text, read.receiver_ip) {
        bounce.sending_ip = Some(ip);
        bounce.sending_ip_from = Some(format!("the receiver's reply, which names {ip}"));
    } else if let Some(text) = bounce.returned.as_deref() {
        if let Some((i, ip, why, helo)) = from_returned(
            text,
            receiver_host.as_deref(),
            read.reporting_mta.as_deref(),
        ) {
            bounce.sending_ip = Some(ip);
            bounce.sending_ip_from = Some(why);
            bounce.helo = helo;
            bounce.returned_hop = Some(i);
        }
    }
    bounce.receiver_host = receiver_host;
    bounce.reply = reply;
    bounce
}

/// Headers whose folded lines lost their indentation in a paste, indented again: a line that
/// is not blank and does not start a field continues the field above.
pub(crate) fn reindent(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut in_headers = true;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            in_headers = false;
        }
        let starts_field = line.split_once(':').is_some_and(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if in_headers && i > 0 && !starts_field && !line.starts_with([' ', '\t']) {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The sending IP as the returned message's Received chain shows it: the topmost hop added by
/// the receiver (its `by` host in the receiver's organisation) whose client is outside it, with
/// a public address; or, when the sender's own server wrote the bounce and the chain shows that
/// server connecting to itself (webmail, a local script), that server's address. The
/// submission hops of the sender's clients are never taken.
fn from_returned(
    text: &str,
    receiver: Option<&str>,
    reporting: Option<&str>,
) -> Option<(usize, IpAddr, String, Option<String>)> {
    let hops = received_hops(&reindent(text));
    let reporting = reporting.map(host_name).filter(|h| looks_like_host(h));
    // The receiver's organisation; a DSN that names no receiver was written by the receiver.
    let receiver_org = receiver
        .or(reporting.as_deref())
        .filter(|h| looks_like_host(h) && plain_ip(h).is_none())
        .map(org_domain)?;
    let inside = |name: &Option<String>| {
        name.as_deref()
            .is_some_and(|n| looks_like_host(n) && org_domain(n) == receiver_org)
    };
    for (i, hop) in hops.iter().enumerate() {
        let by_receiver = hop
            .by
            .as_deref()
            .is_some_and(|b| looks_like_host(b) && org_domain(b) == receiver_org);
        let Some(ip) = hop.ip.filter(|ip| non_public_reason(*ip).is_none()) else {
            continue;
        };
        if by_receiver && !inside(&hop.rdns) && !inside(&hop.helo) {
            let by = hop.by.clone().unwrap_or_default();
            return Some((
                i,
                ip,
                format!("Received header {} of the returned message, where {by} took the message from {ip}", i + 1),
                hop.helo.clone(),
            ));
        }
    }
    // The sender's server connecting to itself.
    let me = reporting?;
    hops.iter().enumerate().find_map(|(i, hop)| {
        let ip = hop.ip.filter(|ip| non_public_reason(*ip).is_none())?;
        (hop.by.as_deref() == Some(me.as_str()) && hop.rdns.as_deref() == Some(me.as_str())).then(|| {
            (
                i,
                ip,
                format!("Received header {} of the returned message, where {me}, the server that sent it, connected to itself from {ip}", i + 1),
                None,
            )
        })
    })
}
