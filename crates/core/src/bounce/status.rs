//! What SMTP reply codes (RFC 5321 §4.2) and enhanced status codes (RFC 3463, RFC 5248's IANA
//! registry) mean, as data: `data/smtp-status.json`. A reply that matches no rule of the
//! knowledge base still gets its codes' meaning from here.

use std::sync::OnceLock;

use serde::Deserialize;

use super::Category;

const DATA: &str = include_str!("../../data/smtp-status.json");

#[derive(Debug, Deserialize)]
struct Entry {
    code: String,
    meaning: String,
    #[serde(default)]
    category: Option<Category>,
}

#[derive(Debug, Deserialize)]
struct Data {
    classes: Vec<Entry>,
    subjects: Vec<Entry>,
    codes: Vec<Entry>,
    replies: Vec<Entry>,
}

fn data() -> &'static Data {
    static PARSED: OnceLock<Data> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(DATA).unwrap_or(Data {
            classes: Vec::new(),
            subjects: Vec::new(),
            codes: Vec::new(),
            replies: Vec::new(),
        })
    })
}

/// An enhanced status code `class.subject.detail` (RFC 3463 §2), each part checked for range.
///
/// ```
/// use sendercheck_core::bounce::status::parse_status;
/// assert_eq!(parse_status("5.7.25"), Some((5, 7, 25)));
/// assert_eq!(parse_status("5.7.1."), None);
/// assert_eq!(parse_status("3.1.1"), None);
/// ```
pub fn parse_status(text: &str) -> Option<(u8, u16, u16)> {
    let mut parts = text.split('.');
    let class = parts.next()?;
    let subject = parts.next()?;
    let detail = parts.next()?;
    if parts.next().is_some()
        || class.len() != 1
        || !(1..=3).contains(&subject.len())
        || !(1..=3).contains(&detail.len())
    {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(class) && all_digits(subject) && all_digits(detail)) {
        return None;
    }
    let class: u8 = class.parse().ok()?;
    matches!(class, 2 | 4 | 5).then_some(())?;
    Some((class, subject.parse().ok()?, detail.parse().ok()?))
}

/// The registry's meaning of an enhanced status code and the category it suggests: the
/// detail's entry (`X.7.25`), else the subject's (`X.7.X`), else the class's.
pub fn status_meaning(status: &str) -> Option<(String, Option<Category>)> {
    let (class, subject, detail) = parse_status(status)?;
    let d = data();
    let key = format!("X.{subject}.{detail}");
    if let Some(e) = d.codes.iter().find(|e| e.code == key) {
        return Some((e.meaning.clone(), e.category));
    }
    let key = format!("X.{subject}.X");
    if let Some(e) = d.subjects.iter().find(|e| e.code == key) {
        return Some((e.meaning.clone(), None));
    }
    let key = format!("{class}.X.X");
    d.classes
        .iter()
        .find(|e| e.code == key)
        .map(|e| (e.meaning.clone(), None))
}

/// RFC 5321's meaning of a reply code and the category it suggests; any other code of the
/// 4xx/5xx classes gets its class's meaning.
pub fn reply_meaning(code: u16) -> Option<(String, Option<Category>)> {
    let text = code.to_string();
    if let Some(e) = data().replies.iter().find(|e| e.code == text) {
        return Some((e.meaning.clone(), e.category));
    }
    match code / 100 {
        4 => Some((
            "A temporary failure: the sending server keeps the message and retries.".into(),
            None,
        )),
        5 => Some((
            "A permanent failure: sending the same message again the same way will fail again."
                .into(),
            None,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_parses_and_is_complete() {
        let d: Data = serde_json::from_str(DATA).expect("data/smtp-status.json parses");
        assert_eq!(d.classes.len(), 3);
        assert_eq!(d.subjects.len(), 8);
        assert!(d.codes.len() >= 80, "{}", d.codes.len());
        assert!(d.replies.len() >= 15);
        for e in &d.codes {
            let (_, s, dd) = e
                .code
                .split_once('.')
                .and_then(|(x, r)| r.split_once('.').map(|(s, d)| (x, s, d)))
                .unwrap();
            assert!(
                s.parse::<u16>().is_ok() && dd.parse::<u16>().is_ok(),
                "{}",
                e.code
            );
            assert!(e.category.is_some(), "{} has no category", e.code);
            assert!(!e.meaning.is_empty());
        }
        let raw: serde_json::Value = serde_json::from_str(DATA).unwrap();
        assert_eq!(
            raw["source"],
            "https://www.iana.org/assignments/smtp-enhanced-status-codes/"
        );
        for r in raw["replies"].as_array().unwrap() {
            assert!(r["reference"].as_str().unwrap().starts_with("RFC "));
        }
    }

    #[test]
    fn meanings_fall_back_from_detail_to_subject_to_class() {
        let (m, c) = status_meaning("5.7.25").unwrap();
        assert!(m.starts_with("Reverse DNS validation failed"), "{m}");
        assert_eq!(c, Some(Category::Iprev));
        assert_eq!(
            status_meaning("4.7.999").unwrap().0,
            "Security or policy status (authentication, filtering, reputation)."
        );
        assert!(status_meaning("5.9.9")
            .unwrap()
            .0
            .starts_with("Permanent failure"));
        assert_eq!(status_meaning("junk"), None);
        assert!(
            reply_meaning(554).unwrap().0.contains("No SMTP service")
                || reply_meaning(554).unwrap().0.contains("no SMTP service")
        );
        assert!(reply_meaning(499)
            .unwrap()
            .0
            .starts_with("A temporary failure"));
        assert_eq!(reply_meaning(250), None);
    }
}
