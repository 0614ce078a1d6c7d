//! No input from the network can panic the decoder: arbitrary bytes, and real replies with bytes
//! flipped, cut short or extended.

use proptest::prelude::*;
use sendercheck_core::dns::{DomainName, Question, RecordType};
use sendercheck_doh::{decode_answer, encode_query};

fn question() -> Question {
    Question::new(
        DomainName::parse("10.2.0.192.in-addr.arpa").unwrap(),
        RecordType::Ptr,
    )
}

/// A real reply: the query turned into a response with one PTR answer using name compression.
fn reply() -> Vec<u8> {
    let mut bytes = encode_query(&question());
    bytes[2] |= 0x80; // QR
    bytes[7] = 1; // ANCOUNT
    bytes.extend_from_slice(&[0xc0, 12, 0, 12, 0, 1, 0, 0, 1, 44]);
    let target = b"\x04mail\x0bsendercheck\x04test\x00";
    bytes.extend_from_slice(&(target.len() as u16).to_be_bytes());
    bytes.extend_from_slice(target);
    bytes
}

#[test]
fn the_seed_reply_decodes() {
    let a = decode_answer(&question(), &reply()).unwrap();
    assert_eq!(a.records[0].data.to_string(), "mail.sendercheck.test");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode_answer(&question(), &bytes);
    }

    #[test]
    fn mutated_replies(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>(), tail in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut bytes = reply();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = decode_answer(&question(), &bytes);
        let keep = cut.index(bytes.len());
        let _ = decode_answer(&question(), &bytes[..keep]);
        bytes.extend_from_slice(&tail);
        let _ = decode_answer(&question(), &bytes);
    }
}
