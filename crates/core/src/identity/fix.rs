//! The fixes the identity findings share: the records to publish and the MTA settings to change.

use std::net::IpAddr;

use super::helo::{HeloCheck, HeloKind};
use super::iprev::Iprev;
use crate::dns::{forward_type, reverse_name};

/// A placeholder host name for advice when the user gave none.
pub(crate) const EXAMPLE_NAME: &str = "mail.example.com";

/// The zone-file line of a PTR record.
pub fn ptr_record(ip: IpAddr, name: &str) -> String {
    format!("{}. 3600 IN PTR {name}.", reverse_name(ip))
}

/// The zone-file line of the forward record for `ip`.
pub fn address_record(ip: IpAddr, name: &str) -> String {
    let rtype = forward_type(ip);
    format!("{name}. 3600 IN {rtype} {ip}")
}

/// The MTA settings that make the server say `name` in EHLO.
pub fn helo_settings(name: &str) -> String {
    format!(
        "Postfix (main.cf): smtp_helo_name = {name}\n\
         Exim (smtp transport): helo_data = {name}"
    )
}

/// The name to recommend: a confirmed PTR name, else the EHLO name, else a PTR name, else a placeholder.
pub(crate) fn best_name<'a>(iprev: &'a Iprev, helo: Option<&'a HeloCheck>) -> &'a str {
    let confirmed = iprev.confirmed();
    if let Some(c) = confirmed.first() {
        return c;
    }
    if let Some(h) = helo.filter(|h| h.helo.kind == HeloKind::Fqdn) {
        return &h.helo.name;
    }
    iprev
        .names
        .iter()
        .find(|n| n.problem.is_none())
        .map_or(EXAMPLE_NAME, |n| n.name.as_str())
}
