// azd preprovision hook (infra/hooks/preprovision.sh and .ps1 run this with Node): stops before
// anything is created when a model, its quota or the right to assign roles is missing, and settles
// what main.bicep reads from the azd environment. Exit 1 with the problem and its fix.
import { readModels, readRegistry } from '@keyless/registry';
import { join } from 'node:path';
import { cli } from '../preflight/command.ts';
import { preprovision } from '../preflight/preprovision.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const result = preprovision({
  env: process.env,
  services: readRegistry(root).services,
  models: readModels(root),
  az: cli('az', process.env),
  azd: cli('azd', process.env),
});
for (const note of result.notes) console.log(`preprovision: ${note}`);
for (const problem of result.problems) {
  console.error(`preprovision: ${problem.code}: ${problem.message}\n  fix: ${problem.fix}`);
}
if (result.problems.length > 0) process.exitCode = 1;
else
  console.log(
    'preprovision: models, quota and role-assignment right checked; provisioning can start',
  );
