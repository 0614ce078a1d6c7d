//! Does a reverse (PTR) name look *generic*?
//!
//! A generic name is one an ISP or hosting provider gives to every address in a range by default
//! (dynamic, residential or provider-default rDNS), rather than one an operator chose for a mail
//! server: `192-0-2-90.dynamic.pool.example.net`, `c-76-121-96-159.hsd1.wa.comcast.net`,
//! `ec2-192-0-2-1.compute-1.amazonaws.com`. Yahoo asks senders for "valid, non-generic rDNS", and
//! other receivers penalise such names too. [`classify`] reports three kinds of evidence:
//!
//! * **Embedded address** ([`GenericSignal::EmbeddedAddress`]), after Haraka's `fcrdns` plugin
//!   (`is_generic_rdns`, built on `haraka-net-utils`' `is_ip_in_str`) and SpamAssassin's
//!   `__RDNS_DYNAMIC_IPADDR`, `__RDNS_DYNAMIC_HEXIP` and `__RDNS_DYNAMIC_SPLIT_IP`
//!   (`rules/20_dynrdns.cf`). Stricter than Haraka, which accepts any two octets found anywhere:
//!   at least three octets must appear consecutively, in order or reversed (`192-0-2-90`,
//!   `90.2.0.192`, `160-115-100`), each written as 1 to 3 digits (leading zeros allowed) and
//!   joined by one `-`, `.` or `_` (three only when not part of a longer chain of such numbers:
//!   `192-0-2-7` does not embed 192.0.2.8); or all four zero-padded with nothing between
//!   (`219173000034`), or three zero-padded (9 digits); or the 32-bit number in decimal (when it
//!   has 8 or more digits) or as 8 hex digits (`c0000212`, either byte order). For IPv6: the 32
//!   nibbles forward or reversed (separators ignored, so `2001-0db8-…` and ip6.arpa-style dotted
//!   nibbles count), the groups joined by `-`/`.`/`_` (`2001-db8--10`, `2001-db8-0-0-0-0-0-10`),
//!   and the interface identifier (last 4 groups or 16 nibbles) alone only when at least two of
//!   its groups are non-zero (`::10` would give the far too common `0-0-0-10`). Numbers must not
//!   continue into more digits (hex digits for hex forms) on either side.
//! * **Dynamic keyword** ([`GenericSignal::DynamicKeyword`]), after SpamAssassin's `RDNS_DYNAMIC`
//!   sub-rules (`__RDNS_DYNAMIC_DHCP`, `__RDNS_INDICATOR_DYN`/`_TYPE`/`_TYPE2`/`_RES`). A keyword
//!   must be a whole token: labels are split on `.`, `-`, `_` and letter/digit boundaries, so
//!   `dyn123` and `ppp-45` match but `hostmaster`, `clientele`, `dialog`, `dynamo`, `cableway`
//!   and `mailpool` do not. Strong words (`dsl`, `pool`, …) count on their own; weak ones
//!   (`host`, `ip`, `client`, …) are everyday words in chosen names, so they count only in a name
//!   that also embeds the address. `static` is never a dynamic keyword.
//! * **Cloud default** ([`GenericSignal::CloudDefault`]): the provider's automatic PTR for
//!   Amazon EC2, Google Cloud, Microsoft Azure, Hetzner, OVHcloud, Linode, Vultr and Contabo,
//!   matched on the whole name. DigitalOcean has none: its PTR is the droplet's name.
//!
//! Embedded addresses and keywords are looked for only in the labels left of the last two (the
//! TLD and the organisation's name), a simple stand-in for Haraka's `host_part` (everything left
//! of the public-suffix-aware organisational domain): `dyn.com` or `cable.example` say nothing
//! about a host. A name of two labels or fewer therefore has no host part. Under a two-label
//! public suffix (`telesp.net.br`) the organisation's label is examined too, which is harmless.
//!
//! **Softening.** Mail-ish or static words (`mail`, `smtp`, `mx`, `relay`, `out`, `static`, …)
//! cancel an embedded address, as Haraka does for `static` and SpamAssassin does via
//! `__RDNS_STATIC`: `mail-192-0-2-7.example.com` was evidently chosen for a mail server. They do
//! *not* cancel a dynamic keyword or a cloud default (unlike SpamAssassin, which drops all of
//! `RDNS_DYNAMIC` on `static`/`fix`): `host-192-0-2-7.static.example.com` and Hetzner's
//! `static.….clients.your-server.de` are still the provider's template names, which receivers
//! treat as generic. Haraka's `business` exception is not copied, for the same reason.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::fix::{address_record, ptr_record, EXAMPLE_NAME};
use super::iprev::{Iprev, PtrName};
use crate::finding::{Finding, FindingId};

