import type { IncomingMessage, ServerResponse } from 'node:http';
import { payloadTooLarge, type EmulatorErrorResponse } from './errors.ts';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

export function sendError(
  response: ServerResponse,
  error: EmulatorErrorResponse,
  headers: Record<string, string> = {},
): void {
  sendJson(response, error.status, error.body, { ...headers, ...error.headers });
}

/** Reads the whole body, refusing (413) as soon as it grows past `limitBytes`. */
export async function readBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<{ ok: true; body: Buffer } | { ok: false; error: EmulatorErrorResponse }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return { ok: false, error: payloadTooLarge(limitBytes) };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      request.resume();
      return { ok: false, error: payloadTooLarge(limitBytes) };
    }
    chunks.push(chunk);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}

export function isJsonContentType(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The request-tracing headers Azure sets on every response, echoing the caller's own id. */
export function tracingHeaders(
  request: IncomingMessage,
  requestId: string,
  region: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'apim-request-id': requestId,
    'x-request-id': requestId,
    'x-ms-region': region,
  };
  const clientRequestId = request.headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string') headers['x-ms-client-request-id'] = clientRequestId;
  return headers;
}
