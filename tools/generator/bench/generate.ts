/**
 * `npm run bench -w @keyless/generator`: how long generating a service takes, and how long until
 * it is green (generation + lint + typecheck + test of the new project, Nx cache off), for each
 * kind, in a throwaway copy of the workspace. Also what the lockfile step would cost if it ran
 * npm instead of writing the entries itself.
 *
 *   GEN_BENCH_RUNS=5   generations per kind (each rolled back with git before the next)
 */
import { performance } from 'node:perf_hooks';
import { copyWorkspace } from '../test/workspace-copy.ts';
import type { WorkspaceCopy } from '../test/workspace-copy.ts';

const runs = Number(process.env.GEN_BENCH_RUNS ?? 5);
const kinds = ['api', 'worker'] as const;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function reset(copy: WorkspaceCopy, name: string): Promise<void> {
  await copy.run('git', ['checkout', '-q', '--', '.']);
  await copy.run('rm', ['-rf', `apps/${name}`]);
  await copy.run('rm', ['-f', `node_modules/@keyless/${name}`]);
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `median ${(median / 1000).toFixed(2)} s (min ${((sorted[0] ?? 0) / 1000).toFixed(2)}, max ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)}, n=${sorted.length})`;
}

const copy = await copyWorkspace();
try {
  console.log(`workspace copy: ${copy.root}\n`);
  for (const kind of kinds) {
    const name = `bench-${kind}`;
    const dryRuns: number[] = [];
    const generations: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      dryRuns.push((await timed(() => copy.gen(['service', name, kind, '--dry-run']))).ms);
      const { ms, value } = await timed(() => copy.gen(['service', name, kind]));
      if (value.code !== 0) throw new Error(`generation failed: ${value.stderr}`);
      generations.push(ms);
      await reset(copy, name);
    }
    console.log(`${kind}: dry run (plan only, process start included)  ${summary(dryRuns)}`);
    console.log(`${kind}: generation (plan + write + infra reference)   ${summary(generations)}`);

    const green = await timed(async () => {
      const generated = await copy.gen(['service', name, kind]);
      if (generated.code !== 0) throw new Error(`generation failed: ${generated.stderr}`);
      return copy.run('npx', [
        'nx',
        'run-many',
        '-t',
        'lint',
        'typecheck',
        'test',
        '-p',
        `@keyless/${name}`,
        '--skip-nx-cache',
        '--output-style=static',
      ]);
    });
    console.log(
      `${kind}: generate-to-green (nx cache off)                 ${(green.ms / 1000).toFixed(1)} s, exit ${green.value.code}${green.value.code === 0 ? '' : ' (not green: see nx output)'}`,
    );
    if (kind === 'api') {
      const npm = await timed(() =>
        copy.run('npm', [
          'install',
          '--package-lock-only',
          '--ignore-scripts',
          '--offline',
          '--no-audit',
          '--no-fund',
        ]),
      );
      console.log(
        `npm install --package-lock-only --offline, instead of the in-memory lockfile edit: ${(npm.ms / 1000).toFixed(1)} s (exit ${npm.value.code})`,
      );
    }
    await reset(copy, name);
    console.log('');
  }
} finally {
  await copy.remove();
}
