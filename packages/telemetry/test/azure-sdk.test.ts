import { trace } from '@opentelemetry/api';
import { createTracingClient } from '@azure/core-tracing';
import type { OperationTracingOptions } from '@azure/core-tracing';
import { describe, expect, it } from 'vitest';
import { telemetryPerTest } from './telemetry-per-test.ts';

const otel = telemetryPerTest('worker');

describe('Azure SDK calls', () => {
  // The storage and identity clients trace through exactly this client of @azure/core-tracing.
  const tracing = createTracingClient({
    namespace: 'Microsoft.Storage',
    packageName: '@azure/storage-blob',
    packageVersion: '12.0.0',
  });

  it('become spans inside the current trace, with the SDK’s attributes and a W3C traceparent', async () => {
    let headers: Record<string, string> = {};
    const operationOptions: { tracingOptions?: OperationTracingOptions } = {};
    await trace.getTracer('test').startActiveSpan('process worker-jobs', async (job) => {
      await tracing.withSpan(
        'BlockBlobClient.upload',
        operationOptions,
        (options) => {
          headers = tracing.createRequestHeaders(options.tracingOptions?.tracingContext);
          return Promise.resolve();
        },
        {
          spanKind: 'client',
          spanAttributes: { 'az.namespace': 'Microsoft.Storage', ignored: { no: 1 } },
        },
      );
      job.end();
    });
    await otel.telemetry.flush();
    const job = otel.receiver.spans.find((span) => span.name === 'process worker-jobs')!;
    const upload = otel.receiver.spans.find((span) => span.name === 'BlockBlobClient.upload')!;
    expect(upload).toMatchObject({
      kind: 'client',
      traceId: job.traceId,
      parentSpanId: job.spanId,
      attributes: { 'az.namespace': 'Microsoft.Storage' },
    });
    expect(headers['traceparent']).toBe(`00-${job.traceId}-${upload.spanId}-01`);
  });

  it('mark a failed call as an error, but not a 304', async () => {
    const fail = (statusCode: number) =>
      tracing.withSpan(`call ${statusCode}`, {}, () =>
        Promise.reject(Object.assign(new Error(`status ${statusCode}`), { statusCode })),
      );
    await expect(fail(404)).rejects.toThrow();
    await expect(fail(304)).rejects.toThrow();
    await otel.telemetry.flush();
    expect(Object.fromEntries(otel.receiver.spans.map((span) => [span.name, span.status]))).toEqual(
      {
        'call 404': 'error',
        'call 304': 'unset',
      },
    );
  });
});
