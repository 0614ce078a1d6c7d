//! A minimal DER reader (ITU-T X.690 §8.1, definite lengths only): just enough to find what key a
//! DKIM `p=` holds and how long an RSA modulus is. Every read is bounds-checked and returns `None`
//! or an error on bad input; it never panics, whatever the bytes.

/// DER tags used here.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;

/// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// id-Ed25519, 1.3.101.112 (RFC 8410 §3).
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Reads TLVs one after another from a byte slice.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// The next element's tag and contents.
    fn read(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, after_tag) = self.rest.split_first()?;
        let (&first, after_len) = after_tag.split_first()?;
        let (len, body) = if first < 0x80 {
            (usize::from(first), after_len)
        } else {
            let n = usize::from(first & 0x7f);
            // 0x80 is the indefinite form, which DER forbids; more than 4 octets is absurd here.
            if n == 0 || n > 4 {
                return None;
            }
            let digits = after_len.get(..n)?;
            let len = digits
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, after_len.get(n..)?)
        };
        let contents = body.get(..len)?;
        self.rest = body.get(len..)?;
        Some((tag, contents))
    }

    fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.read()? {
            (t, c) if t == tag => Some(c),
            _ => None,
        }
    }
}

/// What a DER public key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerKey {
    /// An RSA key (SubjectPublicKeyInfo or a bare RSAPublicKey) with a modulus of this many bits.
    Rsa {
        /// The modulus length in bits.
        bits: u32,
    },
    /// An Ed25519 key wrapped in a SubjectPublicKeyInfo (RFC 8410), not the raw 32 bytes.
    Ed25519Spki,
}

/// The number of significant bits of an unsigned big-endian integer's octets.
fn bit_length(int: &[u8]) -> u32 {
    let digits: &[u8] = match int.iter().position(|&b| b != 0) {
        Some(first) => &int[first..],
        None => return 0,
    };
    let whole = u32::try_from(digits.len() - 1).unwrap_or(u32::MAX / 8);
    whole
        .saturating_mul(8)
        .saturating_add(8 - digits[0].leading_zeros())
}

/// Reads RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).
fn rsa_public_key(der: &[u8]) -> Result<DerKey, String> {
    let seq = Reader::new(der)
        .expect(SEQUENCE)
        .ok_or("the RSA key is not a DER SEQUENCE")?;
    rsa_integers(seq)
}

fn rsa_integers(seq: &[u8]) -> Result<DerKey, String> {
    let mut r = Reader::new(seq);
    let modulus = r.expect(INTEGER).ok_or("the RSA key has no modulus")?;
    r.expect(INTEGER)
        .ok_or("the RSA key has no public exponent")?;
    let bits = bit_length(modulus);
    if bits == 0 {
        return Err("the RSA modulus is zero".into());
    }
    Ok(DerKey::Rsa { bits })
}

