//! Mail services whose host names say which side of a hop they are on.
//!
//! [`FILTERS`]: inbound filtering and security services. A customer points its MX records at the
//! service, which accepts the mail for it and passes it on to the customer's own servers; the
//! Received chain then shows the service's relay as the client of the receiver's first hop. The
//! same services also relay their customers' outgoing mail, so a host name alone does not say
//! which side it is on: the walk (`walk.rs`) also asks whether the service's own intake from an
//! outside client is in the paste.
//!
//! [`outbound_edge`]: the sending side of providers that also receive, so that mail from one
//! customer to another of the same provider is not taken for the provider's internal traffic:
//! Microsoft 365's outbound protection edge, Google's outbound servers, Yahoo's and GMX's
//! outbound relays.
//!
//! Each entry cites where its host names were seen; the unit tests check that every entry's
//! patterns match its sample hosts and no other entry's.

use super::text::host_name;

/// An inbound filtering or security service.
#[derive(Debug, PartialEq, Eq)]
pub struct Service {
    /// The name shown in reports.
    pub name: &'static str,
    /// DNS zones of the service's mail hosts: a host is the service's when it is one of these or
    /// a name under one.
    pub zones: &'static [&'static str],
    /// Host names of the service, as seen in the source (or built from the MX pattern the source
    /// documents, where it shows no full name).
    pub samples: &'static [&'static str],
    /// Where the host names were seen.
    pub source: &'static str,
}

