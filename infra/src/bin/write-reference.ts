// Regenerates infra/REFERENCE.md from the compiled main.bicep (`npm run reference:sync -w @keyless/infra`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModels, readRegistry } from '@keyless/registry';
import { build } from '../cli/run.ts';
import { renderReference } from '../reference.ts';
import { infraDir, requireRepoBicep } from './repo-bicep.ts';

const root = join(infraDir, '..');
const cli = requireRepoBicep();
const built = await build(cli.path, join(infraDir, 'main.bicep'));
if (!built.ok) {
  console.error(built.stderr);
  process.exit(1);
}
const target = join(infraDir, 'REFERENCE.md');
writeFileSync(
  target,
  await renderReference({
    file: target,
    template: built.template,
    parameters: JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as never,
    services: readRegistry(root).services,
    models: readModels(root),
  }),
);
console.log(`wrote ${target}`);
