import {
  DefaultAzureCredential,
  getBearerTokenProvider,
  type TokenCredential,
} from '@azure/identity';
import { AzureOpenAI } from 'openai-v4';

// The seed's pattern: the dated API through AzureOpenAI (openai 4.x), Cognitive Services scope.
export function azureOpenAIClient(
  endpoint: string,
  deployment: string,
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  return new AzureOpenAI({
    endpoint,
    deployment,
    apiVersion: '2024-10-21',
    azureADTokenProvider: getBearerTokenProvider(
      credential,
      'https://cognitiveservices.azure.com/.default',
    ),
  });
}
