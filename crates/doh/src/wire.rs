//! DNS wire format (RFC 1035 §4) through `simple-dns`: one query out, one reply in.
//!
//! Decoding is defensive: the bytes come from the network (or a misconfigured resolver URL), so every
//! malformed input becomes a [`ResolveError`], never a panic.

use sendercheck_core::{Answer, Question, RData, Rcode, Record, RecordType, ResolveError};
use simple_dns::rdata::RData as WireData;
use simple_dns::{Name, Packet, PacketFlag, CLASS, QCLASS, QTYPE, TYPE};

/// Encodes a recursive query for `question`, class IN, with DNS id 0 as RFC 8484 §4.1 asks for
/// cache-friendly GETs, and the AD bit set so the resolver reports DNSSEC validation (RFC 6840 §5.7).
pub fn encode_query(question: &Question) -> Vec<u8> {
    let mut packet = Packet::new_query(0);
    packet.set_flags(PacketFlag::RECURSION_DESIRED | PacketFlag::AUTHENTIC_DATA);
    packet.questions.push(simple_dns::Question::new(
        Name::new_unchecked(question.name.as_str()),
        QTYPE::TYPE(TYPE::from(question.rtype.code())),
        QCLASS::CLASS(CLASS::IN),
        false,
    ));
    // A query built from a validated name always encodes; an empty message would be refused by the
    // resolver and reported as such.
    packet.build_bytes_vec().unwrap_or_default()
}

/// Decodes a reply and checks that it answers `question`.
pub fn decode_answer(question: &Question, bytes: &[u8]) -> Result<Answer, ResolveError> {
    if bytes.len() < 12 {
        return Err(ResolveError::NotDns(format!(
            "{} bytes is shorter than a DNS header (12 bytes)",
            bytes.len()
        )));
    }
    let packet = Packet::parse(bytes).map_err(|e| {
        ResolveError::NotDns(format!(
            "{} bytes that do not parse as DNS ({e})",
            bytes.len()
        ))
    })?;
    if !packet.has_flags(PacketFlag::RESPONSE) {
        return Err(ResolveError::NotDns(
            "the message is a query, not a response".into(),
        ));
    }
    let asked = question.to_string();
    let got = match packet.questions.as_slice() {
        [q] => q,
        [] => {
            return Err(ResolveError::WrongQuestion {
                asked,
                got: "no question".into(),
            });
        }
        many => {
            return Err(ResolveError::WrongQuestion {
                asked,
                got: format!("{} questions", many.len()),
            });
        }
    };
    let got_name = text_of(&got.qname);
    let got_type = match got.qtype {
        QTYPE::TYPE(t) => RecordType::from_code(u16::from(t)),
        other => RecordType::from_code(u16::from(other)),
    };
    if got_name != question.name.as_str()
        || got_type != question.rtype
        || got.qclass != QCLASS::CLASS(CLASS::IN)
    {
        return Err(ResolveError::WrongQuestion {
            asked,
            got: format!("{got_name} {got_type}"),
        });
    }
    if packet.id() != 0 {
        return Err(ResolveError::WrongQuestion {
            asked,
            got: format!("a reply with id {} (the query had id 0)", packet.id()),
        });
    }
    if packet.has_flags(PacketFlag::TRUNCATION) {
        return Err(ResolveError::Truncated);
    }
    let rcode = Rcode::from_code(packet.rcode() as u16);
    let records = packet
        .answers
        .iter()
        .filter(|rr| rr.class == CLASS::IN)
        .map(|rr| {
            let rtype = RecordType::from_code(u16::from(rr.rdata.type_code()));
            let data = match &rr.rdata {
                WireData::A(a) => RData::A(a.address.into()),
                WireData::AAAA(a) => RData::Aaaa(a.address.into()),
                WireData::CNAME(c) => RData::Cname(text_of(&c.0)),
                WireData::PTR(p) => RData::Ptr(text_of(&p.0)),
                WireData::NS(n) => RData::Other(text_of(&n.0)),
                WireData::TXT(t) => RData::Other(String::try_from(t.clone()).unwrap_or_default()),
                _ => RData::Other(format!("({rtype} data)")),
            };
            Record {
                name: text_of(&rr.name),
                rtype,
                ttl: rr.ttl,
                data,
            }
        })
        .collect();
    Ok(Answer {
        rcode,
        authenticated: packet.has_flags(PacketFlag::AUTHENTIC_DATA),
        records,
    })
}

