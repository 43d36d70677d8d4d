#!/usr/bin/env bash
# Validates the deployment files offline (no Docker engine, no cluster): the compose files against the Compose
# Specification's JSON schema, the Kubernetes manifests against Kubernetes' schemas (strict: an unknown field
# fails), the CI workflow against GitHub's workflow schema, and what no schema sees: `docker compose up` (.env) and
# `docker compose --env-file .env.prod up` resolve (COMPOSE_FILE, ${VARS}, files a compose file or Dockerfile names), manifests refer to objects that exist,
# every variable the code reads is documented in .env.example, compose's Kafka clients each use their own
# SASL principal over TLS (deploy/kafka/service-acls.txt), the certificates compose copies are the ones
# gateway/certs/make-certs.sh makes, and the Envoy image's configuration is valid.
# Schemas come from registry packages (PyPI check-jsonschema and kubernetes-validate, pinned), installed once
# into .tools/deploy-validate-venv.
# Usage: scripts/validate-deploy.sh            DEPLOY_ROOT=<dir> validates a copy of the files in <dir> instead.
# Prints one PASS/FAIL line per check and exits non-zero when any check fails.
set -euo pipefail
LOG_TAG=validate-deploy
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

root="$(cd "${DEPLOY_ROOT:-$REPO_ROOT}" && pwd)"
VENV="$TOOLS_ROOT/deploy-validate-venv"
PINS=(check-jsonschema==0.39.0 kubernetes-validate==1.37.0)
K8S_VERSION="${K8S_VERSION:-1.37.0}"
STAMP="$VENV/.installed-$(printf '%s-' "${PINS[@]}" | tr '=' '_')"

install_validators() {
  [ -f "$STAMP" ] && return 0
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv || ci_fail "python3 is needed to validate the deployment files"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" >/dev/null 2>&1 || { rm -rf "$VENV"; apt_install python3-venv || true; python3 -m venv "$VENV"; } \
      || ci_fail "could not create the virtualenv .tools/deploy-validate-venv"
  fi
  log "pip install ${PINS[*]}"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "${PINS[@]}" >&2 \
    || ci_fail "pip could not install ${PINS[*]}"
  rm -f "$VENV"/.installed-*; touch "$STAMP"
}
install_validators
py="$VENV/bin/python"

passed=0 failed=0
# check NAME CMD...: runs CMD, prints PASS or FAIL with CMD's output.
check() {
  local name=$1 out; shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1)); echo "PASS $name"
    out=$(printf '%s\n' "$out" | grep -v '^INFO ' | tail -n 1)
    if [ -n "$out" ]; then echo "    $out"; fi
  else
    failed=$((failed + 1)); echo "FAIL $name"; printf '%s\n' "$out" | grep -v '^INFO ' | tail -n 30 | sed 's/^/    /'
  fi
}

