//! The rules findings cite: RFC sections, providers' published requirements, MTA documentation.

use super::Reference;
/// RFC 8601 §3, the `iprev` method.
pub const RFC8601_IPREV: Reference = Reference {
    title: "RFC 8601 §3 (iprev)",
    url: "https://www.rfc-editor.org/rfc/rfc8601#section-3",
};
/// RFC 8484 §4.2.1: a DoH reply with an HTTP error status holds no DNS answer; try another server.
pub const RFC8484_ERRORS: Reference = Reference {
    title: "RFC 8484 §4.2.1 (DoH errors)",
    url: "https://www.rfc-editor.org/rfc/rfc8484#section-4.2.1",
};
/// RFC 1912 §2.1: PTR and A records must match; PTRs must not point at aliases.
pub const RFC1912_PTR: Reference = Reference {
    title: "RFC 1912 §2.1",
    url: "https://www.rfc-editor.org/rfc/rfc1912#section-2.1",
};
/// RFC 2317, classless IN-ADDR.ARPA delegation.
pub const RFC2317: Reference = Reference {
    title: "RFC 2317",
    url: "https://www.rfc-editor.org/rfc/rfc2317",
};
/// RFC 5321 §4.1.1.1, the EHLO argument.
pub const RFC5321_EHLO: Reference = Reference {
    title: "RFC 5321 §4.1.1.1",
    url: "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1",
};
/// RFC 5321 §4.1.3, address literals.
pub const RFC5321_LITERAL: Reference = Reference {
    title: "RFC 5321 §4.1.3",
    url: "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.3",
};
/// Google's sender guidelines (valid forward and reverse DNS).
pub const GMAIL: Reference = Reference {
    title: "Gmail sender guidelines",
    url: "https://support.google.com/a/answer/81126",
};
/// Google's SMTP error reference (550-5.7.25).
pub const GMAIL_ERRORS: Reference = Reference {
    title: "Gmail SMTP errors (5.7.25)",
    url: "https://support.google.com/a/answer/3726730",
};
/// Yahoo's sender best practices.
pub const YAHOO: Reference = Reference {
    title: "Yahoo sender best practices",
    url: "https://senders.yahooinc.com/best-practices/",
};
/// Fastmail's SMTP-stage checks (HELO and reverse DNS).
pub const FASTMAIL: Reference = Reference {
    title: "Fastmail SMTP checks",
    url: "https://www.fastmail.com/help/technical/smtpchecks.html",
};
/// Postfix `smtp_helo_name`.
pub const POSTFIX_HELO: Reference = Reference {
    title: "Postfix smtp_helo_name",
    url: "https://www.postfix.org/postconf.5.html#smtp_helo_name",
};
/// Postfix `reject_unknown_helo_hostname`.
pub const POSTFIX_UNKNOWN_HELO: Reference = Reference {
    title: "Postfix reject_unknown_helo_hostname",
    url: "https://www.postfix.org/postconf.5.html#reject_unknown_helo_hostname",
};
/// Postfix `reject_unknown_client_hostname`.
pub const POSTFIX_UNKNOWN_CLIENT: Reference = Reference {
    title: "Postfix reject_unknown_client_hostname",
    url: "https://www.postfix.org/postconf.5.html#reject_unknown_client_hostname",
};
/// Exim's smtp transport (`helo_data`).
pub const EXIM_HELO: Reference = Reference {
    title: "Exim smtp transport: helo_data",
    url: "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-the_smtp_transport.html",
};
/// Postfix address verification, whose warning says sender verification may get a site
/// denylisted.
pub const POSTFIX_SAV: Reference = Reference {
    title: "Postfix ADDRESS_VERIFICATION_README",
    url: "https://www.postfix.org/ADDRESS_VERIFICATION_README.html",
};
/// Exim's callout verification (ACL `verify = sender/callout`).
pub const EXIM_CALLOUT: Reference = Reference {
    title: "Exim ACLs: callout verification",
    url: "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html",
};
/// RFC 8601 §2.2, the Authentication-Results header.
pub const RFC8601_HEADER: Reference = Reference {
    title: "RFC 8601 §2.2 (Authentication-Results)",
    url: "https://www.rfc-editor.org/rfc/rfc8601#section-2.2",
};
/// RFC 5322 §3.6.7, trace fields (Received).
pub const RFC5322_TRACE: Reference = Reference {
    title: "RFC 5322 §3.6.7 (Received)",
    url: "https://www.rfc-editor.org/rfc/rfc5322#section-3.6.7",
};
/// SpamAssassin's RDNS_DYNAMIC rule.
pub const SPAMASSASSIN_RDNS: Reference = Reference {
    title: "SpamAssassin RDNS_DYNAMIC",
    url: "https://svn.apache.org/repos/asf/spamassassin/trunk/rules/20_dynrdns.cf",
};
/// Haraka's fcrdns plugin (generic rDNS detection).
pub const HARAKA_FCRDNS: Reference = Reference {
    title: "Haraka fcrdns plugin",
    url: "https://github.com/haraka/haraka-plugin-fcrdns",
};
/// RFC 7208 §2.6, the SPF results.
pub const RFC7208_RESULTS: Reference = Reference {
    title: "RFC 7208 §2.6 (SPF results)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-2.6",
};
/// RFC 7208 §2.3, the HELO identity.
pub const RFC7208_HELO: Reference = Reference {
    title: "RFC 7208 §2.3 (HELO identity)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-2.3",
};
/// RFC 7208 §3.1, the TXT record type only (§14.1 retires type SPF).
pub const RFC7208_DNS_TYPE: Reference = Reference {
    title: "RFC 7208 §3.1 (DNS resource records)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-3.1",
};
/// RFC 7208 §3.3, multiple strings in one TXT record.
pub const RFC7208_STRINGS: Reference = Reference {
    title: "RFC 7208 §3.3 (multiple strings)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-3.3",
};
/// RFC 7208 §3.4, record size.
pub const RFC7208_SIZE: Reference = Reference {
    title: "RFC 7208 §3.4 (record size)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-3.4",
};
/// RFC 7208 §4.5, selecting the one record.
pub const RFC7208_SELECT: Reference = Reference {
    title: "RFC 7208 §4.5 (selecting records)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-4.5",
};
/// RFC 7208 §4.6.4, the DNS lookup limits.
pub const RFC7208_LIMITS: Reference = Reference {
    title: "RFC 7208 §4.6.4 (DNS lookup limits)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4",
};
/// RFC 7208 §4.7, the default result.
pub const RFC7208_DEFAULT: Reference = Reference {
    title: "RFC 7208 §4.7 (default result)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-4.7",
};
/// RFC 7208 §5.1, the `all` mechanism.
pub const RFC7208_ALL: Reference = Reference {
    title: "RFC 7208 §5.1 (all)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-5.1",
};
/// RFC 7208 §5.2, the `include` mechanism.
pub const RFC7208_INCLUDE: Reference = Reference {
    title: "RFC 7208 §5.2 (include)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-5.2",
};
/// RFC 7208 §5.5, the `ptr` mechanism (do not use).
pub const RFC7208_PTR: Reference = Reference {
    title: "RFC 7208 §5.5 (ptr)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-5.5",
};
/// RFC 7208 §6.2, the `exp` modifier.
pub const RFC7208_EXP: Reference = Reference {
    title: "RFC 7208 §6.2 (exp)",
    url: "https://www.rfc-editor.org/rfc/rfc7208#section-6.2",
};
/// Google's SMTP error reference, for its SPF and authentication replies.
pub const GMAIL_SPF_ERRORS: Reference = Reference {
    title: "Gmail SMTP errors (5.7.26, 5.7.27)",
    url: "https://support.google.com/a/answer/3726730",
};
/// Outlook.com's requirements for senders of more than 5,000 messages a day (550 5.7.515).
pub const OUTLOOK_BULK: Reference = Reference {
    title: "Outlook.com high-volume sender requirements (5.7.515)",
    url: "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730",
};

