//! The sending domain a paste names: in message headers the From address (the DMARC domain), the
//! Return-Path (the MAIL FROM, RFC 5321 §4.4) and the DKIM signatures' selectors and domains
//! (`s=`, `d=`, RFC 6376 §3.5); in a configuration the domain the server puts on local senders
//! (Postfix `myorigin`, Exim `qualify_domain`). The domain check runs for it beside the identity
//! check.

use serde::Serialize;

use super::headers::Field;

/// The sending domain's identifiers found in a paste.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Sender {
    /// The From address (or, from a configuration, the domain).
    pub from: Option<String>,
    /// The Return-Path (MAIL FROM); empty for the null reverse-path `<>`.
    pub mail_from: Option<String>,
    /// Each DKIM-Signature's selector and signing domain, in order, without duplicates.
    pub dkim: Vec<DkimId>,
}

/// One DKIM signature's key name parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DkimId {
    /// `s=`.
    pub selector: String,
    /// `d=`.
    pub domain: String,
}

impl Sender {
    /// True when the paste names no sending domain.
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.mail_from.is_none() && self.dkim.is_empty()
    }
}

/// The address inside a header value: the part in angle brackets, else the value itself; `None`
/// when it holds no `@`.
fn address(value: &str) -> Option<String> {
    let v = value.trim();
    let inner = match (v.rfind('<'), v.rfind('>')) {
        (Some(open), Some(close)) if open < close => &v[open + 1..close],
        _ => v.split_whitespace().find(|w| w.contains('@')).unwrap_or(v),
    };
    let inner = inner.trim().trim_matches(['"', ',', ';']);
    (inner.contains('@') && inner.len() <= 320 && !inner.contains(char::is_whitespace))
        .then(|| inner.to_ascii_lowercase())
}

/// A DKIM-Signature's tag (RFC 6376 §3.2 tag-list: `tag=value;`, whitespace around both).
fn tag<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    value.split(';').find_map(|t| {
        let (k, v) = t.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim())
    })
}

/// What the header fields say of the sending domain.
pub(super) fn from_fields(fields: &[Field<'_>]) -> Sender {
    let mut s = Sender::default();
    for f in fields {
        let name = f.name;
        if name.eq_ignore_ascii_case("from") && s.from.is_none() {
            s.from = address(&f.value);
        } else if name.eq_ignore_ascii_case("return-path") && s.mail_from.is_none() {
            s.mail_from = if f.value.trim() == "<>" {
                Some(String::new())
            } else {
                address(&f.value)
            };
        } else if name.eq_ignore_ascii_case("dkim-signature") {
            if let (Some(sel), Some(dom)) = (tag(&f.value, "s"), tag(&f.value, "d")) {
                let id = DkimId {
                    selector: sel.to_ascii_lowercase(),
                    domain: dom.to_ascii_lowercase(),
                };
                if !s.dkim.contains(&id) && s.dkim.len() < 8 {
                    s.dkim.push(id);
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::headers::fields;

    #[test]
    fn headers_name_the_sending_domain() {
        let text = "Return-Path: <Bounce+123@Mail.Example.com>\n\
Received: from mail.example.com (mail.example.com [192.0.2.10]) by mx.example.net; Fri, 27 Nov 2026 10:00:00 +0000\n\
DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s2048;\n\th=from:to; bh=x; b=y\n\
DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=ed; bh=x; b=y\n\
From: \"Alice, Example\" <alice@example.com>\n";
        let s = from_fields(&fields(text));
        assert_eq!(s.from.as_deref(), Some("alice@example.com"));
        assert_eq!(s.mail_from.as_deref(), Some("bounce+123@mail.example.com"));
        assert_eq!(
            s.dkim,
            [
                DkimId {
                    selector: "s2048".into(),
                    domain: "example.com".into()
                },
                DkimId {
                    selector: "ed".into(),
                    domain: "example.com".into()
                }
            ]
        );
        let s = from_fields(&fields(
            "Return-Path: <>\nFrom: alice@example.org\nReceived: x\n",
        ));
        assert_eq!(s.mail_from.as_deref(), Some(""));
        assert_eq!(s.from.as_deref(), Some("alice@example.org"));
        assert!(from_fields(&fields("From: no address here\nReceived: x\n")).is_empty());
    }
}
