import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let api: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { env: { API_BODY_LIMIT: '2kb' } });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({
    type: expect.stringMatching(/^urn:keyless:problem:/),
    title: expect.any(String),
    status: response.status,
    requestId: response.headers.get('x-request-id'),
  });
  expect(JSON.stringify(problem)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return problem;
}

function post(
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${api.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
}

describe('errors as application/problem+json', () => {
  it('answers 404 for an unknown route, listing the routes there are', async () => {
    const response = await fetch(`${api.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect((await problemOf(response)).detail).toContain('POST /api/chat');
  });

  it('answers 413 above API_BODY_LIMIT, naming the setting', async () => {
    const big = { messages: [{ role: 'user', content: 'x'.repeat(3_000) }] };
    const response = await postJson(`${api.url}/api/chat`, big);
    expect(response.status).toBe(413);
    expect((await problemOf(response)).detail).toContain('API_BODY_LIMIT');
  });

  it('answers 415 when the body is not JSON', async () => {
    const response = await post('messages=hi', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
    expect((await problemOf(response)).detail).toContain('Content-Type: application/json');
  });

  it('answers 415 when no content type is sent', async () => {
    const response = await fetch(`${api.url}/api/chat`, {
      method: 'POST',
      body: new Uint8Array([123, 125]),
    });
    expect(response.status).toBe(415);
    await problemOf(response);
  });

  it('answers 415 for a charset other than UTF-8', async () => {
    const response = await post(JSON.stringify(hello), 'application/json; charset=klingon');
    expect(response.status).toBe(415);
    await problemOf(response);
  });

  it('answers 400 for a body that is not valid JSON, without echoing it', async () => {
    const response = await post('{"messages": [ oops', 'application/json');
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe('urn:keyless:problem:invalid-json');
    expect(JSON.stringify(problem)).not.toContain('oops');
  });

  it('answers 400 for JSON that is not an object', async () => {
    for (const body of ['"just a string"', '42', 'null', '[]']) {
      const response = await post(body, 'application/json');
      expect(response.status).toBe(400);
      await problemOf(response);
    }
  });

  it('answers 400 for invalid UTF-8 inside a JSON string instead of failing', async () => {
    const prefix = new TextEncoder().encode('{"messages":[{"role":"user","content":"');
    const suffix = new TextEncoder().encode('"}],"maxTokens":"x"}');
    const body = new Uint8Array([...prefix, 0xc3, 0x28, 0xff, 0xfe, ...suffix]);
    const response = await post(body, 'application/json');
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toContain('maxTokens');
  });

  it('sets the security headers helmet provides', async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.has('x-powered-by')).toBe(false);
  });
});
