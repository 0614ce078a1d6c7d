//! Reading a list's answers: the address's A and TXT records and the two test points become
//! listed, not listed or unknown (RFC 5782 §2.3, §5), with the codes decoded.

use std::net::{IpAddr, Ipv4Addr};

use super::data::{self, Code, Kind};
use super::{Blocklist, ListResult, Listing, TestPoint};
use crate::dns::{Lookup, Outcome, RData, RecordType};

pub(super) fn unknown(list: &Blocklist, ip: IpAddr, reason: String) -> Listing {
    Listing {
        list: list.clone(),
        ip,
        result: ListResult::Unknown,
        codes: Vec::new(),
        decoded: Vec::new(),
        meaning: String::new(),
        reason: Some(reason),
        test_point: TestPoint::NoAnswer,
        exchanges: Vec::new(),
    }
}

/// The A records of a lookup (other data, such as a CNAME target's TXT, is ignored).
fn addresses(l: &Lookup) -> Vec<Ipv4Addr> {
    match &l.outcome {
        Outcome::Found(data) => data
            .iter()
            .filter_map(|d| match d {
                RData::A(a) => Some(*a),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What is wrong with a set of answers, if they are not listings: an error code (RFC 5782 leaves
/// 127.255.255.0/24 to such codes by convention) or an address outside 127.0.0.0/8.
fn answer_problem(answers: &[Ipv4Addr]) -> Option<String> {
    let errors = &data::data().errors;
    if let Some(a) = answers.iter().find(|a| a.octets()[..3] == [127, 255, 255]) {
        let meaning = errors
            .iter()
            .find(|e| e.answer == *a)
            .map_or("an error code, not a listing", |e| e.meaning.as_str());
        return Some(format!("it answered {a}: {meaning}"));
    }
    answers.iter().find(|a| a.octets()[0] != 127).map(|a| {
        format!("it answered {a}, which is outside 127.0.0.0/8 and so not a blocklist answer (the list's domain may have lapsed into a wildcard, or the resolver rewrites answers)")
    })
}

/// Why a lookup that found no A record gave no usable answer, if it did not.
fn failure(l: &Lookup) -> Option<String> {
    match &l.outcome {
        Outcome::Found(_) | Outcome::NxDomain | Outcome::NoData => None,
        other => Some(other.describe(RecordType::A)),
    }
}

pub(super) fn judge(list: &Blocklist, ip: IpAddr, lookups: [Lookup; 4]) -> Listing {
    let [a, txt, yes, no] = lookups;
    let codes = addresses(&a);
    let test_answers = addresses(&yes);
    let test_point = if answer_problem(&test_answers).is_some() {
        TestPoint::Error
    } else if !test_answers.is_empty() {
        TestPoint::Listed
    } else if failure(&yes).is_some() {
        TestPoint::NoAnswer
    } else {
        TestPoint::NotListed
    };
    let test_name = if ip.is_ipv4() {
        "127.0.0.2"
    } else {
        "::ffff:127.0.0.2"
    };
    let never = if ip.is_ipv4() {
        "127.0.0.1"
    } else {
        "::ffff:127.0.0.1"
    };
    let unlisted_answers = addresses(&no);
    // The most specific reason first: the address's own answer, then the test points.
    let problem = answer_problem(&codes)
        .or_else(|| failure(&a).map(|f| format!("no answer for the address: {f}")))
        .or_else(|| match test_point {
            TestPoint::Listed => None,
            TestPoint::Error => answer_problem(&test_answers).map(|p| format!("for its test point {test_name}, {p}")),
            TestPoint::NoAnswer => failure(&yes).map(|f| format!("no answer for its test point {test_name}: {f}")),
            TestPoint::NotListed => Some(format!("it does not list its test point {test_name}, which every list must (RFC 5782 §5): this resolver may not reach the list, or the list does not follow the RFC")),
        })
        .or_else(|| {
            (!unlisted_answers.is_empty() && answer_problem(&unlisted_answers).is_none()).then(|| {
                format!("it lists {never}, which no list may (RFC 5782 §5), so its answers cannot be told from a wildcard")
            })
        });
    let decoded: Vec<Code> = codes
        .iter()
        .map(|c| {
            list.code(*c).cloned().unwrap_or_else(|| Code {
                answer: *c,
                name: String::new(),
                kind: Kind::Listed,
                meaning: if list.codes.is_empty() {
                    format!("listed ({c})")
                } else {
                    format!("listed with {c}, a code this list's documentation here does not name")
                },
            })
        })
        .collect();
    let listed = decoded.iter().any(|c| c.kind.is_listing());
    let meaning = if list.codes.is_empty() && listed {
        // A list of the user's own: its codes are its own business.
        let all: Vec<String> = codes.iter().map(ToString::to_string).collect();
        format!("listed ({})", all.join(", "))
    } else {
        decoded
            .iter()
            .filter(|c| c.kind.is_listing() == listed)
            .map(|c| c.meaning.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let txt_reason = match &txt.outcome {
        Outcome::Found(data) => {
            let texts: Vec<String> = data.iter().filter_map(RData::txt).collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        }
        _ => None,
    };
    let (result, reason) = match problem {
        Some(p) => (ListResult::Unknown, Some(p)),
        None if listed => (ListResult::Listed, txt_reason),
        None => (ListResult::NotListed, None),
    };
    let exchanges = [a, txt, yes, no]
        .into_iter()
        .flat_map(|l| l.exchanges)
        .collect();
    Listing {
        list: list.clone(),
        ip,
        result,
        codes,
        decoded,
        meaning,
        reason,
        test_point,
        exchanges,
    }
}
