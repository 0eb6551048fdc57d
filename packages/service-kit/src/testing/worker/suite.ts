import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storageNamesFor } from '@keyless/registry';
import { startRecordingProxy } from '../http/recording-proxy.ts';
import { eventually, Harness } from './harness.ts';
import type { ConformanceStack } from './stack.ts';
import {
  idlePollsLeaveNoTrace,
  nothingExportedWhenDisabled,
  oneTraceFromEnqueueToResult,
} from './telemetry.ts';
import type { WorkerProcess } from './worker-process.ts';
import { chatJobs, checkConformanceJobs } from './jobs.ts';
import type { WorkerConformanceJobs } from './jobs.ts';

export interface WorkerConformanceOptions {
  /** The service's name in services.json (`worker`, or a generated worker's name). */
  service: string;
  /**
   * The entry point to run (a path or a file URL): the service's bundle from `bundleForTests`
   * (@keyless/build), as its image runs it, or its `src/main.ts`.
   */
  entry: string | URL;
  /** Starts the local stack (with storage) for this test file; stopped after it. */
  startStack: () => Promise<ConformanceStack>;
  /** The local identity the worker runs as; `id-<service>` by default. */
  identity?: string;
  /**
   * The jobs its handler takes, for a worker whose handler is its own (`defineJobHandler`): a
   * valid one and some its schema refuses. The kit's chat job (`chatJobs`) by default, which
   * also adds the chat job's own checks (its result shape, both OpenAI APIs, what goes upstream).
   */
  jobs?: WorkerConformanceJobs;
}

// Each test spawns real worker processes against the stack; give them room on a busy machine.
const timeout = 90_000;

/**
 * The conformance suite of the queue worker kind: what every worker (the sample and each
 * generated one) must do, proved against its own entry point running as real processes on the
 * local stack. A worker's test file calls this and nothing lighter.
 */
