//! The DMARC policy record: every tag of RFC 9989 §4.7, checked against the grammar of §4.8.
//!
//! A TXT record is a DMARC policy record only when its first tag is `v=DMARC1` (case-sensitive
//! value); anything else is discarded whole ([`NotDmarc`]). In a record, RFC 9989 §4.8 says
//! "Syntax errors in the remainder of the record MUST be discarded in favor of default values (if
//! any) or ignored outright", so a bad tag value never rejects the record: the parser notes a
//! [`Problem`] naming the tag and the value, and uses the default. The one exception is the policy
//! (§4.10.1): with no valid `p`, or an invalid `sp` or `np`, the record counts as `p=none` when
//! `rua` holds a valid URI and is ignored otherwise ([`PolicyState`]).
//!
//! Tag names and keyword values are matched without regard to case (RFC 5234 §2.3: quoted ABNF
//! strings are case-insensitive); only `DMARC1` is case-sensitive (`%s"DMARC1"`).

use crate::dns::{shorten, DomainName};

/// A Domain Owner Assessment Policy: the value of `p`, `sp` or `np` (RFC 9989 §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Policy {
    /// No preference: monitoring only.
    None,
    /// Treat failing mail as suspicious (spam folder).
    Quarantine,
    /// Reject failing mail.
    Reject,
}

impl Policy {
    /// The policy word (`none`, `quarantine`, `reject`), as in the record and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    fn parse(value: &str) -> Option<Policy> {
        [Policy::None, Policy::Quarantine, Policy::Reject]
            .into_iter()
            .find(|p| value.eq_ignore_ascii_case(p.as_str()))
    }

    /// The policy a receiver applies when the record has `t=y`: one level lower (RFC 9989 §4.7,
    /// `t`): `reject` → `quarantine`, `quarantine` → `none`; `none` stays `none`.
    pub fn one_level_lower(self) -> Policy {
        match self {
            Policy::Reject => Policy::Quarantine,
            Policy::Quarantine | Policy::None => Policy::None,
        }
    }
}

/// An alignment mode: the value of `adkim` or `aspf` (RFC 9989 §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `r`: the same organizational domain is enough (the default).
    #[default]
    Relaxed,
    /// `s`: the domains must be identical.
    Strict,
}

impl Mode {
    /// The tag value (`r` or `s`), as in the record and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Relaxed => "r",
            Mode::Strict => "s",
        }
    }

    /// The word for people: `relaxed` or `strict`.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Relaxed => "relaxed",
            Mode::Strict => "strict",
        }
    }
}

/// The `psd` flag (RFC 9989 §4.7): is the domain a public suffix domain?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Psd {
    /// `y`: a public suffix domain (its operator publishes the record).
    Yes,
    /// `n`: not a PSD, and the organizational domain of itself and its subdomains.
    No,
    /// `u` (the default): let the tree walk decide.
    #[default]
    Unknown,
}

impl Psd {
    /// The tag value (`y`, `n`, `u`), as in the record and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Psd::Yes => "y",
            Psd::No => "n",
            Psd::Unknown => "u",
        }
    }
}

/// How much a problem in a record matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Worth knowing: ignored, obsolete or redundant text.
    Note,
    /// Receivers read the record differently than its author meant, or disagree among themselves.
    Warning,
    /// The value is invalid: receivers ignore it or the whole policy.
    Error,
}

impl Level {
    /// The level word (`note`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One thing wrong or worth saying about a record, naming the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The tag concerned, lower case (`p`, `rua`, …), or the text when it is no tag at all.
    pub tag: String,
    /// How much it matters.
    pub level: Level,
    /// One sentence naming the tag and the value.
    pub message: String,
}

/// A reporting URI of `rua` or `ruf` that is syntactically valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportUri {
    /// The URI as written, without an obsolete `!size` suffix.
    pub uri: String,
    /// For `mailto:`, the domain of the address: where the reports go.
    pub host: Option<DomainName>,
}

/// What the policy tags leave of the record (RFC 9989 §4.10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyState {
    /// `p` is valid, and so are `sp` and `np` where present.
    Valid,
    /// No valid `p`, or an invalid `sp` or `np`, but a valid `rua` URI: receivers "MUST act as if
    /// a record containing p=none was retrieved".
    TreatedAsNone,
    /// No valid `p` (or an invalid `sp`/`np`) and no valid `rua` URI: "the Mail Receiver applies
    /// no DMARC processing".
    Ignored,
}

