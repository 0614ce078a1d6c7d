//! The HTTP side: RFC 8484 GET requests through reqwest, which uses the browser's `fetch` on wasm32
//! and hyper natively, so the page and the CLI share this code, retries included.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Url;
use sendercheck_core::dns::{Answer, Attempt, Exchange, Question, ResolveError, Resolver};

use crate::retry::{retry_after_ms, sleep, Clock, Jitter, RetryPolicy};
use crate::wire::{decode_answer, encode_query};
use crate::Error;

/// The resolver used when none is chosen.
pub const DEFAULT_RESOLVER: &str = "https://cloudflare-dns.com/dns-query";
/// The time allowed for one question, retries included, when none is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// RFC 8484 §6: the media type of a DNS message.
pub const DNS_MESSAGE: &str = "application/dns-message";
/// Replies larger than this are not DNS answers a mail check needs (a DNS message has at most 65535 bytes).
const MAX_REPLY: usize = 65_535;
/// A retry is not worth starting with less time than this (milliseconds) left of the budget.
const MIN_ATTEMPT_MS: u64 = 50;

/// What [`DohClient::fetch`] got for a question: the reply's bytes or why there were none, and the
/// tries that failed before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The reply's bytes as received, checked only for what HTTP can tell (status, content type,
    /// size), or the last try's error.
    pub reply: Result<Vec<u8>, ResolveError>,
    /// The tries that failed and were retried before `reply`, oldest first.
    pub attempts: Vec<Attempt>,
}

impl Fetched {
    /// Decodes the reply ([`decode_answer`]) into the engine's evidence.
    pub fn decode(self, question: &Question) -> Exchange {
        Exchange {
            question: question.clone(),
            result: self.reply.and_then(|bytes| decode_answer(question, &bytes)),
            attempts: self.attempts,
        }
    }
}

/// A reply of one try, with no earlier tries.
impl From<Result<Vec<u8>, ResolveError>> for Fetched {
    fn from(reply: Result<Vec<u8>, ResolveError>) -> Self {
        Fetched {
            reply,
            attempts: Vec::new(),
        }
    }
}

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

/// A DNS-over-HTTPS client for one resolver URL. Clones share one connection pool (one HTTP/2
/// connection where the resolver offers it).
#[derive(Debug, Clone)]
pub struct DohClient {
    http: reqwest::Client,
    endpoint: Url,
    timeout: Duration,
    retry: RetryPolicy,
}

impl DohClient {
    /// A client for `url` (see [`resolver_url`]) with [`DEFAULT_TIMEOUT`] and
    /// [`RetryPolicy::DEFAULT`].
    pub fn new(url: &str) -> Result<Self, Error> {
        Ok(DohClient {
            http: reqwest::Client::new(),
            endpoint: resolver_url(url)?,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::DEFAULT,
        })
    }

    /// Sets the time allowed for each question, retries included.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets when to try a question again ([`RetryPolicy::NEVER`]: never).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// When a question is tried again.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
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

    /// The time allowed for each question, retries included.
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
    /// content type, size), after as many tries as the [`RetryPolicy`] and the timeout allow (see
    /// [`crate::retry`]); [`Fetched::decode`] reads them. The page keeps these bytes, so that an
    /// export can replay the run exactly.
    pub async fn fetch(&self, question: &Question) -> Fetched {
        let clock = Clock::start();
        let budget = self.timeout.as_millis() as u64;
        let mut jitter = Jitter(0);
        let mut attempts = Vec::new();
        let reply = loop {
            let began = clock.ms();
            let remaining = budget.saturating_sub(began);
            let limit = self.retry.attempt_timeout_ms(budget).min(remaining);
            let (error, asked) = match self.fetch_once(question, limit).await {
                Ok(bytes) => break Ok(bytes),
                Err(failed) => failed,
            };
            let now = clock.ms();
            let tries = attempts.len() as u32 + 1;
            let wait = self.retry.wait_ms(&error, tries, asked, &mut jitter);
            if wait.saturating_add(MIN_ATTEMPT_MS) > budget.saturating_sub(now) {
                // A try cut short by the end of the budget: the question got no answer within it.
                break Err(match error {
                    ResolveError::Timeout { .. } if limit == remaining => {
                        ResolveError::Timeout { millis: budget }
                    }
                    other => other,
                });
            }
            attempts.push(Attempt {
                error,
                millis: now - began,
            });
            sleep(wait).await;
        };
        Fetched { reply, attempts }
    }

    /// One try of at most `limit` milliseconds: the reply's bytes, or the error and the wait the
    /// server asked for (`Retry-After`, milliseconds).
    async fn fetch_once(
        &self,
        question: &Question,
        limit: u64,
    ) -> Result<Vec<u8>, (ResolveError, Option<u64>)> {
        // A GET with only an Accept header is a CORS "simple request": no preflight (RFC 8484 §4.1).
        let response = self
            .http
            .get(self.url_for(question))
            .header(ACCEPT, DNS_MESSAGE)
            .timeout(Duration::from_millis(limit))
            .send()
            .await
            .map_err(|e| (transport_error(e, limit), None))?;
        let status = response.status();
        if !status.is_success() {
            let wait = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(retry_after_ms);
            return Err((
                ResolveError::Http {
                    status: status.as_u16(),
                },
                wait,
            ));
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
            .map_err(|e| (transport_error(e, limit), None))?;
        if let Some(ct) = content_type.filter(|ct| ct != DNS_MESSAGE) {
            return Err((
                ResolveError::NotDns(format!(
                    "its content type is `{ct}`, not `{DNS_MESSAGE}` ({} bytes{})",
                    body.len(),
                    preview(&body)
                )),
                None,
            ));
        }
        if body.len() > MAX_REPLY {
            return Err((
                ResolveError::NotDns(format!(
                    "{} bytes is larger than any DNS message",
                    body.len()
                )),
                None,
            ));
        }
        Ok(body.to_vec())
    }
}

/// A reqwest error as the engine's: a timeout of the try (`limit`), or what went wrong on the way,
/// without the request URL (it only repeats the question).
fn transport_error(err: reqwest::Error, limit: u64) -> ResolveError {
    if err.is_timeout() {
        return ResolveError::Timeout { millis: limit };
    }
    // In the browser the error chain ends in a JS TypeError with its stack; say what it means.
    if cfg!(target_arch = "wasm32") {
        return ResolveError::Transport(
            "the browser could not complete the request (network error, the resolver is down, or it does not allow this page: CORS)".into(),
        );
    }
    let err = err.without_url();
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    ResolveError::Transport(text)
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
    async fn query(&self, question: &Question) -> Result<Answer, ResolveError> {
        self.exchange(question).await.result
    }

    async fn exchange(&self, question: &Question) -> Exchange {
        self.fetch(question).await.decode(question)
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
