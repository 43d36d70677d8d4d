#!/usr/bin/env bash
# Regenerates everything that comes from the contract, in one place: TS code (protoc-gen-es), the OpenAPI
# document, the binary descriptor set Envoy transcodes with, and envoy.yaml. Running it twice changes nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh
buf=node_modules/.bin/buf
"$buf" lint
# What buf.gen.yaml's outputs held before (a removed .proto leaves nothing behind).
rm -rf proto/gen/ts proto/gen/openapi.json
"$buf" generate
# buf/validate's generated code ships with @bufbuild/protovalidate; generated imports point there.
rm -rf proto/gen/ts/buf
"$buf" build --exclude-source-info -o proto/gen/descriptor.binpb
if [ -f gateway/src/envoy/main.ts ]; then
  node gateway/src/envoy/main.ts --out envoy.yaml
fi
echo "generate: done"
