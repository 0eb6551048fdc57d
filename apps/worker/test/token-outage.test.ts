import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorkerStack } from './local-stack.ts';
import type { WorkerStack } from './local-stack.ts';

// Its own file, so its own process: MSAL shares managed-identity tokens across a process, and
// this test needs a worker that has no Azure OpenAI token yet.
let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack();
});

afterAll(async () => {
  stack?.local.identity.setAvailable(true);
  await stack?.stop();
});

describe('the worker when the token endpoint is down', () => {
  it('retries a job while the token endpoint is down, and finishes it once it is back', async () => {
    const env = stack.workerEnv({ WORKER_MAX_DEQUEUE: '50' });
    // A new worker has a storage token after start-up, but none yet for Azure OpenAI.
    const { worker, logs } = await stack.startWorker(env);
    await eventually('ready', () => worker.notReadyReason() === undefined);
    await stack.messageCount(env.WORKER_QUEUE!); // the test's own storage token, before the outage
    stack.local.identity.setAvailable(false);
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'tokenless', prompt: 'hi' }]);

    await eventually('a retry', () => worker.stats().outcomes.retry > 0);
    const retry = logs.lines.find((line) => line.msg === 'job failed; it will be retried');
    expect(retry).toMatchObject({
      jobId: 'tokenless',
      reason: expect.stringContaining('KEYLESS_ERR_NO_CREDENTIAL'),
    });
    expect(retry?.fix).toEqual(expect.any(String));

    stack.local.identity.setAvailable(true);
    await eventually(
      'the result',
      async () => (await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).length === 1,
    );
    await eventually('the job to settle', () => worker.stats().outcomes.completed === 1);
    expect(worker.stats().outcomes.poisoned).toBe(0);
  });
});
