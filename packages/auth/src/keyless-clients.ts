import type { TokenCredential } from '@azure/identity';
import type OpenAI from 'openai';
import type { KeylessConfig } from './config.ts';
import { createCredential, type CredentialSource } from './credential.ts';
import { toKeylessError, type OpenAIOperation } from './error-mapping.ts';
import type { KeylessError } from './errors.ts';
import { createOpenAIClient } from './openai-client.ts';
import { checkReadiness, type ReadinessResult } from './readiness.ts';
import { withClaimsRecorded } from './token-claims.ts';
import { createTokenProvider } from './token-provider.ts';

export interface KeylessClients {
  config: KeylessConfig;
  credential: TokenCredential;
  credentialSource: CredentialSource;
  openai: OpenAI;
  /**
   * The credential for storage clients (`createStorageClients` from `@keyless/auth/storage`): the
   * shared one, recording its tokens' claims so that `explainError` can name the principal.
   */
  storageCredential: TokenCredential;
  /** Each scope the service needs (OpenAI, and storage when configured) can get a token. */
  checkReadiness(timeoutMs?: number): Promise<ReadinessResult>;
  /** toKeylessError with this service's config and the principal from its latest token. */
  explainError(error: unknown, operation?: OpenAIOperation): KeylessError | undefined;
}

export interface KeylessClientsOptions {
  credential?: TokenCredential;
}

/** Everything a service needs from one configuration: one credential, shared by every client. */
export function createKeylessClients(
  config: KeylessConfig,
  options: KeylessClientsOptions = {},
): KeylessClients {
  const { credential, source } = createCredential(config.identity, options);
  const tokenProvider = createTokenProvider(credential, config.openai.scope);
  const storage = withClaimsRecorded(credential);
  const hasStorage = Boolean(config.storage.queueEndpoint ?? config.storage.blobEndpoint);
  const scopes = [config.openai.scope, ...(hasStorage ? [config.storage.scope] : [])];
  return {
    config,
    credential,
    credentialSource: source,
    openai: createOpenAIClient(config, credential, { tokenProvider }),
    storageCredential: storage.credential,
    checkReadiness: (timeoutMs?: number) =>
      checkReadiness(credential, scopes, timeoutMs === undefined ? {} : { timeoutMs }),
    explainError: (error: unknown, operation?: OpenAIOperation) => {
      const claims = tokenProvider.lastClaims() ?? storage.lastClaims();
      return toKeylessError(error, {
        config,
        ...(operation && { operation }),
        ...(claims?.objectId && { principalId: claims.objectId }),
        ...(claims?.identityType && { identityType: claims.identityType }),
      });
    },
  };
}
