import http from 'node:http';
import { createTracingClient } from '@azure/core-tracing';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { traceJob, untraced } from '../src/index.ts';
import { close, listen } from './helpers.ts';
import { telemetryPerTest } from './telemetry-per-test.ts';

const otel = telemetryPerTest('worker', ['/messages']);

// The queue client traces through exactly this client of @azure/core-tracing.
const queueTracing = createTracingClient({
  namespace: 'Microsoft.Storage',
  packageName: '@azure/storage-queue',
  packageVersion: '12.0.0',
});

/** A poll as the Azure SDK makes it: the operation's span, and a real request beneath it. */
function receiveMessages(url: string): Promise<string | undefined> {
  return queueTracing.withSpan(
    'QueueClient-receiveMessages',
    {},
    () =>
      new Promise<string | undefined>((resolve, reject) => {
        http
          .get(`${url}/messages`, (response) => {
            response.resume();
            response.on('end', () => resolve(response.headers['x-seen-traceparent'] as string));
          })
          .on('error', reject);
      }),
  );
}

async function queueServer() {
  return listen((request, response) => {
    const seen = request.headers.traceparent;
    response.writeHead(200, seen ? { 'x-seen-traceparent': seen } : {}).end('<QueueMessagesList/>');
  });
}

describe('untraced', () => {
  it('runs a poll with no span at all and no traceparent sent, and returns what it returns', async () => {
    const { url, server } = await queueServer();
    try {
      const seen = await untraced(() => receiveMessages(url));
      expect(seen).toBeUndefined();
      await otel.telemetry.flush();
      expect(otel.receiver.spans.map((span) => span.name)).toEqual([]);

      // Outside it, the same call is traced (the check above is not vacuous).
      expect(await receiveMessages(url)).toMatch(/^00-[0-9a-f]{32}-/);
      await otel.telemetry.flush();
      expect(otel.receiver.spans.map((span) => span.name)).toContain('QueueClient-receiveMessages');
    } finally {
      await close(server);
    }
  });

  it('still traces a job started inside it, continuing the trace its message carries', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const enqueuer = 'b7ad6b7169203331';
    const body = { id: 'job-1', traceparent: `00-${traceId}-${enqueuer}-01` };
    await untraced(() =>
      traceJob({ queue: 'worker-jobs', body }, () =>
        queueTracing.withSpan('QueueClient-deleteMessage', {}, () => Promise.resolve()),
      ),
    );
    await otel.telemetry.flush();
    const job = otel.receiver.spans.find((span) => span.name === 'process worker-jobs');
    expect(job).toMatchObject({ kind: 'consumer', traceId, parentSpanId: enqueuer });
    expect(
      otel.receiver.spans.find((span) => span.name === 'QueueClient-deleteMessage'),
    ).toMatchObject({ traceId, parentSpanId: job?.spanId });
  });

  it('leaves the caller traced once it returns', async () => {
    await trace.getTracer('test').startActiveSpan('loop', async (loop) => {
      await untraced(() => Promise.resolve());
      await queueTracing.withSpan('QueueClient-updateMessage', {}, () => Promise.resolve());
      loop.end();
    });
    await otel.telemetry.flush();
    const loop = otel.receiver.spans.find((span) => span.name === 'loop');
    expect(
      otel.receiver.spans.find((span) => span.name === 'QueueClient-updateMessage'),
    ).toMatchObject({ traceId: loop?.traceId, parentSpanId: loop?.spanId });
  });
});