// The sending domain: DMARC, DKIM keys, alignment, MX, and the providers' requirements.

/// RFC 9989 §4.7, the tags of a DMARC policy record.
pub const RFC9989_TAGS: Reference = Reference {
    title: "RFC 9989 §4.7 (DMARC record tags)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#section-4.7",
};
/// RFC 9989 §4.8, the formal definition of a DMARC policy record.
pub const RFC9989_SYNTAX: Reference = Reference {
    title: "RFC 9989 §4.8 (DMARC record syntax)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#section-4.8",
};
/// RFC 9989 §4.10, the DNS tree walk.
pub const RFC9989_TREE_WALK: Reference = Reference {
    title: "RFC 9989 §4.10 (DNS tree walk)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#section-4.10",
};
/// RFC 9989 §4.10.1, DMARC policy discovery.
pub const RFC9989_DISCOVERY: Reference = Reference {
    title: "RFC 9989 §4.10.1 (policy discovery)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#section-4.10.1",
};
/// RFC 9989 §4.10.2, the organizational domain for identifier alignment.
pub const RFC9989_ALIGNMENT: Reference = Reference {
    title: "RFC 9989 §4.10.2 (identifier alignment)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#section-4.10.2",
};
/// RFC 9989 Appendix A.6, the removal of `pct`.
pub const RFC9989_PCT: Reference = Reference {
    title: "RFC 9989 Appendix A.6 (pct removed)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#appendix-A.6",
};
/// RFC 9989 Appendix C.5.2, the tags RFC 9989 removed.
pub const RFC9989_REMOVED: Reference = Reference {
    title: "RFC 9989 Appendix C.5.2 (tags removed)",
    url: "https://www.rfc-editor.org/rfc/rfc9989#appendix-C.5.2",
};
/// RFC 9990, DMARC aggregate reporting, which defines the verification of external report
/// destinations.
pub const RFC9990: Reference = Reference {
    title: "RFC 9990 (external report destinations)",
    url: "https://www.rfc-editor.org/rfc/rfc9990",
};
/// RFC 6376 §3.6.1, the DKIM key record.
pub const RFC6376_KEY: Reference = Reference {
    title: "RFC 6376 §3.6.1 (DKIM key record)",
    url: "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1",
};
/// RFC 6376 §3.6.2.2, the key lookup and what a verifier does with several records.
pub const RFC6376_LOOKUP: Reference = Reference {
    title: "RFC 6376 §3.6.2.2 (key lookup)",
    url: "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.2.2",
};
/// RFC 8301 §3, the DKIM algorithm and key-size update (no sha1, RSA at least 1024 bits).
pub const RFC8301: Reference = Reference {
    title: "RFC 8301 §3 (DKIM key sizes, no sha1)",
    url: "https://www.rfc-editor.org/rfc/rfc8301#section-3",
};
/// RFC 8463, Ed25519 keys for DKIM.
pub const RFC8463: Reference = Reference {
    title: "RFC 8463 §4.2 (Ed25519 DKIM keys)",
    url: "https://www.rfc-editor.org/rfc/rfc8463#section-4.2",
};
/// RFC 7505, the null MX record.
pub const RFC7505: Reference = Reference {
    title: "RFC 7505 (null MX)",
    url: "https://www.rfc-editor.org/rfc/rfc7505",
};
/// RFC 5321 §5.1, MX lookup and the implicit MX (A/AAAA fallback).
pub const RFC5321_MX: Reference = Reference {
    title: "RFC 5321 §5.1 (MX and implicit MX)",
    url: "https://www.rfc-editor.org/rfc/rfc5321#section-5.1",
};
/// Postfix `reject_unknown_sender_domain`: no MX and no address, or a null MX.
pub const POSTFIX_UNKNOWN_SENDER: Reference = Reference {
    title: "Postfix reject_unknown_sender_domain",
    url: "https://www.postfix.org/postconf.5.html#reject_unknown_sender_domain",
};
/// Yahoo's SMTP error codes (554 unresolvable From domain, 550 5.7.9).
pub const YAHOO_ERRORS: Reference = Reference {
    title: "Yahoo SMTP error codes",
    url: "https://senders.yahooinc.com/smtp-error-codes/",
};
/// Microsoft's requirements for high-volume senders to Outlook.com (550 5.7.515).
pub const OUTLOOK: Reference = Reference {
    title: "Outlook.com high-volume sender requirements",
    url: "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730",
};
/// Apple's iCloud Mail postmaster requirements for bulk senders.
pub const APPLE: Reference = Reference {
    title: "iCloud Mail postmaster information",
    url: "https://support.apple.com/en-us/102322",
};
/// Fastmail's sender authentication help (SPF, DKIM, DMARC are scored, not enforced).
pub const FASTMAIL_AUTH: Reference = Reference {
    title: "Fastmail sender authentication",
    url: "https://www.fastmail.help/hc/en-us/articles/1500000280461-Sender-authentication",
};

