#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of finding people (issue 16, "Speed"): with 100,000 families, on SQLite and
# on PostgreSQL, beside /health in the same run:
#   - name search (POST /api/v1/families/search, any member, name variants: other spellings, a reference), random
#     names, at 16 connections: p99 < 50 ms;
#   - the duplicate check at registration (POST /api/v1/families/duplicates, a household of two with birth years):
#     p99 < 100 ms (also at 16 connections, which is harsher than one case manager registering).
# Every request is access-checked and audited (one entry per request naming the families shown).
#
#   bash Benchmarks/search.sh
#
# Options (environment): DATABASES="sqlite postgres", FAMILIES=100000, DURATION=10, CONNECTIONS=16, THREADS=2,
# WARMUP=3, POSTGRES_URL (an existing empty database instead of .ci/postgres.sh's cluster), SKIP_BUILD=1, KEEP_TMP=1.
# Exits 0 whatever the outcome of the goals; non-zero only when the benchmark itself could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DATABASES=${DATABASES:-sqlite postgres}
FAMILIES=${FAMILIES:-100000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=search.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-search.XXXXXX")
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

# Names of the synthetic population, as people type them: the stored spelling, another spelling of it, a first name,
# a family name with a given name, a partial word.
cat >"$TMP/search.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
local names = {"haddad", "hadad", "mohammed", "muhammad", "mohamed", "youssef", "yusuf", "tesfay", "tesfaye",
               "selam", "senait", "al hassan", "al-hasan", "fatima", "fatma", "ahmadi", "rahimi", "zahra",
               "gebremedhin", "habte", "kidane", "yohannes", "yonas", "dawit", "omar", "khaled", "khalid",
               "mohammed haddad", "selam tesfay", "tesf", "hass", "kova", "oleksandr", "kovalenko", "nowak", "novak"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
    return wrk.format("POST", "/api/v1/families/search", headers, '{"name":"' .. names[math.random(#names)] .. '"}')
end
LUA
cat >"$TMP/duplicates.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
local households = {"Haddad", "Hadad", "Tesfay", "Ahmadi", "Youssef", "Habte", "Kidane", "Rahimi"}
local given = {"Mohammed", "Muhammad", "Selam", "Fatima", "Omar", "Yonas", "Zahra", "Dawit", "Rasha", "Senait"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
    local body = '{"name":"' .. households[math.random(#households)] .. '","members":[' ..
        '{"role":"parent","givenName":"' .. given[math.random(#given)] .. '","birthYear":' .. math.random(1975, 2000) .. '},' ..
        '{"role":"child","givenName":"' .. given[math.random(#given)] .. '","birthYear":' .. math.random(2010, 2024) .. '}]}'
    return wrk.format("POST", "/api/v1/families/duplicates", headers, body)
end
LUA

build_release
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
declare -A SEED_S FOUND
for db in $DATABASES; do
    case $db in
        sqlite) URL="sqlite://$TMP/wegwijs.sqlite" ;;
        postgres) prepare_postgres; URL=$PG_URL ;;
        *) die "unknown database $db" ;;
    esac
    say "$db: seeding $FAMILIES families (log: $TMP/$db-seed.log)"
    START=$(date +%s.%N)
    DATABASE_URL="$URL" "$BIN" seed synthetic --families "$FAMILIES" --password "$PASSWORD" \
        >"$TMP/$db-seed.log" 2>&1 || { tail -n 40 "$TMP/$db-seed.log" >&2; die "seeding $db failed"; }
    SEED_S[$db]=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    say "$db: seeded in ${SEED_S[$db]} s"
    PORT=${PORT:-$(free_port)}
    BASE="http://127.0.0.1:$PORT"
    serve "$URL" "$PORT" "$TMP/$db-server.log"
    LEAD=$(sign_in klantmanager)
    # How many families one variant finds, as a sanity check that variants are searched at all.
    FOUND[$db]=$(curl -s -X POST -H "Authorization: Bearer $LEAD" -H 'content-type: application/json' \
        -d '{"name":"muhammad"}' "$BASE/api/v1/families/search?per=100" \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
    say "$db: measuring (${DURATION}s each, $CONNECTIONS connections)"
    BENCH_TOKEN=$LEAD bench_script "$db-search" "$TMP/search.lua" "$BASE/api/v1/families/search"
    BENCH_TOKEN=$LEAD bench_script "$db-duplicates" "$TMP/duplicates.lua" "$BASE/api/v1/families/duplicates"
    bench_script "$db-health" - "$BASE/health"
    stop_server
    SERVER_PID=""
done

echo
echo "Wegwijs search benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $LOAD_BEFORE"
echo "$FAMILIES synthetic families (+ demo); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up"
for db in $DATABASES; do echo "seeding $db: ${SEED_S[$db]} s; \"muhammad\" finds ${FOUND[$db]} families on its first page of 100"; done
echo
printf '%-9s %-44s %11s %11s %8s %9s\n' database endpoint requests/s p99 non-2xx timeouts
VERDICTS=()
for db in $DATABASES; do
    for e in search duplicates health; do
        f="$TMP/$db-$e.txt"
        case $e in search) label="name search (variants, any member)"; goal=50 ;;
                   duplicates) label="duplicate check at registration"; goal=100 ;;
                   health) label="GET /health"; goal="" ;; esac
        printf '%-9s %-44s %11s %11s %8s %9s\n' "$db" "$label" "$(rps "$f")" "$(p99 "$f") ms" "$(non2xx "$f")" "$(timeouts "$f")"
        [ -z "$goal" ] && continue
        MET=$(awk -v p="$(p99 "$f")" -v g="$goal" -v bad="$(non2xx "$f")" -v to="$(timeouts "$f")" \
            'BEGIN { print ((p + 0 < g && bad + 0 == 0 && to + 0 == 0) ? "GOAL MET" : "GOAL NOT MET") }')
        VERDICTS+=("$MET: $db $label p99 $(p99 "$f") ms (< $goal ms)")
    done
done
echo
printf '%s\n' "${VERDICTS[@]}"
exit 0
