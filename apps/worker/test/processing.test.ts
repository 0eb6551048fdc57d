import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startWorkerStack } from './local-stack.ts';
import type { WorkerStack } from './local-stack.ts';

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  stack.local.openai.faults.clear();
  stack.local.openai.setLatency({ fixedMs: 0, perTokenMs: 0 });
});

describe('the worker on the local stack', () => {
  it('turns 100 jobs into 100 results and leaves the queue empty', async () => {
    const env = stack.workerEnv({ WORKER_CONCURRENCY: '8' });
    const ids = Array.from({ length: 100 }, (_, index) => `job-${String(index).padStart(3, '0')}`);
    await stack.enqueue(
      env.WORKER_QUEUE!,
      ids.map((id, index) =>
        index % 2 === 0
          ? { id, prompt: `say ${id}` }
          : { id, messages: [{ role: 'user', content: id }], maxTokens: 16 },
      ),
    );
    const { worker } = await stack.startWorker(env);

    await eventually(
      '100 results',
      async () => (await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).length === 100,
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual(ids);
    await eventually(
      'an empty queue',
      async () => (await stack.messageCount(env.WORKER_QUEUE!)) === 0,
    );
    await worker.whenFinished(100);
    expect(worker.stats().outcomes).toMatchObject({ completed: 100, poisoned: 0 });

    const result = await stack.result(env.WORKER_RESULTS_CONTAINER!, 'job-001');
    expect(result).toMatchObject({
      id: 'job-001',
      request: { messages: [{ role: 'user', content: 'job-001' }], maxTokens: 16 },
      answer: { role: 'assistant', content: expect.any(String) },
      usage: { totalTokens: expect.any(Number) },
      timings: { startedAt: expect.any(String), modelMs: expect.any(Number) },
      attempt: 1,
    });
  });

  it('calls the model once for a job id that arrives twice, and leaves one result', async () => {
    const env = stack.workerEnv({ WORKER_CONCURRENCY: '1' });
    const before = stack.local.openai.requestCount;
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'twice', prompt: 'hello' }]);
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'twice', prompt: 'hello again' }]);
    const { worker } = await stack.startWorker(env);

    await eventually(
      'both messages handled',
      () => worker.stats().outcomes.completed + worker.stats().outcomes.duplicate === 2,
    );
    expect(worker.stats().outcomes).toMatchObject({ completed: 1, duplicate: 1 });
    expect(stack.local.openai.requestCount - before).toBe(1);
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual(['twice']);
    expect(await stack.messageCount(env.WORKER_QUEUE!)).toBe(0);
  });

  it('moves bad JSON and wrongly shaped jobs to the poison queue with the reason', async () => {
    const env = stack.workerEnv();
    await stack.enqueue(env.WORKER_QUEUE!, [
      '{"id": "broken',
      { id: 'no-prompt' },
      { id: 'bad-role', messages: [{ role: 'robot', content: 'x' }] },
    ]);
    await stack.startWorker(env);

    await eventually(
      'three poison entries',
      async () => (await stack.messageCount(env.WORKER_POISON_QUEUE!)) === 3,
    );
    const entries = await stack.poisonEntries(env.WORKER_POISON_QUEUE!);
    const byJob = Object.fromEntries(
      entries.map((entry) => [String(entry.jobId ?? entry.original), entry]),
    );
    expect(byJob['{"id": "broken']).toMatchObject({
      reason: 'message is not JSON (nor base64-encoded JSON)',
      dequeueCount: 1,
    });
    expect(byJob['no-prompt']?.reason).toContain('exactly one of `messages` or `prompt`');
    expect(byJob['bad-role']?.reason).toContain('messages.0.role');
    expect(byJob['bad-role']?.original).toBe(
      JSON.stringify({ id: 'bad-role', messages: [{ role: 'robot', content: 'x' }] }),
    );
    await eventually(
      'an empty jobs queue',
      async () => (await stack.messageCount(env.WORKER_QUEUE!)) === 0,
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual([]);
  });

  it('poisons a job the model rejects with a 400 instead of retrying it', async () => {
    // A chat request to an embeddings deployment: the emulator answers 400 OperationNotSupported.
    const env = stack.workerEnv({ AZURE_OPENAI_CHAT_DEPLOYMENT: 'text-embedding-3-small' });
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'rejected', prompt: 'hi' }]);
    const { worker } = await stack.startWorker(env);

    await eventually(
      'a poison entry',
      async () => (await stack.messageCount(env.WORKER_POISON_QUEUE!)) === 1,
    );
    const [entry] = await stack.poisonEntries(env.WORKER_POISON_QUEUE!);
    expect(entry).toMatchObject({ jobId: 'rejected', dequeueCount: 1 });
    expect(entry?.reason).toContain('(400)');
    expect(worker.stats().outcomes.retry).toBe(0);
  });

  it('poisons a job dequeued more often than WORKER_MAX_DEQUEUE', async () => {
    const env = stack.workerEnv({ WORKER_MAX_DEQUEUE: '2' });
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'weary', prompt: 'hi' }]);
    // Two earlier consumers took it and crashed: receiving makes the service count a dequeue.
    const queue = stack.queues.getQueueClient(env.WORKER_QUEUE!);
    for (let crash = 0; crash < 2; crash += 1) {
      const { receivedMessageItems } = await queue.receiveMessages({ visibilityTimeout: 1 });
      await queue.updateMessage(
        receivedMessageItems[0]!.messageId,
        receivedMessageItems[0]!.popReceipt,
        undefined,
        0,
      );
    }
    await stack.startWorker(env);

    await eventually(
      'a poison entry',
      async () => (await stack.messageCount(env.WORKER_POISON_QUEUE!)) === 1,
    );
    const [entry] = await stack.poisonEntries(env.WORKER_POISON_QUEUE!);
    expect(entry).toMatchObject({
      jobId: 'weary',
      dequeueCount: 3,
      reason: 'dequeued 3 times, more than WORKER_MAX_DEQUEUE (2)',
    });
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual([]);
  });

  it('finishes every job through a storm of 429s', async () => {
    const env = stack.workerEnv({
      WORKER_CONCURRENCY: '8',
      WORKER_MAX_DEQUEUE: '20',
      AZURE_OPENAI_MAX_RETRIES: '1',
    });
    const ids = Array.from({ length: 20 }, (_, index) => `storm-${index}`);
    await stack.enqueue(
      env.WORKER_QUEUE!,
      ids.map((id) => ({ id, prompt: id })),
    );
    stack.local.openai.faults.inject({ kind: 'status', status: 429, count: 30, retryAfterMs: 10 });
    const { worker } = await stack.startWorker(env);

    await eventually(
      '20 results',
      async () => (await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).length === 20,
      60_000,
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual([...ids].sort());
    expect(stack.local.openai.faults.pending()).toEqual([]);
    expect(worker.stats().outcomes.retry).toBeGreaterThan(0);
    expect(worker.stats().outcomes.poisoned).toBe(0);
    await eventually(
      'an empty queue',
      async () => (await stack.messageCount(env.WORKER_QUEUE!)) === 0,
    );
  }, 90_000);

  it('keeps a long job invisible to other workers by renewing its visibility timeout', async () => {
    // The model takes 3 s; the message would reappear after 1 s without renewal.
    stack.local.openai.setLatency({ fixedMs: 3000 });
    const env = stack.workerEnv({
      WORKER_VISIBILITY_TIMEOUT_SECONDS: '1',
      WORKER_RENEW_INTERVAL_MS: '300',
    });
    const before = stack.local.openai.requestCount;
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'slow', prompt: 'take your time' }]);
    const first = await stack.startWorker(env);
    const second = await stack.startWorker(env);

    const outcomes = () => [first.worker.stats().outcomes, second.worker.stats().outcomes];
    // The result is written before the message is deleted: wait for the job to be settled.
    await eventually('the job to finish', () =>
      outcomes().some((outcome) => outcome.completed === 1),
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual(['slow']);
    expect(stack.local.openai.requestCount - before).toBe(1);
    expect(await stack.messageCount(env.WORKER_QUEUE!)).toBe(0);
    expect(
      outcomes()
        .map((outcome) => outcome.completed)
        .sort(),
    ).toEqual([0, 1]);
    expect(outcomes().every((outcome) => outcome.duplicate === 0)).toBe(true);
  });

  it('retries a job whose model call timed out after renewals, with its original text intact', async () => {
    const env = stack.workerEnv({
      WORKER_VISIBILITY_TIMEOUT_SECONDS: '1',
      WORKER_RENEW_INTERVAL_MS: '300',
      AZURE_OPENAI_TIMEOUT_MS: '1500',
      AZURE_OPENAI_MAX_RETRIES: '0',
    });
    stack.local.openai.faults.inject({ kind: 'hang', count: 1 });
    const job = { id: 'timed-out', messages: [{ role: 'user', content: 'still here?' }] };
    await stack.enqueue(env.WORKER_QUEUE!, [job]);
    const { worker, logs } = await stack.startWorker(env);

    await eventually('the job to settle', () => worker.stats().outcomes.completed === 1);
    expect(worker.stats().outcomes.retry).toBe(1);
    expect(logs.lines.find((line) => line.msg === 'job failed; it will be retried')).toMatchObject({
      jobId: 'timed-out',
      reason: expect.stringMatching(/timed out/i),
    });
    expect(await stack.result(env.WORKER_RESULTS_CONTAINER!, 'timed-out')).toMatchObject({
      request: { messages: job.messages },
      attempt: 2,
    });
  });

  it('never writes a token to its log', async () => {
    const env = stack.workerEnv({ AZURE_OPENAI_CHAT_DEPLOYMENT: 'text-embedding-3-small' });
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'quiet', prompt: 'hi' }, '{oops']);
    const { logs } = await stack.startWorker(env);
    await eventually(
      'two poison entries',
      async () => (await stack.messageCount(env.WORKER_POISON_QUEUE!)) === 2,
    );
    expect(logs.raw.length).toBeGreaterThan(0);
    // A JWT (header.payload.signature, base64url) or a bearer header anywhere is a leak.
    expect(logs.raw.join('\n')).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+|bearer /i);
  });
});
