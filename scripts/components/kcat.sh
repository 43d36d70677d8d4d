#!/usr/bin/env bash
# kcat from Debian's packages: an independent Kafka client (not the project's code) for the event tests.
# Usage: scripts/components/kcat.sh {install|path}
set -euo pipefail
LOG_TAG=kcat
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

cmd_install() {
  if command -v kcat >/dev/null; then log "kcat already installed"; return 0; fi
  apt_install kcat || ci_fail "'apt-get install kcat' failed"
  command -v kcat >/dev/null || ci_fail "kcat package installed but kcat is missing"
  log "installed kcat"
}

case "${1:-}" in
  install) cmd_install ;;
  path) command -v kcat >/dev/null || cmd_install; command -v kcat ;;
  *) echo "usage: $0 {install|path}" >&2; exit 2 ;;
esac
