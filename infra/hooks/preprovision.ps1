# azd preprovision hook (Windows): the checks and settings in infra/src/bin/preprovision.ts (one
# implementation for this and preprovision.sh), run with the repository's Node 24 after `npm ci`.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$node = Join-Path $root 'node_modules/.bin/node.cmd'
if (-not (Test-Path $node)) { $node = Join-Path $root 'node_modules/.bin/node' }
if (-not (Test-Path $node)) { throw "preprovision: run 'npm ci' at $root first (the hook runs on the repository's Node)." }
& $node (Join-Path $root 'infra/src/bin/preprovision.ts')
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
