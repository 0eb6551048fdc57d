/** What the chat and Responses routes both promise: POST only, and a stream of text deltas. */
import { expect } from 'vitest';
import { problemOf, readEvents, type ServerSentEvent } from './http-client.ts';

/** Checks that the route answers 405 with `Allow: POST` (and a problem) to a GET. */
export async function expectPostOnly(url: string): Promise<void> {
  const response = await fetch(url);
  expect(response.status).toBe(405);
  expect(response.headers.get('allow')).toBe('POST');
  await problemOf(response);
}

export interface DeltaStream {
  events: ServerSentEvent[];
  /** The `message` events, one text delta each. */
  deltas: ServerSentEvent[];
}

/**
 * Checks that a streamed answer is a 200 text/event-stream of more than one delta whose text
 * holds `expected`, and returns its events for the route's own checks of the done event.
 */
export async function readDeltaStream(response: Response, expected: string): Promise<DeltaStream> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const events = await readEvents(response);
  const deltas = events.filter((event) => event.event === 'message');
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.map((event) => (event.data as { delta: string }).delta).join('')).toContain(
    expected,
  );
  return { events, deltas };
}
