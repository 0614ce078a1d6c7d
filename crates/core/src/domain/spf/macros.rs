//! RFC 7208 §7: macro strings, parsed once and expanded per check.
//!
//! ```text
//! domain-spec      = macro-string domain-end
//! domain-end       = ( "." toplabel [ "." ] ) / macro-expand
//! toplabel         = ( *alphanum ALPHA *alphanum ) /
//!                    ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
//! explain-string   = *( macro-string / SP )
//! macro-string     = *( macro-expand / macro-literal )
//! macro-expand     = ( "%{" macro-letter transformers *delimiter "}" )
//!                    / "%%" / "%_" / "%-"
//! macro-literal    = %x21-24 / %x26-7E   ; visible characters except "%"
//! macro-letter     = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
//! transformers     = *DIGIT [ "r" ]
//! delimiter        = "." / "-" / "+" / "," / "/" / "_" / "="
//! ```
//!
//! ABNF strings are case-insensitive, so `%{D2}` and `%{iR}` are macros too; an upper-case letter
//! asks for the value URL-escaped (§7.3). `c`, `r` and `t` are allowed only in explanation text
//! (§7.2). Expansion output is capped at [`MAX_EXPANSION`] bytes, so a huge sender address cannot
//! make a huge name.

use std::fmt;
use std::net::IpAddr;

use crate::dns::DomainName;

/// Most bytes one expansion produces; anything longer is cut (a name needs at most 253).
pub const MAX_EXPANSION: usize = 4096;

/// The delimiters of §7.1, in the order the ABNF lists them.
const DELIMITERS: &str = ".-+,/_=";

/// Where a macro string stands, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A `domain-spec` of a mechanism, `redirect=` or `exp=`: no `c`, `r`, `t`, no spaces.
    DomainSpec,
    /// The value of an unknown modifier: any macro letter (it is never expanded), no spaces.
    Modifier,
    /// The `explain-string` fetched by `exp=`: every letter, and spaces.
    Explanation,
}

/// One `%{…}` macro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Macro {
    /// The macro letter, lower case.
    pub letter: char,
    /// Written in upper case: URL-escape the value (§7.3).
    pub escape: bool,
    /// The DIGIT transformer: keep this many right-hand parts (never 0).
    pub keep: Option<usize>,
    /// The `r` transformer: reverse the parts.
    pub reverse: bool,
    /// The delimiters to split on (empty: `.`).
    pub delimiters: String,
}

/// A piece of a macro string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Literal(String),
    /// `%%`, `%_` or `%-`: the text it stands for (`%`, a space, `%20`).
    Escape(&'static str),
    /// A `%{…}` macro.
    Macro(Macro),
}

/// A parsed macro string, with its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroString {
    text: String,
    pieces: Vec<Piece>,
}

/// The values the macro letters stand for in one `check_host()` (§7.2).
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    /// `s`: the sender, `local@domain`.
    pub sender: &'a str,
    /// `l`: its local-part.
    pub local: &'a str,
    /// `o`: its domain.
    pub sender_domain: &'a str,
    /// `d`: the domain whose record is being evaluated.
    pub domain: &'a str,
    /// `i`, `c`, `v`: the client address (IPv4-mapped addresses already made IPv4).
    pub ip: IpAddr,
    /// `h`: the HELO/EHLO name, as given.
    pub helo: &'a str,
    /// `p`: the validated name of the address; `None` expands to `unknown`.
    pub ptr: Option<&'a str>,
    /// `r`: the name of the host performing the check.
    pub receiver: &'a str,
    /// `t`: the time of the check, in seconds since the epoch.
    pub timestamp: u64,
}

