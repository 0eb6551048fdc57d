import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorkerStack } from './local-stack.ts';
import type { WorkerStack } from './local-stack.ts';

const run = promisify(execFile);
const enqueueBin = new URL('../src/bin/enqueue.ts', import.meta.url).pathname;
const resultBin = new URL('../src/bin/result.ts', import.meta.url).pathname;

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs a CLI as the developer would, with the developer identity's environment. */
async function cli(
  bin: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...stack.local.envFor('developer'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run enqueue and npm run result', () => {
  it('enqueue prints the job id and how to read the result; result prints it once done', async () => {
    const env = stack.workerEnv();
    const names = {
      WORKER_QUEUE: env.WORKER_QUEUE!,
      WORKER_RESULTS_CONTAINER: env.WORKER_RESULTS_CONTAINER!,
      WORKER_POISON_QUEUE: env.WORKER_POISON_QUEUE!,
    };
    const enqueued = await cli(enqueueBin, ['write', 'a haiku', '--max-tokens', '20'], names);
    expect(enqueued.code).toBe(0);
    const id = enqueued.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(enqueued.stderr).toContain(`npm run result -- ${id}`);

    const pending = await cli(resultBin, [id], names);
    expect(pending.code).toBe(3);
    expect(pending.stderr).toContain(`No result for job ${id} yet`);

    await stack.startWorker(env);
    await eventually(
      'the result',
      async () => (await stack.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 1,
    );
    const done = await cli(resultBin, [id], names);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      id,
      request: { messages: [{ role: 'user', content: 'write a haiku' }], maxTokens: 20 },
    });
  });

  it('result says when a job went to the poison queue, and why', async () => {
    const env = stack.workerEnv({ AZURE_OPENAI_CHAT_DEPLOYMENT: 'text-embedding-3-small' });
    const names = {
      WORKER_QUEUE: env.WORKER_QUEUE!,
      WORKER_RESULTS_CONTAINER: env.WORKER_RESULTS_CONTAINER!,
      WORKER_POISON_QUEUE: env.WORKER_POISON_QUEUE!,
    };
    const { stdout } = await cli(enqueueBin, ['--id', 'doomed', 'hello'], names);
    expect(stdout.trim()).toBe('doomed');
    await stack.startWorker(env);
    await eventually(
      'the poison entry',
      async () => (await stack.messageCount(names.WORKER_POISON_QUEUE)) === 1,
    );

    const result = await cli(resultBin, ['doomed'], names);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Job doomed was moved to the poison queue');
    expect(result.stderr).toContain('(400)');
  });

  it('enqueue without a prompt prints the usage and fails', async () => {
    const result = await cli(enqueueBin, [], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Usage: npm run enqueue -- "a prompt"');
  });
});
