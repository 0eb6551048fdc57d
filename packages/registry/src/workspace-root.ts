import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { registryFile } from './registry.ts';

/** The nearest folder at or above `from` that holds services.json, or undefined. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, registryFile))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