impl PolicyState {
    /// The state word (`valid`, `treated-as-none`, `ignored`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyState::Valid => "valid",
            PolicyState::TreatedAsNone => "treated-as-none",
            PolicyState::Ignored => "ignored",
        }
    }
}

crate::serialize_as_str!(Policy, Mode, Psd, Level, PolicyState);

/// Which of a record's policies applies to a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The record is the domain's own: `p`.
    Itself,
    /// The record is its organizational domain's or PSD's, and the domain exists: `sp`, else `p`.
    Subdomain,
    /// As `Subdomain`, but the domain does not exist (NXDOMAIN): `np`, else `sp`, else `p`.
    NonexistentSubdomain,
}

/// A parsed DMARC policy record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmarcRecord {
    /// The record's text (its character-strings joined).
    pub text: String,
    /// `p`, when valid.
    pub p: Option<Policy>,
    /// `sp`, when present and valid.
    pub sp: Option<Policy>,
    /// `np`, when present and valid.
    pub np: Option<Policy>,
    /// `psd` (default `u`).
    pub psd: Psd,
    /// `t=y`: the owner is testing; receivers apply the policy one level lower.
    pub testing: bool,
    /// `adkim` (default relaxed).
    pub adkim: Mode,
    /// `aspf` (default relaxed).
    pub aspf: Mode,
    /// The valid URIs of `rua` (aggregate reports).
    pub rua: Vec<ReportUri>,
    /// The valid URIs of `ruf` (failure reports).
    pub ruf: Vec<ReportUri>,
    /// `fo`, as its letters (`0`, `1`, `d`, `s`; default `0`).
    pub fo: Vec<char>,
    /// The legacy `pct`, when present and a number from 0 to 100 (RFC 9989 removed it).
    pub pct: Option<u8>,
    /// What the policy tags leave of the record.
    pub state: PolicyState,
    /// Every problem, in the order of the tags.
    pub problems: Vec<Problem>,
}

impl DmarcRecord {
    /// The policy the record gives a domain in `relation` to it, or `None` when receivers apply no
    /// DMARC processing ([`PolicyState::Ignored`]). `t=y` is not applied here (see
    /// [`Policy::one_level_lower`]).
    pub fn policy_for(&self, relation: Relation) -> Option<Policy> {
        match self.state {
            PolicyState::Ignored => None,
            PolicyState::TreatedAsNone => Some(Policy::None),
            PolicyState::Valid => {
                let p = self.p?;
                Some(match relation {
                    Relation::Itself => p,
                    Relation::Subdomain => self.sp.unwrap_or(p),
                    Relation::NonexistentSubdomain => self.np.or(self.sp).unwrap_or(p),
                })
            }
        }
    }

    /// The most severe problem level, if any.
    pub fn worst(&self) -> Option<Level> {
        self.problems.iter().map(|p| p.level).max()
    }

    /// The record rewritten with only valid, current tags: what to publish instead. A missing or
    /// invalid policy becomes `p=none`; legacy and unknown tags are dropped.
    pub fn corrected(&self) -> String {
        let mut tags = vec![
            "v=DMARC1".to_string(),
            format!("p={}", self.p.unwrap_or(Policy::None).as_str()),
        ];
        if let Some(sp) = self.sp {
            tags.push(format!("sp={}", sp.as_str()));
        }
        if let Some(np) = self.np {
            tags.push(format!("np={}", np.as_str()));
        }
        if self.psd != Psd::Unknown {
            tags.push(format!("psd={}", self.psd.as_str()));
        }
        if self.testing {
            tags.push("t=y".into());
        }
        if self.adkim == Mode::Strict {
            tags.push("adkim=s".into());
        }
        if self.aspf == Mode::Strict {
            tags.push("aspf=s".into());
        }
        for (tag, uris) in [("rua", &self.rua), ("ruf", &self.ruf)] {
            if !uris.is_empty() {
                let list: Vec<&str> = uris.iter().map(|u| u.uri.as_str()).collect();
                tags.push(format!("{tag}={}", list.join(",")));
            }
        }
        if !self.ruf.is_empty() && self.fo != ['0'] {
            let fo: Vec<String> = self.fo.iter().map(char::to_string).collect();
            tags.push(format!("fo={}", fo.join(":")));
        }
        tags.join("; ")
    }
}