/// What made a name look generic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenericSignal {
    /// The name embeds the address's digits, e.g. `192-0-2-90` or `90.2.0.192` or hex nibbles /
    /// groups of an IPv6 address; the string is the matched part of the name.
    EmbeddedAddress(String),
    /// A label or token that ISPs use for dynamic pools, e.g. `dyn`, `dynamic`, `dhcp`, `dsl`,
    /// `pool`, `cable`, `cpe`, `ppp`, or (only beside an embedded address) `client`, `customer`,
    /// `user`, `host`, `ip`, `nat`; the string is the word that matched.
    DynamicKeyword(String),
    /// A cloud provider's default reverse name; the string names the provider (e.g. "Amazon EC2").
    CloudDefault(String),
}

/// The verdict, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericVerdict {
    /// True when the name looks generic after softening.
    pub generic: bool,
    /// Every signal found, in the order found (cloud default, embedded address, keywords).
    pub signals: Vec<GenericSignal>,
    /// Words like `mail`, `smtp`, `mx`, `static`, `relay`, `out`, `outbound`, `mta` found in the
    /// name that soften the verdict (all that were found, whether or not they changed it).
    pub softeners: Vec<String>,
}

/// Dynamic-pool words that make a name generic by themselves (space separated).
const STRONG: &str =
    "dyn dynamic dynip dhcp dsl adsl vdsl xdsl sdsl pool cable catv docsis cpe ppp \
    pppoe pptp broadband dial dialup dialin modem isdn residential resnet dclient fibertel";
/// Words ISPs use in template names that are also ordinary in chosen names: they count only when
/// the name embeds the address too (`c-76-121-96-159.client…`, but not `client.example.com`).
const WEAK: &str = "host ip client customer cust user nat node res cm dip rev reverse";
/// Words that suggest a deliberately named (mail or static) host; they cancel an embedded address.
const SOFTENERS: &str = "mail email smtp mx mta relay out outbound mailout smtpout static";
/// Default reverse-name suffixes of cloud providers (plus `ec2-…amazonaws.com` and OVHcloud's
/// `…ip-A-B-C.eu`, see [`cloud_default`]). DigitalOcean has none: its PTR is the droplet's name.
const CLOUDS: &[(&str, &str)] = &[
    (".compute.amazonaws.com", "Amazon EC2"),
    (".compute-1.amazonaws.com", "Amazon EC2"),
    (".compute.amazonaws.com.cn", "Amazon EC2"),
    (".bc.googleusercontent.com", "Google Cloud"),
    (".cloudapp.net", "Microsoft Azure"),
    (".cloudapp.azure.com", "Microsoft Azure"),
    (".clients.your-server.de", "Hetzner"),
    (".vps.ovh.net", "OVHcloud"),
    (".vps.ovh.ca", "OVHcloud"),
    (".vps.ovh.us", "OVHcloud"),
    (".members.linode.com", "Linode"),
    (".ip.linodeusercontent.com", "Linode"),
    (".vultrusercontent.com", "Vultr"),
    (".contaboserver.net", "Contabo"),
];

