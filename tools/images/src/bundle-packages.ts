/** Which npm packages a bundle's source files belong to. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const nodeModules = `${sep}node_modules${sep}`;

/** The name of the package a file installed under `node_modules` belongs to. */
function installedPackageName(file: string): string {
  const rest = file.slice(file.lastIndexOf(nodeModules) + nodeModules.length).split(sep);
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? '');
}

/** The name in the nearest package.json above a file (a workspace package's source). */
function owningPackageName(
  file: string,
  cache: Map<string, string | undefined>,
): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (cache.has(dir)) return cache.get(dir);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      cache.set(dir, name);
      return name;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The packages that a list of source paths (esbuild's metafile inputs, a source map's `sources`)
 * come from, sorted. Paths are resolved against `baseDir`; esbuild's virtual inputs are skipped.
 */
export function packagesOfSources(sources: readonly string[], baseDir: string): string[] {
  const names = new Set<string>();
  const cache = new Map<string, string | undefined>();
  for (const source of sources) {
    if (source.includes(':') && !source.startsWith(sep)) continue; // e.g. <runtime>, (disabled):x
    const file = resolve(baseDir, source);
    const name = file.includes(nodeModules)
      ? installedPackageName(file)
      : owningPackageName(file, cache);
    if (name) names.add(name);
  }
  return [...names].sort();
}
