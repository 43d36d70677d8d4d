#!/usr/bin/env bash
# Assembles the third-party .proto files the contract imports, from registry packages that ship them
# (never hand-copied): google/api and google/rpc from the npm package google-proto-files,
# buf/validate/validate.proto from the Maven Central artifact build.buf:protovalidate, and
# grpc/health/v1/health.proto and grpc/reflection/{v1,v1alpha}/reflection.proto from io.grpc:grpc-services (the schema registry is not reachable here).
# The result is committed in proto/third_party/ (a buf module of its own), so that plain `buf lint` and
# `buf generate` work on a fresh clone.
# Usage: scripts/proto-deps.sh            rewrite proto/third_party/ (after changing a version below)
#        scripts/proto-deps.sh --check    fail when proto/third_party/ differs from what the packages ship
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/node.sh
source "$root/scripts/lib/node.sh"
committed="$root/proto/third_party"
protovalidate_version="1.3.0"   # the version of @bufbuild/protovalidate in proto/package.json
grpc_services_version="1.76.0"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/google/api" "$out/google/rpc"
gpf="$(cd "$root" && node -p 'require("path").dirname(require.resolve("google-proto-files/package.json"))')"
cp "$gpf/google/api/"{annotations,http,httpbody}.proto "$out/google/api/"
cp "$gpf/google/rpc/"{status,error_details,code}.proto "$out/google/rpc/"

jar_dir="$root/.tools/maven"
mkdir -p "$jar_dir"
# extract_from_maven GROUP:ARTIFACT:VERSION PATH-IN-JAR
extract_from_maven() {
  local artifact="$1" member="$2"
  local jar="$jar_dir/$(echo "$artifact" | cut -d: -f2)-$(echo "$artifact" | cut -d: -f3).jar"
  if [ ! -f "$jar" ]; then
    mvn -q -B dependency:copy "-Dartifact=$artifact" "-DoutputDirectory=$jar_dir" >&2
  fi
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$jar" "$member" "$out"
}
extract_from_maven "build.buf:protovalidate:$protovalidate_version" buf/validate/validate.proto
extract_from_maven "io.grpc:grpc-services:$grpc_services_version" grpc/health/v1/health.proto
extract_from_maven "io.grpc:grpc-services:$grpc_services_version" grpc/reflection/v1/reflection.proto
extract_from_maven "io.grpc:grpc-services:$grpc_services_version" grpc/reflection/v1alpha/reflection.proto
cp "$committed/README.md" "$out/README.md" 2>/dev/null || true

if [ "${1:-}" = "--check" ]; then
  if ! diff -r "$committed" "$out" >/dev/null 2>&1; then
    echo "proto/third_party differs from what the registry packages ship; run 'bash scripts/proto-deps.sh' and commit:" >&2
    diff -r "$committed" "$out" >&2 || true
    exit 1
  fi
  echo "proto/third_party: the same as the registry packages"
else
  rm -rf "$committed" && mkdir -p "$committed" && cp -r "$out/." "$committed/"
  echo "proto/third_party: rewritten from the registry packages"
fi
