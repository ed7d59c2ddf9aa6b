#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the municipality's reports (issue 15, "Speed"): every report of
# GET /api/v1/reports/<name> — the names are read from /openapi.json, so the script measures whatever reports exist —
# on SQLite with 100,000 synthetic families and on PostgreSQL with 1,000,000 (`seed synthetic`, stories over YEARS
# years: referral steps, contacts, screenings, attendance), signed in as the policy officer `beleid`:
#   - cold: the first request to a freshly started `serve --env production` (the server's own caches empty; the
#     database's and the operating system's caches are not flushed);
#   - warm: the p95 (and median) of WARM requests in a row after it;
#   - GET /health the same way, in the same run, as the reference.
# Goal (issue 15): every figure under 1 s, p95, cold and warm separately.
#
#   bash Benchmarks/reports.sh
#
# The seeded databases are kept in BENCH_DIR (SQLite) and as database wegwijs_reports_<families> on the PostgreSQL
# cluster, and reused by the next run when their families, years and seed match (RESEED=1 seeds again).
#
# Options (environment): DATABASES="sqlite postgres", SQLITE_FAMILIES=100000, POSTGRES_FAMILIES=1000000, YEARS=3,
# SEED=1, WARM=20, REPORT_QUERY (appended to every report URL, e.g. "from=2026-01-01&to=2026-12-31"),
# BENCH_DIR=${TMPDIR:-/tmp}/wegwijs-reports-bench, RESEED=1, POSTGRES_URL (an existing database instead of
# .ci/postgres.sh's cluster; seeded when empty), REPLICA=1 (PostgreSQL once more with DATABASE_REPLICA_URL set to a
# hot standby, .ci/postgres-replica.sh; only with .ci/postgres.sh's cluster), BUILD_NICE=10,
# SKIP_BUILD=1 (use .build-release/release/wegwijs as it is), KEEP_TMP=1 (keep logs and raw timings).
# Exits 0 whatever the outcome of the goals; non-zero only when the benchmark itself could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DATABASES=${DATABASES:-sqlite postgres}
SQLITE_FAMILIES=${SQLITE_FAMILIES:-100000}
POSTGRES_FAMILIES=${POSTGRES_FAMILIES:-1000000}
YEARS=${YEARS:-3}
SEED=${SEED:-1}
WARM=${WARM:-20}
REPORT_QUERY=${REPORT_QUERY:-}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/wegwijs-reports-bench}
GOAL_MS=1000
PASSWORD=${WEGWIJS_DEMO_PASSWORD:-Rijnstad-demo-2026}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=reports.sh
THREADS=1
CONNECTIONS=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-reports.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"

cleanup() {
    stop_server
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"
mkdir -p "$BENCH_DIR"

# sql URL STATEMENT: the first column of the first row (SQLite through Python, PostgreSQL through psql).
sql() {
    local url=$1 statement=$2
    case $url in
        sqlite://*) python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' "${url#sqlite://}" "$statement" ;;
        *) "$(find_psql)" "$url" -v ON_ERROR_STOP=1 -qAtc "$statement" ;;
    esac
}

# seed_if_needed LABEL URL FAMILIES: seeds unless the marker of an earlier seed with the same parameters is there.
declare -A SEEDED
seed_if_needed() {
    local label=$1 url=$2 families=$3 marker="$BENCH_DIR/$1.seeded" want="families=$3 years=$YEARS seed=$SEED"
    if [ "${RESEED:-0}" != 1 ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ] \
        && [ "$(sql "$url" "SELECT COUNT(*) FROM families" 2>/dev/null || echo 0)" -ge "$families" ]; then
        say "$label: reusing the seeded database ($want)"
        SEEDED[$label]="reused ($want)"
        return
    fi
    rm -f "$marker"
    say "$label: seeding $families families over $YEARS years (log: $TMP/$label-seed.log)"
    local start
    start=$(date +%s.%N)
    DATABASE_URL="$url" "$BIN" seed synthetic --families "$families" --years "$YEARS" --seed "$SEED" --password "$PASSWORD" \
        >"$TMP/$label-seed.log" 2>&1 || { tail -n 40 "$TMP/$label-seed.log" >&2; die "seeding $label failed"; }
    local seconds
    seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    SEEDED[$label]="seeded in $seconds s: $(grep -E '^Events:' "$TMP/$label-seed.log" | head -n 1)"
    say "$label: ${SEEDED[$label]}"
    echo "$want" >"$marker"
}

