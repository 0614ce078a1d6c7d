//! What a bounce tells the user: what the receiver said and means ([`reply_finding`]), and
//! whether its cause is still there ([`cause_findings`]): the checks the reply points to, run
//! now, say "fixed" (the bounce is from before the fix), "still failing", or that they cannot
//! tell; for reputation, volume, content or the recipient, that no DNS change fixes it.

use super::follow::FollowUp;
use super::{Bounce, Category, CheckKind};
use crate::blocklist::{ListResult, Listing};
use crate::domain::dkim::DkimResult;
use crate::domain::dmarc::DmarcResult;
use crate::domain::mx::MxResult;
use crate::domain::spf::SpfResult;
use crate::finding::{most_severe_first, Finding, FindingId};
use crate::identity::helo::HeloResult;
use crate::identity::iprev::IprevResult;
use crate::report::Report;

/// Whether the cause of the bounce is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The checks the reply points to pass now.
    Fixed,
    /// One of them still fails.
    Present,
    /// Reputation, volume, content, the recipient, a receiver's own list: no DNS change fixes it.
    NotDns,
    /// The checks could not decide (no sending IP, a lookup failed, a list did not answer, …).
    Unknown,
}

impl Cause {
    /// The word (`fixed`, `present`, `not-dns`, `unknown`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Fixed => "fixed",
            Cause::Present => "present",
            Cause::NotDns => "not-dns",
            Cause::Unknown => "unknown",
        }
    }
}

crate::serialize_as_str!(Cause);

/// One check's state now, in a sentence.
enum State {
    Pass(String),
    Fail(String),
    Unknown(String),
}

impl State {
    fn text(&self) -> &str {
        match self {
            State::Pass(t) | State::Fail(t) | State::Unknown(t) => t,
        }
    }
}

/// `550 5.7.25`, or what the bounce gives of it.
fn code_label(b: &Bounce) -> String {
    let mut parts = Vec::new();
    if let Some(c) = b.reply.code {
        parts.push(c.to_string());
    }
    if let Some(s) = &b.reply.status {
        parts.push(s.clone());
    }
    if parts.is_empty() {
        "the".into()
    } else {
        parts.join(" ")
    }
}

/// Who refused: the provider's name, else the receiving host, else "The receiving server".
fn who(b: &Bounce) -> String {
    b.provider
        .map(|p| p.name.clone())
        .or_else(|| b.receiver_host.clone())
        .unwrap_or_else(|| "The receiving server".into())
}

/// What the receiver said and what it means.
pub fn reply_finding(b: &Bounce) -> Finding {
    let verb = if b.permanent == Some(false) {
        "deferred"
    } else {
        "refused"
    };
    let at = b
        .command
        .as_ref()
        .map(|c| format!(" at {c}"))
        .unwrap_or_default();
    let code = code_label(b);
    let title = if code == "the" {
        format!("{} {verb} the message{at}", who(b))
    } else {
        format!("{} {verb} the message{at}: {code}", who(b))
    };
    let mut detail = b.meaning.clone();
    if !b.reply.text.is_empty() {
        detail.push_str(&format!(" The reply: \"{}\".", b.reply.text));
    }
    detail.push_str(&format!(" It points to: {}.", b.category.as_str()));
    if b.permanent == Some(false) {
        detail.push_str(" A 4xx reply is temporary: the sending server keeps the message and retries until its queue lifetime ends, then bounces it.");
    }
    match b.rule {
        Some(r) => detail.push_str(&format!(" (Knowledge base: {}, {}.)", r.id, r.source)),
        None => detail.push_str(" (No rule of the knowledge base matches this wording; the meaning is the reply code's and enhanced status's, RFC 5321 and RFC 3463.)"),
    }
    if let Some(ip) = b.sending_ip {
        let from = b.sending_ip_from.as_deref().unwrap_or("the bounce");
        detail.push_str(&format!(" The sending IP {ip} comes from {from}."));
    }
    FindingId::BounceReply
        .says(title)
        .because(detail)
        .fixed_by(b.action.clone())
}

