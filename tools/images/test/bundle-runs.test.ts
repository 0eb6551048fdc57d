import { readRegistry } from '@keyless/registry';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInto } from '../src/bundle.ts';
import { freePort, ServiceProcess } from '../src/service-process.ts';
import { checkService } from '../src/smoke.ts';
import { startCheckStack } from '../src/stack.ts';
import type { CheckStack } from '../src/stack.ts';
import { workspaceRoot } from './workspace.ts';

// Every service in services.json, so generated ones are covered without a test of their own.
const services = readRegistry(workspaceRoot).services;

/** Any node_modules that Node's resolution could reach from `dir`. */
function reachableNodeModules(dir: string): string[] {
  const found: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) found.push(join(at, 'node_modules'));
    if (dirname(at) === at) return found;
  }
}

/**
 * The folders under node_modules that a source map's `sources` take `name` from. npm installs one
 * version in several folders when it cannot hoist it; the root package.json's `overrides` exist so
 * that these packages each come from one (see the README's "Runtime").
 */
function installFolders(sources: readonly string[], name: string): string[] {
  const folders = new Set<string>();
  for (const source of sources) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(source);
    if (match?.[2] === name) folders.add(match[1]!);
  }
  return [...folders];
}

/** Packages that the root `overrides` keep to at most one install folder in every bundle. */
const oneCopyAtMost = [
  'zod',
  'mime-db',
  '@opentelemetry/core',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/otlp-transformer',
  '@opentelemetry/otlp-exporter-base',
];

let stack: CheckStack;
const folders: string[] = [];

beforeAll(async () => {
  stack = await startCheckStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the services', () => {
  it('include an api and a worker (so the bundle checks below cannot pass on an empty list)', () => {
    expect(services.map((service) => service.kind)).toEqual(
      expect.arrayContaining(['api', 'worker']),
    );
  });
});

describe.each(services.map((service) => [service.name, service] as const))(
  "the %s service's bundle",
  (_name, service) => {
    it('runs alone from a folder with no node_modules, with no two copies of zod, the MIME database or OpenTelemetry in it: /readyz answers and so does a real call', async () => {
      const folder = await mkdtemp(join(tmpdir(), `bundle-${service.name}-`));
      folders.push(folder);
      await bundleInto(workspaceRoot, service.name, folder);
      expect((await readdir(folder)).sort()).toEqual(['main.mjs', 'main.mjs.map']);
      expect(reachableNodeModules(folder)).toEqual([]);
      const { sources } = JSON.parse(await readFile(join(folder, 'main.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      const twice = oneCopyAtMost.filter((name) => installFolders(sources, name).length > 1);
      expect(twice).toEqual([]);

      const port = await freePort();
      const child = new ServiceProcess(process.execPath, ['--enable-source-maps', 'main.mjs'], {
        cwd: folder,
        env: { PATH: process.env.PATH ?? '', ...stack.envFor(service, port) },
      });
      try {
        const answer = await checkService(
          service,
          `http://127.0.0.1:${port}`,
          stack.storage,
          child.exited,
        );
        expect(answer).toMatch(/\S/);
      } catch (error) {
        throw new Error(`${String(error)}\n--- service output ---\n${child.output.join('\n')}`, {
          cause: error,
        });
      } finally {
        await child.stop();
      }
      expect(child.output.join('\n')).not.toMatch(/Cannot find (module|package)/);
    }, 180_000);
  },
);
