//! Wall time and DNS round trips of real checks against the testbed, one round trip away.
//!
//! Run with `make bench` (it starts the testbed). Every DoH request goes to the testbed's
//! `/dns-query-slow` path (testbed/proxy.py), which holds each answer `TESTBED_SLOW_MS` (default
//! 100 ms), through a forwarder on loopback in this program that holds each new connection
//! `BENCH_CONNECT_MS` (default: the same) before it reaches the proxy, like the set-up of a
//! connection to a resolver one round trip away. The `sendercheck` release binary runs each case
//! `BENCH_RUNS` times (default 7; 5 for the batches) and the median wall time of the process is
//! printed, with the check's own `elapsed_ms`.
//!
//! Round trips are counted on the wire, by the forwarder, which sees every request and answer
//! (plain HTTP/1.1): a question sent after the answer to another question came back is one round
//! later than it, and a run's rounds are the longest such chain (its critical path). That is the
//! same count as the engine's `RoundTrips` test resolver (crates/core/src/testing.rs), which holds
//! every question until its round ends, but measured on the real binary, where-to-fix included.
//! The questions of each round are listed once per case. The figures are printed, not asserted;
//! only the checks' results are (so that a broken testbed cannot pass for a fast one).
//!
//! The cases are those of issue 8: EHLO equal to the PTR name, a different EHLO, no EHLO, a host
//! name, the 100-address batch at concurrency 8, 32 and 64 (ten testbed addresses repeated, as in
//! earlier runs, and 100 distinct ones from the load zones), and, for issue 9, the sending-domain
//! check of a three-level SPF include tree, whose rounds follow the depth of the tree.

use std::collections::VecDeque;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One DoH request seen by the forwarder.
struct Exchange {
    question: String,
    sent: Instant,
    answered: Option<Instant>,
}

/// What the forwarder saw since the last `take`.
#[derive(Default)]
struct Wire {
    exchanges: Vec<Exchange>,
    connections: usize,
    /// Which run this is: an answer to a request of an earlier run is not noted.
    run: usize,
}

/// Starts a new run's log; returns the last one.
fn take(log: &Log) -> Wire {
    let mut log = log.lock().unwrap();
    let run = log.run + 1;
    std::mem::replace(
        &mut *log,
        Wire {
            run,
            ..Wire::default()
        },
    )
}

type Log = Arc<Mutex<Wire>>;

fn env_ms(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `host:port` and path of the testbed's slow DoH URL.
fn slow_path() -> (String, String) {
    let url = std::env::var("SENDERCHECK_TEST_DOH_SLOW").expect(
        "SENDERCHECK_TEST_DOH_SLOW is not set: run through `make bench` (testbed/run.sh exec)",
    );
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (host.to_string(), path.to_string())
}

/// Forwards loopback connections to `upstream`. Each connection reaches the upstream `delay` after
/// it was accepted; requests and answers then pass as they come, and each is logged.
async fn forwarder(listener: TcpListener, upstream: String, delay: Duration, log: Log) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let accepted = Instant::now();
        log.lock().unwrap().connections += 1;
        let (upstream, log) = (upstream.clone(), log.clone());
        tokio::spawn(async move {
            let pending = Arc::new(Mutex::new(VecDeque::new()));
            let (mut cr, mut cw) = client.into_split();
            // An HTTP/1.1 client sends one request and waits for its answer: read it at once, so
            // that its time is when the client sent it, then hold it until the connection is "up".
            let mut buf = vec![0u8; 16 * 1024];
            let first = match cr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            note_request(&buf[..first], &log, &pending);
            tokio::time::sleep_until((accepted + delay).into()).await;
            let Ok(server) = TcpStream::connect(&upstream).await else {
                return;
            };
            let (mut sr, mut sw) = server.into_split();
            if sw.write_all(&buf[..first]).await.is_err() {
                return;
            }
            let up = {
                let (log, pending) = (log.clone(), pending.clone());
                async move {
                    while let Ok(n) = cr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        note_request(&buf[..n], &log, &pending);
                        if sw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = sw.shutdown().await;
                }
            };
            let down = async move {
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(n) = sr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    if buf[..n].starts_with(b"HTTP/1.") {
                        if let Some((run, i)) = pending.lock().unwrap().pop_front() {
                            let mut log = log.lock().unwrap();
                            if log.run == run {
                                log.exchanges[i].answered = Some(Instant::now());
                            }
                        }
                    }
                    if cw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            };
            tokio::join!(up, down);
        });
    }
}