fn iprev_state(r: &Report) -> State {
    let ip = r.ip;
    let names = r.iprev.ptr().join(", ");
    match r.iprev.result {
        IprevResult::Pass => State::Pass(format!(
            "the reverse DNS of {ip} is forward-confirmed ({})",
            r.iprev.confirmed().join(", ")
        )),
        IprevResult::Fail => State::Fail(format!(
            "the PTR name of {ip} ({names}) does not resolve back to it"
        )),
        IprevResult::PermError => State::Fail(format!("{ip} has no PTR record")),
        IprevResult::TempError if r.iprev.unanswered().is_some() => State::Unknown(format!(
            "the resolver gave no answer about the reverse DNS of {ip}"
        )),
        IprevResult::TempError => State::Unknown(format!("the reverse DNS lookup of {ip} failed")),
    }
}

fn blocklist_state(b: &Bounce, listings: &[Listing]) -> Option<State> {
    let named: Vec<&String> = b
        .named_lists
        .iter()
        .chain(b.rule.iter().flat_map(|r| r.lists.iter()))
        .collect();
    let relevant: Vec<&Listing> = if named.is_empty() {
        listings.iter().collect()
    } else {
        listings
            .iter()
            .filter(|l| named.iter().any(|z| l.list.is(z)))
            .collect()
    };
    let names = |r: ListResult| -> Vec<String> {
        relevant
            .iter()
            .filter(|l| l.result == r)
            .map(|l| l.list.name.clone())
            .collect()
    };
    let listed = names(ListResult::Listed);
    let unknown = names(ListResult::Unknown);
    if relevant.is_empty() {
        return None;
    }
    let ip = relevant[0].ip;
    Some(if !listed.is_empty() {
        State::Fail(format!("{ip} is listed on {}", listed.join(", ")))
    } else if !unknown.is_empty() {
        State::Unknown(format!(
            "{} could not be checked through this resolver",
            unknown.join(", ")
        ))
    } else {
        State::Pass(format!(
            "{ip} is not listed on {}",
            names(ListResult::NotListed).join(", ")
        ))
    })
}

/// The state of one check now; `None` when it did not run.
fn state(check: CheckKind, b: &Bounce, identity: Option<&Report>, f: &FollowUp) -> Option<State> {
    let skipped = || {
        f.skipped
            .iter()
            .find(|(k, _)| *k == check)
            .map(|(_, why)| State::Unknown(why.clone()))
    };
    match check {
        CheckKind::Iprev => Some(identity.map_or_else(|| State::Unknown("the bounce names no sending IP".into()), iprev_state)),
        CheckKind::GenericRdns => identity.filter(|r| !r.iprev.ptr().is_empty()).map(|r| {
            if r.iprev.generic() {
                State::Fail(format!("the reverse name of {} looks generic", r.ip))
            } else {
                State::Pass("the reverse name does not look generic".into())
            }
        }),
        CheckKind::Helo => Some(match identity.and_then(|r| r.helo.as_ref()) {
            Some(h) => match h.result {
                HeloResult::Pass => State::Pass(format!("the EHLO name {} matches the reverse DNS", h.helo.name)),
                HeloResult::Fail => State::Fail(format!("the EHLO name {} does not match the reverse DNS", h.helo.name)),
                HeloResult::TempError => State::Unknown("the EHLO check could not finish".into()),
            },
            None => State::Unknown("the bounce does not show the EHLO name (check it with `sendercheck ip IP --helo NAME`)".into()),
        }),
        CheckKind::Spf => f.spf.as_ref().map(|e| {
            let text = format!("SPF of {} for {} is {}", e.domain, e.ip, e.result.as_str());
            match e.result {
                SpfResult::Pass => State::Pass(text),
                SpfResult::TempError => State::Unknown(text),
                _ => State::Fail(text),
            }
        }).or_else(skipped),
        CheckKind::Dmarc => f.dmarc.as_ref().map(|d| match d.result {
            DmarcResult::Pass => State::Pass(format!("{} publishes a DMARC policy ({})", d.domain, d.applied_policy.map_or("none", |p| p.as_str()))),
            DmarcResult::Fail => State::Fail(format!("no usable DMARC record applies to {}", d.domain)),
            DmarcResult::TempError => State::Unknown(format!("the DMARC lookup of {} failed", d.domain)),
        }).or_else(skipped),
        CheckKind::Alignment => f.alignment.as_ref().map(|a| match a.aligned() {
            Some(true) => State::Pass(format!("the SPF or DKIM domain aligns with the From domain {}", a.from)),
            Some(false) => State::Fail(format!("neither the SPF nor a DKIM domain aligns with the From domain {}", a.from)),
            None => State::Unknown(format!("alignment with {} could not be decided", a.from)),
        }).or_else(skipped),
        CheckKind::Dkim => {
            if f.dkim.is_empty() {
                return skipped();
            }
            let ok: Vec<String> = f.dkim.iter().filter(|k| k.result == DkimResult::Pass).map(|k| k.name.to_string()).collect();
            Some(if !ok.is_empty() {
                State::Pass(format!("a usable DKIM key is published at {}", ok.join(", ")))
            } else if f.dkim.iter().any(|k| k.result == DkimResult::TempError) {
                State::Unknown("a DKIM key lookup failed".into())
            } else {
                State::Fail(format!("no usable DKIM key at {}", f.dkim.iter().map(|k| k.name.to_string()).collect::<Vec<_>>().join(", ")))
            })
        }
        CheckKind::Blocklist => f.blocklists.as_deref().and_then(|l| blocklist_state(b, l)).or_else(skipped),
        CheckKind::Mx => f.mx.as_ref().map(|m| match m.result {
            MxResult::Pass => State::Pass(format!("{} exists and receives mail", m.domain)),
            MxResult::Fail => State::Fail(format!("{} does not exist or receives no mail", m.domain)),
            MxResult::TempError => State::Unknown(format!("the MX lookup of {} failed", m.domain)),
        }).or_else(skipped),
    }
}