/// Why a TXT record is not a DMARC policy record, so receivers discard it (RFC 9989 §4.7 `v`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotDmarc(pub String);

/// RFC 5234 WSP, leniently: any ASCII white space.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// Splits `name=value` with the white space around `=` (RFC 9989 §4.8 `equals`).
fn tag(part: &str) -> Option<(&str, &str)> {
    let (name, value) = part.split_once('=')?;
    Some((trim(name), trim(value)))
}

/// Whether `text` starts with `v=DMARC1`, and if not, why.
pub fn check_version(text: &str) -> Result<(), NotDmarc> {
    let text = trim(text);
    if text.is_empty() {
        return Err(NotDmarc("the record is empty".into()));
    }
    if text.starts_with('"') || text.starts_with("\\\"") {
        return Err(NotDmarc(
            "its text starts with a quote character: the zone file quotes the record twice, so the quotes became part of it".into(),
        ));
    }
    let first = trim(text.split(';').next().unwrap_or_default());
    match tag(first) {
        Some((name, "DMARC1")) if name.eq_ignore_ascii_case("v") => Ok(()),
        Some((name, value)) if name.eq_ignore_ascii_case("v") => {
            if value.to_ascii_lowercase().starts_with("spf1") {
                Err(NotDmarc(
                    "it is an SPF record (`v=spf1`), probably caught by a wildcard TXT record"
                        .into(),
                ))
            } else if value.starts_with("DMARC1") {
                Err(NotDmarc(format!(
                    "`v={}`: a `;` is missing after `v=DMARC1`, so receivers read the version as `{}`",
                    shorten(value),
                    shorten(value)
                )))
            } else if value.eq_ignore_ascii_case("DMARC1") {
                Err(NotDmarc(format!(
                    "`v={value}`: the version is case-sensitive and must be `DMARC1`"
                )))
            } else {
                Err(NotDmarc(format!(
                    "`v={}` is not `v=DMARC1`",
                    shorten(value)
                )))
            }
        }
        _ => {
            let later = text.split(';').skip(1).any(|p| {
                tag(trim(p)).is_some_and(|(n, v)| n.eq_ignore_ascii_case("v") && v == "DMARC1")
            });
            if later {
                Err(NotDmarc(
                    "`v=DMARC1` is not the first tag, and RFC 9989 §4.7 requires it first".into(),
                ))
            } else {
                Err(NotDmarc("it does not start with `v=DMARC1`".into()))
            }
        }
    }
}

/// The tags RFC 9989 defines, and the legacy ones it removed; for typo suggestions.
const KNOWN: [&str; 14] = [
    "v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "rua", "ruf", "fo", "pct", "rf", "ri",
];

