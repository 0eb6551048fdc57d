import { startLocalAzure } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
// Each case runs several Node processes that load the Azure SDKs: minutes on a busy machine.
const timeout = 240_000;
const bins = join(
  dirname(createRequire(import.meta.url).resolve('@keyless/service-kit/package.json')),
  'src/bin',
);
const main = new URL('../src/main.ts', import.meta.url).pathname;

let stack: LocalAzure;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startLocalAzure({ ports: 'free', storage: true });
}, 120_000);

afterEach(() => {
  for (const worker of workers.splice(0)) worker.kill('SIGKILL');
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs `npm run enqueue` / `npm run result` as the developer would, from the repository. */
async function cli(
  bin: 'enqueue' | 'result',
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(bins, `${bin}.ts`), ...args], {
      cwd: import.meta.dirname,
      env: { PATH: process.env.PATH ?? '', ...stack.envFor('developer'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** This worker as `npm start` runs it: its identity, its queues by convention. */
function startWorker(env: Record<string, string> = {}): void {
  workers.push(
    spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...stack.envFor('id-worker'), PORT: '0', ...env },
      stdio: 'ignore',
    }),
  );
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(200);
  }
}

describe('npm run enqueue and npm run result for the worker "worker"', () => {
  it(
    'enqueue prints the job id and how to read the result; result prints it once done',
    async () => {
      const enqueued = await cli('enqueue', ['write', 'a haiku', '--max-tokens', '20']);
      expect(enqueued.code).toBe(0);
      const id = enqueued.stdout.trim();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(enqueued.stderr).toContain('/worker-jobs');
      expect(enqueued.stderr).toContain(`npm run result -- ${id}`);

      const pending = await cli('result', [id]);
      expect(pending.code).toBe(3);
      expect(pending.stderr).toContain(`No result for job ${id} in worker-results yet`);
      const waited = await cli('result', [id, '--wait', '1']);
      expect(waited.code).toBe(3);
      expect(waited.stderr).toContain(`in worker-results after waiting 1 s`);
      expect(waited.stderr).toContain('--wait 30.');

      startWorker();
      const done = await cli('result', ['--service', 'worker', id, '--wait', '30']);
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({
        id,
        request: { messages: [{ role: 'user', content: 'write a haiku' }], maxTokens: 20 },
      });
    },
    timeout,
  );

  it(
    'result says when a job went to the poison queue, and why',
    async () => {
      const { stdout } = await cli('enqueue', ['--service', 'worker', '--id', 'doomed', 'hello']);
      expect(stdout.trim()).toBe('doomed');
      // A chat request to an embeddings deployment: the model answers 400, the job is poisoned.
      startWorker({
        AZURE_OPENAI_CHAT_DEPLOYMENT: stack.envFor('id-worker').AZURE_OPENAI_EMBEDDING_DEPLOYMENT!,
      });
      await waitFor(async () => (await cli('result', ['doomed'])).code === 2);

      const result = await cli('result', ['doomed']);
      expect(result.stderr).toContain('Job doomed was moved to the poison queue worker-poison');
      expect(result.stderr).toContain('(400)');
    },
    timeout,
  );
});
