# Shared helpers for project scripts: logging, CI-aware failure, apt-get, waiting.
# Source it from a script:  . "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck shell=bash

# Repository root, computed from this file's location (works from any cwd).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_ROOT="${REPO_ROOT}/.data"
TOOLS_ROOT="${REPO_ROOT}/.tools"
export REPO_ROOT DATA_ROOT TOOLS_ROOT

# ---------------------------------------------------------------- logging
_log_tag="${LOG_TAG:-$(basename "${0:-script}" .sh)}"
_ts() { date +%H:%M:%S; }
log()  { printf '%s [%s] %s\n' "$(_ts)" "$_log_tag" "$*" >&2; }
warn() { printf '%s [%s] WARN: %s\n' "$(_ts)" "$_log_tag" "$*" >&2; }
die()  { printf '%s [%s] ERROR: %s\n' "$(_ts)" "$_log_tag" "$*" >&2; exit 1; }

is_ci() { case "${CI:-}" in true|1|yes|TRUE|True) return 0 ;; *) return 1 ;; esac; }

# A component could not be installed or started.
# Under CI: always an error (exit 1). Locally: a loud warning and exit 3
# ("unavailable"), so callers can tell "missing here" from "broken".
ci_fail() {
  if is_ci; then
    printf '%s [%s] ERROR (CI=true, component required): %s\n' "$(_ts)" "$_log_tag" "$*" >&2
    exit 1
  fi
  printf '%s [%s] UNAVAILABLE: %s (exit 3; under CI=true this is a hard failure)\n' "$(_ts)" "$_log_tag" "$*" >&2
  exit 3
}

# Seconds since epoch with fractions, and elapsed formatting.
now_ms() { date +%s%3N; }
elapsed_since() { local s=$1; local e; e=$(now_ms); awk -v d=$((e - s)) 'BEGIN{printf "%.1fs", d/1000}'; }

# ---------------------------------------------------------------- privileges
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else return 1
  fi
}

# ---------------------------------------------------------------- apt
# apt-get update at most once per run of any project script on this machine
# (a stamp younger than 6 hours counts), serialized with flock so that parallel
# scripts (or other checkouts) do not fight over the dpkg lock.
APT_LOCK="${TMPDIR:-/tmp}/identity-apt.lock"
APT_STAMP="${TMPDIR:-/tmp}/identity-apt-updated.stamp"
_apt() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}
apt_update_once() {
  if [ -f "$APT_STAMP" ] && [ -n "$(find "$APT_STAMP" -mmin -360 2>/dev/null)" ]; then return 0; fi
  log "apt-get update"
  ( flock -w 900 9 || exit 1
    if [ -f "$APT_STAMP" ] && [ -n "$(find "$APT_STAMP" -mmin -360 2>/dev/null)" ]; then exit 0; fi
    _apt update -q >&2 && touch "$APT_STAMP"
  ) 9>"$APT_LOCK"
}
# apt_install PKG... : install Debian packages (updating the index once first).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  apt_update_once || return 1
  log "apt-get install -y $*"
  ( flock -w 900 9 || exit 1
    _apt install -y -q --no-install-recommends "$@" >&2
  ) 9>"$APT_LOCK"
}

# ---------------------------------------------------------------- waiting
# port_open HOST PORT : true if a TCP connection succeeds.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# wait_for_port HOST PORT TIMEOUT_SECONDS
wait_for_port() {
  local host=$1 port=$2 timeout=${3:-30} i=0
  while ! port_open "$host" "$port"; do
    i=$((i + 1)); [ "$i" -ge $((timeout * 5)) ] && return 1
    sleep 0.2
  done
}
# wait_until TIMEOUT_SECONDS CMD... : retry CMD every 0.5 s until it succeeds.
wait_until() {
  local timeout=$1; shift
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# pid_alive PIDFILE [PATTERN] : pid file names a live process (whose command line matches PATTERN).
pid_alive() {
  local f=$1 pat=${2:-} pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -n "$pat" ]; then tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pat" || return 1; fi
}
# stop_pidfile PIDFILE NAME [TIMEOUT] : TERM, wait, then KILL; removes the pid file.
stop_pidfile() {
  local f=$1 name=$2 timeout=${3:-30} pid i=0
  [ -f "$f" ] || { log "$name is not running"; return 0; }
  pid=$(cat "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
      i=$((i + 1))
      if [ "$i" -ge $((timeout * 5)) ]; then warn "$name did not stop in ${timeout}s; killing"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; break; fi
      sleep 0.2
    done
  else
    log "$name is not running (stale pid file)"
  fi
  rm -f "$f"
}

# ---------------------------------------------------------------- node / npm
# Run npm under a machine-wide lock so concurrent installs do not clash.
npm_locked() { flock -w 900 "${TMPDIR:-/tmp}/identity-npm.lock" npm "$@"; }
