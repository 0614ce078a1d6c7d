//! What the blocklist answers tell the user: each listing with its meaning, reason and delisting
//! page; a PBL listing as the policy listing it is; each list that could not be checked, with
//! why and what to do; and the lists that answered and do not list the address.

use super::{Kind, ListResult, Listing};
use crate::finding::{most_severe_first, Finding, FindingId};

/// The findings of a blocklist check, most severe first.
pub fn findings(listings: &[Listing]) -> Vec<Finding> {
    let mut out = Vec::new();
    for l in listings {
        match l.result {
            ListResult::Listed => out.push(listed(l)),
            ListResult::Unknown => out.push(unknown(l)),
            ListResult::NotListed => {}
        }
    }
    let clear: Vec<&Listing> = listings
        .iter()
        .filter(|l| l.result == ListResult::NotListed)
        .collect();
    if let Some(first) = clear.first() {
        let names: Vec<String> = clear
            .iter()
            .map(|l| {
                if l.meaning.is_empty() {
                    l.list.name.clone()
                } else {
                    format!("{} ({})", l.list.name, l.meaning)
                }
            })
            .collect();
        let n = clear.len();
        out.push(
            FindingId::BlocklistClear
                .says(if n == 1 {
                    format!("{} is not on {}, the one list that answered", first.ip, first.list.name)
                } else {
                    format!("{} is on none of the {n} lists that answered", first.ip)
                })
                .because(format!(
                    "Not listed: {}. Each of these lists also answered its RFC 5782 test point, so its \"not listed\" can be trusted through this resolver.",
                    names.join(", ")
                )),
        );
    }
    most_severe_first(out)
}

fn codes(l: &Listing) -> String {
    let names: Vec<String> = l
        .decoded
        .iter()
        .filter(|c| c.kind.is_listing())
        .map(|c| {
            if c.name.is_empty() {
                c.answer.to_string()
            } else {
                format!("{} {}", c.name, c.answer)
            }
        })
        .collect();
    names.join(", ")
}

fn listed(l: &Listing) -> Finding {
    let ip = l.ip;
    let name = &l.list.name;
    let reason = l
        .reason
        .as_ref()
        .map(|r| format!(" The list's reason: \"{r}\"."))
        .unwrap_or_default();
    let delist = l
        .delist_url()
        .map(|u| format!("\nLook it up and ask for removal at {u}"))
        .unwrap_or_default();
    match l.kind() {
        Some(Kind::Policy) => {
            let isp = l.decoded.iter().any(|c| c.answer.octets()[3] == 10);
            let who = if isp {
                "Only the ISP can take its own PBL entry out: ask it for a static business address that it has removed from the PBL."
            } else {
                "If this really is a mail server on a fixed address with its own reverse DNS, ask for removal at the delisting page below."
            };
            FindingId::BlocklistPolicy
                .says(format!("{ip} is on {name}'s Policy Block List: its ISP says it should not send mail directly"))
                .because(format!(
                    "{} ({}). The PBL is not about spam: it lists end-user and dynamic address space whose owners say it should send through their mail servers. Receivers that use Spamhaus ZEN (many do) refuse mail that such an address delivers directly.{reason}",
                    l.meaning,
                    codes(l)
                ))
                .fixed_by(format!(
                    "Send through your ISP's or provider's mail server (a smarthost: Postfix `relayhost = [smtp.provider.example]:587`, Exim a `manualroute` router), or move the server to an address meant for mail. {who}{delist}"
                ))
        }
        Some(Kind::Network) => FindingId::BlocklistNetwork
            .says(format!("The network of {ip} is listed on {name}"))
            .because(format!(
                "{}.{reason} This is a listing of the neighbourhood, not of the address: receivers that use this list refuse the whole range.",
                l.meaning
            ))
            .fixed_by(format!(
                "Nothing at this address causes it. If receivers you need refuse the mail for it, ask your hosting provider to deal with the abuse in its network, or send through a relay on another network.{delist}"
            )),
        _ => FindingId::BlocklistListed
            .says(format!("{ip} is listed on {name} ({})", codes(l)))
            .because(format!(
                "{}.{reason} Receivers that use this list refuse or score down mail from the address.",
                l.meaning
            ))
            .fixed_by(format!(
                "Find and stop what got the address listed (a compromised account or web form, an open relay, a bad mailing list, malware on a host behind it), then ask for removal; listings for spam-trap hits expire by themselves once it stops.{delist}"
            )),
    }
}

