#!/usr/bin/env bash
# Fails when a generated file is stale: regenerates and asks git whether anything changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/generate.sh >/dev/null
changes="$(git status --porcelain -- proto/gen envoy.yaml)"
if [ -n "$changes" ]; then
  echo "generated files are stale; run 'npm run generate' and commit:" >&2
  echo "$changes" >&2
  exit 1
fi
echo "generated files: up to date"
