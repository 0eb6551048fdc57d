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
  it('lists every source but maps only frames in the service to its TypeScript, leaving frames inside a package on main.js', async () => {
    await write(
      'svc/node_modules/thrower/index.js',
      "export function theirs() {\n  throw new Error('theirs');\n}\n",
    );
    const entry = await write(
      'svc/src/main.ts',
      [
        "import { theirs } from 'thrower';",
        'function ours(): never {',
        "  throw new Error('ours');",
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
    expect(map.sources.sort()).toEqual(['../node_modules/thrower/index.js', '../src/main.ts']);
    const { stdout } = await run(process.execPath, ['--enable-source-maps', outfile]);
    const [ourFrame, theirFrame] = stdout.trim().split('\n');
    expect(ourFrame).toContain(`${join(scratch, 'svc/src/main.ts')}:3:`);
    expect(theirFrame).toContain(`${outfile}:`);
    expect(theirFrame).not.toContain('main.ts');
  });
});
