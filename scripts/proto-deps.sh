#!/usr/bin/env bash
# Assembles the third-party .proto files the contract imports, from registry packages that ship them
# (never hand-copied): google/api and google/rpc from the npm package google-proto-files, and
# buf/validate/validate.proto from the Maven Central artifact build.buf:protovalidate (the schema
# registry is not reachable from these machines). Output: .tools/proto-deps/, a buf module of its own.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/node.sh
source "$root/scripts/lib/node.sh"
out="$root/.tools/proto-deps"
protovalidate_version="1.3.0"   # the version of @bufbuild/protovalidate in proto/package.json
stamp="$out/.stamp-$protovalidate_version"
[ -f "$stamp" ] && exit 0

rm -rf "$out" && mkdir -p "$out/google/api" "$out/google/rpc" "$out/buf/validate"
gpf="$(cd "$root" && node -p 'require("path").dirname(require.resolve("google-proto-files/package.json"))')"
cp "$gpf/google/api/"{annotations,http,httpbody}.proto "$out/google/api/"
cp "$gpf/google/rpc/"{status,error_details,code}.proto "$out/google/rpc/"

jar_dir="$root/.tools/maven"
mkdir -p "$jar_dir"
jar="$jar_dir/protovalidate-$protovalidate_version.jar"
if [ ! -f "$jar" ]; then
  mvn -q -B dependency:copy "-Dartifact=build.buf:protovalidate:$protovalidate_version" "-DoutputDirectory=$jar_dir" >&2
fi
python3 - "$jar" "$out" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extract("buf/validate/validate.proto", sys.argv[2])
PY
touch "$stamp"
