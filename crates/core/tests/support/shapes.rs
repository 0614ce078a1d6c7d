//! Pastes of a given size in each shape that could make a careless parser quadratic: shared by
//! the paste property tests and `examples/paste_bench.rs`.

/// `(shape, text)` pairs, each text about `size` bytes.
pub fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat(size / unit.len());
    vec![
        ("one folded Received header", format!("Received: from a{}", fill("\n (x [192.0.2.1] helo=y"))),
        ("many Received headers", fill("Received: from a.example (a.example [192.0.2.1]) by b.example;\n")),
        ("nested comments", format!("Received: from {}", fill("("))),
        ("closing comments", format!("Received: from a {}", fill(")"))),
        ("many results", format!("Authentication-Results: x; {}", fill("spf=pass (c) smtp.helo=a; "))),
        ("a long quoted string", format!("Authentication-Results: x; spf=pass reason=\"{}", fill("a; "))),
        ("postfix log lines", fill("postfix/smtpd[1]: connect from a.example[192.0.2.1]\n")),
        ("a postfix log line of words", format!("postfix/smtpd[1]: {}", fill("from helo=<a> "))),
        ("many addresses", (0..size / 48).map(|i| format!("postfix/smtpd[1]: connect from a[192.0.{}.{}]\n", i / 256 % 256, i % 256)).collect()),
        ("exim lines", fill("2026-11-27 H=(a.example) [192.0.2.1]:25 rejected\n")),
        ("one continued main.cf line", format!("smtpd_sender_restrictions = {}", fill("\n reject_unverified_sender,"))),
        ("dollar expansions", format!("myhostname = {}\nmydomain = $myhostname$myhostname\nsmtp_helo_name = $mydomain$mydomain\n", fill("$mydomain"))),
        ("distinct settings", (0..size / 40).map(|i| format!("address_verify_x{i:08} = {i}\n")).collect()),
        ("exim continuations", format!("primary_hostname = a{}", fill(" \\\n b"))),
        ("callouts", fill("require verify = sender/callout\n")),
        ("brackets", fill("[")),
        ("one long word", fill("a")),
        ("binary", (0..size).map(|i| char::from((i * 7 % 256) as u8)).collect()),
    ]
}
