//! DNS wire format (RFC 1035 §4): one query out, one reply in.
//!
//! Only what the checks read is decoded: the header, the one question, and the answer and authority
//! sections (A, AAAA, PTR, CNAME, NS, MX, TXT, SPF and SOA data; other types by number). Decoding
//! is defensive: the bytes come from the network (or a misconfigured resolver URL), so every
//! malformed input becomes a [`DecodeError`] (and then a [`ResolveError`]), never a panic, and name
//! compression pointers are followed at most [`MAX_JUMPS`] times. The tests build their replies
//! with `simple-dns`, an independent encoder.

use std::net::{Ipv4Addr, Ipv6Addr};

use sendercheck_core::dns::{
    Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Soa,
};

/// Header flag bits (RFC 1035 §4.1.1; AD from RFC 4035 §3.2.3).
const QR: u16 = 0x8000;
const TC: u16 = 0x0200;
const RD: u16 = 0x0100;
const AD: u16 = 0x0020;
/// CLASS IN.
const IN: u16 = 1;
/// Compression pointers followed per name before the name is refused.
pub const MAX_JUMPS: usize = 32;
/// Records read per section: a reply a mail check needs has a handful.
const MAX_RECORDS: u16 = 512;

/// Why bytes are not a DNS message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The message ends inside a field.
    #[error("it ends inside a field at byte {at}")]
    Truncated {
        /// Where the field started.
        at: usize,
    },
    /// A name's labels run past the end.
    #[error("a name runs past the end")]
    NameRunsPastEnd,
    /// A label's octets run past the end.
    #[error("a label runs past the end")]
    LabelRunsPastEnd,
    /// A compression pointer's second octet is missing.
    #[error("a pointer runs past the end")]
    PointerRunsPastEnd,
    /// A name over 255 octets (RFC 1035 §3.1).
    #[error("a name is longer than 255 octets")]
    NameTooLong,
    /// Pointers that point forward, at themselves, or more than [`MAX_JUMPS`] times.
    #[error("a name has a compression loop")]
    CompressionLoop,
    /// A label type other than a length or a pointer (RFC 6891 §5 retired them).
    #[error("a label has the reserved type bits {0:#04x}")]
    ReservedLabelType(u8),
    /// Record data longer than the message.
    #[error("a record's data runs past the end")]
    DataRunsPastEnd,
    /// An address record of the wrong length.
    #[error("an {0} record is not {1} octets")]
    AddressLength(RecordType, usize),
    /// A record whose name or fields do not fill its data exactly.
    #[error("a {0} record's fields do not fill its data")]
    Leftover(RecordType),
    /// A TXT character-string longer than its record.
    #[error("a TXT string runs past its record")]
    TxtRunsPastRecord,
}

