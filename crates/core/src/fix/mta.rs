//! The user's mail server: which MTA announces the EHLO name (and runs any SAV), where it sets
//! them (`data/mta.txt`), and a guess from a paste when the user did not say.

use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use super::data::{parse, Entry};
use crate::paste::{Extracted, Format, HopRole};

macro_rules! mtas {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $label:literal, )*) => {
        /// A mail server the advice knows; its id is the `--mta` value and the `[id]` of
        /// `data/mta.txt`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Mta {
            $( $(#[$doc])* $variant, )*
        }

        impl Mta {
            /// Every MTA, in the order of the data file.
            pub const ALL: &'static [Mta] = &[$(Mta::$variant),*];

            /// The stable id (`postfix`, `mail-in-a-box`, …).
            pub fn as_str(self) -> &'static str {
                match self { $(Mta::$variant => $id,)* }
            }

            /// Its name for people, as the data file's `name` (a test keeps them equal): here so
            /// that the page's selector needs no data.
            pub fn label(self) -> &'static str {
                match self { $(Mta::$variant => $label,)* }
            }
        }
    };
}

mtas! {
    /// Postfix.
    Postfix = "postfix", "Postfix",
    /// Exim.
    Exim = "exim", "Exim",
    /// Sendmail.
    Sendmail = "sendmail", "Sendmail",
    /// OpenSMTPD.
    OpenSmtpd = "opensmtpd", "OpenSMTPD",
    /// Microsoft Exchange Server.
    Exchange = "exchange", "Microsoft Exchange Server",
    /// Haraka.
    Haraka = "haraka", "Haraka",
    /// Stalwart Mail Server.
    Stalwart = "stalwart", "Stalwart Mail Server",
    /// Maddy.
    Maddy = "maddy", "Maddy",
    /// mailcow: dockerized (Postfix).
    Mailcow = "mailcow", "mailcow",
    /// Mail-in-a-Box (Postfix).
    MailInABox = "mail-in-a-box", "Mail-in-a-Box",
    /// iRedMail (Postfix).
    IRedMail = "iredmail", "iRedMail",
    /// Zimbra Collaboration (Postfix).
    Zimbra = "zimbra", "Zimbra",
    /// Mailu (Postfix).
    Mailu = "mailu", "Mailu",
    /// Modoboa (Postfix).
    Modoboa = "modoboa", "Modoboa",
    /// docker-mailserver (Postfix).
    DockerMailserver = "docker-mailserver", "docker-mailserver",
    /// cPanel & WHM (Exim).
    Cpanel = "cpanel", "cPanel & WHM",
    /// Plesk.
    Plesk = "plesk", "Plesk",
    /// qmail.
    Qmail = "qmail", "qmail",
    /// KumoMTA.
    KumoMta = "kumomta", "KumoMTA",
    /// SparkPost Momentum.
    Momentum = "momentum", "SparkPost Momentum",
}

crate::serialize_as_str!(Mta);

impl fmt::Display for Mta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Mta {
    /// The MTA for an id, in any case (`Postfix`, `mail-in-a-box`).
    pub fn parse(text: &str) -> Option<Mta> {
        let t = text.trim();
        Mta::ALL
            .iter()
            .copied()
            .find(|m| m.as_str().eq_ignore_ascii_case(t))
    }

    /// Every id, comma-separated: for error messages and help.
    pub fn ids() -> String {
        Mta::ALL
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Where this MTA sets its EHLO name, from the data.
    pub fn info(self) -> MtaInfo {
        let entry = entries()
            .iter()
            .find(|e| e.id == self.as_str())
            .cloned()
            .unwrap_or_else(|| parse("[missing]").remove(0));
        MtaInfo { mta: self, entry }
    }

    /// Guesses the MTA from a paste: a Postfix or Exim log or configuration says so itself; in
    /// message headers, the Received header the sending server added (the hop below the one the
    /// receiver added) often names its software (`(Postfix)`, `(Exim 4.96)`, `Microsoft SMTP
    /// Server`, …).
    pub fn guess(x: &Extracted) -> Option<Mta> {
        match x.format {
            Format::PostfixLog | Format::PostfixConfig => return Some(Mta::Postfix),
            Format::EximLog | Format::EximConfig => return Some(Mta::Exim),
            Format::Headers => {}
            _ => return None,
        }
        let first_sender = x.chosen.map_or(0, |c| c + 1);
        x.hops
            .iter()
            .skip(first_sender)
            .filter(|h| matches!(h.role, HopRole::Sender | HopRole::Submission))
            .find_map(|h| from_received(&h.raw))
    }
}

/// The software a Received header names after its `by` clause: Postfix writes `by host
/// (Postfix)`, Exim `with esmtpsa (Exim 4.96)`, Exchange `with Microsoft SMTP Server`, Haraka
/// `(Haraka/3.0.3)`, OpenSMTPD `(OpenSMTPD)`, Stalwart `(Stalwart SMTP)`.
fn from_received(raw: &str) -> Option<Mta> {
    let lower = raw.to_ascii_lowercase();
    let after_by: String = lower
        .split_whitespace()
        .skip_while(|w| *w != "by")
        .collect::<Vec<_>>()
        .join(" ");
    [
        ("(postfix", Mta::Postfix),
        ("(exim", Mta::Exim),
        ("microsoft smtp server", Mta::Exchange),
        ("(haraka", Mta::Haraka),
        ("(opensmtpd", Mta::OpenSmtpd),
        ("(stalwart", Mta::Stalwart),
    ]
    .into_iter()
    .find(|(word, _)| after_by.contains(word))
    .map(|(_, mta)| mta)
}

fn entries() -> &'static [Entry] {
    static DATA: OnceLock<Vec<Entry>> = OnceLock::new();
    DATA.get_or_init(|| parse(include_str!("../../data/mta.txt")))
}