/// A wire name as engine text: lower case, no trailing dot.
fn text_of(name: &Name<'_>) -> String {
    name.to_string().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendercheck_core::DomainName;
    use simple_dns::rdata::{A, CNAME, PTR};
    use simple_dns::ResourceRecord;

    fn q(name: &str, rtype: RecordType) -> Question {
        Question::new(DomainName::parse(name).unwrap(), rtype)
    }

    fn reply(
        name: &str,
        qtype: TYPE,
        answers: Vec<ResourceRecord<'static>>,
        edit: impl FnOnce(&mut Packet),
    ) -> Vec<u8> {
        let mut p = Packet::new_reply(0);
        p.questions.push(simple_dns::Question::new(
            Name::new_unchecked(name).into_owned(),
            qtype.into(),
            CLASS::IN.into(),
            false,
        ));
        p.answers = answers;
        edit(&mut p);
        p.build_bytes_vec().unwrap()
    }

    #[test]
    fn query_encoding() {
        let bytes = encode_query(&q("10.2.0.192.in-addr.arpa", RecordType::Ptr));
        assert_eq!(&bytes[..2], &[0, 0], "id 0");
        assert_eq!(bytes[2] & 0x01, 0x01, "RD set");
        assert_eq!(bytes[3] & 0x20, 0x20, "AD set");
        assert_eq!(&bytes[4..6], &[0, 1], "one question");
        assert_eq!(&bytes[bytes.len() - 4..], &[0, 12, 0, 1], "PTR IN");
    }

    #[test]
    fn decodes_records_lower_case() {
        let bytes = reply(
            "Alias.Example",
            TYPE::A,
            vec![
                ResourceRecord::new(
                    Name::new_unchecked("Alias.Example"),
                    CLASS::IN,
                    60,
                    WireData::CNAME(CNAME(Name::new_unchecked("Real.Example"))),
                ),
                ResourceRecord::new(
                    Name::new_unchecked("real.example"),
                    CLASS::IN,
                    61,
                    WireData::A(A {
                        address: 0xc000020a,
                    }),
                ),
            ],
            |p| p.set_flags(PacketFlag::AUTHENTIC_DATA),
        );
        let a = decode_answer(&q("alias.example", RecordType::A), &bytes).unwrap();
        assert_eq!(a.rcode, Rcode::NoError);
        assert!(a.authenticated);
        assert_eq!(a.records[0].data, RData::Cname("real.example".into()));
        assert_eq!(a.records[1].data, RData::A("192.0.2.10".parse().unwrap()));
        assert_eq!(a.records[1].ttl, 61);
    }

    #[test]
    fn rejects_replies_to_other_questions() {
        let bytes = reply(
            "other.example",
            TYPE::PTR,
            vec![ResourceRecord::new(
                Name::new_unchecked("other.example"),
                CLASS::IN,
                1,
                WireData::PTR(PTR(Name::new_unchecked("x.example"))),
            )],
            |_| {},
        );
        let err = decode_answer(&q("mine.example", RecordType::Ptr), &bytes).unwrap_err();
        assert_eq!(err.to_string(), "the resolver answered another question (other.example PTR) instead of mine.example PTR");
        let bytes = reply("mine.example", TYPE::A, vec![], |_| {});
        assert!(matches!(
            decode_answer(&q("mine.example", RecordType::Ptr), &bytes),
            Err(ResolveError::WrongQuestion { .. })
        ));
        let bytes = reply("mine.example", TYPE::PTR, vec![], |p| p.set_id(7));
        assert!(matches!(
            decode_answer(&q("mine.example", RecordType::Ptr), &bytes),
            Err(ResolveError::WrongQuestion { .. })
        ));
    }

    #[test]
    fn truncated_and_junk() {
        let bytes = reply("mine.example", TYPE::PTR, vec![], |p| {
            p.set_flags(PacketFlag::TRUNCATION)
        });
        assert_eq!(
            decode_answer(&q("mine.example", RecordType::Ptr), &bytes),
            Err(ResolveError::Truncated)
        );
        let err =
            decode_answer(&q("mine.example", RecordType::Ptr), b"<html>nope</html>").unwrap_err();
        assert!(matches!(err, ResolveError::NotDns(_)), "{err}");
        let err = decode_answer(&q("mine.example", RecordType::Ptr), b"short").unwrap_err();
        assert_eq!(err.to_string(), "the resolver's reply is not a DNS message: 5 bytes is shorter than a DNS header (12 bytes)");
        // A query echoed back is not an answer.
        let query = encode_query(&q("mine.example", RecordType::Ptr));
        assert!(matches!(
            decode_answer(&q("mine.example", RecordType::Ptr), &query),
            Err(ResolveError::NotDns(_))
        ));
    }

    #[test]
    fn rcodes() {
        let bytes = reply("gone.example", TYPE::A, vec![], |p| {
            *p.rcode_mut() = simple_dns::RCODE::NameError
        });
        assert_eq!(
            decode_answer(&q("gone.example", RecordType::A), &bytes)
                .unwrap()
                .rcode,
            Rcode::NxDomain
        );
        let bytes = reply("sf.example", TYPE::A, vec![], |p| {
            *p.rcode_mut() = simple_dns::RCODE::ServerFailure
        });
        assert_eq!(
            decode_answer(&q("sf.example", RecordType::A), &bytes)
                .unwrap()
                .rcode,
            Rcode::ServFail
        );
    }
}
