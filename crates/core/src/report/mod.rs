//! A run's outcome and its renderings: [`check`] of one address, [`check_host`] of a host name's
//! addresses, [`Target`] and [`Checked`] (the subject and outcome the front ends share), the
//! one-line [`headline`], and the JSON and Markdown forms.

mod check;
mod host;
pub(crate) mod json;
mod markdown;
mod summary;
mod target;

pub use check::{check, Report, Verdict};
pub use host::{check_host, HostReport};
pub use json::{
    domain_json, domain_json_with, host_json, host_json_with, report_json, report_json_with,
};
pub use markdown::{
    blocklists_markdown, domain_markdown, paste_markdown, report_markdown, report_markdown_with,
};
pub use summary::{headline, Headline};
pub use target::{check_target, Checked, Target};
