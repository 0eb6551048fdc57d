/**
 * One trace across processes: `npm run enqueue` (its own process) puts the trace context into the
 * message, and the worker (another) continues it through the job, the model call and the result
 * blob. Both export over OTLP to a receiver of the test's own; each flushes as it exits.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { findWorkspaceRoot, storageNamesFor } from '@keyless/registry';
import { startOtlpReceiver } from '@keyless/telemetry/receiver';
import { expect } from 'vitest';
import { eventually } from './harness.ts';
import type { Harness } from './harness.ts';
import { chatJobs } from './jobs.ts';
import type { WorkerConformanceJobs } from './jobs.ts';

const run = promisify(execFile);
const enqueueBin = fileURLToPath(new URL('../../bin/enqueue.ts', import.meta.url));

/** A JWT (a bearer token) in any form, or an Authorization header's value. */
const tokenLike = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}|Bearer /;

export async function oneTraceFromEnqueueToResult(
  h: Harness,
  service: string,
  jobs: WorkerConformanceJobs,
): Promise<void> {
  const receiver = await startOtlpReceiver();
  try {
    const own = storageNamesFor(service);
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    const id = `traced-${randomUUID()}`;
    const secret = `secret-${randomUUID()}`;
    const developer = h.stack.envFor('developer');
    // eslint-disable-next-line no-restricted-syntax -- the child needs a PATH; nothing else is inherited
    const path = process.env.PATH ?? '';
    // The chat job as a prompt, as a user types it; any other job as JSON (`--json`).
    // The CLI gives the job its id (--id), so the JSON is sent without one.
    const fields: Record<string, unknown> = { ...jobs.valid(id, `Hello there ${secret}`) };
    delete fields.id;
    const what = jobs === chatJobs ? [`Hello there ${secret}`] : ['--json', JSON.stringify(fields)];
    const enqueued = await run(
      process.execPath,
      [enqueueBin, '--service', service, '--id', id, ...what],
      {
        // The workspace the bin belongs to: the entry may be a bundle in a folder of its own.
        cwd: findWorkspaceRoot(dirname(enqueueBin)),
        env: { PATH: path, ...developer, ...otlp },
      },
    );
    const traceId = /npm run traces -- ([0-9a-f]{32})/.exec(enqueued.stderr)?.[1];
    expect(traceId, enqueued.stderr).toBeDefined();

    // The worker's own queue and container (services.json), as `npm run enqueue` uses them.
    const worker = h.start(
      h.env(undefined, {
        WORKER_QUEUE: '',
        WORKER_POISON_QUEUE: '',
        WORKER_RESULTS_CONTAINER: '',
        ...otlp,
      }),
    );
    await eventually('the result', async () =>
      (await h.resultIds(own.resultsContainer)).includes(id),
    );
    // The chat job's result quotes the request; the text must reach the worker, not the traces.
    if (jobs === chatJobs) {
      expect(JSON.stringify(await h.result(own.resultsContainer, id))).toContain(secret);
    }
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);

    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const send = trace.find((span) => span.name === `send ${own.queue}`);
    expect(send).toMatchObject({ service: 'enqueue', kind: 'producer' });
    const job = trace.find((span) => span.name === `process ${own.queue}`);
    expect(job).toMatchObject({
      service,
      kind: 'consumer',
      parentSpanId: send?.spanId,
      attributes: expect.objectContaining({ 'keyless.job.outcome': 'completed' }),
    });
    const model = trace.find((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    expect(model).toMatchObject({ service, parentSpanId: job?.spanId });
    // On the v1 API (the stack's default) the chat job is answered through the Responses API.
    if (jobs === chatJobs) expect(model?.attributes['openai.api.type']).toBe('responses');
    expect(model?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    // The result blob's write is an Azure SDK span under the job.
    const upload = trace.find(
      (span) => span.parentSpanId === job?.spanId && /upload/i.test(span.name),
    );
    expect(upload, trace.map((span) => `${span.service} ${span.name}`).join('\n')).toBeDefined();
    // A job that went well has no error in its trace: the check for an existing result is a 404
    // that exists() answers with false, not a failure.
    expect(trace.map((span) => span.name)).toContain('BlobClient-exists');
    expect(trace.filter((span) => span.status === 'error').map((span) => span.name)).toEqual([]);
    // The job's span is in that one trace and no other.
    const jobSpans = receiver.spans.filter((span) => span.name === `process ${own.queue}`);
    expect(jobSpans.map((span) => span.traceId)).toEqual([traceId]);

    const exported = receiver.rawBodies.join('\n');
    expect(exported).not.toContain(secret);
    expect(exported).not.toMatch(tokenLike);
  } finally {
    await receiver.close();
  }
}

/**
 * An idle worker polls its queue every `WORKER_POLL_INTERVAL_MS` (100 ms here, 1 s by default):
 * none of those polls may become a trace, or they drown every other trace (`npm run traces`) and
 * are paid for in Application Insights. A job's trace still starts from its message: the
 * `process <queue>` span continues the `traceparent` it carries, and its model call, result blob
 * and delete are in that trace.
 */
export async function idlePollsLeaveNoTrace(
  h: Harness,
  service: string,
  jobs: WorkerConformanceJobs,
): Promise<void> {
  const receiver = await startOtlpReceiver();
  try {
    const names = h.names();
    const worker = h.start(h.env(names, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }));
    const url = await worker.url();
    // Ready once a receive succeeded: start-up (its queues, container and token) is done by then.
    await eventually('ready', async () => (await fetch(`${url}/readyz`)).status === 200);
    const readyAt = Date.now();
    await sleep(2500); // some 20 empty polls
    const idleUntil = Date.now();

    // A job whose message carries a trace context of the test's own, as an api's enqueue would.
    const traceId = randomBytes(16).toString('hex');
    const enqueuer = randomBytes(8).toString('hex');
    await h.enqueue(names.WORKER_QUEUE, [
      { ...jobs.valid('after-idle', 'hello'), traceparent: `00-${traceId}-${enqueuer}-01` },
    ]);
    await eventually('the result', async () =>
      (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).includes('after-idle'),
    );
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);

    const spans = receiver.spans.filter((span) => span.service === service);
    const listed = (list: typeof spans) =>
      list.map((span) => `${span.name} (trace ${span.traceId})`);
    // No receive is traced, not even the one that brought the job: its trace is the message's.
    expect(listed(spans.filter((span) => /receive/i.test(span.name)))).toEqual([]);
    // Nothing at all while the worker was idle (a little margin for the two processes' clocks).
    expect(
      listed(spans.filter((span) => span.startMs > readyAt + 250 && span.startMs < idleUntil)),
    ).toEqual([]);
    // Since it was ready, the only trace is the job's, continuing the message's context.
    expect(
      [...new Set(spans.filter((span) => span.startMs > readyAt + 250).map((s) => s.traceId))],
      listed(spans).join('\n'),
    ).toEqual([traceId]);
    const job = spans.find((span) => span.name === `process ${names.WORKER_QUEUE}`);
    expect(job).toMatchObject({ kind: 'consumer', traceId, parentSpanId: enqueuer });
    const trace = spans.filter((span) => span.traceId === traceId);
    const beneathJob = trace.filter((span) => span.parentSpanId === job?.spanId);
    expect(beneathJob.some((span) => span.attributes['gen_ai.operation.name'] === 'chat')).toBe(
      true,
    );
    expect(listed(beneathJob).join('\n')).toMatch(/upload/i);
    expect(listed(beneathJob).join('\n')).toMatch(/delete/i);
  } finally {
    await receiver.close();
  }
}

/** `OTEL_SDK_DISABLED=true`: the worker still does its jobs and sends nothing. */
export async function nothingExportedWhenDisabled(
  h: Harness,
  jobs: WorkerConformanceJobs,
): Promise<void> {
  const receiver = await startOtlpReceiver();
  try {
    const names = h.names();
    await h.enqueue(names.WORKER_QUEUE, [jobs.valid('untraced', 'hello')]);
    const worker = h.start(
      h.env(names, { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
    );
    await eventually('the result', async () =>
      (await h.resultIds(names.WORKER_RESULTS_CONTAINER)).includes('untraced'),
    );
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(receiver.rawBodies).toEqual([]);
  } finally {
    await receiver.close();
  }
}