/// Parses a DMARC policy record (RFC 9989 §4.7–4.8); `Err` when the text is not one.
pub fn parse_record(text: &str) -> Result<DmarcRecord, NotDmarc> {
    check_version(text)?;
    let mut record = DmarcRecord {
        text: text.to_string(),
        p: None,
        sp: None,
        np: None,
        psd: Psd::Unknown,
        testing: false,
        adkim: Mode::Relaxed,
        aspf: Mode::Relaxed,
        rua: Vec::new(),
        ruf: Vec::new(),
        fo: vec!['0'],
        pct: None,
        state: PolicyState::Valid,
        problems: Vec::new(),
    };
    let mut parser = Parser {
        problems: Vec::new(),
        seen: Vec::new(),
        policy_tag_invalid: false,
    };
    let mut fo_seen = false;
    for part in trim(text).split(';').skip(1).map(trim) {
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = tag(part) else {
            parser.error(
                part,
                format!(
                    "`{}` is not a tag: tags are written name=value",
                    shorten(part)
                ),
            );
            continue;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
            parser.error(
                name,
                format!("`{}` is not a tag name (letters only)", shorten(name)),
            );
            continue;
        }
        let key = name.to_ascii_lowercase();
        if !parser.first_time(&key, name, value) {
            continue;
        }
        match key.as_str() {
            "v" => parser.error(
                "v",
                "`v` appears again; only the first tag may be `v`".into(),
            ),
            "p" => record.p = parser.policy("p", value),
            "sp" => record.sp = parser.policy("sp", value),
            "np" => record.np = parser.policy("np", value),
            "psd" => {
                record.psd = match value.to_ascii_lowercase().as_str() {
                    "y" => Psd::Yes,
                    "n" => Psd::No,
                    "u" => Psd::Unknown,
                    _ => {
                        parser.invalid("psd", value, "y, n or u; the default u applies");
                        Psd::Unknown
                    }
                }
            }
            "t" => {
                record.testing = match value.to_ascii_lowercase().as_str() {
                    "y" => true,
                    "n" => false,
                    _ => {
                        parser.invalid("t", value, "y or n; the default n applies");
                        false
                    }
                }
            }
            "adkim" => record.adkim = parser.mode("adkim", value),
            "aspf" => record.aspf = parser.mode("aspf", value),
            "rua" => record.rua = parser.uris("rua", value),
            "ruf" => record.ruf = parser.uris("ruf", value),
            "fo" => {
                fo_seen = true;
                record.fo = parser.fo(value);
            }
            "pct" => record.pct = parser.pct(value),
            "rf" | "ri" => parser.note(
                &key,
                format!(
                    "`{key}={}` was removed by RFC 9989 (Appendix C.5.2); receivers ignore it",
                    shorten(value)
                ),
            ),
            _ => {
                let hint = KNOWN
                    .iter()
                    .find(|k| one_edit_apart(k, &key))
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                parser.note(
                    &key,
                    format!(
                        "`{}` is not a DMARC tag, so receivers ignore it (RFC 9989 §4.7){hint}",
                        shorten(name)
                    ),
                );
            }
        }
    }
    if !parser.seen.iter().any(|k| k == "p") {
        parser.error(
            "p",
            "there is no `p` tag; RFC 9989 recommends one in every policy record".into(),
        );
    }
    if fo_seen && record.ruf.is_empty() {
        parser.note(
            "fo",
            "`fo` is ignored because the record has no valid `ruf` (RFC 9989 §4.7)".into(),
        );
    }
    record.state = if record.p.is_some() && !parser.policy_tag_invalid {
        PolicyState::Valid
    } else if !record.rua.is_empty() {
        PolicyState::TreatedAsNone
    } else {
        PolicyState::Ignored
    };
    record.problems = parser.problems;
    Ok(record)
}

struct Parser {
    problems: Vec<Problem>,
    seen: Vec<String>,
    /// A `p` that is not valid, or an `sp`/`np` present but not valid.
    policy_tag_invalid: bool,
}

impl Parser {
    fn push(&mut self, tag: &str, level: Level, message: String) {
        self.problems.push(Problem {
            tag: tag.to_ascii_lowercase(),
            level,
            message,
        });
    }
    fn error(&mut self, tag: &str, message: String) {
        self.push(tag, Level::Error, message);
    }
    fn note(&mut self, tag: &str, message: String) {
        self.push(tag, Level::Note, message);
    }

    /// `value` is not one of `allowed`.
    fn invalid(&mut self, tag: &str, value: &str, allowed: &str) {
        let message = if value.is_empty() {
            format!("`{tag}=` has no value; it takes {allowed}")
        } else {
            format!("`{tag}={}` is not {allowed}", shorten(value))
        };
        self.error(tag, message);
    }

    /// Records the tag; false when it was seen before (RFC 6376 §3.2 tag-list syntax, which
    /// RFC 9989 §4.7 adopts: a repeated tag makes the list invalid, and receivers disagree on which
    /// value wins). The first value is kept.
    fn first_time(&mut self, key: &str, name: &str, value: &str) -> bool {
        if self.seen.iter().any(|k| k == key) {
            self.error(
                key,
                format!(
                    "`{key}` appears more than once (again as `{key}={}`); DMARC uses DKIM's tag-list syntax, where a repeated tag makes the record invalid (RFC 6376 §3.2), and receivers disagree on which value wins",
                    shorten(value)
                ),
            );
            return false;
        }
        if name != key {
            self.note(
                key,
                format!("`{name}` is written in capitals; write `{key}`, as RFC 9989 registers it"),
            );
        }
        self.seen.push(key.to_string());
        true
    }

    fn policy(&mut self, tag: &str, value: &str) -> Option<Policy> {
        let policy = Policy::parse(value);
        if policy.is_none() {
            self.policy_tag_invalid = true;
            self.invalid(tag, value, "none, quarantine or reject");
        }
        policy
    }

