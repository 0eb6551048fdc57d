import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const module = new URL('./compile-cache.ts', import.meta.url).href;
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * Files in the cache after a process that loads a module, maybe persists, says so, and is then
 * killed from outside, as the suites and the container runtime stop a service.
 */
async function cachedAfterKill(persist: boolean): Promise<string[]> {
  const cache = mkdtempSync(join(tmpdir(), 'keyless-compile-cache-'));
  folders.push(cache);
  const script = [
    `import { persistCompileCache } from '${module}';`,
    // Any module compiled at start-up; zod is one every service loads.
    "await import('zod');",
    persist ? 'persistCompileCache();' : '',
    "console.log('up');",
    'setInterval(() => undefined, 1000);',
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: cache },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout, 'data');
  child.kill('SIGKILL');
  const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
  expect(signal).toBe('SIGKILL');
  return readdirSync(cache, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('persistCompileCache', () => {
  it('writes the compile cache of a process that is then killed', async () => {
    expect((await cachedAfterKill(true)).length).toBeGreaterThan(0);
  });

  it('is what makes the difference: a killed process writes none by itself', async () => {
    expect(await cachedAfterKill(false)).toEqual([]);
  });
});
