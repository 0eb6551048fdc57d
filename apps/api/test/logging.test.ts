import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, readEvents, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let api: ApiUnderTest;

/** A JWT-shaped bearer token minted here, as a caller might send one. */
function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: crypto.randomUUID() })}.${crypto.randomUUID()}`;
}

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { env: { LOG_LEVEL: 'trace' }, recordUpstream: true });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe('the api logs', () => {
  it('hold no token, whatever the requests did', async () => {
    const callerToken = fakeJwt();
    const auth = { authorization: `Bearer ${callerToken}`, cookie: `session=${callerToken}` };
    await postJson(`${api.url}/api/chat`, hello, auth);
    await readEvents(await postJson(`${api.url}/api/chat`, { ...hello, stream: true }, auth));
    await postJson(`${api.url}/api/embeddings`, { input: 'x' }, auth);
    await postJson(`${api.url}/api/chat`, { messages: 'nope' }, auth);
    stack.openai.faults.inject({ kind: 'status', status: 500, count: 2 });
    await postJson(`${api.url}/api/chat`, hello, auth);
    await fetch(`${api.url}/readyz`);

    // The tokens our own identity sent upstream, read off the recorded calls.
    const ourTokens = api.upstream.map((call) =>
      (call.headers.get('authorization') ?? '').replace(/^Bearer /, ''),
    );
    expect(ourTokens.length).toBeGreaterThan(0);
    expect(ourTokens.every((token) => token.startsWith('ey'))).toBe(true);
    const everything = api.rawLogs.join('');
    for (const token of [...new Set(ourTokens), callerToken]) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.split('.')[1]!);
    }
    expect(everything).not.toMatch(/Bearer\s+ey/);
    expect(everything).toContain('[redacted]');
  });

  it('carry the request id on every line a request writes', async () => {
    const before = api.rawLogs.length;
    await postJson(`${api.url}/api/chat`, { messages: [] }, { 'x-request-id': 'log-check-1' });
    const lines = api.logs.slice(before);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.reqId).toBe('log-check-1');
  });

  it('are JSON with the service, a level, an ISO time and a message, and no pid or hostname', () => {
    for (const line of api.logs) {
      expect(line).not.toHaveProperty('pid');
      expect(line).not.toHaveProperty('hostname');
      expect(line).toMatchObject({
        service: 'api',
        level: expect.any(Number),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        msg: expect.any(String),
      });
    }
  });
});
