#!/usr/bin/env bash
# A small process supervisor for the local stack, so that it heals like an orchestrator would: runs a command,
# and when it exits (crash, kill -9, or a SIGTERM that was not for the supervisor: a rolling restart) starts
# it again after a back-off (1 s, doubling to 30 s while it keeps dying within 10 s of its start), with a JSON
# log line on stdout (the instance's log). SIGTERM/SIGINT to the supervisor stop the command (same signal, then
# SIGKILL after STOP_TIMEOUT seconds) and the supervisor.
# A first run that exits with an error of its own (not a signal) within FIRST_RUN_GRACE seconds is not restarted: the supervisor exits with its code,
# so that `stack.sh up` reports a service that cannot start instead of restarting it forever.
# Usage: supervise.sh NAME CHILD_PIDFILE -- COMMAND [ARGS...]
set -uo pipefail
name=${1:?usage: supervise.sh NAME CHILD_PIDFILE -- COMMAND...}
child_pidfile=${2:?usage: supervise.sh NAME CHILD_PIDFILE -- COMMAND...}
shift 2
[ "${1:-}" = "--" ] && shift
STOP_TIMEOUT=${STOP_TIMEOUT:-18}
FIRST_RUN_GRACE=${FIRST_RUN_GRACE:-20}
MAX_BACKOFF=30

say() { # say LEVEL MESSAGE: one JSON line, like the services' own logs (pino levels: 30 info, 40 warn, 50 error)
  printf '{"level":%s,"time":%s,"service":"supervisor","instance":"%s","msg":"%s"}\n' "$1" "$(date +%s%3N)" "$name" "$2"
}

child=0
watchdog=0
stopping=false
stop() {
  stopping=true
  [ "$child" -gt 0 ] || return 0
  kill -TERM "$child" 2>/dev/null || return 0
  # The child drains; cut it if it takes longer than the stop timeout.
  ( sleep "$STOP_TIMEOUT"; kill -KILL "$child" 2>/dev/null ) &
  watchdog=$!
}
trap stop TERM INT

backoff=1
runs=0
while :; do
  started=$(date +%s)
  "$@" &
  child=$!
  echo "$child" >"$child_pidfile"
  runs=$((runs + 1))
  # wait returns early when a trapped signal arrives: wait again until the child has really exited.
  rc=0
  wait "$child" || rc=$?
  while kill -0 "$child" 2>/dev/null; do rc=0; wait "$child" || rc=$?; done
  $stopping && break
  ran=$(( $(date +%s) - started ))
  if [ "$runs" -eq 1 ] && [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ "$ran" -lt "$FIRST_RUN_GRACE" ]; then
    say 50 "$name exited with code $rc ${ran}s after its first start: not restarting"
    rm -f "$child_pidfile"
    exit "$rc"
  fi
  [ "$ran" -ge 10 ] && backoff=1
  say 40 "$name (pid $child) exited with code $rc after ${ran}s; restarting in ${backoff}s (restart $runs)"
  sleep "$backoff" &
  wait $! || true
  $stopping && break
  backoff=$(( backoff * 2 > MAX_BACKOFF ? MAX_BACKOFF : backoff * 2 ))
done
[ "$watchdog" -gt 0 ] && kill "$watchdog" 2>/dev/null
rm -f "$child_pidfile"
say 30 "$name stopped"
exit 0
