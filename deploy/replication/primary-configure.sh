#!/bin/sh
# Prepares a running PostgreSQL (15+) primary for a streaming standby: a replication role, a
# physical replication slot (the primary keeps WAL until the standby has it, so a standby that was
# away catches up instead of needing a new base backup), a pg_hba rule, and optionally synchronous
# commit to the standby (an acknowledged COMMIT is then on two machines).
#
# PostgreSQL 15's defaults already stream: wal_level=replica, max_wal_senders=10,
# max_replication_slots=10, hot_standby=on. Nothing here needs a restart.
#
# Environment (psql's own PGHOST/PGPORT/PGUSER/PGDATABASE select the primary, as a superuser):
#   REPL_USER      replication role to create            (default replicator)
#   REPL_PASSWORD  its password                          (required)
#   REPL_SLOT      physical slot for the standby         (default standby1)
#   REPL_FROM      CIDR the standby connects from        (default 0.0.0.0/0: narrow it)
#   SYNC_STANDBY   application_name of the standby to wait for on COMMIT; empty = asynchronous
set -eu
: "${REPL_PASSWORD:?set REPL_PASSWORD}"
REPL_USER=${REPL_USER:-replicator}
REPL_SLOT=${REPL_SLOT:-standby1}
REPL_FROM=${REPL_FROM:-0.0.0.0/0}
SYNC_STANDBY=${SYNC_STANDBY:-}
PSQL="${PGBIN:+$PGBIN/}psql -v ON_ERROR_STOP=1 -X -q"

$PSQL -d "${PGDATABASE:-postgres}" \
  -v user="$REPL_USER" -v pass="$REPL_PASSWORD" -v slot="$REPL_SLOT" >/dev/null <<'SQL'
select format('create role %I with login replication password %L', :'user', :'pass')
  where not exists (select 1 from pg_roles where rolname = :'user') \gexec
select pg_create_physical_replication_slot(:'slot')
  where not exists (select 1 from pg_replication_slots where slot_name = :'slot');
SQL


# pg_hba.conf: the replication pseudo-database must be allowed explicitly ("all" does not cover it).
HBA=$($PSQL -At -c 'show hba_file')
RULE="host replication $REPL_USER $REPL_FROM scram-sha-256"
grep -qxF "$RULE" "$HBA" || echo "$RULE" >>"$HBA"

# Synchronous commit: FIRST 1 (name) waits for that standby to flush each COMMIT. With the standby
# down, commits then wait (they do not fail): run a second standby, or clear this to degrade.
if [ -n "$SYNC_STANDBY" ]; then
  $PSQL -c "alter system set synchronous_standby_names = 'FIRST 1 (\"$SYNC_STANDBY\")'"
else
  $PSQL -c "alter system reset synchronous_standby_names"
fi
$PSQL -c 'select pg_reload_conf()' >/dev/null
echo "primary ready: role $REPL_USER, slot $REPL_SLOT, synchronous standby '${SYNC_STANDBY:-none}'"