// Where to fix (fix/): who runs a zone.

/// RFC 1035 §3.3.13: the SOA record, whose MNAME and RNAME name a zone's primary server and its
/// contact.
pub const RFC1035_SOA: Reference = Reference {
    title: "RFC 1035 §3.3.13 (SOA)",
    url: "https://www.rfc-editor.org/rfc/rfc1035#section-3.3.13",
};
/// RFC 2308 §3: negative answers carry the SOA of the zone, which names the zone of any name.
pub const RFC2308_SOA: Reference = Reference {
    title: "RFC 2308 §3",
    url: "https://www.rfc-editor.org/rfc/rfc2308#section-3",
};
// DNS blocklists and bounces.

/// RFC 5782 §2: how a DNS blocklist answers.
pub const RFC5782: Reference = Reference {
    title: "RFC 5782 §2 (DNS blocklists)",
    url: "https://www.rfc-editor.org/rfc/rfc5782#section-2",
};
/// RFC 5782 §5: the test entries every list must carry.
pub const RFC5782_TESTS: Reference = Reference {
    title: "RFC 5782 §5 (test entries)",
    url: "https://www.rfc-editor.org/rfc/rfc5782#section-5",
};
/// Spamhaus's zones and return codes.
pub const SPAMHAUS_ZONES: Reference = Reference {
    title: "Spamhaus zones and return codes",
    url: "https://docs.spamhaus.com/datasets/docs/source/10-data-type-documentation/datasets/040-zones.html",
};
/// Spamhaus on queries through public resolvers (127.255.255.254) and over the limit (.255).
pub const SPAMHAUS_PUBLIC_RESOLVERS: Reference = Reference {
    title: "Spamhaus: queries through public resolvers",
    url: "https://www.spamhaus.org/news/article/788/",
};
/// RFC 3463, enhanced mail system status codes.
pub const RFC3463: Reference = Reference {
    title: "RFC 3463 (enhanced status codes)",
    url: "https://www.rfc-editor.org/rfc/rfc3463",
};
/// RFC 3464, delivery status notifications.
pub const RFC3464: Reference = Reference {
    title: "RFC 3464 (delivery status notifications)",
    url: "https://www.rfc-editor.org/rfc/rfc3464",
};
/// RFC 5321 §4.2, SMTP replies.
pub const RFC5321_REPLIES: Reference = Reference {
    title: "RFC 5321 §4.2 (SMTP replies)",
    url: "https://www.rfc-editor.org/rfc/rfc5321#section-4.2",
};