    fn mode(&mut self, tag: &str, value: &str) -> Mode {
        match value.to_ascii_lowercase().as_str() {
            "r" => Mode::Relaxed,
            "s" => Mode::Strict,
            _ => {
                self.invalid(
                    tag,
                    value,
                    "r (relaxed) or s (strict); the default r applies",
                );
                Mode::Relaxed
            }
        }
    }

    fn fo(&mut self, value: &str) -> Vec<char> {
        let mut fo = Vec::new();
        for item in value.split(':').map(trim) {
            let c = match item.to_ascii_lowercase().as_str() {
                "0" => '0',
                "1" => '1',
                "d" => 'd',
                "s" => 's',
                _ => {
                    self.error(
                        "fo",
                        format!(
                            "`fo={}`: `{}` is not 0, 1, d or s; the default fo=0 applies",
                            shorten(value),
                            shorten(item)
                        ),
                    );
                    return vec!['0'];
                }
            };
            if fo.contains(&c) {
                self.error("fo", format!("`fo={}` names `{c}` twice", shorten(value)));
                return vec!['0'];
            }
            fo.push(c);
        }
        if fo.contains(&'0') && fo.contains(&'1') {
            self.error(
                "fo",
                format!(
                    "`fo={}`: 0 and 1 exclude each other; the default fo=0 applies",
                    shorten(value)
                ),
            );
            return vec!['0'];
        }
        fo
    }

    fn pct(&mut self, value: &str) -> Option<u8> {
        let pct = value.parse::<u8>().ok().filter(|n| *n <= 100);
        match pct {
            Some(100) => self.note(
                "pct",
                "`pct=100` was removed by RFC 9989 (Appendix A.6); it changes nothing, so drop it".into(),
            ),
            Some(n) => self.push(
                "pct",
                Level::Warning,
                format!(
                    "`pct={n}` was removed by RFC 9989 (Appendix A.6): receivers that follow RFC 9989 apply the policy to all failing mail, while older ones still apply it to {n} %; to test a policy, use `t=y`"
                ),
            ),
            None => self.note(
                "pct",
                format!(
                    "`pct={}` was removed by RFC 9989 (Appendix A.6), and is not a number from 0 to 100 either",
                    shorten(value)
                ),
            ),
        }
        pct
    }

    fn uris(&mut self, tag: &str, value: &str) -> Vec<ReportUri> {
        let mut out = Vec::new();
        if value.is_empty() {
            self.error(tag, format!("`{tag}=` lists no URI"));
            return out;
        }
        for raw in value.split(',').map(trim) {
            if raw.is_empty() {
                self.error(
                    tag,
                    format!(
                        "`{tag}` has an empty entry (two commas in a row, or a trailing comma)"
                    ),
                );
                continue;
            }
            let (uri, size) = split_size(raw);
            if uri.contains('!') {
                self.error(
                    tag,
                    format!(
                        "`{tag}`: `{}` contains `!`, which must be written %21 in a DMARC URI (RFC 9989 §4.8)",
                        shorten(uri)
                    ),
                );
                continue;
            }
            if let Some(size) = size {
                self.note(
                    tag,
                    format!(
                        "`{tag}`: the size limit `!{size}` after `{}` was removed by RFC 9989 (Appendix C.4); receivers ignore it",
                        shorten(uri)
                    ),
                );
            }
            match parse_uri(uri) {
                Ok(parsed) => {
                    if parsed.host.is_none() {
                        self.note(
                            tag,
                            format!(
                                "`{tag}`: `{}` is not a mailto: URI; receivers must support only mailto: (RFC 9989 §4.7), and most ignore other schemes",
                                shorten(uri)
                            ),
                        );
                    }
                    out.push(parsed);
                }
                Err(why) => self.error(tag, format!("`{tag}`: `{}` {why}", shorten(uri))),
            }
        }
        out
    }
}

/// Splits the obsolete `!size` suffix (`obs-dmarc-report-size = "!" 1*DIGIT ["k"/"m"/"g"/"t"]`).
fn split_size(raw: &str) -> (&str, Option<&str>) {
    if let Some((uri, size)) = raw.rsplit_once('!') {
        let digits = size.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && size.len() - digits.len() <= 1
        {
            return (trim(uri), Some(size));
        }
    }
    (raw, None)
}

