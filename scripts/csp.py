#!/usr/bin/env python3
"""Trunk post-build hook: write the Content-Security-Policy into index.html.

Trunk loads the wasm with an inline module script, so the policy allows exactly that script by
its SHA-256 hash (no 'unsafe-inline'). connect-src cannot name one resolver origin because the
user may pick any custom DoH URL at run time, and a <meta> policy cannot be loosened later; so it
allows https: plus plain http on loopback (for local test resolvers).
"""
import base64
import hashlib
import os
import re
import subprocess
import sys

# First the glue's minification, which rewrites index.html too (same staging directory).
subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "minify_glue.py")] + sys.argv[1:], check=True)

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", sys.argv[1] if len(sys.argv) > 1 else "dist"), "index.html")
html = open(path, encoding="utf-8").read()
hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
    hashes.append("'sha256-%s'" % base64.b64encode(digest).decode())
policy = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    # The extras worker (paste reader, exports), from the page's own origin.
    "worker-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % policy
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
# Right after <head>, or, when the minified HTML leaves <head> out, after the charset <meta>.
if "<head>" in html:
    html = html.replace("<head>", "<head>\n    " + meta, 1)
else:
    html = re.sub(r"(<meta charset=[^>]*>)", lambda m: m.group(1) + meta, html, count=1)
if meta not in html:
    sys.exit("csp: found no <head> or <meta charset> to put the policy after")
open(path, "w", encoding="utf-8").write(html)
print("csp: %d inline script(s) hashed into %s" % (len(hashes), path))