impl MacroString {
    /// Parses `text` as a macro string in `context` (§7.1).
    pub fn parse(text: &str, context: Context) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '%' => {
                    let escape = match chars.next() {
                        Some('%') => "%",
                        Some('_') => " ",
                        Some('-') => "%20",
                        Some('{') => {
                            flush(&mut literal, &mut pieces);
                            pieces.push(Piece::Macro(parse_macro(&mut chars, context)?));
                            continue;
                        }
                        Some(other) => {
                            return Err(format!(
                                "`%{}` is not a macro: `%` must be followed by `{{`, `%`, `_` or `-` (RFC 7208 §7.1)",
                                other.escape_default()
                            ))
                        }
                        None => {
                            return Err(
                                "it ends with a lone `%`; write `%%` for a percent sign (RFC 7208 §7.1)"
                                    .into(),
                            )
                        }
                    };
                    flush(&mut literal, &mut pieces);
                    pieces.push(Piece::Escape(escape));
                }
                ' ' if context == Context::Explanation => literal.push(c),
                '!'..='~' => literal.push(c),
                other => {
                    return Err(format!(
                        "it contains `{}`, which is not a visible ASCII character (RFC 7208 §7.1)",
                        other.escape_default()
                    ))
                }
            }
        }
        flush(&mut literal, &mut pieces);
        Ok(MacroString {
            text: text.to_string(),
            pieces,
        })
    }

    /// Parses a `domain-spec`: a non-empty macro string that ends in a macro or in `.` and a valid
    /// top label (§7.1).
    pub fn parse_domain_spec(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("the domain-spec is empty (RFC 7208 §7.1)".into());
        }
        let spec = Self::parse(text, Context::DomainSpec)?;
        spec.check_domain_end()?;
        Ok(spec)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when it uses `%{p}`, whose value needs DNS lookups (§7.3).
    pub fn needs_ptr(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Macro(m) if m.letter == 'p'))
    }

    /// `domain-end = ( "." toplabel [ "." ] ) / macro-expand`.
    fn check_domain_end(&self) -> Result<(), String> {
        let last = match self.pieces.last() {
            Some(Piece::Literal(text)) => text.as_str(),
            _ => return Ok(()),
        };
        let bare = last.strip_suffix('.').unwrap_or(last);
        let label_start = bare
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let label = &bare[label_start..];
        let dotted = bare[..label_start].ends_with('.');
        if !dotted {
            return Err(format!(
                "`{}` does not end in a dot and a top-level label such as `.com`, nor in a macro (RFC 7208 §7.1)",
                self.text
            ));
        }
        if !toplabel(label) {
            return Err(format!(
                "`{label}` is not a valid top-level label: it must be letters, digits and hyphens, not all digits, and not start or end with a hyphen (RFC 7208 §7.1)"
            ));
        }
        Ok(())
    }

    /// The expansion in `env` (§7.3), at most [`MAX_EXPANSION`] bytes.
    pub fn expand(&self, env: &Env<'_>) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => push_capped(&mut out, text),
                Piece::Escape(text) => push_capped(&mut out, text),
                Piece::Macro(m) => {
                    let value = transform(&value(m.letter, env), m);
                    if m.escape {
                        push_capped(&mut out, &url_escape(&value));
                    } else {
                        push_capped(&mut out, &value);
                    }
                }
            }
            if out.len() >= MAX_EXPANSION {
                break;
            }
        }
        out
    }
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn flush(literal: &mut String, pieces: &mut Vec<Piece>) {
    if !literal.is_empty() {
        pieces.push(Piece::Literal(std::mem::take(literal)));
    }
}

/// The body of `%{…}` after the brace: letter, transformers, delimiters, closing brace.
fn parse_macro(chars: &mut std::str::Chars<'_>, context: Context) -> Result<Macro, String> {
    let letter = chars
        .next()
        .ok_or("it ends inside a `%{` macro (RFC 7208 §7.1)")?;
    let lower = letter.to_ascii_lowercase();
    if !"slodiphcrtv".contains(lower) || !letter.is_ascii() {
        return Err(format!(
            "`%{{{}` names no macro: the letters are s, l, o, d, i, p, h, v, and c, r, t in explanations (RFC 7208 §7.2)",
            letter.escape_default()
        ));
    }
    if context == Context::DomainSpec && "crt".contains(lower) {
        return Err(format!(
            "`%{{{letter}}}` may only be used in explanation text, not in a domain name (RFC 7208 §7.2)"
        ));
    }
    let mut m = Macro {
        letter: lower,
        escape: letter.is_ascii_uppercase(),
        keep: None,
        reverse: false,
        delimiters: String::new(),
    };
    let mut next = chars.next();
    let mut digits = false;
    let mut keep: usize = 0;
    while let Some(d) = next.and_then(|c| c.to_digit(10)) {
        digits = true;
        keep = keep.saturating_mul(10).saturating_add(d as usize);
        next = chars.next();
    }
    if digits {
        if keep == 0 {
            return Err(format!(
                "the macro `%{{{letter}0…}}` keeps zero parts; the number must be nonzero (RFC 7208 §7.3)"
            ));
        }
        m.keep = Some(keep);
    }
    if matches!(next, Some('r' | 'R')) {
        m.reverse = true;
        next = chars.next();
    }
    while let Some(d) = next.filter(|c| DELIMITERS.contains(*c)) {
        m.delimiters.push(d);
        next = chars.next();
    }
    match next {
        Some('}') => Ok(m),
        Some(other) => Err(format!(
            "the macro `%{{{letter}…` has `{}` where its transformers, delimiters or `}}` belong (RFC 7208 §7.1)",
            other.escape_default()
        )),
        None => Err("it ends inside a `%{` macro (RFC 7208 §7.1)".into()),
    }
}

