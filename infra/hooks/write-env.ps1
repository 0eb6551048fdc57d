# azd postprovision hook (Windows): the environment's values (the main.bicep outputs plus azd's own
# settings; endpoints and names only, the template has no keys to write) go to the git-ignored
# .env.azure at the repository root, for local runs against the Azure resources just provisioned.
# Not .env: Nx loads that file into every task it runs, and the tests must never see real endpoints.
# An AZURE_CLIENT_ID line is dropped: it names a managed identity, and any credential that reads it
# (@keyless/auth's managed-identity rules, DefaultAzureCredential) would then try to be that
# identity instead of the developer.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$envFile = Join-Path $root '.env.azure'
$values = azd env get-values
if ($LASTEXITCODE -ne 0) { throw "azd env get-values failed (exit $LASTEXITCODE); run 'azd env refresh' and retry." }
$values | Where-Object { $_ -notmatch '^AZURE_CLIENT_ID=' } | Out-File -FilePath $envFile -Encoding utf8
Write-Host "Wrote $envFile from azd environment '$env:AZURE_ENV_NAME' (git-ignored; no keys; without AZURE_CLIENT_ID)."
