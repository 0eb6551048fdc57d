/**
 * An OTLP/HTTP receiver on loopback that keeps what services send: spans and metric points in
 * memory, handed to `onSpans`/`onMetrics` as they arrive. The local stack runs one (and writes
 * spans to a file for `npm run traces`); tests run one to see what really left a process.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { decodeMetrics, decodeTraces } from './otlp-json.ts';
import type { ReceivedMetricPoint, ReceivedSpan } from './otlp-json.ts';

export interface OtlpReceiverOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Called with each batch of spans as it arrives. */
  onSpans?: (spans: ReceivedSpan[]) => void;
  onMetrics?: (points: ReceivedMetricPoint[]) => void;
  /** Keep at most this many spans in memory (the oldest go first). Default 10000. */
  maxSpans?: number;
}

export interface OtlpReceiver {
  /** The base URL, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  readonly port: number;
  readonly spans: ReceivedSpan[];
  readonly metrics: ReceivedMetricPoint[];
  /** Every request body as it arrived, to prove what never left a process. */
  readonly rawBodies: string[];
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new RangeError(`body over ${maxBodyBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metricPoints: ReceivedMetricPoint[] = [];
  const rawBodies: string[] = [];
  const maxSpans = options.maxSpans ?? 10_000;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    const known = ['/v1/traces', '/v1/metrics', '/v1/logs'];
    if (request.method !== 'POST' || !known.includes(path ?? '')) {
      answer(response, 404, {
        code: 'NotFound',
        message: `This OTLP/HTTP receiver takes POST ${known.join(', ')}.`,
      });
      return;
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== 'application/json') {
      answer(response, 415, {
        code: 'UnsupportedMediaType',
        message: `This receiver reads OTLP/HTTP JSON, not "${type || 'no content type'}".`,
        fix: 'Use @opentelemetry/exporter-*-otlp-http, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/json.',
      });
      return;
    }
    const text = await readBody(request);
    rawBodies.push(text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      answer(response, 400, { code: 'BadRequest', message: 'The body is not JSON.' });
      return;
    }
    try {
      if (path === '/v1/traces') {
        const received = decodeTraces(body);
        spans.push(...received);
        if (spans.length > maxSpans) spans.splice(0, spans.length - maxSpans);
        options.onSpans?.(received);
      } else if (path === '/v1/metrics') {
        const received = decodeMetrics(body);
        metricPoints.push(...received);
        if (metricPoints.length > maxSpans) metricPoints.splice(0, metricPoints.length - maxSpans);
        options.onMetrics?.(received);
      }
    } catch (error) {
      answer(response, 400, { code: 'BadRequest', message: (error as Error).message });
      return;
    }
    answer(response, 200, {});
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        answer(response, 400, { code: 'BadRequest', message: String(error) });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    spans,
    metrics: metricPoints,
    rawBodies,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
