#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of referrals, the speed goal: with 100,000 families and 300,000 referrals,
# the partner inbox and the lead's worklist answer at p99 under 50 ms, on SQLite and on PostgreSQL.
#
#   bash Benchmarks/referrals.sh
#
# Builds wegwijs in release mode (.build-release), then for each database in $DATABASES:
#   - a fresh database: SQLite in a temporary folder; PostgreSQL in a new database `wegwijs_bench_<pid>` on the
#     throw-away cluster of .ci/postgres.sh (started if needed, left running; the new database is dropped at the end);
#   - `wegwijs seed synthetic --families $FAMILIES --referrals $REFERRALS` (migrates, loads the demo base Rijnstad,
#     then the synthetic families and referrals; timed), and on PostgreSQL `VACUUM ANALYZE`;
#   - the server on 127.0.0.1; signs in as `partner-jgz` (the partner) and as `klantmanager` (the lead), and loads
#       GET /api/v1/referrals/inbox   as partner-jgz (Bearer token)
#       GET /api/v1/worklist          as klantmanager (Bearer token)
#       GET /health                   no auth, the reference (ratio printed)
#     with wrk.
# Prints a table database x endpoint (requests/s, p99, ratio to /health) and GOAL MET / GOAL NOT MET per endpoint
# (p99 < 50 ms, no non-2xx responses, no wrk timeouts).
# Exits 0 whatever the outcome of the goal; non-zero only when the benchmark itself could not run.
#
# Options (environment):
#   DATABASES="sqlite postgres"   databases to measure, in this order
#   FAMILIES=100000    synthetic families to seed
#   REFERRALS=300000   synthetic referrals to seed (spread over the families, addressed to Rijnstad's organisations)
#   DURATION=10        seconds per measured wrk run
#   CONNECTIONS=8      wrk connections
#   THREADS=2          wrk threads
#   WARMUP=3           seconds of warm-up per endpoint before measuring (0 skips it)
#   PORT=<free port>   server port (default: a free port on 127.0.0.1)
#   POSTGRES_URL=...   an existing, empty PostgreSQL database to use instead of .ci/postgres.sh (not dropped)
#   LIST_CACHE=off     start the server with WEGWIJS_LIST_CACHE=off (every request computes its page)
#   BUILD_NICE=10      niceness of the release build (the measurement itself runs at normal priority)
#   SKIP_BUILD=1       use the existing .build-release/release/wegwijs as it is
#   KEEP_TMP=1         keep the temporary folder (databases, seed and server logs, raw wrk output) and the
#                      PostgreSQL database
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DATABASES=${DATABASES:-sqlite postgres}
FAMILIES=${FAMILIES:-100000}
REFERRALS=${REFERRALS:-300000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
LIST_CACHE=${LIST_CACHE:-on}
GOAL_P99_MS=50
PARTNER=partner-jgz
LEAD=klantmanager
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=referrals.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-referrals.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"

PG_ADMIN=()    # psql arguments for the cluster's superuser (set when this script creates the database)
PG_BENCH_DB="" # the database this script created, dropped by cleanup
cleanup() {
    stop_server
    if [ -n "$PG_BENCH_DB" ]; then
        if [ "${KEEP_TMP:-0}" = 1 ]; then
            say "kept PostgreSQL database $PG_BENCH_DB"
        else
            "${PG_ADMIN[@]}" -c "DROP DATABASE IF EXISTS $PG_BENCH_DB" >/dev/null 2>&1 \
                || say "could not drop PostgreSQL database $PG_BENCH_DB"
        fi
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for db in $DATABASES; do
    case $db in sqlite | postgres) ;; *) die "unknown database '$db' in DATABASES (use sqlite and/or postgres)" ;; esac
done
[ -n "${DATABASES// /}" ] || die "DATABASES is empty"
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required (free port, JSON answers)"
ensure_wrk

# psql: on PATH, or Debian's versioned folder (the newest).
find_psql() {
    command -v psql 2>/dev/null && return
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$candidate" ] && echo "$candidate"
}

