//! The receiver's own verdicts: `Authentication-Results` (RFC 8601 §2.2) and `Received-SPF`
//! (RFC 7208 §9.1).
//!
//! ```text
//! Authentication-Results: mx.google.com; iprev=pass policy.iprev=192.0.2.10;
//!     spf=pass (google.com: domain of a@example.com designates 192.0.2.10 as permitted sender) smtp.mailfrom=a@example.com;
//!     dkim=pass header.i=@example.com; dmarc=pass (p=REJECT) header.from=example.com
//! Received-SPF: pass (google.com: …) client-ip=192.0.2.10; envelope-from=a@example.com; helo=mail.example.com;
//! ```
//!
//! Microsoft 365 leaves out the authserv-id (`Authentication-Results: spf=pass (sender IP is …) …`);
//! a first part that holds `=` is read as a result, not as an id.

use std::net::IpAddr;

use super::headers::Field;
use super::text::host_name;

/// One method's result, e.g. `spf=pass … smtp.mailfrom=a@example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    /// The method, lower case: `iprev`, `spf`, `dkim`, `dmarc`, `arc`, …
    pub method: String,
    /// The result, lower case: `pass`, `fail`, `softfail`, `none`, …
    pub result: String,
    /// The first comment, when there is one.
    pub comment: Option<String>,
    /// `ptype.property=value` (and `reason=`, and Received-SPF's `key=value`) pairs, in order.
    pub props: Vec<(String, String)>,
}

impl MethodResult {
    /// The value of a property, e.g. `smtp.helo` or `client-ip` (case-insensitive key).
    pub fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The address the result is about, when it says, and where it says so: `policy.iprev`,
    /// Received-SPF's `client-ip`, or the SPF comment of Gmail (`designates IP as permitted
    /// sender`) and Microsoft (`sender IP is IP`).
    pub(crate) fn named_ip(&self) -> Option<(IpAddr, &'static str)> {
        let said = self
            .prop("policy.iprev")
            .map(|v| (v, "Authentication-Results iprev"))
            .or_else(|| {
                self.prop("client-ip")
                    .map(|v| (v, "Received-SPF client-ip"))
            })
            .or_else(|| {
                let c = self.comment.as_deref().filter(|_| self.method == "spf")?;
                let after = c
                    .split_once(" designates ")
                    .or_else(|| c.split_once("sender IP is "))?
                    .1;
                Some((after.split_whitespace().next()?, "SPF result"))
            })?;
        super::text::plain_ip(said.0).map(|ip| (ip, said.1))
    }
}

/// One Authentication-Results or Received-SPF header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    /// `Authentication-Results` or `Received-SPF`.
    pub header: &'static str,
    /// Who wrote it (RFC 8601's authserv-id), when it says.
    pub authserv_id: Option<String>,
    /// Its results.
    pub results: Vec<MethodResult>,
    /// The header's position among all headers of the paste (0 = first).
    pub position: usize,
}

impl AuthHeader {
    /// The first result of a method.
    pub fn get(&self, method: &str) -> Option<&MethodResult> {
        self.results.iter().find(|r| r.method == method)
    }
}

/// At most this many results are kept per header.
const MAX_RESULTS: usize = 32;

pub(super) fn parse(field: &Field<'_>) -> Option<AuthHeader> {
    let name = field.name;
    if name.eq_ignore_ascii_case("authentication-results") {
        Some(authentication_results(&field.value, field.position))
    } else if name.eq_ignore_ascii_case("received-spf") {
        Some(received_spf(&field.value, field.position))
    } else {
        None
    }
}

fn authentication_results(value: &str, position: usize) -> AuthHeader {
    let mut parts = split_top(value, b';').into_iter();
    let mut header = AuthHeader {
        header: "Authentication-Results",
        authserv_id: None,
        results: Vec::new(),
        position,
    };
    let mut first = parts.next();
    if let Some(f) = first.filter(|f| !f.contains('=')) {
        let (words, _) = words_and_comments(f);
        header.authserv_id = words.first().map(|w| host_name(w));
        first = None;
    }
    for part in first.into_iter().chain(parts) {
        if header.results.len() == MAX_RESULTS {
            break;
        }
        let (words, comments) = words_and_comments(part);
        let Some((method, result)) = words.first().and_then(|w| w.split_once('=')) else {
            continue;
        };
        let method = method.split('/').next().unwrap_or(method);
        header.results.push(MethodResult {
            method: method.to_ascii_lowercase(),
            result: result.to_ascii_lowercase(),
            comment: comments.first().map(|c| c.to_string()),
            props: words[1..].iter().filter_map(|w| pair(w)).collect(),
        });
    }
    header
}

