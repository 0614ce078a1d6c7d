//! The DKIM key record (RFC 6376 §3.6.1) and whether a verifier can use its key (RFC 8301,
//! RFC 8463).
//!
//! The record is a tag-list (RFC 6376 §3.2): tags are case-sensitive, a repeated tag makes the
//! whole list invalid, unknown tags are ignored. `p=` is base64 (white space allowed) of a DER
//! SubjectPublicKeyInfo for `k=rsa` (a bare RSAPublicKey is accepted too, as verifiers do), or of
//! the raw 32-byte public key for `k=ed25519` (RFC 8463 §4.2); an empty `p=` means the key is
//! revoked.

use base64::alphabet::STANDARD;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};

use super::der::{read_public_key, DerKey};
use crate::dns::shorten;

/// Base64 as DKIM writes it: the standard alphabet, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// RSA keys shorter than this are never valid (RFC 8301 §3.2).
pub const MIN_RSA_BITS: u32 = 1024;
/// RSA keys shorter than this get a warning: RFC 8301 §3.2 says signers SHOULD use at least 2048
/// bits, and Gmail recommends 2048.
pub const GOOD_RSA_BITS: u32 = 2048;

/// The key type (`k=`, RFC 6376 §3.6.1; `ed25519` from RFC 8463).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyType {
    /// RSA (the default).
    Rsa,
    /// Ed25519 (RFC 8463).
    Ed25519,
    /// Anything else, as written: verifiers cannot use it.
    Other(String),
}

impl KeyType {
    /// The type word (`rsa`, `ed25519`, or the value as written), as in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
            KeyType::Other(s) => s,
        }
    }
}

crate::serialize_as_str!(KeyType);

/// A parsed key record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// The record's text (its strings joined).
    pub text: String,
    /// `k=` (default `rsa`).
    pub key_type: KeyType,
    /// The key length in bits (the RSA modulus, or 256 for Ed25519), when the key could be read.
    pub bits: Option<u32>,
    /// `p=` is empty: the key is revoked.
    pub revoked: bool,
    /// `t=y`: the domain is testing DKIM (verifiers treat signed mail like unsigned mail).
    pub testing: bool,
    /// `t=s`: the `i=` domain must equal `d=`, no subdomain.
    pub strict: bool,
    /// Why verifiers cannot use the key (empty when they can).
    pub problems: Vec<String>,
    /// What works but deserves attention.
    pub warnings: Vec<String>,
    /// The `p=` value without white space, or a repaired one (a raw Ed25519 key taken out of a
    /// SubjectPublicKeyInfo), when the key itself is usable: for the record to publish instead.
    pub usable_p: Option<String>,
}

impl KeyRecord {
    /// True when a verifier can validate signatures with this key.
    pub fn usable(&self) -> bool {
        self.problems.is_empty() && !self.revoked && self.bits.is_some()
    }

    /// The record to publish instead, when the key itself is fine: only current tags, in the
    /// usual order.
    pub fn corrected(&self) -> Option<String> {
        let p = self.usable_p.as_ref()?;
        let k = match self.key_type {
            KeyType::Ed25519 => "ed25519",
            _ => "rsa",
        };
        let mut t = Vec::new();
        if self.testing {
            t.push("y");
        }
        if self.strict {
            t.push("s");
        }
        let t = if t.is_empty() {
            String::new()
        } else {
            format!(" t={};", t.join(":"))
        };
        Some(format!("v=DKIM1; k={k};{t} p={p}"))
    }
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace())
}