# Sets PG_URL to a fresh PostgreSQL database: POSTGRES_URL as it is, or a new database on .ci/postgres.sh's cluster.
# (Not in a subshell: cleanup needs PG_ADMIN and PG_BENCH_DB.)
prepare_postgres() {
    if [ -n "${POSTGRES_URL:-}" ]; then
        PG_URL=$POSTGRES_URL
        return
    fi
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "installing PostgreSQL (Debian package)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null \
                || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null; } \
                || die "could not install postgresql"
        else
            die "PostgreSQL is not installed; run: sudo apt-get install -y postgresql (or set POSTGRES_URL, or DATABASES=sqlite)"
        fi
    fi
    say "starting the throw-away PostgreSQL cluster (.ci/postgres.sh; it is left running)"
    local env_lines
    env_lines=$(bash "$ROOT/.ci/postgres.sh") || die ".ci/postgres.sh failed"
    eval "$env_lines"
    [ -n "${WEGWIJS_TEST_POSTGRES_URL:-}" ] || die ".ci/postgres.sh did not print WEGWIJS_TEST_POSTGRES_URL"
    local psql host port
    psql=$(find_psql) || true
    [ -n "$psql" ] || die "psql is missing (needed to create the benchmark database)"
    read -r host port < <(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or 5432)' \
        "$WEGWIJS_TEST_POSTGRES_URL")
    # A database of its own: never the tests' wegwijs_test, which another run may be using.
    PG_ADMIN=("$psql" -h "$host" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
    local name="wegwijs_bench_$$"
    "${PG_ADMIN[@]}" -c "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
    "${PG_ADMIN[@]}" -c "CREATE DATABASE $name OWNER wegwijs" >"$TMP/createdb.log" 2>&1 \
        || { cat "$TMP/createdb.log" >&2; die "could not create PostgreSQL database $name (as user postgres on $host:$port)"; }
    PG_BENCH_DB=$name
    PG_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
        "$WEGWIJS_TEST_POSTGRES_URL" "$name")
}

# serve URL PORT LOG: `wegwijs serve` in the background (SERVER_PID), waits for /health (as lib.sh's start_server,
# but for any DATABASE_URL and with a log per database).
serve() {
    local url=$1 port=$2 log=$3
    env DATABASE_URL="$url" WEGWIJS_LIST_CACHE="$LIST_CACHE" \
        "$BIN" serve --hostname 127.0.0.1 --port "$port" --env production >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" = 200 ] && return
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "the server exited"; }
        sleep 0.5
    done
    tail -n 40 "$log" >&2
    die "/health did not answer 200 within 60 s"
}

sign_in() { # username -> token
    local answer token
    answer=$(curl -s -X POST "$BASE/api/v1/session" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}")
    token=$(printf '%s' "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))' 2>/dev/null || true)
    [ -n "$token" ] || die "sign-in as $1 failed: $answer"
    echo "$token"
}

# check FILE URL TOKEN: one request; dies unless 200; prints the answer's `total`.
check() {
    local file=$1 url=$2 token=$3 code
    code=$(curl -s -o "$file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url" || true)
    [ "$code" = 200 ] || { cat "$file" >&2; echo >&2; die "GET ${url#"$BASE"} answered $code"; }
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("total", "?"))' "$file" 2>/dev/null || echo "?"
}

# run_wrk FILE DURATION URL [HEADER]
run_wrk() {
    local file=$1 duration=$2 url=$3
    shift 3
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --latency)
    [ $# -gt 0 ] && args+=(-H "$1")
    wrk "${args[@]}" "$url" >"$file" 2>&1 || { cat "$file" >&2; die "wrk failed ($url)"; }
}
timeouts() { awk '/Socket errors:/ { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }
p99_or_unknown() { local v; v=$(p99 "$1"); echo "${v:-?}"; }

build_release
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

ENDPOINTS="inbox worklist health"
declare -A LABEL=([inbox]="GET /api/v1/referrals/inbox" [worklist]="GET /api/v1/worklist" [health]="GET /health")
declare -A PATHS=([inbox]="/api/v1/referrals/inbox" [worklist]="/api/v1/worklist" [health]="/health")
declare -A TOTAL SEED_S

for db in $DATABASES; do
    case $db in
        sqlite) URL="sqlite://$TMP/wegwijs.sqlite" ;;
        postgres) prepare_postgres; URL=$PG_URL ;;
    esac

    say "$db: seeding $FAMILIES synthetic families and $REFERRALS referrals (this may take minutes; log: $TMP/$db-seed.log)"
    START=$(date +%s.%N)
    DATABASE_URL="$URL" "$BIN" seed synthetic --families "$FAMILIES" --referrals "$REFERRALS" --password "$PASSWORD" \
        >"$TMP/$db-seed.log" 2>&1 || { tail -n 40 "$TMP/$db-seed.log" >&2; die "seeding $db failed"; }
    SEED_S[$db]=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    say "$db: seeded in ${SEED_S[$db]} s"
    if [ "$db" = postgres ]; then
        PSQL=$(find_psql) || true
        if [ -n "$PSQL" ]; then
            say "postgres: VACUUM ANALYZE"
            "$PSQL" "$URL" -v ON_ERROR_STOP=1 -qc 'VACUUM ANALYZE' >"$TMP/vacuum.log" 2>&1 \
                || { cat "$TMP/vacuum.log" >&2; die "VACUUM ANALYZE failed"; }
        else
            say "postgres: psql is missing, no VACUUM ANALYZE (planner statistics come from autovacuum)"
        fi
    fi

    PORT=${PORT:-$(free_port)}
    BASE="http://127.0.0.1:$PORT"
    say "$db: starting the server on $BASE (log: $TMP/$db-server.log)"
    serve "$URL" "$PORT" "$TMP/$db-server.log"
    PARTNER_TOKEN=$(sign_in "$PARTNER")
    LEAD_TOKEN=$(sign_in "$LEAD")
    TOTAL[$db-inbox]=$(check "$TMP/$db-inbox.json" "$BASE${PATHS[inbox]}" "$PARTNER_TOKEN")
    TOTAL[$db-worklist]=$(check "$TMP/$db-worklist.json" "$BASE${PATHS[worklist]}" "$LEAD_TOKEN")
    TOTAL[$db-health]="-"
    say "$db: inbox of $PARTNER holds ${TOTAL[$db-inbox]} referrals, worklist of $LEAD ${TOTAL[$db-worklist]}"

    for endpoint in $ENDPOINTS; do
        header=()
        case $endpoint in
            inbox) header=("Authorization: Bearer $PARTNER_TOKEN") ;;
            worklist) header=("Authorization: Bearer $LEAD_TOKEN") ;;
        esac
        if [ "$WARMUP" != 0 ]; then
            say "$db: warming up ${LABEL[$endpoint]} (${WARMUP}s)"
            run_wrk "$TMP/$db-$endpoint-warmup.txt" "$WARMUP" "$BASE${PATHS[$endpoint]}" "${header[@]}"
        fi
        say "$db: measuring ${LABEL[$endpoint]} (${DURATION}s, $CONNECTIONS connections, $THREADS threads)"
        run_wrk "$TMP/$db-$endpoint.txt" "$DURATION" "$BASE${PATHS[$endpoint]}" "${header[@]}"
    done
    stop_server
    SERVER_PID=""
