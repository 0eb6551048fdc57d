import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

// The managed-identity endpoint fails before the api ever got a token.
let stack: LocalAzure;
let api: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { AZURE_OPENAI_MAX_RETRIES: '0' });
  stack.identity.setAvailable(false);
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe('when no token can be acquired', () => {
  it(
    'answers a safe 502, not a 500, and logs the cause with its fix',
    { timeout: 60_000 },
    async () => {
      const response = await postJson(`${api.url}/api/chat`, hello);
      const body = await response.text();
      expect(response.status, body).toBe(502);
      expect(JSON.parse(body)).toMatchObject({
        type: 'urn:keyless:problem:upstream-auth',
        detail: 'The service could not authenticate to the model endpoint.',
      });
      const requestId = response.headers.get('x-request-id');
      const line = api.logs.find((entry) => entry.reqId === requestId && entry.code);
      expect(line).toMatchObject({
        code: expect.stringMatching(/^KEYLESS_ERR_/),
        fix: expect.any(String),
      });
    },
  );

  it('reports not ready, naming the token scope', async () => {
    const response = await fetch(`${api.url}/readyz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toContain('token https://');
  });
});
