/**
 * What the generator needs to know about the workspace before it plans anything: the services
 * that exist (from their package.json `keyless` field), every name already in use, and the next
 * free local port.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ServiceKind = 'api' | 'worker';

export interface ExistingService {
  name: string;
  kind: ServiceKind;
  port: number;
}

export interface Workspace {
  root: string;
  services: ExistingService[];
  /** Folder names under apps/, packages/ and tools/, and `@keyless/*` package names without the scope. */
  takenNames: Set<string>;
  /** One above the highest port any service uses (3000 in an empty workspace). */
  nextPort: number;
}

const projectFolders = ['apps', 'packages', 'tools'];

export function readWorkspace(root: string): Workspace {
  const takenNames = new Set<string>();
  const services: ExistingService[] = [];
  for (const folder of projectFolders) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      takenNames.add(entry.name);
      const manifest = readManifest(join(parent, entry.name, 'package.json'));
      if (!manifest) continue;
      if (typeof manifest.name === 'string' && manifest.name.startsWith('@keyless/')) {
        takenNames.add(manifest.name.slice('@keyless/'.length));
      }
      const service = serviceOf(entry.name, manifest.keyless);
      if (folder === 'apps' && service) services.push(service);
    }
  }
  const ports = services.map((service) => service.port);
  return { root, services, takenNames, nextPort: ports.length ? Math.max(...ports) + 1 : 3000 };
}

interface Manifest {
  name?: unknown;
  keyless?: unknown;
}

function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

function serviceOf(name: string, keyless: unknown): ExistingService | undefined {
  if (typeof keyless !== 'object' || keyless === null) return undefined;
  const { kind, port } = keyless as { kind?: unknown; port?: unknown };
  if ((kind !== 'api' && kind !== 'worker') || typeof port !== 'number') return undefined;
  return { name, kind, port };
}
