#!/usr/bin/env bash
# Install if missing and start PostgreSQL and Kafka (in parallel); idempotent.
# Envoy is started by whoever owns its config (scripts/components/envoy.sh start <config>).
# Exit status: 0 when both are up; otherwise the worst component status (1 = failed, 3 = unavailable locally).
set -euo pipefail
LOG_TAG=up
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
DIR="$REPO_ROOT/scripts/components"

t0=$(now_ms)
# The broker gets its SASL_SSL listener (one principal per service, ACLs) two ports above the plaintext one.
export KAFKA_SASL_PORT="${KAFKA_SASL_PORT-$(( ${KAFKA_PORT:-9092} + 2 ))}"
pids=() names=()
for c in postgres kafka; do
  ( set -o pipefail; bash "$DIR/$c.sh" start 2>&1 | sed -u "s/^/[$c] /" ) &
  pids+=($!); names+=("$c")
done
rc=0 failed=()
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then :; else
    s=$?; failed+=("${names[$i]}"); [ "$s" -gt "$rc" ] && rc=$s
  fi
done
if [ "$rc" -ne 0 ]; then
  log "FAILED to start: ${failed[*]} (exit $rc)"
  exit "$rc"
fi
# The principals and ACLs, once per broker; a broker started before the SASL_SSL listener existed has none.
if port_open 127.0.0.1 "$KAFKA_SASL_PORT"; then
  bash "$DIR/kafka.sh" secure || { log "FAILED to create Kafka's principals and ACLs"; exit 1; }
else
  log "kafka: no SASL_SSL listener on port $KAFKA_SASL_PORT (started before it existed; restart it to get one)"
fi
log "up in $(elapsed_since "$t0"): postgres $(bash "$DIR/postgres.sh" url), kafka localhost:${KAFKA_PORT:-9092}"
