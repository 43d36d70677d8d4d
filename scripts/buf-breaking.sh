#!/usr/bin/env bash
# `buf breaking` against the previous commit (or BUF_AGAINST_REF). The schema registry is unreachable, so the
# previous contract is rebuilt from git with the same third-party protos.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ref="${BUF_AGAINST_REF:-HEAD~1}"
if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null || [ -z "$(git ls-tree -d "$ref" proto/identity 2>/dev/null)" ]; then
  echo "buf breaking: $ref has no contract to compare with; nothing to check"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The previous contract with today's workspace and third-party protos (where they lived has changed before):
# two workspaces with the same modules, compared module by module.
git archive "$ref" proto/identity | tar -x -C "$tmp"
cp buf.yaml "$tmp/" && cp -r proto/third_party "$tmp/proto/third_party"
node_modules/.bin/buf breaking . --exclude-imports --against "$tmp"
echo "buf breaking: no breaking change against $ref"