/// Checks one reporting URI (RFC 3986 `scheme:rest`); for `mailto:` also the address.
fn parse_uri(uri: &str) -> Result<ReportUri, String> {
    if uri.contains(|c: char| c.is_ascii_whitespace()) {
        return Err("contains a space, which a URI may not".into());
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err(if uri.contains('@') {
            format!("is not a URI: write `mailto:{}`", shorten(uri))
        } else {
            "is not a URI: it has no scheme such as mailto:".into()
        });
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(if uri.contains('@') {
            format!("is not a URI: write `mailto:{}`", shorten(uri))
        } else {
            format!("is not a URI: `{}` is not a scheme", shorten(scheme))
        });
    }
    if rest.is_empty() {
        return Err("is a scheme with nothing after it".into());
    }
    if !scheme.eq_ignore_ascii_case("mailto") {
        return Ok(ReportUri {
            uri: uri.to_string(),
            host: None,
        });
    }
    let address = rest.split('?').next().unwrap_or_default();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("has no `@` and domain after mailto:".into());
    };
    if local.is_empty() {
        return Err("has nothing before the `@`".into());
    }
    let host = DomainName::parse(domain).map_err(|e| match e {
        crate::Error::InvalidName { reason, .. } => {
            format!(
                "has `{}` after the `@`, which is not a domain name: {reason}",
                shorten(domain)
            )
        }
        other => other.to_string(),
    })?;
    if host.label_count() < 2 {
        return Err(format!(
            "has `{host}` after the `@`, a single label, not a mail domain"
        ));
    }
    Ok(ReportUri {
        uri: uri.to_string(),
        host: Some(host),
    })
}

