// Regenerates core/security/roles.json from @keyless/roles (`npm run roles:sync -w @keyless/infra`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRolesJson, rolesJsonPath } from '../roles-json.ts';

const target = join(import.meta.dirname, '..', '..', rolesJsonPath);
writeFileSync(target, renderRolesJson());
console.log(`wrote ${target}`);
