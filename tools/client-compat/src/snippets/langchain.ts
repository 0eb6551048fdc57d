import {
  DefaultAzureCredential,
  getBearerTokenProvider,
  type TokenCredential,
} from '@azure/identity';
import { AzureChatOpenAI, AzureOpenAIEmbeddings } from '@langchain/openai';

// LangChain.js: azureADTokenProvider instead of a key; embeddings need the base path.
export function langchainModels(
  endpoint: string,
  deployments: { chat: string; embedding: string },
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  const azureADTokenProvider = getBearerTokenProvider(
    credential,
    'https://cognitiveservices.azure.com/.default',
  );
  const azureOpenAIApiVersion = '2024-10-21';
  return {
    chat: new AzureChatOpenAI({
      azureOpenAIEndpoint: endpoint,
      azureOpenAIApiDeploymentName: deployments.chat,
      azureOpenAIApiVersion,
      azureADTokenProvider,
    }),
    embeddings: new AzureOpenAIEmbeddings({
      azureOpenAIBasePath: `${endpoint}/openai/deployments`,
      azureOpenAIApiDeploymentName: deployments.embedding,
      azureOpenAIApiVersion,
      azureADTokenProvider,
    }),
  };
}
