import { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { createCredential, createOpenAIClient, loadConfig } from '../src/index.ts';
import { useStack } from './local-stack.ts';

const stack = useStack();

function client(overrides: Record<string, string> = {}) {
  const config = loadConfig({ ...stack().envFor('id-api'), ...overrides });
  const { credential } = createCredential(config.identity);
  return { config, openai: createOpenAIClient(config, credential) };
}

describe('createOpenAIClient', () => {
  it('calls the v1 API with the deployment as model when no API version is set', async () => {
    const { config, openai } = client();
    expect(openai).not.toBeInstanceOf(AzureOpenAI);
    expect(openai.baseURL).toBe(`${config.openai.endpoint}/openai/v1/`);
    const completion = await openai.chat.completions.create({
      model: config.openai.chatDeployment,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.role).toBe('assistant');
  });

  it('uses AzureOpenAI on the dated deployments API when an API version is set', async () => {
    const { config, openai } = client({ AZURE_OPENAI_API_VERSION: '2024-10-21' });
    expect(openai).toBeInstanceOf(AzureOpenAI);
    const completion = await openai.chat.completions.create({
      model: config.openai.chatDeployment,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices).toHaveLength(1);
  });

  it('computes embeddings on the embedding deployment', async () => {
    const { config, openai } = client();
    const result = await openai.embeddings.create({
      model: config.openai.embeddingDeployment!,
      input: 'keyless',
    });
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
  });

  it('computes embeddings on the embedding deployment on the dated API too', async () => {
    const { config, openai } = client({ AZURE_OPENAI_API_VERSION: '2024-10-21' });
    const result = await openai.embeddings.create({
      model: config.openai.embeddingDeployment!,
      input: 'keyless',
      encoding_format: 'float',
    });
    expect(result.data[0]?.embedding).toHaveLength(1536);
  });

  it('applies the configured timeout and retries', () => {
    const { openai } = client({ AZURE_OPENAI_TIMEOUT_MS: '1234', AZURE_OPENAI_MAX_RETRIES: '5' });
    expect(openai.timeout).toBe(1234);
    expect(openai.maxRetries).toBe(5);
  });
});
