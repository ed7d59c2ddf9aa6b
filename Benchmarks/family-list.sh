#!/usr/bin/env bash
# Benchmark (a measurement, not a test): the authenticated family list against /health.
#
#   bash Benchmarks/family-list.sh
#
# Builds `wegwijs` in release mode (scratch path .build-release, so the debug build in .build is left alone),
# seeds a fresh SQLite database in a temporary folder with the demo base (Rijnstad) plus $FAMILIES synthetic
# families, starts the server on 127.0.0.1, signs in as the demo case manager and loads
#   GET /api/v1/families?page=1   (Bearer token; 25 families per page, one audit entry per request naming them)
#   GET /health                   (no auth; one `SELECT 1`)
# with wrk. Prints requests/s and p99 latency for both, their ratio, the audit entries written during the
# family-list run, and GOAL MET / GOAL NOT MET (family list >= 1000 requests/s and p99 < 100 ms).
# Exits 0 whatever the outcome of the goal; non-zero only when the benchmark itself could not run.
#
# Options (environment):
#   FAMILIES=10000     synthetic families to seed
#   DURATION=10        seconds per measured wrk run
#   CONNECTIONS=32     wrk connections
#   THREADS=2          wrk threads
#   PORT=<free port>   server port (default: a free port on 127.0.0.1)
#   WARMUP=3           seconds of warm-up per endpoint before measuring (0 skips it)
#   BUILD_NICE=10      niceness of the release build (the measurement itself runs at normal priority)
#   SKIP_BUILD=1       use the existing .build-release/release/wegwijs as it is
#   KEEP_TMP=1         keep the temporary folder (database, server log, raw wrk output)
#   LIST_CACHE=off     start the server with WEGWIJS_LIST_CACHE=off (only the catalogue has page caches now: the
#                      family list is always read anew)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

FAMILIES=${FAMILIES:-10000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
BUILD_NICE=${BUILD_NICE:-10}
LIST_CACHE=${LIST_CACHE:-on}
GOAL_RPS=1000
GOAL_P99_MS=100
USERNAME=klantmanager
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'family-list.sh: %s\n' "$*" >&2; exit 1; }

# --- tools ---------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing wrk (Debian package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null \
            || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; } \
            || die "could not install wrk"
    else
        die "wrk is not installed; run: sudo apt-get install -y wrk"
    fi
fi
command -v curl >/dev/null 2>&1 || die "curl is required"

# Counts audit rows with the sqlite3 shell, or with Python's sqlite3 module when the shell is missing.
count_audit() {
    if command -v sqlite3 >/dev/null 2>&1; then
        sqlite3 -cmd '.timeout 5000' "$DB" 'SELECT count(*) FROM audit_entries;'
    elif command -v python3 >/dev/null 2>&1; then
        python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM audit_entries").fetchone()[0])' "$DB"
    else
        echo "?"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for port in $(seq 18080 18180); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    die "no free port found; set PORT"
}

# --- build ---------------------------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "building wegwijs in release mode (.build-release; a clean build takes ~10 minutes on 2 cores)"
    nice -n "$BUILD_NICE" swift build -c release --product wegwijs --scratch-path .build-release >&2
fi
[ -x "$BIN" ] || die "$BIN is missing (build failed?)"

# --- database and server -------------------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-bench.XXXXXX")
DB="$TMP/bench.sqlite"
export DATABASE_URL="sqlite://$DB"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "seeding $FAMILIES synthetic families into $DB"
"$BIN" seed synthetic --families "$FAMILIES" >"$TMP/seed.log" 2>&1 || { cat "$TMP/seed.log" >&2; die "seeding failed"; }

PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
say "starting the server on $BASE (log: $TMP/server.log)"
WEGWIJS_LIST_CACHE=$LIST_CACHE "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --env production >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health" || true)" = 200 ]; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited"; }
    sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health" || true)" = 200 ] \
    || { tail -n 40 "$TMP/server.log" >&2; die "/health did not answer 200 within 60 s"; }

SESSION=$(curl -s -X POST "$BASE/api/v1/session" -H 'content-type: application/json' \
    -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}")
