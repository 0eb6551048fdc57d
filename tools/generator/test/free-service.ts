/**
 * Names and ports for services the tests generate, worked out from the workspace they run in, so
 * the tests hold whatever services a user has already generated (a fixed "billing" would collide
 * with a user's own apps/billing). Read here independently of src/workspace.ts, so the tests still
 * check the generator's own answers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  name?: unknown;
  keyless?: { port?: unknown };
}

function manifests(root: string, folder: string): Array<{ folder: string; manifest: Manifest }> {
  const parent = join(root, folder);
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const path = join(parent, entry.name, 'package.json');
      const manifest = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : {};
      return { folder: entry.name, manifest };
    });
}

function takenNames(root: string): Set<string> {
  const taken = new Set<string>();
  for (const folder of ['apps', 'packages', 'tools']) {
    for (const project of manifests(root, folder)) {
      taken.add(project.folder);
      const name = project.manifest.name;
      if (typeof name === 'string') taken.add(name.replace(/^@keyless\//, ''));
    }
  }
  return taken;
}

/**
 * `base` (a valid, unreserved service name), or `base` with the lowest number appended that no
 * folder under apps/, packages/ or tools/ and no workspace package uses yet.
 */
export function freeServiceName(root: string, base: string): string {
  const taken = takenNames(root);
  for (let suffix = 1; ; suffix += 1) {
    const name = suffix === 1 ? base : `${base}${suffix}`;
    if (name.length > 15) {
      throw new Error(`No free service name from "${base}" within 15 characters in ${root}.`);
    }
    if (!taken.has(name)) return name;
  }
}

/** One above the highest `keyless.port` among apps/* (3000 when there are none): the next free port. */
export function nextFreePort(root: string): number {
  const ports = manifests(root, 'apps')
    .map((project) => project.manifest.keyless?.port)
    .filter((port): port is number => typeof port === 'number');
  return ports.length ? Math.max(...ports) + 1 : 3000;
}
