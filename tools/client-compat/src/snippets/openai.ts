import {
  DefaultAzureCredential,
  getBearerTokenProvider,
  type TokenCredential,
} from '@azure/identity';
import OpenAI from 'openai';

// The v1 API as Microsoft documents it: a plain OpenAI client, a token function as apiKey.
export function openaiClient(
  endpoint: string,
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  return new OpenAI({
    baseURL: `${endpoint}/openai/v1/`,
    apiKey: getBearerTokenProvider(credential, 'https://ai.azure.com/.default'),
  });
}
