//! Helpers shared by the integration tests: the testbed's environment and a runner for the
//! `sendercheck` binary.

#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// A variable that `testbed/run.sh exec` exports.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests through `make test` or `testbed/run.sh exec -- cargo test`")
    })
}

/// The resolver options of each transport.
pub fn transports() -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "http",
            vec!["--resolver".into(), env("SENDERCHECK_TEST_DOH_HTTP")],
        ),
        (
            "https",
            vec![
                "--resolver".into(),
                env("SENDERCHECK_TEST_DOH_HTTPS"),
                "--ca-cert".into(),
                env("SENDERCHECK_TEST_CA"),
            ],
        ),
    ]
}

/// How a run of the binary ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as one JSON object.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON object ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `sendercheck ARGS EXTRA` with `stdin` (or an empty stdin), without colour.
pub fn sendercheck(args: &[&str], extra: &[String], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sendercheck"))
        .args(args)
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sendercheck");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The ids of the findings, in order.
pub fn ids(j: &Value) -> Vec<String> {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The finding with this id.
pub fn finding<'a>(j: &'a Value, id: &str) -> &'a Value {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {j}"))
}
