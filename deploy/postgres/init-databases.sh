#!/usr/bin/env bash
# Runs once, when the PostgreSQL container initialises an empty data directory (docker-entrypoint-initdb.d):
# one database per service, each owned by its own role, so that no service can read another's data.
# Passwords come from the environment (AUTH_DB_PASSWORD, PROFILE_DB_PASSWORD, FRIENDSHIP_DB_PASSWORD).
set -euo pipefail
for svc in auth profile friendship; do
  var="${svc^^}_DB_PASSWORD"
  password="${!var:?$var is required}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$svc" -v password="$password" -v db="identity_$svc" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL
  echo "init-databases: identity_$svc owned by $svc"
done