fn unknown(l: &Listing) -> Finding {
    let name = &l.list.name;
    let why = l.reason.as_deref().unwrap_or("no usable answer");
    let answered = if l.codes.iter().all(|c| c.octets()[..3] != [127, 0, 0]) {
        String::new()
    } else {
        let list: Vec<String> = l.codes.iter().map(ToString::to_string).collect();
        format!(
            " For the address it answered {}, which cannot be trusted for that reason.",
            list.join(", ")
        )
    };
    let refuses = if l.list.refuses.is_empty() {
        String::new()
    } else {
        format!(" {}", l.list.refuses)
    };
    let mut fix = "Ask through another resolver, best your own recursive resolver (`--resolver`), which lists answer; a public resolver is refused by some lists.".to_string();
    if l.list.shown.ends_with("spamhaus.org") {
        fix.push_str(" For Spamhaus, a free Data Query Service key works through any resolver: `--spamhaus-key KEY` (the page keeps it in your browser only).");
    }
    if let Some(u) = l.delist_url() {
        fix.push_str(&format!(" Or look the address up at {u}"));
    }
    FindingId::BlocklistUnknown
        .says(format!("Could not check {name} through this resolver"))
        .because(format!(
            "{}: {why}.{answered}{refuses} This is not a \"not listed\".",
            if l.list.shown == *name {
                name.clone()
            } else {
                format!("{name} ({})", l.list.shown)
            }
        ))
        .fixed_by(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocklist::{Blocklist, Code, TestPoint};

    fn listing(zone: &str, result: ListResult, codes: &[&str]) -> Listing {
        let list = Blocklist::parse(zone).unwrap();
        let decoded = codes
            .iter()
            .map(|c| {
                let answer = c.parse().unwrap();
                list.code(answer).cloned().unwrap_or(Code {
                    answer,
                    name: String::new(),
                    kind: Kind::Listed,
                    meaning: "listed".into(),
                })
            })
            .collect::<Vec<_>>();
        Listing {
            meaning: decoded
                .iter()
                .map(|c| c.meaning.clone())
                .collect::<Vec<_>>()
                .join("; "),
            list,
            ip: "203.0.113.9".parse().unwrap(),
            result,
            codes: codes.iter().map(|c| c.parse().unwrap()).collect(),
            decoded,
            reason: None,
            test_point: TestPoint::Listed,
            exchanges: Vec::new(),
        }
    }

    #[test]
    fn each_kind_of_listing_has_its_own_finding() {
        let f = findings(&[listing(
            "zen.spamhaus.org",
            ListResult::Listed,
            &["127.0.0.2", "127.0.0.4"],
        )]);
        assert_eq!(f[0].id, "blocklist-listed");
        assert_eq!(
            f[0].title,
            "203.0.113.9 is listed on Spamhaus ZEN (SBL 127.0.0.2, XBL 127.0.0.4)"
        );
        assert!(
            f[0].fix.ends_with("https://check.spamhaus.org/"),
            "{}",
            f[0].fix
        );

        let f = findings(&[listing(
            "zen.spamhaus.org",
            ListResult::Listed,
            &["127.0.0.10"],
        )]);
        assert_eq!(f[0].id, "blocklist-policy");
        assert!(f[0].detail.contains("not about spam"), "{}", f[0].detail);
        assert!(f[0].fix.contains("Only the ISP"), "{}", f[0].fix);
        assert!(f[0].fix.contains("relayhost"));

        let f = findings(&[listing(
            "dnsbl-3.uceprotect.net",
            ListResult::Listed,
            &["127.0.0.2"],
        )]);
        assert_eq!(f[0].id, "blocklist-network");
        assert!(
            f[0].fix.contains("rblcheck.php?ipr=203.0.113.9"),
            "{}",
            f[0].fix
        );
    }

    #[test]
    fn unknown_lists_say_why_and_never_not_listed() {
        let mut l = listing("zen.spamhaus.org", ListResult::Unknown, &[]);
        l.reason = Some("it answered 127.255.255.254: the list refuses this resolver".into());
        let f = findings(&[l, listing("bl.spamcop.net", ListResult::NotListed, &[])]);
        assert_eq!(f[0].id, "blocklist-unknown");
        assert!(f[0].detail.contains("127.255.255.254"));
        assert!(
            f[0].detail.ends_with("This is not a \"not listed\"."),
            "{}",
            f[0].detail
        );
        assert!(f[0].fix.contains("--spamhaus-key"));
        assert_eq!(f[1].id, "blocklist-clear");
        assert_eq!(
            f[1].title,
            "203.0.113.9 is not on SpamCop, the one list that answered"
        );
        assert!(!f[1].detail.contains("Spamhaus"));
    }
}
