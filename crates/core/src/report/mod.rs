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
pub use json::{host_json, report_json, report_json_with_blocklists};
pub use markdown::{paste_markdown, report_markdown};
pub use summary::{headline, Headline};
pub use target::{check_target, Checked, Target};
