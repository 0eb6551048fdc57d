// Regenerates infra/REFERENCE.md from the contract model (`npm run reference:sync -w @keyless/infra`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReference } from '../contract.ts';
import { discoverServices } from '../services.ts';

const infraDir = join(import.meta.dirname, '..', '..');
const target = join(infraDir, 'REFERENCE.md');
writeFileSync(target, await renderReference(discoverServices(join(infraDir, '..'))));
console.log(`wrote ${target}`);
