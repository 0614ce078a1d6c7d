//! The HTTP side: RFC 8484 GET requests through reqwest, which uses the browser's `fetch` on wasm32
//! and hyper natively, so the page and the CLI share this code.

use std::future::Future;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::Url;
use sendercheck_core::dns::{Answer, Question, ResolveError, Resolver};

use crate::wire::{decode_answer, encode_query};
use crate::Error;

/// The resolver used when none is chosen.
pub const DEFAULT_RESOLVER: &str = "https://cloudflare-dns.com/dns-query";
/// The time allowed for one question when none is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// RFC 8484 §6: the media type of a DNS message.
pub const DNS_MESSAGE: &str = "application/dns-message";
/// Replies larger than this are not DNS answers a mail check needs (a DNS message has at most 65535 bytes).
const MAX_REPLY: usize = 65_535;

/// Checks a resolver URL: `https://` (or `http://` on a loopback host, for testing), a host, no
/// fragment, and no `dns` parameter of its own.
///
/// ```
/// use sendercheck_doh::resolver_url;
/// assert!(resolver_url("https://dns.google/dns-query").is_ok());
/// assert_eq!(
///     resolver_url("http://dns.google/dns-query").unwrap_err().to_string(),
///     "`http://dns.google/dns-query` is not a usable DoH resolver URL: plain http is allowed only for loopback test servers; use https://"
/// );
/// ```
pub fn resolver_url(text: &str) -> Result<Url, Error> {
    let bad = |reason: &str| Error::ResolverUrl {
        url: text.trim().chars().take(200).collect(),
        reason: reason.into(),
    };
    let url = Url::parse(text.trim()).map_err(|e| bad(&format!("{e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => return Err(bad("it has no host")),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(
                "plain http is allowed only for loopback test servers; use https://",
            ))
        }
        other => {
            return Err(bad(&format!(
                "the scheme is `{other}`; a DoH resolver URL starts with https://"
            )))
        }
    }
    if url.fragment().is_some() {
        return Err(bad("it has a `#` fragment"));
    }
    if url.query_pairs().any(|(k, _)| k == "dns") {
        return Err(bad(
            "it already has a `dns` parameter; give the URL without it",
        ));
    }
    Ok(url)
}

/// A DNS-over-HTTPS client for one resolver URL.
#[derive(Debug, Clone)]
pub struct DohClient {
    http: reqwest::Client,
    endpoint: Url,
    timeout: Duration,
}

impl DohClient {
    /// A client for `url` (see [`resolver_url`]) with [`DEFAULT_TIMEOUT`].
    pub fn new(url: &str) -> Result<Self, Error> {
        Ok(DohClient {
            http: reqwest::Client::new(),
            endpoint: resolver_url(url)?,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Sets the time allowed for each question.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses a configured reqwest client (extra root certificates, a proxy, a user agent).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The resolver URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The time allowed for each question.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The GET URL for a question: the endpoint with `dns=` the base64url query, no padding (RFC 8484 §4.1).
    pub fn url_for(&self, question: &Question) -> Url {
        let mut url = self.endpoint.clone();
        url.query_pairs_mut()
            .append_pair("dns", &URL_SAFE_NO_PAD.encode(encode_query(question)));
        url
    }

    /// Asks `question` and returns the reply's bytes, checked only for what HTTP can tell (status,
    /// content type, size); [`decode_answer`] reads them. The page keeps these bytes, so that an
    /// export can replay the run exactly.
    pub async fn fetch(&self, question: &Question) -> Result<Vec<u8>, ResolveError> {
        // A GET with only an Accept header is a CORS "simple request": no preflight (RFC 8484 §4.1).
        let response = self
            .http
            .get(self.url_for(question))
            .header(ACCEPT, DNS_MESSAGE)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(ResolveError::Http {
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if let Some(ct) = content_type.filter(|ct| ct != DNS_MESSAGE) {
            return Err(ResolveError::NotDns(format!(
                "its content type is `{ct}`, not `{DNS_MESSAGE}` ({} bytes{})",
                body.len(),
                preview(&body)
            )));
        }
        if body.len() > MAX_REPLY {
            return Err(ResolveError::NotDns(format!(
                "{} bytes is larger than any DNS message",
                body.len()
            )));
        }
        Ok(body.to_vec())
    }

    async fn ask(&self, question: &Question) -> Result<Answer, ResolveError> {
        decode_answer(question, &self.fetch(question).await?)
    }

    fn transport_error(&self, err: &reqwest::Error) -> ResolveError {
        if err.is_timeout() {
            return ResolveError::Timeout {
                millis: self.timeout.as_millis() as u64,
            };
        }
        // In the browser the error chain ends in a JS TypeError with its stack; say what it means.
        if cfg!(target_arch = "wasm32") {
            return ResolveError::Transport(
                "the browser could not complete the request (network error, the resolver is down, or it does not allow this page: CORS)".into(),
            );
        }
        let mut text = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        ResolveError::Transport(text)
    }
}

/// The start of a body that is not DNS, for the error message: `: "<html>…"` if it is text.
fn preview(body: &[u8]) -> String {
    let head = &body[..body.len().min(60)];
    match std::str::from_utf8(head) {
        Ok(text) if !text.trim().is_empty() => {
            let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            format!(": \"{one_line}{}\"", if body.len() > 60 { "…" } else { "" })
        }
        _ => String::new(),
    }
}

impl Resolver for DohClient {
    fn query(&self, question: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        self.ask(question)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendercheck_core::dns::{DomainName, RecordType};

    #[test]
    fn urls() {
        let c = DohClient::new("https://dns.example/dns-query?ct=1").unwrap();
        let q = Question::new(DomainName::parse("example.com").unwrap(), RecordType::A);
        let u = c.url_for(&q).to_string();
        assert!(
            u.starts_with("https://dns.example/dns-query?ct=1&dns="),
            "{u}"
        );
        assert!(
            !u.contains('='.to_string().repeat(2).as_str()) && !u.ends_with('='),
            "no padding: {u}"
        );
        assert!(resolver_url("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(resolver_url("http://[::1]:8053/dns-query").is_ok());
        for (bad, reason) in [
            (
                "ftp://x.example/",
                "the scheme is `ftp`; a DoH resolver URL starts with https://",
            ),
            ("not a url", "relative URL without a base"),
            ("https://x.example/q#frag", "it has a `#` fragment"),
            (
                "https://x.example/q?dns=AAAA",
                "it already has a `dns` parameter; give the URL without it",
            ),
        ] {
            let err = resolver_url(bad).unwrap_err().to_string();
            assert!(err.ends_with(reason), "{bad}: {err}");
        }
    }

    #[test]
    fn previews() {
        assert_eq!(preview(b"<html>\n nope</html>"), ": \"<html> nope</html>\"");
        assert_eq!(preview(&[0, 159, 146, 150]), "");
    }
}
