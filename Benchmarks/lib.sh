# Shared by the benchmark scripts (source it): tools, release build, server start, wrk and its figures.
# Expects: ROOT (the repository), BIN (the release binary), TMP (a temporary folder), NAME (for messages).

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${NAME:-benchmark}" "$*" >&2; exit 1; }

ensure_wrk() {
    command -v wrk >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing wrk (Debian package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null \
            || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; } \
            || die "could not install wrk"
    else
        die "wrk is not installed; run: sudo apt-get install -y wrk"
    fi
}

# Builds wegwijs in release mode with its own scratch path (the debug build in .build is left alone).
build_release() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        say "building wegwijs in release mode (.build-release)"
        (cd "$ROOT" && nice -n "${BUILD_NICE:-10}" swift build -c release --product wegwijs --scratch-path .build-release >&2)
    fi
    [ -x "$BIN" ] || die "$BIN is missing (build failed?)"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server DATABASE_FILE PORT [VAR=value ...]: starts `wegwijs serve` in the background (SERVER_PID) and waits
# for /health.
start_server() {
    local database=$1 port=$2
    shift 2
    env DATABASE_URL="sqlite://$database" "$@" "$BIN" serve --hostname 127.0.0.1 --port "$port" --env production \
        >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" = 200 ] && return
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited"; }
        sleep 0.5
    done
    tail -n 40 "$TMP/server.log" >&2
    die "/health did not answer 200 within 60 s"
}

stop_server() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}

# measure NAME URL [HEADER]: 2 s of warm-up, then DURATION seconds at CONNECTIONS; raw output in $TMP/NAME.txt.
measure() {
    local name=$1 url=$2
    shift 2
    local args=(-t"$THREADS" -c"$CONNECTIONS")
    [ $# -gt 0 ] && args+=(-H "$1")
    wrk "${args[@]}" -d2s "$url" >/dev/null 2>&1 || true
    wrk "${args[@]}" -d"${DURATION}s" --latency "$url" >"$TMP/$name.txt" 2>&1 || die "wrk failed ($name)"
}

# "99%   12.34ms" -> milliseconds
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/^[0-9.]+/, "", u); n = v + 0;
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }' "$1"; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
non2xx() { awk '/Non-2xx/ { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "?" }'; }
