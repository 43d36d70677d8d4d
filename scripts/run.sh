#!/usr/bin/env bash
# Runs a workspace binary with Node >= 22 on PATH and the dependencies installed: scripts/run.sh tsc ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/node.sh
source "$root/scripts/lib/node.sh"
bash "$root/scripts/ensure-deps.sh"
cmd="$1"; shift
exec "$root/node_modules/.bin/$cmd" "$@"
