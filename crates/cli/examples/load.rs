//! The load test: 10,000 addresses from stdin at concurrency 64 against the testbed, through the
//! plain DoH paths and through the flaky one (testbed/proxy.py), with the release binary.
//!
//! Run with `make bench` (it starts the testbed). For every run it checks that each input line was
//! answered once, in order, and that the only temperror is 198.18.0.100 (its PTR SERVFAILs), then
//! prints throughput (addresses and questions per second), retries, the peak resident memory
//! (`VmHWM`) and the most sockets the process held open at once (one HTTP/2 connection against one
//! per question in flight with HTTP/1.1). `LOAD_ADDRESSES` sets another count (at most 10,000).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run through `make bench`"))
}

fn binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("sendercheck")
}

const SERVFAIL: &str = "198.18.0.100";

/// What one run measured.
struct Measured {
    wall: Duration,
    questions: u64,
    retries: u64,
    peak_kb: u64,
    peak_sockets: usize,
    stats: String,
}

/// `VmHWM` (peak resident set, kB) and the number of open sockets of process `pid`.
fn sample(pid: u32) -> Option<(u64, usize)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let sockets = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()?
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|l| l.to_string_lossy().starts_with("socket:"))
        .count();
    Some((hwm, sockets))
}

fn run(ips: &[String], resolver_args: &[&str]) -> Measured {
    let start = Instant::now();
    let mut child = Command::new(binary())
        .args(["ip", "-", "--json", "--concurrency", "64", "--stats"])
        .args(resolver_args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sendercheck release binary (cargo build --release -p sendercheck-cli)");
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let (mut hwm, mut sockets) = (0, 0);
            while !done.load(Ordering::Relaxed) {
                if let Some((h, s)) = sample(pid) {
                    hwm = hwm.max(h);
                    sockets = sockets.max(s);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            (hwm, sockets)
        })
    };
    let mut stdin = child.stdin.take().unwrap();
    let input: String = ips.iter().map(|ip| format!("{ip}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let (mut n, mut questions, mut retries) = (0usize, 0u64, 0u64);
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let j: serde_json::Value = serde_json::from_str(&line.unwrap()).expect("one JSON object");
        let ip = &ips[n];
        assert_eq!(j["ip"], ip.as_str(), "line {}: input order", n + 1);
        let expected = if ip == SERVFAIL { "temperror" } else { "pass" };
        assert_eq!(j["iprev"]["result"], expected, "{ip}: {j}");
        for q in j["queries"].as_array().unwrap() {
            questions += 1;
            retries += q["attempts"].as_array().map_or(0, |a| a.len() as u64);
        }
        n += 1;
    }
    writer.join().unwrap().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let status = child.wait().unwrap();
    let wall = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let (peak_kb, peak_sockets) = sampler.join().unwrap();
    assert_eq!(n, ips.len(), "every address answered once");
    assert_eq!(
        status.code(),
        Some(3),
        "temperror only for {SERVFAIL}: {stderr}"
    );
    let stats = stderr
        .lines()
        .find(|l| l.contains(" addresses in "))
        .unwrap_or("")
        .trim_start_matches("sendercheck: ")
        .to_string();
    // The batch's own counts of what it sent: the JSON lists a question shared through the
    // batch's answer cache (the zones' NS questions) under every address that used it.
    Measured {
        wall,
        questions: stat(&stats, " questions").unwrap_or(questions),
        retries: stat(&stats, " retries").unwrap_or(retries),
        peak_kb,
        peak_sockets,
        stats,
    }
}

/// The number before `word` in the `--stats` line ("…, 40018 questions, 0 retries …").
fn stat(stats: &str, word: &str) -> Option<u64> {
    let before = &stats[..stats.find(word)?];
    before.rsplit(' ').next()?.parse().ok()
}

fn main() {
    let count: usize = std::env::var("LOAD_ADDRESSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
        .min(10_000);
    let ips: Vec<String> = (0..count)
        .map(|i| format!("198.18.{}.{}", i / 250, i % 250 + 1))
        .collect();
    let (http, https, ca, flaky) = (
        env("SENDERCHECK_TEST_DOH_HTTP"),
        env("SENDERCHECK_TEST_DOH_HTTPS"),
        env("SENDERCHECK_TEST_CA"),
        env("SENDERCHECK_TEST_DOH_FLAKY"),
    );
    println!(
        "\nLoad test: {count} addresses (198.18.0.1 …, {SERVFAIL} SERVFAILs), `sendercheck ip - --json --concurrency 64 --stats`, release build:"
    );
    println!(
        "  {:<44} {:>7} {:>9} {:>11} {:>8} {:>9} {:>8}",
        "path", "wall", "addr/s", "questions/s", "retries", "peak RSS", "sockets"
    );
    let runs: [(&str, Vec<&str>); 4] = [
        ("dnsdist, plain HTTP/1.1", vec!["--resolver", &http]),
        (
            "dnsdist, HTTPS, HTTP/2 (one connection)",
            vec!["--resolver", &https, "--ca-cert", &ca],
        ),
        (
            "dnsdist, HTTPS, --http1",
            vec!["--resolver", &https, "--ca-cert", &ca, "--http1"],
        ),
        (
            "flaky proxy (502, 429, drops), HTTP/1.1",
            vec!["--resolver", &flaky],
        ),
    ];
    let mut notes = Vec::new();
    for (name, args) in runs {
        let m = run(&ips, &args);
        let secs = m.wall.as_secs_f64();
        println!(
            "  {:<44} {:>6.1}s {:>9.0} {:>11.0} {:>8} {:>6.1} MB {:>8}",
            name,
            secs,
            count as f64 / secs,
            (m.questions + m.retries) as f64 / secs,
            m.retries,
            m.peak_kb as f64 / 1024.0,
            m.peak_sockets
        );
        notes.push(format!("  {name}: {}", m.stats));
    }
    println!("  (questions/s counts every request the batch sent, retries included, from its --stats; 0 spurious temperrors in each run, every line answered once in order)");
    println!("\nThe batch's own summary (--stats):");
    for n in notes {
        println!("{n}");
    }
    let stats = proxy_stats(&flaky).unwrap_or_else(|e| format!("unavailable: {e}"));
    println!("The flaky proxy's counts: {stats}");
}

/// The proxy's `/stats` (counts of requests and faults), over a plain loopback connection.
fn proxy_stats(flaky: &str) -> std::io::Result<String> {
    use std::io::Read;
    let host = flaky
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("");
    let mut conn = std::net::TcpStream::connect(host)?;
    write!(
        conn,
        "GET /stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply)?;
    Ok(reply
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or("")
        .trim()
        .to_string())
}