/// `toplabel`: letters, digits and hyphens; starts and ends with a letter or digit; not all digits.
fn toplabel(label: &str) -> bool {
    let bytes = label.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.iter().any(|b| b.is_ascii_alphabetic() || *b == b'-')
}

/// The value of a macro letter (§7.2).
fn value(letter: char, env: &Env<'_>) -> String {
    match letter {
        's' => env.sender.to_string(),
        'l' => env.local.to_string(),
        'o' => env.sender_domain.to_string(),
        'd' => env.domain.to_string(),
        'i' => dotted(env.ip),
        'p' => env.ptr.unwrap_or("unknown").to_string(),
        'v' => match env.ip {
            IpAddr::V4(_) => "in-addr".into(),
            IpAddr::V6(_) => "ip6".into(),
        },
        'h' => env.helo.to_string(),
        'c' => env.ip.to_string(),
        'r' => env.receiver.to_string(),
        't' => env.timestamp.to_string(),
        _ => String::new(),
    }
}

/// `%{i}`: dotted quad for IPv4; for IPv6, 32 dot-separated nibbles (RFC 3596 §2.8 order), in
/// upper case as the openspf test suite expects.
fn dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0xf] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push(char::from(b"0123456789ABCDEF"[usize::from(nibble)]));
                }
            }
            out
        }
    }
}

/// §7.3: split on the delimiters, reverse if asked, keep the right-hand parts, join with dots.
fn transform(value: &str, m: &Macro) -> String {
    if m.keep.is_none() && !m.reverse && m.delimiters.is_empty() {
        return value.to_string();
    }
    let delimiters = if m.delimiters.is_empty() {
        "."
    } else {
        m.delimiters.as_str()
    };
    let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
    if m.reverse {
        parts.reverse();
    }
    if let Some(keep) = m.keep {
        let drop = parts.len().saturating_sub(keep);
        parts.drain(..drop);
    }
    parts.join(".")
}

/// §7.3: every octet outside RFC 3986's `unreserved` as `%XX`.
fn url_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0xf)]));
        }
    }
    out
}

fn push_capped(out: &mut String, text: &str) {
    let room = MAX_EXPANSION.saturating_sub(out.len());
    if text.len() <= room {
        out.push_str(text);
    } else {
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&text[..cut]);
    }
}

/// §7.3: an expanded domain-spec as a name to ask about. A trailing dot is dropped; a name over
/// 253 characters loses labels on the left until it fits; what is left must be a DNS name.
pub fn target_name(expanded: &str) -> Result<DomainName, String> {
    let mut name = expanded.strip_suffix('.').unwrap_or(expanded);
    while name.len() > 253 {
        match name.find('.') {
            Some(i) => name = &name[i + 1..],
            None => break,
        }
    }
    DomainName::parse_any(name).map_err(|e| match e {
        crate::Error::InvalidName { reason, .. } => {
            format!(
                "`{}` is not a valid domain name: {reason}",
                shorten(expanded)
            )
        }
        other => other.to_string(),
    })
}

