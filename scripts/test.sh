#!/usr/bin/env bash
# npm test: every suite, starting what it needs, on a fresh clone or a warm checkout.
#   static -> components -> unit -> integration -> contract (embedded gateway) -> web components ->
#   stack (Envoy, mTLS, Kafka; two replicas of each service) -> contract (Envoy) -> stack tests -> browser.
# Under CI=true a component that cannot be installed or started fails the run; nothing skips quietly.
# Extra arguments go to every jest run (e.g. `npm test -- -t login`).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh || exit 1

results="$root/.data/test-results"
rm -rf "$results" && mkdir -p "$results"
failed_stages=()
started=$SECONDS

stage() { printf '\n=== %s (%ds)\n' "$1" $((SECONDS - started)); }
record() { # record NAME EXIT-CODE
  if [ "$2" -ne 0 ]; then failed_stages+=("$1"); echo "--- $1: FAILED"; else echo "--- $1: ok"; fi
}
run_jest() { # run_jest NAME [jest args...]
  local name="$1"; shift
  # kafkajs on Node 24 warns about negative timeouts it sets itself; nothing to act on.
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning" \
    node_modules/.bin/jest --ci --json --outputFile="$results/$name.jest.json" "$@" "${extra_args[@]}"
  record "$name" $?
}
extra_args=("$@")

stage "static checks"
bash scripts/check-generated.sh; record "generated" $?
bash scripts/lint.sh; record "lint" $?

stage "real components"
bash scripts/components/up.sh || { echo "PostgreSQL/Kafka could not be started"; exit 1; }
bash scripts/components/envoy.sh install >/dev/null || { echo "Envoy could not be installed"; exit 1; }
bash scripts/components/chromium.sh install >/dev/null || { echo "Chromium could not be installed"; exit 1; }
bash scripts/components/kcat.sh install >/dev/null || { echo "kcat could not be installed"; exit 1; }
# The original DRF service's Django and PostgreSQL: the import:drf tests make their source databases there.
bash scripts/components/drf-original.sh install >/dev/null || { echo "the original DRF service could not be installed"; exit 1; }
bash scripts/components/smoke.sh; record "smoke" $?

stage "unit"
run_jest unit --selectProjects unit
stage "integration (PostgreSQL, Kafka, Envoy binary, the original DRF service's database)"
run_jest integration --selectProjects integration
stage "contract (embedded gateway)"
run_jest contract-embedded --selectProjects contract
stage "web components"
(cd web && ../node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile="$results/web.vitest.json"); record "web" $?

stage "stack: Envoy, mutual TLS, Kafka, ${STACK_REPLICAS:=2} replicas per service"
export STACK_REPLICAS
if bash scripts/stack.sh up --fresh; then
  GATEWAY_URL=http://localhost:8080 run_jest contract-envoy --selectProjects contract
  run_jest stack --selectProjects stack
  stage "browser (Chromium through Envoy)"
  bash web/e2e/run.sh "$results"; record "browser" $?
else
  record "stack" 1
  bash scripts/stack.sh logs all 2>/dev/null | tail -n 80
fi
bash scripts/stack.sh down >/dev/null 2>&1
bash scripts/components/drf-original.sh stop >/dev/null 2>&1

stage "summary"
node scripts/test-summary.mjs "$results"
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  exit 1
fi
echo "all stages passed in $((SECONDS - started))s"
