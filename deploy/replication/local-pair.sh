#!/bin/sh
# A primary and a streaming standby on one machine, from plain PostgreSQL binaries: for trying a
# failover by hand, and used by test/api/failover.test.ts and bench/province.ts.
#
#   local-pair.sh up DIR PRIMARY_PORT STANDBY_PORT [sync|async]
#   local-pair.sh stop-primary DIR      # as a crash: immediate shutdown, no checkpoint
#   local-pair.sh promote DIR           # the standby becomes the primary
#   local-pair.sh down DIR              # stops both and removes DIR
#
# Run as root (the servers run as the postgres user via runuser) or as the postgres user itself.
# PGBIN defaults to /usr/lib/postgresql/15/bin. Connections from 127.0.0.1 are trusted: a test
# setup, not a deployment (see README.md for that).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export PGBIN
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: local-pair.sh up|stop-primary|promote|down DIR ...}
dir=${2:?DIR}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
up)
  pport=${3:?PRIMARY_PORT}
  sport=${4:?STANDBY_PORT}
  mode=${5:-sync}
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  echo "$pport $sport" >"$dir/ports"
  as_pg "$PGBIN/initdb" -D "$dir/primary" -U postgres -A trust --no-sync >/dev/null
  cat >>"$dir/primary/postgresql.conf" <<CONF
port = $pport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
max_connections = 200
wal_keep_size = '256MB'
CONF
  as_pg "$PGBIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
  SYNC_STANDBY=$([ "$mode" = sync ] && echo standby1 || true)
  as_pg env PGBIN="$PGBIN" PGHOST=127.0.0.1 PGPORT="$pport" PGUSER=postgres REPL_PASSWORD=replicator \
    REPL_FROM=127.0.0.1/32 SYNC_STANDBY="$SYNC_STANDBY" sh "$here/primary-configure.sh"
  as_pg env PGBIN="$PGBIN" PGDATA="$dir/standby" PRIMARY_PORT="$pport" REPL_PASSWORD=replicator \
    sh "$here/standby-clone.sh" >/dev/null
  cat >>"$dir/standby/postgresql.conf" <<CONF
port = $sport
CONF
  as_pg "$PGBIN/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w start >/dev/null
  echo "primary on $pport, standby on $sport ($mode)"
  ;;
stop-primary)
  as_pg "$PGBIN/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null
  ;;
promote)
  sport=$(cut -d' ' -f2 "$dir/ports")
  as_pg env PGBIN="$PGBIN" PGHOST=127.0.0.1 PGPORT="$sport" PGUSER=postgres sh "$here/promote.sh" >/dev/null
  ;;
down)
  for d in primary standby; do
    [ -f "$dir/$d/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
  ;;
*)
  echo "unknown command $cmd" >&2
  exit 2
  ;;
esac
