import { trace } from '@opentelemetry/api';
import { createTracingClient } from '@azure/core-tracing';
import type { OperationTracingOptions } from '@azure/core-tracing';

interface OperationOptions {
  tracingOptions?: OperationTracingOptions;
}
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

  describe('beneath an operation that expects a status and answers it itself', () => {
    const tracingClient = (packageName: string) =>
      createTracingClient({ namespace: 'Microsoft.Storage', packageName, packageVersion: '1.0.0' });
    const blob = tracingClient('@azure/storage-blob');
    const pipeline = tracingClient('@azure/core-rest-pipeline');
    const identity = tracingClient('@azure/identity');

    /** A status as the SDK's HTTP policy reports it: the attribute, then an error with no cause. */
    function httpCall(options: OperationOptions, status: number): void {
      const { span } = pipeline.startSpan('HTTP HEAD', options, { spanKind: 'client' });
      span.setAttribute('http.status_code', status);
      if (status >= 400) span.setStatus({ status: 'error' });
      span.end();
    }

    /** The operation's call beneath it, as the storage clients make it, failing with `status`. */
    function failingCall(name: string, options: OperationOptions, status: number) {
      return blob.withSpan(name, options, (inner) => {
        httpCall(inner, status);
        return Promise.reject(Object.assign(new Error(`status ${status}`), { statusCode: status }));
      });
    }

    /** `BlobClient.exists()`: false on a 404, any other failure thrown. */
    function exists(status: number) {
      return blob.withSpan('BlobClient-exists', {}, async (options) => {
        try {
          await failingCall('BlobClient-getProperties', options, status);
          return true;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return false;
          throw error;
        }
      });
    }

    /** The status of each span that `run` made, by name. */
    async function statusesOf(run: () => Promise<unknown>): Promise<Record<string, string>> {
      const from = otel.receiver.spans.length;
      await run().catch(() => undefined);
      await otel.telemetry.flush();
      return Object.fromEntries(
        otel.receiver.spans.slice(from).map((span) => [span.name, span.status]),
      );
    }

    it('leave a 404 that exists() turns into false unset, and keep a 403 or a 503 an error', async () => {
      for (const [status, expected] of [
        [404, 'unset'],
        [403, 'error'],
        [503, 'error'],
      ] as const) {
        expect(await statusesOf(() => exists(status))).toEqual({
          'BlobClient-exists': expected,
          'BlobClient-getProperties': expected,
          'HTTP HEAD': expected,
        });
      }
    });

    it('keep a 404 an error outside such an operation, and on the operation when it throws it', async () => {
      expect(await statusesOf(() => failingCall('BlobClient-download', {}, 404))).toEqual({
        'BlobClient-download': 'error',
        'HTTP HEAD': 'error',
      });
      // deleteIfExists() answers BlobNotFound with false but throws ContainerNotFound, also a 404.
      expect(
        await statusesOf(() =>
          blob.withSpan('BlobClient-deleteIfExists', {}, (options) =>
            failingCall('BlobClient-delete', options, 404),
          ),
        ),
      ).toEqual({
        'BlobClient-deleteIfExists': 'error',
        'BlobClient-delete': 'unset',
        'HTTP HEAD': 'unset',
      });
    });

    it('leave a 409 that createIfNotExists() answers unset', async () => {
      expect(
        await statusesOf(() =>
          blob.withSpan('ContainerClient-createIfNotExists', {}, (options) =>
            failingCall('ContainerClient-create', options, 409).catch(() => ({ succeeded: false })),
          ),
        ),
      ).toEqual({
        'ContainerClient-createIfNotExists': 'unset',
        'ContainerClient-create': 'unset',
        'HTTP HEAD': 'unset',
      });
    });

    it('keep a failed token request beneath it an error', async () => {
      expect(
        await statusesOf(() =>
          blob.withSpan('BlobClient-exists', {}, (options) =>
            identity
              .withSpan('ManagedIdentityCredential.getToken', options, (inner) => {
                httpCall(inner, 404);
                return Promise.reject(Object.assign(new Error('no identity'), { statusCode: 404 }));
              })
              .catch(() => false),
          ),
        ),
      ).toEqual({
        'BlobClient-exists': 'unset',
        'ManagedIdentityCredential.getToken': 'error',
        'HTTP HEAD': 'error',
      });
    });
  });
});
