import {
  DefaultAzureCredential,
  getBearerTokenProvider,
  type TokenCredential,
} from '@azure/identity';
import { createAzure } from '@ai-sdk/azure';

// The Vercel AI SDK: tokenProvider instead of apiKey; azure(deployment) uses the Responses API.
export function aiSdkProvider(
  endpoint: string,
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  return createAzure({
    baseURL: `${endpoint}/openai/v1`,
    tokenProvider: getBearerTokenProvider(credential, 'https://ai.azure.com/.default'),
  });
}
