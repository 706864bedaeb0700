#!/bin/sh
# Promotes the standby to primary, after the old primary is stopped (or fenced off: two writable
# primaries would split the data). pg_promote(true) waits until the standby accepts writes.
# psql's PGHOST/PGPORT/PGUSER select the standby. Equivalent: pg_ctl -D "$PGDATA" promote -w.
#
# Afterwards: the app's multi-host DATABASE_URL (target_session_attrs=read-write) finds the new
# primary by itself. The old primary must not come back as a primary: rebuild it as a standby of
# the new one (standby-clone.sh, or pg_rewind), and point synchronous_standby_names at it.
#
# synchronous_standby_names came over with the base backup (postgresql.auto.conf): left as it is,
# the new primary would wait on every COMMIT for a standby that does not exist yet, and intake
# would hang. It is reset here (asynchronous until a new standby joins); with a second standby
# already following, set SYNC_STANDBY to its application_name instead.
set -eu
PSQL="${PGBIN:+$PGBIN/}psql -X -v ON_ERROR_STOP=1 -At -d ${PGDATABASE:-postgres}"
if [ -n "${SYNC_STANDBY:-}" ]; then
  $PSQL -c "alter system set synchronous_standby_names = 'FIRST 1 (\"$SYNC_STANDBY\")'"
else
  $PSQL -c "alter system reset synchronous_standby_names"
fi
$PSQL -c "select pg_reload_conf()" >/dev/null
$PSQL -c "select case when pg_promote(true, 60) then 'promoted' else 'not promoted within 60 s' end"
