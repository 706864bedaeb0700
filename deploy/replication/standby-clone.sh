#!/bin/sh
# Makes a streaming standby from a running primary: pg_basebackup copies the data directory and,
# with -R, writes standby.signal and primary_conninfo, so the server started on it follows the
# primary (read-only, hot standby) through the replication slot.
#
# Run as the operating-system user that owns the data directory (postgres).
#   PRIMARY_HOST, PRIMARY_PORT   where the primary listens          (default 127.0.0.1, 5432)
#   REPL_USER, REPL_PASSWORD     the role from primary-configure.sh (default replicator)
#   REPL_SLOT                    the slot made there                (default standby1)
#   STANDBY_NAME                 application_name the primary sees; SYNC_STANDBY on the primary
#                                must name it for synchronous commit (default standby1)
#   PGDATA                       the new (empty or absent) data directory
set -eu
: "${PGDATA:?set PGDATA to the standby data directory}"
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPL_USER=${REPL_USER:-replicator}
REPL_SLOT=${REPL_SLOT:-standby1}
STANDBY_NAME=${STANDBY_NAME:-standby1}
PGPASSWORD=${REPL_PASSWORD:-${PGPASSWORD:-}}
export PGPASSWORD

"${PGBIN:+$PGBIN/}pg_basebackup" \
  -d "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$REPL_USER application_name=$STANDBY_NAME" \
  -D "$PGDATA" -R -S "$REPL_SLOT" -X stream -c fast
chmod 700 "$PGDATA"
echo "standby data directory ready in $PGDATA (start it with pg_ctl -D $PGDATA start)"
