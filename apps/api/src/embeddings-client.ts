/**
 * The client for embeddings. On the dated API (AZURE_OPENAI_API_VERSION set) @keyless/auth's
 * AzureOpenAI client is pinned to the chat deployment (`deployment` puts it in every URL), so
 * embeddings need a client pinned to the embedding deployment. On the v1 API, where `model`
 * picks the deployment, the one client serves both.
 */
import { createOpenAIClient } from '@keyless/auth';
import type { KeylessClients, KeylessConfig } from '@keyless/auth';
import type OpenAI from 'openai';

export function embeddingsClient(
  config: KeylessConfig,
  clients: Pick<KeylessClients, 'openai' | 'credential'>,
): OpenAI {
  const deployment = config.openai.embeddingDeployment;
  if (!config.openai.apiVersion || !deployment) return clients.openai;
  const pinned = { ...config, openai: { ...config.openai, chatDeployment: deployment } };
  return createOpenAIClient(pinned, clients.credential);
}
