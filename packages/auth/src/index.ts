export { loadConfig, findKeys } from './config.ts';
export type { KeylessConfig, ConfigNeeds, Env } from './config.ts';
export type { OpenAIApi } from './scope.ts';
export {
  createCredential,
  explainCredential,
  credentialRules,
  developerCredentialNames,
} from './credential.ts';
export type {
  CredentialSource,
  CredentialOptions,
  CredentialChoice,
  CredentialRule,
} from './credential.ts';
export {
  openAIScopeForEndpoint,
  audienceOfScope,
  isLoopbackUrl,
  aiFoundryScope,
  publicOpenAIScope,
  usGovernmentOpenAIScope,
  chinaOpenAIScope,
  storageScope,
} from './scope.ts';
export { createTokenProvider } from './token-provider.ts';
export type { KeylessTokenProvider } from './token-provider.ts';
export { decodeTokenClaims } from './token-claims.ts';
export type { TokenClaims } from './token-claims.ts';
export { createOpenAIClient } from './openai-client.ts';
export { createUndiciFetch } from './undici-fetch.ts';
export type { OpenAIClientOptions } from './openai-client.ts';
export { createKeylessClients } from './keyless-clients.ts';
export type { KeylessClients, KeylessClientsOptions } from './keyless-clients.ts';
export { checkReadiness } from './readiness.ts';
export type { ReadinessCheck, ReadinessResult, ReadinessOptions } from './readiness.ts';
export { KeylessError, KeylessConfigError, errorCodes, isKeylessError } from './errors.ts';
export type { KeylessErrorCode, KeylessErrorOptions, ConfigProblem } from './errors.ts';
export { toKeylessError, credentialFailure } from './error-mapping.ts';
export type { ErrorContext, OpenAIOperation } from './error-mapping.ts';
export { redact } from './redaction.ts';