/// Inbound filtering and security services, with the DNS zones of their mail hosts.
pub const FILTERS: &[Service] = &[
    Service {
        name: "Proofpoint",
        zones: &["pphosted.com", "ppe-hosted.com"],
        // mxb-…gslb.pphosted.com: a Postfix log in lightmeter issue 664; mx1-us1: mail_recon.
        samples: &["mxb-00505701.gslb.pphosted.com", "mx1-us1.ppe-hosted.com"],
        source: "https://www.captaindns.com/en/blog/proofpoint-secure-email-gateway",
    },
    Service {
        name: "Mimecast",
        zones: &["mimecast.com"],
        samples: &["us-smtp-inbound-1.mimecast.com", "de-smtp-inbound-2.mimecast.com"],
        source: "https://github.com/dstreefkerk/PowerShell/issues/4",
    },
    Service {
        name: "Trend Micro Email Security",
        // hes.trendmicro.com: Trend's SPF include for Hosted Email Security; tmes.*: the TMES
        // service zones (api.tmes.trendmicro.com, .eu, tmes-anz) in SEKOIA-IO/documentation's
        // Trend Micro page; emailsecurity.trendmicro.eu: an MX in a Postfix log
        // (https://pastebin.com/FDxUpD6Y).
        zones: &[
            "tmes.trendmicro.com",
            "tmes.trendmicro.eu",
            "tmes-anz.trendmicro.com",
            "hes.trendmicro.com",
            "emailsecurity.trendmicro.eu",
        ],
        samples: &["prefilter.emailsecurity.trendmicro.eu", "example.in.tmes.trendmicro.com"],
        source: "https://docs.trendmicro.com/en-us/enterprise/hosted-email-security-administrator-guide/about-domain-managem/configuring-a-domain/adding-spf-records.aspx",
    },
    Service {
        name: "Broadcom Email Security.cloud (MessageLabs)",
        zones: &["messagelabs.com"],
        samples: &["mail1.bemta12.messagelabs.com", "server-6.bemta-12.messagelabs.com"],
        source: "https://github.com/nquinlan/Email-Intelligence/issues/25",
    },
    Service {
        name: "Cisco Secure Email Cloud Gateway (IronPort)",
        zones: &["iphmx.com"],
        samples: &["esa1.example.iphmx.com"],
        source: "https://www.powershellgallery.com/packages/Posh365/0.9.88/Content/Private%5CSecurity%5CTest-MXHandler.ps1",
    },
    Service {
        name: "Barracuda Email Gateway Defense",
        zones: &["barracudanetworks.com", "cudaops.com"],
        samples: &["d123.ess.barracudanetworks.com", "mx27.ess.sfj.cudaops.com"],
        source: "https://www.captaindns.com/en/blog/barracuda-secure-email-gateway",
    },
    Service {
        name: "Microsoft Exchange Online Protection",
        // In front of another receiver's servers (EOP standalone, hybrid): the outbound edge
        // passes the mail on. When the receiver is Exchange Online itself, the walk treats
        // outlook.com as the receiver's own platform instead.
        zones: &["mail.protection.outlook.com", "outbound.protection.outlook.com"],
        samples: &[
            "bn8nam11ft066.mail.protection.outlook.com",
            "eur05-am6-obe.outbound.protection.outlook.com",
        ],
        source: "https://github.com/ietf-tools/datatracker/issues/5915",
    },
    Service {
        name: "Google Postini",
        zones: &["postini.com"],
        samples: &["exprod8mx8.postini.com"],
        source: "http://www.snapblox.com/portal/knowledgebase/264/Received-Header.html",
    },
    Service {
        name: "Sophos Email",
        zones: &["hydra.sophos.com"],
        samples: &["mx-01-eu-central-1.prod.hydra.sophos.com"],
        source: "https://docs.sophos.com/central/customer/help/en-us/ManageYourProducts/EmailSecurity/SecureMessagePolicy/EmailEnforceTLSConnections/index.html",
    },
    Service {
        name: "Hornetsecurity",
        zones: &["hornetsecurity.com"],
        samples: &["mx01.hornetsecurity.com", "mx04.hornetsecurity.com"],
        source: "https://www.captaindns.com/en/blog/hornetsecurity-secure-email-gateway",
    },
    Service {
        name: "SpamExperts (N-able Mail Assure)",
        zones: &[
            "spamexperts.com",
            "spamexperts.eu",
            "spamexperts.net",
            "antispamcloud.com",
        ],
        samples: &[
            "mx.spamexperts.com",
            "fallbackmx.spamexperts.eu",
            "filter10.antispamcloud.com",
        ],
        source: "https://documentation.n-able.com/spamexperts/userguide/Content/B_Admin%20Level/domains/mx-records.htm",
    },
    Service {
        name: "Forcepoint Email Security",
        zones: &["mailcontrol.com"],
        samples: &["cluster-a.in.mailcontrol.com"],
        source: "https://www.powershellgallery.com/packages/Posh365/0.9.88/Content/Private%5CSecurity%5CTest-MXHandler.ps1",
    },
    Service {
        name: "Trellix (FireEye) Email Security",
        zones: &["fireeyecloud.com"],
        samples: &["mx1.example.fireeyecloud.com"],
        source: "https://www.powershellgallery.com/packages/Posh365/0.9.88/Content/Private%5CSecurity%5CTest-MXHandler.ps1",
    },
    Service {
        name: "SpamTitan",
        zones: &["spamtitan.com"],
        samples: &["example.spamtitan.com"],
        source: "https://powershellgallery.com/packages/DNSHealth/1.0.8/Content/MailProviders%5CSpamTitan.json",
    },
    Service {
        name: "FirstWave Cloud Content Security",
        zones: &["firstcloudsecurity.net", "firstwave.com.au"],
        samples: &["mx.example.firstcloudsecurity.net"],
        source: "https://www.powershellgallery.com/packages/Posh365/0.9.88/Content/Private%5CSecurity%5CTest-MXHandler.ps1",
    },
];

/// Proofpoint's content filter re-injects each message from this name on 127.0.0.1; the `by` host
/// of such a hop is a Proofpoint node even when its name is not under pphosted.com (sisimai's
/// set-of-emails `email-exchange2007-02.eml`).
pub const PROOFPOINT_REINJECTION: &str = "pps.filterd";

fn under(host: &str, zone: &str) -> bool {
    host == zone
        || host
            .strip_suffix(zone)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The filtering service a host name belongs to.
pub fn filter_of(host: &str) -> Option<&'static Service> {
    let host = host_name(host);
    FILTERS
        .iter()
        .find(|s| s.zones.iter().any(|z| under(&host, z)))
}