fn shorten(text: &str) -> String {
    crate::dns::shorten(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(ip: &str) -> Env<'static> {
        Env {
            sender: "strong-bad@email.example.com",
            local: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            helo: "mx.example.org",
            ptr: None,
            receiver: "receiver.example",
            timestamp: 1_700_000_000,
        }
    }

    fn expand(text: &str, ip: &str) -> String {
        MacroString::parse(text, Context::Explanation)
            .unwrap()
            .expand(&env(ip))
    }

    /// The examples of RFC 7208 §7.4.
    #[test]
    fn rfc_examples() {
        let v4 = "192.0.2.3";
        assert_eq!(expand("%{s}", v4), "strong-bad@email.example.com");
        assert_eq!(expand("%{o}", v4), "email.example.com");
        assert_eq!(expand("%{d}", v4), "email.example.com");
        assert_eq!(expand("%{d4}", v4), "email.example.com");
        assert_eq!(expand("%{d3}", v4), "email.example.com");
        assert_eq!(expand("%{d2}", v4), "example.com");
        assert_eq!(expand("%{d1}", v4), "com");
        assert_eq!(expand("%{dr}", v4), "com.example.email");
        assert_eq!(expand("%{d2r}", v4), "example.email");
        assert_eq!(expand("%{l}", v4), "strong-bad");
        assert_eq!(expand("%{l-}", v4), "strong.bad");
        assert_eq!(expand("%{lr}", v4), "strong-bad");
        assert_eq!(expand("%{lr-}", v4), "bad.strong");
        assert_eq!(expand("%{l1r-}", v4), "strong");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", v4),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp._spf.%{d2}", v4),
            "bad.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", v4),
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", v4),
            "3.2.0.192.in-addr.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{d2}.trusted-domains.example.net", v4),
            "example.com.trusted-domains.example.net"
        );
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"),
            "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    #[test]
    fn escapes_and_upper_case() {
        let v4 = "192.0.2.3";
        assert_eq!(expand("a%%b%_c%-d", v4), "a%b c%20d");
        assert_eq!(expand("%{S}", v4), "strong-bad%40email.example.com");
        assert_eq!(
            expand("%{c} %{r} %{t} %{p} %{h}", v4),
            "192.0.2.3 receiver.example 1700000000 unknown mx.example.org"
        );
        assert_eq!(expand("%{c}", "2001:DB8::1"), "2001:db8::1");
        assert_eq!(expand("%{d99999999999999999999}", v4), "email.example.com");
        assert_eq!(expand("%{DR}", v4), "com.example.email");
    }

    #[test]
    fn syntax_errors() {
        let ds = |t: &str| MacroString::parse_domain_spec(t).map(|_| ());
        assert!(ds("%{d}.example.com").is_ok());
        assert!(ds("%{d}").is_ok());
        assert!(ds("foo%%").is_ok());
        assert!(ds("foo.example.xn--zckzah").is_ok());
        assert!(ds("mail.example...com").is_ok());
        assert!(ds("foo:bar/baz.example.com").is_ok());
        for bad in [
            "",
            "foo-bar",
            "museum",
            "museum.",
            "111.222.33.44",
            "abc.123",
            "example.-com",
            "example.com:8080",
            "%(ir).sbl.example.com",
            "foo%.sbl.example.com",
            "%{a}.example.com",
            "%{r}.example.com",
            "%{d0}.example.com",
            "%{d",
            "%{d2x}.example.com",
            "a\0.com",
            "a b.com",
            "ex.ample.com%",
        ] {
            assert!(ds(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ds("%{x}.example.com").unwrap_err(),
            "`%{x` names no macro: the letters are s, l, o, d, i, p, h, v, and c, r, t in explanations (RFC 7208 §7.2)"
        );
        assert!(MacroString::parse("The %{c} x", Context::Explanation).is_ok());
        assert!(MacroString::parse("The %{c} x", Context::Modifier).is_err());
        assert!(MacroString::parse("%{c}", Context::Modifier).is_ok());
        assert!(MacroString::parse("é", Context::Explanation).is_err());
    }

    #[test]
    fn target_names() {
        let long = format!(
            "foobar.{}example.com",
            "somewhat.long.exp.example.com.".repeat(8)
        );
        assert_eq!(
            target_name(&long).unwrap().as_str(),
            &long["foobar.".len()..]
        );
        assert_eq!(target_name("a.example.").unwrap().as_str(), "a.example");
        assert!(target_name("a..example").is_err());
        assert!(target_name(&format!("{}.bar", "x".repeat(66))).is_err());
    }

    #[test]
    fn expansion_is_capped() {
        let big = "x".repeat(10_000);
        let mut e = env("192.0.2.1");
        e.local = &big;
        let ms = MacroString::parse("%{l}%{l}%{L}", Context::DomainSpec).unwrap();
        assert_eq!(ms.expand(&e).len(), MAX_EXPANSION);
    }
}
