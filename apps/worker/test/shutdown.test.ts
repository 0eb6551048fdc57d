import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorkerStack } from './local-stack.ts';
import type { WorkerStack } from './local-stack.ts';
import { WorkerProcess } from './worker-process.ts';

let stack: WorkerStack;
const running: WorkerProcess[] = [];

function startProcess(env: Record<string, string>): WorkerProcess {
  const worker = new WorkerProcess(env);
  running.push(worker);
  return worker;
}

beforeAll(async () => {
  stack = await startWorkerStack();
}, 60_000);

afterEach(() => {
  for (const worker of running.splice(0)) worker.kill('SIGKILL');
  stack.local.openai.setLatency({ fixedMs: 0, perTokenMs: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the worker process', () => {
  it('answers /healthz at once and /readyz once it receives from its queue', async () => {
    const worker = startProcess(stack.workerEnv());
    const url = await worker.url();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await eventually('ready', async () => (await fetch(`${url}/readyz`)).status === 200);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${url}/nothing-here`)).status).toBe(404);
  });

  it('refuses to start with bad settings, naming the variable and the fix', async () => {
    const worker = startProcess(
      stack.workerEnv({ WORKER_CONCURRENCY: 'lots', AZURE_OPENAI_ENDPOINT: '' }),
    );
    const { code } = await worker.exited;
    expect(code).toBe(1);
    const output = worker.stderr.join('\n');
    expect(output).toContain('WORKER_CONCURRENCY');
    expect(output).toContain('AZURE_OPENAI_ENDPOINT');
    expect(output).toContain('Fix:');
  });

  it('redoes a job whose worker was killed mid-job, after the visibility timeout, leaving one result', async () => {
    stack.local.openai.setLatency({ fixedMs: 1500 });
    const env = stack.workerEnv({ WORKER_VISIBILITY_TIMEOUT_SECONDS: '2' });
    const before = stack.local.openai.requestCount;
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'orphan', prompt: 'survive this' }]);

    const doomed = startProcess(env);
    await eventually('the model call to start', () => stack.local.openai.requestCount > before);
    doomed.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual([]);

    startProcess(env);
    await eventually(
      'the result',
      async () => (await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).length === 1,
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual(['orphan']);
    expect(await stack.result(env.WORKER_RESULTS_CONTAINER!, 'orphan')).toMatchObject({
      attempt: 2,
    });
    await eventually(
      'an empty queue',
      async () => (await stack.messageCount(env.WORKER_QUEUE!)) === 0,
    );
  });

  it('drains in-flight jobs on SIGTERM, exits 0 and loses nothing', async () => {
    stack.local.openai.setLatency({ fixedMs: 1000 });
    const env = stack.workerEnv({ WORKER_CONCURRENCY: '4', WORKER_SHUTDOWN_TIMEOUT_MS: '20000' });
    const ids = Array.from({ length: 12 }, (_, index) => `drain-${String(index).padStart(2, '0')}`);
    await stack.enqueue(
      env.WORKER_QUEUE!,
      ids.map((id) => ({ id, prompt: id })),
    );
    const before = stack.local.openai.requestCount;

    const worker = startProcess(env);
    await eventually('four jobs in flight', () => stack.local.openai.requestCount - before >= 4);
    worker.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code).toBe(0);
    expect(worker.said('worker stopped')).toBe(true);
    const finishedBeforeExit = await stack.resultIds(env.WORKER_RESULTS_CONTAINER!);
    expect(finishedBeforeExit.length).toBeGreaterThanOrEqual(4);
    expect(finishedBeforeExit.length).toBeLessThan(ids.length);

    // What was not started is still on the queue, visible: a new replica finishes it.
    startProcess(env);
    await eventually(
      'every result',
      async () => (await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).length === ids.length,
    );
    expect(await stack.resultIds(env.WORKER_RESULTS_CONTAINER!)).toEqual(ids);
    await eventually(
      'an empty queue',
      async () => (await stack.messageCount(env.WORKER_QUEUE!)) === 0,
    );
  });

  it('hands unfinished jobs straight back when the drain deadline passes, and still exits 0', async () => {
    stack.local.openai.setLatency({ fixedMs: 10_000 });
    const env = stack.workerEnv({
      WORKER_SHUTDOWN_TIMEOUT_MS: '300',
      WORKER_VISIBILITY_TIMEOUT_SECONDS: '60',
    });
    await stack.enqueue(env.WORKER_QUEUE!, [{ id: 'too-slow', prompt: 'x' }]);
    const before = stack.local.openai.requestCount;

    const worker = startProcess(env);
    await eventually('the model call to start', () => stack.local.openai.requestCount > before);
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(worker.lines.find((line) => line.msg === 'worker stopped')).toMatchObject({
      service: 'worker',
      drained: false,
      handedBack: 1,
    });

    // Visible again at once, not after the 60 s visibility timeout.
    const { receivedMessageItems } = await stack.queues
      .getQueueClient(env.WORKER_QUEUE!)
      .receiveMessages();
    const ids = receivedMessageItems.map(
      (message) => (JSON.parse(message.messageText) as { id: string }).id,
    );
    expect(ids).toEqual(['too-slow']);
  });
});