/// Dotted text of an OID's contents, for messages (`1.2.840.10045.2.1`).
fn oid_text(oid: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in oid.iter().take(32) {
        value = value.saturating_mul(128) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// What key `der` holds: a SubjectPublicKeyInfo (RFC 5280 §4.1.1.2) of rsaEncryption or
/// Ed25519, or a bare RSAPublicKey, which some publishers use and verifiers accept.
pub fn read_public_key(der: &[u8]) -> Result<DerKey, String> {
    let outer = Reader::new(der)
        .expect(SEQUENCE)
        .ok_or("it is not DER: it does not start with a SEQUENCE")?;
    let mut r = Reader::new(outer);
    match r.read() {
        Some((SEQUENCE, algorithm)) => {
            let oid = Reader::new(algorithm)
                .expect(OID)
                .ok_or("its algorithm identifier has no OID")?;
            let key = r
                .expect(BIT_STRING)
                .ok_or("it has no BIT STRING holding the key")?;
            if oid == ED25519 {
                return Ok(DerKey::Ed25519Spki);
            }
            if oid != RSA_ENCRYPTION {
                return Err(format!(
                    "its algorithm is {}, not rsaEncryption (1.2.840.113549.1.1.1)",
                    oid_text(oid)
                ));
            }
            match key.split_first() {
                Some((0, key)) => rsa_public_key(key),
                _ => Err("its BIT STRING is malformed".into()),
            }
        }
        Some((INTEGER, _)) => rsa_integers(outer),
        _ => Err("it is neither a SubjectPublicKeyInfo nor an RSAPublicKey".into()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = contents.len();
        if len < 0x80 {
            out.push(len as u8);
        } else if len < 0x100 {
            out.extend([0x81, len as u8]);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(contents);
        out
    }

    /// An RSA SubjectPublicKeyInfo with a modulus of `bits` bits.
    pub(crate) fn rsa_spki(bits: usize) -> Vec<u8> {
        let mut modulus = vec![0u8];
        modulus.push(0x80);
        modulus.extend(std::iter::repeat_n(0x5a, bits / 8 - 1));
        let key = tlv(
            SEQUENCE,
            &[tlv(INTEGER, &modulus), tlv(INTEGER, &[1, 0, 1])].concat(),
        );
        let alg = tlv(
            SEQUENCE,
            &[tlv(OID, RSA_ENCRYPTION), vec![0x05, 0x00]].concat(),
        );
        let bits_string = tlv(BIT_STRING, &[&[0u8][..], &key].concat());
        tlv(SEQUENCE, &[alg, bits_string].concat())
    }

    #[test]
    fn rsa_sizes() {
        for bits in [512, 1024, 2048, 4096] {
            assert_eq!(
                read_public_key(&rsa_spki(bits)),
                Ok(DerKey::Rsa { bits: bits as u32 })
            );
        }
    }

    #[test]
    fn bare_rsa_public_key() {
        let spki = rsa_spki(2048);
        // The RSAPublicKey inside the BIT STRING.
        let mut r = Reader::new(Reader::new(&spki).expect(SEQUENCE).unwrap());
        r.read().unwrap();
        let bit_string = r.expect(BIT_STRING).unwrap();
        assert_eq!(
            read_public_key(&bit_string[1..]),
            Ok(DerKey::Rsa { bits: 2048 })
        );
    }

    #[test]
    fn ed25519_and_other_algorithms() {
        let alg = tlv(SEQUENCE, &tlv(OID, ED25519));
        let spki = tlv(SEQUENCE, &[alg, tlv(BIT_STRING, &[0u8; 33])].concat());
        assert_eq!(spki.len(), 44);
        assert_eq!(read_public_key(&spki), Ok(DerKey::Ed25519Spki));
        // id-ecPublicKey, 1.2.840.10045.2.1
        let ec = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
        let spki = tlv(
            SEQUENCE,
            &[tlv(SEQUENCE, &tlv(OID, &ec)), tlv(BIT_STRING, &[0, 4])].concat(),
        );
        assert_eq!(
            read_public_key(&spki),
            Err(
                "its algorithm is 1.2.840.10045.2.1, not rsaEncryption (1.2.840.113549.1.1.1)"
                    .into()
            )
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read_public_key(&bytes);
            let _ = oid_text(&bytes);
        }

        /// Valid keys with one byte changed and cut anywhere: the lengths lie in every way.
        #[test]
        fn damaged_keys_never_panic(
            size in proptest::sample::select(vec![512usize, 1024, 2048]),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let mut der = rsa_spki(size);
            let i = at.index(der.len());
            der[i] = byte;
            let end = cut.index(der.len() + 1);
            if let Ok(DerKey::Rsa { bits }) = read_public_key(&der[..end]) {
                proptest::prop_assert!(bits as usize <= der.len() * 8);
            }
        }
    }

    #[test]
    fn truncated_and_junk() {
        let spki = rsa_spki(1024);
        for cut in 0..spki.len() {
            assert!(read_public_key(&spki[..cut]).is_err(), "{cut}");
        }
        assert!(read_public_key(b"hello").is_err());
        assert!(
            read_public_key(&[0x30, 0x80, 0, 0]).is_err(),
            "indefinite length"
        );
        assert!(
            read_public_key(&[0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err()
        );
        assert_eq!(bit_length(&[0, 0, 1]), 1);
        assert_eq!(bit_length(&[]), 0);
    }
}
