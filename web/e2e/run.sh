#!/usr/bin/env bash
# Builds the app into web/dist (which the gateway serves at /) and runs the browser journeys against the
# gateway at E2E_BASE_URL (default http://localhost:8080). The stack must already be running.
# Usage: web/e2e/run.sh [RESULTS_DIR] [extra vitest arguments]
#   RESULTS_DIR (as npm test passes it): also write the vitest JSON report there as browser.vitest.json.
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(dirname "$web")"
# shellcheck source=/dev/null
. "$root/scripts/lib/node.sh"

report=()
if [ $# -gt 0 ] && [ -d "$1" ]; then
  report=(--reporter=default --reporter=json "--outputFile=$(cd "$1" && pwd)/browser.vitest.json")
  shift
fi

base="${E2E_BASE_URL:-http://localhost:8080}"
export E2E_BASE_URL="$base"

bash "$root/scripts/components/chromium.sh" install
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

# E2E_SKIP_BUILD=1 when the stack was started on an already built web/dist (the gateway may keep the files).
if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  echo "e2e: building the app"
  (cd "$web" && npx vite build --logLevel warn)
fi

echo "e2e: waiting for the gateway at $base to serve the app"
served=""
for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "$base/" 2>/dev/null | grep -q '<div id="root">'; then served=yes; break; fi
  sleep 1
done
if [ -z "$served" ]; then
  echo "e2e: FAIL: nothing at $base/ serves web/dist/index.html; start the stack first (npm start)" >&2
  exit 1
fi

cd "$web"
exec npx vitest run --config vitest.e2e.config.ts "${report[@]}" "$@"
