/**
 * The `fetch` the OpenAI client is given: undici's `request` underneath a standard `Response`.
 * Node's global fetch is undici too, but its WHATWG request/stream machinery cost about 0.35 ms
 * of CPU per proxied chat call against 0.16 ms for `request` (apps/api bench, floor rows); the
 * SDK only needs a fetch-shaped function, so it gets this one. Bodies other than text or bytes
 * (a file upload's FormData, a stream) go to the global fetch unchanged.
 */
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A fetch over `dispatcher` (a keep-alive Agent of its own by default). */
export function createUndiciFetch(dispatcher: Dispatcher = new Agent()): FetchLike {
  return async (input, init = {}) => {
    const body = init.body ?? undefined;
    if (input instanceof Request || !isPlainBody(body)) return fetch(input, init);
    const signal = init.signal ?? undefined;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(String(input), {
        method: init.method ?? 'GET',
        headers: headerRecord(init.headers),
        body,
        signal,
        dispatcher,
      });
    } catch (error) {
      throw asFetchError(error, signal);
    }
    return toResponse(response, await bufferedBody(response));
  };
}

function isPlainBody(body: unknown): body is string | Uint8Array | undefined {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}

/** Errors as fetch throws them: the caller's abort reason, or `TypeError: fetch failed` + cause. */
function asFetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  return new TypeError('fetch failed', { cause: error });
}

const noBody = new Set([101, 204, 205, 304]);

/** JSON and other small replies are read whole (cheaper than a web stream); event streams are not. */
async function bufferedBody({
  headers,
  body,
}: Dispatcher.ResponseData): Promise<Uint8Array | undefined> {
  const type = headers['content-type'];
  if (typeof type === 'string' && type.startsWith('text/event-stream')) return undefined;
  return new Uint8Array(await body.arrayBuffer());
}

function toResponse(
  { statusCode, headers, body }: Dispatcher.ResponseData,
  buffered: Uint8Array | undefined,
): Response {
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
    else if (value !== undefined) responseHeaders.set(name, value);
  }
  if (noBody.has(statusCode)) {
    body.resume();
    return new Response(null, { status: statusCode, headers: responseHeaders });
  }
  if (buffered) return new Response(buffered, { status: statusCode, headers: responseHeaders });
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    status: statusCode,
    headers: responseHeaders,
  });
}
