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
NAME=parents-place.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-parents.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"
cleanup() {
    stop_server
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

ensure_wrk
build_release
PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
say "starting the server on $BASE with the demo data"
start_server "$TMP/parents.sqlite" "$PORT"
PAGE_URL="$BASE/ouders/ti/who-helps"
FINDER_URL="$BASE/ouders/ti/activiteiten?age=4"
for url in "$PAGE_URL" "$FINDER_URL"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
    [ "$code" = 200 ] || die "$url answered $code"
done
PAGE_BYTES=$(curl -s "$PAGE_URL" | wc -c | tr -d ' ')
FINDER_BYTES=$(curl -s "$FINDER_URL" | wc -c | tr -d ' ')

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
echo "ratio page/health: $(ratio "$(rps "$TMP/page.txt")" "$(rps "$TMP/health.txt")")," \
     "finder/health: $(ratio "$(rps "$TMP/finder.txt")" "$(rps "$TMP/health.txt")")"
GOAL=$(awk -v p="$(p99 "$TMP/page.txt")" -v f="$(p99 "$TMP/finder.txt")" -v pb="$PAGE_BYTES" -v fb="$FINDER_BYTES" -v g="$GOAL_P99_MS" \
    'BEGIN { print (p + 0 < g && f + 0 < g && pb + 0 < 100000 && fb + 0 < 100000) ? "GOAL MET" : "GOAL NOT MET" }')
echo "goal: both p99 < $GOAL_P99_MS ms and each page < 100 KB: $GOAL"
