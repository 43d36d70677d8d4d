#!/usr/bin/env bash
# `buf breaking` against the previous commit (or BUF_AGAINST_REF). The schema registry is unreachable, so the
# previous contract is rebuilt from git with the same third-party protos, and compared as an image.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ref="${BUF_AGAINST_REF:-HEAD~1}"
if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null || [ -z "$(git ls-tree -d "$ref" proto/identity 2>/dev/null)" ]; then
  echo "buf breaking: $ref has no contract to compare with; nothing to check"
  exit 0
fi
bash scripts/proto-deps.sh
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git archive "$ref" proto/identity buf.yaml | tar -x -C "$tmp"
mkdir -p "$tmp/.tools" && cp -r .tools/proto-deps "$tmp/.tools/proto-deps"
node_modules/.bin/buf build "$tmp" --path "$tmp/proto/identity" --exclude-source-info -o "$tmp/previous.binpb"
node_modules/.bin/buf breaking proto --exclude-imports --against "$tmp/previous.binpb"
echo "buf breaking: no breaking change against $ref"
