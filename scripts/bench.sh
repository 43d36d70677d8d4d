#!/usr/bin/env bash
# npm run bench [name...]: runs the benchmarks (all by default) against real PostgreSQL; the gateway
# benchmark needs the stack (`npm run stack`); import-drf starts the original service's PostgreSQL
# (scripts/components/drf-original.sh). Results go to docs/benchmarks.md by hand, with the command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh
bash scripts/components/postgres.sh start >/dev/null
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(auth-login profile-directory friendship-list events gateway import-drf)
for name in "${names[@]}"; do
  echo "=== bench/$name"
  case "$name" in
    events) bash scripts/components/kafka.sh start >/dev/null; node bench/events/relay-bench.ts lag ;;
    *) node "bench/$name/run.ts" ;;
  esac
done
