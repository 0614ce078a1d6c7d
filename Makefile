# Sender Check. `make serve` serves the page; `make test` runs every test. Both install what is
# missing first (idempotent), so a fresh Debian machine with rustup, cargo and npm needs only them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION := 0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen the app pins (Cargo.toml), or Trunk tries a download.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
CARGO_BIN := $(HOME)/.cargo/bin
# npm's binaryen (wasm-opt 132) first: Debian's binaryen 108 cannot read current rustc output.
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

.PHONY: help serve build size test test-rust lint wasm-check bench tools rust-target trunk wasm-bindgen npm-tools testbed-deps

help:
	@echo "make serve   build the page and serve it on http://127.0.0.1:8080 (public resolver by default)"
	@echo "make test    install what is missing, then run every test (exit non-zero on any failure)"
	@echo "make bench   median wall time and DNS round trips of each kind of check (EHLO = PTR name, other EHLO,"
	@echo "             none, a host name, 100-address batches, an SPF include tree) with 100 ms added to every"
	@echo "             DoH answer and new connection; then the load test: 10,000 addresses through plain,"
	@echo "             HTTP/2, HTTP/1.1 and flaky DoH"
	@echo "make build   release build of the page into dist/"
	@echo "make size    first-load size of the release page (raw, gzip, brotli; fails over 200 KB gzip) and where the bytes go"

# ---- tools -----------------------------------------------------------------------------------

rust-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

trunk:
	@trunk --version 2>/dev/null | grep -qF "$(TRUNK_VERSION)" || cargo install --locked trunk --version $(TRUNK_VERSION)

wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

npm-tools:
	@[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund

testbed-deps:
	@testbed/run.sh install

tools: rust-target trunk wasm-bindgen npm-tools

# ---- the page ----------------------------------------------------------------------------------

serve: tools
	trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080

# Relative asset URLs (--public-url ./), so dist/ works under any sub-path (GitHub project pages).
build: tools
	trunk build --release --public-url ./

# First-load size of the release page (raw, gzip -9, brotli) per file in dist/, the files loaded
# later listed apart; fails when the first load is over 200 KB gzip. Then where the page's wasm
# bytes go (code per crate, biggest functions), read from a build that keeps its names.
size: build
	scripts/size.sh dist
	@tmp=$$(mktemp -d) && wasm-bindgen --target web --out-dir "$$tmp" target/wasm32-unknown-unknown/release/sendercheck-web.wasm \
	  && python3 scripts/wasm_top.py "$$tmp/sendercheck-web_bg.wasm" 20; rm -rf "$$tmp"

# ---- tests ---------------------------------------------------------------------------------------

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

# The DoH client and the page must build for the browser.
wasm-check: rust-target
	cargo build --target wasm32-unknown-unknown -p sendercheck-doh -p sendercheck-web

# Unit, property, doc and integration tests; the integration tests run against the real testbed,
# which testbed/run.sh starts before and stops after (also on failure).
test-rust: testbed-deps
	cargo build --workspace --all-targets
	testbed/run.sh exec -- cargo test --workspace

# End-to-end browser tests: the release page, served under a sub-path like a GitHub project page,
# in Debian's Chromium driven by playwright-core, against the testbed (tests/e2e/e2e.mjs; prints
# `N passed, M failed`, screenshots in target/e2e-screenshots). No browser download, loopback only.
# tests/e2e/timing.mjs prints first paint, when the form works and click-to-verdict through the
# testbed's slow DoH path, and fails the run when the first load is over its budget (size.sh).
.PHONY: e2e
e2e: tools testbed-deps chromium
	@[ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund
	trunk build --release --public-url ./ --dist target/e2e-dist
	testbed/run.sh exec -- node tests/e2e/e2e.mjs target/e2e-dist

chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

# The page's state and components in headless Chromium (wasm-bindgen-test, tests/web.rs).
.PHONY: web-test chromium
web-test: rust-target wasm-bindgen chromium
	CHROMEDRIVER=$$(command -v chromedriver) cargo test --target wasm32-unknown-unknown -p sendercheck-web

test: lint wasm-check test-rust web-test e2e

# The bench (crates/cli/examples/bench.rs) sends every DoH question to the testbed's /dns-query-slow
# (each answer TESTBED_SLOW_MS late, 100 by default) through its own forwarder, which holds each new
# connection as long, and counts the round trips on the wire; figures printed, not asserted.
# The load test (crates/cli/examples/load.rs) asserts that nothing is lost and prints throughput,
# retries, peak memory and sockets; its short version (300 addresses, with the flaky path's heavier
# default faults) is in `make test`. Here the flaky path fails 8 % of requests (5 % 502, 1 % 429,
# 2 % dropped), a resolver under stress rather than one that turns every fifth request away.
BENCH_FAULTS := TESTBED_FLAKY_502=0.05 TESTBED_FLAKY_429=0.01 TESTBED_FLAKY_DROP=0.02
bench: testbed-deps
	cargo build --release -p sendercheck-cli --bins --examples
	$(BENCH_FAULTS) testbed/run.sh exec -- bash -c 'cargo run --release -q -p sendercheck-cli --example bench \
	  && cargo run --release -q -p sendercheck-cli --example load'
