#!/usr/bin/env bash
# npm run import:drf -- --from <postgres URL of the original DRF database> [options]: see
# scripts/import-drf/main.ts (--help) and docs/migrating-from-drf.md. `--stack` targets the local stack's
# PostgreSQL (scripts/components/postgres.sh url).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh >&2
args=()
for arg in "$@"; do
  if [ "$arg" = --stack ]; then args+=(--to-postgres "$(bash scripts/components/postgres.sh url)"); else args+=("$arg"); fi
done
exec node scripts/import-drf/main.ts "${args[@]}"