fn list(value: &str) -> Vec<&str> {
    value
        .split(':')
        .map(trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn base64_problem(err: &DecodeError, p: &str) -> String {
    match err {
        DecodeError::InvalidByte(at, byte) => {
            let c = char::from(*byte);
            let hint = match c {
                '-' | '_' => " (that is base64url; DKIM uses standard base64 with + and /)",
                '"' | '\\' => " (quotes of the zone file ended up inside the record)",
                _ => "",
            };
            format!(
                "`p=` is not valid base64: `{}` at position {} is not a base64 character{hint}",
                c.escape_default(),
                at + 1
            )
        }
        DecodeError::InvalidLength(_) | DecodeError::InvalidLastSymbol(..) => format!(
            "`p=` is not valid base64: its {} characters do not make whole bytes (the key was cut short?)",
            p.len()
        ),
        DecodeError::InvalidPadding => "`p=` is not valid base64: the `=` padding is wrong".into(),
    }
}

/// Parses a DKIM key record. `Err` says why the TXT record is not a DKIM key record at all (a
/// `v=` other than `DKIM1` first, or neither `v=` nor `p=`): verifiers skip such records.
pub fn parse_key_record(text: &str) -> Result<KeyRecord, String> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut tags: Vec<(&str, &str)> = Vec::new();
    for part in text.split(';').map(trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.split_once('=') else {
            problems.push(format!(
                "`{}` is not a tag: tags are written name=value (RFC 6376 §3.2)",
                shorten(part)
            ));
            continue;
        };
        let (name, value) = (trim(name), trim(value));
        let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid_name {
            problems.push(format!(
                "`{}` is not a tag name (RFC 6376 §3.2)",
                shorten(name)
            ));
            continue;
        }
        if tags.iter().any(|(n, _)| *n == name) {
            problems.push(format!(
                "`{name}` appears more than once, which makes the whole record invalid (RFC 6376 §3.2)"
            ));
            continue;
        }
        tags.push((name, value));
    }
    let get = |name: &str| tags.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    match tags.first() {
        Some(("v", "DKIM1")) => {}
        Some(("v", value)) => {
            return Err(if value.starts_with("spf1") {
                "it is an SPF record (`v=spf1`), probably caught by a wildcard TXT record".into()
            } else if value.starts_with("DKIM1") {
                format!(
                    "`v={}`: a `;` is missing after `v=DKIM1`, so verifiers read another version and discard the record (RFC 6376 §3.6.1)",
                    shorten(value)
                )
            } else {
                format!("`v={}` is not `v=DKIM1`", shorten(value))
            })
        }
        _ if get("p").is_none() && get("v").is_none() => {
            return Err(if tags.is_empty() && problems.is_empty() {
                "it is empty".into()
            } else {
                "it has no `p=` tag, so it is not a DKIM key record".into()
            });
        }
        _ => {
            if get("v").is_some() {
                problems.push("`v=DKIM1` must be the first tag (RFC 6376 §3.6.1)".into());
            }
        }
    }
    if let Some(upper) = tags
        .iter()
        .find(|(n, _)| n.len() == 1 && n.chars().all(|c| c.is_ascii_uppercase()))
    {
        warnings.push(format!(
            "`{}=`: tag names are case-sensitive (RFC 6376 §3.2), so verifiers ignore it; write `{}=`",
            upper.0,
            upper.0.to_ascii_lowercase()
        ));
    }
    if let Some(h) = get("h") {
        let algs = list(h);
        if !algs.contains(&"sha256") {
            problems.push(if algs.contains(&"sha1") {
                format!("`h={h}` allows only SHA-1, which RFC 8301 §3.1 forbids: no signature made with this key can pass")
            } else {
                format!("`h={}` names no hash algorithm verifiers accept (sha256)", shorten(h))
            });
        }
    }
    let key_type = match get("k").unwrap_or("rsa") {
        k if k.eq_ignore_ascii_case("rsa") => KeyType::Rsa,
        k if k.eq_ignore_ascii_case("ed25519") => KeyType::Ed25519,
        k => {
            problems.push(format!(
                "`k={}` is not a key type verifiers know (rsa, or ed25519 from RFC 8463)",
                shorten(k)
            ));
            KeyType::Other(k.to_string())
        }
    };
    if let Some(s) = get("s") {
        let services = list(s);
        if !services.contains(&"*") && !services.contains(&"email") {
            problems.push(format!(
                "`s={}` does not include email or *, so the key may not be used for mail (RFC 6376 §3.6.1)",
                shorten(s)
            ));
        }
    }
    let flags = get("t").map(list).unwrap_or_default();
    if get("g").is_some() {
        warnings.push(
            "`g=` is from RFC 4871 and was dropped by RFC 6376; current verifiers ignore it".into(),
        );
    }
    let mut record = KeyRecord {
        text: text.to_string(),
        key_type,
        bits: None,
        revoked: false,
        testing: flags.contains(&"y"),
        strict: flags.contains(&"s"),
        problems,
        warnings,
        usable_p: None,
    };
    match get("p") {
        None => record
            .problems
            .push("there is no `p=` tag; RFC 6376 §3.6.1 requires it".into()),
        Some(p) => {
            let p: String = p.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            if p.is_empty() {
                record.revoked = true;
            } else {
                match BASE64.decode(&p) {
                    Ok(bytes) => read_key(&mut record, &bytes, p),
                    Err(e) => record.problems.push(base64_problem(&e, &p)),
                }
            }
        }
    }
    Ok(record)
}

/// Reads the decoded key by its type; sets `bits` and `usable_p`, or notes why it is unusable.
fn read_key(record: &mut KeyRecord, bytes: &[u8], p: String) {
    match (&record.key_type, read_public_key(bytes)) {
        (KeyType::Rsa, Ok(DerKey::Rsa { bits })) => {
            record.bits = Some(bits);
            if bits < MIN_RSA_BITS {
                record.problems.push(format!(
                    "the RSA key has {bits} bits; verifiers MUST NOT accept signatures made with keys shorter than 1024 bits (RFC 8301 §3.2), and Gmail requires 1024 or more"
                ));
            } else {
                if bits < GOOD_RSA_BITS {
                    record.warnings.push(format!(
                        "the RSA key has {bits} bits: enough for Gmail, which requires 1024, but RFC 8301 §3.2 says signers SHOULD use 2048 and Gmail recommends 2048"
                    ));
                }
                record.usable_p = Some(p);
            }
        }
        (KeyType::Rsa, Ok(DerKey::Ed25519Spki)) => record.problems.push(
            "`p=` holds an Ed25519 key but the record says (or defaults to) k=rsa; publish it as k=ed25519 with the raw 32-byte key (RFC 8463 §4.2)".into(),
        ),
        (KeyType::Rsa, Err(why)) => record
            .problems
            .push(format!("`p=` is not an RSA public key: {why}")),
        (KeyType::Ed25519, _) if bytes.len() == 32 => {
            record.bits = Some(256);
            record.usable_p = Some(p);
        }
        (KeyType::Ed25519, Ok(DerKey::Ed25519Spki)) if bytes.len() == 44 => {
            let raw = BASE64.encode(&bytes[12..]);
            record.problems.push(format!(
                "`p=` is an Ed25519 key wrapped in a SubjectPublicKeyInfo (44 bytes); RFC 8463 §4.2 wants the raw 32-byte key, here p={raw}"
            ));
            record.usable_p = Some(raw);
        }
        (KeyType::Ed25519, Ok(DerKey::Rsa { .. })) => record.problems.push(
            "`p=` holds an RSA key but the record says k=ed25519; write k=rsa".into(),
        ),
        (KeyType::Ed25519, _) => record.problems.push(format!(
            "an Ed25519 key is 32 bytes (RFC 8463 §4.2); this `p=` holds {}",
            bytes.len()
        )),
        (KeyType::Other(_), _) => {}
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// RFC 8463 Appendix A.2's keys.
    pub(crate) const ED25519_KEY: &str =
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    pub(crate) const RSA_1024: &str =
        "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR\
        iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC\
        DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3\
        Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    pub(crate) fn rsa_record(bits: usize) -> String {
        let der = super::super::der::tests::rsa_spki(bits);
        format!("v=DKIM1; k=rsa; p={}", BASE64.encode(der))
    }

    #[test]
    fn rfc8463_keys() {
        let r = parse_key_record(ED25519_KEY).unwrap();
        assert_eq!((r.key_type.clone(), r.bits), (KeyType::Ed25519, Some(256)));
        assert!(r.usable(), "{:?}", r.problems);
        let r = parse_key_record(RSA_1024).unwrap();
        assert_eq!((r.key_type.clone(), r.bits), (KeyType::Rsa, Some(1024)));
        assert!(r.usable());
        assert!(r.warnings[0].starts_with("the RSA key has 1024 bits: enough for Gmail"));
    }

    #[test]
    fn key_sizes() {
        let r = parse_key_record(&rsa_record(2048)).unwrap();
        assert!(r.usable() && r.warnings.is_empty());
        let r = parse_key_record(&rsa_record(512)).unwrap();
        assert!(!r.usable());
        assert!(r.problems[0].starts_with("the RSA key has 512 bits; verifiers MUST NOT accept"));
    }

    #[test]
    fn defaults_whitespace_and_a_bare_rsa_public_key() {
        let spaced = RSA_1024
            .replace("v=DKIM1; k=rsa; ", "")
            .replace("QAB", "Q AB\t");
        let r = parse_key_record(&spaced).unwrap();
        assert_eq!((r.key_type.clone(), r.bits), (KeyType::Rsa, Some(1024)));
        // The RSAPublicKey inside RFC 8463's RSA key (the SPKI without its 22-byte header).
        let der = BASE64.decode(RSA_1024.split("p=").nth(1).unwrap()).unwrap();
        let bare = format!("p={}", BASE64.encode(&der[22..]));
        assert_eq!(parse_key_record(&bare).unwrap().bits, Some(1024));
    }

    #[test]
    fn revoked_testing_and_strict() {
        let r = parse_key_record("v=DKIM1; p=").unwrap();
        assert!(r.revoked && !r.usable());
        let r = parse_key_record(&format!("{ED25519_KEY}; t=y:s")).unwrap();
        assert!(r.testing && r.strict && r.usable());
    }

    #[test]
    fn unusable_records() {
        let p = |t: &str| parse_key_record(t).unwrap().problems;
        assert_eq!(
            p(&rsa_record(2048).replace("k=rsa", "k=rsa; h=sha1")),
            ["`h=sha1` allows only SHA-1, which RFC 8301 §3.1 forbids: no signature made with this key can pass"]
        );
        assert!(
            parse_key_record(&rsa_record(2048).replace("k=rsa", "h=sha1:sha256"))
                .unwrap()
                .usable()
        );
        assert_eq!(
            p("v=DKIM1; k=dsa; p=AAAA"),
            ["`k=dsa` is not a key type verifiers know (rsa, or ed25519 from RFC 8463)"]
        );
        assert_eq!(
            p(&format!("{ED25519_KEY}; s=web")),
            ["`s=web` does not include email or *, so the key may not be used for mail (RFC 6376 §3.6.1)"]
        );
        assert_eq!(
            p("v=DKIM1; p=MIGf-MA0G"),
            ["`p=` is not valid base64: `-` at position 5 is not a base64 character (that is base64url; DKIM uses standard base64 with + and /)"]
        );
        assert_eq!(
            p("v=DKIM1; k=ed25519; p=AAAA"),
            ["an Ed25519 key is 32 bytes (RFC 8463 §4.2); this `p=` holds 3"]
        );
        assert_eq!(
            p("v=DKIM1; k=rsa"),
            ["there is no `p=` tag; RFC 6376 §3.6.1 requires it"]
        );
        assert!(p(&format!("{ED25519_KEY}; k=rsa"))[0].contains("appears more than once"));
        assert_eq!(
            p("k=rsa; v=DKIM1; p=")[0],
            "`v=DKIM1` must be the first tag (RFC 6376 §3.6.1)"
        );
        assert!(
            p(&rsa_record(2048).replace("v=DKIM1; k=rsa", "v=DKIM1; k=ed25519"))[0]
                .contains("holds an RSA key")
        );
    }

    #[test]
    fn an_ed25519_key_in_a_wrapper_is_unwrapped_for_the_fix() {
        let raw = BASE64
            .decode("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
            .unwrap();
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend(raw);
        let r =
            parse_key_record(&format!("v=DKIM1; k=ed25519; p={}", BASE64.encode(&spki))).unwrap();
        assert!(
            r.problems[0].ends_with("here p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
            "{:?}",
            r.problems
        );
        assert_eq!(
            r.corrected().unwrap(),
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        );
    }

    #[test]
    fn not_key_records() {
        let why = |t: &str| parse_key_record(t).unwrap_err();
        assert!(why("v=spf1 include:_spf.example.com ~all").contains("SPF record"));
        assert_eq!(why("v=DMARC1; p=none"), "`v=DMARC1` is not `v=DKIM1`");
        assert!(why("v=DKIM1 k=rsa; p=AAAA").starts_with("`v=DKIM1 k=rsa`: a `;` is missing"));
        assert_eq!(
            why("google-site-verification=abc"),
            "it has no `p=` tag, so it is not a DKIM key record"
        );
        assert_eq!(why(""), "it is empty");
    }
}
