import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readTelemetrySettings } from '../src/index.ts';
import type { TelemetrySettings } from '../src/index.ts';

/**
 * The in-process receiver's own paths: its server is patched like any other in the process, so
 * the exports it receives would otherwise show up as spans of their own in later batches.
 */
export const receiverPaths = ['/v1/traces', '/v1/metrics', '/v1/logs'];

export function settingsFor(env: Record<string, string>): TelemetrySettings {
  // Metrics are flushed by hand in tests; the interval only has to be long.
  return readTelemetrySettings({ OTEL_METRIC_EXPORT_INTERVAL: '600000', ...env });
}

export async function listen(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A JWT-shaped bearer token minted at run time, never a literal. */
export function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ oid: randomUUID() })}.${randomUUID()}`;
}

export function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
