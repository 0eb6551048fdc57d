/**
 * What each service's image ships at run time, next to what it shipped before (issue 14's
 * 449 MB / 257 packages, and the same recipe measured again on today's lockfile in this run).
 *
 *   npm run bench -w @keyless/images      (or npm run bench for every project)
 *
 * The runtime is the bundle, built here exactly as the Dockerfile builds it; the image sizes are
 * those of the images `build-all` last built, when buildah and the images are there.
 */
import { findWorkspaceRoot, readRegistry } from '@keyless/registry';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageExists, imageSize } from '../src/buildah.ts';
import { bundleInto } from '../src/bundle.ts';
import { packagesOfSources } from '../src/bundle-packages.ts';
import { imageReference } from '../src/images.ts';
import { oldRuntime } from '../src/old-runtime.ts';
import { before, megabytes } from '../src/report.ts';
import { missingTools } from '../src/tools.ts';
import { readFile } from 'node:fs/promises';

const workspaceRoot = findWorkspaceRoot(process.cwd());
if (!workspaceRoot) throw new Error(`No services.json above ${process.cwd()}`);
const { services } = readRegistry(workspaceRoot);
const withBuildah = (await missingTools(process.env.PATH ?? '')).length === 0;

const old = await oldRuntime(workspaceRoot);
console.log(
  `before, per image (issue 14, measured in a built image): runtime node_modules ${before.runtimeMegabytes} MB, ${before.packages} top-level packages`,
);
console.log(
  `before, approximated on today's lockfile (its production packages, as npm ci --omit=dev installs them for any --workspace, sized from this checkout): ${megabytes(old.bytes)} MB, ${old.packages} packages`,
);

const scratch = await mkdtemp(join(tmpdir(), 'image-bench-'));
try {
  for (const service of services) {
    const out = join(scratch, service.name);
    const started = performance.now();
    await bundleInto(workspaceRoot, service.name, out);
    const seconds = (performance.now() - started) / 1000;
    const bundle = (await stat(join(out, 'main.mjs'))).size;
    const map = (await stat(join(out, 'main.mjs.map'))).size;
    const sources = (
      JSON.parse(await readFile(join(out, 'main.mjs.map'), 'utf8')) as { sources: string[] }
    ).sources;
    const packages = packagesOfSources(sources, out).length;
    const image =
      withBuildah && (await imageExists(imageReference(service)))
        ? `, image ${megabytes(await imageSize(imageReference(service)))} MB (as build-all last built it)`
        : withBuildah
          ? ', no image built yet (npx nx run @keyless/images:build-all)'
          : ', image size needs buildah (npx nx run @keyless/images:build-all says how to get it)';
    console.log(
      `${service.name}: runtime ${megabytes(bundle + map)} MB (main.mjs ${megabytes(bundle)} MB + source map ${megabytes(map)} MB), node_modules 0 packages, ${packages} packages bundled; ${(old.bytes / (bundle + map)).toFixed(0)}x smaller than today's old recipe; bundled in ${seconds.toFixed(1)} s${image}`,
    );
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
