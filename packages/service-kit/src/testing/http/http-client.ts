/** Requests and readings the suite's tests share. */
import { expect } from 'vitest';

export const hello = { messages: [{ role: 'user', content: 'Hello there' }] };

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export function postRaw(
  url: string,
  body: string | Uint8Array,
  contentType?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
}

/** What no response may ever hold: a stack frame, an engine error name, a bearer token. */
export const leaks =
  /\bat .+\.(ts|js|mjs|cjs):\d+|TypeError|RangeError|ReferenceError|SyntaxError|Bearer\s|eyJ[\w-]{10,}\.[\w-]{10,}/;

/** Checks the RFC 9457 shape every error response has, and returns the problem. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const text = await response.text();
  expect(text).not.toMatch(leaks);
  const problem = JSON.parse(text) as Record<string, unknown>;
  expect(problem).toMatchObject({
    type: expect.stringMatching(/^urn:keyless:problem:/),
    title: expect.any(String),
    status: response.status,
    requestId: response.headers.get('x-request-id'),
  });
  return problem;
}

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

export async function readEvents(response: Response): Promise<ServerSentEvent[]> {
  return parseEvents(await response.text());
}

/** Events of a text/event-stream body (`message` when the frame names no event). */
export function parseEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** Reads the rest of a stream after its first chunk; a cut connection just ends the text. */
export async function readRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: string,
): Promise<string> {
  let text = first;
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) return text;
    text += decoder.decode(value);
  }
}