TOKEN=$(printf '%s' "$SESSION" | sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || die "sign-in as $USERNAME failed: $SESSION"
AUTH="Authorization: Bearer $TOKEN"
FAMILY_URL="$BASE/api/v1/families?page=1"
HEALTH_URL="$BASE/health"

STATUS=$(curl -s -o "$TMP/page1.json" -w '%{http_code}' -H "$AUTH" "$FAMILY_URL&count=true")
[ "$STATUS" = 200 ] || { cat "$TMP/page1.json" >&2; die "GET /api/v1/families?page=1 answered $STATUS"; }
PER_PAGE=$(grep -o '"reference"' "$TMP/page1.json" | wc -l | tr -d ' ')
TOTAL=$(sed -n 's/.*"total"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p' "$TMP/page1.json")

# --- measurement ---------------------------------------------------------------------------------------------
run_wrk() { # name duration url [header]
    local name=$1 duration=$2 url=$3
    shift 3
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --latency)
    if [ $# -gt 0 ]; then args+=(-H "$1"); fi
    wrk "${args[@]}" "$url" >"$TMP/$name.txt" 2>&1 || { cat "$TMP/$name.txt" >&2; die "wrk failed ($name)"; }
}

# "99%   12.34ms" -> milliseconds
p99_ms() {
    awk '$1 == "99%" {
        v = $2; unit = v; sub(/^[0-9.]+/, "", unit); n = v + 0
        if (unit == "us") n = n / 1000; else if (unit == "s") n = n * 1000; else if (unit == "m") n = n * 60000
        printf "%.2f", n; found = 1 }
        END { if (!found) printf "?" }' "$1"
}
rps() { awk '/^Requests\/sec:/ { print $2; found = 1 } END { if (!found) print "0" }' "$1"; }
requests() { awk '/ requests in / { print $1; found = 1 } END { if (!found) print "0" }' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ { print $NF; found = 1 } END { if (!found) print "0" }' "$1"; }
timeouts() { awk '/Socket errors:/ { print $NF; found = 1 } END { if (!found) print "0" }' "$1"; }
sockerr() { awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print; found = 1 } END { if (!found) print "none" }' "$1"; }

if [ "$WARMUP" != 0 ]; then
    say "warming up (${WARMUP}s per endpoint)"
    run_wrk warmup-health "$WARMUP" "$HEALTH_URL"
    run_wrk warmup-families "$WARMUP" "$FAMILY_URL" "$AUTH"
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
say "measuring GET /api/v1/families?page=1 (${DURATION}s, $CONNECTIONS connections, $THREADS threads)"
AUDIT_BEFORE=$(count_audit)
run_wrk families "$DURATION" "$FAMILY_URL" "$AUTH"
AUDIT_AFTER=$(count_audit)
say "measuring GET /health (${DURATION}s, $CONNECTIONS connections, $THREADS threads)"
run_wrk health "$DURATION" "$HEALTH_URL"

# --- report --------------------------------------------------------------------------------------------------
F_RPS=$(rps "$TMP/families.txt"); F_P99=$(p99_ms "$TMP/families.txt"); F_REQ=$(requests "$TMP/families.txt")
H_RPS=$(rps "$TMP/health.txt");   H_P99=$(p99_ms "$TMP/health.txt");   H_REQ=$(requests "$TMP/health.txt")
F_BAD=$(non2xx "$TMP/families.txt"); H_BAD=$(non2xx "$TMP/health.txt"); F_TIMEOUTS=$(timeouts "$TMP/families.txt")
RATIO=$(awk -v f="$F_RPS" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.3f", f / h; else print "?" }')
if [ "$AUDIT_BEFORE" != "?" ] && [ "$AUDIT_AFTER" != "?" ]; then
    AUDIT_WRITTEN=$((AUDIT_AFTER - AUDIT_BEFORE))
    PER_REQUEST=$(awk -v a="$AUDIT_WRITTEN" -v r="$F_REQ" 'BEGIN { if (r > 0) printf "%.1f", a / r; else print "?" }')
else
    AUDIT_WRITTEN="?"; PER_REQUEST="?"
fi

for name in families health; do
    echo
    echo "--- wrk: $name ---"
    cat "$TMP/$name.txt"
done

echo
echo "Wegwijs benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') cores, load average before measuring: $LOAD_BEFORE"
echo "SQLite, $TOTAL families in Rijnstad ($FAMILIES synthetic + demo), $PER_PAGE per page; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; list cache $LIST_CACHE"
echo
printf '%-32s %12s %12s %12s %10s\n' "endpoint" "requests/s" "p99" "requests" "non-2xx"
printf '%-32s %12s %12s %12s %10s\n' "GET /api/v1/families?page=1" "$F_RPS" "$F_P99 ms" "$F_REQ" "$F_BAD"
printf '%-32s %12s %12s %12s %10s\n' "GET /health" "$H_RPS" "$H_P99 ms" "$H_REQ" "$H_BAD"
echo
echo "ratio family list / health (requests/s): $RATIO"
echo "audit entries written during the family-list run: $AUDIT_WRITTEN ($PER_REQUEST per request; audit_entries $AUDIT_BEFORE -> $AUDIT_AFTER)"
echo "socket errors: family list: $(sockerr "$TMP/families.txt"); health: $(sockerr "$TMP/health.txt")"
if [ "$F_TIMEOUTS" != 0 ]; then
    echo "note: $F_TIMEOUTS family-list requests timed out (wrk gives up after 2 s); wrk leaves them out of the latency"
    echo "      distribution, so the real p99 is worse than shown."
fi
echo "note: one entry per request (naming the $PER_PAGE families shown); requests still in flight when wrk stopped make it slightly more."
echo
MET=$(awk -v r="$F_RPS" -v p="$F_P99" -v bad="$F_BAD" -v to="$F_TIMEOUTS" -v gr="$GOAL_RPS" -v gp="$GOAL_P99_MS" \
    'BEGIN { print ((r + 0 >= gr && p != "?" && p + 0 < gp && bad + 0 == 0 && to + 0 == 0) ? "yes" : "no") }')
if [ "$MET" = yes ]; then
    echo "GOAL MET: family list $F_RPS requests/s (>= $GOAL_RPS) with p99 $F_P99 ms (< $GOAL_P99_MS ms), audit included."
else
    echo "GOAL NOT MET: family list $F_RPS requests/s (goal >= $GOAL_RPS) with p99 $F_P99 ms (goal < $GOAL_P99_MS ms)$([ "$F_BAD" = 0 ] || echo ", $F_BAD non-2xx responses")$([ "$F_TIMEOUTS" = 0 ] || echo ", $F_TIMEOUTS timeouts")."
fi
exit 0
