#!/usr/bin/env bash
# The full local stack on the real components: PostgreSQL, Kafka, the three services with mutual TLS, the
# static web/docs server and Envoy in front, entry point http://localhost:8080.
# Usage: scripts/stack.sh up [--fresh] | down [--all] | status | logs <auth|profile|friendship|envoy|web|all> [-f]
#   up      idempotent: starts what is not running, keeps what is; works on a fresh clone. --fresh first stops
#           the stack's processes and drops the three databases (their schema is then migrated from nothing).
#           STACK_REPLICAS=N starts every service N times (replica k listens on the base ports + 100*(k-1)).
#   down    stops Envoy, the web server and every service instance, then PostgreSQL and Kafka if `up`
#           started them (`down --all`: stop them whoever started them).
#   status  one line per part; exit 0 when everything answers, 3 when nothing runs, 1 otherwise.
# Files: .data/stack/ (<svc>-<k>.pid/.log, web.pid/.log, envoy/ with envoy.yaml, its pid and log).
set -euo pipefail
LOG_TAG=stack
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

STACK_DIR="$DATA_ROOT/stack"
CERTS_DIR="${CERTS_DIR:-$DATA_ROOT/certs}"
ENVOY_DIR="$STACK_DIR/envoy"
COMPONENTS="$REPO_ROOT/scripts/components"
SERVICES=(auth profile friendship)
declare -A BASE_RPC_PORT=([auth]=50051 [profile]=50052 [friendship]=50053)
declare -A BASE_OPS_PORT=([auth]=9101 [profile]=9102 [friendship]=9103)
REPLICA_PORT_STEP=100
MAX_REPLICAS=9
GATEWAY_PORT=8080
ENVOY_ADMIN_PORT=9901
WEB_PORT=8090
READY_TIMEOUT="${STACK_READY_TIMEOUT:-120}"
REPLICAS="${STACK_REPLICAS:-1}"
# V8's heap sized to what a service needs and one V8 helper thread: without caps each service grew past 300 MB
# RSS under load. The live set is 42-48 MB (mostly the loaded modules' source and code); an old space of 64 MB
# left so little headroom that auth spent 40 % of its CPU in mark-compacts, 96 MB (twice the live set) about
# 20 %. A young generation of 2 MB cost 17-20 % of a service's CPU in GC; 8 MB is the compromise.
# See docs/benchmarks.md.
SERVICE_NODE_FLAGS="${SERVICE_NODE_FLAGS:---max-old-space-size=96 --max-semi-space-size=8 --v8-pool-size=1}"
case "$REPLICAS" in [1-9]) ;; *) die "STACK_REPLICAS must be 1..$MAX_REPLICAS (got '$REPLICAS')" ;; esac

rpc_port() { echo $(( BASE_RPC_PORT[$1] + REPLICA_PORT_STEP * ($2 - 1) )); }
ops_port() { echo $(( BASE_OPS_PORT[$1] + REPLICA_PORT_STEP * ($2 - 1) )); }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }
answers_200() { [ "$(http_code "$1")" = 200 ]; }
# Who holds a TCP port, for messages: "pid 123 (node ...)".
port_holder() {
  local line; line=$(ss -ltnpH "sport = :$1" 2>/dev/null | head -1)
  [[ $line =~ pid=([0-9]+) ]] && echo "pid ${BASH_REMATCH[1]} ($(tr '\0' ' ' <"/proc/${BASH_REMATCH[1]}/cmdline" 2>/dev/null | cut -c1-80))" || echo "another process"
}

# adopt PIDFILE PORT PATTERN: when PIDFILE names no live process but PORT is held by a process of this checkout
# whose command line contains PATTERN (a run whose pid file was lost: an interrupted `up`, a deleted .data/stack),
# record that process in PIDFILE, so that `up` keeps it and `down` stops it, by its pid.
adopt() {
  local pidfile=$1 port=$2 pattern=$3 line pid
  pid_alive "$pidfile" && return 0
  line=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -1)
  [[ $line =~ pid=([0-9]+) ]] || return 0
  pid=${BASH_REMATCH[1]}
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern" || return 0
  # A supervised instance: the supervisor is what `down` must stop (it would start the process again).
  local parent; parent=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  if [ -n "$parent" ] && tr '\0' ' ' <"/proc/$parent/cmdline" 2>/dev/null | grep -qF -- "supervise.sh"; then pid=$parent; fi
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$REPO_ROOT" ] || return 0
  echo "$pid" >"$pidfile"
  log "adopted $(basename "$pidfile" .pid) (pid $pid, port $port): it had lost its pid file"
}