/// The RFC 8484 query for a question: id 0, RD and AD set, one question, class IN.
pub fn encode_query(question: &Question) -> Vec<u8> {
    let name = question.name.as_str();
    let mut out = Vec::with_capacity(18 + name.len());
    for field in [0, RD | AD, 1, 0, 0, 0] {
        out.extend_from_slice(&u16::to_be_bytes(field));
    }
    for label in name.split('.').filter(|l| !l.is_empty()) {
        // DomainName guarantees labels of 1 to 63 octets.
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out.extend_from_slice(&question.rtype.code().to_be_bytes());
    out.extend_from_slice(&IN.to_be_bytes());
    out
}

/// A reader over a whole message, so that compression pointers can reach back into it.
struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let bytes = self
            .msg
            .get(self.pos..self.pos + n)
            .ok_or(DecodeError::Truncated { at: self.pos })?;
        self.pos += n;
        Ok(bytes)
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A domain name (RFC 1035 §3.1, §4.1.4), lower case without the trailing dot; octets other
    /// than letters, digits, `-`, `_`, `*` and `/` are written `\DDD`.
    fn name(&mut self) -> Result<String, DecodeError> {
        let mut out = String::new();
        let mut at = self.pos;
        let mut resume = None;
        let (mut jumps, mut length) = (0, 0);
        loop {
            let len = *self.msg.get(at).ok_or(DecodeError::NameRunsPastEnd)?;
            match len & 0xC0 {
                0x00 if len == 0 => {
                    at += 1;
                    break;
                }
                0x00 => {
                    let label = self
                        .msg
                        .get(at + 1..at + 1 + len as usize)
                        .ok_or(DecodeError::LabelRunsPastEnd)?;
                    length += label.len() + 1;
                    if length > 255 {
                        return Err(DecodeError::NameTooLong);
                    }
                    if !out.is_empty() {
                        out.push('.');
                    }
                    for &b in label {
                        match b {
                            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'*' | b'/' => {
                                out.push(b as char)
                            }
                            b'A'..=b'Z' => out.push(b.to_ascii_lowercase() as char),
                            _ => {
                                out.push('\\');
                                for d in [b / 100, b / 10 % 10, b % 10] {
                                    out.push((b'0' + d) as char);
                                }
                            }
                        }
                    }
                    at += 1 + len as usize;
                }
                0xC0 => {
                    let low = *self
                        .msg
                        .get(at + 1)
                        .ok_or(DecodeError::PointerRunsPastEnd)?;
                    let target = usize::from(len & 0x3F) << 8 | usize::from(low);
                    jumps += 1;
                    if target >= at || jumps > MAX_JUMPS {
                        return Err(DecodeError::CompressionLoop);
                    }
                    resume.get_or_insert(at + 2);
                    at = target;
                }
                bits => return Err(DecodeError::ReservedLabelType(bits)),
            }
        }
        self.pos = resume.unwrap_or(at);
        Ok(out)
    }
}

/// One resource record, before the class filter.
struct WireRecord {
    name: String,
    rtype: RecordType,
    class: u16,
    ttl: u32,
    data: RData,
}

fn record(r: &mut Reader<'_>) -> Result<WireRecord, DecodeError> {
    let name = r.name()?;
    let rtype = RecordType::from_code(r.u16()?);
    let class = r.u16()?;
    let ttl = r.u32()?;
    let len = usize::from(r.u16()?);
    let end = r.pos + len;
    let bytes = r.msg.get(r.pos..end).ok_or(DecodeError::DataRunsPastEnd)?;
    let data = match rtype {
        RecordType::A => RData::A(Ipv4Addr::from(
            <[u8; 4]>::try_from(bytes).map_err(|_| DecodeError::AddressLength(rtype, 4))?,
        )),
        RecordType::Aaaa => RData::Aaaa(Ipv6Addr::from(
            <[u8; 16]>::try_from(bytes).map_err(|_| DecodeError::AddressLength(rtype, 16))?,
        )),
        RecordType::Ptr => RData::Ptr(r.name()?),
        RecordType::Cname => RData::Cname(r.name()?),
        RecordType::Ns => RData::Ns(r.name()?),
        RecordType::Mx => RData::Mx {
            preference: r.u16()?,
            exchange: r.name()?,
        },
        RecordType::Soa => RData::Soa(Soa {
            mname: r.name()?,
            rname: r.name()?,
            serial: r.u32()?,
            refresh: r.u32()?,
            retry: r.u32()?,
            expire: r.u32()?,
            minimum: r.u32()?,
        }),
        RecordType::Txt | RecordType::Spf => {
            let mut parts = Vec::new();
            let mut rest = bytes;
            while let Some((&n, tail)) = rest.split_first() {
                let part = tail
                    .get(..usize::from(n))
                    .ok_or(DecodeError::TxtRunsPastRecord)?;
                parts.push(String::from_utf8_lossy(part).into_owned());
                rest = &tail[usize::from(n)..];
            }
            r.pos = end;
            RData::Txt(parts)
        }
        other => {
            r.pos = end;
            RData::Other(format!("({other} data)"))
        }
    };
    if !matches!(rtype, RecordType::A | RecordType::Aaaa) && r.pos != end {
        return Err(DecodeError::Leftover(rtype));
    }
    r.pos = end;
    Ok(WireRecord {
        name,
        rtype,
        class,
        ttl,
        data,
    })
}

/// What the checks need of a message, read before anything is judged.
struct Message {
    id: u16,
    flags: u16,
    /// QDCOUNT, and the first question (name, type, class).
    questions: u16,
    question: Option<(String, u16, u16)>,
    answers: Vec<WireRecord>,
    authority: Vec<WireRecord>,
}

