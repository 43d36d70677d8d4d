#!/usr/bin/env bash
# Installs the workspace's npm dependencies when they are missing or older than the lock file, so that
# every command works on a fresh clone without a prior `npm install`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "ensure-deps: installing npm dependencies" >&2
  if [ "${CI:-}" = "true" ]; then npm ci --loglevel=error >&2; else npm install --loglevel=error >&2; fi
fi
