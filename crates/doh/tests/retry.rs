//! The retry policy against a scripted HTTP/1.1 server on loopback: which failures are tried again,
//! `Retry-After`, the backoff, and the question's time budget, which retries never exceed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sendercheck_core::dns::{DomainName, Question, Rcode, RecordType, ResolveError, Resolver};
use sendercheck_doh::{encode_query, DohClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does with one request.
#[derive(Clone, Copy, Debug)]
enum Act {
    /// A DNS answer with this rcode.
    Answer(u8),
    /// An HTTP error status (with `Retry-After: N` when given).
    Status(u16, Option<u32>),
    /// Close the connection without a response.
    Drop,
    /// Never answer (the connection stays open).
    Silent,
}

struct Server {
    url: String,
    requests: Arc<Mutex<usize>>,
}

/// Serves `script` in order, one act per request; the last act repeats.
async fn server(script: &[Act]) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/dns-query", listener.local_addr().unwrap());
    let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
    let requests = Arc::new(Mutex::new(0));
    let count = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let (script, count) = (script.clone(), count.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    // One request head, up to the blank line (GET has no body).
                    let mut chunk = [0u8; 2048];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match conn.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    buf.drain(..end);
                    *count.lock().unwrap() += 1;
                    let act = {
                        let mut s = script.lock().unwrap();
                        if s.len() > 1 {
                            s.pop_front().unwrap()
                        } else {
                            s[0]
                        }
                    };
                    let response = match act {
                        Act::Answer(rcode) => {
                            let b64 = head
                                .split("dns=")
                                .nth(1)
                                .unwrap()
                                .split([' ', '&'])
                                .next()
                                .unwrap();
                            use base64::Engine;
                            let mut body = base64::engine::general_purpose::URL_SAFE_NO_PAD
                                .decode(b64)
                                .unwrap();
                            body[2] |= 0x80;
                            body[3] |= rcode;
                            let mut r = format!("HTTP/1.1 200 OK\r\ncontent-type: application/dns-message\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
                            r.extend_from_slice(&body);
                            r
                        }
                        Act::Status(status, retry_after) => {
                            let extra = retry_after
                                .map_or(String::new(), |s| format!("retry-after: {s}\r\n"));
                            format!(
                                "HTTP/1.1 {status} Oops\r\ncontent-length: 4\r\n{extra}\r\noops"
                            )
                            .into_bytes()
                        }
                        Act::Drop => return,
                        Act::Silent => {
                            tokio::time::sleep(Duration::from_secs(60)).await;
                            return;
                        }
                    };
                    if conn.write_all(&response).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Server { url, requests }
}

fn question() -> Question {
    Question::new(
        DomainName::parse("mail.sendercheck.test").unwrap(),
        RecordType::A,
    )
}

fn client(s: &Server, budget_ms: u64) -> DohClient {
    DohClient::new(&s.url)
        .unwrap()
        .with_timeout(Duration::from_millis(budget_ms))
}

#[test]
fn the_question_is_well_formed() {
    assert_eq!(encode_query(&question())[..2], [0, 0], "DNS id 0");
}

#[tokio::test]
async fn gateway_errors_are_tried_again() {
    let s = server(&[
        Act::Status(502, None),
        Act::Status(503, None),
        Act::Answer(0),
    ])
    .await;
    let start = Instant::now();
    let e = client(&s, 5000).exchange(&question()).await;
    assert_eq!(e.result.unwrap().rcode, Rcode::NoError);
    let errors: Vec<String> = e.attempts.iter().map(|a| a.error.short()).collect();
    assert_eq!(errors, ["HTTP 502", "HTTP 503"]);
    assert_eq!(*s.requests.lock().unwrap(), 3);
    // Two backoffs: 50–100 ms, then 100–200 ms.
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(150) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn dns_answers_are_never_tried_again() {
    for rcode in [2u8, 3, 5] {
        let s = server(&[Act::Answer(rcode), Act::Answer(0)]).await;
        let e = client(&s, 5000).exchange(&question()).await;
        assert_eq!(e.result.unwrap().rcode, Rcode::from_code(rcode.into()));
        assert!(e.attempts.is_empty());
        assert_eq!(*s.requests.lock().unwrap(), 1, "rcode {rcode}");
    }
}

#[tokio::test]
async fn other_client_errors_are_final() {
    for status in [400, 403, 404, 415, 501] {
        let s = server(&[Act::Status(status, None), Act::Answer(0)]).await;
        let err = client(&s, 5000).query(&question()).await.unwrap_err();
        assert_eq!(err, ResolveError::Http { status });
        assert_eq!(*s.requests.lock().unwrap(), 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn too_many_requests_waits_as_asked() {
    let s = server(&[Act::Status(429, Some(1)), Act::Answer(0)]).await;
    let start = Instant::now();
    let e = client(&s, 5000).exchange(&question()).await;
    assert!(e.result.is_ok());
    assert_eq!(e.attempts[0].error, ResolveError::Http { status: 429 });
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1),
        "Retry-After: 1 honoured ({took:?})"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_ends_the_question() {
    let s = server(&[Act::Status(429, Some(10)), Act::Answer(0)]).await;
    let start = Instant::now();
    let err = client(&s, 5000).query(&question()).await.unwrap_err();
    assert_eq!(err, ResolveError::Http { status: 429 });
    assert_eq!(*s.requests.lock().unwrap(), 1, "not asked again too early");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn dropped_connections_are_tried_again() {
    let s = server(&[Act::Drop, Act::Answer(0)]).await;
    let e = client(&s, 5000).exchange(&question()).await;
    assert!(e.result.is_ok(), "{:?}", e.result);
    let ResolveError::Transport(why) = &e.attempts[0].error else {
        panic!("{:?}", e.attempts);
    };
    assert!(!why.contains("dns="), "no URL in the message: {why}");
}

#[tokio::test]
async fn a_try_that_times_out_leaves_time_for_another() {
    let s = server(&[Act::Silent, Act::Answer(0)]).await;
    let start = Instant::now();
    let e = client(&s, 2000).exchange(&question()).await;
    assert!(e.result.is_ok(), "{:?}", e.result);
    assert_eq!(e.attempts[0].error, ResolveError::Timeout { millis: 1000 });
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn retries_stop_at_four_tries_or_the_budget() {
    let s = server(&[Act::Status(502, None)]).await;
    let start = Instant::now();
    let e = client(&s, 5000).exchange(&question()).await;
    assert_eq!(e.result, Err(ResolveError::Http { status: 502 }));
    assert_eq!(e.attempts.len(), 3);
    assert_eq!(*s.requests.lock().unwrap(), 4);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    // A budget too short for every backoff: the question ends within it.
    let s = server(&[Act::Status(502, None)]).await;
    let start = Instant::now();
    let e = client(&s, 250).exchange(&question()).await;
    assert_eq!(e.result, Err(ResolveError::Http { status: 502 }));
    assert!(
        start.elapsed() < Duration::from_millis(600),
        "{:?}",
        start.elapsed()
    );
    assert!(e.attempts.len() < 3);

    // A server that never answers: the whole budget, then "no answer within" the budget.
    let s = server(&[Act::Silent]).await;
    let start = Instant::now();
    let e = client(&s, 2400).exchange(&question()).await;
    assert_eq!(e.result, Err(ResolveError::Timeout { millis: 2400 }));
    assert_eq!(e.attempts.len(), 1);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(2300) && took < Duration::from_millis(3500),
        "{took:?}"
    );
}

#[tokio::test]
async fn never_retry_policy_makes_one_try() {
    let s = server(&[Act::Status(502, None), Act::Answer(0)]).await;
    let err = client(&s, 5000)
        .with_retry(sendercheck_doh::RetryPolicy::NEVER)
        .query(&question())
        .await
        .unwrap_err();
    assert_eq!(err, ResolveError::Http { status: 502 });
    assert_eq!(*s.requests.lock().unwrap(), 1);
}
