import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let api: ApiUnderTest;
let withoutEmbeddings: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack);
  withoutEmbeddings = await startApi(stack, { env: { AZURE_OPENAI_EMBEDDING_DEPLOYMENT: '' } });
});

afterAll(async () => {
  await api?.close();
  await withoutEmbeddings?.close();
  await stack?.stop();
});

describe('POST /api/embeddings', () => {
  it('answers one vector for one string', async () => {
    const response = await postJson(`${api.url}/api/embeddings`, { input: 'keyless' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: Array<{ index: number; embedding: number[] }>;
      usage: { promptTokens: number; totalTokens: number };
    };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.index).toBe(0);
    expect(body.data[0]?.embedding).toHaveLength(1536);
    expect(body.usage.promptTokens).toBeGreaterThan(0);
  });

  it('answers a vector per input, in order', async () => {
    const response = await postJson(`${api.url}/api/embeddings`, { input: ['a', 'b', 'c'] });
    const body = (await response.json()) as { data: Array<{ index: number }> };
    expect(body.data.map((item) => item.index)).toEqual([0, 1, 2]);
  });

  it('answers 400 naming the field when input is missing or of the wrong type', async () => {
    const response = await postJson(`${api.url}/api/embeddings`, { input: [1, 2] });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((error) => error.path)).toContain('input');
  });

  it('answers 501 naming the variable to set when no embedding deployment is configured', async () => {
    const response = await postJson(`${withoutEmbeddings.url}/api/embeddings`, { input: 'x' });
    expect(response.status).toBe(501);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { detail: string };
    expect(problem.detail).toContain('AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
  });
});
