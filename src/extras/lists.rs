//! The DNS blocklists' answers as the worker renders them: a card per address
//! (`data-check="blocklist"`, `data-ip`, `data-result` the worse of its lists: `listed`, `unknown`
//! or `not-listed`) with one row per list (`data-list` = the zone as shown, `data-result`), the
//! codes or the reason, and the delisting page; then the lists' findings, and the Spamhaus Data
//! Query Service key form (the key stays in this browser: the page keeps it in local storage and
//! sends it only inside the DNS names it asks, `<key>.zen.dq.spamhaus.net`; the card shows
//! `<key>`).

use std::fmt::Write;
use std::net::IpAddr;

use sendercheck_core::blocklist::{self, ListResult, Listing};

use crate::render::{card_with, esc, finding, row, with_rows};
use crate::state::FindingData;

/// The result word of an address's lists: any listing, else any unknown, else not listed.
fn worst(listings: &[&Listing]) -> &'static str {
    let any = |r: ListResult| listings.iter().any(|l| l.result == r);
    if any(ListResult::Listed) {
        ListResult::Listed.as_str()
    } else if any(ListResult::Unknown) {
        ListResult::Unknown.as_str()
    } else {
        ListResult::NotListed.as_str()
    }
}

/// The card of one address's listings.
pub fn card(ip: IpAddr, listings: &[&Listing], n: usize) -> String {
    let mut body = String::from("<div class=\"table-wrap\"><table class=\"lists\"><thead><tr><th scope=\"col\">List</th><th scope=\"col\">Result</th><th scope=\"col\">What it says</th></tr></thead><tbody>");
    for l in listings {
        let result = l.result.as_str();
        let what = match l.result {
            ListResult::Listed => {
                let codes: Vec<String> = l
                    .decoded
                    .iter()
                    .map(|c| match c.name.as_str() {
                        "" => c.answer.to_string(),
                        name => format!("{name} ({})", c.answer),
                    })
                    .collect();
                let reason = l
                    .reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                format!("{}{reason}", codes.join(", "))
            }
            ListResult::NotListed => l.meaning.clone(),
            ListResult::Unknown => l.reason.clone().unwrap_or_else(|| l.meaning.clone()),
        };
        let delist = match (l.result, l.delist_url()) {
            (ListResult::Listed, Some(url)) => format!(
                " <a href=\"{}\" rel=\"noopener noreferrer\">Delisting page</a>",
                esc(&url)
            ),
            _ => String::new(),
        };
        let _ = write!(
            body,
            "<tr class=\"{result}\" data-list=\"{zone}\" data-result=\"{result}\"><td data-label=\"List\">{name}<span class=\"zone\">{zone}</span></td><td data-label=\"Result\"><span class=\"result {result}\">{word}</span></td><td data-label=\"What it says\">{what}{delist}</td></tr>",
            zone = esc(&l.list.shown),
            name = esc(&l.list.name),
            word = result.replace('-', " "),
            what = esc(&what),
        );
    }
    body.push_str("</tbody></table></div>");
    let owned: Vec<Listing> = listings.iter().map(|l| (*l).clone()).collect();
    for f in blocklist::findings(&owned) {
        body.push_str(&finding(&FindingData::from(&f)));
    }
    card_with(
        &format!("bl{n}"),
        "blocklist",
        worst(listings),
        &format!(" data-ip=\"{ip}\""),
        &format!("DNS blocklists for {ip}"),
        "",
        &body,
    )
}

/// An address's scorecard row.
fn summary_row(ip: IpAddr, listings: &[&Listing], n: usize) -> String {
    let names = |r: ListResult| -> Vec<&str> {
        listings
            .iter()
            .filter(|l| l.result == r)
            .map(|l| l.list.name.as_str())
            .collect()
    };
    let (listed, unknown) = (names(ListResult::Listed), names(ListResult::Unknown));
    let (why, fix) = match (listed.is_empty(), unknown.is_empty()) {
        (false, _) => (
            format!("Listed on {}.", listed.join(", ")),
            "Stop what got it listed, then ask each list to delist it (the links are in its row)."
                .to_string(),
        ),
        (true, false) => (
            format!(
                "{} could not be asked through this resolver.",
                unknown.join(", ")
            ),
            String::new(),
        ),
        (true, true) => (
            format!("On none of the {} lists.", listings.len()),
            String::new(),
        ),
    };
    row(
        "blocklist",
        worst(listings),
        &format!("bl{n}-blocklist"),
        &format!("DNS blocklists for {ip}"),
        &why,
        &fix,
    )
}

/// Every address's card, and the key form when a Spamhaus list could not be asked; the
/// scorecard rows first (`render::with_rows`).
pub fn section(listings: &[Listing], key_given: bool) -> String {
    let mut ips: Vec<IpAddr> = listings.iter().map(|l| l.ip).collect();
    ips.dedup();
    let rows: String = ips
        .iter()
        .enumerate()
        .map(|(n, ip)| {
            let mine: Vec<&Listing> = listings.iter().filter(|l| l.ip == *ip).collect();
            summary_row(*ip, &mine, n)
        })
        .collect();
    let mut out = String::from("<section id=\"blocklists\" class=\"blocklists\" aria-labelledby=\"blocklists-title\"><h2 id=\"blocklists-title\" class=\"section-title\">DNS blocklists</h2>");
    for (n, ip) in ips.iter().enumerate() {
        let mine: Vec<&Listing> = listings.iter().filter(|l| l.ip == *ip).collect();
        out.push_str(&card(*ip, &mine, n));
    }
    let refused = listings
        .iter()
        .any(|l| l.list.is_spamhaus() && l.result == ListResult::Unknown);
    if refused || key_given {
        out.push_str("<div class=\"dqs\"><label for=\"spamhaus-key\">Spamhaus Data Query Service key</label><p class=\"hint\" id=\"spamhaus-hint\">Spamhaus does not answer queries from public resolvers. With a free DQS key it answers through any resolver; the key stays in this browser and goes only into the names asked.</p><input id=\"spamhaus-key\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"spamhaus-hint\"><button type=\"button\" data-action=\"blocklists\" data-value=\"key\">Ask Spamhaus with this key</button></div>");
    }
    out.push_str("</section>");
    with_rows(&rows, &out)
}
