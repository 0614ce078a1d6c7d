#!/usr/bin/env bash
# First-load size of a release build of the page: index.html and every file it names (the JS glue,
# the _bg.wasm, the CSS, the favicon), raw, gzip -9 and brotli -q 11 bytes, and their total, which
# is held against the 200 KB gzip budget (exit 1 when over). The files the page loads only when
# first needed (the extras worker's glue and wasm, the panels' stylesheet) are listed apart and
# not counted.
#
#   scripts/size.sh dist          (`make size` builds dist/ first)
#
# Needs gzip and brotli: installs the Debian `brotli` package when the command is missing, or
# falls back to Python's `brotli` module from PyPI.
set -euo pipefail

BUDGET=$((200 * 1024))

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIST_DIR   (a release build, e.g. from 'make build')" >&2
  exit 2
fi
dist=${1%/}

# ---- brotli: the Debian package if possible, else Python's module ------------------------------
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

brotli_mode=
if command -v brotli >/dev/null; then
  brotli_mode=cli
elif command -v apt-get >/dev/null; then
  echo "size: installing the Debian brotli package" >&2
  export DEBIAN_FRONTEND=noninteractive
  if as_root apt-get install -y -qq brotli >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null 2>&1 && as_root apt-get install -y -qq brotli >/dev/null 2>&1; }; then
    command -v brotli >/dev/null && brotli_mode=cli
  fi
fi
if [ -z "$brotli_mode" ]; then
  if ! python3 -c 'import brotli' 2>/dev/null; then
    echo "size: no brotli command; installing Python's brotli module from PyPI" >&2
    python3 -m pip install --quiet --user brotli 2>/dev/null \
      || python3 -m pip install --quiet brotli 2>/dev/null \
      || python3 -m pip install --quiet --user --break-system-packages brotli 2>/dev/null || true
  fi
  if python3 -c 'import brotli' 2>/dev/null; then
    brotli_mode=python
  else
    echo "size: cannot get brotli (neither the Debian package nor Python's module)" >&2
    exit 2
  fi
fi

gzip_bytes() { gzip -9 -n -c -- "$1" | wc -c; }
brotli_bytes() {
  if [ "$brotli_mode" = cli ]; then
    brotli -q 11 -c -- "$1" | wc -c
  else
    python3 -c 'import brotli, sys; print(len(brotli.compress(open(sys.argv[1], "rb").read(), quality=11)))' "$1"
  fi
}

# ---- the table ---------------------------------------------------------------------------------
mapfile -d '' files < <(cd "$dist" && find . -type f -print0 | sort -z)
if [ ${#files[@]} -eq 0 ]; then
  echo "size: $dist is empty; build it first (make build)" >&2
  exit 2
fi

row() { printf '%-48s %10s %10s %10s\n' "$@"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

[ -f "$dist/index.html" ] || { echo "size: $dist has no index.html" >&2; exit 2; }
first=(index.html) lazy=()
for f in "${files[@]}"; do
  f=${f#./}
  [ "$f" = index.html ] && continue
  if grep -qF -- "$(basename -- "$f")" "$dist/index.html"; then first+=("$f"); else lazy+=("$f"); fi
done

table() {
  local title=$1; shift
  echo "$title"
  row file raw gzip-9 brotli-11
  raw_total=0 gz_total=0 br_total=0
  for f in "$@"; do
    raw=$(wc -c <"$dist/$f")
    gz=$(gzip_bytes "$dist/$f")
    br=$(brotli_bytes "$dist/$f")
    raw_total=$((raw_total + raw)) gz_total=$((gz_total + gz)) br_total=$((br_total + br))
    row "$f" "$raw" "$gz" "$br"
  done
  row total "$raw_total" "$gz_total" "$br_total"
  row "" "($(kb "$raw_total"))" "($(kb "$gz_total"))" "($(kb "$br_total"))"
  echo
}

if [ ${#lazy[@]} -gt 0 ]; then
  table "Loaded when first needed (a paste, an export; not counted):" "${lazy[@]}"
fi
table "First load of $dist (bytes; KB = 1024 bytes):" "${first[@]}"

gz=$(kb "$gz_total")
if [ "$gz_total" -gt "$BUDGET" ]; then
  echo "OVER BUDGET: first-load gzip total $gz > budget $(kb "$BUDGET")"
  exit 1
fi
echo "within budget: first-load gzip total $gz <= $(kb "$BUDGET") ($(kb $((BUDGET - gz_total))) to spare)"
