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
 * the next; the medians and their ratio are printed, then the median of each step: our generator's
 * own steps (KEYLESS_GEN_PROFILE) and every task Nx ran (NX_PROFILE). Setting up the scratch
 * workspace is not timed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

async function run(
  cwd: string,
  command: string,
  args: string[],
  extra: Record<string, string> = {},
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env: { ...env, ...extra },
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

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const totalStep = 'total';
// Written by the generator (KEYLESS_GEN_PROFILE) and by Nx (NX_PROFILE, a path under its cwd).
const genProfile = 'gen-profile.json';
const nxProfile = 'nx-profile.json';

/** Durations per named step, one value per run, in the order the steps first happened. */
class Steps {
  readonly #values = new Map<string, number[]>();

  add(step: string, ms: number): void {
    this.#values.set(step, [...(this.#values.get(step) ?? []), ms]);
  }

  async time(step: string, work: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await work();
    this.add(step, performance.now() - start);
  }

  async total(work: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await work();
    // Added last, so it is printed last.
    this.add(totalStep, performance.now() - start);
  }

  /** Each task of the Nx run: the project's own by target, the others as `deps <task>`. */
  async addTasks(profilePath: string, project: string): Promise<void> {
    const events = JSON.parse(await readFile(profilePath, 'utf8')) as Array<{
      name: string;
      ph: string;
      dur?: number;
    }>;
    await rm(profilePath);
    for (const event of events.filter((entry) => entry.ph === 'X')) {
      // A task id is <project>:<target>[:<configuration>]; Nx may name the project by its scoped
      // package name (@scratch/nodeapp) while `-p` took the short one.
      const [taskProject = '', ...target] = event.name.split(':');
      const own = taskProject === project || taskProject.endsWith(`/${project}`);
      this.add(`  ${own ? target.join(':') : `deps ${event.name}`}`, (event.dur ?? 0) / 1000);
    }
  }

  median(step: string): number {
    return median(this.#values.get(step) ?? []);
  }

  last(): number {
    return this.#values.get(totalStep)?.at(-1) ?? Number.NaN;
  }

  names(): string[] {
    return [...this.#values.keys()];
  }
}

function readGenProfile(path: string): Array<{ step: string; ms: number }> {
  return (JSON.parse(readFileSync(path, 'utf8')) as { steps: Array<{ step: string; ms: number }> })
    .steps;
}

/**
 * Back to the committed state: tracked files restored, new ones removed, and `paths` too (ignored
 * build output such as out-tsc keeps a folder alive; links under node_modules are ignored). Throws
 * if git still sees a change, so no run starts from what the previous one left.
 */
async function reset(root: string, paths: string[]): Promise<void> {
  must(await run(root, 'git', ['checkout', '-q', '--', '.']), 'git checkout');
  must(await run(root, 'git', ['clean', '-fdq']), 'git clean');
  await Promise.all(paths.map((path) => rm(join(root, path), { recursive: true, force: true })));
  const status = must(await run(root, 'git', ['status', '--porcelain']), 'git status').stdout;
  if (status.trim() !== '') throw new Error(`${root} is not back to its commit:\n${status}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
// Test first, as `npm test` asks: Nx starts tasks that tie (no task depends on them) in the order
// of -t, so the longest one gets a slot first instead of waiting for lint and typecheck.
const targets = [
  'run-many',
  '-t',
  'test',
  'lint',
  'typecheck',
  '--skip-nx-cache',
  '--output-style=static',
];

console.log(
  `Setting up: a copy of this workspace, and a scratch Nx ${nxVersion} workspace with @nx/node ${nxVersion} (not timed)...`,
);
const oursCopy = await copyWorkspace();
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

  const ours = new Steps();
  const nx = new Steps();
  for (let index = 0; index < runs; index += 1) {
    // The same names every run, so each starts from exactly the state the previous one reset to.
    const name = 'bench-api';
    await ours.total(async () => {
      const profile = join(scratchParent, genProfile);
      await ours.time('generation', async () => {
        must(
          await oursCopy.gen(['service', name, 'api'], { KEYLESS_GEN_PROFILE: profile }),
          'npm run gen',
        );
      });
      for (const { step, ms } of readGenProfile(profile)) ours.add(`  ${step}`, ms);
      await rm(profile);
      await ours.time('nx run-many test lint typecheck', async () => {
        must(
          await oursCopy.run('npx', ['nx', ...targets, '-p', `@keyless/${name}`], {
            NX_PROFILE: nxProfile,
          }),
          'our targets',
        );
      });
      await ours.addTasks(join(oursCopy.root, nxProfile), `@keyless/${name}`);
    });
    await reset(oursCopy.root, [`apps/${name}`, `node_modules/@keyless/${name}`]);

    const app = 'nodeapp';
    await nx.total(async () => {
      await nx.time('generation', async () => {
        must(
          await run(scratch, 'npx', [
            'nx',
            'g',
            '@nx/node:application',
            `apps/${app}`,
            '--framework=express',
            '--unitTestRunner=vitest',
            '--linter=eslint',
            // Ours makes no separate e2e project either; Nx's default one installs jest on the
            // first run and stays behind as a project of its own.
            '--e2eTestRunner=none',
            '--no-interactive',
          ]),
          'nx g @nx/node:application',
        );
      });
      await nx.time('nx run-many test lint typecheck', async () => {
        must(
          await run(scratch, 'npx', ['nx', ...targets, '-p', app], { NX_PROFILE: nxProfile }),
          "Nx's targets",
        );
      });
      await nx.addTasks(join(scratch, nxProfile), app);
    });
    // npm linked the app as a workspace package; a dangling link breaks the next project graph.
    await reset(scratch, [`apps/${app}`, `node_modules/@scratch/${app}`, `node_modules/${app}`]);
    console.log(`run ${index + 1}/${runs}: ours ${seconds(ours.last())}, Nx ${seconds(nx.last())}`);
  }
  const ratio = ours.median(totalStep) / nx.median(totalStep);
  console.log(
    `\ngenerate-to-green (generation + lint, typecheck, test; Nx cache off), median of ${runs}:\n` +
      `  ours (npm run gen -- service <name> api)                   ${seconds(ours.median(totalStep))}\n` +
      `  Nx ${nxVersion} (@nx/node:application --framework=express)    ${seconds(nx.median(totalStep))}\n` +
      `  ratio ours / Nx: ${ratio.toFixed(2)} (below 1 is faster than Nx)`,
  );
  console.log(
    `\nwhere the time goes, median of ${runs} per step (tasks run in parallel, so they overlap; ` +
      '"deps" are tasks of projects the new one depends on, rerun because the cache is off):',
  );
  for (const [label, side] of [
    ['ours', ours],
    ['Nx', nx],
  ] as const) {
    console.log(`  ${label}:`);
    for (const step of side.names()) {
      console.log(`    ${step.padEnd(62)} ${seconds(side.median(step)).padStart(7)}`);
    }
  }
} finally {
  await oursCopy.remove();
  await rm(scratchParent, { recursive: true, force: true });
}
