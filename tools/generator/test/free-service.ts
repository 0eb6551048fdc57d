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

function registeredServices(root: string): Array<{ name: string; port: number }> {
  const file = join(root, 'services.json');
  if (!existsSync(file)) return [];
  return (
    JSON.parse(readFileSync(file, 'utf8')) as { services: Array<{ name: string; port: number }> }
  ).services;
}

function takenNames(root: string): Set<string> {
  const taken = new Set<string>(registeredServices(root).map((service) => service.name));
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
 * service in services.json, folder under apps/, packages/ or tools/ and no workspace package uses yet.
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

/** One above the highest port in services.json (3000 when there is none): the next free port. */
export function nextFreePort(root: string): number {
  const ports = registeredServices(root).map((service) => service.port);
  return ports.length ? Math.max(...ports) + 1 : 3000;
}