/// True when `a` and `b` differ by one inserted, deleted or replaced letter, or two neighbours
/// swapped: a likely typo.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DmarcRecord {
        parse_record(text).unwrap()
    }

    fn messages(r: &DmarcRecord) -> Vec<&str> {
        r.problems.iter().map(|p| p.message.as_str()).collect()
    }

    #[test]
    fn a_full_record() {
        let r = parse(
            "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; aspf=r; \
             rua=mailto:agg@example.com, mailto:x@thirdparty.example; ruf=mailto:f@example.com; fo=1:d:s;",
        );
        assert_eq!(r.p, Some(Policy::Reject));
        assert_eq!(r.sp, Some(Policy::Quarantine));
        assert_eq!(r.np, Some(Policy::Reject));
        assert_eq!(r.psd, Psd::No);
        assert!(r.testing);
        assert_eq!((r.adkim, r.aspf), (Mode::Strict, Mode::Relaxed));
        assert_eq!(r.rua.len(), 2);
        assert_eq!(
            r.rua[1].host.as_ref().unwrap().as_str(),
            "thirdparty.example"
        );
        assert_eq!(r.fo, vec!['1', 'd', 's']);
        assert_eq!(r.state, PolicyState::Valid);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn defaults() {
        let r = parse("v=DMARC1; p=none");
        assert_eq!(
            (r.sp, r.np, r.psd, r.testing),
            (None, None, Psd::Unknown, false)
        );
        assert_eq!((r.adkim, r.aspf), (Mode::Relaxed, Mode::Relaxed));
        assert_eq!(r.fo, vec!['0']);
        assert_eq!(r.policy_for(Relation::Subdomain), Some(Policy::None));
    }

    #[test]
    fn white_space_and_case() {
        let r = parse("v = DMARC1 ;P = Reject;  ADKIM=S ;");
        assert_eq!(r.p, Some(Policy::Reject));
        assert_eq!(r.adkim, Mode::Strict);
        assert!(messages(&r)[0].contains("write `p`"));
        assert_eq!(r.worst(), Some(Level::Note));
    }

    #[test]
    fn version_must_come_first_and_be_exact() {
        let why = |t: &str| parse_record(t).unwrap_err().0;
        assert_eq!(
            why("v=dmarc1; p=none"),
            "`v=dmarc1`: the version is case-sensitive and must be `DMARC1`"
        );
        assert_eq!(
            why("p=none; v=DMARC1"),
            "`v=DMARC1` is not the first tag, and RFC 9989 §4.7 requires it first"
        );
        assert_eq!(why("v=DMARC2; p=none"), "`v=DMARC2` is not `v=DMARC1`");
        assert_eq!(
            why("v=DMARC1 p=none"),
            "`v=DMARC1 p=none`: a `;` is missing after `v=DMARC1`, so receivers read the version as `DMARC1 p=none`"
        );
        assert!(why("v=spf1 -all").contains("SPF record"));
        assert!(why("\"v=DMARC1; p=none\"").contains("quote"));
        assert_eq!(why(""), "the record is empty");
        assert!(parse_record("v=DMARC1").is_ok());
        assert!(parse_record("v=DMARC1x; p=none").is_err());
    }

    #[test]
    fn policy_errors_name_tag_and_value() {
        let r = parse("v=DMARC1; p=rejected; rua=mailto:d@example.com");
        assert_eq!(
            messages(&r),
            vec!["`p=rejected` is not none, quarantine or reject"]
        );
        assert_eq!(r.state, PolicyState::TreatedAsNone);
        assert_eq!(r.policy_for(Relation::Itself), Some(Policy::None));

        let r = parse("v=DMARC1; p=rejected");
        assert_eq!(r.state, PolicyState::Ignored);
        assert_eq!(r.policy_for(Relation::Itself), None);

        // An invalid sp spoils a valid p (RFC 9989 §4.10.1).
        let r = parse("v=DMARC1; p=reject; sp=never");
        assert_eq!(r.state, PolicyState::Ignored);
        assert_eq!(
            messages(&r),
            vec!["`sp=never` is not none, quarantine or reject"]
        );

        let r = parse("v=DMARC1; p=");
        assert_eq!(
            messages(&r),
            vec!["`p=` has no value; it takes none, quarantine or reject"]
        );
    }

    /// RFC 9989 §4.7: "If this tag is not present in an otherwise syntactically valid DMARC Policy
    /// Record, then the record is treated as if it included p=none" — with a valid rua
    /// (§4.10.1); without one, no DMARC processing.
    #[test]
    fn missing_p() {
        let r = parse("v=DMARC1; rua=mailto:d@example.com");
        assert_eq!(r.p, None);
        assert_eq!(r.state, PolicyState::TreatedAsNone);
        assert!(messages(&r)[0].starts_with("there is no `p` tag"));
        assert_eq!(parse("v=DMARC1").state, PolicyState::Ignored);
        // A rua with no valid URI does not save it.
        assert_eq!(
            parse("v=DMARC1; rua=d@example.com").state,
            PolicyState::Ignored
        );
    }

    #[test]
    fn subdomain_policies_fall_back() {
        let r = parse("v=DMARC1; p=reject; sp=quarantine");
        assert_eq!(r.policy_for(Relation::Itself), Some(Policy::Reject));
        assert_eq!(r.policy_for(Relation::Subdomain), Some(Policy::Quarantine));
        assert_eq!(
            r.policy_for(Relation::NonexistentSubdomain),
            Some(Policy::Quarantine)
        );
        let r = parse("v=DMARC1; p=none; np=reject");
        assert_eq!(r.policy_for(Relation::Subdomain), Some(Policy::None));
        assert_eq!(
            r.policy_for(Relation::NonexistentSubdomain),
            Some(Policy::Reject)
        );
        assert_eq!(Policy::Reject.one_level_lower(), Policy::Quarantine);
        assert_eq!(Policy::Quarantine.one_level_lower(), Policy::None);
    }

    #[test]
    fn other_tags_fall_back_to_defaults() {
        let r = parse("v=DMARC1; p=none; adkim=relaxed; aspf=x; t=maybe; psd=yes; fo=2");
        assert_eq!(
            messages(&r),
            vec![
                "`adkim=relaxed` is not r (relaxed) or s (strict); the default r applies",
                "`aspf=x` is not r (relaxed) or s (strict); the default r applies",
                "`t=maybe` is not y or n; the default n applies",
                "`psd=yes` is not y, n or u; the default u applies",
                "`fo=2`: `2` is not 0, 1, d or s; the default fo=0 applies",
                "`fo` is ignored because the record has no valid `ruf` (RFC 9989 §4.7)",
            ]
        );
        assert_eq!(r.state, PolicyState::Valid);
        let r = parse("v=DMARC1; p=none; ruf=mailto:f@example.com; fo=0:1");
        assert_eq!(r.fo, vec!['0']);
        assert!(messages(&r)[0].contains("0 and 1 exclude each other"));
    }

    #[test]
    fn report_uris() {
        let r = parse(
            "v=DMARC1; p=none; rua=dmarc@example.com,mailto:ok@example.com!10m, ,mailto:@example.com,mailto:x@bad_domain..com,https://r.example/dmarc,mailto:a!b@example.com",
        );
        assert_eq!(
            messages(&r),
            vec![
                "`rua`: `dmarc@example.com` is not a URI: write `mailto:dmarc@example.com`",
                "`rua`: the size limit `!10m` after `mailto:ok@example.com` was removed by RFC 9989 (Appendix C.4); receivers ignore it",
                "`rua` has an empty entry (two commas in a row, or a trailing comma)",
                "`rua`: `mailto:@example.com` has nothing before the `@`",
                "`rua`: `mailto:x@bad_domain..com` has `bad_domain..com` after the `@`, which is not a domain name: it has an empty label (two dots in a row, or a leading dot)",
                "`rua`: `https://r.example/dmarc` is not a mailto: URI; receivers must support only mailto: (RFC 9989 §4.7), and most ignore other schemes",
                "`rua`: `mailto:a!b@example.com` contains `!`, which must be written %21 in a DMARC URI (RFC 9989 §4.8)",
            ]
        );
        let uris: Vec<&str> = r.rua.iter().map(|u| u.uri.as_str()).collect();
        assert_eq!(
            uris,
            vec!["mailto:ok@example.com", "https://r.example/dmarc"]
        );
        assert_eq!(
            parse("v=DMARC1; p=none; rua=").problems[0].message,
            "`rua=` lists no URI"
        );
        let r = parse("v=DMARC1; p=none; rua=MAILTO:D@Example.COM?subject=x");
        assert_eq!(r.rua[0].host.as_ref().unwrap().as_str(), "example.com");
    }

    #[test]
    fn legacy_unknown_and_duplicate_tags() {
        let r = parse("v=DMARC1; p=quarantine; pct=20; rf=afrf; ri=86400; aspv=r; bar=baz; p=none");
        let m = messages(&r);
        assert!(m[0].starts_with("`pct=20` was removed by RFC 9989 (Appendix A.6): receivers that follow RFC 9989 apply the policy to all failing mail"), "{m:?}");
        assert_eq!(r.problems[0].level, Level::Warning);
        assert_eq!(
            m[1],
            "`rf=afrf` was removed by RFC 9989 (Appendix C.5.2); receivers ignore it"
        );
        assert_eq!(m[3], "`aspv` is not a DMARC tag, so receivers ignore it (RFC 9989 §4.7); did you mean `aspf`?");
        assert_eq!(
            m[4],
            "`bar` is not a DMARC tag, so receivers ignore it (RFC 9989 §4.7)"
        );
        assert!(m[5].starts_with("`p` appears more than once (again as `p=none`)"));
        assert_eq!(r.p, Some(Policy::Quarantine), "the first value is kept");
        assert_eq!(r.pct, Some(20));
        assert_eq!(
            parse("v=DMARC1; p=none; pct=100").problems[0].level,
            Level::Note
        );
        assert!(parse("v=DMARC1; p=none; pct=150").problems[0]
            .message
            .contains("not a number"));
    }

    #[test]
    fn junk_between_tags() {
        let r = parse("v=DMARC1; p=none;; hello; 9x=1");
        assert_eq!(
            messages(&r),
            vec![
                "`hello` is not a tag: tags are written name=value",
                "`9x` is not a tag name (letters only)"
            ]
        );
    }

    #[test]
    fn corrected_record() {
        let r = parse("v=DMARC1; p=rejected; pct=50; rua=mailto:a@example.com!10m, bad; ruf=mailto:f@example.com; fo=1; adkim=s; foo=1");
        assert_eq!(
            r.corrected(),
            "v=DMARC1; p=none; adkim=s; rua=mailto:a@example.com; ruf=mailto:f@example.com; fo=1"
        );
    }

    #[test]
    fn typos() {
        assert!(one_edit_apart("aspf", "aspv"));
        assert!(one_edit_apart("adkim", "akdim"));
        assert!(one_edit_apart("rua", "ru"));
        assert!(one_edit_apart("rua", "ruax"));
        assert!(!one_edit_apart("rua", "rua"));
        assert!(!one_edit_apart("foo", "adkim"));
    }
}
