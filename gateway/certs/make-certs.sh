#!/usr/bin/env bash
# The platform's private CA and every certificate of mutual TLS, made with openssl (EC P-256 keys).
# Usage: gateway/certs/make-certs.sh [--force]
#   Writes to $CERTS_DIR (default .data/certs at the repository root, gitignored). Idempotent: a certificate
#   that exists, chains to the CA and is valid for RENEW_BEFORE_DAYS more days (default 30) is kept;
#   --force makes everything anew, CA included (every service then needs the new files).
#
#   ca.crt/.key                       the platform CA
#   auth|profile|friendship.crt/.key  each service, server and client: SAN DNS:<name>.identity.internal only
#   envoy.crt/.key                    the gateway, client: SAN DNS:envoy.identity.internal
#   redpanda.crt/.key                 docker compose's Kafka broker, server: SAN DNS:redpanda.identity.internal
#                                     and DNS:redpanda (the address the services and rpk dial in compose)
#   For the refusal tests (each must be refused by Envoy and by every service):
#   foreign-ca.crt/.key, foreign.crt/.key   another CA, and a cert from it carrying every platform name
#   intruder.crt/.key                       the right CA, another name (intruder.identity.internal)
#   expired.crt/.key                        the right CA and every platform name, expired yesterday
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${CERTS_DIR:-$root/.data/certs}"
renew_before_days="${RENEW_BEFORE_DAYS:-30}"
leaf_days="${LEAF_DAYS:-397}"
domain="identity.internal"
services=(auth profile friendship)
all_names="DNS:envoy.$domain,DNS:auth.$domain,DNS:profile.$domain,DNS:friendship.$domain"

log() { echo "[certs] $*" >&2; }
command -v openssl >/dev/null || { log "openssl is required"; exit 1; }
force=false
[ "${1:-}" = "--force" ] && force=true
mkdir -p "$dir"; chmod 700 "$dir"
cd "$dir"
umask 077

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# make_ca NAME SUBJECT
make_ca() {
  new_key "$1"
  openssl req -x509 -new -key "$1.key" -sha256 -days 3650 -subj "$2" -out "$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  log "made CA $1 ($2)"
}

# make_leaf NAME CA SANS EXTENDED_KEY_USAGE [x509 date args...]
make_leaf() {
  local name=$1 ca=$2 sans=$3 eku=$4
  new_key "$name"
  openssl req -new -key "$name.key" -subj "/O=identity platform/CN=$name.$domain" -out "$name.csr"
  cat >"$name.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=$eku
subjectAltName=$sans
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EXT
  openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -sha256 \
    -days "$leaf_days" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
  log "made $name ($sans, signed by $ca)"
}

# OpenSSL 3.0 has no -not_before/-not_after on `x509`: `openssl ca` sets explicit dates.
make_expired() {
  local name=expired db; db=$(mktemp -d)
  new_key "$name"
  openssl req -new -key "$name.key" -subj "/O=identity platform/CN=$name.$domain" -out "$name.csr"
  touch "$db/index.txt"; echo 1000 >"$db/serial"
  cat >"$db/ca.cnf" <<CNF
[ca]
default_ca = expired
[expired]
database = $db/index.txt
serial = $db/serial
new_certs_dir = $db
certificate = $dir/ca.crt
private_key = $dir/ca.key
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
organizationName = optional
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = $all_names
CNF
  local start end
  start=$(date -u -d '-30 days' +%Y%m%d%H%M%SZ); end=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
  openssl ca -batch -config "$db/ca.cnf" -startdate "$start" -enddate "$end" -notext \
    -in "$name.csr" -out "$name.crt" 2>/dev/null
  rm -rf "$db" "$name.csr"
  log "made $name (valid $start to $end, signed by ca)"
}

# fresh NAME CA: exists, chains to CA, and is not about to expire.
fresh() {
  [ -f "$1.crt" ] && [ -f "$1.key" ] && openssl verify -CAfile "$2.crt" "$1.crt" >/dev/null 2>&1 \
    && openssl x509 -in "$1.crt" -noout -checkend $((renew_before_days * 86400)) >/dev/null
}

if $force || ! [ -f ca.crt ] || ! [ -f ca.key ] || ! openssl x509 -in ca.crt -noout -checkend $((renew_before_days * 86400)) >/dev/null; then
  rm -f ./*.crt ./*.key ./*.srl
  make_ca ca "/O=identity platform/CN=identity platform CA"
fi
for svc in "${services[@]}"; do
  fresh "$svc" ca || make_leaf "$svc" ca "DNS:$svc.$domain" "serverAuth,clientAuth"
done
fresh envoy ca || make_leaf envoy ca "DNS:envoy.$domain" "clientAuth"
fresh redpanda ca || make_leaf redpanda ca "DNS:redpanda.$domain,DNS:redpanda" "serverAuth"
fresh intruder ca || make_leaf intruder ca "DNS:intruder.$domain" "serverAuth,clientAuth"
[ -f foreign-ca.crt ] && [ -f foreign-ca.key ] || make_ca foreign-ca "/O=somebody else/CN=foreign CA"
fresh foreign foreign-ca || make_leaf foreign foreign-ca "$all_names" "serverAuth,clientAuth"
# The expired one is kept while it still chains to the current CA (it is meant to fail -checkend).
{ [ -f expired.crt ] && openssl verify -CAfile ca.crt -no_check_time expired.crt >/dev/null 2>&1; } || make_expired
chmod 600 ./*.key; chmod 644 ./*.crt
echo "certs: ${dir#"$root"/} ready (CA $(openssl x509 -in ca.crt -noout -enddate | cut -d= -f2))"
