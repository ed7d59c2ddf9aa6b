#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the matching engine, issue 7's speed goals:
#   - matching 100,000 family profiles against 5,000 offers (fixed seed) in release mode: < 5 s on 2 cores;
#   - one family against 10,000 offers: p99 < 1 ms;
#   - POST /api/v1/match under 16 connections: p99 < 20 ms (GET /health measured in the same run as reference);
#   - issue 16: the same POST (which answers the best 20 by default) with p99 at most 2.5x /health's p99 and at least
#     0.2x /health's requests/s, measured in the same run;
# and the naive version (every offer scored, everything sorted) in the same run, with the speed-up ratio.
#
#   bash Benchmarks/matching.sh
#
# Options (environment): OFFERS=5000 DURATION=10 CONNECTIONS=16 THREADS=2 PORT=<free> SKIP_BUILD=1 KEEP_TMP=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OFFERS=${OFFERS:-5000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BIN="$ROOT/.build-release/release/wegwijs"
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
NAME=matching.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-matching.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"
cleanup() {
    stop_server
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
ensure_wrk
build_release

# 1. The engine on its own (in memory, fixed seed).
say "matching 100,000 generated families against $OFFERS generated offers, and one family against 10,000"
"$BIN" bench-matching --offers "$OFFERS" --families 100000 >"$TMP/engine.txt"

# 2. The API: the documented profile, on a server with the demo data plus $OFFERS synthetic offers.
say "seeding $OFFERS synthetic offers"
DATABASE_URL="sqlite://$TMP/match.sqlite" "$BIN" seed synthetic --offers "$OFFERS" >"$TMP/seed.log" 2>&1 \
    || { cat "$TMP/seed.log" >&2; die "seeding failed"; }
PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
start_server "$TMP/match.sqlite" "$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/session" -H 'content-type: application/json' \
    -d "{\"username\":\"klantmanager\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || die "sign-in failed"
PROFILE='{"parents":[{"gender":"female","languages":["ti"],"dutchLevel":"none"}],"children":[{"age":3}],"situations":["pregnant","family-reunification"],"themes":[{"code":"pregnancy-birth","priority":"high"},{"code":"sexual-health","priority":"normal"}],"preferences":{"forms":["group"],"audience":"mothers","online":"any","time":"any","childcare":false,"postcode":"2312"},"settledOn":"2026-01-10","urgent":false}'
code=$(curl -s -o "$TMP/match.json" -w '%{http_code}' -X POST "$BASE/api/v1/match" -H "Authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' -d "$PROFILE")
[ "$code" = 200 ] || { cat "$TMP/match.json" >&2; die "POST /api/v1/match answered $code"; }
MATCHES=$(grep -o '"offerId"' "$TMP/match.json" | wc -l | tr -d ' ')
cat >"$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$PROFILE'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
say "measuring (${DURATION}s each, $CONNECTIONS connections)"
measure health "$BASE/health"
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$TMP/post.lua" "$BASE/api/v1/match" >/dev/null 2>&1 || true
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/post.lua" "$BASE/api/v1/match" >"$TMP/match.txt" 2>&1 \
    || die "wrk failed (match)"

echo
echo "Wegwijs matching benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
cat "$TMP/engine.txt"
printf '%-40s %12s %10s %8s\n' "endpoint" "requests/s" "p99" "non-2xx"
printf '%-40s %12s %10s %8s\n' "GET /health (reference)" "$(rps "$TMP/health.txt")" "$(p99 "$TMP/health.txt") ms" "$(non2xx "$TMP/health.txt")"
printf '%-40s %12s %10s %8s\n' "POST /api/v1/match ($MATCHES matches)" "$(rps "$TMP/match.txt")" "$(p99 "$TMP/match.txt") ms" "$(non2xx "$TMP/match.txt")"
echo "ratio match/health: $(ratio "$(rps "$TMP/match.txt")" "$(rps "$TMP/health.txt")")"
API_MET=$(awk -v p="$(p99 "$TMP/match.txt")" -v bad="$(non2xx "$TMP/match.txt")" 'BEGIN { print (p + 0 < 20 && bad + 0 == 0) ? "MET" : "NOT MET" }')
echo "GOAL POST /api/v1/match p99 < 20 ms: $API_MET"
BYTES=$(wc -c <"$TMP/match.json" | tr -d ' ')
P99_RATIO=$(ratio "$(p99 "$TMP/match.txt")" "$(p99 "$TMP/health.txt")")
RPS_RATIO=$(ratio "$(rps "$TMP/match.txt")" "$(rps "$TMP/health.txt")")
echo "answer: $BYTES bytes ($MATCHES matches); p99 match/health: $P99_RATIO; requests/s match/health: $RPS_RATIO"
WINDOW_MET=$(awk -v p="$P99_RATIO" -v r="$RPS_RATIO" -v bad="$(non2xx "$TMP/match.txt")" \
    'BEGIN { print (p + 0 <= 2.5 && r + 0 >= 0.2 && bad + 0 == 0) ? "MET" : "NOT MET" }')
echo "GOAL (issue 16) POST /api/v1/match p99 <= 2.5x /health and >= 0.2x its requests/s: $WINDOW_MET"
