#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the lists without page caches (issue 13, "Speed"): with 100,000 families
# and 300,000 referrals, on SQLite and on PostgreSQL, at 32 connections, beside /health in the same run:
#   - the case manager's family list over random pages and random filters: GET /api/v1/families?page=&language= /
#     &situation=, and POST /api/v1/families/search {"name": <prefix>} (names never go in URLs): requests/s and p99;
#   - a key person's list (only the families coupled to them): p99;
#   - the partner inbox and the lead's worklist, random pages: p99;
#   - one family's intake page on the web (/families/<id>/intake, every section, with a web session cookie): p99.
# Goals: family list >= 1,000 requests/s with p99 < 50 ms; the others p99 < 50 ms; no non-2xx, no timeouts.
# Every request is access-checked and audited (the script counts the audit entries written during the family list run).
#
#   bash Benchmarks/lists.sh
#
# Options (environment): DATABASES="sqlite postgres", FAMILIES=100000, REFERRALS=300000, DURATION=10, CONNECTIONS=32,
# THREADS=2, WARMUP=3, PAGES=20 (random pages 1..PAGES), KEY_SHARE=20 (1 in KEY_SHARE families coupled to the key
# person), POSTGRES_URL (an existing empty database instead of .ci/postgres.sh's cluster), BUILD_NICE=10,
# SKIP_BUILD=1 (use .build-release/release/wegwijs as it is), KEEP_TMP=1 (keep databases, logs, raw wrk output).
# Exits 0 whatever the outcome of the goals; non-zero only when the benchmark itself could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DATABASES=${DATABASES:-sqlite postgres}
FAMILIES=${FAMILIES:-100000}
REFERRALS=${REFERRALS:-300000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
PAGES=${PAGES:-20}
KEY_SHARE=${KEY_SHARE:-20}
GOAL_RPS=1000
GOAL_P99_MS=50
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=lists.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-lists.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"

cleanup() {
    stop_server
    if [ -n "$PG_BENCH_DB" ]; then
        if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept PostgreSQL database $PG_BENCH_DB"
        else "${PG_ADMIN[@]}" -c "DROP DATABASE IF EXISTS $PG_BENCH_DB" >/dev/null 2>&1 || say "could not drop $PG_BENCH_DB"; fi
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"
ensure_wrk

# sql DB URL STATEMENT: runs one statement (SQLite through Python's sqlite3 module, PostgreSQL through psql), prints the
# first column of the first row.
sql() {
    local db=$1 url=$2 statement=$3
    if [ "$db" = sqlite ]; then
        python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA busy_timeout=10000"); r = c.execute(sys.argv[2]).fetchone(); c.commit()
print(r[0] if r else "")' "${url#sqlite://}" "$statement"
    else
        "$(find_psql)" "$url" -v ON_ERROR_STOP=1 -qAtc "$statement"
    fi
}

# The wrk scripts: random pages and filters, and the bearer token from the environment.
cat >"$TMP/families.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
local pages = tonumber(os.getenv("BENCH_PAGES") or "20")
local languages = {"ar", "ti", "fa", "uk", "so", "tr", "pl", "bg", "ro"}
local situations = {"status-holder", "asylum-seeker", "family-reunification", "single-parent", "young-parent", "low-literacy"}
local names = {"hadd", "tesf", "ahma", "kova", "abdi", "nowa", "petr", "hass", "rahi", "demi", "warsa", "ivan"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    local page = math.random(1, pages)
    local headers = {["Authorization"] = "Bearer " .. token}
    local kind = math.random(1, 4)
    if kind == 1 then
        return wrk.format("GET", "/api/v1/families?page=" .. page, headers)
    elseif kind == 2 then
        return wrk.format("GET", "/api/v1/families?page=" .. page .. "&language=" .. languages[math.random(#languages)], headers)
    elseif kind == 3 then
        return wrk.format("GET", "/api/v1/families?page=" .. page .. "&situation=" .. situations[math.random(#situations)], headers)
    end
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/families/search?page=" .. math.random(1, 3), headers,
                      '{"name":"' .. names[math.random(#names)] .. '"}')
end
LUA
cat >"$TMP/paged.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")
local pages = tonumber(os.getenv("BENCH_PAGES") or "20")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    return wrk.format("GET", path .. "?page=" .. math.random(1, pages), {["Authorization"] = "Bearer " .. token})
end
LUA

# web_cookie USER: signs in on the web form (CSRF token from /login) and prints the session cookie.
web_cookie() {
    local jar="$TMP/cookies-$1" csrf
    csrf=$(curl -s -c "$jar" "$BASE/login" | python3 -c 'import re, sys; m = re.search(r"name=\"_csrf\" value=\"([^\"]+)\"", sys.stdin.read()); print(m.group(1) if m else "")')
    curl -s -o /dev/null -b "$jar" -c "$jar" -X POST "$BASE/login" --data-urlencode "username=$1" \
        --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$csrf"
    awk '$6 == "wegwijs-session" { print $6 "=" $7 }' "$jar"
}

build_release
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
ENDPOINTS="families keyperson inbox worklist intake health"
declare -A LABEL=([families]="family list (random pages, filters, name)" [keyperson]="key person's list"
                  [inbox]="partner inbox" [worklist]="lead's worklist" [intake]="web intake page" [health]="GET /health")
declare -A SEED_S AUDIT_PER TOTALS

for db in $DATABASES; do
    case $db in
        sqlite) URL="sqlite://$TMP/wegwijs.sqlite" ;;
        postgres) prepare_postgres; URL=$PG_URL ;;
        *) die "unknown database $db" ;;
    esac
    say "$db: seeding $FAMILIES families and $REFERRALS referrals (log: $TMP/$db-seed.log)"
    START=$(date +%s.%N)
    # A key person coupled to 1 in KEY_SHARE families (through the seeder, so the families' stored list JSON names them).
    DATABASE_URL="$URL" "$BIN" seed synthetic --families "$FAMILIES" --referrals "$REFERRALS" --password "$PASSWORD" \
        --key-person sleutelpersoon --key-share "$KEY_SHARE" \
        >"$TMP/$db-seed.log" 2>&1 || { tail -n 40 "$TMP/$db-seed.log" >&2; die "seeding $db failed"; }
    SEED_S[$db]=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    if [ "$db" = postgres ]; then sql "$db" "$URL" "VACUUM ANALYZE" >/dev/null; fi
    say "$db: seeded in ${SEED_S[$db]} s"

    PORT=${PORT:-$(free_port)}
    BASE="http://127.0.0.1:$PORT"
    serve "$URL" "$PORT" "$TMP/$db-server.log"
    LEAD=$(sign_in klantmanager); KEY=$(sign_in sleutelpersoon); PARTNER=$(sign_in partner-jgz)
    count() { curl -s -H "Authorization: Bearer $2" "$BASE$1" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("total", "?"))'; }
    TOTALS[$db-families]=$(count "/api/v1/families?per=1&count=true" "$LEAD")
    TOTALS[$db-keyperson]=$(count "/api/v1/families?per=1&count=true" "$KEY")
    TOTALS[$db-inbox]=$(count "/api/v1/referrals/inbox?per=1&count=true" "$PARTNER")
    TOTALS[$db-worklist]=$(count "/api/v1/worklist?per=1&count=true" "$LEAD")
    TOTALS[$db-intake]=1; TOTALS[$db-health]="-"
    # The intake page of a demo family (it has a screening, needs, contacts); every section is on it.
    FAMILY=$(curl -s -X POST -H "Authorization: Bearer $LEAD" -H 'content-type: application/json' -d '{"name":"habte"}' \
        "$BASE/api/v1/families/search?per=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
    COOKIE=$(web_cookie klantmanager)
    [ -n "$COOKIE" ] || die "web sign-in failed"
    code=$(curl -s -o "$TMP/intake.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/families/$FAMILY/intake")
    [ "$code" = 200 ] || die "the intake page answered $code"

    say "$db: measuring (${DURATION}s each, $CONNECTIONS connections)"
    AUDIT_BEFORE=$(sql "$db" "$URL" "SELECT COUNT(*) FROM audit_entries")
    BENCH_TOKEN=$LEAD BENCH_PAGES=$PAGES bench_script "$db-families" "$TMP/families.lua" "$BASE/api/v1/families"
    AUDIT_AFTER=$(sql "$db" "$URL" "SELECT COUNT(*) FROM audit_entries")
    REQUESTS=$(awk '/requests in/ { print $1 }' "$TMP/$db-families.txt")
    WARM_REQUESTS=$(awk '/requests in/ { print $1 }' "$TMP/$db-families-warmup.txt" 2>/dev/null || echo 0)
    AUDIT_PER[$db]="$((AUDIT_AFTER - AUDIT_BEFORE)) entries for $((REQUESTS + ${WARM_REQUESTS:-0})) requests (warm-up included)"
    BENCH_TOKEN=$KEY BENCH_PAGES=$PAGES BENCH_PATH=/api/v1/families bench_script "$db-keyperson" "$TMP/paged.lua" "$BASE/api/v1/families"
    BENCH_TOKEN=$PARTNER BENCH_PAGES=$PAGES BENCH_PATH=/api/v1/referrals/inbox bench_script "$db-inbox" "$TMP/paged.lua" "$BASE/api/v1/referrals/inbox"
    BENCH_TOKEN=$LEAD BENCH_PAGES=$PAGES BENCH_PATH=/api/v1/worklist bench_script "$db-worklist" "$TMP/paged.lua" "$BASE/api/v1/worklist"
    bench_script "$db-intake" - "$BASE/families/$FAMILY/intake" "Cookie: $COOKIE"
    bench_script "$db-health" - "$BASE/health"
    stop_server
    SERVER_PID=""
done

# --- report ----------------------------------------------------------------------------------------------------
timeouts() { awk '/Socket errors:/ { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }
echo
echo "Wegwijs lists benchmark (no page caches) — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $LOAD_BEFORE"
echo "$FAMILIES synthetic families, $REFERRALS referrals (+ demo); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up; random pages 1..$PAGES"
for db in $DATABASES; do echo "seeding $db: ${SEED_S[$db]} s; audit during the family list run: ${AUDIT_PER[$db]}"; done
echo
printf '%-9s %-42s %8s %11s %11s %8s %9s %7s\n' database endpoint total requests/s p99 non-2xx timeouts ratio
ALL=yes
VERDICTS=()
for db in $DATABASES; do
    H=$(rps "$TMP/$db-health.txt")
    for e in $ENDPOINTS; do
        f="$TMP/$db-$e.txt"; R=$(rps "$f"); P=$(p99 "$f"); BAD=$(non2xx "$f"); TO=$(timeouts "$f")
        printf '%-9s %-42s %8s %11s %11s %8s %9s %7s\n' "$db" "${LABEL[$e]}" "${TOTALS[$db-$e]}" "$R" "${P:-?} ms" "$BAD" "$TO" "$(ratio "$R" "$H")"
        [ "$e" = health ] && continue
        GOAL_R=0; [ "$e" = families ] && GOAL_R=$GOAL_RPS
        MET=$(awk -v p="${P:-999999}" -v r="${R:-0}" -v gr="$GOAL_R" -v g="$GOAL_P99_MS" -v bad="$BAD" -v to="$TO" \
            'BEGIN { print ((p + 0 < g && r + 0 >= gr && bad + 0 == 0 && to + 0 == 0) ? "GOAL MET" : "GOAL NOT MET") }')
        [ "$MET" = "GOAL MET" ] || ALL=no
        VERDICTS+=("$(printf '%-13s %-9s %-42s p99 %s ms (< %s)%s' "$MET:" "$db" "${LABEL[$e]}" "${P:-?}" "$GOAL_P99_MS" \
            "$([ "$e" = families ] && echo ", $R requests/s (>= $GOAL_RPS)")")")
    done
done
echo
printf '%s\n' "${VERDICTS[@]}"
echo
if [ "$ALL" = yes ]; then echo "ALL GOALS MET"; else echo "NOT ALL GOALS MET: see above"; fi
exit 0
