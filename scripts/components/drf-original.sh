#!/usr/bin/env bash
# The original Django REST Framework + SimpleJWT service (the reference system in ../shared/drf-seed/, never
# part of the product) with its own PostgreSQL: the source of `npm run import:drf`'s tests and benchmark, and
# the peer of the side-by-side benchmarks. The seed folder is read-only, so it is copied into the state folder.
# Usage: scripts/components/drf-original.sh {install|start|start-db|stop|status|smoke|url [DB]|http-url|
#                                           migrate DB|python [ARGS...]|psql [ARGS...]}
#   install   Debian's python3-django, DRF, SimpleJWT, gunicorn, and argon2/bcrypt for Django's other hashers
#   start     its PostgreSQL and gunicorn (idempotent); start-db: the database only
#   url [DB]  postgres URL of database DB (default: drf, the one gunicorn serves)
#   migrate DB   creates database DB when missing and applies Django's migrations to it
#   python ...   /usr/bin/python3 with Django set up on DRF_DB (default drf), in the app's folder
# Overrides: DRF_PG_PORT (18501), DRF_HTTP_PORT (18502), DRF_WORKERS (2), DRF_STATE (.data/drf-original/<port>),
#            DRF_SEED_DIR (the nearest shared/drf-seed above the checkout), DRF_DB (drf).
set -euo pipefail
LOG_TAG=drf-original
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DRF_PG_PORT="${DRF_PG_PORT:-18501}"
DRF_HTTP_PORT="${DRF_HTTP_PORT:-18502}"
DRF_WORKERS="${DRF_WORKERS:-2}"
DRF_DB="${DRF_DB:-drf}"
# One state folder per port: two instances (tests, benchmarks) never share files by accident.
DRF_STATE="${DRF_STATE:-$DATA_ROOT/drf-original/$DRF_PG_PORT}"
PYTHON=/usr/bin/python3
PG_OS_USER=postgres
PACKAGES=(python3-django python3-djangorestframework python3-djangorestframework-simplejwt python3-psycopg2 gunicorn python3-argon2 python3-bcrypt)

pg_bin_dir() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$PG_OS_USER" -- "$@"); else "$@"; fi; }

seed_dir() {
  if [ -n "${DRF_SEED_DIR:-}" ]; then echo "$DRF_SEED_DIR"; return; fi
  local dir=$REPO_ROOT
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    [ -f "$dir/shared/drf-seed/settings.py" ] && { echo "$dir/shared/drf-seed"; return; }
  done
  ci_fail "no shared/drf-seed folder above the checkout (set DRF_SEED_DIR)"
}

cmd_install() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ -n "$(pg_bin_dir)" ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}" || ci_fail "could not install ${missing[*]}"
  fi
  PG_BIN=$(pg_bin_dir)
  [ -x "$PG_BIN/initdb" ] || ci_fail "no PostgreSQL server binaries"
  id "$PG_OS_USER" >/dev/null 2>&1 || ci_fail "no $PG_OS_USER system user (install PostgreSQL first)"
}

# The app: a copy of the seed, renewed when the seed changed (a copy in use is never pulled away otherwise).
copy_app() {
  local seed; seed=$(seed_dir)
  [ -d "$DRF_STATE/app" ] && diff -rq -x __pycache__ "$seed" "$DRF_STATE/app" >/dev/null 2>&1 && return 0
  rm -rf "$DRF_STATE/app.new"
  mkdir -p "$DRF_STATE/app.new"
  cp -R "$seed/." "$DRF_STATE/app.new/"
  rm -rf "$DRF_STATE/app"
  mv "$DRF_STATE/app.new" "$DRF_STATE/app"
}

# Test suites start it in parallel: one start, migration or stop at a time per state folder. The servers
# started under the lock must not inherit it (9>&-).
serialise() { mkdir -p "$DRF_STATE"; exec 9>"$DRF_STATE/.lock"; flock -w 600 9 || die "another drf-original.sh holds $DRF_STATE/.lock"; }

