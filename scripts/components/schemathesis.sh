#!/usr/bin/env bash
# Schemathesis (PyPI) in a virtualenv of its own, .tools/schemathesis-venv, like Envoy's.
# Usage: scripts/components/schemathesis.sh {install|run <gateway base URL>|embedded} [extra schemathesis args]
#   run: registers and verifies a user through the gateway (development mailbox), then runs every check
#   against <base>/openapi.json logged in as that user, a fixed seed and a bounded number of examples,
#   with the per-operation settings of schemathesis.toml (next to this script). Exits non-zero on any failure.
#   embedded: the same against an embedded platform of its own (in-memory databases, a free port), stopped after.
#   SCHEMATHESIS_MAX_EXAMPLES (default 10) and SCHEMATHESIS_TIMEOUT (seconds, default 300) bound it.
set -euo pipefail
LOG_TAG=schemathesis
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="$TOOLS_ROOT/schemathesis-venv"
STAMP="$VENV/.installed-schemathesis-${SCHEMATHESIS_VERSION}"

cmd_install() {
  if [ -f "$STAMP" ] && [ -x "$VENV/bin/schemathesis" ]; then
    log "schemathesis $SCHEMATHESIS_VERSION already installed in .tools/schemathesis-venv"; return 0
  fi
  local t0; t0=$(now_ms)
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv || ci_fail "python3 is missing and could not be installed"
  if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$TOOLS_ROOT"
    python3 -m venv "$VENV" >/dev/null 2>&1 || { rm -rf "$VENV"; apt_install python3-venv || true; python3 -m venv "$VENV"; } \
      || ci_fail "could not create a Python virtualenv (python3 -m venv)"
  fi
  log "pip install schemathesis==$SCHEMATHESIS_VERSION"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "schemathesis==$SCHEMATHESIS_VERSION" >&2 \
    || ci_fail "pip could not install schemathesis==$SCHEMATHESIS_VERSION"
  "$VENV/bin/schemathesis" --version >/dev/null || ci_fail "schemathesis does not run"
  rm -f "$VENV"/.installed-schemathesis-*; touch "$STAMP"
  log "installed schemathesis $SCHEMATHESIS_VERSION in $(elapsed_since "$t0")"
}

json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }

# A verified user of the gateway's development mailbox; prints its username (the password is fixed).
PASSWORD="schemathesis lighthouse 7 sings"
verified_user() {
  local base="$1" name email
  name="st$(date +%s)$RANDOM"; email="$name@example.com"
  local reg; reg=$(curl -fsS -H 'content-type: application/json' \
    -d "{\"username\":\"$name\",\"email\":\"$email\",\"password\":\"$PASSWORD\"}" "$base/api/auth/register/") \
    || ci_fail "could not register a user at $base"
  local access; access=$(printf '%s' "$reg" | json_field '["access"]')
  local code; code=$(curl -fsS "$base/api/dev/mail/?to=$email" | python3 -c 'import json,re,sys; print(re.search(r"\b(\d{6})\b", json.load(sys.stdin)["messages"][0]["text"]).group(1))') \
    || ci_fail "no code in the development mailbox (ENVIRONMENT=dev?)"
  curl -fsS -o /dev/null -H 'content-type: application/json' -H "authorization: Bearer $access" \
    -d "{\"email\":\"$email\",\"code\":\"$code\"}" "$base/api/auth/otp/verify/" || ci_fail "could not verify $email"
  printf '%s\n' "$name"
}

cmd_run() {
  local base="${1:?usage: schemathesis.sh run <gateway base URL>}"; shift
  cmd_install >&2
  # schemathesis.toml logs in as this user (and again when a token stops working: logout/all ends them all).
  SCHEMATHESIS_USERNAME=$(verified_user "$base"); SCHEMATHESIS_PASSWORD="$PASSWORD"
  export SCHEMATHESIS_USERNAME SCHEMATHESIS_PASSWORD
  local config; config="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/schemathesis.toml"
  log "checking $base/openapi.json (seed 20261201, at most ${SCHEMATHESIS_MAX_EXAMPLES:-10} examples per operation)"
  # Its working files (.schemathesis/) go to .data, not into the checkout.
  mkdir -p "$DATA_ROOT/schemathesis"
  cd "$DATA_ROOT/schemathesis"
  # Its summary rules ("===== 3 warnings in 58.91s =====") have the shape of pytest's closing line, which
  # readers of a CI log take as a whole run that executed no test; the rules are dropped, the words kept.
  # The exit code is schemathesis's (pipefail).
  timeout "${SCHEMATHESIS_TIMEOUT:-300}" "$VENV/bin/schemathesis" --config-file "$config" run "$base/openapi.json" \
    --url "$base" --checks all --seed 20261201 --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
    --no-color "$@" | sed -u -E -e 's/^=+ (.*[^ =]) =+$/schemathesis: \1/' -e 's/^(schemathesis: .*) in ([0-9.]+)s$/\1, took \2 s/'
}

# An embedded platform of its own on a free port (in-memory databases, development mailbox), checked by
# cmd_run and stopped. Its limits are raised where Schemathesis would otherwise test only the limit: the
# registration edge limit (generated requests would mostly get 429), and the wrong-password limits per
# account and per client address (it sends many wrong passwords from one address, some to its own account
# through password change, email change and account deletion, then could not log in again after
# logout/all). Those limits are proven by the gateway's tests and the attack suite.
cmd_embedded() {
  cmd_install >&2
  mkdir -p "$DATA_ROOT/schemathesis"
  local out="$DATA_ROOT/schemathesis/embedded.log"
  # shellcheck source=../lib/node.sh
  . "$REPO_ROOT/scripts/lib/node.sh"
  env -u GATEWAY_LISTEN ENVIRONMENT=dev GATEWAY_PORT=0 EMBEDDED_DATA_DIR=:memory: LOG_LEVEL=info \
    RATE_LIMIT_AUTH_REQUESTS=100000 LOGIN_MAX_FAILURES=100000 LOGIN_FAILURES_PER_CLIENT_LIMIT=100000 node "$REPO_ROOT/gateway/src/embedded/main.ts" >"$out" 2>&1 &
  local pid=$! base="" i
  # shellcheck disable=SC2064 # the id is fixed now
  trap "kill $pid 2>/dev/null || true" EXIT
  for i in $(seq 1 120); do
    base=$(sed -n 's/.*"url":"\(http:\/\/localhost:[0-9]*\)".*embedded platform listening.*/\1/p' "$out" | head -n 1)
    [ -n "$base" ] || ! kill -0 "$pid" 2>/dev/null || { sleep 0.5; continue; }
    break
  done
  if [ -z "$base" ]; then
    kill "$pid" 2>/dev/null; tail -n 20 "$out" >&2; die "the embedded platform did not start"
  fi
  local rc=0
  (cmd_run "${base/localhost/127.0.0.1}" "$@") || rc=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  return "$rc"
}

case "${1:-}" in
  install) cmd_install ;;
  run) shift; cmd_run "$@" ;;
  embedded) shift; cmd_embedded "$@" ;;
  *) echo "usage: $0 {install|run <base URL>|embedded}" >&2; exit 2 ;;
esac
