import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/openai/http.ts';
import { chatUrl, emulatorClient, hello, jsonRequest, startHarness } from './fixture.ts';
import type { Harness } from './fixture.ts';

describe('fault injection and latency', () => {
  let harness: Harness;
  let client: (options?: { maxRetries?: number; timeout?: number }) => OpenAI;
  beforeAll(async () => {
    harness = await startHarness();
    client = (options = {}) => emulatorClient(harness, { maxRetries: 0, ...options });
  });
  beforeEach(() => {
    harness.emulator.faults.clear();
    harness.emulator.setLatency({ fixedMs: 0, perTokenMs: 0 });
  });
  afterAll(() => harness.close());

  const ask = (openai: OpenAI) =>
    openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'retry me' }],
    });

  it("fails the next request with an injected 503 in Azure's error shape, then recovers", async () => {
    harness.emulator.faults.inject({ kind: 'status', status: 503, count: 1 });
    const failed = await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello));
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe(
      'ServiceUnavailable',
    );
    expect((await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello))).status).toBe(
      200,
    );
  });

  it('lets the SDK retry through an injected 429, honouring retry-after-ms', async () => {
    harness.emulator.faults.inject({ kind: 'status', status: 429, count: 2, retryAfterMs: 5 });
    const before = harness.emulator.requestCount;
    const completion = await ask(client({ maxRetries: 2 }));
    expect(completion.choices[0]?.message.content).toBe('You said: retry me');
    expect(harness.emulator.requestCount - before).toBe(3);
  });

  it('sends retry-after-ms on an injected 429', async () => {
    harness.emulator.faults.inject({ kind: 'status', status: 429, count: 1, retryAfterMs: 250 });
    const response = await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('250');
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('lets the SDK retry through an injected 500', async () => {
    harness.emulator.faults.inject({ kind: 'status', status: 500, count: 1, retryAfterMs: 5 });
    await expect(ask(client({ maxRetries: 1 }))).resolves.toMatchObject({
      object: 'chat.completion',
    });
  });

  it('surfaces an injected 500 as InternalServerError when retries are off', async () => {
    harness.emulator.faults.inject({ kind: 'status', status: 500, count: 1 });
    await expect(ask(client())).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('hangs a request until the client gives up', async () => {
    harness.emulator.faults.inject({ kind: 'hang', count: 1 });
    await expect(ask(client({ timeout: 200 }))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it('resets the connection of a request', async () => {
    harness.emulator.faults.inject({ kind: 'reset', count: 1 });
    await expect(ask(client())).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(ask(client())).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('uses injected faults in order, one request each', () => {
    harness.emulator.faults.inject({ kind: 'status', status: 500, count: 2 });
    harness.emulator.faults.inject({ kind: 'reset', count: 1 });
    expect(harness.emulator.faults.pending()).toEqual([
      { kind: 'status', status: 500, count: 2 },
      { kind: 'reset', count: 1 },
    ]);
  });

  it('refuses a malformed fault with a message showing the accepted shapes', () => {
    expect(() =>
      harness.emulator.faults.inject({ kind: 'status', status: 404, count: 1 } as never),
    ).toThrow(/Invalid fault \(status: .*\)\. Pass \{ kind: 'status', status: 429 \| 500 \| 503/);
  });

  it('injects, lists and clears faults over HTTP without a token', async () => {
    const post = await fetch(`${harness.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, count: 3 }),
    });
    expect(post.status).toBe(201);
    expect(await post.json()).toEqual({ pending: [{ kind: 'status', status: 503, count: 3 }] });
    expect((await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello))).status).toBe(
      503,
    );
    const remove = await fetch(`${harness.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect(remove.status).toBe(204);
    expect((await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello))).status).toBe(
      200,
    );
  });

  it('answers a malformed fault over HTTP with 400 and the accepted shapes', async () => {
    const post = await fetch(`${harness.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'explode', count: 1 }),
    });
    expect(post.status).toBe(400);
    expect(((await post.json()) as { error: { message: string } }).error.message).toContain(
      "Pass { kind: 'status'",
    );
  });

  it('delays the answer by the fixed latency set over HTTP, so a short client timeout fires', async () => {
    const put = await fetch(`${harness.emulator.url}/_emulator/latency`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixedMs: 10_000 }),
    });
    expect(await put.json()).toEqual({ fixedMs: 10_000, perTokenMs: 0 });
    await expect(ask(client({ timeout: 150 }))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it('spaces streamed tokens by the per-token latency while the leading chunks arrive at once', async () => {
    harness.emulator.setLatency({ perTokenMs: 10_000 });
    const response = await fetch(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { ...hello, stream: true }),
    );
    const reader = response.body!.getReader();
    let text = '';
    while (text.split('\n\n').length < 3) {
      const { value } = (await reader.read()) as { value?: Uint8Array };
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const events = text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(2);
    expect(events.some((event) => event.includes('"content":"You"'))).toBe(false);
  });

  it('refuses a negative latency with the accepted shape', () => {
    expect(() => harness.emulator.setLatency({ fixedMs: -1 })).toThrow(
      /Invalid latency \(fixedMs: .*\)\. Pass \{ fixedMs\?/,
    );
  });

  it('serves the controls only to loopback callers', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
  });
});

describe('closing the emulator', () => {
  it('closes even while an injected hang holds a request open', async () => {
    const harness = await startHarness();
    harness.emulator.faults.inject({ kind: 'hang', count: 1 });
    const pending = fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello)).catch(
      (error: unknown) => error,
    );
    while (harness.emulator.requestCount === 0)
      await new Promise((resolve) => setImmediate(resolve));
    await harness.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });
});
