#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code size per crate and the biggest functions.

    scripts/wasm_top.py target/wasm32-unknown-unknown/release/sendercheck-web.wasm [N]

Reads the module's code section (the size of every function body) and its `name` section (the
function names rustc writes into a release build before wasm-bindgen and wasm-opt strip them),
demangles Rust's legacy symbol names, and groups the bodies by crate: the first path segment of
the name, or of the `impl` target for `<T as Trait>::f` names. Sizes are those of the unoptimised
module (before wasm-opt), so they show shares, not the final bytes; the data section (string
constants, tables) is printed as one line because it carries no names. Nothing to install: the
format is read here (https://webassembly.github.io/spec/core/binary/modules.html).
"""

import re
import sys
from collections import defaultdict


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def sections(buf):
    if buf[:4] != b"\0asm":
        raise SystemExit("not a wasm module")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        yield sid, buf[pos:pos + size]
        pos += size


def name_of_custom(payload):
    n, p = leb(payload, 0)
    return payload[p:p + n].decode("utf-8", "replace"), payload[p + n:]


ESCAPES = {"$LT$": "<", "$GT$": ">", "$RF$": "&", "$BP$": "*", "$C$": ",", "$u20$": " ",
           "$u27$": "'", "$u5b$": "[", "$u5d$": "]", "$u7b$": "{", "$u7d$": "}", "$u7e$": "~",
           "$SP$": "@", "$LP$": "(", "$RP$": ")", "$u3b$": ";", "$u21$": "!", "$u22$": '"'}


def demangle(sym):
    """Rust's legacy mangling: _ZN <len><ident>... E, with $..$ escapes and a trailing hash."""
    sym = re.sub(r"\.\d+$", "", sym)
    if sym.startswith("_R"):
        return demangle_v0(sym)
    if not sym.startswith("_ZN") or not sym.endswith("E"):
        return sym
    body, parts, i = sym[3:-1], [], 0
    while i < len(body) and body[i].isdigit():
        j = i
        while body[j].isdigit():
            j += 1
        n = int(body[i:j])
        parts.append(body[j:j + n])
        i = j + n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(parts)
    for k, v in ESCAPES.items():
        text = text.replace(k, v)
    return text.replace("..", "::")


V0_ROOT = re.compile(r"C(?:s[0-9A-Za-z]*_)?(\d+)_?")
V0_IDENT = re.compile(r"(?:s[0-9A-Za-z]*_)?(\d+)_?")


def demangle_v0(sym):
    """Rust's v0 mangling (_R...), roughly: the crate root and the identifiers that follow it."""
    m = V0_ROOT.search(sym, 2)
    if not m:
        return sym
    parts, pos, n = [], m.end(), int(m.group(1))
    while True:
        ident = sym[pos:pos + n]
        if len(ident) < n or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", ident):
            break
        parts.append(ident)
        pos += n
        m = V0_IDENT.match(sym, pos)
        if not m:
            break
        pos, n = m.end(), int(m.group(1))
    return "::".join(parts) if parts else sym


def crate_of(name):
    name = re.sub(r"^_(?=<)", "", name)
    name = name.lstrip("<&*( ").removeprefix("mut ").removeprefix("dyn ")
    head = re.split(r"::|<| as |\s|\[|;", name, maxsplit=1)[0]
    return head or "?"


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    buf = open(sys.argv[1], "rb").read()
    imported = 0
    bodies, names, data = [], {}, 0
    for sid, payload in sections(buf):
        if sid == 2:  # imports: function imports take the first indices
            count, p = leb(payload, 0)
            for _ in range(count):
                for _ in range(2):
                    n, p = leb(payload, p)
                    p += n
                kind = payload[p]
                p += 1
                if kind == 0:
                    imported += 1
                    _, p = leb(payload, p)
                elif kind == 1:
                    p += 1
                    flags, p = leb(payload, p)
                    _, p = leb(payload, p)
                    if flags & 1:
                        _, p = leb(payload, p)
                elif kind == 2:
                    flags, p = leb(payload, p)
                    _, p = leb(payload, p)
                    if flags & 1:
                        _, p = leb(payload, p)
                else:
                    p += 2
        elif sid == 10:  # code
            count, p = leb(payload, 0)
            for _ in range(count):
                size, q = leb(payload, p)
                bodies.append(size + (q - p))
                p = q + size
        elif sid == 11:
            data += len(payload)
        elif sid == 0:
            cname, rest = name_of_custom(payload)
            if cname != "name":
                continue
            p = 0
            while p < len(rest):
                sub = rest[p]
                size, p = leb(rest, p + 1)
                if sub == 1:
                    count, q = leb(rest, p)
                    for _ in range(count):
                        idx, q = leb(rest, q)
                        n, q = leb(rest, q)
                        names[idx] = demangle(rest[q:q + n].decode("utf-8", "replace"))
                        q += n
                p += size
    if not names:
        raise SystemExit("the module has no name section (wasm-opt or wasm-bindgen removed it)")
    per_crate, funcs = defaultdict(int), []
    for i, size in enumerate(bodies):
        name = names.get(imported + i, f"func[{imported + i}]")
        per_crate[crate_of(name)] += size
        funcs.append((size, name))
    code = sum(bodies)
    print(f"wasm before wasm-opt: {len(buf):,} bytes; code {code:,}, data {data:,} "
          f"(string constants and tables), {len(bodies):,} functions")
    print(f"\ncode per crate (top {top}):")
    for crate, size in sorted(per_crate.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {size:>9,}  {100 * size / code:5.1f}%  {crate}")
    print(f"\nbiggest functions (top {top}):")
    for size, name in sorted(funcs, reverse=True)[:top]:
        print(f"  {size:>9,}  {name[:110]}")


if __name__ == "__main__":
    main()
