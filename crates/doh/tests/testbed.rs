//! The DoH client against the real testbed (NSD behind dnsdist), on plain HTTP and HTTPS, plus the
//! resolver faults: HTTP 500, a body that is not DNS, a closed port and a server that never answers.

use std::time::{Duration, Instant};

use sendercheck_core::dns::{
    parse_ip, reverse_name, DomainName, Question, RData, Rcode, RecordType, ResolveError, Resolver,
};
use sendercheck_doh::DohClient;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests through `make test` or `testbed/run.sh exec -- cargo test`")
    })
}

fn clients() -> Vec<(&'static str, DohClient)> {
    let pem = std::fs::read(env("SENDERCHECK_TEST_CA")).unwrap();
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    vec![
        (
            "http",
            DohClient::new(&env("SENDERCHECK_TEST_DOH_HTTP")).unwrap(),
        ),
        (
            "https",
            DohClient::new(&env("SENDERCHECK_TEST_DOH_HTTPS"))
                .unwrap()
                .with_http_client(http),
        ),
    ]
}

fn q(name: &str, rtype: RecordType) -> Question {
    Question::new(DomainName::parse(name).unwrap(), rtype)
}

#[tokio::test]
async fn answers_on_both_transports() {
    for (transport, doh) in clients() {
        let a = doh
            .query(&q("mail.sendercheck.test", RecordType::A))
            .await
            .unwrap();
        assert_eq!(a.rcode, Rcode::NoError, "{transport}");
        assert_eq!(a.records.len(), 1);
        assert_eq!(a.records[0].data, RData::A("192.0.2.10".parse().unwrap()));
        assert_eq!(a.records[0].ttl, 300);

        let a = doh
            .query(&Question::new(
                reverse_name(parse_ip("2001:db8::10").unwrap()),
                RecordType::Ptr,
            ))
            .await
            .unwrap();
        assert_eq!(
            a.records[0].data,
            RData::Ptr("mail.sendercheck.test".into()),
            "{transport}"
        );

        // Names in answers come back lower case whatever the zone says.
        let a = doh
            .query(&q("80.2.0.192.in-addr.arpa", RecordType::Ptr))
            .await
            .unwrap();
        assert_eq!(
            a.records[0].data,
            RData::Ptr("mixed.sendercheck.test".into()),
            "{transport}"
        );

        let a = doh
            .query(&q("50.2.0.192.in-addr.arpa", RecordType::Ptr))
            .await
            .unwrap();
        assert_eq!(
            (a.rcode, a.records.len()),
            (Rcode::NxDomain, 0),
            "{transport}"
        );
        let a = doh
            .query(&q("51.2.0.192.in-addr.arpa", RecordType::Ptr))
            .await
            .unwrap();
        assert_eq!(
            (a.rcode, a.records.len()),
            (Rcode::NoError, 0),
            "{transport}"
        );
        let a = doh
            .query(&q("60.2.0.192.in-addr.arpa", RecordType::Ptr))
            .await
            .unwrap();
        assert_eq!(a.rcode, Rcode::ServFail, "{transport}");

        let a = doh
            .query(&q("70.2.0.192.in-addr.arpa", RecordType::Ptr))
            .await
            .unwrap();
        assert_eq!(a.records[0].rtype, RecordType::Cname, "{transport}");
    }
}

#[tokio::test]
async fn concurrent_questions_share_the_client() {
    let (_, doh) = clients().remove(1);
    let names = [
        "mail",
        "mx1",
        "mx2",
        "mismatch",
        "classless",
        "mixed",
        "real",
        "elsewhere",
    ];
    let questions: Vec<Question> = names
        .iter()
        .map(|n| q(&format!("{n}.sendercheck.test"), RecordType::A))
        .collect();
    let answers =
        futures::future::join_all(questions.iter().map(|question| doh.query(question))).await;
    for (n, a) in names.iter().zip(answers) {
        let a = a.unwrap();
        assert_eq!(a.records.len(), 1, "{n}");
        assert_eq!(a.records[0].name, format!("{n}.sendercheck.test"));
    }
}

#[tokio::test]
async fn http_error_status() {
    let doh = DohClient::new(&env("SENDERCHECK_TEST_DOH_500")).unwrap();
    let err = doh
        .query(&q("mail.sendercheck.test", RecordType::A))
        .await
        .unwrap_err();
    assert_eq!(err, ResolveError::Http { status: 500 });
    assert_eq!(err.to_string(), "the resolver answered HTTP 500");
}

