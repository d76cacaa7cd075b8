#!/usr/bin/env bash
# Starts the Debian PostgreSQL 15 server on 127.0.0.1:5432 with role and database "twin" (password
# "twin"), the database the tests use. Installs it first if it is missing and we are root.
# Idempotent: safe to run when everything is already up.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed; install the 'postgresql' package (as root: apt-get install postgresql)" >&2
    exit 1
  fi
  echo "Installing PostgreSQL ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$version" ]; then
  echo "no PostgreSQL cluster found under /etc/postgresql" >&2
  exit 1
fi
pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start

as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='twin'\"" | grep -q 1 \
  || as_postgres "psql -q -c \"CREATE ROLE twin LOGIN PASSWORD 'twin'\""
as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='twin'\"" | grep -q 1 \
  || as_postgres "createdb -O twin twin"

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && { echo "PostgreSQL $version is ready on 127.0.0.1:5432 (database twin)"; exit 0; }
  sleep 0.5
done
echo "PostgreSQL did not become ready on 127.0.0.1:5432" >&2
exit 1
