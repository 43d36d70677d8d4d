#!/usr/bin/env bash
# PostgreSQL (Debian's package) for dev/test: 127.0.0.1:55432, data in .data/postgres (POSTGRES_PORT and
# POSTGRES_DATA_DIR run another instance).
# Usage: scripts/components/postgres.sh {install|start|stop|restart|status|smoke|url|psql|reset}
# The server runs as the 'postgres' system user (PostgreSQL refuses root). Start/stop are idempotent.
set -euo pipefail
LOG_TAG=postgres
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

PG_PORT="${POSTGRES_PORT:-55432}"
PG_HOST=127.0.0.1
PG_USER="${POSTGRES_USER:-identity}"
PG_PASSWORD="${POSTGRES_PASSWORD:-identity}"
PG_OS_USER=postgres

# POSTGRES_DATA_DIR: another instance's folder (a test that stops and starts a PostgreSQL of its own, on its
# own POSTGRES_PORT, never the shared one).
PG_LINK="${POSTGRES_DATA_DIR:-$DATA_ROOT/postgres}"
# All server-facing paths go through the real folder (resolving the /var/tmp fallback symlink, below).
set_paths() {
  PG_HOME=$(readlink -f "$PG_LINK" 2>/dev/null || echo "$PG_LINK")
  PGDATA_DIR="$PG_HOME/pgdata"
  PG_RUN="$PG_HOME/run"
  PG_LOG="$PG_HOME/postgres.log"
}
set_paths

pg_bin_dir() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1; }

# Run a command as the server's OS user (or as ourselves when we are not root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$PG_OS_USER" -- "$@"); else "$@"; fi
}

ensure_os_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id "$PG_OS_USER" >/dev/null 2>&1 && return 0
  log "creating system user $PG_OS_USER"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$PG_OS_USER" \
    || ci_fail "could not create the $PG_OS_USER system user"
}

cmd_install() {
  local bin; bin=$(pg_bin_dir)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    local t0; t0=$(now_ms)
    apt_install postgresql || ci_fail "PostgreSQL server binaries are missing and 'apt-get install postgresql' failed"
    bin=$(pg_bin_dir)
    { [ -n "$bin" ] && [ -x "$bin/initdb" ]; } || ci_fail "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
    log "installed PostgreSQL in $(elapsed_since "$t0")"
  fi
  ensure_os_user
  PG_BIN="$bin"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $PG_BIN"
}

# The server user must be able to reach the data folder. A checkout under a private
# home (e.g. /root, mode 700) cannot be entered by 'postgres': then keep the files in a
# per-checkout folder under /var/tmp and make .data/postgres a symlink to it.
prepare_dirs() {
  mkdir -p "$DATA_ROOT"
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$PG_LINK" ]; then
    if ! runuser -u "$PG_OS_USER" -- test -x "$DATA_ROOT"; then
      local alt
      alt="/var/tmp/identity-postgres-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-12)"
      warn "user $PG_OS_USER cannot enter $DATA_ROOT; keeping the data in $alt (symlinked from .data/postgres)"
      mkdir -p "$alt"
      ln -sfn "$alt" "$PG_LINK"
    fi
  fi
  mkdir -p "$PG_LINK"
  set_paths
  mkdir -p "$PG_RUN"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_OS_USER:" "$PG_HOME" "$PG_RUN"
    [ -d "$PGDATA_DIR" ] && chown -R "$PG_OS_USER:" "$PGDATA_DIR"
    [ -f "$PG_LOG" ] && chown "$PG_OS_USER:" "$PG_LOG"
  fi
  chmod 700 "$PG_RUN"
  # Unix socket paths are limited to 107 bytes: fall back to a short folder under /tmp.
  local sock="$PG_RUN/.s.PGSQL.$PG_PORT"
  if [ "${#sock}" -gt 100 ]; then
    PG_RUN="/tmp/identity-pg-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-12)"
    mkdir -p "$PG_RUN"; chmod 700 "$PG_RUN"
    [ "$(id -u)" -eq 0 ] && chown "$PG_OS_USER:" "$PG_RUN"
  fi
}

write_config() {
  local conf="$PGDATA_DIR/postgresql.conf"
  grep -q "^include_if_exists = 'identity-dev.conf'" "$conf" \
    || as_pg sh -c "printf '\n# dev/test settings written by scripts/components/postgres.sh\ninclude_if_exists = '\''identity-dev.conf'\''\n' >> '$conf'"
  as_pg tee "$PGDATA_DIR/identity-dev.conf" >/dev/null <<CONF
# Written by scripts/components/postgres.sh on each start; edit the script, not this file.
# A throwaway dev/test instance: durability is traded for speed.
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${PG_RUN}'
unix_socket_permissions = 0700
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
checkpoint_timeout = 30min
max_wal_size = 1GB
password_encryption = scram-sha-256
dynamic_shared_memory_type = posix
log_min_messages = warning
log_min_error_statement = error
log_timezone = 'UTC'
timezone = 'UTC'
CONF
}

cmd_init() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
  log "initdb in .data/postgres/pgdata"
  local pwfile="$PG_RUN/.initpw"
  as_pg sh -c "umask 077; printf '%s\n' \"\$1\" > '$pwfile'" sh "$PG_PASSWORD" \
    || ci_fail "user $PG_OS_USER cannot write to $PG_RUN"
  # Bootstrap superuser = $PG_USER (password-authenticated with SCRAM over TCP);
  # the socket (mode 0700, owned by the server user) trusts local OS users.
  if ! as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 --no-instructions >"$PG_HOME/initdb.log" 2>&1; then
    rm -f "$pwfile"; tail -20 "$PG_HOME/initdb.log" >&2
    ci_fail "initdb failed (log: .data/postgres/initdb.log)"
  fi
  rm -f "$pwfile"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2; }
