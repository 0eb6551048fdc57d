/**
 * Bundles a service for its container image: the service and the workspace packages it imports
 * (`@keyless/*`, which ship as TypeScript source) go into one `dist/main.js`; third-party
 * packages stay external and are installed in the image with `npm ci --omit=dev`.
 *
 * Usage (from a service folder): node ../../tools/build/bundle.ts [entry=src/main.ts]
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

interface PackageJson {
  dependencies?: Record<string, string>;
}

const projectRoot = process.cwd();
const entry = process.argv[2] ?? 'src/main.ts';

const manifest = JSON.parse(
  await readFile(resolve(projectRoot, 'package.json'), 'utf8'),
) as PackageJson;

// Third-party dependencies of the service and of the workspace packages it bundles.
async function externalDependencies(dependencies: Record<string, string>): Promise<string[]> {
  const external = new Set<string>();
  for (const name of Object.keys(dependencies)) {
    if (!name.startsWith('@keyless/')) {
      external.add(name);
      continue;
    }
    const workspaceManifest = JSON.parse(
      await readFile(resolve(projectRoot, 'node_modules', name, 'package.json'), 'utf8').catch(() =>
        readFile(resolve(projectRoot, '../../node_modules', name, 'package.json'), 'utf8'),
      ),
    ) as PackageJson;
    for (const dependency of await externalDependencies(workspaceManifest.dependencies ?? {})) {
      external.add(dependency);
    }
  }
  return [...external];
}

const result = await build({
  entryPoints: [resolve(projectRoot, entry)],
  outfile: resolve(projectRoot, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  sourcemap: true,
  external: await externalDependencies(manifest.dependencies ?? {}),
  logLevel: 'warning',
  metafile: true,
});

const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundled ${inputs} source files into dist/main.js`);
