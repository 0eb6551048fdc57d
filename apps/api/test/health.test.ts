import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let api: ApiUnderTest;

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack);
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe('GET /healthz', () => {
  it('answers 200 without touching any dependency', async () => {
    const tokenRequests = stack.identity.tokenRequests;
    const modelRequests = stack.openai.requestCount;
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(stack.identity.tokenRequests).toBe(tokenRequests);
    expect(stack.openai.requestCount).toBe(modelRequests);
  });
});

describe('GET /readyz', () => {
  it('answers 200 when a token is acquirable and the model endpoint answers', async () => {
    const response = await fetch(`${api.url}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Array<{ name: string; ok: boolean }> };
    expect(body.checks.map((check) => check.name)).toEqual([
      'token https://cognitiveservices.azure.com/.default',
      `reach ${stack.openai.url}`,
    ]);
  });

  it('answers 503 naming the identity when no token can be acquired', async () => {
    const unknownIdentity = await startApi(stack, {
      env: { AZURE_CLIENT_ID: '00000000-0000-4000-8000-000000000000' },
    });
    try {
      const response = await fetch(`${unknownIdentity.url}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { detail: string; checks: unknown[] };
      expect(problem.detail).toMatch(/^token https:\/\/cognitiveservices\.azure\.com\/\.default: /);
      expect(problem.checks).toHaveLength(2);
    } finally {
      await unknownIdentity.close();
    }
  });

  it('answers 503 naming AZURE_OPENAI_ENDPOINT when the model endpoint is unreachable', async () => {
    const unreachable = await startApi(stack, {
      env: { AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
    });
    try {
      const response = await fetch(`${unreachable.url}/readyz`);
      expect(response.status).toBe(503);
      const problem = (await response.json()) as { detail: string };
      expect(problem.detail).toContain('AZURE_OPENAI_ENDPOINT');
    } finally {
      await unreachable.close();
    }
  });
});