pg_running() { [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

# Idempotently make sure the configured role exists, is a superuser and has the configured password.
ensure_role() {
  local sql
  # psql variables are not interpolated inside DO bodies: pass them through set_config.
  sql="SELECT set_config('identity.u', :'u', false), set_config('identity.p', :'p', false);
DO \$do\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_setting('identity.u')) THEN
    EXECUTE format('CREATE ROLE %I LOGIN SUPERUSER PASSWORD %L', current_setting('identity.u'), current_setting('identity.p'));
  ELSE
    EXECUTE format('ALTER ROLE %I LOGIN SUPERUSER PASSWORD %L', current_setting('identity.u'), current_setting('identity.p'));
  END IF;
END
\$do\$;"
  # Connect through the socket as the bootstrap superuser recorded at initdb.
  local boot; boot=$(cat "$PG_HOME/bootstrap-user" 2>/dev/null || echo "$PG_USER")
  printf '%s\n' "$sql" | as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U "$boot" -d postgres \
    -v u="$PG_USER" -v p="$PG_PASSWORD" >/dev/null
}

cmd_start() {
  cmd_install
  prepare_dirs
  if pg_running; then
    wait_until 30 pg_ready || ci_fail "PostgreSQL is running but not ready on $PG_HOST:$PG_PORT"
    ensure_role || ci_fail "could not create/update role $PG_USER"
    log "already running on $PG_HOST:$PG_PORT"
    return 0
  fi
  if port_open "$PG_HOST" "$PG_PORT"; then
    ci_fail "port $PG_PORT is in use by another process (not this checkout's PostgreSQL)"
  fi
  local first=0
  [ -f "$PGDATA_DIR/PG_VERSION" ] || first=1
  cmd_init
  [ "$first" = 1 ] && as_pg sh -c "printf '%s\n' \"\$1\" > '$PG_HOME/bootstrap-user'" sh "$PG_USER"
  write_config
  local t0; t0=$(now_ms)
  log "starting PostgreSQL on $PG_HOST:$PG_PORT"
  [ -f "$PG_LOG" ] || { touch "$PG_LOG"; [ "$(id -u)" -eq 0 ] && chown "$PG_OS_USER:" "$PG_LOG"; }
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 start >/dev/null; then
    tail -20 "$PG_LOG" >&2 || true
    ci_fail "pg_ctl start failed (log: .data/postgres/postgres.log)"
  fi
  wait_until 30 pg_ready || ci_fail "PostgreSQL did not become ready (pg_isready) on $PG_HOST:$PG_PORT"
  ensure_role || ci_fail "could not create/update role $PG_USER"
  log "ready in $(elapsed_since "$t0") — $(cmd_url)"
}

cmd_stop() {
  PG_BIN=$(pg_bin_dir)
  if [ -z "$PG_BIN" ] || [ ! -f "$PGDATA_DIR/postmaster.pid" ]; then log "not running"; return 0; fi
  if pg_running; then
    log "stopping"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null
  else
    log "not running"
  fi
}

cmd_status() {
  PG_BIN=$(pg_bin_dir)
  if [ -n "$PG_BIN" ] && pg_running && pg_ready; then
    echo "postgres: running on $PG_HOST:$PG_PORT ($("$PG_BIN/postgres" --version | awk '{print $3}')), data .data/postgres"
    return 0
  fi
  echo "postgres: stopped"; return 3
}

urlencode() {
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in [a-zA-Z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}
cmd_url() { echo "postgres://$(urlencode "$PG_USER"):$(urlencode "$PG_PASSWORD")@${PG_HOST}:${PG_PORT}/postgres"; }

cmd_smoke() {
  cmd_start
  local t0 out; t0=$(now_ms)
  out=$(PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -X -w -At -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
        -F ' ' -c "SELECT 1, split_part(current_setting('server_version'), ' ', 1), current_setting('max_connections')" 2>&1) \
    || { echo "FAIL postgres: $out" >&2; exit 1; }
  # shellcheck disable=SC2086
  set -- $out
  [ "${1:-}" = 1 ] || { echo "FAIL postgres: SELECT 1 returned '$out'" >&2; exit 1; }
  echo "PASS postgres: SELECT 1 over TCP with SCRAM as $PG_USER@$PG_HOST:$PG_PORT (server $2, max_connections $3) in $(elapsed_since "$t0")"
}

cmd_reset() {
  cmd_stop
  log "removing .data/postgres"
  case "$PG_HOME" in /var/tmp/identity-postgres-*) rm -rf "$PG_HOME" ;; esac
  rm -rf "$PG_LINK"
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status)  cmd_status ;;
  smoke)   cmd_smoke ;;
  url)     cmd_url ;;
  psql)    shift; PG_BIN=$(pg_bin_dir); PGPASSWORD="$PG_PASSWORD" exec "$PG_BIN/psql" -X -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@" ;;
  reset)   cmd_reset ;;
  *) echo "usage: $0 {install|start|stop|restart|status|smoke|url|psql|reset}" >&2; exit 2 ;;
esac
