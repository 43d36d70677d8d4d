#!/usr/bin/env bash
# npm run bench:vs-drf: the platform against the original DRF service, side by side in one run (bench/vs-drf/).
# Installs wrk and the original's Debian packages, starts the original from a copy of its sources
# (scripts/components/drf-original.sh) and the stack on fresh databases (scripts/stack.sh up --fresh, rate limits
# raised out of reach),
# runs bench/vs-drf/run.ts, then stops both. It binds the stack's ports (8080, 50051-50053, ...): run it
# when nothing else uses them. Exit 1 when a goal is missed.
# Knobs: BENCH_SECONDS=10 (per side, flow and round), BENCH_ROUNDS=3, BENCH_STACK_REPLICAS=2, DRF_WORKERS=2,
# BENCH_EMBEDDED=1 (0: skip `npm start`'s memory), BENCH_CONNECTIONS=16, BENCH_LOGIN_CONNECTIONS=8.
set -euo pipefail
LOG_TAG=bench-vs-drf
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh

command -v wrk >/dev/null 2>&1 || apt_install wrk || ci_fail "wrk is missing and 'apt-get install wrk' failed"
DRF=scripts/components/drf-original.sh
# The original on ports (and so a state folder) of its own, beside the stack's and other instances'.
export DRF_WORKERS="${DRF_WORKERS:-2}" DRF_PG_PORT="${DRF_PG_PORT:-18601}" DRF_HTTP_PORT="${DRF_HTTP_PORT:-18602}"
bash "$DRF" install

cleanup() {
  bash scripts/stack.sh down >/dev/null 2>&1 || true
  bash "$DRF" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

bash "$DRF" start
bash scripts/stack.sh down >/dev/null
RATE_LIMIT_DEFAULT_REQUESTS=10000000 RATE_LIMIT_AUTH_REQUESTS=10000000 REGISTRATIONS_PER_CLIENT_LIMIT=1000000 \
  OTP_SENDS_PER_CLIENT_LIMIT=1000000 STACK_REPLICAS="${BENCH_STACK_REPLICAS:-2}" bash scripts/stack.sh up --fresh
DRF_URL="$(bash "$DRF" http-url)" GATEWAY_URL=http://localhost:8080 node bench/vs-drf/run.ts