# The report paths of /openapi.json: every GET under /api/v1/reports/ (a templated `{name}` path gives one per value
# of its enum), without CSV variants; required query parameters get a value (dates: the last year; codes: the first).
report_paths() {
    curl -s "$BASE/openapi.json" | python3 -c '
import json, sys, datetime
doc = json.load(sys.stdin)
today = datetime.date.today()
defaults = {"from": (today - datetime.timedelta(days=365)).isoformat(), "to": today.isoformat(), "municipality": "GM9901"}
out = []
for path, item in sorted(doc.get("paths", {}).items()):
    if not path.startswith("/api/v1/reports/") or "get" not in item or path.endswith(".csv"):
        continue
    op = item["get"]
    params = op.get("parameters", []) + item.get("parameters", [])
    def resolve(p):
        if "$ref" in p:
            name = p["$ref"].split("/")[-1]
            return doc.get("components", {}).get("parameters", {}).get(name, {})
        return p
    params = [resolve(p) for p in params]
    query = []
    for p in params:
        if p.get("in") == "query" and p.get("required"):
            schema = p.get("schema", {})
            value = defaults.get(p["name"]) or (schema.get("enum") or [None])[0] or schema.get("default")
            if value is not None:
                query.append("%s=%s" % (p["name"], value))
    names = [None]
    for p in params:
        if p.get("in") == "path":
            names = p.get("schema", {}).get("enum") or []
    for name in names:
        concrete = path
        for p in params:
            if p.get("in") == "path":
                concrete = concrete.replace("{%s}" % p["name"], name)
        if "{" in concrete:
            continue
        out.append(concrete + ("?" + "&".join(query) if query else ""))
for line in out:
    print(line)
'
}

# time_one URL TOKEN FILE: one request; appends "milliseconds status" to FILE.
time_one() {
    local url=$1 token=$2 file=$3 result
    result=$(curl -s -o /dev/null -w '%{time_total} %{http_code}' -H "Authorization: Bearer $token" "$url" || echo "0 000")
    awk -v r="$result" 'BEGIN { split(r, a, " "); printf "%.1f %s\n", a[1] * 1000, a[2] }' >>"$3"
}

# stats FILE: "median p95 statuses" of the lines "ms status".
stats() {
    python3 -c '
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ms = sorted(float(r[0]) for r in rows)
codes = sorted(set(r[1] for r in rows))
def pct(p):
    k = max(0, min(len(ms) - 1, int(round(p / 100 * len(ms) + 0.5)) - 1))
    return ms[k]
print("%.1f %.1f %s" % (pct(50), pct(95), ",".join(codes)))' "$1"
}

build_release
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
declare -A URLS LABELS
RUNS=()
for db in $DATABASES; do
    case $db in
        sqlite)
            URLS[sqlite]="sqlite://$BENCH_DIR/sqlite-$SQLITE_FAMILIES.sqlite"
            seed_if_needed sqlite "${URLS[sqlite]}" "$SQLITE_FAMILIES"
            LABELS[sqlite]="SQLite, $SQLITE_FAMILIES families"
            RUNS+=(sqlite)
            ;;
        postgres)
            if [ -n "${POSTGRES_URL:-}" ]; then
                URLS[postgres]=$POSTGRES_URL
            else
                # .ci/postgres.sh's cluster, a database of its own that is kept for the next run.
                env_lines=$(bash "$ROOT/.ci/postgres.sh") || die ".ci/postgres.sh failed"
                eval "$env_lines"
                PSQL=$(find_psql) || true
                [ -n "$PSQL" ] || die "psql is missing"
                read -r PGHOST_B PGPORT_B < <(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p.hostname, p.port or 5432)' "$WEGWIJS_TEST_POSTGRES_URL")
                DBNAME="wegwijs_reports_$POSTGRES_FAMILIES"
                if [ "$("$PSQL" -h "$PGHOST_B" -p "$PGPORT_B" -U postgres -d postgres -qAtc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ] \
                    || [ "${RESEED:-0}" = 1 ]; then
                    "$PSQL" -h "$PGHOST_B" -p "$PGPORT_B" -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $DBNAME" >/dev/null
                    "$PSQL" -h "$PGHOST_B" -p "$PGPORT_B" -U postgres -d postgres -qAtc "CREATE DATABASE $DBNAME OWNER wegwijs" >/dev/null
                    rm -f "$BENCH_DIR/postgres.seeded"
                fi
                URLS[postgres]=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
                    "$WEGWIJS_TEST_POSTGRES_URL" "$DBNAME")
            fi
            seed_if_needed postgres "${URLS[postgres]}" "$POSTGRES_FAMILIES"
            LABELS[postgres]="PostgreSQL, $POSTGRES_FAMILIES families"
            RUNS+=(postgres)
            if [ "${REPLICA:-0}" = 1 ]; then
                [ -z "${POSTGRES_URL:-}" ] || die "REPLICA=1 works with .ci/postgres.sh's cluster only"
                replica_env=$(bash "$ROOT/.ci/postgres-replica.sh") || die ".ci/postgres-replica.sh failed"
                eval "$replica_env"
                URLS[replica]=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
                    "$WEGWIJS_TEST_REPLICA_URL" "$DBNAME")
                say "waiting for the standby to replay what the primary wrote"
                target=$("$PSQL" -h "$PGHOST_B" -p "$PGPORT_B" -U postgres -d postgres -qAtc "SELECT pg_current_wal_lsn()")
                for _ in $(seq 1 3600); do
                    caught=$("$PSQL" "${URLS[replica]}" -qAtc "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null || echo f)
                    [ "$caught" = t ] && break
                    sleep 1
                done
                [ "$caught" = t ] || die "the standby did not catch up within an hour"
                LABELS[replica]="PostgreSQL, $POSTGRES_FAMILIES families, reports read from a hot standby"
                RUNS+=(replica)
            fi
            ;;
        *) die "unknown database $db" ;;
    esac