/// An MTA's entry in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtaInfo {
    /// The MTA.
    pub mta: Mta,
    entry: Entry,
}

impl MtaInfo {
    /// Its name, for people.
    pub fn name(&self) -> &'static str {
        self.entry.get("name").unwrap_or("")
    }

    /// The MTA a bundle configures (mailcow wraps Postfix), if any.
    pub fn wraps(&self) -> Option<Mta> {
        self.entry.get("wraps").and_then(Mta::parse)
    }

    /// Its documentation link for the setting, and whether the link was verified.
    pub fn docs(&self) -> Option<(&'static str, bool)> {
        let verified = self.entry.get("docs-status") == Some("verified");
        self.entry.get("docs").map(|url| (url, verified))
    }

    /// The EHLO-name fix: the file, the lines with `name` (and `ip`) filled in, the reload
    /// command, what else to know, and the docs link.
    pub fn helo_fix(&self, name: &str, ip: &str) -> String {
        let fill = |s: &str| s.replace("{name}", name).replace("{ip}", ip);
        let mut out = format!(
            "Set the EHLO name in {} ({}):\n",
            self.name(),
            self.entry.get("file").unwrap_or("its configuration")
        );
        for line in self.entry.all("setting") {
            out.push_str(&fill(line));
            out.push('\n');
        }
        if let Some(reload) = self.entry.get("reload") {
            out.push_str(&format!("then: {}\n", fill(reload)));
        }
        if let Some(also) = self.entry.get("also") {
            out.push_str(&format!("{}\n", fill(also)));
        }
        out.push_str(&self.docs_line());
        out.trim_end().to_string()
    }

    /// How to turn off Sender Address Verification, from this MTA's entry or the one it wraps;
    /// `None` when the MTA has no such feature.
    pub fn sav_fix(&self) -> Option<String> {
        let own = self.entry.get("sav").map(|s| (s, self.clone()));
        let (text, from) = own.or_else(|| {
            let wrapped = self.wraps()?.info();
            wrapped.entry.get("sav").map(|s| (s, wrapped))
        })?;
        let mut out = format!("{text}\n");
        if let Some(reload) = from.entry.get("reload").or(self.entry.get("reload")) {
            out.push_str(&format!("then: {reload}\n"));
        }
        if let Some(url) = from.entry.get("sav-docs") {
            out.push_str(&format!("Docs: {url}\n"));
        }
        Some(out.trim_end().to_string())
    }

    fn docs_line(&self) -> String {
        match self.docs() {
            Some((url, true)) => format!("Docs: {url}"),
            Some((url, false)) => format!("Docs (link not verified): {url}"),
            None => String::new(),
        }
    }

    #[cfg(test)]
    pub(crate) fn entry(&self) -> &Entry {
        &self.entry
    }
}

/// The MTA the advice is for, and whether the user said so or it was guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MtaChoice {
    /// The MTA.
    #[serde(rename = "id")]
    pub mta: Mta,
    /// `given` (the user picked it) or `guessed` (from a paste).
    pub source: MtaSource,
}

/// Where the MTA choice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MtaSource {
    /// The user picked it (`--mta`, the page's selector).
    Given,
    /// Guessed from a paste.
    Guessed,
}

impl MtaSource {
    /// The word (`given`, `guessed`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MtaSource::Given => "given",
            MtaSource::Guessed => "guessed",
        }
    }
}

crate::serialize_as_str!(MtaSource);

impl From<Mta> for MtaChoice {
    fn from(mta: Mta) -> Self {
        MtaChoice {
            mta,
            source: MtaSource::Given,
        }
    }
}

impl MtaChoice {
    /// The user's choice, else a guess from the paste.
    pub fn given_or_guessed(given: Option<Mta>, paste: Option<&Extracted>) -> Option<MtaChoice> {
        given.map(MtaChoice::from).or_else(|| {
            Some(MtaChoice {
                mta: Mta::guess(paste?)?,
                source: MtaSource::Guessed,
            })
        })
    }