# ------------------------------------------------------------------ environment of the services
# .env.dev holds the development values that do not depend on where things run (it is shared with
# docker compose); the addresses below are this machine's. Lines are KEY=VALUE, '#' comments, optional quotes.
# As with docker compose, a variable already set in the environment wins over the file.
load_env_file() {
  local file=$1 key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    [ -n "${!key+set}" ] && continue
    [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]] && value=${BASH_REMATCH[1]}
    export "$key=$value"
  done <"$file"
}

database_url() { # database_url SVC
  local base; base=$(bash "$COMPONENTS/postgres.sh" url)
  echo "${base%/*}/identity_$1"
}

# ------------------------------------------------------------------ parts
# <svc>-<k>.pid is the instance's supervisor (scripts/lib/supervise.sh), <svc>-<k>.node.pid the node process
# it runs now (what a test kills to see the stack heal).
instance_pidfile() { echo "$STACK_DIR/$1-$2.pid"; }
instance_node_pidfile() { echo "$STACK_DIR/$1-$2.node.pid"; }
instance_log() { echo "$STACK_DIR/$1-$2.log"; }
process_live() { local state; state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null); [ -n "$state" ] && [ "$state" != Z ]; }
instance_running() { pid_alive "$(instance_pidfile "$1" "$2")" "services/$1/src/main.ts"; }

start_instance() { # start_instance SVC K
  local svc=$1 k=$2 rpc ops pidfile logfile
  rpc=$(rpc_port "$svc" "$k"); ops=$(ops_port "$svc" "$k")
  pidfile=$(instance_pidfile "$svc" "$k"); logfile=$(instance_log "$svc" "$k")
  adopt "$pidfile" "$rpc" "services/$svc/src/main.ts"
  if instance_running "$svc" "$k"; then log "$svc-$k already running (pid $(cat "$pidfile"))"; return 0; fi
  [ -f "services/$svc/src/main.ts" ] || die "services/$svc/src/main.ts does not exist: the $svc service cannot be started"
  for port in "$rpc" "$ops"; do
    port_open 127.0.0.1 "$port" && die "$svc-$k: port $port is in use by $(port_holder "$port")"
  done
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.1"
  local db_url; db_url=$(database_url "$svc")
  # Internal traffic stays off the public edge: profile and friendship fetch auth's JWKS from auth directly,
  # over mutual TLS with their own certificates, which auth accepts beside Envoy's.
  local peers=envoy.identity.internal
  [ "$svc" = auth ] && peers="envoy.identity.internal,profile.identity.internal,friendship.identity.internal"
  (
    load_env_file "$REPO_ROOT/.env.dev"
    export ENVIRONMENT=dev LOG_LEVEL="${LOG_LEVEL:-info}" RPC_PORT="$rpc" OPS_PORT="$ops" \
      DATABASE_URL="$db_url" EVENT_BUS=kafka KAFKA_BROKERS="localhost:${KAFKA_PORT:-9092}" \
      TLS_CERT_FILE="$CERTS_DIR/$svc.crt" TLS_KEY_FILE="$CERTS_DIR/$svc.key" TLS_CA_FILE="$CERTS_DIR/ca.crt" \
      TLS_ALLOWED_PEER_SANS="$peers" \
      JWKS_URL="https://127.0.0.1:${BASE_RPC_PORT[auth]}/.well-known/jwks.json" JWKS_TLS_SERVERNAME=auth.identity.internal
    kafka_client_env "$svc"
    # shellcheck disable=SC2086 # the flags are words
    exec setsid nohup bash scripts/lib/supervise.sh "$svc-$k" "$(instance_node_pidfile "$svc" "$k")" -- \
      node $SERVICE_NODE_FLAGS "services/$svc/src/main.ts" >"$logfile" 2>&1 </dev/null 9>&-
  ) &
  echo $! >"$pidfile"
  log "started $svc-$k (supervisor pid $!, restarts it when it dies): rpc $rpc (mTLS), ops $ops"
}

