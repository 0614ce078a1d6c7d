#!/usr/bin/env python3
"""Slow and flaky DoH paths in front of the testbed's dnsdist (python3 stdlib only, asyncio).

  proxy.py CONF        serve, with the settings in CONF (key=value lines, written by run.sh)
  proxy.py zones DIR N write the load-test zones for N addresses into DIR (see load_zones)

HTTP/1.1 with keep-alive on 127.0.0.1:<port>. Every GET `?dns=` request is forwarded to dnsdist's
plain-HTTP DoH (`upstream`, a pool of keep-alive connections) and its answer returned with
`access-control-allow-origin: *` (and `access-control-expose-headers: retry-after`, so a page can
read a 429's Retry-After). The path says what happens on the way:

  /dns-query        passed through as it is
  /dns-query-slow   every answer held for `slow_ms` milliseconds
  /dns-query-flaky  a share of requests fails at random: HTTP 502 (`fail_502`), HTTP 429 with
                    `Retry-After: <retry_after>` (`fail_429`), or the connection closed without an
                    answer (`drop`). The faults are transient: a question (the same `dns=` value)
                    that failed `max_run` times in a row is answered on its next try. `seed` seeds
                    the random choice (the order requests arrive in still varies).
  /stats            JSON counts: requests, answered, 502, 429, dropped

Settings (CONF keys): port, upstream (host:port), slow_ms, fail_502, fail_429, drop, retry_after,
max_run, seed.
"""
import asyncio
import ipaddress
import json
import os
import random
import signal
import sys
from urllib.parse import parse_qs, urlsplit

REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway"}
CORS = b"access-control-allow-origin: *\r\naccess-control-expose-headers: retry-after\r\n"


def read_conf(path):
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                conf[key.strip()] = value.strip()
    return conf


class Upstream:
    """Keep-alive HTTP/1.1 connections to dnsdist's plain DoH."""

    def __init__(self, hostport):
        host, _, port = hostport.rpartition(":")
        self.host, self.port = host, int(port)
        self.idle = []

    async def get(self, target):
        for fresh in (False, True):
            if self.idle and not fresh:
                reader, writer = self.idle.pop()
            else:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            try:
                writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                             "Accept: application/dns-message\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, _, v = line.partition(":")
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                writer.close()
                if fresh:
                    raise
                continue  # a pooled connection the server had closed: try a new one
            if headers.get("connection", "").lower() == "close":
                writer.close()
            else:
                self.idle.append((reader, writer))
            return status, headers, body
        raise OSError("unreachable")


