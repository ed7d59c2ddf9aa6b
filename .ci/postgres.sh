#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the tests (Debian's packages) and prints the URL to use.
# Usage: eval "$(bash .ci/postgres.sh)"   → exports WEGWIJS_TEST_POSTGRES_URL
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=${PGDATA_DIR:-/tmp/wegwijs-pg}
PORT=${PGPORT_TEST:-55432}
if ! "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA" 2>/dev/null || true
  run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
  run "'$PGBIN/initdb' -D '$PGDATA' -U postgres --auth=trust -E UTF8 >/dev/null"
  run "'$PGBIN/pg_ctl' -D '$PGDATA' -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l '$PGDATA/log' -w start >/dev/null"
  run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -c \"CREATE USER wegwijs PASSWORD 'wegwijs'\" >/dev/null"
  run "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -c 'CREATE DATABASE wegwijs_test OWNER wegwijs' >/dev/null"
fi
echo "export WEGWIJS_TEST_POSTGRES_URL=postgres://wegwijs:wegwijs@127.0.0.1:$PORT/wegwijs_test?sslmode=disable"
