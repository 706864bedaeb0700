#!/bin/sh
# Entrypoint of the compose `ha` profile's standby: on an empty volume, clone the primary with
# pg_basebackup -R (standby.signal + primary_conninfo), then hand over to the official entrypoint,
# which finds an initialised data directory and just starts the server, as a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}"; do sleep 1; done
  mkdir -p "$PGDATA"
  chown postgres "$PGDATA"
  chmod 700 "$PGDATA"
  gosu postgres sh /replication/standby-clone.sh
fi
exec docker-entrypoint.sh postgres
