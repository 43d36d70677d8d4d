#!/usr/bin/env bash
# grpcurl, the gRPC command-line client, built from its Go module (the Go module proxy) into .tools/grpcurl:
# the reflection tests call the platform with it, without any .proto file, as an operator would.
# Usage: scripts/components/grpcurl.sh {install|path}
set -euo pipefail
LOG_TAG=grpcurl
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

VERSION="v1.9.4"
BIN_DIR="$TOOLS_ROOT/grpcurl/$VERSION"
BIN="$BIN_DIR/grpcurl"

cmd_install() {
  if [ -x "$BIN" ]; then log "grpcurl $VERSION already installed"; return 0; fi
  command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || apt_install golang-go || ci_fail "Go is needed to build grpcurl"
  local go; go=$(command -v go || echo /usr/local/go/bin/go)
  mkdir -p "$BIN_DIR"
  log "go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$VERSION"
  GOBIN="$BIN_DIR" CGO_ENABLED=0 "$go" install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$VERSION" >&2 \
    || ci_fail "could not build grpcurl $VERSION"
  log "installed grpcurl $VERSION"
}

case "${1:-}" in
  install) cmd_install ;;
  path) [ -x "$BIN" ] || cmd_install >&2; echo "$BIN" ;;
  *) echo "usage: $0 {install|path}" >&2; exit 2 ;;
esac
