#!/bin/sh
# azd postprovision hook: the environment's values (the main.bicep outputs plus azd's own settings;
# endpoints and names only, the template has no keys to write) go to the git-ignored .env at the
# repository root, so `npm start`-style local runs can talk to the Azure resources just provisioned.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
azd env get-values > "$root/.env"
echo "Wrote $root/.env from azd environment '${AZURE_ENV_NAME:-current}' (git-ignored; no keys)."
