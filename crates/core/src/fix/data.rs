//! The data files' block format and their name patterns (both described in `data/README.md`).
//!
//! The files are compiled in with `include_str!`, so entries borrow `&'static str` from them and
//! reading one costs no allocation beyond the lists. A malformed line is skipped, never a panic;
//! the tests below hold every file to the format.

/// One `[id]` block: its id and its `key = value` lines in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: &'static str,
    fields: Vec<(&'static str, &'static str)>,
}

impl Entry {
    /// The first value of `key`, if it is present and not empty.
    pub(crate) fn get(&self, key: &str) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|(k, v)| *k == key && !v.is_empty())
            .map(|(_, v)| *v)
    }

    /// Every value of `key`, in order (`source`, `setting`).
    pub(crate) fn all(&self, key: &str) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|(k, v)| *k == key && !v.is_empty())
            .map(|(_, v)| *v)
            .collect()
    }

    /// The whitespace-separated words of every value of `key` (pattern and sample lists).
    pub(crate) fn words(&self, key: &str) -> Vec<&'static str> {
        self.all(key)
            .into_iter()
            .flat_map(str::split_whitespace)
            .collect()
    }

    /// The keys present, in order (for the format tests).
    #[cfg(test)]
    pub(crate) fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|(k, _)| *k).collect()
    }
}

/// Reads a data file: `[id]` starts an entry, `key = value` adds to it, `#` lines are comments.
pub(crate) fn parse(text: &'static str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            entries.push(Entry {
                id: id.trim(),
                fields: Vec::new(),
            });
        } else if let (Some((key, value)), Some(entry)) = (line.split_once('='), entries.last_mut())
        {
            entry.fields.push((key.trim(), value.trim()));
        }
    }
    entries
}

/// Whether `name` (lower case, no trailing dot) matches `pattern`: `*` is one or more characters
/// other than `.`, `#` one or more digits, anything else itself; a leading `.` matches the end of
/// the name on a label boundary (`.example.com` matches `example.com` and `a.b.example.com`).
pub(crate) fn matches(pattern: &str, name: &str) -> bool {
    let name = name.trim_end_matches('.');
    match pattern.strip_prefix('.') {
        Some(tail) => {
            glob(tail.as_bytes(), name.as_bytes())
                || name
                    .match_indices('.')
                    .any(|(at, _)| glob(tail.as_bytes(), &name.as_bytes()[at + 1..]))
        }
        None => glob(pattern.as_bytes(), name.as_bytes()),
    }
}

/// The glob itself, over bytes (names are ASCII). Patterns are short, so plain backtracking is
/// cheap: each wildcard tries every length it can take.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let Some((&p, rest)) = pattern.split_first() else {
        return name.is_empty();
    };
    let class: fn(u8) -> bool = match p {
        b'*' => |b| b != b'.',
        b'#' => |b: u8| b.is_ascii_digit(),
        _ => {
            return name
                .split_first()
                .is_some_and(|(&n, tail)| n.eq_ignore_ascii_case(&p) && glob(rest, tail))
        }
    };
    let run = name.iter().take_while(|&&b| class(b)).count();
    (1..=run).rev().any(|len| glob(rest, &name[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keys_and_comments() {
        let e = parse("# c\n[a]\nname = A\nsource = x\nsource = y\nns = .a.com  ns1.b.com\nempty =\nno equals sign\n\n[b]\nname = B\n");
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].id, e[0].get("name")), ("a", Some("A")));
        assert_eq!(e[0].all("source"), ["x", "y"]);
        assert_eq!(e[0].words("ns"), [".a.com", "ns1.b.com"]);
        assert_eq!(e[0].get("empty"), None);
        assert_eq!(e[1].get("source"), None);
        // Lines before any block are ignored.
        assert!(parse("name = x\n").is_empty());
    }

    #[test]
    fn patterns() {
        let yes = [
            (".digitalocean.com", "ns1.digitalocean.com"),
            (".digitalocean.com", "digitalocean.com"),
            (".digitalocean.com", "NS1.DigitalOcean.COM."),
            ("ns-#.awsdns-#.co.uk", "ns-12.awsdns-01.co.uk"),
            (
                "ec2-#-#-#-#.*.compute.amazonaws.com",
                "ec2-1-2-3-4.eu-west-1.compute.amazonaws.com",
            ),
            (
                ".dhcp.*.*.charter.com",
                "71-8-124-26.dhcp.ftwo.tx.charter.com",
            ),
            ("p*.dip0.t-ipconnect.de", "p5b0a1b2c.dip0.t-ipconnect.de"),
        ];
        for (p, n) in yes {
            assert!(matches(p, n), "{p} should match {n}");
        }
        let no = [
            (".digitalocean.com", "evil-digitalocean.com"),
            (".digitalocean.com", "digitalocean.com.evil.net"),
            ("ns-#.awsdns-#.com", "ns-x.awsdns-1.com"),
            ("ns-#.awsdns-#.com", "ns-1.awsdns-1.com.evil"),
            (
                "ec2-#-#-#-#.*.compute.amazonaws.com",
                "ec2-1-2-3-4.a.b.compute.amazonaws.com",
            ),
            ("#.#.#.#.rev.sfr.net", "a.3.2.1.rev.sfr.net"),
            ("*.example.com", ".example.com"),
        ];
        for (p, n) in no {
            assert!(!matches(p, n), "{p} should not match {n}");
        }
    }

    #[test]
    fn long_names_stay_cheap() {
        let name = format!("{}.example.com", "1".repeat(200));
        assert!(matches("#.example.com", &name));
        assert!(!matches("#-#-#-#-#-#.example.org", &name));
    }
}
