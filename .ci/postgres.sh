#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the tests (Debian's packages) and prints the line that exports its URL.
# Usage: eval "$(bash .ci/postgres.sh)"   → WEGWIJS_TEST_POSTGRES_URL
# Safe to run twice: a server already answering on the port is reused.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=${PGDATA_DIR:-/tmp/wegwijs-pg}
PORT=${PGPORT_TEST:-55432}
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
# max_connections: every test runs its own application with its own connection pool, many at once (and the
# two-server tests two each); the default 100 is not enough.
if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA"; fi
  run "'$PGBIN/initdb' -D '$PGDATA' -U postgres --auth=trust -E UTF8" >/dev/null
  run "'$PGBIN/pg_ctl' -D '$PGDATA' -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400' -l '$PGDATA/log' -w start" >/dev/null \
    || { cat "$PGDATA/log" >&2; exit 1; }
fi
if ! run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'wegwijs'\"" | grep -q 1; then
  run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -c \"CREATE USER wegwijs PASSWORD 'wegwijs'\"" >/dev/null
fi
if ! run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'wegwijs_test'\"" | grep -q 1; then
  run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -c 'CREATE DATABASE wegwijs_test OWNER wegwijs'" >/dev/null
fi
echo "export WEGWIJS_TEST_POSTGRES_URL='postgres://wegwijs:wegwijs@127.0.0.1:$PORT/wegwijs_test?sslmode=disable'"
