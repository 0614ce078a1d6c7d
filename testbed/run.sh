#!/usr/bin/env bash
# Real DNS + DoH testbed for Sender Check: NSD (authoritative, test zones)
# behind dnsdist (DoH front end), loopback only, high ports.
#
#   run.sh install          install nsd, dnsdist, openssl (apt) if missing
#   run.sh start            start (or reuse a running) testbed, print env lines
#   run.sh stop             stop it (by recorded PIDs), idempotent
#   run.sh env              print env lines of the running testbed
#   run.sh exec -- CMD ...  start, run CMD with the env exported, always stop
#
# Env: TESTBED_STATE (state dir, default testbed/.run), TESTBED_NSD_PORT (53530),
# TESTBED_DNS_PORT (53531), TESTBED_DOH_HTTP_PORT (53580),
# TESTBED_DOH_HTTPS_PORT (53543), TESTBED_PROXY_PORT (53590, proxy.py's slow
# and flaky paths), TESTBED_READY_TIMEOUT (seconds, 10); proxy.py's settings:
# TESTBED_SLOW_MS (100), TESTBED_FLAKY_502 (0.10), TESTBED_FLAKY_429 (0.05),
# TESTBED_FLAKY_DROP (0.05), TESTBED_FLAKY_RETRY_AFTER (1),
# TESTBED_FLAKY_MAX_RUN (2), TESTBED_FLAKY_SEED (1).
# Diagnostics go to stderr; only the `export NAME=value` lines go to stdout,
# so `eval "$(testbed/run.sh start)"` works.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${TESTBED_STATE:-$HERE/.run}
[[ $STATE == /* ]] || STATE=$PWD/$STATE
STATE=${STATE%/}
NSD_PORT=${TESTBED_NSD_PORT:-53530}
DNS_PORT=${TESTBED_DNS_PORT:-53531}
DOH_HTTP_PORT=${TESTBED_DOH_HTTP_PORT:-53580}
DOH_HTTPS_PORT=${TESTBED_DOH_HTTPS_PORT:-53543}
PROXY_PORT=${TESTBED_PROXY_PORT:-53590}
READY_TIMEOUT=${TESTBED_READY_TIMEOUT:-10}
PYTHON=${PYTHON:-python3}
# The load test's zones: this many addresses from 198.18.0.1 (testbed/README.md).
LOAD_ADDRESSES=10000
for _p in "$NSD_PORT" "$DNS_PORT" "$DOH_HTTP_PORT" "$DOH_HTTPS_PORT" "$PROXY_PORT"; do
    [[ $_p =~ ^[0-9]+$ ]] && ((_p >= 1 && _p <= 65535)) ||
        { echo "testbed: bad port '$_p' in TESTBED_*_PORT" >&2; exit 2; }
done

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

find_bin() { # name -> path on stdout, or status 1
    local p
    p=$(command -v "$1" 2>/dev/null) && { printf '%s\n' "$p"; return 0; }
    for p in "/usr/sbin/$1" "/usr/bin/$1" "/sbin/$1" "/usr/local/sbin/$1" "/usr/local/bin/$1"; do
        [[ -x $p ]] && { printf '%s\n' "$p"; return 0; }
    done
    return 1
}

# ---------------------------------------------------------------- install
do_install() {
    local missing=() b
    for b in nsd dnsdist openssl; do
        find_bin "$b" >/dev/null || missing+=("$b")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing nsd dnsdist openssl (missing: ${missing[*]})"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${missing[*]}"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsd dnsdist openssl >&2
    # The distro services are not needed (and would listen on port 53, NSD on all
    # addresses): stop and disable whatever the packages may have started.
    local s
    for s in nsd dnsdist; do
        if [[ -d /run/systemd/system ]]; then
            "${sudo[@]}" systemctl disable --now "$s" >/dev/null 2>&1 || true
        elif [[ -x /etc/init.d/$s ]]; then
            "${sudo[@]}" /etc/init.d/"$s" stop >/dev/null 2>&1 || true
            "${sudo[@]}" update-rc.d "$s" disable >/dev/null 2>&1 || true
        fi
    done
    for b in nsd dnsdist openssl; do
        find_bin "$b" >/dev/null || die "$b still missing after apt-get install"
    done
}

# ---------------------------------------------------------------- processes
# A process is "ours" if it is alive and its command line names our config
# file in the state dir (guards against PID reuse after a crash/reboot).
conf_of() { printf '%s/%s.conf\n' "$STATE" "$1"; }

is_ours() { # pid name
    local pid=$1 conf
    conf=$(conf_of "$2")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    grep -qzxF -- "$conf" "/proc/$pid/cmdline" 2>/dev/null
}

recorded_pid() { # name -> pid from our pid file, if it is still ours
    local f="$STATE/$1.run.pid" pid
    [[ -f $f ]] || return 1
    pid=$(<"$f")
    is_ours "$pid" "$1" && printf '%s\n' "$pid"
}

leftover_pids() { # name -> every process still running with our config (e.g. NSD children)
    local f
    grep -lzxF -- "$(conf_of "$1")" /proc/[0-9]*/cmdline 2>/dev/null |
        while IFS= read -r f; do
            f=${f#/proc/}
            printf '%s\n' "${f%/cmdline}"
        done
    return 0
}

running() {
    recorded_pid nsd >/dev/null && recorded_pid dnsdist >/dev/null && recorded_pid proxy >/dev/null
}

stop_one() { # name
    local name=$1 pids pid i
    pids=$(recorded_pid "$name" || true)
    for pass in recorded leftovers; do
        if [[ $pass == leftovers ]]; then
            pids=$(leftover_pids "$name")
        fi
        [[ -n $pids ]] || continue
        for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
        for ((i = 0; i < 100; i++)); do # up to 5 s
            local alive=0
            for pid in $pids; do is_ours "$pid" "$name" && alive=1; done
            ((alive)) || break
            sleep 0.05
        done
        for pid in $pids; do
            if is_ours "$pid" "$name"; then
                log "$name pid $pid ignored SIGTERM, sending SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        done
    done
    rm -f "$STATE/$name.run.pid"
}

do_stop() {
    [[ -d $STATE ]] || return 0
    stop_one proxy
    stop_one dnsdist
    stop_one nsd
    rm -f "$STATE/nsd.pid"
    rm -rf "$STATE"/nsd-xfr-* # NSD removes its own unless it was killed hard
}

# ---------------------------------------------------------------- start
subst() { # template -> stdout, placeholders replaced
    local esc_state esc_zones
    esc_state=$(printf '%s' "$STATE" | sed 's/[\\|&]/\\&/g')
    esc_zones=$(printf '%s' "$HERE/zones" | sed 's/[\\|&]/\\&/g')
    sed -e "s|@STATE@|$esc_state|g" -e "s|@ZONES@|$esc_zones|g" \
        -e "s|@NSD_PORT@|$NSD_PORT|g" -e "s|@DNS_PORT@|$DNS_PORT|g" \
        -e "s|@DOH_HTTP_PORT@|$DOH_HTTP_PORT|g" -e "s|@DOH_HTTPS_PORT@|$DOH_HTTPS_PORT|g" "$1"
}

make_certs() {
    # Throwaway CA + leaf for 127.0.0.1/localhost. A separate CA (rather than
    # one self-signed leaf) because rustls/webpki reject a CA:TRUE end-entity
    # certificate; SENDERCHECK_TEST_CA points at the CA certificate.
    local o=(-batch -nodes -days 30 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
    openssl req -x509 "${o[@]}" -keyout "$STATE/ca.key" -out "$STATE/ca.pem" \
        -subj "/CN=Sender Check testbed CA (throwaway)" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req "${o[@]}" -keyout "$STATE/key.pem" -out "$STATE/leaf.csr" \
        -subj "/CN=localhost" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
        "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$STATE/leaf.ext"
    openssl x509 -req -in "$STATE/leaf.csr" -CA "$STATE/ca.pem" -CAkey "$STATE/ca.key" \
        -CAcreateserial -days 30 -extfile "$STATE/leaf.ext" -out "$STATE/cert.pem" 2>/dev/null
    rm -f "$STATE/leaf.csr" "$STATE/ca.srl"
    chmod 600 "$STATE/ca.key" "$STATE/key.pem"
}

print_env() {
    printf 'export %s=%q\n' \
        SENDERCHECK_TEST_DOH_HTTP "http://127.0.0.1:$DOH_HTTP_PORT/dns-query" \
        SENDERCHECK_TEST_DOH_HTTPS "https://127.0.0.1:$DOH_HTTPS_PORT/dns-query" \
        SENDERCHECK_TEST_CA "$STATE/ca.pem" \
        SENDERCHECK_TEST_DOH_500 "http://127.0.0.1:$DOH_HTTP_PORT/dns-query-500" \
        SENDERCHECK_TEST_DOH_JUNK "http://127.0.0.1:$DOH_HTTP_PORT/not-dns" \
        SENDERCHECK_TEST_DOH_SLOW "http://127.0.0.1:$PROXY_PORT/dns-query-slow" \
        SENDERCHECK_TEST_DOH_FLAKY "http://127.0.0.1:$PROXY_PORT/dns-query-flaky"
}

export_env() {
    eval "$(print_env)"
}

show_logs() {
    local f
    for f in nsd.log nsd.out dnsdist.out proxy.out; do
        [[ -s $STATE/$f ]] || continue
        printf -- '----- %s -----\n' "$STATE/$f" >&2
        tail -n 50 "$STATE/$f" >&2
    done
}

start_failed() {
    log "start failed: $*"
    show_logs
    do_stop
    exit 1
}

STARTED_NEW=0
do_start() {
    do_install
    mkdir -p "$STATE"
    if running; then
        log "already running (state $STATE)"
        STARTED_NEW=0
        return 0
    fi
    do_stop # clean up after a crash: stale pid files, half-started instances
    # Interrupted while starting: leave nothing behind.
    trap 'log "interrupted"; do_stop; exit 130' INT
    trap 'log "interrupted"; do_stop; exit 143' TERM
    trap 'log "interrupted"; do_stop; exit 129' HUP
    local t0=$EPOCHREALTIME nsd dnsdist
    # Resolve version-manager shims (pyenv, asdf) once: each shim run costs ~0.2 s.
    PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)') || die "python3 not usable"
    nsd=$(find_bin nsd) || die "nsd not found"
    dnsdist=$(find_bin dnsdist) || die "dnsdist not found"
    rm -f "$STATE"/{nsd.log,nsd.out,dnsdist.out,proxy.out,xfrd.state,zone.list}
    subst "$HERE/nsd.conf.in" >"$STATE/nsd.conf"
    subst "$HERE/dnsdist.conf.in" >"$STATE/dnsdist.conf"
    printf '%s\n' "port=$PROXY_PORT" "upstream=127.0.0.1:$DOH_HTTP_PORT" \
        "slow_ms=${TESTBED_SLOW_MS:-100}" "fail_502=${TESTBED_FLAKY_502:-0.10}" \
        "fail_429=${TESTBED_FLAKY_429:-0.05}" "drop=${TESTBED_FLAKY_DROP:-0.05}" \
        "retry_after=${TESTBED_FLAKY_RETRY_AFTER:-1}" "max_run=${TESTBED_FLAKY_MAX_RUN:-2}" \
        "seed=${TESTBED_FLAKY_SEED:-1}" >"$STATE/proxy.conf"
    "$PYTHON" "$HERE/dohq.py" portsfree "$NSD_PORT" "$DNS_PORT" "$DOH_HTTP_PORT" "$DOH_HTTPS_PORT" "$PROXY_PORT" ||
        die "not starting (set TESTBED_*_PORT to use other ports)"
    "$PYTHON" "$HERE/proxy.py" zones "$STATE" "$LOAD_ADDRESSES" || die "cannot write the load-test zones"

    # setsid: own session, so a Ctrl-C in the shell that ran `start` does not
    # reach the daemons; it execs directly, so $! is the daemon's PID.
    setsid "$nsd" -d -c "$STATE/nsd.conf" </dev/null >"$STATE/nsd.out" 2>&1 9>&- &
    echo $! >"$STATE/nsd.run.pid"
    make_certs # while NSD loads its zones
    # Wait for NSD before dnsdist, so dnsdist's first health check finds it up.
    "$PYTHON" "$HERE/dohq.py" waitdns "$READY_TIMEOUT" "$NSD_PORT" "$(<"$STATE/nsd.run.pid")" ||
        start_failed "NSD not answering on 127.0.0.1:$NSD_PORT"
    recorded_pid nsd >/dev/null || start_failed "nsd exited"

    setsid "$dnsdist" --supervised --disable-syslog -C "$STATE/dnsdist.conf" \
        </dev/null >"$STATE/dnsdist.out" 2>&1 9>&- &
    echo $! >"$STATE/dnsdist.run.pid"
    "$PYTHON" "$HERE/dohq.py" wait "$READY_TIMEOUT" \
        "http://127.0.0.1:$DOH_HTTP_PORT/dns-query" "https://127.0.0.1:$DOH_HTTPS_PORT/dns-query" \
        "$STATE/ca.pem" "$(<"$STATE/nsd.run.pid")" "$(<"$STATE/dnsdist.run.pid")" ||
        start_failed "DoH not ready"
    setsid "$PYTHON" "$HERE/proxy.py" "$STATE/proxy.conf" </dev/null >"$STATE/proxy.out" 2>&1 9>&- &
    echo $! >"$STATE/proxy.run.pid"
    "$PYTHON" "$HERE/dohq.py" wait "$READY_TIMEOUT" \
        "http://127.0.0.1:$PROXY_PORT/dns-query" "http://127.0.0.1:$PROXY_PORT/dns-query-slow" \
        "$STATE/ca.pem" "$(<"$STATE/proxy.run.pid")" ||
        start_failed "proxy.py not ready"
    running || start_failed "nsd, dnsdist or proxy.py exited"
    trap - INT TERM HUP
    STARTED_NEW=1
    log "started in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}') s (nsd pid $(<"$STATE/nsd.run.pid"), dnsdist pid $(<"$STATE/dnsdist.run.pid"), proxy pid $(<"$STATE/proxy.run.pid"), state $STATE)"
}

with_lock() { # serialise start/stop on the same state dir
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"
    # (the daemons are started with fd 9 closed, so they never hold the lock)
    flock -w 60 9 || die "could not lock $STATE/.lock within 60 s"
}

usage() {
    sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd=${1:-}
shift || true
case $cmd in
install)
    do_install
    ;;
start)
    with_lock
    do_start
    print_env
    ;;
stop)
    [[ -d $STATE ]] || exit 0
    with_lock
    do_stop
    ;;
env)
    running || die "not running (state $STATE); use: $0 start"
    print_env
    ;;
exec)
    [[ ${1:-} == -- ]] && shift
    (($# > 0)) || usage
    with_lock
    do_start
    exec 9>&- # release the lock while CMD runs
    if ((STARTED_NEW)); then
        trap 'do_stop' EXIT
    else
        log "reusing the running testbed; it is left running afterwards"
    fi
    export_env
    # CMD runs as a child we `wait` for, so a signal to this script is handled
    # at once (bash defers traps while a foreground command runs) and forwarded
    # to CMD; the EXIT trap then stops the testbed. The subshell un-ignores
    # SIGINT/SIGQUIT (bash ignores them for background commands) and `<&0`
    # keeps stdin (it would be /dev/null).
    ( trap - INT QUIT; exec "$@" ) <&0 &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null || true' TERM
    trap 'kill -HUP "$child" 2>/dev/null || true' HUP
    trap 'kill -INT "$child" 2>/dev/null || true' INT
    set +e
    while :; do
        wait "$child"
        rc=$?
        kill -0 "$child" 2>/dev/null || break # else `wait` was cut short by a trap
    done
    set -e
    exit "$rc"
    ;;
*)
    usage
    ;;
esac