export function describeWorkerConformance(options: WorkerConformanceOptions): void {
  const entry = options.entry instanceof URL ? fileURLToPath(options.entry) : options.entry;
  const identity = options.identity ?? `id-${options.service}`;
  const jobs = options.jobs ?? chatJobs;
  const chat = jobs === chatJobs;
  checkConformanceJobs(jobs);
  let stack: ConformanceStack | undefined;
  let h: Harness;
  const live = (): ConformanceStack => {
    if (!stack) throw new Error('the local stack did not start (see beforeAll)');
    return stack;
  };

  describe(`the queue worker "${options.service}" (worker kind conformance)`, () => {
    beforeAll(async () => {
      stack = await options.startStack();
      h = new Harness(stack, entry, identity);
    }, 120_000);

    afterEach(() => {
      h?.killAll();
      stack?.openai.faults.clear();
      stack?.openai.setLatency({ fixedMs: 0, perTokenMs: 0 });
      stack?.identity.setAvailable(true);
    });

    afterAll(async () => {
      await stack?.stop();
    }, 60_000);

    const outcome = (worker: WorkerProcess, message: string) => worker.said(message).length;

    it(
      'answers /healthz at once and /readyz once it receives from its queue',
      async () => {
        const worker = h.start(h.env(h.names()));
        const url = await worker.url();
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        await eventually('ready', async () => (await fetch(`${url}/readyz`)).status === 200);
        expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
        expect((await fetch(`${url}/nothing-here`)).status).toBe(404);
      },
      timeout,
    );

    it(
      `takes jobs from its own ${storageNamesFor(options.service).queue} and writes ${storageNamesFor(options.service).resultsContainer} when no queue is configured`,
      async () => {
        const own = storageNamesFor(options.service);
        await h.enqueue(own.queue, [jobs.valid('by-convention', 'hello')]);
        const worker = h.start(
          h.env(undefined, {
            WORKER_QUEUE: '',
            WORKER_POISON_QUEUE: '',
            WORKER_RESULTS_CONTAINER: '',
          }),
        );
        await eventually('the result', async () =>
          (await h.resultIds(own.resultsContainer)).includes('by-convention'),
        );
        expect(worker.said('health endpoint listening')[0]).toMatchObject({
          service: options.service,
          queue: own.queue,
          poisonQueue: own.poisonQueue,
          resultsContainer: own.resultsContainer,
        });
      },
      timeout,
    );

    it(
      'turns 60 jobs into exactly one result each and leaves the queue empty',
      async () => {
        const names = h.names();
        const ids = Array.from(
          { length: 60 },
          (_, index) => `job-${String(index).padStart(3, '0')}`,
        );
        await h.enqueue(
          names.WORKER_QUEUE,
          ids.map((id, index) =>
            // The chat job's two forms, half and half.
            chat && index % 2 === 1
              ? { id, messages: [{ role: 'user', content: id }], maxTokens: 16 }
              : jobs.valid(id, `say ${id}`),
          ),
        );
        const worker = h.start(h.env(names, { WORKER_CONCURRENCY: '8' }));

        await eventually(
          '60 results',
          async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 60,
        );
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual(ids);
        await eventually(
          'an empty queue',
          async () => (await h.messageCount(names.WORKER_QUEUE)) === 0,
        );
        await eventually('60 completions', () => outcome(worker, 'job completed') === 60);
        expect(await h.result(names.WORKER_RESULTS_CONTAINER, 'job-001')).toMatchObject({
          id: 'job-001',
          timings: { startedAt: expect.any(String), handlerMs: expect.any(Number) },
          attempt: 1,
          ...(chat && {
            request: { messages: [{ role: 'user', content: 'job-001' }], maxTokens: 16 },
            answer: { role: 'assistant', content: expect.any(String) },
            usage: { totalTokens: expect.any(Number) },
          }),
        });
      },
      timeout,
    );

    // The chat job's own: a worker with a handler of its own has its own result shape.
    if (chat) {
      it(
        'answers a chat job on the Responses API on the v1 API and on chat completions on the dated API, with one result shape',
        async () => {
          const base = h.env(undefined);
          const proxy = await startRecordingProxy(base.AZURE_OPENAI_ENDPOINT ?? '');
          try {
            const shape = {
              request: { messages: [{ role: 'user', content: 'say hi' }], maxTokens: 20 },
              answer: { role: 'assistant', content: expect.stringContaining('say hi') },
              finishReason: 'stop',
              model: expect.any(String),
              usage: {
                promptTokens: expect.any(Number),
                completionTokens: expect.any(Number),
                totalTokens: expect.any(Number),
              },
            };
            const runs: Array<{ api: Record<string, string>; path: RegExp; limit: string }> = [
              { api: {}, path: /^\/openai\/v1\/responses$/, limit: 'max_output_tokens' },
              {
                api: { AZURE_OPENAI_API_VERSION: '2024-10-21' },
                path: /^\/openai\/deployments\/[^/]+\/chat\/completions\?api-version=2024-10-21$/,
                limit: 'max_completion_tokens',
              },
            ];
            for (const run of runs) {
              const names = h.names();
              const from = proxy.records.length;
              await h.enqueue(names.WORKER_QUEUE, [{ id: 'job', prompt: 'say hi', maxTokens: 20 }]);
              h.start(h.env(names, { ...run.api, AZURE_OPENAI_ENDPOINT: proxy.url }));
              await eventually(
                'a result',
                async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 1,
              );
              expect(await h.result(names.WORKER_RESULTS_CONTAINER, 'job')).toMatchObject(shape);
              const calls = proxy.records.slice(from).filter((record) => record.method === 'POST');
              expect(calls).toHaveLength(1);
              const [call] = calls;
              expect(call?.path).toMatch(run.path);
              const sent = JSON.parse(call?.body ?? '{}') as Record<string, unknown>;
              // Reasoning models refuse max_tokens and a non-default temperature.
              expect(sent).toMatchObject({ [run.limit]: 20 });
              expect(sent).not.toHaveProperty('max_tokens');
              expect(sent).not.toHaveProperty('temperature');
              h.killAll();
            }
          } finally {
            await proxy.close();
          }
        },
        timeout,
      );
    }

    it(
      "sends each job's text to the model, in one call",
      async () => {
        const base = h.env(undefined);
        const proxy = await startRecordingProxy(base.AZURE_OPENAI_ENDPOINT ?? '');
        try {
          const names = h.names();
          const text = `text-${randomUUID()}`;
          await h.enqueue(names.WORKER_QUEUE, [jobs.valid('texted', text)]);
          h.start(h.env(names, { AZURE_OPENAI_ENDPOINT: proxy.url }));
          await eventually('the result', async () =>
            (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).includes('texted'),
          );
          const calls = proxy.records.filter((record) => record.method === 'POST');
          expect(calls).toHaveLength(1);
          expect(calls[0]?.body).toContain(text);
        } finally {
          await proxy.close();
        }
      },
      timeout,
    );

    it(
      'calls the model once for a job id that arrives twice, and leaves one result',
      async () => {
        const names = h.names();
        const before = live().openai.requestCount;
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('twice', 'hello')]);
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('twice', 'hello again')]);
        const worker = h.start(h.env(names, { WORKER_CONCURRENCY: '1' }));

        await eventually(
          'both messages handled',
          () =>
            outcome(worker, 'job completed') +
              outcome(worker, 'result already exists; message deleted') ===
            2,
        );
        expect(worker.said('job completed')).toHaveLength(1);
        expect(worker.said('result already exists; message deleted')).toHaveLength(1);
        expect(live().openai.requestCount - before).toBe(1);
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual(['twice']);
      },
      timeout,
    );

    it(
      'moves bad JSON and wrongly shaped jobs to the poison queue with the reason',
      async () => {
        const names = h.names();
        await h.enqueue(names.WORKER_QUEUE, [
          '{"id": "broken',
          ...jobs.invalid.map(({ job }) => job),
          jobs.valid('../escape', 'x'),
        ]);
        h.start(h.env(names));

        const poisoned = jobs.invalid.length + 2;
        await eventually(
          `${poisoned} poison entries`,
          async () => (await h.messageCount(names.WORKER_POISON_QUEUE)) === poisoned,
        );
        const entries = await h.poisonEntries(names.WORKER_POISON_QUEUE);
        const byJob = Object.fromEntries(
          entries.map((entry) => [String(entry.jobId ?? entry.original), entry]),
        );
        expect(byJob['{"id": "broken']).toMatchObject({
          reason: 'message is not JSON (nor base64-encoded JSON)',
          dequeueCount: 1,
        });
        for (const { job, reason } of jobs.invalid) {
          expect(byJob[String(job.id)]?.reason).toContain(reason);
          expect(byJob[String(job.id)]?.original).toBe(JSON.stringify(job));
        }
        expect(byJob['../escape']?.reason).toContain('id:');
        await eventually(
          'an empty jobs queue',
          async () => (await h.messageCount(names.WORKER_QUEUE)) === 0,
        );
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual([]);
      },
      timeout,
    );

    it(
      'poisons a job the model rejects with a 400 instead of retrying it',
      async () => {
        const names = h.names();
        const env = h.env(names);
        // A chat request to an embeddings deployment: the emulator answers 400, as Azure does.
        env.AZURE_OPENAI_CHAT_DEPLOYMENT = env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT!;
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('rejected', 'hi')]);
        const worker = h.start(env);

        await eventually(
          'a poison entry',
          async () => (await h.messageCount(names.WORKER_POISON_QUEUE)) === 1,
        );
        const [entry] = await h.poisonEntries(names.WORKER_POISON_QUEUE);
        expect(entry).toMatchObject({ jobId: 'rejected', dequeueCount: 1 });
        expect(entry?.reason).toContain('(400)');
        expect(worker.said('job failed; it will be retried')).toEqual([]);
      },
      timeout,
    );

    it(
      'poisons a job dequeued more often than WORKER_MAX_DEQUEUE, with the reason',
      async () => {
        const names = h.names();
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('weary', 'hi')]);
        // Two earlier consumers took it and crashed: receiving makes the service count a dequeue.
        const queue = h.queues.getQueueClient(names.WORKER_QUEUE);
        for (let crash = 0; crash < 2; crash += 1) {
          const { receivedMessageItems } = await queue.receiveMessages({ visibilityTimeout: 1 });
          const [message] = receivedMessageItems;
          await queue.updateMessage(message!.messageId, message!.popReceipt, undefined, 0);
        }
        h.start(h.env(names, { WORKER_MAX_DEQUEUE: '2' }));

        await eventually(
          'a poison entry',
          async () => (await h.messageCount(names.WORKER_POISON_QUEUE)) === 1,
        );
        const [entry] = await h.poisonEntries(names.WORKER_POISON_QUEUE);
        expect(entry).toMatchObject({
          jobId: 'weary',
          dequeueCount: 3,
          reason: 'dequeued 3 times, more than WORKER_MAX_DEQUEUE (2)',
        });
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual([]);
      },
      timeout,
    );

    it('finishes every job through a storm of 429s from the model', async () => {
      const names = h.names();
      const ids = Array.from(
        { length: 20 },
        (_, index) => `storm-${String(index).padStart(2, '0')}`,
      );
      await h.enqueue(
        names.WORKER_QUEUE,
        ids.map((id) => jobs.valid(id, id)),
      );
      live().openai.faults.inject({ kind: 'status', status: 429, count: 30, retryAfterMs: 10 });
      const worker = h.start(
        h.env(names, {
          WORKER_CONCURRENCY: '8',
          WORKER_MAX_DEQUEUE: '20',
          AZURE_OPENAI_MAX_RETRIES: '1',
        }),
      );

      await eventually(
        '20 results',
        async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 20,
        90_000,
      );
      expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual(ids);
      expect(live().openai.faults.pending()).toEqual([]);
      expect(worker.said('job failed; it will be retried').length).toBeGreaterThan(0);
      expect(worker.said('job poisoned')).toEqual([]);
      await eventually(
        'an empty queue',
        async () => (await h.messageCount(names.WORKER_QUEUE)) === 0,
      );
    }, 120_000);

    it(
      'keeps a long job from a second worker by renewing its lease, and calls the model once',
      async () => {
        // The model takes 3 s; the message would reappear after 1 s without renewal.
        live().openai.setLatency({ fixedMs: 3000 });
        const names = h.names();
        const env = h.env(names, {
          WORKER_VISIBILITY_TIMEOUT_SECONDS: '1',
          WORKER_RENEW_INTERVAL_MS: '300',
        });
        const first = h.start(env);
        const second = h.start(env);
        await first.url();
        await second.url();
        const before = live().openai.requestCount;
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('slow', 'take your time')]);

        await eventually(
          'the job to finish',
          () => outcome(first, 'job completed') + outcome(second, 'job completed') === 1,
        );
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual(['slow']);
        expect(live().openai.requestCount - before).toBe(1);
        expect(await h.messageCount(names.WORKER_QUEUE)).toBe(0);
      },
      timeout,
    );

    it(
      'retries a job whose model call timed out, and finishes it on the next attempt',
      async () => {
        const names = h.names();
        live().openai.faults.inject({ kind: 'hang', count: 1 });
        const job = chat
          ? { id: 'timed-out', messages: [{ role: 'user', content: 'still here?' }] }
          : jobs.valid('timed-out', 'still here?');
        await h.enqueue(names.WORKER_QUEUE, [job]);
        const worker = h.start(
          h.env(names, {
            WORKER_VISIBILITY_TIMEOUT_SECONDS: '2',
            AZURE_OPENAI_TIMEOUT_MS: '1500',
            AZURE_OPENAI_MAX_RETRIES: '0',
          }),
        );

        await eventually(
          'the result',
          async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 1,
        );
        expect(worker.said('job failed; it will be retried')[0]).toMatchObject({
          jobId: 'timed-out',
          reason: expect.stringMatching(/timed out/i),
        });
        expect(await h.result(names.WORKER_RESULTS_CONTAINER, 'timed-out')).toMatchObject({
          attempt: 2,
          // Its text intact after the failed attempt.
          ...(chat && { request: { messages: job.messages } }),
        });
      },
      timeout,
    );

    it(
      'redoes a job whose worker was killed (kill -9) mid-job, once, leaving one result',
      async () => {
        live().openai.setLatency({ fixedMs: 1500 });
        const names = h.names();
        const env = h.env(names, { WORKER_VISIBILITY_TIMEOUT_SECONDS: '2' });
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('orphan', 'survive this')]);
        const before = live().openai.requestCount;

        const doomed = h.start(env);
        await eventually('the model call to start', () => live().openai.requestCount > before);
        doomed.kill('SIGKILL');
        expect((await doomed.exited).signal).toBe('SIGKILL');
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual([]);

        const survivor = h.start(env);
        await eventually(
          'the result',
          async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 1,
        );
        expect(await h.result(names.WORKER_RESULTS_CONTAINER, 'orphan')).toMatchObject({
          attempt: 2,
        });
        await eventually(
          'an empty queue',
          async () => (await h.messageCount(names.WORKER_QUEUE)) === 0,
        );
        expect(live().openai.requestCount - before).toBe(2);
        expect(survivor.said('job completed')).toHaveLength(1);
      },
      timeout,
    );

    it(
      'drains in-flight jobs on SIGTERM, exits 0 and loses nothing',
      async () => {
        live().openai.setLatency({ fixedMs: 1000 });
        const names = h.names();
        const env = h.env(names, { WORKER_CONCURRENCY: '4', WORKER_SHUTDOWN_TIMEOUT_MS: '20000' });
        const ids = Array.from(
          { length: 12 },
          (_, index) => `drain-${String(index).padStart(2, '0')}`,
        );
        await h.enqueue(
          names.WORKER_QUEUE,
          ids.map((id) => jobs.valid(id, id)),
        );
        const before = live().openai.requestCount;

        const worker = h.start(env);
        await eventually('four jobs in flight', () => live().openai.requestCount - before >= 4);
        worker.kill('SIGTERM');
        expect((await worker.exited).code).toBe(0);
        expect(worker.said('worker stopped')).toHaveLength(1);
        const finishedBeforeExit = await h.resultIds(names.WORKER_RESULTS_CONTAINER);
        expect(finishedBeforeExit.length).toBeGreaterThanOrEqual(4);
        expect(finishedBeforeExit.length).toBeLessThan(ids.length);

        // What was not started is still on the queue, visible: a new replica finishes it.
        h.start(env);
        await eventually(
          'every result',
          async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === ids.length,
        );
        expect(await h.resultIds(names.WORKER_RESULTS_CONTAINER)).toEqual(ids);
        await eventually(
          'an empty queue',
          async () => (await h.messageCount(names.WORKER_QUEUE)) === 0,
        );
      },
      timeout,
    );

    it(
      'hands unfinished jobs straight back when the drain deadline passes, and still exits 0',
      async () => {
        live().openai.setLatency({ fixedMs: 10_000 });
        const names = h.names();
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('too-slow', 'x')]);
        const before = live().openai.requestCount;

        const worker = h.start(
          h.env(names, {
            WORKER_SHUTDOWN_TIMEOUT_MS: '300',
            WORKER_VISIBILITY_TIMEOUT_SECONDS: '60',
          }),
        );
        await eventually('the model call to start', () => live().openai.requestCount > before);
        worker.kill('SIGTERM');
        expect((await worker.exited).code).toBe(0);
        expect(worker.said('worker stopped')[0]).toMatchObject({
          service: options.service,
          drained: false,
          handedBack: 1,
        });

        // Visible again at once, not after the 60 s visibility timeout.
        const { receivedMessageItems } = await h.queues
          .getQueueClient(names.WORKER_QUEUE)
          .receiveMessages();
        const ids = receivedMessageItems.map(
          (message) => (JSON.parse(message.messageText) as { id: string }).id,
        );
        expect(ids).toEqual(['too-slow']);
      },
      timeout,
    );

    it('runs side by side with another worker, each consuming only its own queue', async () => {
      const mine = h.names();
      const theirs = h.names();
      const mineIds = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5'];
      const theirIds = ['t-1', 't-2', 't-3', 't-4', 't-5'];
      await h.enqueue(
        mine.WORKER_QUEUE,
        mineIds.map((id) => jobs.valid(id, id)),
      );
      await h.enqueue(
        theirs.WORKER_QUEUE,
        theirIds.map((id) => jobs.valid(id, id)),
      );
      const a = h.start(h.env(mine));
      const b = h.start(h.env(theirs));

      await eventually(
        'both sets of results',
        async () =>
          (await h.resultIds(mine.WORKER_RESULTS_CONTAINER)).length === 5 &&
          (await h.resultIds(theirs.WORKER_RESULTS_CONTAINER)).length === 5,
        90_000,
      );
      expect(await h.resultIds(mine.WORKER_RESULTS_CONTAINER)).toEqual(mineIds);
      expect(await h.resultIds(theirs.WORKER_RESULTS_CONTAINER)).toEqual(theirIds);
      await eventually(
        'ten completions',
        () => outcome(a, 'job completed') + outcome(b, 'job completed') === 10,
      );
      expect(
        a
          .said('job completed')
          .map((line) => line.jobId)
          .sort(),
      ).toEqual(mineIds);
      expect(
        b
          .said('job completed')
          .map((line) => line.jobId)
          .sort(),
      ).toEqual(theirIds);
    }, 120_000);

    it(
      'retries a job while the token endpoint is down, and finishes it once it is back',
      async () => {
        const names = h.names();
        const worker = h.start(h.env(names, { WORKER_MAX_DEQUEUE: '50' }));
        const url = await worker.url();
        // Ready means it has a storage token; it has none yet for Azure OpenAI.
        await eventually('ready', async () => (await fetch(`${url}/readyz`)).status === 200);
        await h.messageCount(names.WORKER_QUEUE); // the test's own storage token, before the outage
        live().identity.setAvailable(false);
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('tokenless', 'hi')]);

        await eventually('a retry', () => worker.said('job failed; it will be retried').length > 0);
        expect(worker.said('job failed; it will be retried')[0]).toMatchObject({
          jobId: 'tokenless',
          reason: expect.stringContaining('KEYLESS_ERR_NO_CREDENTIAL'),
          fix: expect.any(String),
        });

        live().identity.setAvailable(true);
        await eventually(
          'the result',
          async () => (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).length === 1,
        );
        expect(worker.said('job poisoned')).toEqual([]);
      },
      timeout,
    );

    it(
      'never writes a token to its log',
      async () => {
        const names = h.names();
        const env = h.env(names, { LOG_LEVEL: 'debug' });
        env.AZURE_OPENAI_CHAT_DEPLOYMENT = env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT!;
        await h.enqueue(names.WORKER_QUEUE, [jobs.valid('quiet', 'hi'), '{oops']);
        const worker = h.start(env);
        await eventually(
          'two poison entries',
          async () => (await h.messageCount(names.WORKER_POISON_QUEUE)) === 2,
        );
        expect(worker.raw.length).toBeGreaterThan(0);
        // A JWT (header.payload.signature, base64url) or a bearer header anywhere is a leak.
        expect([...worker.raw, ...worker.stderr].join('\n')).not.toMatch(
          /eyJ[\w-]+\.[\w-]+\.[\w-]+|bearer /i,
        );
      },
      timeout,
    );

    it(
      'refuses to start with bad settings, naming each variable and the fix, and exits 1',
      async () => {
        const worker = h.start(
          h.env(h.names(), { WORKER_CONCURRENCY: 'lots', AZURE_OPENAI_ENDPOINT: '' }),
        );
        expect((await worker.exited).code).toBe(1);
        const output = worker.stderr.join('\n');
        expect(output).toContain('WORKER_CONCURRENCY');
        expect(output).toContain('AZURE_OPENAI_ENDPOINT');
        expect(output).toContain('Fix:');
      },
      timeout,
    );
    it(
      'continues the trace of npm run enqueue through the job, its model call and its result blob: one trace across two processes, with no prompt and no token in it',
      () => oneTraceFromEnqueueToResult(h, options.service, jobs),
      timeout,
    );
    it(
      'exports no trace for the polls of an idle queue, and starts a job’s trace from its message',
      () => idlePollsLeaveNoTrace(h, options.service, jobs),
      timeout,
    );
    it(
      'does its jobs and exports nothing with OTEL_SDK_DISABLED=true',
      () => nothingExportedWhenDisabled(h, jobs),
      timeout,
    );
  });
}
