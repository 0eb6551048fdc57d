/**
 * Records a new workspace package in package-lock.json the way npm does (`apps/<name>` with its
 * declared dependencies, and the `node_modules/@keyless/<name>` link), so `npm ci` accepts the
 * lockfile without a network round trip. The service's dependencies are ones the workspace
 * already installs, so no other entry changes; the generator's tests check the result against
 * `npm install --package-lock-only`.
 */
interface Lockfile {
  packages: Record<string, unknown>;
}

export interface WorkspaceManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function addLockfileWorkspace(
  text: string,
  folder: string,
  manifest: WorkspaceManifest,
): string {
  const lock = JSON.parse(text) as Lockfile;
  const missing = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ].filter((dependency) => !(`node_modules/${dependency}` in lock.packages));
  if (missing.length > 0) {
    throw new Error(
      `package-lock.json has no entry for ${missing.join(', ')}; run \`npm install\` once so the workspace installs them, then generate again.`,
    );
  }
  const entries: Record<string, unknown> = {
    [folder]: {
      name: manifest.name,
      version: manifest.version,
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.devDependencies ? { devDependencies: manifest.devDependencies } : {}),
    },
    [`node_modules/${manifest.name}`]: { resolved: folder, link: true },
  };
  lock.packages = insertSorted(lock.packages, entries);
  return `${JSON.stringify(lock, null, 2)}\n`;
}

// npm keeps `packages` sorted by key (root "" first). Each new key goes before the first existing
// one that sorts after it; existing keys keep their order, so the diff is only the new entries.
function insertSorted(
  packages: Record<string, unknown>,
  entries: Record<string, unknown>,
): Record<string, unknown> {
  const keys = Object.keys(packages);
  for (const key of Object.keys(entries)) {
    const before = keys.findIndex(
      (existing) => existing !== '' && existing.localeCompare(key, 'en') > 0,
    );
    keys.splice(before === -1 ? keys.length : before, 0, key);
  }
  const all = { ...packages, ...entries };
  return Object.fromEntries(keys.map((key) => [key, all[key]]));
}
