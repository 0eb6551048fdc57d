import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatUrl, emulatorClient, hello, jsonRequest, startHarness } from './fixture.ts';
import type { Harness } from './fixture.ts';

// "Hello there" costs 8 prompt tokens and 5 completion tokens: 13 per request.
describe('per-deployment rate limits', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ limits: { 'gpt-4o-mini': { requestsPerMinute: 2 } } });
  });
  afterAll(() => harness.close());

  const chat = () => fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello));

  it('counts requests down in x-ratelimit-remaining-requests, then answers 429 with retry-after and retry-after-ms', async () => {
    harness.emulator.setLimits('gpt-4o-mini', { requestsPerMinute: 2 });
    const first = await chat();
    const second = await chat();
    const third = await chat();
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(third.status).toBe(429);
    expect(third.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers.get('retry-after-ms'))).toBeGreaterThan(0);
    const body = (await third.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('429');
    expect(body.error.message).toContain(
      'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit',
    );
  });

  it('limits tokens per minute, charging prompt and completion tokens', async () => {
    harness.emulator.setLimits('gpt-4o-mini', { tokensPerMinute: 20 });
    const first = await chat();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('7');
    const second = await chat();
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { message: string } }).error.message).toContain(
      'exceeded token rate limit',
    );
  });

  it('leaves other deployments unlimited and without quota headers', async () => {
    const response = await fetch(
      `${harness.emulator.url}/openai/v1/embeddings`,
      jsonRequest(harness.token, { model: 'text-embedding-3-small', input: 'x' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBeNull();
  });

  it('surfaces a quota 429 to the SDK as a RateLimitError when retries are off', async () => {
    harness.emulator.setLimits('gpt-4o-mini', { requestsPerMinute: 1 });
    const v1 = emulatorClient(harness, { maxRetries: 0 });
    const create = () =>
      v1.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
    await create();
    await expect(create()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('sets limits over HTTP with PUT /_emulator/limits/{deployment}', async () => {
    const put = await fetch(`${harness.emulator.url}/_emulator/limits/gpt-4o-mini`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requestsPerMinute: 5 }),
    });
    expect(put.status).toBe(200);
    expect((await chat()).headers.get('x-ratelimit-limit-requests')).toBe('5');
  });

  it('refuses limits for an unknown deployment, listing the known ones', () => {
    expect(() => harness.emulator.setLimits('nope', { requestsPerMinute: 1 })).toThrow(
      'There is no deployment "nope" to limit. Known deployments: gpt-4o-mini, text-embedding-3-small.',
    );
  });
});
