//! The sending server's identity: forward-confirmed reverse DNS ([`iprev`], RFC 8601 §3), whether
//! its reverse name looks [`generic`], and the name it announces in EHLO ([`helo`], RFC 5321
//! §4.1.1.1). Each module judges and writes its own findings; [`fix`] holds the records and MTA
//! settings their fixes share.

pub mod fix;
pub mod generic;
pub mod helo;
pub mod iprev;

use crate::dns::non_public_reason;
use crate::finding::{most_severe_first, Finding, FindingId};
use helo::HeloCheck;
use iprev::Iprev;

/// All identity findings of one address, most severe first (stable within a severity).
pub fn findings(iprev: &Iprev, helo: Option<&HeloCheck>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(why) = non_public_reason(iprev.ip) {
        out.push(
            FindingId::IpNotPublic
                .says(format!("{} is {why}", iprev.ip))
                .because(format!(
                    "Receivers on the Internet never see {} as the sender: they see the public address your mail leaves from (after NAT or a relay).",
                    iprev.ip
                ))
                .fixed_by("Check the public address instead: it is in the Received header that the receiving provider added, or ask your provider for the egress address."),
        );
    }
    iprev::iprev_findings(iprev, helo, &mut out);
    generic::generic_findings(iprev, &mut out);
    if let Some(h) = helo {
        helo::helo_findings(iprev, h, &mut out);
    }
    most_severe_first(out)
}