/// DMARC policy rejections are fixed by an aligned SPF or DKIM pass, not by the record itself.
fn aligned_auth(b: &Bounce, f: &FollowUp) -> State {
    let spf_pass = f.spf.as_ref().map(|e| e.result == SpfResult::Pass);
    let spf_aligned = f.alignment.as_ref().and_then(|a| a.spf);
    let dkim_known = !f.dkim.is_empty();
    let dkim_pass = dkim_known
        && f.dkim.iter().any(|k| k.result == DkimResult::Pass)
        && f.alignment.as_ref().and_then(|a| a.dkim) == Some(true);
    let from = b
        .from_domain
        .clone()
        .or_else(|| {
            b.sender
                .as_ref()
                .and_then(|s| s.rsplit_once('@').map(|(_, d)| d.to_string()))
        })
        .unwrap_or_default();
    if spf_pass == Some(true) && spf_aligned == Some(true) {
        return State::Pass(format!(
            "SPF passes for a domain aligned with {from}, so DMARC passes"
        ));
    }
    if dkim_pass {
        return State::Pass(format!(
            "DKIM passes for a domain aligned with {from}, so DMARC passes"
        ));
    }
    let spf_no = spf_pass == Some(false) || spf_aligned == Some(false);
    match (spf_no, dkim_known) {
        (true, true) => State::Fail(format!("neither SPF nor DKIM passes for a domain aligned with {from}")),
        (true, false) => State::Unknown(format!("SPF does not pass for a domain aligned with {from}, and the bounce shows no DKIM selector to check: unless DKIM passes aligned, the cause is still there")),
        _ => State::Unknown(format!("SPF alignment with {from} could not be checked")),
    }
}

/// The checks that decide whether the cause is still there, for the bounce's category.
fn decisive(b: &Bounce) -> Option<&'static [CheckKind]> {
    use CheckKind::*;
    Some(match b.category {
        Category::Iprev => &[Iprev],
        Category::Helo => &[Helo],
        Category::Spf => &[Spf],
        Category::Dkim => &[Dkim],
        Category::Alignment => &[Alignment],
        Category::Dmarc => &[Dmarc],
        Category::Blocklist => &[Blocklist],
        Category::Other if b.checks == [Mx] => &[Mx],
        _ => return None,
    })
}

fn phrase(b: &Bounce) -> &'static str {
    match b.category {
        Category::Reputation => {
            "it is about the sending IP's or domain's reputation with the receiver"
        }
        Category::Rate => "it is about how much, or how fast, the server sends",
        Category::Content => "it is about the message's content",
        Category::Recipient => "it is about the recipient's address or mailbox",
        Category::Relay => "it is about the receiver's relaying or authentication rules",
        Category::Tls => "it is about TLS on the connection",
        Category::Blocklist => "the receiver's own block list does not show in DNS",
        _ => "its cause is not in DNS",
    }
}