impl GenericVerdict {
    /// One English sentence saying what matched, without a final full stop (callers append their
    /// own), e.g. "`192-0-2-90.dynamic.pool.example` embeds the address (`192-0-2-90`) and
    /// contains `dynamic`, `pool`", or that nothing matched; softeners are mentioned when they
    /// changed the verdict.
    pub fn explanation(&self, name: &str) -> String {
        let (mut parts, mut addrs, mut words) = (Vec::new(), Vec::new(), Vec::new());
        for s in &self.signals {
            match s {
                GenericSignal::CloudDefault(p) => {
                    parts.push(format!("is the default reverse name of {p}"))
                }
                GenericSignal::EmbeddedAddress(a) => addrs.push(a.as_str()),
                GenericSignal::DynamicKeyword(w) => words.push(w.as_str()),
            }
        }
        if !addrs.is_empty() {
            parts.push(format!("embeds the address ({})", ticked(&addrs)));
        }
        if !words.is_empty() {
            parts.push(format!("contains {}", ticked(&words)));
        }
        let said = match parts.split_last() {
            None => {
                return format!(
                    "`{name}` does not look generic: it embeds no part of the address, has no \
                     dynamic-pool word and is not a cloud provider's default name"
                )
            }
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        let softened = if self.generic {
            String::new()
        } else {
            let soft = ticked(&self.softeners);
            format!(
                ", but {soft} suggests a deliberately named host, so it is not treated as generic"
            )
        };
        format!("`{name}` {said}{softened}")
    }
}

fn ticked<S: AsRef<str>>(words: &[S]) -> String {
    join(words.iter().map(|w| format!("`{}`", w.as_ref())), ", ")
}

fn join(items: impl Iterator<Item = String>, sep: &str) -> String {
    items.collect::<Vec<_>>().join(sep)
}

/// Judge `name` (lower case, no trailing dot, already validated as a host name) as the reverse
/// name of `ip`. IPv4-mapped IPv6 addresses are given as IPv4 already. Never panics, whatever
/// the input. See the module documentation for the rules.
pub fn classify(name: &str, ip: IpAddr) -> GenericVerdict {
    let name = name.to_ascii_lowercase();
    let provider = cloud_default(&name).map(|p| GenericSignal::CloudDefault(p.to_string()));
    let cloud = provider.is_some();
    let mut signals: Vec<GenericSignal> = provider.into_iter().collect();
    let labels: Vec<&str> = name.split('.').collect();
    let host = labels[..labels.len().saturating_sub(2)].join(".");
    let ranges = match ip {
        IpAddr::V4(v4) => v4_ranges(&host, v4),
        IpAddr::V6(v6) => v6_ranges(&host, v6),
    };
    for m in ranges.into_iter().filter_map(|(s, e)| host.get(s..e)) {
        push_new(&mut signals, GenericSignal::EmbeddedAddress(m.to_string()));
    }
    let has_addr = signals.len() > usize::from(cloud);
    let before_keywords = signals.len();
    let mut softeners: Vec<String> = Vec::new();
    for word in host.split(|c: char| !c.is_ascii_alphabetic()) {
        if listed(STRONG, word) || (has_addr && listed(WEAK, word)) {
            let keyword = GenericSignal::DynamicKeyword(word.to_string());
            push_new(&mut signals, keyword);
        } else if listed(SOFTENERS, word) {
            push_new(&mut softeners, word.to_string());
        }
    }
    let strong = cloud || signals.len() > before_keywords;
    let generic = strong || (has_addr && softeners.is_empty());
    GenericVerdict {
        generic,
        signals,
        softeners,
    }
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn listed(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w == word)
}

fn cloud_default(name: &str) -> Option<&'static str> {
    let ends = |suffix: &str| name.len() > suffix.len() && name.ends_with(suffix);
    if let Some((_, provider)) = CLOUDS.iter().find(|(suffix, _)| ends(suffix)) {
        return Some(provider);
    }
    if name.starts_with("ec2-") && ends(".amazonaws.com") {
        return Some("Amazon EC2");
    }
    // OVHcloud dedicated servers: `ns123.ip-192-0-2.eu` (also `.net` and `.us`).
    let mut labels = name.rsplit('.');
    let (tld, org, host) = (labels.next(), labels.next(), labels.next());
    let ovh = org.and_then(|o| o.strip_prefix("ip-")).is_some_and(|rest| {
        let parts: Vec<&str> = rest.split('-').collect();
        parts.len() == 3 && parts.iter().all(|p| octet(p).is_some())
    });
    let ovh_tld = matches!(tld, Some("eu" | "net" | "us"));
    (ovh && ovh_tld && host.is_some()).then_some("OVHcloud")
}

