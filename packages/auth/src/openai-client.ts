import type { TokenCredential } from '@azure/identity';
import OpenAI, { AzureOpenAI } from 'openai';
import type { KeylessConfig } from './config.ts';
import { createTokenProvider, type KeylessTokenProvider } from './token-provider.ts';
import { createUndiciFetch } from './undici-fetch.ts';

export interface OpenAIClientOptions {
  timeoutMs?: number;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  fetch?: typeof fetch;
  /** Share one token provider between clients (the facade does, to read the token's claims). */
  tokenProvider?: KeylessTokenProvider;
}

/**
 * The OpenAI client for the configured endpoint, authorised by Entra ID tokens only.
 * No API version → the v1 API (`<endpoint>/openai/v1/`, a token function as `apiKey`);
 * an API version → `AzureOpenAI` on the dated deployments API. Either way `model` is the
 * deployment name: `AzureOpenAI` is deliberately not pinned to one deployment, so that the same
 * client serves chat and embeddings (the SDK puts `model` into the `/deployments/{model}` path).
 */
export function createOpenAIClient(
  config: KeylessConfig,
  credential: TokenCredential,
  options: OpenAIClientOptions = {},
): OpenAI {
  const tokenProvider =
    options.tokenProvider ?? createTokenProvider(credential, config.openai.scope);
  const common = {
    timeout: options.timeoutMs ?? config.openai.timeoutMs,
    maxRetries: options.maxRetries ?? config.openai.maxRetries,
    ...(options.defaultHeaders && { defaultHeaders: options.defaultHeaders }),
    fetch: options.fetch ?? createUndiciFetch(),
  };
  if (config.openai.apiVersion) {
    return new AzureOpenAI({
      endpoint: config.openai.endpoint,
      apiVersion: config.openai.apiVersion,
      azureADTokenProvider: tokenProvider,
      ...common,
    });
  }
  return new OpenAI({
    baseURL: `${config.openai.endpoint}/openai/v1/`,
    apiKey: tokenProvider,
    ...common,
  });
}
