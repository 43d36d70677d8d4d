#!/usr/bin/env bash
# docker compose's one-shot `redpanda-init`: each service's SCRAM-SHA-512 user and its ACLs on Redpanda, from
# the table deploy/kafka/service-acls.txt (the same table scripts/components/kafka.sh grants on the local broker).
# Idempotent, so it runs on every `docker compose up`: an existing user gets its password from the env files
# again (a changed <SERVICE>_KAFKA_PASSWORD takes effect), and adding an ACL that exists changes nothing.
# rpk talks to Redpanda as the bootstrap superuser, through its RPK_* environment (brokers, TLS CA, user).
# Passwords: <SERVICE>_KAFKA_PASSWORD (AUTH_KAFKA_PASSWORD...), from .env or the --env-file (.env.prod).
set -euo pipefail
table="${KAFKA_ACL_TABLE:-/kafka/service-acls.txt}"
[ -r "$table" ] || { echo "redpanda-init: the ACL table $table is missing" >&2; exit 1; }

while read -r svc writes reads; do
  case "$svc" in '' | '#'*) continue ;; esac
  password_var="$(printf '%s' "$svc" | tr '[:lower:]-' '[:upper:]_')_KAFKA_PASSWORD"
  password="${!password_var:-}"
  [ -n "$password" ] || { echo "redpanda-init: $password_var is not set (the password of the principal $svc)" >&2; exit 1; }
  if ! rpk security user create "$svc" --password "$password" --mechanism SCRAM-SHA-512 >/dev/null 2>&1; then
    rpk security user update "$svc" --new-password "$password" --mechanism SCRAM-SHA-512 >/dev/null
  fi
  principal="User:$svc"
  # Every service creates and describes the platform's topics at start.
  rpk security acl create --allow-principal "$principal" --operation describe,create \
    --topic identity. --topic social. --resource-pattern-type prefixed >/dev/null
  if [ "$writes" != "-" ]; then
    topics=()
    for topic in ${writes//,/ }; do topics+=(--topic "$topic"); done
    rpk security acl create --allow-principal "$principal" --operation write,describe "${topics[@]}" >/dev/null
  fi
  if [ "$reads" != "-" ]; then
    topics=()
    for topic in ${reads//,/ }; do topics+=(--topic "$topic"); done
    rpk security acl create --allow-principal "$principal" --operation read,describe "${topics[@]}" >/dev/null
    rpk security acl create --allow-principal "$principal" --operation read --group "$svc." \
      --resource-pattern-type prefixed >/dev/null
  fi
  echo "redpanda-init: $svc writes ${writes}, reads ${reads}"
done <"$table"
echo "redpanda-init: users and ACLs granted"