/// Logs a request that starts in `chunk` (the client writes each request in one piece).
fn note_request(chunk: &[u8], log: &Log, pending: &Mutex<VecDeque<(usize, usize)>>) {
    if !chunk.starts_with(b"GET ") {
        return;
    }
    let line = String::from_utf8_lossy(&chunk[..chunk.len().min(4096)]);
    let target = line.split(' ').nth(1).unwrap_or("");
    let question = target
        .split_once("dns=")
        .map(|(_, v)| question(v.split('&').next().unwrap_or("")))
        .unwrap_or_else(|| target.to_string());
    let mut log = log.lock().unwrap();
    log.exchanges.push(Exchange {
        question,
        sent: Instant::now(),
        answered: None,
    });
    pending
        .lock()
        .unwrap()
        .push_back((log.run, log.exchanges.len() - 1));
}

/// "TYPE name" of an RFC 8484 `dns=` value (base64url of a DNS query, RFC 1035 §4.1.2).
fn question(b64: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut bytes, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in b64.bytes() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            break;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    let (mut labels, mut at) = (Vec::new(), 12);
    while let Some(&len) = bytes.get(at) {
        if len == 0 || at + 1 + len as usize > bytes.len() {
            break;
        }
        labels.push(String::from_utf8_lossy(&bytes[at + 1..at + 1 + len as usize]).into_owned());
        at += 1 + len as usize;
    }
    let qtype = bytes
        .get(at + 1..at + 3)
        .map_or(0, |t| u16::from_be_bytes([t[0], t[1]]));
    let name = match qtype {
        1 => "A".to_string(),
        2 => "NS".into(),
        5 => "CNAME".into(),
        6 => "SOA".into(),
        12 => "PTR".into(),
        15 => "MX".into(),
        16 => "TXT".into(),
        28 => "AAAA".into(),
        99 => "SPF".into(),
        n => format!("TYPE{n}"),
    };
    format!("{name} {}", labels.join("."))
}

/// The round of each exchange (1-based): one more than the latest round whose answer came back
/// before it was sent. Unanswered exchanges (a process cut short) end no round.
fn rounds(exchanges: &[Exchange]) -> Vec<usize> {
    let mut round = vec![0; exchanges.len()];
    let mut order: Vec<usize> = (0..exchanges.len()).collect();
    order.sort_by_key(|&i| exchanges[i].sent);
    for (k, &i) in order.iter().enumerate() {
        round[i] = 1 + order[..k]
            .iter()
            .filter(|&&j| {
                exchanges[j]
                    .answered
                    .is_some_and(|a| a <= exchanges[i].sent)
            })
            .map(|&j| round[j])
            .max()
            .unwrap_or(0);
    }
    round
}

/// The rounds of the check itself: the last round with a question other than where-to-fix's NS
/// questions (`fix::where_to_fix` asks only NS, after the check; no check asks NS). None when NS
/// questions go out before the check's last round (a batch, where the checks overlap).
fn check_rounds(exchanges: &[Exchange], round: &[usize]) -> Option<usize> {
    let is_ns = |e: &Exchange| e.question.starts_with("NS ");
    let of = |ns: bool| {
        exchanges
            .iter()
            .zip(round)
            .filter(move |(e, _)| is_ns(e) == ns)
    };
    let check = of(false).map(|(_, &r)| r).max().unwrap_or(0);
    of(true).all(|(_, &r)| r > check).then_some(check)
}

fn binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("sendercheck")
}

/// One run of the binary: its wall time, stdout, and what the forwarder saw.
struct Run {
    wall: Duration,
    out: String,
    wire: Wire,
}