#[tokio::test]
async fn body_that_is_not_dns() {
    let doh = DohClient::new(&env("SENDERCHECK_TEST_DOH_JUNK")).unwrap();
    let err = doh
        .query(&q("mail.sendercheck.test", RecordType::A))
        .await
        .unwrap_err();
    let ResolveError::NotDns(why) = &err else {
        panic!("{err:?}")
    };
    assert!(why.starts_with("its content type is `text/html`"), "{why}");
}

#[tokio::test]
async fn https_without_trusting_the_certificate_fails_cleanly() {
    let doh = DohClient::new(&env("SENDERCHECK_TEST_DOH_HTTPS"))
        .unwrap()
        .with_http_client(
            reqwest::Client::builder()
                .tls_certs_only([])
                .build()
                .unwrap(),
        );
    let err = doh
        .query(&q("mail.sendercheck.test", RecordType::A))
        .await
        .unwrap_err();
    assert!(matches!(err, ResolveError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn silent_server_times_out() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/dns-query", silent.local_addr().unwrap());
    let doh = DohClient::new(&url)
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    let start = Instant::now();
    let err = doh
        .query(&q("mail.sendercheck.test", RecordType::A))
        .await
        .unwrap_err();
    assert_eq!(err, ResolveError::Timeout { millis: 300 });
    assert_eq!(err.to_string(), "no answer within 0.3 s");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn closed_port_is_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let doh = DohClient::new(&format!("http://127.0.0.1:{port}/dns-query")).unwrap();
    let err = doh
        .query(&q("mail.sendercheck.test", RecordType::A))
        .await
        .unwrap_err();
    let ResolveError::Transport(why) = &err else {
        panic!("{err:?}")
    };
    assert!(
        why.contains("error sending request") || why.contains("onnect"),
        "{why}"
    );
}

/// A run recorded against the real servers and replayed from its text form gives the very same
/// report: the page's worker writes its exports from such a replay.
#[tokio::test]
async fn a_recorded_run_replays_to_the_same_report() {
    use sendercheck_doh::replay::{Recorder, Recording, Replay};
    for (transport, doh) in clients() {
        for (ip, helo) in [
            ("192.0.2.10", "EHLO mail.sendercheck.test"),
            ("192.0.2.30", "EHLO other.sendercheck.test"),
            ("2001:db8::10", "EHLO [IPv6:2001:db8::10]"),
        ] {
            let recorder = Recorder::new(doh.clone());
            let ip = parse_ip(ip).unwrap();
            let live = sendercheck_core::check(&recorder, ip, Some(helo)).await;
            let text = recorder.recording().to_text();
            let replay = Replay::new(Recording::from_text(&text).unwrap());
            let again = sendercheck_core::check(&replay, ip, Some(helo)).await;
            assert_eq!(live, again, "{transport} {ip}");
        }
    }
}

/// A follow-up check resumes from a recording: what it holds is answered from it (never asked
/// again), the rest is asked live and recorded apart.
#[tokio::test]
async fn a_resumed_run_asks_only_what_the_recording_lacks() {
    use sendercheck_doh::replay::{Recorder, Recording, Resume};
    for (transport, doh) in clients() {
        let ip = parse_ip("192.0.2.10").unwrap();
        let recorder = Recorder::new(doh.clone());
        let first = sendercheck_core::check(&recorder, ip, None).await;
        let text = recorder.recording().to_text();
        // The identity check again with an EHLO name: the PTR and its name's answers are in
        // the recording; only the new name's questions go out.
        let resume = Resume::new(Recording::from_text(&text).unwrap(), doh.clone());
        let again = sendercheck_core::check(&resume, ip, Some("EHLO other.sendercheck.test")).await;
        assert_eq!(again.iprev, first.iprev, "{transport}");
        let asked: Vec<String> = Recording::from_text(&resume.recording().to_text())
            .unwrap()
            .to_text()
            .lines()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect();
        assert!(!asked.is_empty(), "{transport}");
        assert!(
            asked
                .iter()
                .all(|l| l.starts_with("other.sendercheck.test ")),
            "{transport}: {asked:?}"
        );
    }
}
