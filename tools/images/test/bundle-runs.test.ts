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

/** Each package in a source map's `sources`, with the node_modules folders it came from. */
function installFolders(sources: readonly string[]): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  for (const source of sources) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(source);
    if (!match) continue;
    const [, folder, name] = match as unknown as [string, string, string];
    folders.set(name, (folders.get(name) ?? new Set()).add(folder));
  }
  return folders;
}

/**
 * What must come from one install folder in every bundle, as the root package.json's `overrides`
 * keep it (README "Runtime"): zod, the MIME database and every OpenTelemetry package. Except
 * `@opentelemetry/api-logs` (8 small files): Azurite's Application Insights packages hold its root
 * folder with another release, so npm nests ours twice, and overriding theirs left npm with none.
 */
function mustBeOneCopy(name: string): boolean {
  if (name === 'zod' || name === 'mime-db') return true;
  return name.startsWith('@opentelemetry/') && name !== '@opentelemetry/api-logs';
}

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
      const twice = [...installFolders(sources)]
        .filter(([name, folders]) => mustBeOneCopy(name) && folders.size > 1)
        .map(([name, folders]) => `${name}: ${[...folders].join(', ')}`);
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
