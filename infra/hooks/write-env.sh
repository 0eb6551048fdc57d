#!/bin/sh
# azd postprovision hook: the environment's values (the main.bicep outputs plus azd's own settings;
# endpoints and names only, the template has no keys to write) go to the git-ignored .env.azure at
# the repository root, for local runs against the Azure resources just provisioned
# (`node --env-file=.env.azure ...`, `npm run doctor`). Not .env: Nx loads that file into every
# task it runs, and the tests must never see real endpoints. An AZURE_CLIENT_ID line is dropped: it
# names a managed identity, and any credential that reads it (@keyless/auth's managed-identity rules,
# DefaultAzureCredential) would then try to be that identity instead of the developer.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
values="$(azd env get-values)"
printf '%s\n' "$values" | sed '/^AZURE_CLIENT_ID=/d' > "$root/.env.azure"
echo "Wrote $root/.env.azure from azd environment '${AZURE_ENV_NAME:-current}' (git-ignored; no keys; without AZURE_CLIENT_ID)."