    /// Why this MTA: "You chose Postfix" or "The paste looks like Postfix's".
    pub fn why(&self) -> String {
        let name = self.mta.info().name();
        match self.source {
            MtaSource::Given => format!("You chose {name} as your mail server."),
            MtaSource::Guessed => format!(
                "The paste looks like {name}'s, so the advice is for {name} (choose another with --mta or the page's mail-server selector)."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::extract;

    #[test]
    fn every_mta_has_its_entry_and_every_entry_its_mta() {
        let ids: Vec<&str> = entries().iter().map(|e| e.id).collect();
        let all: Vec<&str> = Mta::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(ids, all);
        for m in Mta::ALL {
            let info = m.info();
            let e = info.entry();
            for key in ["name", "file", "setting", "reload", "docs-status"] {
                assert!(e.get(key).is_some(), "{m} lacks {key}");
            }
            assert!(
                e.all("setting").iter().any(|s| s.contains("{name}")) || *m == Mta::Plesk,
                "{m}'s setting does not name the host"
            );
            if e.get("docs-status") == Some("verified") {
                assert!(info.docs().is_some(), "{m}: verified docs without a link");
            }
            if let Some(w) = info.wraps() {
                assert!(w.info().wraps().is_none(), "{m} wraps a bundle");
            }
            assert_eq!(Mta::parse(&m.as_str().to_uppercase()), Some(*m));
        }
        assert_eq!(Mta::parse("qmail-ldap"), None);
        assert!(Mta::ids().starts_with("postfix, exim, sendmail"));
    }

    #[test]
    fn fixes_name_the_file_setting_reload_and_docs() {
        let fix = Mta::Postfix
            .info()
            .helo_fix("mail.example.com", "192.0.2.10");
        assert!(fix.starts_with(
            "Set the EHLO name in Postfix (/etc/postfix/main.cf):\nsmtp_helo_name = mail.example.com\nthen: postfix reload\n"
        ), "{fix}");
        assert!(fix.ends_with("Docs: https://www.postfix.org/postconf.5.html#smtp_helo_name"));
        let fix = Mta::Mailcow
            .info()
            .helo_fix("mail.example.com", "192.0.2.10");
        assert!(fix.contains("MAILCOW_HOSTNAME=mail.example.com"), "{fix}");
        let fix = Mta::Exchange
            .info()
            .helo_fix("mail.example.com", "192.0.2.10");
        assert!(fix.contains("Set-SendConnector \"Internet\" -Fqdn mail.example.com"));
        let fix = Mta::Maddy.info().helo_fix("mx.example.com", "192.0.2.10");
        assert!(
            fix.contains("Docs (link not verified): https://maddy.email/"),
            "{fix}"
        );

        // SAV: the MTA's own advice, or the wrapped MTA's; none for MTAs without SAV.
        assert!(Mta::Exim.info().sav_fix().unwrap().contains("/callout"));
        let mailcow = Mta::Mailcow.info().sav_fix().unwrap();
        assert!(mailcow.contains("reject_unverified_sender"), "{mailcow}");
        assert!(mailcow.contains("then: postfix reload"), "{mailcow}");
        assert_eq!(Mta::Sendmail.info().sav_fix(), None);
    }

    #[test]
    fn guesses_from_pastes() {
        let guess = |text: &str| Mta::guess(&extract(text).unwrap());
        assert_eq!(guess("myhostname = mail.example.com\n"), Some(Mta::Postfix));
        assert_eq!(
            guess("primary_hostname = mail.example.com\n"),
            Some(Mta::Exim)
        );
        assert_eq!(guess("EHLO mail.example.com"), None);
        let headers = "Received: from mail.example.com (mail.example.com [192.0.2.10])\n\tby mx.google.com with ESMTPS id x; Fri, 27 Nov 2026 10:00:01 +0000\nReceived: from [10.0.0.5] (unknown [198.51.100.9])\n\tby mail.example.com (Postfix) with ESMTPSA id 4AbC; Fri, 27 Nov 2026 10:00:00 +0000\n";
        let x = extract(headers).unwrap();
        assert_eq!(x.chosen, Some(0), "{:?}", x.reason);
        assert_eq!(Mta::guess(&x), Some(Mta::Postfix));
        let exim = headers.replace("(Postfix) with ESMTPSA", "with esmtpsa (Exim 4.96)");
        assert_eq!(guess(&exim), Some(Mta::Exim));
        let choice = MtaChoice::given_or_guessed(None, Some(&x)).unwrap();
        assert_eq!(choice.source, MtaSource::Guessed);
        assert!(choice.why().starts_with("The paste looks like Postfix's"));
        let choice = MtaChoice::given_or_guessed(Some(Mta::Haraka), Some(&x)).unwrap();
        assert_eq!((choice.mta, choice.source), (Mta::Haraka, MtaSource::Given));
    }

    #[test]
    fn labels_are_the_data_names() {
        for m in Mta::ALL {
            assert_eq!(m.label(), m.info().name(), "{}", m.as_str());
        }
    }
}
