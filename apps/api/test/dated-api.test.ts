import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

// AZURE_OPENAI_API_VERSION set: @keyless/auth switches to the dated /openai/deployments API.
let stack: LocalAzure;
let api: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi(stack, { AZURE_OPENAI_API_VERSION: '2024-10-21' });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe('on the dated API (AZURE_OPENAI_API_VERSION)', () => {
  it('answers a chat as JSON', async () => {
    const response = await postJson(`${api.url}/api/chat`, hello);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { message: { content: string } }).message.content).toContain(
      'Hello there',
    );
  });

  it('streams a chat', async () => {
    const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
    expect(await response.text()).toMatch(/event: done\ndata: \{/);
  });

  it('answers embeddings from the embedding deployment', async () => {
    const response = await postJson(`${api.url}/api/embeddings`, { input: 'x' });
    expect(response.status).toBe(200);
  });
});
