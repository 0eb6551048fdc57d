import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

// Hostile and malformed bodies must get a 4xx (or a 200 when they happen to be valid), never a
// 5xx, and the process must keep serving. Bodies are sent as raw bytes over a real socket.

let stack: LocalAzure;
let api: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { env: { API_BODY_LIMIT: '256kb', LOG_LEVEL: 'silent' } });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const encoder = new TextEncoder();

const role = fc.oneof(fc.constantFrom('system', 'user', 'assistant'), fc.string(), fc.anything());
const content = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constant('x'.repeat(300_000)),
  fc.constant('y'.repeat(200_000)),
  fc.anything(),
);
const message = fc.oneof(
  fc.record({ role, content }),
  fc.record({ role, content }, { requiredKeys: [] }),
  fc.anything(),
);
const chatLike = fc.record(
  {
    messages: fc.oneof(fc.array(message, { maxLength: 5 }), fc.anything()),
    stream: fc.oneof(fc.boolean(), fc.anything()),
    maxTokens: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constant(Number.MAX_SAFE_INTEGER),
    ),
  },
  { requiredKeys: [] },
);

const prototypeKeys = fc
  .constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')
  .map(
    (key) =>
      `{"${key}":{"polluted":true,"prototype":{"polluted":true}},"messages":[{"role":"user","content":"hi","${key}":{"polluted":true}}]}`,
  );

const deepNesting = fc
  .tuple(fc.integer({ min: 1_000, max: 50_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth));

const asBytes = (text: string) => encoder.encode(text);

/** Raw bodies: JSON of any shape, broken JSON, invalid UTF-8, deep nesting, pollution keys. */
const hostileBody = fc.oneof(
  chatLike.map((value) => asBytes(JSON.stringify(value) ?? 'null')),
  fc.jsonValue({ maxDepth: 6 }).map((value) => asBytes(JSON.stringify(value))),
  fc.string().map(asBytes),
  fc.uint8Array({ maxLength: 2_000 }),
  prototypeKeys.map(asBytes),
  deepNesting.map(asBytes),
  fc
    .uint8Array({ minLength: 1, maxLength: 20 })
    .map((bytes) =>
      Uint8Array.from([
        ...asBytes('{"messages":[{"role":"user","content":"'),
        ...bytes,
        ...asBytes('"}]}'),
      ]),
    ),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
);

const path = fc.constantFrom('/api/chat', '/api/embeddings');

describe('the api under hostile bodies', () => {
  it('never answers a 5xx and never leaks an internal error', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileBody, contentType, path, async (body, type, route) => {
        const response = await fetch(`${api.url}${route}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|TypeError|RangeError|SyntaxError/);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        }
      }),
      { numRuns: 400 },
    );
    // The runs covered both refusals and valid bodies.
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(415)).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});
