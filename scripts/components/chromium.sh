#!/usr/bin/env bash
# Headless Chromium from Debian's 'chromium' package (for browser tests and screenshots).
# Usage: scripts/components/chromium.sh {install|path|version|smoke}
set -euo pipefail
LOG_TAG=chromium
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CHROMIUM_BIN=/usr/bin/chromium

installed() { [ -x "$CHROMIUM_BIN" ]; }

cmd_install() {
  if installed; then log "chromium already installed ($CHROMIUM_BIN)"; return 0; fi
  local t0; t0=$(now_ms)
  # fonts-liberation: a real font set so screenshots render text.
  apt_install chromium fonts-liberation || ci_fail "'apt-get install chromium' failed"
  installed || ci_fail "chromium package installed but $CHROMIUM_BIN is missing"
  log "installed $("$CHROMIUM_BIN" --version 2>/dev/null) in $(elapsed_since "$t0")"
}

cmd_path() { installed || cmd_install; echo "$CHROMIUM_BIN"; }

# Headless flags that work as root and without a GPU; use them from tests too.
CHROMIUM_FLAGS=(--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --no-default-browser-check)

cmd_smoke() {
  installed || cmd_install
  local t0 out; t0=$(now_ms)
  out=$(timeout 60 "$CHROMIUM_BIN" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$(mktemp -d)" \
        --dump-dom 'data:text/html,<title>t</title><p id=x>chromium%20smoke%20ok</p>' 2>/dev/null) || true
  if printf '%s' "$out" | grep -q 'chromium smoke ok'; then
    echo "PASS chromium: $("$CHROMIUM_BIN" --version 2>/dev/null) rendered a page headless in $(elapsed_since "$t0")"
  else
    echo "FAIL chromium: headless --dump-dom did not return the page" >&2; return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  path)    cmd_path ;;
  version) installed || cmd_install; "$CHROMIUM_BIN" --version ;;
  flags)   printf '%s\n' "${CHROMIUM_FLAGS[@]}" ;;
  smoke)   cmd_smoke ;;
  *) echo "usage: $0 {install|path|version|flags|smoke}" >&2; exit 2 ;;
esac