/// Every finding of a bounce, most severe first: what the receiver said, whether the cause is
/// still there, and the findings of each check run for it (blocklists, SPF, DMARC, alignment,
/// DKIM, MX; the identity checks' are the identity report's own).
pub fn bounce_findings(
    b: &Bounce,
    identity: Option<&Report>,
    f: &FollowUp,
) -> (Cause, Vec<Finding>) {
    let (cause, mut out) = cause_findings(b, identity, f);
    out.push(reply_finding(b));
    if let Some(l) = &f.blocklists {
        out.extend(crate::blocklist::findings(l));
    }
    if let Some(e) = &f.spf {
        out.extend(crate::domain::spf::advice::findings(e));
    }
    if let Some(d) = &f.dmarc {
        out.extend(crate::domain::dmarc::findings(d));
    }
    if let Some(a) = &f.alignment {
        out.extend(crate::domain::alignment::findings(a));
    }
    if !f.dkim.is_empty() {
        out.extend(crate::domain::dkim::findings(&f.dkim));
    }
    if let Some(m) = &f.mx {
        out.extend(crate::domain::mx::findings(m));
    }
    (cause, most_severe_first(out))
}

/// Whether the cause of the bounce is still there, and the finding that says so.
pub fn cause_findings(
    b: &Bounce,
    identity: Option<&Report>,
    f: &FollowUp,
) -> (Cause, Vec<Finding>) {
    let code = code_label(b);
    let bounce = format!("{code} bounce");
    let run: Vec<(CheckKind, State)> = b
        .checks
        .iter()
        .filter_map(|k| state(*k, b, identity, f).map(|s| (*k, s)))
        .collect();
    let list = |states: &[(CheckKind, State)]| -> String {
        states
            .iter()
            .map(|(k, s)| format!("{}: {}", k.as_str(), s.text()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let checked = if run.is_empty() {
        String::new()
    } else {
        format!(" Checked now: {}.", list(&run))
    };
    let dmarc_policy = b.category == Category::Dmarc && b.checks != [CheckKind::Dmarc];
    let internal_list = b.category == Category::Blocklist
        && b.named_lists.is_empty()
        && b.rule.is_none_or(|r| r.lists.is_empty());
    let decided: Vec<State> = match decisive(b) {
        _ if internal_list => Vec::new(),
        Some(_) if dmarc_policy => vec![aligned_auth(b, f)],
        Some(checks) => checks
            .iter()
            .filter_map(|k| state(*k, b, identity, f))
            .collect(),
        None => Vec::new(),
    };
    if decisive(b).is_none() || internal_list {
        let finding = FindingId::BounceNotDns
            .says(format!("No DNS change fixes this {bounce}: {}", phrase(b)))
            .because(format!("{}{checked}", b.meaning))
            .fixed_by(b.action.clone());
        return (Cause::NotDns, vec![finding]);
    }
    let failing: Vec<&str> = decided
        .iter()
        .filter_map(|s| match s {
            State::Fail(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let unknown: Vec<&str> = decided
        .iter()
        .filter_map(|s| match s {
            State::Unknown(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    if !failing.is_empty() {
        let finding = FindingId::BounceCausePresent
            .says(format!(
                "Still failing: {}, the cause of the {bounce}",
                failing.join("; ")
            ))
            .because(format!(
                "{}{checked} Until this changes, {} will refuse the mail again.",
                b.meaning,
                who(b)
            ))
            .fixed_by(b.action.clone());
        return (Cause::Present, vec![finding]);
    }
    if !unknown.is_empty() || decided.is_empty() {
        let why = if decided.is_empty() {
            "the checks it points to could not run".to_string()
        } else {
            unknown.join("; ")
        };
        let finding = FindingId::BounceCauseUnknown
            .says(format!("Could not tell whether the cause of the {bounce} is still there"))
            .because(format!("{}: {why}.{checked}", b.meaning.trim_end_matches('.')))
            .fixed_by(match b.sending_ip {
                None => "Paste the log line of the failed delivery (it names the receiver's reply), or check the sending address with `sendercheck ip ADDRESS`.".to_string(),
                Some(_) => b.action.clone(),
            });
        return (Cause::Unknown, vec![finding]);
    }
    let passing: Vec<&str> = decided.iter().map(State::text).collect();
    let again = if b.permanent == Some(false) {
        "The sending server retries deferred mail by itself; to retry now: `postqueue -f` (Postfix) or `exim -qff` (Exim)."
    } else {
        "Send the message again."
    };
    let finding = FindingId::BounceCauseFixed
        .says(format!(
            "Fixed: {}; the {bounce} was from before the fix",
            passing.join("; ")
        ))
        .because(format!("{}{checked}", b.meaning))
        .fixed_by(again);
    (Cause::Fixed, vec![finding])
}
