import { readRegistry } from '@keyless/registry';
import type { Service } from '@keyless/registry';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageConfig } from '../src/buildah.ts';
import { bundleInto } from '../src/bundle.ts';
import { dependencyClosure } from '../src/dependency-closure.ts';
import { imageProblems, runtimePackages } from '../src/image-checks.ts';
import type { BuiltImage } from '../src/image-checks.ts';
import { workspaceRoot } from './workspace.ts';

// A scratch copy of what the api's image holds: its real bundle in /app, node:24-slim's config plus the Dockerfile's.
const api = readRegistry(workspaceRoot).services.find(
  (service): service is Service => service.kind === 'api',
)!;
const baseConfig: ImageConfig = {
  Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca.crt'],
  Cmd: ['node'],
};
const goodConfig: ImageConfig = {
  User: 'node',
  Env: [...baseConfig.Env!, 'NODE_ENV=production', 'HOST=0.0.0.0', `PORT=${api.port}`],
  Cmd: ['node', '--enable-source-maps', 'main.mjs'],
  WorkingDir: '/app',
  ExposedPorts: { [`${api.port}/tcp`]: {} },
};

let scratch: string;
let pristine: string;
let good: BuiltImage;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'image-checks-'));
  pristine = join(scratch, 'pristine');
  await mkdir(join(pristine, 'app'), { recursive: true });
  await bundleInto(workspaceRoot, api.name, join(pristine, 'app'));
  good = {
    service: api,
    config: goodConfig,
    baseConfig,
    onBase: true,
    root: pristine,
    allowedPackages: dependencyClosure(workspaceRoot, api.name),
    bundleSourceDir: join(pristine, 'app'),
  };
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh copy of the good image's files, changed by `change`. */
async function variant(name: string, change: (app: string) => Promise<void>): Promise<BuiltImage> {
  const root = join(scratch, name.replaceAll(/\W+/g, '-'));
  await cp(pristine, root, { recursive: true });
  await change(join(root, 'app'));
  return { ...good, root };
}

describe('the checks of a built image', () => {
  it('pass the api’s real bundle with the Dockerfile’s configuration (so each failure below has one cause)', async () => {
    expect(await imageProblems(good)).toEqual([]);
  });

  it('find no installed packages and only the api’s own dependencies in its bundle', async () => {
    const { installed, bundled } = await runtimePackages(good);
    expect(installed).toEqual([]);
    expect(bundled).toEqual(expect.arrayContaining(['@keyless/api', 'express', 'openai', 'pino']));
    expect(bundled).not.toContain('azurite');
  });

  it.each([
    ['root as the user', { User: 'root' }, /runs as root/],
    ['no USER', { User: '' }, /runs as root \(no USER\)/],
    [
      'loopback as HOST',
      { Env: [...baseConfig.Env!, 'HOST=127.0.0.1', `PORT=${api.port}`] },
      /HOST is 127\.0\.0\.1/,
    ],
    ['no HOST', { Env: [...baseConfig.Env!, `PORT=${api.port}`] }, /HOST is not set/],
    ['another PORT', { Env: [...baseConfig.Env!, 'HOST=0.0.0.0', 'PORT=8080'] }, /PORT is 8080/],
    [
      'a key in the environment',
      { Env: [...goodConfig.Env!, 'AZURE_OPENAI_API_KEY=abc'] },
      /sets AZURE_OPENAI_API_KEY, which looks like a secret/,
    ],
    ['a HEALTHCHECK', { Healthcheck: { Test: ['CMD', 'true'] } }, /HEALTHCHECK/],
    ['a CMD whose file is missing', { Cmd: ['node', 'dist/main.mjs'] }, /CMD runs dist\/main\.mjs/],
  ])('fail on %s, naming it', async (_what, change, problem) => {
    const image = { ...good, config: { ...goodConfig, ...change } };
    expect(await imageProblems(image)).toEqual([expect.stringMatching(problem)]);
  });

  it('fail on an image not built on node:24-slim', async () => {
    expect(await imageProblems({ ...good, onBase: false })).toEqual([
      expect.stringMatching(/do not start with node:24-slim/),
    ]);
  });

  it.each([
    ['an env file', '.env', /holds \/app\/\.env \(an env file\)/],
    ['an env variant', '.env.production', /holds \/app\/\.env\.production/],
    ['the local stack’s state', '.local-azure/stack.env', /holds \/app\/\.local-azure/],
    ['azd’s environment', '.azure/config.json', /holds \/app\/\.azure/],
    ['the Nx cache', '.nx/cache/x', /holds \/app\/\.nx/],
    ['an npm config', '.npmrc', /holds \/app\/\.npmrc/],
    ['a test file', 'lib/chat.test.js', /holds \/app\/lib\/chat\.test\.js \(a test file\)/],
    ['a bench folder', 'bench/run.js', /holds \/app\/bench \(tests or benchmarks\)/],
  ])('fail on %s inside the image', async (what, file, problem) => {
    const image = await variant(what, async (app) => {
      await mkdir(join(app, file, '..'), { recursive: true });
      await writeFile(join(app, file), 'x');
    });
    expect(await imageProblems(image)).toEqual([expect.stringMatching(problem)]);
  });

  it('fail on a runtime package the service does not need, naming it', async () => {
    const image = await variant('extra package', async (app) => {
      await mkdir(join(app, 'node_modules/left-pad'), { recursive: true });
      await writeFile(join(app, 'node_modules/left-pad/package.json'), '{"name":"left-pad"}');
    });
    expect(await imageProblems(image)).toEqual([
      expect.stringMatching(/installs left-pad, which api does not depend on/),
    ]);
  });

  it('fail on a bundle that carries the local stack, naming each package', async () => {
    const image = await variant('bundled local stack', async (app) => {
      const mapFile = join(app, 'main.mjs.map');
      const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[] };
      const local = join(workspaceRoot, 'packages/local-azure/src/index.ts');
      const azurite = join(workspaceRoot, 'node_modules/azurite/dist/src/azurite.js');
      map.sources.push(local, azurite);
      await writeFile(mapFile, JSON.stringify(map));
    });
    expect(await imageProblems(image)).toEqual([
      expect.stringMatching(/bundles @keyless\/local-azure, which api does not depend on/),
      expect.stringMatching(/bundles azurite, which api does not depend on/),
    ]);
  });
});