/// Proofpoint's entry in [`FILTERS`].
pub(crate) fn proofpoint() -> &'static Service {
    &FILTERS[0]
}

/// Whether a host is a provider's sending edge, on the other side from the same provider's
/// receiving servers:
///
/// - Microsoft 365 and Outlook.com: `*.outbound.protection.outlook.com` (tenants'
///   `EUR05-AM6-obe…`, consumers' `mail-oln…`); the receiving front door is
///   `*.mail.protection.outlook.com` (ietf-tools/datatracker issue 5915,
///   rms-support-letter issue 3105).
/// - Gmail and Google Workspace: `mail-sor-f41.google.com`, `mail-wm0-f66.google.com`,
///   `mail-oi0-f48.google.com` (`mail-…` under google.com); the receiving side is
///   `mx.google.com` (SpamAssassin `t/data/spam/relayUS.eml`, freeCodeCamp/guide PR 1611).
/// - Yahoo: `sonic….consmr.mail.….yahoo.com` (jstedfast/MailKit issue 644).
/// - GMX, WEB.DE, 1&1/IONOS: `mout.gmx.net`, `mout-bounce.gmx.com` (`mout…` first label);
///   the receiving side is `mx-ha.gmx.net` (Cloud9Developer/Jellyfin-Newsletter-Plugin
///   issue 110, sisimai `email-gmx-02.eml`).
pub fn outbound_edge(host: &str) -> Option<&'static str> {
    let host = host_name(host);
    let first = host.split('.').next().unwrap_or("");
    if under(&host, "outbound.protection.outlook.com") {
        Some("Microsoft 365's outbound edge")
    } else if under(&host, "google.com") && first.starts_with("mail-") {
        Some("Google's outbound mail server")
    } else if under(&host, "yahoo.com") && host.contains(".consmr.mail.") {
        Some("Yahoo's outbound mail server")
    } else if first.starts_with("mout")
        && ["gmx.net", "gmx.com", "gmx.de", "web.de", "kundenserver.de"]
            .iter()
            .any(|z| under(&host, z))
    {
        Some("GMX/WEB.DE's outbound mail server")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_is_its_own_services_and_no_others() {
        for s in FILTERS {
            assert!(!s.samples.is_empty(), "{}: no sample host", s.name);
            assert!(s.source.starts_with("http"), "{}: no source", s.name);
            for host in s.samples {
                assert_eq!(host_name(host), *host, "samples are written lower case");
                let owners: Vec<&str> = FILTERS
                    .iter()
                    .filter(|o| o.zones.iter().any(|z| under(host, z)))
                    .map(|o| o.name)
                    .collect();
                assert_eq!(owners, [s.name], "{host}");
            }
        }
    }

    #[test]
    fn zones_match_whole_labels() {
        assert_eq!(
            filter_of("MX0A-00082601.PPHOSTED.COM.").map(|s| s.name),
            Some("Proofpoint")
        );
        assert_eq!(filter_of("notpphosted.com"), None);
        assert_eq!(filter_of("mail.example.com"), None);
        assert_eq!(proofpoint().name, "Proofpoint");
    }

    #[test]
    fn outbound_edges() {
        for host in [
            "EUR05-AM6-obe.outbound.protection.outlook.com",
            "mail-oln040092071087.outbound.protection.outlook.com",
            "mail-sor-f41.google.com",
            "mail-wm0-f66.google.com.",
            "sonic332-19.consmr.mail.ne1.yahoo.com",
            "mout.gmx.net",
            "mout-bounce.gmx.com",
        ] {
            assert!(outbound_edge(host).is_some(), "{host}");
        }
        for host in [
            "bn8nam11ft066.mail.protection.outlook.com",
            "mx.google.com",
            "smtp.gmail.com",
            "mx-ha.gmx.net",
            "mta1.mail.yahoo.com",
        ] {
            assert!(outbound_edge(host).is_none(), "{host}");
        }
    }
}
