#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the parents' place, issue 5: a page under 32 connections, p99 < 10 ms.
# Reference measured in the same run: GET /health under the same load (ratio printed).
#
#   bash Benchmarks/parents-place.sh
#
# Builds wegwijs in release mode (.build-release), starts it on a fresh SQLite database with the demo data, and
# loads with wrk (32 connections, 10 s each, after 2 s of warm-up):
#   GET /ouders/ti/who-helps              a welcome-package page in Tigrinya, with where to go in Rijnstad
#   GET /ouders/ti/activiteiten?age=4     the activity finder
#   GET /health                           the reference
# and prints requests/s, p99, the page sizes and GOAL MET / GOAL NOT MET (both pages p99 < 10 ms).
# Options (environment): DURATION=10 CONNECTIONS=32 THREADS=2 PORT=<free> SKIP_BUILD=1 KEEP_TMP=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
BIN="$ROOT/.build-release/release/wegwijs"
GOAL_P99_MS=10
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'parents-place.sh: %s\n' "$*" >&2; exit 1; }

command -v wrk >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; } \
    || die "wrk is not installed; run: sudo apt-get install -y wrk"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "building wegwijs in release mode (.build-release)"
    nice -n 10 swift build -c release --product wegwijs --scratch-path .build-release >&2
fi
[ -x "$BIN" ] || die "$BIN is missing"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-parents.XXXXXX")
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
say "starting the server on $BASE with the demo data"
DATABASE_URL="sqlite://$TMP/parents.sqlite" "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --env production >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health" || true)" = 200 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited"; }
    sleep 0.5
done
PAGE_URL="$BASE/ouders/ti/who-helps"
FINDER_URL="$BASE/ouders/ti/activiteiten?age=4"
for url in "$PAGE_URL" "$FINDER_URL"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
    [ "$code" = 200 ] || die "$url answered $code"
done
PAGE_BYTES=$(curl -s "$PAGE_URL" | wc -c | tr -d ' ')
FINDER_BYTES=$(curl -s "$FINDER_URL" | wc -c | tr -d ' ')

measure() { # name url
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$2" >/dev/null 2>&1 || true   # warm-up
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2" >"$TMP/$1.txt" 2>&1 || die "wrk failed ($1)"
}
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/^[0-9.]+/, "", u); n = v + 0;
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }' "$1"; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
non2xx() { awk '/Non-2xx/ { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }

say "measuring (${DURATION}s each, $CONNECTIONS connections)"
measure health "$BASE/health"
measure page "$PAGE_URL"
measure finder "$FINDER_URL"

echo
echo "Wegwijs parents' place benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SQLite, demo data; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
printf '%-40s %12s %10s %8s %10s\n' "endpoint" "requests/s" "p99" "non-2xx" "bytes"
printf '%-40s %12s %10s %8s %10s\n' "GET /health (reference)" "$(rps "$TMP/health.txt")" "$(p99 "$TMP/health.txt") ms" "$(non2xx "$TMP/health.txt")" "-"
printf '%-40s %12s %10s %8s %10s\n' "GET /ouders/ti/who-helps" "$(rps "$TMP/page.txt")" "$(p99 "$TMP/page.txt") ms" "$(non2xx "$TMP/page.txt")" "$PAGE_BYTES"
printf '%-40s %12s %10s %8s %10s\n' "GET /ouders/ti/activiteiten?age=4" "$(rps "$TMP/finder.txt")" "$(p99 "$TMP/finder.txt") ms" "$(non2xx "$TMP/finder.txt")" "$FINDER_BYTES"
echo "ratio page/health: $(awk -v a="$(rps "$TMP/page.txt")" -v b="$(rps "$TMP/health.txt")" 'BEGIN { printf "%.3f", a / b }')," \
     "finder/health: $(awk -v a="$(rps "$TMP/finder.txt")" -v b="$(rps "$TMP/health.txt")" 'BEGIN { printf "%.3f", a / b }')"
GOAL=$(awk -v p="$(p99 "$TMP/page.txt")" -v f="$(p99 "$TMP/finder.txt")" -v pb="$PAGE_BYTES" -v fb="$FINDER_BYTES" -v g="$GOAL_P99_MS" \
    'BEGIN { print (p + 0 < g && f + 0 < g && pb + 0 < 100000 && fb + 0 < 100000) ? "GOAL MET" : "GOAL NOT MET" }')
echo "goal: both p99 < $GOAL_P99_MS ms and each page < 100 KB: $GOAL"