fn parse(bytes: &[u8]) -> Result<Message, DecodeError> {
    let mut r = Reader { msg: bytes, pos: 0 };
    let id = r.u16()?;
    let flags = r.u16()?;
    let (questions, an, ns) = (r.u16()?, r.u16()?, r.u16()?);
    r.take(2)?; // ARCOUNT: the additional section is not read.
    let mut message = Message {
        id,
        flags,
        questions,
        question: None,
        answers: Vec::new(),
        authority: Vec::new(),
    };
    for _ in 0..questions.min(8) {
        let q = (r.name()?, r.u16()?, r.u16()?);
        message.question.get_or_insert(q);
    }
    // A reply to one question has one; after more than a few the answers are not worth reading.
    if questions > 8 {
        return Ok(message);
    }
    for _ in 0..an.min(MAX_RECORDS) {
        message.answers.push(record(&mut r)?);
    }
    for _ in 0..ns.min(MAX_RECORDS) {
        message.authority.push(record(&mut r)?);
    }
    Ok(message)
}

fn in_class(records: Vec<WireRecord>) -> Vec<Record> {
    records
        .into_iter()
        .filter(|rr| rr.class == IN)
        .map(|rr| Record {
            name: rr.name,
            rtype: rr.rtype,
            ttl: rr.ttl,
            data: rr.data,
        })
        .collect()
}

