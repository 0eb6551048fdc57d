#!/bin/sh
# azd preprovision hook: the checks and settings in infra/src/bin/preprovision.ts (one
# implementation for this and preprovision.ps1), run with the repository's Node 24 after `npm ci`.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
node="$root/node_modules/.bin/node"
if [ ! -x "$node" ]; then
  echo "preprovision: run 'npm ci' at $root first (the hook runs on the repository's Node)." >&2
  exit 1
fi
exec "$node" "$root/infra/src/bin/preprovision.ts"
