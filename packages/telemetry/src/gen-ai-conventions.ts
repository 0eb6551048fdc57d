/**
 * OpenTelemetry's GenAI semantic conventions (development status), copied here as the
 * semantic-conventions package advises for incubating names rather than importing them.
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/
 */
export const genAi = {
  operationName: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  openaiApiType: 'openai.api.type',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const;

/** The GenAI metric names: call latency and tokens per call, both histograms. */
export const genAiMetrics = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
} as const;

/** The provider value for Azure OpenAI in the conventions. */
export const azureOpenAIProvider = 'azure.ai.openai';