# Kafka as the services use it in production: SASL_SSL, each with its own principal, whose ACLs let it write
# only its own topics (scripts/components/kafka.sh). A broker without that listener (started before it
# existed) is used in plaintext, and said so; CI starts a fresh one.
kafka_client_env() { # kafka_client_env SVC (exports into the instance's subshell)
  local sasl_port="${KAFKA_SASL_PORT:-$(( ${KAFKA_PORT:-9092} + 2 ))}"
  local ca="${KAFKA_HOME_DIR:-$DATA_ROOT/kafka}/tls/ca.crt"
  if port_open 127.0.0.1 "$sasl_port" && [ -f "$ca" ]; then
    export KAFKA_BROKERS="localhost:$sasl_port" KAFKA_SSL_CA_FILE="$ca" KAFKA_SASL_MECHANISM=scram-sha-512 \
      KAFKA_SASL_USERNAME="$1" KAFKA_SASL_PASSWORD="$(bash "$COMPONENTS/kafka.sh" scram-password "$1")"
  else
    [ "${CI:-}" = true ] && die "Kafka has no SASL_SSL listener on port $sasl_port"
    log "$1: Kafka in plaintext (no SASL_SSL listener on port $sasl_port)" >&2
  fi
}

wait_instance_ready() { # wait_instance_ready SVC K
  local svc=$1 k=$2 ops deadline
  ops=$(ops_port "$svc" "$k"); deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until answers_200 "http://127.0.0.1:$ops/readyz"; do
    # The pid alone (until the launcher has exec'd node, its command line is still this script's), and not a
    # zombie: a child of this script that exited stays one until the script ends.
    if ! process_live "$(cat "$(instance_pidfile "$svc" "$k")")"; then
      tail -n 30 "$(instance_log "$svc" "$k")" >&2 2>/dev/null || true
      die "$svc-$k exited before it was ready (log: .data/stack/$svc-$k.log)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$(instance_log "$svc" "$k")" >&2 2>/dev/null || true
      die "$svc-$k was not ready on http://127.0.0.1:$ops/readyz within ${READY_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

stop_instance() { stop_pidfile "$(instance_pidfile "$1" "$2")" "$1-$2" 20; }

# Every instance that has a pid file, as "svc k" lines.
known_instances() {
  local f base
  for f in "$STACK_DIR"/*-[0-9].pid; do
    [ -e "$f" ] || continue
    base=$(basename "$f" .pid)
    echo "${base%-*} ${base##*-}"
  done
}

# Drops the services' databases (after their instances have stopped): the next start migrates from nothing.
drop_databases() {
  local svc
  for svc in "${SERVICES[@]}"; do
    bash "$COMPONENTS/postgres.sh" psql -qc "drop database if exists identity_$svc with (force)" >/dev/null \
      || die "could not drop database identity_$svc"
  done
  log "dropped databases ${SERVICES[*]/#/identity_}"
}

create_databases() {
  local svc db exists
  for svc in "${SERVICES[@]}"; do
    db="identity_$svc"
    exists=$(bash "$COMPONENTS/postgres.sh" psql -tAc "select 1 from pg_database where datname = '$db'")
    if [ "$exists" != 1 ]; then
      # Another process may create it at the same moment: only a database that still does not exist is an error.
      bash "$COMPONENTS/postgres.sh" psql -qc "create database $db" >/dev/null 2>&1 \
        || [ "$(bash "$COMPONENTS/postgres.sh" psql -tAc "select 1 from pg_database where datname = '$db'")" = 1 ] \
        || die "could not create database $db"
      log "created database $db"
    fi
  done
}

# The app's build (web/dist), made again when a source is newer than it: about a second with Vite.
ensure_web_built() {
  local index=web/dist/index.html
  if [ -f "$index" ] && [ -z "$(find web/src web/index.html web/vite.config.ts -newer "$index" -print -quit 2>/dev/null)" ]; then return 0; fi
  log "building the web app (web/dist)"
  (cd web && ../node_modules/.bin/vite build --logLevel warn) >&2 || die "the web app did not build (cd web && npx vite build)"
}

web_running() { pid_alive "$STACK_DIR/web.pid" "static-server-main.ts"; }
start_web() {
  local main=gateway/src/docs/static-server-main.ts
  adopt "$STACK_DIR/web.pid" "$WEB_PORT" "static-server-main.ts"
  if web_running; then log "web server already running (pid $(cat "$STACK_DIR/web.pid"))"; return 0; fi
  [ -f "$main" ] || die "$main does not exist: the static web/docs server cannot be started"
  port_open 127.0.0.1 "$WEB_PORT" && die "web: port $WEB_PORT is in use by $(port_holder "$WEB_PORT")"
  (
    export ENVIRONMENT=dev GATEWAY_WEB="127.0.0.1:$WEB_PORT" WEB_DIST="$REPO_ROOT/web/dist"
    exec setsid nohup node "$main" >"$STACK_DIR/web.log" 2>&1 </dev/null 9>&-
  ) &
  echo $! >"$STACK_DIR/web.pid"
  log "started web server (pid $!) on 127.0.0.1:$WEB_PORT"
}
wait_web_ready() {
  wait_until 30 port_open 127.0.0.1 "$WEB_PORT" || {
    tail -n 20 "$STACK_DIR/web.log" >&2 || true
    die "web server did not listen on 127.0.0.1:$WEB_PORT within 30s (log: .data/stack/web.log)"
  }
}

# The endpoints of one service for the Envoy renderer: every replica, explicitly.
endpoints_of() {
  local svc=$1 k list=""
  for ((k = 1; k <= REPLICAS; k++)); do list+="${list:+,}127.0.0.1:$(rpc_port "$svc" "$k")"; done
  echo "$list"
}

# 9>&-: daemons must not inherit the lock of `up` (see lock()), or they would hold it for as long as they run.
envoy() { ENVOY_DATA_DIR="$ENVOY_DIR" ENVOY_ADMIN_PORT="$ENVOY_ADMIN_PORT" bash "$COMPONENTS/envoy.sh" "$@" 9>&-; }
envoy_running() { pid_alive "$ENVOY_DIR/envoy.pid" envoy; }

# Renders envoy.yaml for this stack; (re)starts Envoy only when the configuration changed or it is down.
start_envoy() {
  mkdir -p "$ENVOY_DIR"
  local cfg="$ENVOY_DIR/envoy.yaml" next="$ENVOY_DIR/envoy.yaml.next"
  ENVIRONMENT=dev CERTS_DIR="$CERTS_DIR" ENVOY_TRANSCODER_DESCRIPTOR="$ENVOY_DIR/transcoder.binpb" \
    GATEWAY_LISTEN="0.0.0.0:$GATEWAY_PORT" ENVOY_ADMIN="127.0.0.1:$ENVOY_ADMIN_PORT" GATEWAY_WEB="127.0.0.1:$WEB_PORT" \
    GATEWAY_AUTH_ENDPOINTS="$(endpoints_of auth)" GATEWAY_PROFILE_ENDPOINTS="$(endpoints_of profile)" \
    GATEWAY_FRIENDSHIP_ENDPOINTS="$(endpoints_of friendship)" \
    node gateway/src/envoy/main.ts --out "$next" >/dev/null || die "could not render envoy.yaml (gateway/src/envoy/main.ts)"
  adopt "$ENVOY_DIR/envoy.pid" "$ENVOY_ADMIN_PORT" "$ENVOY_DIR/envoy.yaml"
  if envoy_running && cmp -s "$next" "$cfg"; then
    rm -f "$next"; log "Envoy already running with this configuration"; return 0
  fi
  envoy_running && { log "configuration changed: restarting Envoy (2 s graceful drain)"; ENVOY_DRAIN_SECONDS=2 envoy stop; }
  mv -f "$next" "$cfg"
  port_open 127.0.0.1 "$GATEWAY_PORT" && die "gateway port $GATEWAY_PORT is in use by $(port_holder "$GATEWAY_PORT")"
  envoy start "$cfg"
}

wait_gateway() {
  local base="http://localhost:$GATEWAY_PORT"
  wait_until 30 answers_200 "$base/healthz" || die "the gateway did not answer $base/healthz within 30s (log: .data/stack/envoy/envoy.log)"
  # /readyz: Envoy has seen every service's gRPC health check pass (at least one healthy replica each).
  wait_until 30 answers_200 "$base/readyz" || die "the gateway's $base/readyz did not turn 200 within 30s: a service fails Envoy's mTLS health check"
}

# ------------------------------------------------------------------ commands
cmd_up() {
  local fresh=false; [ "${1:-}" = "--fresh" ] && fresh=true
  local t0; t0=$(now_ms)
  mkdir -p "$STACK_DIR"
  command -v curl >/dev/null 2>&1 || apt_install curl || die "curl is required"
  command -v ss >/dev/null 2>&1 || apt_install iproute2 || true
  # Remember which components this stack started, so that `down` leaves alone those someone else runs.
  local c
  for c in postgres kafka; do
    if ! bash "$COMPONENTS/$c.sh" status >/dev/null 2>&1; then touch "$STACK_DIR/started-$c"; fi
  done
  # npm dependencies first (the Kafka readiness check loads kafkajs from them), then the components and the
  # certificates in parallel.
  bash scripts/ensure-deps.sh || die "npm dependencies could not be installed (scripts/ensure-deps.sh)"
  bash "$COMPONENTS/up.sh" 9>&- & local comps=$!
  bash gateway/certs/make-certs.sh >/dev/null & local certs=$!
  wait "$certs" || die "certificates could not be made (gateway/certs/make-certs.sh)"
  local rc=0; wait "$comps" || rc=$?
  [ "$rc" -eq 0 ] || { log "PostgreSQL/Kafka could not be started (scripts/components/up.sh exit $rc)"; exit "$rc"; }
  # shellcheck source=lib/node.sh
  source scripts/lib/node.sh
  if $fresh; then
    stop_stack_processes
    drop_databases
  fi
  create_databases

  # Surplus replicas of a previous `up` with more of them go first, in parallel.
  local svc k surplus=()
  while read -r svc k; do
    if [ -n "$svc" ] && [ "$k" -gt "$REPLICAS" ]; then stop_instance "$svc" "$k" & surplus+=($!); fi
  done < <(known_instances)
  for k in "${surplus[@]}"; do wait "$k" || true; done
  # The first replica of each service migrates its database; the others start once it is ready, so that two
  # processes never apply the same migration at once.
  for svc in "${SERVICES[@]}"; do start_instance "$svc" 1; done
  for svc in "${SERVICES[@]}"; do wait_instance_ready "$svc" 1; done
  for ((k = 2; k <= REPLICAS; k++)); do for svc in "${SERVICES[@]}"; do start_instance "$svc" "$k"; done; done
  for ((k = 2; k <= REPLICAS; k++)); do for svc in "${SERVICES[@]}"; do wait_instance_ready "$svc" "$k"; done; done
  log "services ready: ${SERVICES[*]} x $REPLICAS"
  start_envoy
  ensure_web_built
  start_web
  wait_web_ready
  wait_gateway
  log "stack up in $(elapsed_since "$t0"): http://localhost:$GATEWAY_PORT (Envoy admin 127.0.0.1:$ENVOY_ADMIN_PORT), $REPLICAS replica(s) per service"
}

# Envoy first, so that no request reaches a service that is stopping; then the rest in parallel.
stop_stack_processes() {
  local svc k
  mkdir -p "$ENVOY_DIR"
  adopt "$ENVOY_DIR/envoy.pid" "$ENVOY_ADMIN_PORT" "$ENVOY_DIR/envoy.yaml"
  adopt "$STACK_DIR/web.pid" "$WEB_PORT" "static-server-main.ts"
  for svc in "${SERVICES[@]}"; do
    for ((k = 1; k <= MAX_REPLICAS; k++)); do adopt "$(instance_pidfile "$svc" "$k")" "$(rpc_port "$svc" "$k")" "services/$svc/src/main.ts"; done
  done
  envoy stop >/dev/null 2>&1 || warn "Envoy did not stop cleanly"
  local pids=() p
  stop_pidfile "$STACK_DIR/web.pid" "web server" 10 & pids+=($!)
  while read -r svc k; do
    [ -n "$svc" ] || continue
    stop_instance "$svc" "$k" & pids+=($!)
  done < <(known_instances)
  for p in "${pids[@]}"; do wait "$p" || true; done
}

cmd_down() {
  local all=false; [ "${1:-}" = "--all" ] && all=true
  local t0; t0=$(now_ms)
  mkdir -p "$STACK_DIR"
  stop_stack_processes
  for c in kafka postgres; do
    if $all || [ -f "$STACK_DIR/started-$c" ]; then
      bash "$COMPONENTS/$c.sh" stop || warn "$c did not stop cleanly"
    else
      log "$c left running (it was running before the stack started; 'down --all' stops it)"
    fi
    rm -f "$STACK_DIR/started-$c"
  done
  log "stack down in $(elapsed_since "$t0")"
}

cmd_status() {
  local up=0 down=0 svc k line
  part() { # part NAME OK(0|1) TEXT
    if [ "$2" = 0 ]; then up=$((up + 1)); printf '%-14s up    %s\n' "$1" "$3"; else down=$((down + 1)); printf '%-14s DOWN  %s\n' "$1" "$3"; fi
  }
  for c in postgres kafka; do
    line=$(bash "$COMPONENTS/$c.sh" status 2>&1) && part "$c" 0 "$line" || part "$c" 1 "$line"
  done
  local instances; instances=$( { known_instances; for svc in "${SERVICES[@]}"; do echo "$svc 1"; done; } | sort -u -k1,1 -k2,2n)
  while read -r svc k; do
    local ops; ops=$(ops_port "$svc" "$k")
    if instance_running "$svc" "$k"; then
      local code; code=$(http_code "http://127.0.0.1:$ops/readyz")
      [ "$code" = 200 ] && part "$svc-$k" 0 "pid $(cat "$(instance_pidfile "$svc" "$k")"), rpc $(rpc_port "$svc" "$k"), ops $ops ready" \
        || part "$svc-$k" 1 "pid $(cat "$(instance_pidfile "$svc" "$k")") running, /readyz answered ${code:-nothing}"
    else
      part "$svc-$k" 1 "not running"
    fi
  done <<<"$instances"
  web_running && part web 0 "pid $(cat "$STACK_DIR/web.pid"), 127.0.0.1:$WEB_PORT" || part web 1 "not running"
  if envoy_running; then
    local ready; ready=$(http_code "http://localhost:$GATEWAY_PORT/readyz")
    [ "$ready" = 200 ] && part envoy 0 "pid $(cat "$ENVOY_DIR/envoy.pid"), http://localhost:$GATEWAY_PORT ready, admin 127.0.0.1:$ENVOY_ADMIN_PORT" \
      || part envoy 1 "pid $(cat "$ENVOY_DIR/envoy.pid") running, /readyz answered ${ready:-nothing}"
  else
    part envoy 1 "not running"
  fi
  [ "$down" -eq 0 ] && return 0
  [ "$up" -eq 0 ] && return 3
  return 1
}

cmd_logs() {
  local what=${1:-all} follow=false files=()
  [ "${2:-}" = "-f" ] && follow=true
  case "$what" in
    auth | profile | friendship) files=("$STACK_DIR/$what"-[0-9].log) ;;
    envoy) files=("$ENVOY_DIR/envoy.log") ;;
    web) files=("$STACK_DIR/web.log") ;;
    all) files=("$STACK_DIR"/*-[0-9].log "$STACK_DIR/web.log" "$ENVOY_DIR/envoy.log") ;;
    *) die "usage: stack.sh logs <auth|profile|friendship|envoy|web|all> [-f]" ;;
  esac
  local existing=() f
  for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
  [ ${#existing[@]} -gt 0 ] || die "no logs for '$what' in .data/stack (has the stack been started?)"
  if $follow; then exec tail -n 50 -F "${existing[@]}"; fi
  tail -n 200 "${existing[@]}"
}

# One `up` or `down` at a time per checkout (tests and people may call them at once); status and logs read only.
lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  flock -n 9 && return 0
  log "another stack.sh up/down is running in this checkout: waiting for it"
  flock -w 900 9 || die "waited 15 minutes for the other stack.sh up/down"
}

case "${1:-}" in
  up) shift; lock; cmd_up "$@" ;;
  down) shift; lock; cmd_down "$@" ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) echo "usage: $0 up [--fresh] | down [--all] | status | logs <auth|profile|friendship|envoy|web|all> [-f]" >&2; exit 2 ;;
esac
