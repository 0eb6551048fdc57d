import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, readEvents, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
/** No retries and a short timeout: each injected fault reaches the client. */
let strict: ApiUnderTest;
/** The defaults: one retry. */
let retrying: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  strict = await startApi(stack, {
    env: { AZURE_OPENAI_MAX_RETRIES: '0', AZURE_OPENAI_TIMEOUT_MS: '400' },
  });
  retrying = await startApi(stack);
});

afterEach(() => {
  stack.openai.faults.clear();
  stack.openai.setLatency({});
});

afterAll(async () => {
  await strict?.close();
  await retrying?.close();
  await stack?.stop();
});

async function problem(response: Response): Promise<{ type: string; detail: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { type: string; detail: string };
}

describe('when the model endpoint fails', () => {
  it('passes a 429 on with Retry-After in seconds from retry-after-ms', async () => {
    stack.openai.faults.inject({ kind: 'status', status: 429, count: 1, retryAfterMs: 2_500 });
    const response = await postJson(`${strict.url}/api/chat`, hello);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect((await problem(response)).type).toBe('urn:keyless:problem:upstream-throttled');
  });

  it('answers 502 for an upstream 500, without the upstream message', async () => {
    stack.openai.faults.inject({ kind: 'status', status: 500, count: 1 });
    const response = await postJson(`${strict.url}/api/chat`, hello);
    expect(response.status).toBe(502);
    const body = await problem(response);
    expect(body.type).toBe('urn:keyless:problem:upstream-failed');
    expect(body.detail).toBe('The model endpoint answered 500.');
  });

  it('retries one 503 and answers 200 with the default settings', async () => {
    stack.openai.faults.inject({ kind: 'status', status: 503, count: 1, retryAfterMs: 0 });
    const before = stack.openai.requestCount;
    const response = await postJson(`${retrying.url}/api/chat`, hello);
    expect(response.status).toBe(200);
    expect(stack.openai.requestCount - before).toBe(2);
  });

  it('answers 504 when the model does not answer within AZURE_OPENAI_TIMEOUT_MS', async () => {
    stack.openai.faults.inject({ kind: 'hang', count: 1 });
    const response = await postJson(`${strict.url}/api/chat`, hello);
    expect(response.status).toBe(504);
    expect((await problem(response)).type).toBe('urn:keyless:problem:upstream-timeout');
  });

  it('answers 502 when the connection is reset', async () => {
    stack.openai.faults.inject({ kind: 'reset', count: 1 });
    const response = await postJson(`${strict.url}/api/chat`, hello);
    expect(response.status).toBe(502);
    expect((await problem(response)).detail).toBe('The model endpoint could not be reached.');
  });

  it('answers a throttled stream with a plain 429 before any event is sent', async () => {
    stack.openai.faults.inject({ kind: 'status', status: 429, count: 1, retryAfterMs: 1_000 });
    const response = await postJson(`${strict.url}/api/chat`, { ...hello, stream: true });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('ends a stream that stalls mid-way with an error event holding a 504 problem', async () => {
    stack.openai.setLatency({ perTokenMs: 1_000 });
    const response = await postJson(`${strict.url}/api/chat`, { ...hello, stream: true });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: expect.objectContaining({
        type: 'urn:keyless:problem:upstream-timeout',
        status: 504,
        requestId: response.headers.get('x-request-id'),
      }),
    });
    expect(events.some((event) => event.event === 'done')).toBe(false);
  });

  it('keeps serving after all of the above', async () => {
    const response = await postJson(`${strict.url}/api/chat`, hello);
    expect(response.status).toBe(200);
  });
});