/// Decodes the resolver's reply to `question`, checking that it is a response to that question
/// (id 0, same name, type and class) and not truncated.
pub fn decode_answer(question: &Question, bytes: &[u8]) -> Result<Answer, ResolveError> {
    if bytes.len() < 12 {
        return Err(ResolveError::NotDns(format!(
            "{} bytes is shorter than a DNS header (12 bytes)",
            bytes.len()
        )));
    }
    let message = parse(bytes).map_err(|e| {
        ResolveError::NotDns(format!(
            "{} bytes that do not parse as DNS ({e})",
            bytes.len()
        ))
    })?;
    if message.flags & QR == 0 {
        return Err(ResolveError::NotDns(
            "the message is a query, not a response".into(),
        ));
    }
    let asked = question.to_string();
    let (got_name, got_type, got_class) = match (message.questions, &message.question) {
        (1, Some(q)) => q,
        (0, _) => {
            return Err(ResolveError::WrongQuestion {
                asked,
                got: "no question".into(),
            });
        }
        (n, _) => {
            return Err(ResolveError::WrongQuestion {
                asked,
                got: format!("{n} questions"),
            });
        }
    };
    let got_type = RecordType::from_code(*got_type);
    if got_name != question.name.as_str() || got_type != question.rtype || *got_class != IN {
        return Err(ResolveError::WrongQuestion {
            asked,
            got: format!("{got_name} {got_type}"),
        });
    }
    if message.id != 0 {
        return Err(ResolveError::WrongQuestion {
            asked,
            got: format!("a reply with id {} (the query had id 0)", message.id),
        });
    }
    if message.flags & TC != 0 {
        return Err(ResolveError::Truncated);
    }
    Ok(Answer {
        rcode: Rcode::from_code(message.flags & 0x000F),
        authenticated: message.flags & AD != 0,
        records: in_class(message.answers),
        authority: in_class(message.authority),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendercheck_core::DomainName;
    use simple_dns::rdata::RData as WireData;
    use simple_dns::rdata::{A, CNAME, PTR};
    use simple_dns::ResourceRecord;
    use simple_dns::{Name, Packet, PacketFlag, CLASS, TYPE};

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

    /// A reply to `mine.example PTR` with one answer whose owner is a pointer to the question
    /// name, of the given type, class and data.
    fn raw_reply(rtype: u16, class: u16, rdata: &[u8]) -> Vec<u8> {
        let mut bytes = encode_query(&q("mine.example", RecordType::Ptr));
        bytes[2] |= 0x80;
        bytes[7] = 1;
        bytes.extend_from_slice(&[0xc0, 12]);
        bytes.extend_from_slice(&rtype.to_be_bytes());
        bytes.extend_from_slice(&class.to_be_bytes());
        bytes.extend_from_slice(&[0, 0, 1, 44]);
        bytes.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        bytes.extend_from_slice(rdata);
        bytes
    }

    fn decode(bytes: &[u8]) -> Result<Answer, ResolveError> {
        decode_answer(&q("mine.example", RecordType::Ptr), bytes)
    }

    #[test]
    fn hostile_names_are_refused() {
        // A pointer to itself, one pointing forward, and one with the reserved 0x40 bits.
        for rdata in [&[0xc0, 42][..], &[0xc0, 0x40], &[0x40, 1]] {
            let err = decode(&raw_reply(12, 1, rdata)).unwrap_err();
            assert!(matches!(err, ResolveError::NotDns(_)), "{err}");
        }
        let err = decode(&raw_reply(12, 1, &[0xc0, 42])).unwrap_err();
        assert!(err.to_string().contains("compression loop"), "{err}");
        // 200 labels of one octet: longer than 255 octets.
        let long: Vec<u8> = std::iter::repeat_n([1, b'a'], 200)
            .flatten()
            .chain([0])
            .collect();
        let err = decode(&raw_reply(12, 1, &long)).unwrap_err();
        assert!(err.to_string().contains("longer than 255 octets"), "{err}");
        // A name that ends before its data does.
        let err = decode(&raw_reply(12, 1, b"\x01a\x00junk")).unwrap_err();
        assert!(err.to_string().contains("do not fill its data"), "{err}");
        let err = decode(&raw_reply(1, 1, &[192, 0, 2])).unwrap_err();
        assert!(
            err.to_string().contains("an A record is not 4 octets"),
            "{err}"
        );
    }

    #[test]
    fn record_data_forms() {
        let a = decode(&raw_reply(12, 1, b"\x04M\xc3\xa9l\x07example\x00")).unwrap();
        assert_eq!(a.records[0].data, RData::Ptr("m\\195\\169l.example".into()));
        let a = decode(&raw_reply(16, 1, b"\x05v=spf\x031 a")).unwrap();
        assert_eq!(
            a.records[0].data,
            RData::Txt(vec!["v=spf".into(), "1 a".into()])
        );
        assert_eq!(a.records[0].data.txt().unwrap(), "v=spf1 a");
        assert_eq!(a.records[0].data.to_string(), "\"v=spf\" \"1 a\"");
        assert_eq!(a.records[0].ttl, 300);
        // Another class is left out, not an error.
        let a = decode(&raw_reply(1, 3, &[192, 0, 2, 1])).unwrap();
        assert!(a.records.is_empty());
        let a = decode(&raw_reply(99, 1, b"\x08v=spf1 a")).unwrap();
        assert_eq!(a.records[0].data, RData::Txt(vec!["v=spf1 a".into()]));
        let a = decode(&raw_reply(257, 1, &[1, 2, 3])).unwrap();
        assert_eq!(a.records[0].data, RData::Other("(TYPE257 data)".into()));
        // MX and SOA, with names compressed against the question.
        let a = decode(&raw_reply(15, 1, b"\x00\x0a\x02mx\xc0\x0c")).unwrap();
        assert_eq!(
            a.records[0].data,
            RData::Mx {
                preference: 10,
                exchange: "mx.mine.example".into()
            }
        );
        assert_eq!(a.records[0].data.to_string(), "10 mx.mine.example");
        let a = decode(&raw_reply(15, 1, b"\x00\x00\x00")).unwrap();
        assert_eq!(a.records[0].data.to_string(), "0 .", "RFC 7505 null MX");
        let mut soa = b"\x03ns1\xc0\x0c\x0ahostmaster\xc0\x0c".to_vec();
        for n in [2026_u32, 7200, 3600, 1_209_600, 300] {
            soa.extend_from_slice(&n.to_be_bytes());
        }
        let a = decode(&raw_reply(6, 1, &soa)).unwrap();
        assert_eq!(
            a.records[0].data.to_string(),
            "ns1.mine.example hostmaster.mine.example 2026 7200 3600 1209600 300"
        );
        let err = decode(&raw_reply(6, 1, &soa[..soa.len() - 1])).unwrap_err();
        assert!(err.to_string().contains("ends inside a field"), "{err}");
    }
}
