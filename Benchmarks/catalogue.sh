#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the catalogue, issue 4's speed goals:
#   - the filtered catalogue list (3 filters) and the HSDS services page (page size 50), each p99 < 50 ms
#     under 16 concurrent connections, with 10,000 offers;
#   - `wegwijs catalog import` of 10,000 offers in under 30 s on SQLite.
# Reference measured in the same run: GET /health under the same load (ratio printed).
#
#   bash Benchmarks/catalogue.sh
#
# Options (environment): OFFERS=10000 DURATION=10 CONNECTIONS=16 THREADS=2 PORT=<free> SKIP_BUILD=1 KEEP_TMP=1
#   LIST_CACHE=off  start the server with WEGWIJS_LIST_CACHE=off: every request reads and encodes its page
#                   (default on: pages are remembered per catalogue version, which the database raises on any change)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OFFERS=${OFFERS:-10000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
LIST_CACHE=${LIST_CACHE:-on}
BIN="$ROOT/.build-release/release/wegwijs"
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
NAME=catalogue.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-catalogue.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"
cleanup() {
    stop_server
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
ensure_wrk
build_release

# 1. Import: seed $OFFERS synthetic offers in one database, export them, import the file into a fresh one.
say "seeding $OFFERS synthetic offers"
DATABASE_URL="sqlite://$TMP/source.sqlite" "$BIN" seed synthetic --offers "$OFFERS" >"$TMP/seed.log" 2>&1 \
    || { cat "$TMP/seed.log" >&2; die "seeding failed"; }
DATABASE_URL="sqlite://$TMP/source.sqlite" "$BIN" catalog export "$TMP/catalogue.json" --municipality GM9901 >/dev/null
DATABASE_URL="sqlite://$TMP/target.sqlite" "$BIN" seed demo >/dev/null
say "importing $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/catalogue.json") offers"
START=$(date +%s.%N)
DATABASE_URL="sqlite://$TMP/target.sqlite" "$BIN" catalog import "$TMP/catalogue.json" --municipality GM9901 >"$TMP/import.log"
IMPORT_S=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
IMPORT_SUMMARY=$(tail -n 1 "$TMP/import.log")

# 2. Load: the server on the source database.
PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
start_server "$TMP/source.sqlite" "$PORT" WEGWIJS_LIST_CACHE="$LIST_CACHE"
TOKEN=$(curl -s -X POST "$BASE/api/v1/session" -H 'content-type: application/json' \
    -d "{\"username\":\"klantmanager\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || die "sign-in failed"
LIST_URL="$BASE/api/v1/offers?theme=puberty&language=ar&age=8"
HSDS_URL="$BASE/api/hsds/services?per_page=50&page=3"
for url in "$LIST_URL" "$HSDS_URL"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$url")
    [ "$code" = 200 ] || die "$url answered $code"
done
MATCHES=$(curl -s -H "Authorization: Bearer $TOKEN" "$LIST_URL" | sed -n 's/.*"total"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p')

say "measuring (${DURATION}s each, $CONNECTIONS connections)"
measure health "$BASE/health"
measure list "$LIST_URL" "Authorization: Bearer $TOKEN"
measure hsds "$HSDS_URL"

echo
echo "Wegwijs catalogue benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SQLite, $OFFERS synthetic offers + demo, list cache $LIST_CACHE"
printf '%-52s %12s %10s %8s\n' "endpoint" "requests/s" "p99" "non-2xx"
printf '%-52s %12s %10s %8s\n' "GET /health (reference)" "$(rps "$TMP/health.txt")" "$(p99 "$TMP/health.txt") ms" "$(non2xx "$TMP/health.txt")"
printf '%-52s %12s %10s %8s\n' "GET /api/v1/offers?theme&language&age ($MATCHES hits)" "$(rps "$TMP/list.txt")" "$(p99 "$TMP/list.txt") ms" "$(non2xx "$TMP/list.txt")"
printf '%-52s %12s %10s %8s\n' "GET /api/hsds/services?per_page=50" "$(rps "$TMP/hsds.txt")" "$(p99 "$TMP/hsds.txt") ms" "$(non2xx "$TMP/hsds.txt")"
echo "ratio list/health: $(ratio "$(rps "$TMP/list.txt")" "$(rps "$TMP/health.txt")")," \
     "hsds/health: $(ratio "$(rps "$TMP/hsds.txt")" "$(rps "$TMP/health.txt")")"
echo "catalog import of $OFFERS offers: ${IMPORT_S} s ($IMPORT_SUMMARY)"
GOAL=$(awk -v l="$(p99 "$TMP/list.txt")" -v h="$(p99 "$TMP/hsds.txt")" -v i="$IMPORT_S" \
    'BEGIN { print (l + 0 < 50 && h + 0 < 50 && i + 0 < 30) ? "GOAL MET" : "GOAL NOT MET" }')
echo "goal: both p99 < 50 ms and import < 30 s: $GOAL"
