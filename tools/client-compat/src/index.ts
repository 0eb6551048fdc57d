export { openaiClient } from './snippets/openai.ts';
export { azureOpenAIClient } from './snippets/openai-v4.ts';
export { langchainModels } from './snippets/langchain.ts';
export { aiSdkProvider } from './snippets/ai-sdk.ts';
