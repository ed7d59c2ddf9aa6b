#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the worklist (issue 16, "Speed"): a case manager who leads 2,000 families
# (and their referrals), on SQLite and on PostgreSQL, beside /health in the same run:
#   - GET /api/v1/worklist, random pages 1..5, as the lead (klantmanager), at 16 connections: p99 < 50 ms;
#   - the same with a random kind= filter.
# Every request is access-checked and audited (one entry per request naming the families on the page).
#
#   bash Benchmarks/worklist.sh
#
# Options (environment): DATABASES="sqlite postgres", FAMILIES=2000, REFERRALS=6000, DURATION=10, CONNECTIONS=16,
# THREADS=2, WARMUP=3, POSTGRES_URL (an existing empty database instead of .ci/postgres.sh's cluster), SKIP_BUILD=1,
# KEEP_TMP=1. Exits 0 whatever the outcome of the goal; non-zero only when the benchmark itself could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DATABASES=${DATABASES:-sqlite postgres}
FAMILIES=${FAMILIES:-2000}
REFERRALS=${REFERRALS:-6000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
GOAL_P99_MS=50
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=worklist.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-worklist.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"

cleanup() {
    stop_server
    if [ -n "${PG_BENCH_DB:-}" ] && [ "${KEEP_TMP:-0}" != 1 ]; then
        "${PG_ADMIN[@]}" -c "DROP DATABASE IF EXISTS $PG_BENCH_DB" >/dev/null 2>&1 || say "could not drop $PG_BENCH_DB"
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
PG_BENCH_DB=""
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"
ensure_wrk

cat >"$TMP/worklist.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
local filtered = os.getenv("BENCH_FILTER") == "1"
local kinds = {"no-recent-contact", "screening-due", "plan-action-due", "plan-review-due", "signal-unanswered",
               "referral-no-answer", "referral-no-first-contact", "referral-waiting-past-expected"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    local path = "/api/v1/worklist?page=" .. math.random(1, 5)
    if filtered then path = path .. "&kind=" .. kinds[math.random(#kinds)] end
    return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
LUA

build_release
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
declare -A SEED_S TOTAL
for db in $DATABASES; do
    case $db in
        sqlite) URL="sqlite://$TMP/wegwijs.sqlite" ;;
        postgres) prepare_postgres; URL=$PG_URL ;;
        *) die "unknown database $db" ;;
    esac
    say "$db: seeding $FAMILIES families, $REFERRALS referrals, all led by klantmanager (log: $TMP/$db-seed.log)"
    START=$(date +%s.%N)
    DATABASE_URL="$URL" "$BIN" seed synthetic --families "$FAMILIES" --referrals "$REFERRALS" --password "$PASSWORD" \
        >"$TMP/$db-seed.log" 2>&1 || { tail -n 40 "$TMP/$db-seed.log" >&2; die "seeding $db failed"; }
    SEED_S[$db]=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    say "$db: seeded in ${SEED_S[$db]} s"
    # Fresh statistics, as a database in use has them (the planner's estimates after a bulk load are far off).
    if [ "$db" = postgres ]; then "$(find_psql)" "$URL" -v ON_ERROR_STOP=1 -qAtc "VACUUM ANALYZE" >/dev/null; fi
    PORT=${PORT:-$(free_port)}
    BASE="http://127.0.0.1:$PORT"
    serve "$URL" "$PORT" "$TMP/$db-server.log"
    LEAD=$(sign_in klantmanager)
    TOTAL[$db]=$(curl -s -H "Authorization: Bearer $LEAD" "$BASE/api/v1/worklist" \
        | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["total"], "lines:", ", ".join(f"{k} {v}" for k, v in sorted(d["counts"].items())))')
    say "$db: the lead's worklist has ${TOTAL[$db]}"
    say "$db: measuring (${DURATION}s each, $CONNECTIONS connections)"
    BENCH_TOKEN=$LEAD BENCH_FILTER=0 bench_script "$db-worklist" "$TMP/worklist.lua" "$BASE/api/v1/worklist"
    BENCH_TOKEN=$LEAD BENCH_FILTER=1 bench_script "$db-filtered" "$TMP/worklist.lua" "$BASE/api/v1/worklist"
    bench_script "$db-health" - "$BASE/health"
    stop_server
    SERVER_PID=""
done

echo
echo "Wegwijs worklist benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $LOAD_BEFORE"
echo "$FAMILIES synthetic families and $REFERRALS referrals led by klantmanager (+ demo); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up"
for db in $DATABASES; do echo "seeding $db: ${SEED_S[$db]} s; worklist total ${TOTAL[$db]}"; done
echo
printf '%-9s %-40s %11s %11s %8s %9s %8s\n' database endpoint requests/s p99 non-2xx timeouts ratio
VERDICTS=()
for db in $DATABASES; do
    health=$(rps "$TMP/$db-health.txt")
    for e in worklist filtered health; do
        f="$TMP/$db-$e.txt"
        case $e in worklist) label="worklist, pages 1..5" ;; filtered) label="worklist, pages 1..5, kind=" ;;
                   health) label="GET /health" ;; esac
        printf '%-9s %-40s %11s %11s %8s %9s %8s\n' "$db" "$label" "$(rps "$f")" "$(p99 "$f") ms" "$(non2xx "$f")" \
            "$(timeouts "$f")" "$(ratio "$(rps "$f")" "$health")"
        [ "$e" = health ] && continue
        MET=$(awk -v p="$(p99 "$f")" -v g="$GOAL_P99_MS" -v bad="$(non2xx "$f")" -v to="$(timeouts "$f")" \
            'BEGIN { print ((p + 0 < g && bad + 0 == 0 && to + 0 == 0) ? "GOAL MET" : "GOAL NOT MET") }')
        VERDICTS+=("$MET: $db $label p99 $(p99 "$f") ms (< $GOAL_P99_MS ms)")
    done
done
echo
printf '%s\n' "${VERDICTS[@]}"
exit 0
