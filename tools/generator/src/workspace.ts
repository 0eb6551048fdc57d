/**
 * What the generator needs to know about the workspace before it plans anything: the services
 * (services.json, through @keyless/registry), every name already in use, and the next free port.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRegistry } from '@keyless/registry';
import type { Registry, ServiceKind } from '@keyless/registry';

export type { ServiceKind };

export interface Workspace {
  root: string;
  registry: Registry;
  /** Services in services.json, folders under apps/, packages/ and tools/, and `@keyless/*` names without the scope. */
  takenNames: Set<string>;
  /** One above the highest port any service uses (3000 in an empty workspace). */
  nextPort: number;
}

const projectFolders = ['apps', 'packages', 'tools'];

export function readWorkspace(root: string): Workspace {
  const registry = readRegistry(root);
  const takenNames = new Set(registry.services.map((service) => service.name));
  for (const folder of projectFolders) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      takenNames.add(entry.name);
      const name = packageName(join(parent, entry.name, 'package.json'));
      if (name?.startsWith('@keyless/')) takenNames.add(name.slice('@keyless/'.length));
    }
  }
  const ports = registry.services.map((service) => service.port);
  return { root, registry, takenNames, nextPort: ports.length ? Math.max(...ports) + 1 : 3000 };
}

function packageName(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const { name } = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
