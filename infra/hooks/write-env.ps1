# azd postprovision hook (Windows): the environment's values (the main.bicep outputs plus azd's own
# settings; endpoints and names only, the template has no keys to write) go to the git-ignored .env
# at the repository root, for local runs against the Azure resources just provisioned.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$envFile = Join-Path $root '.env'
azd env get-values | Out-File -FilePath $envFile -Encoding utf8
if ($LASTEXITCODE -ne 0) { throw "azd env get-values failed (exit $LASTEXITCODE); run 'azd env refresh' and retry." }
Write-Host "Wrote $envFile from azd environment '$env:AZURE_ENV_NAME' (git-ignored; no keys)."
