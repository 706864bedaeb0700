#!/bin/sh
# /docker-entrypoint-initdb.d hook of the compose `ha` profile's primary: runs once, on an empty
# volume, inside the official image's temporary server (local socket, as the superuser).
set -eu
PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB" sh /replication/primary-configure.sh
