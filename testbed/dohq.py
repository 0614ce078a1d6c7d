#!/usr/bin/env python3
"""Tiny RFC 8484 DoH client for the Sender Check testbed (stdlib only).

  dohq.py portsfree PORT...
      exit 1 (with a message) if any 127.0.0.1:PORT (tcp or udp) is taken.
  dohq.py waitdns TIMEOUT_S PORT [PID...]
      poll NSD on 127.0.0.1:PORT over UDP until it answers SOA sendercheck.test.
  dohq.py wait TIMEOUT_S URL_HTTP URL_HTTPS CAFILE [PID...]
      poll until a real DNS answer comes back over both URLs (exit 0), or fail.
      Both give up early once one of the PIDs has exited.
  dohq.py query URL NAME TYPE [CAFILE]
      one GET ?dns= query, print rcode, flags and records.
  dohq.py verify
      check every testbed case over both transports and the error paths,
      using the SENDERCHECK_TEST_* env vars; exit 1 on any mismatch.
"""
import base64
import ipaddress
import os
import socket
import ssl
import struct
import sys
import time
import urllib.error
import urllib.request

QTYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "TXT": 16, "AAAA": 28, "ANY": 255}
TYPENAMES = {v: k for k, v in QTYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def build_query(name, qtype):
    # RFC 8484 section 4.1: DNS id 0 for cache friendliness; RD set.
    hdr = struct.pack(">HHHHHH", 0, 0x0100, 1, 0, 0, 0)
    q = b""
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode("ascii")
    q += b"\x00" + struct.pack(">HH", QTYPES[qtype], 1)
    return hdr + q


def read_name(msg, off):
    labels, jumped, end = [], False, None
    for _ in range(128):
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped = True
            continue
        if n == 0:
            off += 1
            break
        labels.append(msg[off + 1:off + 1 + n].decode("ascii"))
        off += 1 + n
    else:
        raise ValueError("name too long / pointer loop")
    return (".".join(labels) + "."), (end if jumped else off)


def parse(msg):
    if len(msg) < 12:
        raise ValueError("short DNS message (%d bytes)" % len(msg))
    mid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    sections = []
    for count in (an, ns, ar):
        recs = []
        for _ in range(count):
            owner, off = read_name(msg, off)
            rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
            off += 10
            rd = msg[off:off + rdlen]
            if rtype == 1:
                data = str(ipaddress.IPv4Address(rd))
            elif rtype == 28:
                data = str(ipaddress.IPv6Address(rd))
            elif rtype in (2, 5, 12):
                data, _ = read_name(msg, off)
            elif rtype == 16:
                parts, i = [], 0
                while i < len(rd):
                    parts.append('"%s"' % rd[i + 1:i + 1 + rd[i]].decode("ascii", "replace"))
                    i += 1 + rd[i]
                data = " ".join(parts)
            elif rtype == 6:
                mname, o2 = read_name(msg, off)
                rname, o2 = read_name(msg, o2)
                data = "%s %s %d" % (mname, rname, struct.unpack(">I", msg[o2:o2 + 4])[0])
            else:
                data = rd.hex()
            off += rdlen
            recs.append((owner, TYPENAMES.get(rtype, str(rtype)), ttl, data))
        sections.append(recs)
    fl = [f for bit, f in ((15, "qr"), (10, "aa"), (9, "tc"), (8, "rd"), (7, "ra")) if flags >> bit & 1]
    return {"id": mid, "rcode": RCODES.get(flags & 0xF, str(flags & 0xF)), "flags": fl,
            "answer": sections[0], "authority": sections[1], "additional": sections[2]}


def ssl_ctx(cafile):
    ctx = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
    return ctx


def http_get(url, cafile=None, timeout=3.0):
    """GET url; returns (status, headers(dict, lowercased), body). Never raises on HTTP status."""
    req = urllib.request.Request(url, headers={"Accept": "application/dns-message"})
    ctx = ssl_ctx(cafile) if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def doh(url, name, qtype, cafile=None, timeout=3.0):
    q = base64.urlsafe_b64encode(build_query(name, qtype)).rstrip(b"=").decode("ascii")
    status, headers, body = http_get(url + "?dns=" + q, cafile, timeout)
    if status != 200:
        raise RuntimeError("HTTP %d from %s" % (status, url))
    return parse(body), headers


def fmt(res):
    ans = "; ".join("%s %s %s" % (o, t, d) for o, t, _, d in res["answer"]) or "-"
    auth = "; ".join("%s %s" % (o, t) for o, t, _, _ in res["authority"])
    return "%-8s %-11s an: %s%s" % (res["rcode"], ",".join(res["flags"]), ans,
                                  ("   [auth: %s]" % auth) if auth else "")


def dead(pids):
    """First PID that has exited (gone or zombie), else None."""
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return pid
        except OSError:
            return pid
    return None


def cmd_portsfree(ports):
    busy = []
    for port in ports:
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(socket.AF_INET, kind)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", int(port)))
            except OSError as e:
                busy.append("127.0.0.1:%s/%s (%s)" % (port, "tcp" if kind == socket.SOCK_STREAM else "udp", e.strerror))
            finally:
                s.close()
    if busy:
        print("testbed: port(s) already in use: %s" % ", ".join(busy), file=sys.stderr)
        return 1
    return 0


def cmd_waitdns(timeout, port, pids):
    deadline = time.monotonic() + float(timeout)
    q = struct.pack(">HHHHHH", 0x7E57, 0, 1, 0, 0, 0) + b"\x0bsendercheck\x04test\x00\x00\x06\x00\x01"
    while time.monotonic() < deadline:
        if dead(pids):
            print("testbed: pid %s exited" % dead(pids), file=sys.stderr)
            return 1
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.1)
        try:
            s.sendto(q, ("127.0.0.1", int(port)))
            r = s.recv(4096)
            if r[:2] == b"\x7e\x57" and r[3] & 0x0F == 0:
                return 0
        except OSError:
            time.sleep(0.02)
        finally:
            s.close()
    print("testbed: no DNS answer on 127.0.0.1:%s after %ss" % (port, timeout), file=sys.stderr)
    return 1


