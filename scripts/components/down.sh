#!/usr/bin/env bash
# Stop PostgreSQL and Kafka started by up.sh (data is kept; see docs/components.md to reset).
set -euo pipefail
LOG_TAG=down
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
DIR="$REPO_ROOT/scripts/components"
rc=0
bash "$DIR/kafka.sh" stop || rc=1
bash "$DIR/postgres.sh" stop || rc=1
exit "$rc"
