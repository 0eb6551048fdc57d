/**
 * Bundles a service for its container image: the service, the workspace packages it imports and
 * every third-party package they import go into one self-contained `dist/main.mjs`, so the image's
 * runtime stage is Node and that file, with no `node_modules` at all.
 *
 * Usage (from a service folder): node ../../tools/build/bundle.ts [entry=src/main.ts] [outdir=dist]
 */
import { resolve } from 'node:path';
import { bundleService } from './src/bundle-service.ts';

const projectRoot = process.cwd();
const [entry = 'src/main.ts', outdir = 'dist'] = process.argv.slice(2);

try {
  const result = await bundleService({
    entry: resolve(projectRoot, entry),
    outdir: resolve(projectRoot, outdir),
  });
  console.log(`bundled ${result.inputs} source files into ${outdir}/main.mjs`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