pg_running() { [ -f "$DRF_STATE/pg/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DRF_STATE/pg" status >/dev/null 2>&1; }

cmd_start_db() {
  cmd_install
  mkdir -p "$DRF_STATE/run"
  [ "$(id -u)" -eq 0 ] && chown "$PG_OS_USER:" "$DRF_STATE" "$DRF_STATE/run"
  as_pg test -x "$DRF_STATE" || ci_fail "user $PG_OS_USER cannot enter $DRF_STATE (set DRF_STATE)"
  if [ ! -f "$DRF_STATE/pg/PG_VERSION" ]; then
    log "initdb in $DRF_STATE/pg"
    # A throwaway reference database on loopback: trust, as drf-seed's run.sh does.
    as_pg "$PG_BIN/initdb" -D "$DRF_STATE/pg" -U postgres -A trust -E UTF8 --no-locale >"$DRF_STATE/initdb.log" 2>&1 \
      || ci_fail "initdb failed (see $DRF_STATE/initdb.log)"
  fi
  if ! pg_running; then
    port_open 127.0.0.1 "$DRF_PG_PORT" && ci_fail "port $DRF_PG_PORT is in use (set DRF_PG_PORT)"
    as_pg "$PG_BIN/pg_ctl" -D "$DRF_STATE/pg" -l "$DRF_STATE/pg/postgres.log" -w -t 60 start \
      -o "-p $DRF_PG_PORT -k $DRF_STATE/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null 9>&- || ci_fail "PostgreSQL of the original service did not start (log: $DRF_STATE/pg/postgres.log)"
    log "PostgreSQL on 127.0.0.1:$DRF_PG_PORT"
  fi
  copy_app
  cmd_migrate "$DRF_DB"
}

psql_() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DRF_PG_PORT" -U postgres "$@"; }

cmd_migrate() {
  local db=$1
  [[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || die "database names are lowercase letters, digits and _ (got '$db')"
  PG_BIN=${PG_BIN:-$(pg_bin_dir)}
  [ "$(psql_ -d postgres -Atc "select 1 from pg_database where datname = '$db'")" = 1 ] || psql_ -d postgres -c "create database $db"
  (cd "$DRF_STATE/app" && POSTGRES_DB=$db django_env "$PYTHON" -m django migrate -v 0) || die "Django's migrations failed on $db"
}

django_env() {
  env DJANGO_SETTINGS_MODULE=settings POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$DRF_PG_PORT" POSTGRES_USER=postgres \
    POSTGRES_DB="${POSTGRES_DB:-$DRF_DB}" "$@"
}

cmd_start() {
  cmd_start_db
  if pid_alive "$DRF_STATE/gunicorn.pid"; then log "already serving on http://127.0.0.1:$DRF_HTTP_PORT"; return 0; fi
  port_open 127.0.0.1 "$DRF_HTTP_PORT" && ci_fail "port $DRF_HTTP_PORT is in use (set DRF_HTTP_PORT)"
  (cd "$DRF_STATE/app" && django_env gunicorn -w "$DRF_WORKERS" -b "127.0.0.1:$DRF_HTTP_PORT" -D -p "$DRF_STATE/gunicorn.pid" \
    --error-logfile "$DRF_STATE/gunicorn.log" --chdir "$DRF_STATE/app" wsgi 9>&-) || ci_fail "gunicorn did not start"
  wait_for_port 127.0.0.1 "$DRF_HTTP_PORT" 30 || ci_fail "the original service does not answer on $DRF_HTTP_PORT"
  log "original DRF service on http://127.0.0.1:$DRF_HTTP_PORT ($DRF_WORKERS workers)"
}

cmd_stop() {
  stop_pidfile "$DRF_STATE/gunicorn.pid" gunicorn
  PG_BIN=$(pg_bin_dir)
  if [ -n "$PG_BIN" ] && pg_running; then
    log "stopping PostgreSQL on $DRF_PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$DRF_STATE/pg" -m fast -w -t 60 stop >/dev/null
  fi
}

cmd_status() {
  PG_BIN=$(pg_bin_dir)
  local db=stopped app=stopped
  [ -n "$PG_BIN" ] && pg_running && db="running on 127.0.0.1:$DRF_PG_PORT"
  pid_alive "$DRF_STATE/gunicorn.pid" && app="http://127.0.0.1:$DRF_HTTP_PORT"
  echo "drf-original: database $db, service $app"
  [ "$db" != stopped ]
}

cmd_smoke() {
  cmd_start
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$DRF_HTTP_PORT/api/auth/login/" \
    -H 'content-type: application/json' -d '{}')
  [ "$code" = 400 ] || { echo "FAIL drf-original: empty login answered $code, not 400" >&2; exit 1; }
  echo "PASS drf-original: the original service answers on $DRF_HTTP_PORT, database on $DRF_PG_PORT"
}

PG_BIN=$(pg_bin_dir)
case "${1:-}" in
  install)  cmd_install ;;
  start)    serialise; cmd_start ;;
  start-db) serialise; cmd_start_db ;;
  stop)     serialise; cmd_stop ;;
  status)   cmd_status ;;
  smoke)    serialise; cmd_smoke ;;
  url)      echo "postgres://postgres@127.0.0.1:$DRF_PG_PORT/${2:-$DRF_DB}" ;;
  http-url) echo "http://127.0.0.1:$DRF_HTTP_PORT" ;;
  migrate)  [ -n "${2:-}" ] || die "usage: $0 migrate DB"; serialise; cmd_migrate "$2" ;;
  python)   shift; PYTHONPATH="$DRF_STATE/app${PYTHONPATH:+:$PYTHONPATH}" django_env "$PYTHON" "$@" ;;
  psql)     shift; psql_ -d "$DRF_DB" "$@" ;;
  *) echo "usage: $0 {install|start|start-db|stop|status|smoke|url [DB]|http-url|migrate DB|python ...|psql ...}" >&2; exit 2 ;;
esac
