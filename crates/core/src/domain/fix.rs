//! Zone-file lines for the records the sending-domain findings ask to publish.

/// One TXT record in zone-file form, `owner. 3600 IN TXT "…"`, its text split into strings of at
/// most 255 octets (RFC 1035 §3.3.14; receivers join them, RFC 9989 §4.5, RFC 6376 §3.6.2.2).
///
/// ```
/// # use sendercheck_core::domain::fix::txt_record;
/// assert_eq!(
///     txt_record("_dmarc.example.com", "v=DMARC1; p=none"),
///     "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none\""
/// );
/// ```
pub fn txt_record(owner: &str, text: &str) -> String {
    let mut strings = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(255);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        strings.push(format!(
            "\"{}\"",
            head.replace('\\', "\\\\").replace('"', "\\\"")
        ));
        rest = tail;
    }
    if strings.is_empty() {
        strings.push("\"\"".into());
    }
    format!("{owner}. 3600 IN TXT {}", strings.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_split() {
        let key = "A".repeat(400);
        let line = txt_record("s._domainkey.example.com", &format!("v=DKIM1; p={key}"));
        let strings: Vec<&str> = line
            .split('"')
            .filter(|s| s.chars().all(|c| c != ' ') && !s.is_empty())
            .collect();
        assert_eq!(line.matches('"').count(), 4);
        assert!(strings.iter().all(|s| s.len() <= 255));
        assert_eq!(txt_record("x.example", ""), "x.example. 3600 IN TXT \"\"");
        assert_eq!(
            txt_record("x.example", "a\"b"),
            "x.example. 3600 IN TXT \"a\\\"b\""
        );
    }
}
