/**
 * Every package a service may import at run time: its declared dependencies and theirs,
 * transitively, as installed in the workspace (workspace packages by their own manifests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  /** Optional peers (debug's supports-color): imported when installed. */
  peerDependenciesMeta?: Record<string, unknown>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules/<name> above it. */
function installedDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The names of every package reachable from `apps/<service>`'s runtime dependencies. */
export function dependencyClosure(workspaceRoot: string, service: string): Set<string> {
  const start = join(workspaceRoot, 'apps', service);
  const names = new Set<string>([readManifest(start).name ?? service]);
  const seenDirs = new Set<string>([start]);
  const queue = [start];
  for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
    const manifest = readManifest(dir);
    const dependencies = {
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
      ...manifest.peerDependenciesMeta,
    };
    for (const name of Object.keys(dependencies)) {
      const found = installedDir(name, dir);
      names.add(name);
      if (!found) continue; // an optional dependency that is not installed for this platform
      if (seenDirs.has(found)) continue;
      seenDirs.add(found);
      queue.push(found);
    }
  }
  return names;
}