fn run(log: &Log, args: &[&str], stdin: &str) -> Run {
    take(log);
    let start = Instant::now();
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("sendercheck release binary (cargo build --release -p sendercheck-cli)");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_string();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    let wall = start.elapsed();
    writer.join().unwrap().unwrap();
    // Let the forwarder note the last answers it passed on.
    std::thread::sleep(Duration::from_millis(20));
    Run {
        wall,
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        wire: take(log),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

/// "3" when every run agrees, else "2–3".
fn span(v: &[usize]) -> String {
    let (lo, hi) = (*v.iter().min().unwrap(), *v.iter().max().unwrap());
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// Runs one case `n` times, checks each output with `ok`, prints its line; returns the last run.
fn case(
    log: &Log,
    label: &str,
    args: &[&str],
    stdin: &str,
    n: usize,
    ok: impl Fn(&str) -> Result<(), String>,
) -> Run {
    let (mut walls, mut inner, mut rs, mut checks) = (vec![], vec![], vec![], vec![]);
    let (mut qs, mut cs) = (vec![], vec![]);
    let mut last = None;
    for _ in 0..n {
        let r = run(log, args, stdin);
        if let Err(e) = ok(&r.out) {
            panic!("{label}: {e}\n{}", r.out);
        }
        walls.push(r.wall);
        inner.push(elapsed_ms(&r.out));
        let round = rounds(&r.wire.exchanges);
        rs.push(round.iter().copied().max().unwrap_or(0));
        checks.push(check_rounds(&r.wire.exchanges, &round));
        qs.push(r.wire.exchanges.len());
        cs.push(r.wire.connections);
        last = Some(r);
    }
    let (lo, hi) = (
        walls.iter().min().copied().unwrap(),
        walls.iter().max().copied().unwrap(),
    );
    let inner = match inner.iter().copied().collect::<Option<Vec<u64>>>() {
        Some(v) if !v.is_empty() => format!("{} ms", median(v)),
        _ => "-".into(),
    };
    let all = span(&rs);
    let rounds = match checks.iter().copied().collect::<Option<Vec<_>>>() {
        Some(c) if span(&c) != all => format!("{all} ({}+NS)", span(&c)),
        _ => all,
    };
    println!(
        "  {label:<44} {:>7} {:>11} {inner:>7} {rounds:>9} {:>9} {:>11}",
        ms(median(walls.clone())),
        format!("{}–{}", lo.as_millis(), hi.as_millis()),
        span(&qs),
        span(&cs),
    );
    last.unwrap()
}

/// The check's own `elapsed_ms` (single checks; a batch's lines each have their own).
fn elapsed_ms(out: &str) -> Option<u64> {
    let j: serde_json::Value = serde_json::from_str(out.trim()).ok()?;
    j["elapsed_ms"].as_u64()
}

fn json(out: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(out.trim()).map_err(|e| format!("not one JSON object: {e}"))
}

fn expect(j: &serde_json::Value, pointer: &str, want: &str) -> Result<(), String> {
    match j.pointer(pointer).and_then(|v| v.as_str()) {
        Some(v) if v == want => Ok(()),
        other => Err(format!("{pointer}: expected {want}, got {other:?}")),
    }
}

/// The questions of each round of `run`, one line per round.
fn print_rounds(run: &Run) {
    let round = rounds(&run.wire.exchanges);
    let start = run.wire.exchanges.iter().map(|e| e.sent).min();
    for r in 1..=round.iter().copied().max().unwrap_or(0) {
        let of: Vec<&Exchange> = run
            .wire
            .exchanges
            .iter()
            .zip(&round)
            .filter(|(_, &n)| n == r)
            .map(|(e, _)| e)
            .collect();
        let at = of
            .iter()
            .map(|e| e.sent)
            .min()
            .zip(start)
            .map_or(0, |(t, s)| t.duration_since(s).as_millis());
        let qs: Vec<&str> = of.iter().map(|e| e.question.as_str()).collect();
        println!("      round {r} (sent at +{at} ms): {}", qs.join(", "));
    }
}

fn main() {
    let slow_ms = env_ms("TESTBED_SLOW_MS", 100);
    let connect_ms = env_ms("BENCH_CONNECT_MS", slow_ms);
    let runs = env_ms("BENCH_RUNS", 7) as usize;
    let batch_runs = env_ms("BENCH_BATCH_RUNS", 5) as usize;
    let (upstream, path) = slow_path();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let log: Log = Arc::default();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let resolver = format!("http://{}{path}", listener.local_addr().unwrap());
    rt.spawn(forwarder(
        listener,
        upstream.clone(),
        Duration::from_millis(connect_ms),
        log.clone(),
    ));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };

    println!(
        "DoH: testbed/proxy.py {path} at {upstream} holds every answer {slow_ms} ms (TESTBED_SLOW_MS); \
         this bench's forwarder ({resolver}) holds every new connection {connect_ms} ms (BENCH_CONNECT_MS)."
    );
    println!(
        "Plain HTTP/1.1: each question in flight at once has its own connection, so a check pays one \
         connection set-up ({connect_ms} ms) before its first answer."
    );
    println!(
        "Round trips are counted on the wire by the forwarder: a question sent after another's answer \
         came back is one round later; rounds = the longest such chain."
    );
    println!(
        "Release binary, {cores} cores, load average {} at the start; median of {runs} runs ({batch_runs} for batches).",
        load()
    );
    println!(
        "\n  {:<44} {:>7} {:>11} {:>7} {:>9} {:>9} {:>11}",
        "case (sendercheck … --json)",
        "wall",
        "min–max ms",
        "check",
        "rounds",
        "questions",
        "connections"
    );

    let ip = |helo: Option<&'static str>| {
        let mut a = vec!["ip", "192.0.2.10", "--json", "--resolver", &resolver];
        if let Some(h) = helo {
            a.extend(["--helo", h]);
        }
        a
    };
    let mut shown = Vec::new();
    let r = case(
        &log,
        "(a) EHLO = PTR name: ip 192.0.2.10",
        &ip(Some("EHLO mail.sendercheck.test")),
        "",
        runs,
        |o| {
            let j = json(o)?;
            expect(&j, "/iprev/result", "pass")?;
            expect(&j, "/helo/result", "pass")
        },
    );
    shown.push(("(a) EHLO mail.sendercheck.test", r));
    let r = case(
        &log,
        "(b) EHLO different (elsewhere.…)",
        &ip(Some("EHLO elsewhere.sendercheck.test")),
        "",
        runs,
        |o| {
            let j = json(o)?;
            expect(&j, "/iprev/result", "pass")?;
            expect(&j, "/helo/result", "fail")
        },
    );
    shown.push(("(b) EHLO elsewhere.sendercheck.test", r));
    let r = case(&log, "(c) no EHLO", &ip(None), "", runs, |o| {
        expect(&json(o)?, "/iprev/result", "pass")
    });
    shown.push(("(c) no EHLO", r));
    let r = case(
        &log,
        "(d) host mail.sendercheck.test",
        &[
            "host",
            "mail.sendercheck.test",
            "--json",
            "--resolver",
            &resolver,
        ],
        "",
        runs,
        |o| {
            let j = json(o)?;
            let results: Vec<_> = j["addresses"]
                .as_array()
                .map(|a| a.iter().map(|r| r["iprev"]["result"].clone()).collect())
                .unwrap_or_default();
            match results.len() == 2 && results.iter().all(|r| r == "pass") {
                true => Ok(()),
                false => Err(format!("two addresses passing: {results:?}")),
            }
        },
    );
    shown.push(("(d) host mail.sendercheck.test", r));
    let r = case(
        &log,
        "(f) domain chain.dom… (SPF 3 includes deep)",
        &[
            "domain",
            "chain.dom.sendercheck.test",
            "--ip",
            "192.0.2.10",
            "--json",
            "--resolver",
            &resolver,
        ],
        "",
        runs,
        |o| {
            let j = json(o)?;
            expect(&j, "/domain/spf/result", "pass")?;
            match j
                .pointer("/domain/spf/cost/levels")
                .and_then(|v| v.as_u64())
            {
                Some(4) => Ok(()),
                other => Err(format!("SPF include levels: expected 4, got {other:?}")),
            }
        },
    );
    shown.push((
        "(f) domain chain.dom.sendercheck.test (chain → l1 → l2 → l3)",
        r,
    ));

    // The batch of earlier runs: ten testbed addresses, ten times over (their questions are
    // asked once per batch: one answer cache), and 100 distinct addresses of the load zones.
    let cases = [
        "192.0.2.10",
        "192.0.2.20",
        "192.0.2.30",
        "192.0.2.40",
        "192.0.2.50",
        "192.0.2.70",
        "192.0.2.80",
        "192.0.2.90",
        "2001:db8::10",
        "2001:db8::30",
    ];
    let repeated: String = (0..100)
        .map(|i| format!("{}\n", cases[i % cases.len()]))
        .collect();
    // 198.18.0.101 to .200: past 198.18.0.100, whose PTR SERVFAILs.
    let distinct: String = (101..201).map(|i| format!("198.18.0.{i}\n")).collect();
    let lines = |o: &str| match o.lines().count() {
        100 => Ok(()),
        n => Err(format!("expected 100 lines, got {n}")),
    };
    for (what, list, helo) in [
        (
            "10 cases ×10",
            &repeated,
            Some("EHLO mail.sendercheck.test"),
        ),
        ("100 distinct", &distinct, None),
    ] {
        for concurrency in ["8", "32", "64"] {
            let mut args = vec![
                "ip",
                "-",
                "--json",
                "--resolver",
                &resolver,
                "--concurrency",
                concurrency,
            ];
            if let Some(h) = helo {
                args.extend(["--helo", h]);
            }
            case(
                &log,
                &format!("(e) 100: {what}, --concurrency {concurrency}"),
                &args,
                list,
                batch_runs,
                lines,
            );
        }
    }
    println!(
        "  wall: the process, start to exit (median); check: its own elapsed_ms (median); rounds: \
         on the wire, \"2 (1+NS)\" = 1 round to the verdict, then where-to-fix's NS round;\n  \
         questions and connections: requests and new connections seen by the forwarder (per run)"
    );
    println!("\nThe questions of each round (last run of each case):");
    for (label, r) in &shown {
        println!("  {label}");
        print_rounds(r);
    }
    println!("\nLoad average at the end: {}", load());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_question_of_a_dns_value() {
        // RFC 8484 §4.1.1's example: www.example.com A.
        assert_eq!(
            question("AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"),
            "A www.example.com"
        );
    }

    #[test]
    fn counts_the_longest_chain() {
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let ex = |s, a| Exchange {
            question: String::new(),
            sent: at(s),
            answered: Some(at(a)),
        };
        // Two together, one after the first answer, one sent late but before any answer.
        let e = [ex(0, 100), ex(1, 101), ex(100, 200), ex(50, 150)];
        assert_eq!(rounds(&e), vec![1, 1, 2, 1]);
    }
}
