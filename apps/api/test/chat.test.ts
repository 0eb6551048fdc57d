import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, parseEvents, postJson, readEvents, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let api: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { recordUpstream: true });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe('POST /api/chat', () => {
  it('answers with the assistant message, the finish reason and the token usage', async () => {
    const response = await postJson(`${api.url}/api/chat`, hello);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      message: { role: 'assistant', content: expect.stringContaining('Hello there') },
      finishReason: 'stop',
      usage: {
        promptTokens: expect.any(Number),
        completionTokens: expect.any(Number),
        totalTokens: expect.any(Number),
      },
    });
  });

  it('stops at maxTokens and says so in finishReason', async () => {
    const response = await postJson(`${api.url}/api/chat`, { ...hello, maxTokens: 1 });
    const body = (await response.json()) as {
      finishReason: string;
      usage: { completionTokens: number };
    };
    expect(body.finishReason).toBe('length');
    expect(body.usage.completionTokens).toBe(1);
  });

  it('echoes a sane x-request-id and sends it upstream as x-ms-client-request-id', async () => {
    const response = await postJson(`${api.url}/api/chat`, hello, {
      'x-request-id': 'trace-42.a_b',
    });
    expect(response.headers.get('x-request-id')).toBe('trace-42.a_b');
    expect(api.upstream.at(-1)?.headers.get('x-ms-client-request-id')).toBe('trace-42.a_b');
  });

  it('replaces an unsafe x-request-id with a new UUID, here and upstream', async () => {
    const response = await postJson(`${api.url}/api/chat`, hello, {
      'x-request-id': 'x'.repeat(200),
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.upstream.at(-1)?.headers.get('x-ms-client-request-id')).toBe(id);
  });

  it('sends a bearer token upstream, never an api-key', () => {
    const headers = api.upstream.at(-1)?.headers;
    expect(headers?.get('authorization')).toMatch(/^Bearer ey/);
    expect(headers?.has('api-key')).toBe(false);
  });

  it('answers 400 naming every failing field', async () => {
    const response = await postJson(`${api.url}/api/chat`, {
      messages: [{ role: 'robot', content: 7 }],
      maxTokens: 0,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((error) => error.path)).toEqual([
      'messages[0].role',
      'messages[0].content',
      'maxTokens',
    ]);
  });

  it('answers 405 with Allow for other methods', async () => {
    const response = await fetch(`${api.url}/api/chat`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('POST /api/chat with stream: true', () => {
  it('relays the deltas as server-sent events, then a done event with usage', async () => {
    const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(response);
    const deltas = events.filter((event) => event.event === 'message');
    expect(deltas.length).toBeGreaterThan(1);
    const text = deltas.map((event) => (event.data as { delta: string }).delta).join('');
    expect(text).toContain('Hello there');
    const done = events.at(-1);
    expect(done).toEqual({
      event: 'done',
      data: {
        id: expect.stringMatching(/^chatcmpl-/),
        finishReason: 'stop',
        usage: expect.objectContaining({ completionTokens: deltas.length }),
      },
    });
  });

  it('delivers the first delta before the model has finished', async () => {
    stack.openai.setLatency({ perTokenMs: 200 });
    try {
      const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
      const first = await reader.read();
      const text = new TextDecoder().decode(first.value);
      // The whole answer takes several tokens × 200 ms; the first frame holds one delta only.
      expect(parseEvents(text)).toHaveLength(1);
      await reader.cancel();
    } finally {
      stack.openai.setLatency({});
    }
  });

  it('aborts the upstream call when the client disconnects', async () => {
    stack.openai.setLatency({ perTokenMs: 200 });
    try {
      const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
      await reader.read();
      const upstreamCall = api.upstream.at(-1)!;
      expect(upstreamCall.signal?.aborted).toBe(false);
      await reader.cancel();
      await expect.poll(() => upstreamCall.signal?.aborted, { timeout: 5_000 }).toBe(true);
      await expect
        .poll(() =>
          api.logs.some((line) => line.msg === 'client disconnected; the model call was aborted'),
        )
        .toBe(true);
    } finally {
      stack.openai.setLatency({});
    }
  });
});