done

declare -A COLD WARM_P95 WARM_MEDIAN STATUS COUNTS
declare -A REPORTS_OF
for run in "${RUNS[@]}"; do
    url=${URLS[$run]}
    SERVE_ENV=""
    if [ "$run" = replica ]; then url=${URLS[postgres]}; SERVE_ENV="DATABASE_REPLICA_URL=${URLS[replica]}"; fi
    COUNTS[$run]="$(sql "$url" "SELECT COUNT(*) FROM families") families, $(sql "$url" "SELECT (SELECT COUNT(*) FROM referral_events) + (SELECT COUNT(*) FROM contact_moments) + (SELECT COUNT(*) FROM screenings) + (SELECT COUNT(*) FROM group_attendance) + (SELECT COUNT(*) FROM family_signals)") events"
    PORT=$(free_port)
    BASE="http://127.0.0.1:$PORT"
    serve "$url" "$PORT" "$TMP/$run-server.log"
    mapfile -t REPORTS < <(report_paths)
    stop_server
    [ "${#REPORTS[@]}" -gt 0 ] || die "/openapi.json lists no GET /api/v1/reports/… path"
    if [ -n "$REPORT_QUERY" ]; then
        for i in "${!REPORTS[@]}"; do
            case ${REPORTS[$i]} in *\?*) REPORTS[$i]="${REPORTS[$i]}&$REPORT_QUERY" ;; *) REPORTS[$i]="${REPORTS[$i]}?$REPORT_QUERY" ;; esac
        done
    fi
    REPORTS_OF[$run]="${REPORTS[*]}"
    say "$run: ${#REPORTS[@]} reports: ${REPORTS[*]}"
    for path in "/health" "${REPORTS[@]}"; do
        key=$(printf '%s %s' "$run" "$path" | tr -c 'A-Za-z0-9' '_')
        stem=$key
        # Cold: a server just started, its first request.
        serve "$url" "$PORT" "$TMP/$run-server.log"
        TOKEN=$(sign_in beleid)
        time_one "$BASE$path" "$TOKEN" "$TMP/$stem-cold.txt"
        read -r COLD[$key] _ STATUS[$key] < <(stats "$TMP/$stem-cold.txt" | awk '{ print $1, $2, $3 }')
        # Warm: the same request WARM times in a row.
        for _ in $(seq 1 "$WARM"); do time_one "$BASE$path" "$TOKEN" "$TMP/$stem-warm.txt"; done
        read -r WARM_MEDIAN[$key] WARM_P95[$key] warm_codes < <(stats "$TMP/$stem-warm.txt")
        [ "$warm_codes" = "${STATUS[$key]}" ] || STATUS[$key]="${STATUS[$key]}/$warm_codes"
        stop_server
        SERVER_PID=""
        say "$run $path: cold ${COLD[$key]} ms, warm p95 ${WARM_P95[$key]} ms (${STATUS[$key]})"
    done
done

# --- report ----------------------------------------------------------------------------------------------------
echo
echo "Wegwijs reports benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $LOAD_BEFORE"
echo "signed in as beleid; cold = first request after the server started; warm = $WARM requests in a row (median, p95)"
for run in "${RUNS[@]}"; do
    base_run=$run; [ "$run" = replica ] && base_run=postgres
    echo "${LABELS[$run]}: ${COUNTS[$run]}; ${SEEDED[$base_run]:-}"
done
echo
printf '%-9s %-58s %10s %13s %12s %8s  %s\n' database request "cold ms" "warm p95 ms" "median ms" status verdict
ALL=yes
for run in "${RUNS[@]}"; do
    for path in "/health" ${REPORTS_OF[$run]}; do
        key=$(printf '%s %s' "$run" "$path" | tr -c 'A-Za-z0-9' '_')
        verdict=reference
        if [ "$path" != /health ]; then
            verdict=$(awk -v c="${COLD[$key]}" -v w="${WARM_P95[$key]}" -v g="$GOAL_MS" -v s="${STATUS[$key]}" \
                'BEGIN { print ((c + 0 < g && w + 0 < g && s == "200") ? "GOAL MET" : "GOAL NOT MET") }')
            [ "$verdict" = "GOAL MET" ] || ALL=no
        fi
        printf '%-9s %-58s %10s %13s %12s %8s  %s\n' "$run" "$path" "${COLD[$key]}" "${WARM_P95[$key]}" "${WARM_MEDIAN[$key]}" \
            "${STATUS[$key]}" "$verdict"
    done
done
echo
if [ "$ALL" = yes ]; then echo "ALL GOALS MET (every report under $GOAL_MS ms, cold and warm p95)"; else echo "NOT ALL GOALS MET: see above"; fi
exit 0