/// A decimal octet written with 1 to 3 digits (leading zeros allowed).
fn octet(s: &str) -> Option<u8> {
    let digits = s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| s.parse().ok()).flatten()
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'-' | b'.' | b'_')
}

/// The bytes of `b` with their indices, separators dropped (`drop`) or all turned into `-`.
fn squeeze(b: &[u8], drop: bool) -> Vec<(u8, usize)> {
    let kept = b.iter().enumerate().filter(|(_, c)| !(drop && is_sep(**c)));
    kept.map(|(i, &c)| (if is_sep(c) { b'-' } else { c }, i))
        .collect()
}

/// Finds `needle` in `hay` (bytes paired with their index in `orig`) where the bytes of `orig`
/// on either side of the match are not hex digits; returns the matched range of `orig`.
fn find_bounded(hay: &[(u8, usize)], orig: &[u8], needle: &str) -> Option<(usize, usize)> {
    let n = needle.as_bytes();
    let hex = |i: usize| orig.get(i).is_some_and(u8::is_ascii_hexdigit);
    hay.windows(n.len().max(1)).find_map(|w| {
        let (s, e) = (w[0].1, w[w.len() - 1].1 + 1);
        let hit = w.iter().map(|p| p.0).eq(n.iter().copied());
        (hit && !(s > 0 && hex(s - 1)) && !hex(e)).then_some((s, e))
    })
}

