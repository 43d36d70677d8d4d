#!/usr/bin/env bash
# Static checks: the committed third-party protos are what the registry packages ship, the contract (buf lint,
# buf breaking), formatting and lint (Biome), types (tsc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh
bash scripts/proto-deps.sh --check
node_modules/.bin/buf lint && echo "buf lint: clean"
bash scripts/buf-breaking.sh
node_modules/.bin/biome ci --reporter=summary .
node_modules/.bin/tsc -p tsconfig.json --noEmit && echo "tsc: no type errors"
if [ -f web/tsconfig.json ]; then node_modules/.bin/tsc -p web/tsconfig.json --noEmit && echo "tsc (web): no type errors"; fi
