# Shared by the benchmark scripts (source it): tools, release build, server start, wrk and its figures.
# Expects: ROOT (the repository), BIN (the release binary), TMP (a temporary folder), NAME (for messages).

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${NAME:-benchmark}" "$*" >&2; exit 1; }

ensure_wrk() {
    command -v wrk >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing wrk (Debian package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null \
            || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; } \
            || die "could not install wrk"
    else
        die "wrk is not installed; run: sudo apt-get install -y wrk"
    fi
}

# Builds wegwijs in release mode with its own scratch path (the debug build in .build is left alone).
build_release() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        say "building wegwijs in release mode (.build-release)"
        (cd "$ROOT" && nice -n "${BUILD_NICE:-10}" swift build -c release --product wegwijs --scratch-path .build-release >&2)
    fi
    [ -x "$BIN" ] || die "$BIN is missing (build failed?)"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server DATABASE_FILE PORT [VAR=value ...]: starts `wegwijs serve` in the background (SERVER_PID) and waits
# for /health.
start_server() {
    local database=$1 port=$2
    shift 2
    env DATABASE_URL="sqlite://$database" "$@" "$BIN" serve --hostname 127.0.0.1 --port "$port" --env production \
        >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" = 200 ] && return
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited"; }
        sleep 0.5
    done
    tail -n 40 "$TMP/server.log" >&2
    die "/health did not answer 200 within 60 s"
}

stop_server() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}

# measure NAME URL [HEADER]: 2 s of warm-up, then DURATION seconds at CONNECTIONS; raw output in $TMP/NAME.txt.
measure() {
    local name=$1 url=$2
    shift 2
    local args=(-t"$THREADS" -c"$CONNECTIONS")
    [ $# -gt 0 ] && args+=(-H "$1")
    wrk "${args[@]}" -d2s "$url" >/dev/null 2>&1 || true
    wrk "${args[@]}" -d"${DURATION}s" --latency "$url" >"$TMP/$name.txt" 2>&1 || die "wrk failed ($name)"
}

# "99%   12.34ms" -> milliseconds
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/^[0-9.]+/, "", u); n = v + 0;
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }' "$1"; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
non2xx() { awk '/Non-2xx/ { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "?" }'; }

# --- PostgreSQL, any DATABASE_URL, sign-in (referrals.sh, lists.sh) ----------------------------------------------
# These expect TMP, BIN, ROOT, PASSWORD, THREADS, CONNECTIONS; `serve` passes SERVE_ENV (VAR=value words) to the server.
# The caller's cleanup drops PG_BENCH_DB (see referrals.sh).
PG_ADMIN=()
PG_BENCH_DB=""

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
    # shellcheck disable=SC2086
    env DATABASE_URL="$url" ${SERVE_ENV:-} \
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

# check FILE URL TOKEN: one request (asking for the count, which lists give only on request); dies unless 200;
# prints the answer's `total`.
check() {
    local file=$1 url=$2 token=$3 code sep='?'
    case $url in *\?*) sep='&' ;; esac
    code=$(curl -s -o "$file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url${sep}count=true" || true)
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


# bench_script FILE_STEM SCRIPT|- URL [HEADER]: a warm-up of $WARMUP seconds (0: none), then the measured run of
# $DURATION seconds, with a wrk Lua script or none (-); the raw output in $TMP/FILE_STEM.txt.
bench_script() {
    local stem=$1 script=$2 url=$3
    shift 3
    local args=(-t"$THREADS" -c"$CONNECTIONS" --latency)
    [ "$script" != - ] && args+=(-s "$script")
    [ $# -gt 0 ] && args+=(-H "$1")
    if [ "$WARMUP" != 0 ]; then wrk "${args[@]}" -d"${WARMUP}s" "$url" >"$TMP/$stem-warmup.txt" 2>&1 || true; fi
    wrk "${args[@]}" -d"${DURATION}s" "$url" >"$TMP/$stem.txt" 2>&1 || { cat "$TMP/$stem.txt" >&2; die "wrk failed ($stem)"; }
}