done

# --- report --------------------------------------------------------------------------------------------------
for db in $DATABASES; do
    for endpoint in $ENDPOINTS; do
        echo
        echo "--- wrk: $db, ${LABEL[$endpoint]} ---"
        cat "$TMP/$db-$endpoint.txt"
    done
done

echo
echo "Wegwijs referrals benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') cores, load average before: $LOAD_BEFORE"
echo "$FAMILIES synthetic families and $REFERRALS referrals (+ demo); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up; list cache $LIST_CACHE"
for db in $DATABASES; do echo "seeding $db: ${SEED_S[$db]} s"; done
echo
printf '%-10s %-30s %8s %12s %12s %8s %9s %12s\n' "database" "endpoint" "total" "requests/s" "p99" "non-2xx" "timeouts" "ratio/health"
for db in $DATABASES; do
    H_RPS=$(rps "$TMP/$db-health.txt")
    for endpoint in $ENDPOINTS; do
        f="$TMP/$db-$endpoint.txt"
        if [ "$endpoint" = health ]; then r="1"; else r=$(ratio "$(rps "$f")" "$H_RPS"); fi
        printf '%-10s %-30s %8s %12s %12s %8s %9s %12s\n' "$db" "${LABEL[$endpoint]}" "${TOTAL[$db-$endpoint]}" \
            "$(rps "$f")" "$(p99_or_unknown "$f") ms" "$(non2xx "$f")" "$(timeouts "$f")" "$r"
    done
done
echo
ALL_MET=yes
for endpoint in inbox worklist; do
    for db in $DATABASES; do
        f="$TMP/$db-$endpoint.txt"
        P=$(p99_or_unknown "$f"); BAD=$(non2xx "$f"); TO=$(timeouts "$f")
        MET=$(awk -v p="$P" -v bad="$BAD" -v to="$TO" -v g="$GOAL_P99_MS" \
            'BEGIN { print ((p != "?" && p + 0 < g && bad + 0 == 0 && to + 0 == 0) ? "GOAL MET" : "GOAL NOT MET") }')
        [ "$MET" = "GOAL MET" ] || ALL_MET=no
        printf '%-14s %-10s %-30s p99 %s ms (goal < %s ms)%s%s\n' "$MET:" "$db" "${LABEL[$endpoint]}" "$P" "$GOAL_P99_MS" \
            "$([ "$BAD" = 0 ] || echo ", $BAD non-2xx responses")" "$([ "$TO" = 0 ] || echo ", $TO timeouts (left out of wrk's p99)")"
    done
done
echo
if [ "$ALL_MET" = yes ]; then
    echo "GOAL MET: inbox and worklist at p99 < $GOAL_P99_MS ms on $(echo "$DATABASES" | xargs | sed 's/ / and /g')."
else
    echo "GOAL NOT MET: see the lines above."
fi
exit 0
