import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  extractTraceContext,
  injectTraceContext,
  recordJobOutcome,
  traceEnqueue,
  traceJob,
} from '../src/index.ts';
import { telemetryPerTest } from './telemetry-per-test.ts';

const otel = telemetryPerTest('worker');

/** What a queue does to a message: text in, text out. */
const throughQueue = (message: object): unknown => JSON.parse(JSON.stringify(message));

describe('trace context across a queue', () => {
  it('lets the job continue the trace of whoever enqueued it', async () => {
    let sent: unknown;
    await trace.getTracer('test').startActiveSpan('POST /api/jobs', async (request) => {
      await traceEnqueue('worker-jobs', { id: 'job-1', prompt: 'hi' }, (message) => {
        sent = throughQueue(message);
        return Promise.resolve();
      });
      request.end();
    });
    expect(sent).toMatchObject({ id: 'job-1', prompt: 'hi', traceparent: expect.any(String) });

    const result = await traceJob({ queue: 'worker-jobs', body: sent, messageId: 'm-1' }, () =>
      Promise.resolve('done'),
    );
    expect(result).toBe('done');
    await otel.telemetry.flush();

    const byName = Object.fromEntries(otel.receiver.spans.map((span) => [span.name, span]));
    const request = byName['POST /api/jobs']!;
    const send = byName['send worker-jobs']!;
    const job = byName['process worker-jobs']!;
    expect(send).toMatchObject({
      kind: 'producer',
      traceId: request.traceId,
      parentSpanId: request.spanId,
    });
    expect(job).toMatchObject({
      kind: 'consumer',
      traceId: request.traceId,
      parentSpanId: send.spanId,
      attributes: expect.objectContaining({
        'messaging.destination.name': 'worker-jobs',
        'messaging.message.id': 'm-1',
      }) as unknown,
    });
  });

  it.each([
    ['no trace context', { id: 'job-2' }],
    ['a malformed traceparent', { id: 'job-3', traceparent: 'not-a-traceparent' }],
    [
      'an all-zero trace id',
      { id: 'job-4', traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` },
    ],
    ['a traceparent that is not a string', { id: 'job-5', traceparent: 42 }],
    ['a body that is not an object', 'plain text'],
  ])('starts a new trace for a message with %s, and still runs the job', async (_case, body) => {
    const result = await traceJob({ queue: 'worker-jobs', body }, () => Promise.resolve('ran'));
    expect(result).toBe('ran');
    await otel.telemetry.flush();
    expect(otel.receiver.spans).toEqual([
      expect.objectContaining({
        name: 'process worker-jobs',
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    ]);
    expect(otel.receiver.spans[0]).not.toHaveProperty('parentSpanId');
    expect(otel.receiver.spans[0]!.traceId).not.toBe('0'.repeat(32));
  });

  it('adds nothing to a message when no trace is active', () => {
    expect(injectTraceContext({ id: 'job-6' })).toEqual({ id: 'job-6' });
  });

  it('reads back the trace state along with the parent', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const context = extractTraceContext({ traceparent, tracestate: 'congo=t61rcWkgMzE' });
    const parent = trace.getSpanContext(context);
    expect(parent).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', isRemote: true });
    expect(parent?.traceState?.get('congo')).toBe('t61rcWkgMzE');
    expect(injectTraceContext({}, context)).toEqual({
      traceparent,
      tracestate: 'congo=t61rcWkgMzE',
    });
  });
});

describe('job metrics', () => {
  it('count processed, failed and poisoned jobs per queue, and a failed job fails its span', async () => {
    await traceJob({ queue: 'worker-jobs', body: {} }, () => Promise.resolve());
    await expect(
      traceJob({ queue: 'worker-jobs', body: {} }, () => Promise.reject(new RangeError('boom'))),
    ).rejects.toThrow('boom');
    recordJobOutcome('worker-jobs', 'poisoned');
    await otel.telemetry.flush();

    const counts = Object.fromEntries(
      otel.receiver.metrics
        .filter((point) => point.name === 'keyless.worker.jobs')
        .map((point) => [point.attributes['keyless.job.outcome'], point.value]),
    );
    expect(counts).toEqual({ processed: 1, failed: 1, poisoned: 1 });
    expect(
      otel.receiver.spans.map((span) => [span.status, span.attributes['error.type'] ?? null]),
    ).toEqual([
      ['unset', null],
      ['error', 'RangeError'],
    ]);
  });
});
