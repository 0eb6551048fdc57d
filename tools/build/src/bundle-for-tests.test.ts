import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError } from './bundle-service.ts';
import { bundleForTests } from './bundle-for-tests.ts';

const run = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), 'bundle-for-tests-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A service folder `<scratch>/<service>/src/main.ts` holding `source`. */
async function entry(service: string, source: string): Promise<string> {
  const path = join(scratch, service, 'src', 'main.ts');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, source);
  return path;
}

/** The folders bundleForTests made for `service` that are still there. */
async function foldersOf(service: string): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(`keyless-bundle-${service}-`));
}

describe('bundleForTests', () => {
  it('bundles the TypeScript entry into one main.mjs without a source map, which node runs alone as an ES module without guessing its format', async () => {
    const main = await entry(
      'greeter',
      "import { format } from 'node:util';\nconst greeting: string = format('hello %s', 'bundle');\nconsole.log(greeting);\n",
    );
    const bundle = await bundleForTests(main);
    try {
      expect(await readdir(dirname(bundle.main))).toEqual(['main.mjs']);
      // No package.json says "type": "module" here (nor in the image's /app); with detection off,
      // a main.js would fail to load, and with it on, Node reads and scans the whole file twice.
      const { stdout } = await run(
        process.execPath,
        ['--no-experimental-detect-module', bundle.main],
        { cwd: scratch },
      );
      expect(stdout.trim()).toBe('hello bundle');
    } finally {
      await bundle.remove();
    }
    expect(existsSync(dirname(bundle.main))).toBe(false);
  });

  it.each([
    ['require', 'computed-require', 'module.exports = (name) => require(name);\n'],
    ['import()', 'computed-import', 'module.exports = (name) => import(name);\n'],
  ])(
    'fails with BundleError naming the file, the line and the fix for a computed %s, and leaves no folder behind',
    async (_kind, service, plugin) => {
      // A name of this run's own, so a folder some earlier run left behind cannot count.
      const name = `${service}-${randomUUID().slice(0, 8)}`;
      const main = await entry(
        name,
        "import load from './plugin.cjs';\nawait load(process.argv[2] ?? 'x');\n",
      );
      await writeFile(join(dirname(main), 'plugin.cjs'), plugin);
      const error: unknown = await bundleForTests(main).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BundleError);
      expect((error as BundleError).problems.join('\n')).toContain('plugin.cjs:1:');
      expect((error as BundleError).fix).toMatch(/literal name/);
      expect(await foldersOf(name)).toEqual([]);
    },
  );
});