cd "$root"
shopt -s nullglob
compose_files=(docker-compose.yml docker-compose.dev.yml docker-compose.prod.yml)
k8s_files=(deploy/k8s/*.yaml)
workflows=(.github/workflows/*.yml)
dockerfiles=(deploy/docker/*.Dockerfile deploy/envoy/Dockerfile)

check "compose files match the Compose Specification schema (${compose_files[*]})" \
  "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec "${compose_files[@]}"
check "Kubernetes manifests match the Kubernetes $K8S_VERSION schemas, strictly (${#k8s_files[@]} files)" \
  "$VENV/bin/kubernetes-validate" --strict --quiet --kubernetes-version "$K8S_VERSION" "${k8s_files[@]}"
check "CI workflow matches GitHub's workflow schema (${workflows[*]:-none})" \
  "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"

# ---------------------------------------------------------------- compose: references and variables
compose_refs() {
  "$py" - "${compose_files[@]}" <<'PY'
import os, re, sys, yaml
files = sys.argv[1:]
docs = {f: yaml.safe_load(open(f)) for f in files}
base = docs[files[0]]
problems = []
def read_env_file(path):
    values = {}
    for line in open(path):
        m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line.rstrip("\n"))
        if m: values[m.group(1)] = m.group(2).strip().strip("'\"")
    return values
for f, doc in docs.items():
    for svc, spec in (doc.get("services") or {}).items():
        if f != files[0] and svc not in base["services"]:
            problems.append(f"{f}: service {svc} is not in {files[0]}")
        build = spec.get("build")
        if isinstance(build, dict) and not os.path.exists(os.path.join(build.get("context", "."), build.get("dockerfile", "Dockerfile"))):
            problems.append(f"{f}: {svc} builds from {build.get('dockerfile')}, which does not exist")
        for v in spec.get("volumes") or []:
            src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
            if src.startswith(".") and "$" not in src and not os.path.exists(src):
                problems.append(f"{f}: {svc} mounts {src}, which does not exist")
# How docker compose resolves each documented invocation: the env file (.env unless --env-file names another)
# gives COMPOSE_FILE, which names the files to combine, and the values of their ${...}; every service then reads
# .env.${ENVIRONMENT}. `docker compose up` must be development, `--env-file .env.prod` production.
invocations = [("docker compose up", ".env", "dev", "docker-compose.dev.yml"),
               ("docker compose --env-file .env.prod up", ".env.prod", "prod", "docker-compose.prod.yml")]
for command, env_name, environment, override in invocations:
    if not os.path.exists(env_name):
        problems.append(f"{env_name} is missing ({command} reads it)"); continue
    env = read_env_file(env_name)
    chosen = [p for p in env.get("COMPOSE_FILE", "").split(":") if p]
    if chosen[:1] != [files[0]] or override not in chosen or any(p.endswith((".dev.yml", ".prod.yml")) and p != override for p in chosen):
        problems.append(f"{env_name}: COMPOSE_FILE must be {files[0]}:{override} ({command}), is {env.get('COMPOSE_FILE')!r}")
    for p in chosen:
        if not os.path.exists(p): problems.append(f"{env_name}: COMPOSE_FILE names {p}, which does not exist")
    if env.get("ENVIRONMENT", "dev") != environment:
        problems.append(f"{env_name}: ENVIRONMENT must be {environment} ({command})")
    services_env = f".env.{env.get('ENVIRONMENT', 'dev')}"
    if not os.path.exists(services_env): problems.append(f"{services_env} is missing ({command} gives it to every service)")
    for f in [p for p in chosen if os.path.exists(p)]:
        # ${VAR} and ${VAR:?message} need a value; ${VAR:-default} does not. $$ escapes a literal dollar.
        for m in re.finditer(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[?])?[^}]*\}", open(f).read()):
            var = m.group(1)
            if not m.group(0)[len(var) + 2:].startswith(("}", ":?", "?")): continue
            if not env.get(var): problems.append(f"{f}: ${{{var}}} has no default and is not set in {env_name}")
print("\n".join(sorted(set(problems))))
sys.exit(1 if problems else 0)
PY
}
check "compose resolves for \`docker compose up\` (.env, dev) and \`--env-file .env.prod\` (prod): files, Dockerfiles, mounts, \${variables}" compose_refs

# ---------------------------------------------------------------- compose: Kafka is not wide open
# Redpanda requires SASL over TLS; every service that talks to Kafka does so as its own principal of the ACL
# table (deploy/kafka/service-acls.txt), whose password redpanda-init sets, after redpanda-init has run.
compose_kafka_security() {
  "$py" - docker-compose.yml deploy/kafka/service-acls.txt <<'PY'
import sys, yaml
compose, table = sys.argv[1:]
services = yaml.safe_load(open(compose))["services"]
rows = [l.split() for l in open(table) if l.strip() and not l.lstrip().startswith("#")]
problems = [f"{table}: '{' '.join(r)}' is not 'service writes reads'" for r in rows if len(r) != 3]
principals = {r[0] for r in rows if len(r) == 3}
password_var = lambda principal: f"{principal.upper().replace('-', '_')}_KAFKA_PASSWORD"
def env_of(spec):
    env = spec.get("environment") or {}
    return env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)
command = " ".join((services.get("redpanda") or {}).get("command") or [])
for needed in ("--set=redpanda.enable_sasl=true", "--set=redpanda.kafka_enable_authorization=true", '"enabled":true'):
    if needed not in command: problems.append(f"redpanda: its command lacks {needed} (SASL over TLS, authorization)")
init = services.get("redpanda-init")
if not init: problems.append("no redpanda-init service (it creates the principals and their ACLs)")
init_env = env_of(init or {})
for p in sorted(principals):
    if not str(init_env.get(password_var(p), "")).startswith("${" + password_var(p)):
        problems.append(f"redpanda-init: {password_var(p)} is not passed on from the env file")
for svc, spec in services.items():
    env = env_of(spec)
    if "KAFKA_BROKERS" not in env: continue
    user, password = env.get("KAFKA_SASL_USERNAME"), str(env.get("KAFKA_SASL_PASSWORD", ""))
    if user not in principals: problems.append(f"{svc}: KAFKA_SASL_USERNAME {user!r} is not a principal of {table}")
    elif not password.startswith("${" + password_var(user)):
        problems.append(f"{svc}: KAFKA_SASL_PASSWORD must be ${{{password_var(user)}}} (what redpanda-init sets)")
    if str(env.get("KAFKA_SASL_MECHANISM", "")).lower() != "scram-sha-512": problems.append(f"{svc}: KAFKA_SASL_MECHANISM is not scram-sha-512")
    if str(env.get("KAFKA_SSL", "")).lower() != "true" or not env.get("KAFKA_SSL_CA_FILE"):
        problems.append(f"{svc}: KAFKA_SSL=true and KAFKA_SSL_CA_FILE are missing (production refuses SASL without TLS)")
    if ((spec.get("depends_on") or {}).get("redpanda-init") or {}).get("condition") != "service_completed_successfully":
        problems.append(f"{svc}: does not wait for redpanda-init (condition: service_completed_successfully)")
print("\n".join(problems) or f"{len(principals)} principals; every Kafka client in compose uses its own over SASL_SSL")
sys.exit(1 if problems else 0)
PY
}
check "compose: Redpanda requires SASL over TLS, each service uses its own principal of deploy/kafka/service-acls.txt" compose_kafka_security

# ---------------------------------------------------------------- the certificates compose asks for
compose_certs_made() {
  local tmp missing=() f; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  CERTS_DIR="$tmp" bash gateway/certs/make-certs.sh >/dev/null 2>&1 || { echo "make-certs.sh failed"; return 1; }
  for f in $(grep -oE 'for f in [^;]+;' docker-compose.yml | sed -E 's/^for f in //; s/;$//'); do
    [ -f "$tmp/$f" ] || missing+=("$f")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "the certs service needs ${missing[*]}, which gateway/certs/make-certs.sh does not make"; return 1; }
}
check "compose: every certificate the certs service copies is made by gateway/certs/make-certs.sh" compose_certs_made

# ---------------------------------------------------------------- Kubernetes: references between objects
k8s_refs() {
  "$py" - "${k8s_files[@]}" <<'PY'
import sys, yaml
objects = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
by_kind = {}
for o in objects: by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
problems = []
pods = {name: d["spec"]["template"] for name, d in by_kind.get("Deployment", {}).items()}
def matches(selector, labels): return all(labels.get(k) == v for k, v in selector.items())
for name, tpl in pods.items():
    dep = by_kind["Deployment"][name]
    if not matches(dep["spec"]["selector"]["matchLabels"], tpl["metadata"]["labels"]):
        problems.append(f"Deployment {name}: its selector does not match its own pods")
    spec = tpl["spec"]
    for c in spec["containers"]:
        for ref in c.get("envFrom", []):
            if "configMapRef" in ref and ref["configMapRef"]["name"] not in by_kind.get("ConfigMap", {}):
                problems.append(f"Deployment {name}: ConfigMap {ref['configMapRef']['name']} is not defined")
            if "secretRef" in ref and ref["secretRef"]["name"] not in by_kind.get("Secret", {}):
                problems.append(f"Deployment {name}: Secret {ref['secretRef']['name']} has no example in 20-secrets.example.yaml")
        ports = {p["name"] for p in c.get("ports", [])}
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in c: problems.append(f"Deployment {name}: container {c['name']} has no {probe}")
            elif c[probe].get("httpGet", {}).get("port") not in ports:
                problems.append(f"Deployment {name}: {probe} uses a port the container does not name")
    for v in spec.get("volumes", []):
        if "secret" in v and v["secret"]["secretName"] not in by_kind.get("Secret", {}):
            problems.append(f"Deployment {name}: Secret {v['secret']['secretName']} has no example in 20-secrets.example.yaml")
for kind in ("HorizontalPodAutoscaler",):
    for name, o in by_kind.get(kind, {}).items():
        if o["spec"]["scaleTargetRef"]["name"] not in pods: problems.append(f"{kind} {name}: no Deployment {o['spec']['scaleTargetRef']['name']}")
for kind in ("Service", "PodDisruptionBudget", "NetworkPolicy"):
    for name, o in by_kind.get(kind, {}).items():
        sel = o["spec"].get("selector") or o["spec"].get("podSelector") or {}
        sel = sel.get("matchLabels", sel) if kind != "Service" else sel
        if sel and not any(matches(sel, t["metadata"]["labels"]) for t in pods.values()):
            problems.append(f"{kind} {name}: its selector matches no pod")
for name in pods:
    for kind in ("Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        if name not in by_kind.get(kind, {}): problems.append(f"Deployment {name} has no {kind}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
check "Kubernetes manifests: selectors, ConfigMaps, Secrets, probes and autoscalers refer to what exists" k8s_refs

# ---------------------------------------------------------------- Kubernetes: rollouts lose no request
# Every Deployment rolls one new pod in before an old one goes (maxUnavailable 0) and takes a pod out of the
# balancers before stopping it (preStop); a service also has a startup probe (migrations) and time to drain:
# terminationGracePeriodSeconds covers the preStop pause plus DRAIN_GRACE_SECONDS and DRAIN_TIMEOUT_SECONDS.
k8s_drain() {
  "$py" - "${k8s_files[@]}" <<'PY'
import sys, yaml
objects = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
config = {}
for o in objects:
    if o["kind"] == "ConfigMap": config[o["metadata"]["name"]] = o.get("data", {})
problems = []
for dep in (o for o in objects if o["kind"] == "Deployment"):
    name = dep["metadata"]["name"]
    rolling = dep["spec"].get("strategy", {}).get("rollingUpdate", {})
    if dep["spec"].get("strategy", {}).get("type") != "RollingUpdate" or rolling.get("maxUnavailable") != 0:
        problems.append(f"Deployment {name}: a rollout must keep every pod until its replacement is ready (RollingUpdate, maxUnavailable: 0)")
    spec = dep["spec"]["template"]["spec"]
    grace = spec.get("terminationGracePeriodSeconds", 30)
    for c in spec["containers"]:
        pre = c.get("lifecycle", {}).get("preStop", {})
        pause = pre.get("sleep", {}).get("seconds")
        if pause is None:
            problems.append(f"Deployment {name}: container {c['name']} has no preStop pause (the balancers must stop sending first)")
            pause = 0
        if not any(p["name"] == "rpc" for p in c.get("ports", [])):
            continue
        if "startupProbe" not in c:
            problems.append(f"Deployment {name}: container {c['name']} has no startupProbe (migrations run before it listens)")
        env = {}
        for ref in c.get("envFrom", []):
            if "configMapRef" in ref: env.update(config.get(ref["configMapRef"]["name"], {}))
        env.update({e["name"]: e.get("value") for e in c.get("env", []) if "value" in e})
        try:
            drain = int(env.get("DRAIN_GRACE_SECONDS", 3)) + int(env.get("DRAIN_TIMEOUT_SECONDS", 10))
        except ValueError:
            problems.append(f"Deployment {name}: DRAIN_GRACE_SECONDS and DRAIN_TIMEOUT_SECONDS must be integers"); continue
        if grace < pause + drain + 5:
            problems.append(f"Deployment {name}: terminationGracePeriodSeconds {grace} < preStop {pause} s + drain {drain} s + 5 s to stop")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
check "Kubernetes manifests: rolling updates with maxUnavailable 0, preStop, startup probes, and a grace period that covers the drain" k8s_drain

# ---------------------------------------------------------------- Dockerfiles
dockerfile_refs() {
  "$py" - "${dockerfiles[@]}" <<'PY'
import os, re, sys
problems = []
for f in sys.argv[1:]:
    text = re.sub(r"\\\n", " ", open(f).read())
    args = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.M))
    for image in re.findall(r"^FROM\s+(\S+)", text, re.M):
        image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), image)
        if image in ("render", "deps", "manifests", "build"): continue
        if ":" not in image or image.endswith(":latest"): problems.append(f"{f}: FROM {image} is not pinned to a version")
    for line in re.findall(r"^COPY\s+(.+)$", text, re.M):
        parts = [p for p in line.split() if not p.startswith("--")]
        if "--from=" in line: continue
        for src in parts[:-1]:
            if not os.path.exists(src): problems.append(f"{f}: COPY {src}: no such file in the build context")
    if "HEALTHCHECK" not in text: problems.append(f"{f}: no HEALTHCHECK")
    if not re.search(r"^USER\s+(?!root|0\b)\S+", text, re.M): problems.append(f"{f}: does not switch to a non-root USER")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
check "Dockerfiles: pinned base images, COPY sources exist, non-root USER, HEALTHCHECK (${#dockerfiles[@]} files)" dockerfile_refs

# ---------------------------------------------------------------- .env.example documents every variable
env_documented() {
  local documented code_vars missing=()
  documented=$(grep -ohE '^#? ?[A-Z][A-Z0-9_]+=' .env.example | tr -d '#= ' | sort -u)
  # Names the code reads: EnvReader calls (env.int("X"...)), env.X / process.env.X, and name prefixes passed to
  # helpers in configuration readers (limit("LOGIN_FAILURES_PER_CLIENT", ...) reads ..._LIMIT and ..._WINDOW).
  local sources; sources=$(find services gateway -path '*/node_modules' -prune -o -path '*/testing' -prune -o -path '*/test' -prune -o \
    -name '*.ts' ! -name '*.test.ts' -print 2>/dev/null)
  code_vars=$( {
    # shellcheck disable=SC2086
    grep -ohE '\benv\.[a-zA-Z]+\("[A-Z][A-Z0-9_]+"' $sources | grep -oE '"[A-Z0-9_]+"'
    # shellcheck disable=SC2086
    grep -ohE '\b(process\.)?env\.[A-Z][A-Z0-9_]+' $sources | grep -oE '[A-Z][A-Z0-9_]+$'
    # shellcheck disable=SC2086,SC2046
    grep -ohE '^\s*\w+\("[A-Z][A-Z0-9_]{3,}",' $(printf '%s\n' $sources | grep -E '(config|options-from-env)\.ts$') | grep -oE '"[A-Z0-9_]+"'
  } | tr -d '"' | sort -u)
  local name
  for name in $code_vars; do
    grep -qE "^${name}(_[A-Z0-9_]+)?\$" <<<"$documented" || missing+=("$name")
  done
  for name in $(grep -ohE '^[A-Z][A-Z0-9_]+=' .env .env.dev .env.prod | tr -d '=' | sort -u); do
    grep -qx "$name" <<<"$documented" || missing+=("$name (set in .env/.env.dev/.env.prod)")
  done
  if [ -f docs/deploy.md ]; then
    for name in $documented; do grep -q "\`$name\`" docs/deploy.md || missing+=("$name (in .env.example, not in docs/deploy.md)"); done
  fi
  [ ${#missing[@]} -eq 0 ] || { echo "not documented in .env.example: ${missing[*]}"; return 1; }
  echo "$(wc -w <<<"$code_vars") variables read by the code, all documented"
}
check ".env.example and docs/deploy.md document every variable the code reads and the env files set" env_documented

# ---------------------------------------------------------------- the Envoy image's configuration
envoy_image_config() {
  # shellcheck source=lib/node.sh
  source "$REPO_ROOT/scripts/lib/node.sh"
  bash "$REPO_ROOT/scripts/ensure-deps.sh"
  local tmp; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  CERTS_DIR="$tmp/certs" bash "$REPO_ROOT/gateway/certs/make-certs.sh" >/dev/null 2>&1
  # The same variables as deploy/envoy/Dockerfile, with the certificates and descriptor in a temporary folder.
  (cd "$REPO_ROOT" && ENVIRONMENT=prod GATEWAY_LISTEN=0.0.0.0:8080 ENVOY_ADMIN=127.0.0.1:9901 CERTS_DIR="$tmp/certs" \
    ENVOY_TRANSCODER_DESCRIPTOR="$tmp/transcoder.binpb" GATEWAY_AUTH_ENDPOINTS=auth:50051 \
    GATEWAY_PROFILE_ENDPOINTS=profile:50052 GATEWAY_FRIENDSHIP_ENDPOINTS=friendship:50053 GATEWAY_WEB=web:8090 \
    node gateway/src/envoy/main.ts --out "$tmp/envoy.yaml" >/dev/null)
  grep -q 'type: STRICT_DNS' "$tmp/envoy.yaml" || { echo "the rendered clusters do not resolve DNS names"; return 1; }
  bash "$REPO_ROOT/scripts/components/envoy.sh" validate "$tmp/envoy.yaml"
}
check "Envoy image configuration (upstreams by DNS name, as deploy/envoy/Dockerfile renders it) passes envoy --mode validate" envoy_image_config

echo "validate-deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