def cmd_wait(timeout, urls, cafile, pids=()):
    deadline = time.monotonic() + float(timeout)
    pending, last = list(urls), None
    while True:
        if dead(pids):
            print("testbed: pid %s exited; last: %s" % (dead(pids), last), file=sys.stderr)
            return 1
        for url in list(pending):
            try:
                res, _ = doh(url, "mail.sendercheck.test", "A", cafile, timeout=1.0)
                if res["rcode"] == "NOERROR" and res["answer"]:
                    pending.remove(url)
                else:
                    last = "%s: %s" % (url, fmt(res))
            except Exception as e:  # noqa: BLE001 - keep polling
                last = "%s: %s" % (url, e)
        if not pending:
            return 0
        if time.monotonic() > deadline:
            print("testbed: DoH not ready after %ss: %s" % (timeout, last), file=sys.stderr)
            return 1
        time.sleep(0.05)


def rev4(ip):
    return ipaddress.ip_address(ip).reverse_pointer


def nibbles(ip):
    """The 32 reversed nibbles of an IPv6 address (RFC 5782 §2.4), without a zone."""
    return ".".join(reversed(ipaddress.ip_address(ip).exploded.replace(":", "")))


# (name, qtype, expected rcode, expected answer data (set of rdata of the final type) or None)
CASES = [
    # PTR lookups
    (rev4("192.0.2.10"), "PTR", "NOERROR", {"mail.sendercheck.test."}),
    (rev4("2001:db8::10"), "PTR", "NOERROR", {"mail.sendercheck.test."}),
    (rev4("192.0.2.20"), "PTR", "NOERROR", {"mx1.sendercheck.test.", "mx2.sendercheck.test."}),
    (rev4("192.0.2.30"), "PTR", "NOERROR", {"mismatch.sendercheck.test."}),
    (rev4("2001:db8::30"), "PTR", "NOERROR", {"mismatch6.sendercheck.test."}),
    (rev4("192.0.2.40"), "PTR", "NOERROR", {"nxdomain.sendercheck.test."}),
    (rev4("192.0.2.50"), "PTR", "NXDOMAIN", set()),
    (rev4("192.0.2.51"), "PTR", "NOERROR", set()),
    (rev4("2001:db8::50"), "PTR", "NXDOMAIN", set()),
    (rev4("192.0.2.60"), "PTR", "SERVFAIL", set()),
    (rev4("192.0.2.61"), "PTR", "NOERROR", {"servfail.sendercheck.test."}),
    (rev4("192.0.2.70"), "PTR", "NOERROR", {"classless.sendercheck.test."}),
    ("70.64/26.2.0.192.in-addr.arpa", "PTR", "NOERROR", {"classless.sendercheck.test."}),
    (rev4("2001:db8::20"), "PTR", "NOERROR", {"v4only.sendercheck.test."}),
    (rev4("192.0.2.80"), "PTR", "NOERROR", {"MiXeD.SenderCheck.TEST."}),
    (rev4("192.0.2.90"), "PTR", "NOERROR", {"192-0-2-90.dynamic.pool.sendercheck.test."}),
    (rev4("192.0.2.100"), "PTR", "NOERROR", {"alias.sendercheck.test."}),
    (rev4("192.0.2.110"), "PTR", "NOERROR", {"loop1.sendercheck.test."}),
    (rev4("192.0.2.112"), "PTR", "NOERROR", set()),
    (rev4("192.0.2.121"), "PTR", "NOERROR", {"multi.sendercheck.test."}),
    (rev4("192.0.2.130"), "PTR", "NOERROR", {"nodata.sendercheck.test."}),
    (rev4("192.0.2.71"), "PTR", "NXDOMAIN", set()),
    (rev4("198.51.100.10"), "PTR", "NOERROR", {"mail.cf.sendercheck.test."}),
    (rev4("198.51.100.20"), "PTR", "NXDOMAIN", set()),
    (rev4("198.51.100.30"), "PTR", "NOERROR", {"mismatch.r53.sendercheck.test."}),
    (rev4("203.0.113.10"), "PTR", "NXDOMAIN", set()),
    (rev4("203.0.113.20"), "PTR", "NOERROR", {"203-0-113-20.dynamic.isp.sendercheck.test."}),
    # zones (where to fix): the SOA at each apex, the NS of the operators' zones
    ("2.0.192.in-addr.arpa", "SOA", "NOERROR", {"ns.sendercheck.test. hostmaster.sendercheck.test. 2024010101"}),
    ("64/26.2.0.192.in-addr.arpa", "SOA", "NOERROR", {"ns1.your-server.de. postmaster.your-server.de. 2024010101"}),
    ("100.51.198.in-addr.arpa", "SOA", "NOERROR", {"ns1.digitalocean.com. hostmaster.sendercheck.test. 2024010101"}),
    ("113.0.203.in-addr.arpa", "SOA", "NOERROR", {"dns101.comcast.net. domregtech.comcastonline.com. 2024010101"}),
    ("cf.sendercheck.test", "SOA", "NOERROR", {"ada.ns.cloudflare.com. dns.cloudflare.com. 2024010101"}),
    ("r53.sendercheck.test", "SOA", "NOERROR", {"ns-123.awsdns-45.com. awsdns-hostmaster.amazon.com. 2024010101"}),
    ("100.51.198.in-addr.arpa", "NS", "NOERROR", {"ns1.digitalocean.com.", "ns2.digitalocean.com.", "ns3.digitalocean.com."}),
    ("cf.sendercheck.test", "NS", "NOERROR", {"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}),
    ("r53.sendercheck.test", "NS", "NOERROR", {"ns-123.awsdns-45.com.", "ns-678.awsdns-12.net."}),
    # DNS blocklists (zones/bl.sendercheck.test.zone)
    ("2.0.0.127.zen.bl.sendercheck.test", "A", "NOERROR", {"127.0.0.2", "127.0.0.4", "127.0.0.10"}),
    ("1.0.0.127.zen.bl.sendercheck.test", "A", "NXDOMAIN", set()),
    ("9.113.0.203.zen.bl.sendercheck.test", "A", "NOERROR", {"127.0.0.2", "127.0.0.4"}),
    ("8.113.0.203.zen.bl.sendercheck.test", "A", "NXDOMAIN", set()),
    ("%s.zen.bl.sendercheck.test" % nibbles("2001:db8::9"), "A", "NOERROR", {"127.0.0.3"}),
    ("%s.zen.bl.sendercheck.test" % nibbles("::ffff:7f00:2"), "A", "NOERROR", {"127.0.0.2"}),
    ("9.113.0.203.errors.bl.sendercheck.test", "A", "NOERROR", {"127.255.255.254"}),
    ("2.0.0.127.notest.bl.sendercheck.test", "A", "NXDOMAIN", set()),
    ("1.0.0.127.wild.bl.sendercheck.test", "A", "NOERROR", {"127.0.0.2"}),
    # forward lookups
    ("mail.sendercheck.test", "A", "NOERROR", {"192.0.2.10"}),
    ("mail.sendercheck.test", "AAAA", "NOERROR", {"2001:db8::10"}),
    ("mx1.sendercheck.test", "A", "NOERROR", {"192.0.2.99"}),
    ("mx2.sendercheck.test", "A", "NOERROR", {"192.0.2.20"}),
    ("mismatch.sendercheck.test", "A", "NOERROR", {"192.0.2.31"}),
    ("mismatch6.sendercheck.test", "AAAA", "NOERROR", {"2001:db8::31"}),
    ("nxdomain.sendercheck.test", "A", "NXDOMAIN", set()),
    ("nxdomain.sendercheck.test", "AAAA", "NXDOMAIN", set()),
    ("servfail.sendercheck.test", "A", "SERVFAIL", set()),
    ("servfail.sendercheck.test", "AAAA", "SERVFAIL", set()),
    ("classless.sendercheck.test", "A", "NOERROR", {"192.0.2.70"}),
    ("v4only.sendercheck.test", "A", "NOERROR", {"192.0.2.20"}),
    ("v4only.sendercheck.test", "AAAA", "NOERROR", set()),
    ("MiXeD.SenderCheck.TEST", "A", "NOERROR", {"192.0.2.80"}),
    ("mixed.sendercheck.test", "A", "NOERROR", {"192.0.2.80"}),
    ("192-0-2-90.dynamic.pool.sendercheck.test", "A", "NOERROR", {"192.0.2.90"}),
    ("alias.sendercheck.test", "A", "NOERROR", {"192.0.2.100"}),
    ("loop1.sendercheck.test", "A", "NOERROR", set()),
    ("elsewhere.sendercheck.test", "A", "NOERROR", {"198.51.100.7"}),
    ("multi.sendercheck.test", "A", "NOERROR", {"192.0.2.120", "192.0.2.121"}),
    ("nodata.sendercheck.test", "A", "NOERROR", set()),
    ("nodata.sendercheck.test", "AAAA", "NOERROR", set()),
    ("mail.cf.sendercheck.test", "A", "NOERROR", {"198.51.100.10"}),
    ("mismatch.r53.sendercheck.test", "A", "NOERROR", {"198.51.100.31"}),
    ("nx.r53.sendercheck.test", "A", "NXDOMAIN", set()),
    ("203-0-113-20.dynamic.isp.sendercheck.test", "A", "NOERROR", {"203.0.113.20"}),
]


def cmd_verify():
    env = os.environ
    http, https, ca = env["SENDERCHECK_TEST_DOH_HTTP"], env["SENDERCHECK_TEST_DOH_HTTPS"], env["SENDERCHECK_TEST_CA"]
    bad = 0
    for url in (http, https):
        print("== %s" % url)
        for name, qtype, rcode, want in CASES:
            try:
                res, hdr = doh(url, name, qtype, ca)
            except Exception as e:  # noqa: BLE001
                print("FAIL %-45s %-4s %s" % (name, qtype, e))
                bad += 1
                continue
            got = {d for _, t, _, d in res["answer"] if t == qtype}
            ok = (res["rcode"] == rcode and got == want and res["id"] == 0
                  and hdr.get("access-control-allow-origin") == "*"
                  and hdr.get("content-type", "").startswith("application/dns-message"))
            bad += not ok
            print("%s %-45s %-4s %s" % ("ok  " if ok else "FAIL", name, qtype, fmt(res)))
    print("== error paths")
    for url, want_status, want_ct in ((env["SENDERCHECK_TEST_DOH_500"], 500, None),
                                      (env["SENDERCHECK_TEST_DOH_JUNK"], 200, "text/html")):
        q = base64.urlsafe_b64encode(build_query("mail.sendercheck.test", "A")).rstrip(b"=").decode()
        status, hdr, body = http_get(url + "?dns=" + q, ca)
        try:
            parse(body)
            is_dns = body[:2] == b"\x00\x00" and len(body) >= 12 and body[2] & 0x80
        except Exception:  # noqa: BLE001
            is_dns = False
        ok = (status == want_status and hdr.get("access-control-allow-origin") == "*"
              and not is_dns and (want_ct is None or hdr.get("content-type", "").startswith(want_ct)))
        bad += not ok
        print("%s %s -> HTTP %d ct=%r acao=%r body=%r" % ("ok  " if ok else "FAIL", url, status,
              hdr.get("content-type"), hdr.get("access-control-allow-origin"), body[:60]))
    print("verify: %s" % ("all ok" if not bad else "%d FAILED" % bad))
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "portsfree":
        return cmd_portsfree(argv[2:])
    if len(argv) >= 4 and argv[1] == "waitdns":
        return cmd_waitdns(argv[2], argv[3], argv[4:])
    if len(argv) >= 6 and argv[1] == "wait":
        return cmd_wait(argv[2], argv[3:5], argv[5], argv[6:])
    if len(argv) >= 2 and argv[1] == "query" and len(argv) in (5, 6):
        res, hdr = doh(argv[2], argv[3], argv[4].upper(), argv[5] if len(argv) == 6 else None)
        print(fmt(res))
        return 0
    if len(argv) == 2 and argv[1] == "verify":
        return cmd_verify()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
