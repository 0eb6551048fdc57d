// `npm run bicep -- <args>`: runs the Bicep CLI found in the documented order (BICEP_PATH, PATH,
// ~/.azure/bin, ~/.azd/bin, else a NuGet restore into infra/.bicep-cli when dotnet is present),
// e.g. `npm run bicep -- build infra/main.bicep`. `npm run bicep -- --which` prints where it is.
import { spawnSync } from 'node:child_process';
import { requireRepoBicep } from './repo-bicep.ts';

const cli = requireRepoBicep();
const args = process.argv.slice(2);
if (args[0] === '--which') {
  console.log(`${cli.path} (${cli.source})`);
} else {
  const run = spawnSync(cli.path, args, { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}
