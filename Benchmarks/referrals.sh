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
GOAL_P99_MS=50
PARTNER=partner-jgz
LEAD=klantmanager
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=referrals.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-referrals.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"

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
echo "$FAMILIES synthetic families and $REFERRALS referrals (+ demo); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up"
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
