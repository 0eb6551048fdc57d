/**
 * `npm run bench -w @keyless/generator`: generate-to-green, side by side with Nx's own generator.
 *
 * - ours: `npm run gen -- service <name> api`, then lint, typecheck and test of the new project
 *   (Nx cache off), in a throwaway copy of this workspace;
 * - Nx: `nx g @nx/node:application --framework=express --unitTestRunner=vitest`, then the same
 *   targets (Nx cache off), in a scratch workspace made with create-nx-workspace and `nx add
 *   @nx/node` at this repository's Nx version (from the npm registry; nothing is added here).
 *
 * Each side runs GEN_BENCH_RUNS times (default 3), alternating, each generation rolled back before
 * the next; the medians and their ratio are printed. Setting up the scratch workspace is not timed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { copyWorkspace, repoRoot } from '../test/workspace-copy.ts';
import type { RunResult } from '../test/workspace-copy.ts';

const exec = promisify(execFile);
const runs = Number(process.env.GEN_BENCH_RUNS ?? 3);
const nxVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'node_modules/nx/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
};

async function run(cwd: string, command: string, args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 900_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

function must(result: RunResult, what: string): RunResult {
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const targets = [
  'run-many',
  '-t',
  'lint',
  'typecheck',
  'test',
  '--skip-nx-cache',
  '--output-style=static',
];

console.log(
  `Setting up: a copy of this workspace, and a scratch Nx ${nxVersion} workspace with @nx/node ${nxVersion} (not timed)...`,
);
const ours = await copyWorkspace();
const scratchParent = await mkdtemp(join(tmpdir(), 'keyless-nx-bench-'));
const scratch = join(scratchParent, 'scratch');
try {
  must(
    await run(scratchParent, 'npx', [
      '-y',
      `create-nx-workspace@${nxVersion}`,
      'scratch',
      '--preset=ts',
      '--packageManager=npm',
      '--nxCloud=skip',
      '--interactive=false',
      '--formatter=prettier',
    ]),
    'create-nx-workspace',
  );
  must(
    await run(scratch, 'npx', ['nx', 'add', `@nx/node@${nxVersion}`]),
    `nx add @nx/node@${nxVersion}`,
  );
  must(await run(scratch, 'git', ['add', '-A']), 'git add');
  must(
    await run(scratch, 'git', [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.invalid',
      'commit',
      '-qm',
      'scratch',
    ]),
    'git commit',
  );

  const oursMs: number[] = [];
  const nxMs: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    // The same names every run, so each starts from exactly the state the previous one reset to.
    const name = 'bench-api';
    oursMs.push(
      await timed(async () => {
        must(await ours.gen(['service', name, 'api']), 'npm run gen');
        must(await ours.run('npx', ['nx', ...targets, '-p', `@keyless/${name}`]), 'our targets');
      }),
    );
    await ours.run('git', ['checkout', '-q', '--', '.']);
    // git clean leaves ignored build output (out-tsc, dist) behind, and with it the folder.
    await ours.run('rm', ['-rf', `apps/${name}`]);
    await ours.run('rm', ['-f', `node_modules/@keyless/${name}`]);

    const app = 'nodeapp';
    nxMs.push(
      await timed(async () => {
        must(
          await run(scratch, 'npx', [
            'nx',
            'g',
            '@nx/node:application',
            `apps/${app}`,
            '--framework=express',
            '--unitTestRunner=vitest',
            '--linter=eslint',
            '--no-interactive',
          ]),
          'nx g @nx/node:application',
        );
        must(await run(scratch, 'npx', ['nx', ...targets, '-p', app]), "Nx's targets");
      }),
    );
    await run(scratch, 'git', ['checkout', '-q', '--', '.']);
    await run(scratch, 'rm', ['-rf', `apps/${app}`]);
    // npm linked the app as a workspace package; a dangling link breaks the next project graph.
    await run(scratch, 'rm', ['-rf', `node_modules/@scratch/${app}`, `node_modules/${app}`]);
    console.log(
      `run ${index + 1}/${runs}: ours ${seconds(oursMs.at(-1)!)}, Nx ${seconds(nxMs.at(-1)!)}`,
    );
  }
  const ratio = median(oursMs) / median(nxMs);
  console.log(
    `\ngenerate-to-green (generation + lint, typecheck, test; Nx cache off), median of ${runs}:\n` +
      `  ours (npm run gen -- service <name> api)                   ${seconds(median(oursMs))}\n` +
      `  Nx ${nxVersion} (@nx/node:application --framework=express)    ${seconds(median(nxMs))}\n` +
      `  ratio ours / Nx: ${ratio.toFixed(2)} (below 1 is faster than Nx)`,
  );
} finally {
  await ours.remove();
  await rm(scratchParent, { recursive: true, force: true });
}
