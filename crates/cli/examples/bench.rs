//! Wall time of real checks against the testbed with a fixed delay on every DoH request.
//!
//! Run with `make bench` (it starts the testbed). A delaying TCP proxy on loopback sits in front of
//! the testbed's DoH port: it holds every chunk the client sends for `BENCH_DELAY_MS` (default 100)
//! and each new connection for the same time, like a resolver one round trip away. The `sendercheck`
//! release binary then runs (1) a full check (FCrDNS + EHLO) of one address, and (2) a batch of 100
//! addresses read from stdin at several concurrency limits. The figures are printed, not asserted.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use std::io::Write;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn upstream() -> String {
    let url = std::env::var("SENDERCHECK_TEST_DOH_HTTP")
        .expect("run through `make bench` (testbed/run.sh exec)");
    url.trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string()
}

/// Forwards loopback connections to `upstream`, delaying connection set-up and every client chunk.
async fn delaying_proxy(listener: TcpListener, upstream: String, delay: Duration) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let upstream = upstream.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let Ok(server) = TcpStream::connect(&upstream).await else {
                return;
            };
            let (mut cr, mut cw) = client.into_split();
            let (mut sr, mut sw) = server.into_split();
            let up = async move {
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(n) = cr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    tokio::time::sleep(delay).await;
                    if sw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
                let _ = sw.shutdown().await;
            };
            let down = async move {
                let _ = tokio::io::copy(&mut sr, &mut cw).await;
            };
            tokio::join!(up, down);
        });
    }
}

fn binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("sendercheck")
}

fn run(args: &[&str], stdin: &str) -> (Duration, String) {
    let start = Instant::now();
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("sendercheck release binary (cargo build --release -p sendercheck-cli)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        start.elapsed(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let delay_ms: u64 = std::env::var("BENCH_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let delay = Duration::from_millis(delay_ms);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let proxy = format!("http://{}/dns-query", listener.local_addr().unwrap());
    rt.spawn(delaying_proxy(listener, upstream(), delay));

    println!("DoH delay {delay_ms} ms per request and per new connection, via {proxy}");
    println!(
        "\nFull check (FCrDNS + EHLO) of 192.0.2.10, `sendercheck ip 192.0.2.10 --helo … --json`:"
    );
    let mut walls = Vec::new();
    let mut inner = Vec::new();
    for _ in 0..7 {
        let (wall, out) = run(
            &[
                "ip",
                "192.0.2.10",
                "--helo",
                "EHLO mail.sendercheck.test",
                "--json",
                "--resolver",
                &proxy,
            ],
            "",
        );
        let j: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON report");
        assert_eq!(j["iprev"]["result"], "pass", "the testbed answers");
        walls.push(wall);
        inner.push(Duration::from_millis(j["elapsed_ms"].as_u64().unwrap()));
    }
    walls.sort();
    inner.sort();
    println!(
        "  check (elapsed_ms): min {}, median {}, max {}   process wall: median {}",
        ms(inner[0]),
        ms(inner[inner.len() / 2]),
        ms(inner[inner.len() - 1]),
        ms(walls[walls.len() / 2])
    );
    println!(
        "  expected: two round trips ({}) plus connection set-up ({} per new connection)",
        ms(delay * 2),
        ms(delay)
    );

    let ips = [
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
    let list: String = (0..100)
        .map(|i| format!("{}\n", ips[i % ips.len()]))
        .collect();
    println!("\nBatch of 100 addresses, `sendercheck ip - --json --helo … --concurrency N`:");
    for concurrency in [8, 16, 32, 64] {
        let n = concurrency.to_string();
        let (wall, out) = run(
            &[
                "ip",
                "-",
                "--json",
                "--helo",
                "EHLO mail.sendercheck.test",
                "--resolver",
                &proxy,
                "--concurrency",
                &n,
            ],
            &list,
        );
        assert_eq!(out.lines().count(), 100, "one line per address");
        let ideal = delay * 2 * (100_u32.div_ceil(concurrency));
        println!("  concurrency {concurrency:>2}: {:>8}  (100 / {concurrency} waves × two round trips = {})", ms(wall), ms(ideal));
    }
}
