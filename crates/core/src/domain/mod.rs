//! The sending domain: what receivers conclude from the DNS of the domains in a message's
//! envelope and headers.
//!
//! | module | what it checks |
//! |---|---|
//! | [`check`] | all of the below for one sending domain at once ([`check::check_domain`]) |
//! | [`spf`] | RFC 7208 Sender Policy Framework: `check_host()` for the sending IP, with a trace and advice |
//! | [`dmarc`] | the DMARC policy record that applies to the From domain (RFC 9989 tree walk), every tag, the organizational domain, external report destinations |
//! | [`dkim`] | DKIM key records by selector (RFC 6376 §3.6.1), key types and lengths (RFC 8301, RFC 8463) |
//! | [`alignment`] | the From domain against the SPF domain and DKIM `d=` (RFC 9989 identifier alignment) |
//! | [`mx`] | whether a domain exists and can receive mail: MX, null MX (RFC 7505), A/AAAA fallback |
//! | [`requirements`] | Gmail's, Yahoo's, Outlook.com's, Apple's and Fastmail's published rules, as data, judged from the above |
//!
//! Each module judges and writes its own findings. All DNS goes through the run's
//! [`Cached`](crate::dns::Cached) resolver: a question is asked once per run, and checks that
//! run together share answers. Their questions are known from the input, so one round trip
//! carries the DMARC tree walk, the From domain's MX/A/AAAA, the DKIM selectors and the
//! alignment walks; a second carries only DMARC's external report destinations, whose names are
//! known once the record is read:
//!
//! ```
//! # use sendercheck_core::dns::{Answer, Cached, Question, Rcode, ResolveError, Resolver};
//! # use sendercheck_core::domain::{alignment, dkim, dmarc, mx, requirements};
//! # use sendercheck_core::DomainName;
//! # use std::future::Future;
//! # struct Empty;
//! # impl Resolver for Empty {
//! #     fn query(&self, _: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
//! #         async { Ok(Answer::new(Rcode::NoError, vec![])) }
//! #     }
//! # }
//! let resolver = Cached::new(Empty);
//! let from = DomainName::parse("example.com").unwrap();
//! let mail_from = alignment::spf_domain("<bounce@mail.example.com>", None).unwrap();
//! let selectors = [dkim::DkimQuery::new("s1", &from).unwrap()];
//! let identifiers = [mail_from.clone()];
//! let (dmarc, bounces, keys, walks) = futures::executor::block_on(async {
//!     futures::join!(
//!         dmarc::check_dmarc(&resolver, &from),
//!         mx::check_mx(&resolver, &mail_from),
//!         dkim::check_selectors(&resolver, &selectors),
//!         alignment::org_domains(&resolver, &identifiers),
//!     )
//! });
//! let (aspf, adkim) = dmarc.modes();
//! let from_org = alignment::OrgDomain::from_walk(dmarc.walk.clone());
//! let aligned = alignment::align(&from_org, walks.first(), &[], aspf, adkim);
//! let rows = requirements::evaluate(&requirements::Results {
//!     dkim: dkim::any_usable(&keys),
//!     dmarc: dmarc.meets_requirements(),
//!     alignment: aligned.aligned(),
//!     mx: bounces.can_receive(),
//!     exists: bounces.exists,
//!     ..Default::default()
//! });
//! assert_eq!(dmarc.result, dmarc::DmarcResult::Fail);
//! assert!(rows.iter().any(|r| r.requirement.id == "dmarc" && r.result == requirements::Met::Fail));
//! ```

pub mod alignment;
pub mod check;
pub mod dkim;
pub mod dmarc;
pub mod fix;
pub mod mx;
pub mod requirements;
pub mod spf;
