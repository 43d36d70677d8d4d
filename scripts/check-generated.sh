#!/usr/bin/env bash
# Fails when a generated file is stale: regenerates and asks git whether anything changed; then the same for a
# plain `buf lint` and `buf generate`.
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
# What a buf user types on a fresh clone must work and agree with the committed files.
node_modules/.bin/buf lint >/dev/null
node_modules/.bin/buf generate
changes="$(git status --porcelain -- proto/gen)"
if [ -n "$changes" ]; then
  echo "a plain 'buf generate' changes the generated files (buf.gen.yaml and scripts/generate.sh disagree):" >&2
  echo "$changes" >&2
  exit 1
fi
echo "generated files: up to date"
