#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory, as the local stack's PostgresNode
# does: the owner of the ledgerline database (it runs the migrations) and the services' two
# least-privilege roles, which must exist before the first migration grants them anything.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$LEDGERLINE_OWNER_PASSWORD" \
  -v app_password="$LEDGERLINE_APP_PASSWORD" \
  -v audit_password="$LEDGERLINE_AUDIT_PASSWORD" <<'SQL'
CREATE ROLE ledgerline LOGIN PASSWORD :'owner_password';
CREATE DATABASE ledgerline OWNER ledgerline;
CREATE ROLE ledgerline_app LOGIN PASSWORD :'app_password';
CREATE ROLE ledgerline_audit LOGIN PASSWORD :'audit_password';
SQL