fn received_spf(value: &str, position: usize) -> AuthHeader {
    let (words, comments) = words_and_comments(value);
    let result = words
        .first()
        .map(|w| w.trim_end_matches(';').to_ascii_lowercase());
    let props = words
        .iter()
        .skip(1)
        .flat_map(|w| w.split(';'))
        .filter_map(pair)
        .collect();
    AuthHeader {
        header: "Received-SPF",
        authserv_id: None,
        results: result
            .map(|result| MethodResult {
                method: "spf".into(),
                result,
                comment: comments.first().map(|c| c.to_string()),
                props,
            })
            .into_iter()
            .collect(),
        position,
    }
}

fn pair(word: &str) -> Option<(String, String)> {
    let (k, v) = word.split_once('=')?;
    let v = v.trim_end_matches(';').trim_matches('"');
    (!k.is_empty()).then(|| (k.to_ascii_lowercase(), v.to_string()))
}

/// Splits on `sep` outside comments and quoted strings. Linear.
fn split_top(s: &str, sep: u8) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'"' if depth == 0 => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth = depth.saturating_sub(1),
            _ if b == sep && depth == 0 && !quoted => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|p| !p.is_empty());
    out
}

/// The words outside comments (quoted strings kept whole) and the top-level comments' texts.
fn words_and_comments(s: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut words, mut comments) = (Vec::new(), Vec::new());
    let (mut depth, mut quoted) = (0usize, false);
    let (mut word_start, mut comment_start) = (None, 0);
    for (i, b) in s.bytes().enumerate() {
        if depth > 0 {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        comments.push(s[comment_start..i].trim());
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                quoted = !quoted;
                word_start.get_or_insert(i);
            }
            b'(' | b' ' | b'\t' if !quoted => {
                if let Some(st) = word_start.take() {
                    words.push(&s[st..i]);
                }
                if b == b'(' {
                    depth = 1;
                    comment_start = i + 1;
                }
            }
            _ => {
                word_start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = word_start {
        words.push(&s[st..]);
    }
    if depth > 0 {
        comments.push(s[comment_start..].trim());
    }
    (words, comments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &'static str, value: &str) -> AuthHeader {
        parse(&Field {
            position: 3,
            name,
            value: value.into(),
        })
        .unwrap()
    }

    #[test]
    fn authentication_results_of_gmail() {
        let a = field("Authentication-Results", "mx.google.com;       dkim=pass header.i=@example.com header.s=s1 header.b=AbC;       spf=pass (google.com: domain of alice@example.com designates 192.0.2.10 as permitted sender) smtp.mailfrom=alice@example.com;       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com");
        assert_eq!(a.authserv_id.as_deref(), Some("mx.google.com"));
        let methods: Vec<_> = a
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]
        );
        let spf = a.get("spf").unwrap();
        assert_eq!(spf.prop("smtp.mailfrom"), Some("alice@example.com"));
        assert!(spf
            .comment
            .as_deref()
            .unwrap()
            .contains("designates 192.0.2.10"));
    }

    #[test]
    fn authentication_results_without_authserv_id() {
        let a = field("Authentication-Results", "spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=example.com; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=example.com;compauth=pass reason=100");
        assert_eq!(a.authserv_id, None);
        assert_eq!(a.results.len(), 4);
        assert_eq!(a.get("compauth").unwrap().prop("reason"), Some("100"));
    }

    #[test]
    fn iprev_and_quoted_values() {
        let a = field("Authentication-Results", "mx.example.net; iprev=fail policy.iprev=192.0.2.10 (mail.example.com); spf=none reason=\"no; record\" smtp.helo=mail.example.com");
        let iprev = a.get("iprev").unwrap();
        assert_eq!(
            (iprev.result.as_str(), iprev.prop("policy.iprev")),
            ("fail", Some("192.0.2.10"))
        );
        assert_eq!(
            a.get("spf").unwrap().prop("smtp.helo"),
            Some("mail.example.com")
        );
        assert_eq!(a.get("spf").unwrap().prop("reason"), Some("no; record"));
    }

    #[test]
    fn received_spf() {
        let a = field("Received-SPF", "softfail (mx.example.net: domain of transitioning a@example.com does not designate 192.0.2.10 as permitted sender) client-ip=192.0.2.10; envelope-from=\"a@example.com\"; helo=mail.example.com;");
        let spf = a.get("spf").unwrap();
        assert_eq!(spf.result, "softfail");
        assert_eq!(spf.prop("client-ip"), Some("192.0.2.10"));
        assert_eq!(spf.prop("envelope-from"), Some("a@example.com"));
        assert_eq!(spf.prop("helo"), Some("mail.example.com"));
    }
}