fn v4_ranges(h: &str, ip: Ipv4Addr) -> Vec<(usize, usize)> {
    let b = h.as_bytes();
    let (fwd, mut out) = (ip.octets(), Vec::new());
    let rev = [fwd[3], fwd[2], fwd[1], fwd[0]];
    let seqs = [fwd, rev];
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in (0..b.len()).filter(|&i| b[i].is_ascii_digit()) {
        match runs.last_mut() {
            Some(last) if last.1 == i => last.1 = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    let text = |k: usize| h.get(runs[k].0..runs[k].1).unwrap_or_default();
    // Runs `k` and `k + 1` are joined by exactly one separator.
    let link = |k: usize| {
        runs.get(k + 1)
            .is_some_and(|r| r.0 == runs[k].1 + 1 && is_sep(b[r.0 - 1]))
    };
    let short = |k: usize| text(k).len() <= 3;
    'chains: for len in [4, 3] {
        for i in 0..runs.len().saturating_sub(len - 1) {
            // Three octets inside a longer chain of short numbers belong to another address.
            let longer = len == 3
                && ((i > 0 && link(i - 1) && short(i - 1)) || (link(i + 2) && short(i + 3)));
            let vals: Option<Vec<u8>> = (i..i + len).map(|k| octet(text(k))).collect();
            let Some(vals) = vals.filter(|_| !longer && (i..i + len - 1).all(link)) else {
                continue;
            };
            if seqs.iter().any(|q| q.windows(len).any(|x| x == vals)) {
                out.push((runs[i].0, runs[i + len - 1].1));
                break 'chains;
            }
        }
    }
    let pad = |o: &[u8]| o.iter().map(|x| format!("{x:03}")).collect::<String>();
    let mut padded = vec![pad(&fwd), pad(&rev)];
    padded.extend(fwd.windows(3).chain(rev.windows(3)).map(pad));
    let number = u32::from(ip);
    for (k, &(s, e)) in runs.iter().enumerate() {
        let run = text(k);
        // All four padded octets anywhere in a run; three only as the whole run.
        let hit = padded.iter().find_map(|p| {
            let at = run
                .find(p.as_str())
                .filter(|_| p.len() == 12 || run.len() == 9)?;
            Some((s + at, s + at + p.len()))
        });
        out.extend(hit);
        if number >= 10_000_000 && run == number.to_string() {
            out.push((s, e));
        }
    }
    let squeezed = squeeze(b, true);
    for n in [number, number.swap_bytes()] {
        out.extend(find_bounded(&squeezed, b, &format!("{n:08x}")));
    }
    out
}

fn v6_ranges(h: &str, ip: Ipv6Addr) -> Vec<(usize, usize)> {
    let (b, g) = (h.as_bytes(), ip.segments());
    let nibbles = format!("{:032x}", u128::from(ip));
    let rev = |s: &str| s.chars().rev().collect::<String>();
    let groups = |g: &[u16]| join(g.iter().map(|x| format!("{x:x}")), "-");
    let mut squeezed = vec![nibbles.clone(), rev(&nibbles)];
    let mut dashed = vec![ip.to_string().replace([':', '.'], "-"), groups(&g)];
    // The interface identifier alone only when it has some substance (not `0-0-0-10`).
    if g[4..].iter().filter(|&&x| x != 0).count() >= 2 {
        squeezed.extend([nibbles[16..].to_string(), rev(&nibbles[16..])]);
        dashed.push(groups(&g[4..]));
    }
    let (s, d) = (squeeze(b, true), squeeze(b, false));
    let mut out: Vec<_> = squeezed
        .iter()
        .filter_map(|n| find_bounded(&s, b, n))
        .collect();
    out.extend(dashed.iter().filter_map(|n| find_bounded(&d, b, n)));
    out
}

/// Whether the names a receiver will use look generic, and what matched.
pub(crate) fn generic_findings(iprev: &Iprev, out: &mut Vec<Finding>) {
    let names = iprev.relevant_names();
    let usable: Vec<&&PtrName> = names.iter().filter(|n| n.problem.is_none()).collect();
    if usable.is_empty() {
        return;
    }
    let generic: Vec<&&&PtrName> = usable.iter().filter(|n| n.generic.generic).collect();
    if generic.is_empty() {
        let list = usable
            .iter()
            .map(|n| format!("`{}`", n.name))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(FindingId::RdnsNotGeneric
.says(format!("Reverse name {list} does not look generic"))
.because("It does not embed the address's digits, use a dynamic-pool word or match a cloud provider's default name (the heuristics of SpamAssassin's RDNS_DYNAMIC and Haraka's fcrdns plugin)."));
        return;
    }
    for n in generic {
        out.push(FindingId::RdnsGeneric
.says(format!("Reverse name `{}` looks generic", n.name))
.because(format!(
                "{}. Yahoo asks for \"valid, non-generic\" reverse DNS; SpamAssassin's RDNS_DYNAMIC and Haraka's fcrdns plugin score such names as dynamic or residential, and some receivers reject them outright.",
                n.generic.explanation(&n.name)
            ))
.fixed_by(format!(
                "Set a PTR that names the mail server under your own domain, with a matching forward record:\n{}\n{}",
                ptr_record(iprev.ip, EXAMPLE_NAME),
                address_record(iprev.ip, EXAMPLE_NAME)
            )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One case a line: `names address verdict evidence…`, where names are separated by `,`,
    /// verdict is `generic` or `ok` and evidence is `a=` embedded address, `k=` keyword, `c=` cloud
    /// (`_` for space), `s=` softener. Signals and softeners must match exactly, in order.
    const CASES: &str = "
        192-0-2-90.dynamic.pool.sendercheck.test 192.0.2.90 generic a=192-0-2-90 k=dynamic k=pool
        mail.sendercheck.test 192.0.2.90 ok s=mail
        mx1.example.net 192.0.2.7 ok s=mx
        smtp-out-01.example.org 192.0.2.7 ok s=smtp s=out
        o1.email.example.com 192.0.2.7 ok s=email
        mail.theartfarm.com 66.128.51.165 ok s=mail
        relay.dyn.com 192.0.2.7 ok s=relay
        hostmaster.a.test,clientele.a.test,dialog.a.test,dynamo.a.test 192.0.2.7 ok
        cableway.example.com,mailpool.example.com,dyn.com,pool.example 192.0.2.7 ok
        static.example.com 192.0.2.7 ok s=static
        pooling-192-0-2-7.example.com 192.0.2.7 generic a=192-0-2-7
        dyn123.example.net 192.0.2.7 generic k=dyn
        ppp-45.example.net 192.0.2.7 generic k=ppp
        x.4dhcp.example.net 192.0.2.7 generic k=dhcp
        host1.example.com,client.example.com,ip6.example.com,user.example.com 192.0.2.7 ok
        90-2-0-192.cust.example.net 192.0.2.90 generic a=90-2-0-192 k=cust
        c0000212.example.net 192.0.2.18 generic a=c0000212
        dsl-192-0-2-7.example.com 192.0.2.7 generic a=192-0-2-7 k=dsl
        host-192-0-2-7.static.example.com 192.0.2.7 generic a=192-0-2-7 k=host s=static
        mail-192-0-2-7.example.com 192.0.2.7 ok a=192-0-2-7 s=mail
        static-192-0-2-7.example.com 192.0.2.7 ok a=192-0-2-7 s=static
        dhcp024-210-034-053.columbus.rr.com 24.210.34.53 generic a=024-210-034-053 k=dhcp
        yahoobb219173000034.bbtec.net 219.173.0.34 generic a=219173000034
        h3221226074.example.net 192.0.2.90 generic a=3221226074
        74.67-201-80.adsl.skynet.be 80.201.67.74 generic a=74.67-201-80 k=adsl
        fia160-115-100.dsl.hccnet.nl 80.100.115.160 generic a=160-115-100 k=dsl
        pd9e4f89f.dip.t-dialin.net 217.228.248.159 generic a=d9e4f89f k=dip
        vaise-1-82-67-44-166.fbx.proxad.net 82.67.44.166 generic a=82-67-44-166
        c-76-121-96-159.hsd1.wa.comcast.net 76.121.96.159 generic a=76-121-96-159
        x_192_0_2_7.example.org 192.0.2.7 generic a=192_0_2_7
        0-0-0-0.example.com 0.0.0.0 generic a=0-0-0-0
        host-2-90.example.com 192.0.2.90 ok
        1192-0-2-901.example.com 192.0.2.90 ok
        198-51-100-7.example.net 192.0.2.7 ok
        192-0-2-7.example.net,1-192-0-2.example.net 192.0.2.8 ok
        h5.example.com 0.0.0.5 ok
        ac0000212.example.net 192.0.2.18 ok
        192-0-2-90.com 192.0.2.90 ok
        198-51-100-7.dsl.example.net 192.0.2.7 generic k=dsl
        ec2-192-0-2-1.compute-1.amazonaws.com 192.0.2.1 generic c=Amazon_EC2 a=192-0-2-1
        ec2-198-51-100-1.eu-west-1.compute.amazonaws.com 192.0.2.1 generic c=Amazon_EC2
        1.2.0.192.bc.googleusercontent.com 192.0.2.1 generic c=Google_Cloud a=1.2.0.192
        myvm.cloudapp.net 192.0.2.1 generic c=Microsoft_Azure
        myvm.westeurope.cloudapp.azure.com 192.0.2.1 generic c=Microsoft_Azure
        static.1.2.0.192.clients.your-server.de 192.0.2.1 generic c=Hetzner a=1.2.0.192 s=static
        ip1.ip-192-0-2.eu 192.0.2.1 generic c=OVHcloud
        vps-1a2b3c4d.vps.ovh.net 192.0.2.1 generic c=OVHcloud
        li123-1.members.linode.com 192.0.2.1 generic c=Linode
        192-0-2-1.ip.linodeusercontent.com 192.0.2.1 generic c=Linode a=192-0-2-1 k=ip
        192.0.2.1.vultrusercontent.com 192.0.2.1 generic c=Vultr a=192.0.2.1
        vmi123456.contaboserver.net 192.0.2.1 generic c=Contabo
        amazonaws.com,cloudapp.net,ip-198-51-100.example.eu,ip-1-2-3.eu 192.0.2.1 ok
        2001-db8--10.dyn.example.net 2001:db8::10 generic a=2001-db8--10 k=dyn
        20010db8000000000000000000000010.example.net 2001:db8::10 generic \
            a=20010db8000000000000000000000010
        2001-db8-0-0-0-0-0-10.example.net 2001:db8::10 generic a=2001-db8-0-0-0-0-0-10
        ip-1a-2b-3c-4d.example.net 2001:db8::1a:2b:3c:4d generic a=1a-2b-3c-4d k=ip
        d.4.0.0.c.3.0.0.b.2.0.0.a.1.0.0.rev.example.net 2001:db8::1a:2b:3c:4d generic \
            a=d.4.0.0.c.3.0.0.b.2.0.0.a.1.0.0 k=rev
        mail-2001-db8--10.example.net 2001:db8::10 ok a=2001-db8--10 s=mail
        0-0-0-10.example.net,2001-db8--11.example.net,www.example.net 2001:db8::10 ok
        MAIL-192-0-2-7.Example.COM 192.0.2.7 ok a=192-0-2-7 s=mail
    ";

    #[test]
    fn table() {
        assert!(CASES.split(['\n', ',']).count() > 70);
        for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (mut signals, mut softeners) = (Vec::new(), Vec::new());
            for e in &f[3..] {
                let v = e[2..].replace('_', " ");
                match &e[..2] {
                    "a=" => signals.push(GenericSignal::EmbeddedAddress(e[2..].to_string())),
                    "k=" => signals.push(GenericSignal::DynamicKeyword(v)),
                    "c=" => signals.push(GenericSignal::CloudDefault(v)),
                    _ => softeners.push(v),
                }
            }
            let generic = f[2] == "generic";
            let want = GenericVerdict {
                generic,
                signals,
                softeners,
            };
            for name in f[0].split(',') {
                assert_eq!(classify(name, f[1].parse().expect("ip")), want, "{name}");
            }
        }
    }

    #[test]
    fn explanations() {
        let say = |name: &str, ip: &str| classify(name, ip.parse().expect("ip")).explanation(name);
        assert_eq!(
            say("192-0-2-90.dynamic.pool.sendercheck.test", "192.0.2.90"),
            "`192-0-2-90.dynamic.pool.sendercheck.test` embeds the address (`192-0-2-90`) and \
             contains `dynamic`, `pool`"
        );
        assert_eq!(
            say("mail.sendercheck.test", "192.0.2.90"),
            "`mail.sendercheck.test` does not look generic: it embeds no part of the address, has \
             no dynamic-pool word and is not a cloud provider's default name"
        );
        assert_eq!(
            say("mail-192-0-2-7.example.com", "192.0.2.7"),
            "`mail-192-0-2-7.example.com` embeds the address (`192-0-2-7`), but `mail` suggests a \
             deliberately named host, so it is not treated as generic"
        );
        assert_eq!(
            say("ec2-192-0-2-1.compute-1.amazonaws.com", "192.0.2.1"),
            "`ec2-192-0-2-1.compute-1.amazonaws.com` is the default reverse name of Amazon EC2 \
             and embeds the address (`192-0-2-1`)"
        );
    }

    const ODD: &str = " \u{0} - .. . a -.- _ é.ü.例え.テスト 1.2.3.4 :: 0x -- ÿ192-0-2-7ÿ.a.b \
        192.0.2.7. .192.0.2.7 f0-f0-f0-ff.x.y 0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0";

    const IPS: &str = "192.0.2.7 0.0.0.0 255.255.255.255 :: 2001:db8::1 ::ffff:1.2.3.4";

    #[test]
    fn odd_inputs_do_not_panic() {
        let long = ["a".repeat(300), "9".repeat(400), "f0-".repeat(200)];
        for name in ODD.split(' ').chain(long.iter().map(String::as_str)) {
            for ip in IPS.split(' ') {
                let r = classify(name, ip.parse().expect("ip"));
                assert!(!r.explanation(name).is_empty());
            }
        }
    }
}
