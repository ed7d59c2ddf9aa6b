#!/usr/bin/env bash
# Starts a hot standby of the throw-away PostgreSQL cluster of .ci/postgres.sh (the primary, started if needed) on
# loopback, by streaming replication (pg_basebackup -R), and prints the lines that export both URLs.
# Usage: eval "$(bash .ci/postgres-replica.sh)"   → WEGWIJS_TEST_POSTGRES_URL (primary), WEGWIJS_TEST_REPLICA_URL (standby)
# Safe to run twice: a standby already answering on its port is reused. Stop it with
#   su postgres -c "pg_ctl -D /tmp/wegwijs-pg-standby stop"   (or without su when not root)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PRIMARY_PORT=${PGPORT_TEST:-55432}
STANDBY_PORT=${PGPORT_STANDBY:-55433}
STANDBY=${PGDATA_STANDBY:-/tmp/wegwijs-pg-standby}
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

# The primary (initdb's pg_hba.conf already lets loopback replication connections in; wal_level is `replica` by
# default).
PRIMARY_ENV=$(bash .ci/postgres.sh)
eval "$PRIMARY_ENV"

if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$STANDBY_PORT"; then
  rm -rf "$STANDBY"
  mkdir -p "$STANDBY"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$STANDBY"; fi
  chmod 700 "$STANDBY"
  # A copy of the primary that starts as a standby (-R: standby.signal and primary_conninfo) and streams the WAL
  # written during the copy (-X stream).
  run "'$PGBIN/pg_basebackup' -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D '$STANDBY' -R -X stream -c fast" >/dev/null \
    || { echo "pg_basebackup from 127.0.0.1:$PRIMARY_PORT failed" >&2; exit 1; }
  # A hot standby needs max_connections at least the primary's (400, see postgres.sh). hot_standby_feedback keeps
  # long report queries from being cancelled by replay.
  run "'$PGBIN/pg_ctl' -D '$STANDBY' -o '-p $STANDBY_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400 -c hot_standby=on -c hot_standby_feedback=on' -l '$STANDBY/log' -w start" >/dev/null \
    || { cat "$STANDBY/log" >&2; exit 1; }
fi
# It must be a standby, not a second primary.
if [ "$(run "'$PGBIN/psql' -h 127.0.0.1 -p $STANDBY_PORT -U postgres -tAc 'SELECT pg_is_in_recovery()'")" != t ]; then
  echo "the server on port $STANDBY_PORT is not a standby" >&2
  exit 1
fi
echo "$PRIMARY_ENV"
echo "export WEGWIJS_TEST_REPLICA_URL='postgres://wegwijs:wegwijs@127.0.0.1:$STANDBY_PORT/wegwijs_test?sslmode=disable'"
