import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleService } from './bundle-service.ts';

const run = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), 'bundle-source-map-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function write(path: string, text: string): Promise<string> {
  const absolute = join(scratch, path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, text);
  return absolute;
}

describe("the image's source map", () => {
  it('lists every source but maps only frames in the service to its TypeScript, leaving frames inside a package on main.mjs', async () => {
    await write(
      'svc/node_modules/thrower/index.js',
      "export function theirs() {\n  throw new Error('theirs');\n}\n",
    );
    // Bundled before the package, so a lookup inside the package that fell back to the nearest
    // earlier mapping would land here.
    await write('svc/src/first.ts', "export const first: string[] = ['first'];\n");
    const entry = await write(
      'svc/src/main.ts',
      [
        "import { first } from './first.ts';",
        "import { theirs } from 'thrower';",
        'function ours(): never {',
        '  throw new Error(`ours after ${first.join()}`);',
        '}',
        'for (const call of [ours, theirs]) {',
        '  try {',
        '    call();',
        '  } catch (error) {',
        "    console.log((error as Error).stack?.split('\\n')[1]);",
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const outdir = join(scratch, 'svc/dist');
    const { outfile } = await bundleService({ entry, outdir });

    // Both sources are listed (what went into the bundle); only ours keeps its mappings.
    const map = JSON.parse(await readFile(`${outfile}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.sort()).toEqual([
      '../node_modules/thrower/index.js',
      '../src/first.ts',
      '../src/main.ts',
    ]);
    const { stdout } = await run(process.execPath, ['--enable-source-maps', outfile]);
    const [ourFrame, theirFrame] = stdout.trim().split('\n');
    expect(ourFrame).toContain(`${join(scratch, 'svc/src/main.ts')}:4:`);
    expect(theirFrame).toContain(`${outfile}:`);
    expect(theirFrame).not.toMatch(/main\.ts|first\.ts/);
  });
});