class Proxy:
    def __init__(self, conf):
        self.conf = conf
        self.upstream = Upstream(conf.get("upstream", "127.0.0.1:53580"))
        self.slow = int(conf.get("slow_ms", "100")) / 1000
        self.shares = [(float(conf.get("fail_502", "0.10")), "502"),
                       (float(conf.get("fail_429", "0.05")), "429"),
                       (float(conf.get("drop", "0.05")), "drop")]
        self.retry_after = conf.get("retry_after", "1")
        self.max_run = int(conf.get("max_run", "2"))
        self.rng = random.Random(int(conf.get("seed", "1")))
        self.failed = {}  # dns= value -> faults in a row
        self.stats = {"requests": 0, "answered": 0, "502": 0, "429": 0, "dropped": 0}

    def fault(self, key):
        if self.failed.get(key, 0) >= self.max_run:
            del self.failed[key]
            return None
        x = self.rng.random()
        for share, kind in self.shares:
            if x < share:
                self.failed[key] = self.failed.get(key, 0) + 1
                return kind
            x -= share
        self.failed.pop(key, None)
        return None

    async def serve(self, reader, writer):
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                    return
                request = head.decode("latin-1").split("\r\n")
                parts = request[0].split(" ")
                close = any(h.lower().replace(" ", "") == "connection:close" for h in request[1:])
                if len(parts) != 3 or parts[0] != "GET":
                    await self.respond(writer, 405, b"testbed proxy: GET only\n", close=True)
                    return
                url = urlsplit(parts[1])
                if not await self.route(writer, url):
                    return
                if close:
                    return
        finally:
            writer.close()

    async def route(self, writer, url):
        """Answers one request; False when the connection is to be dropped."""
        if url.path == "/stats":
            await self.respond(writer, 200, json.dumps(self.stats).encode() + b"\n",
                               ctype="application/json")
            return True
        if url.path not in ("/dns-query", "/dns-query-slow", "/dns-query-flaky"):
            await self.respond(writer, 404, b"testbed proxy: no such path\n")
            return True
        self.stats["requests"] += 1
        dns = parse_qs(url.query).get("dns", [""])[0]
        kind = self.fault(dns) if url.path == "/dns-query-flaky" else None
        if kind == "drop":
            self.stats["dropped"] += 1
            writer.transport.abort()
            return False
        if kind == "502":
            self.stats["502"] += 1
            await self.respond(writer, 502, b"testbed proxy: deliberate 502\n")
            return True
        if kind == "429":
            self.stats["429"] += 1
            await self.respond(writer, 429, b"testbed proxy: deliberate 429\n",
                               extra=f"retry-after: {self.retry_after}\r\n".encode())
            return True
        try:
            status, headers, body = await self.upstream.get("/dns-query?" + url.query)
        except (OSError, asyncio.IncompleteReadError) as e:
            await self.respond(writer, 502, f"testbed proxy: upstream failed: {e}\n".encode())
            return True
        if url.path == "/dns-query-slow":
            await asyncio.sleep(self.slow)
        self.stats["answered"] += 1
        extra = b""
        if "cache-control" in headers:
            extra = f"cache-control: {headers['cache-control']}\r\n".encode()
        await self.respond(writer, status, body, extra=extra,
                           ctype=headers.get("content-type", "text/plain"))
        return True

    async def respond(self, writer, status, body, ctype="text/plain", extra=b"", close=False):
        head = (f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\n"
                f"content-type: {ctype}\r\ncontent-length: {len(body)}\r\n").encode()
        if close:
            head += b"connection: close\r\n"
        writer.write(head + CORS + extra + b"\r\n" + body)
        try:
            await writer.drain()
        except OSError:
            pass


async def main(conf_path):
    conf = read_conf(conf_path)
    proxy = Proxy(conf)
    server = await asyncio.start_server(proxy.serve, "127.0.0.1", int(conf.get("port", "53590")),
                                        backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def load_zones(directory, count):
    """The load test's zones: COUNT addresses 198.18.0.1 ... (RFC 2544's benchmark range), 250
    per /24 (.1 to .250), address number i (from 0) with PTR m<i>.load.sendercheck.test and that
    name's A record back to it, so each passes FCrDNS. dnsdist answers SERVFAIL for 198.18.0.100."""
    head = ("$TTL 300\n@ SOA ns.sendercheck.test. hostmaster.sendercheck.test. 1 3600 600 86400 300\n"
            "@ NS ns.sendercheck.test.\n")
    forward, reverse = [head], [head]
    for i in range(count):
        third, fourth = divmod(i, 250)
        forward.append(f"m{i} A 198.18.{third}.{fourth + 1}\n")
        reverse.append(f"{fourth + 1}.{third} PTR m{i}.load.sendercheck.test.\n")
    assert ipaddress.ip_address(f"198.18.{(count - 1) // 250}.1") in ipaddress.ip_network("198.18.0.0/15")
    for name, lines in (("load.sendercheck.test.zone", forward), ("18.198.in-addr.arpa.zone", reverse)):
        with open(os.path.join(directory, name), "w") as f:
            f.writelines(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "zones":
        load_zones(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 2:
        asyncio.run(main(sys.argv[1]))
    else:
        sys.exit(__doc__)
