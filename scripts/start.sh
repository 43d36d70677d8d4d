#!/usr/bin/env bash
# npm start: the whole platform in one Node process on http://localhost:8080 with nothing installed:
# embedded PostgreSQL (PGlite, data under .data/embedded/), an in-process event bus, the three services and
# the built-in gateway (REST, Connect/gRPC-Web, docs, web app). See docs/gateway-embedded.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
bash scripts/ensure-deps.sh

export ENVIRONMENT="${ENVIRONMENT:-dev}"

# The web app is built when its build is missing or older than its sources.
web_needs_build() {
  [ -f web/dist/index.html ] || return 0
  [ -n "$(find web/src web/index.html web/vite.config.ts -newer web/dist/index.html -print -quit 2>/dev/null)" ]
}
if [ -f web/package.json ] && [ -d web/src ]; then
  if web_needs_build; then
    echo "start: building the web app (web/dist)" >&2
    npm run build -w @identity/web >&2 || echo "start: the web app did not build; the API and docs are served without it" >&2
  fi
else
  echo "start: no web app in web/ yet; the API and docs are served without it" >&2
fi

# V8's heap capped to what the three services and the gateway need together (docs/benchmarks.md).
exec node --max-old-space-size=160 --max-semi-space-size=8 gateway/src/embedded/main.ts
