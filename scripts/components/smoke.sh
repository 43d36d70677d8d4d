#!/usr/bin/env bash
# Run every component's smoke test in turn (each installs/starts what it needs) and print a summary.
# Usage: scripts/components/smoke.sh [component...]   (default: postgres kafka envoy chromium)
set -uo pipefail
LOG_TAG=smoke
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
DIR="$REPO_ROOT/scripts/components"

components=("$@")
[ "${#components[@]}" -gt 0 ] || components=(postgres kafka envoy chromium)
passed=0 failed=0 failures=()
t0=$(now_ms)
for c in "${components[@]}"; do
  [ -f "$DIR/$c.sh" ] || { echo "FAIL $c: no scripts/components/$c.sh" >&2; failed=$((failed + 1)); failures+=("$c"); continue; }
  log "--- $c"
  if bash "$DIR/$c.sh" smoke; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$c"); fi
done
total=$((passed + failed))
if [ "$failed" -eq 0 ]; then
  echo "SMOKE SUMMARY: all ${total} components OK (${components[*]}) in $(elapsed_since "$t0")"
else
  echo "SMOKE SUMMARY: ${failed} of ${total} components FAILED (${failures[*]}) in $(elapsed_since "$t0")"
fi
[ "$failed" -eq 0 ]
