import { randomUUID } from 'node:crypto';
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { startLocalAzure, type LocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll } from 'vitest';

/** An identity the stack knows but that holds no role: what a forgotten role assignment looks like. */
export const roleless = {
  name: 'id-roleless',
  clientId: randomUUID(),
  principalId: randomUUID(),
  principalType: 'ServicePrincipal' as const,
};

export interface CompatStack {
  endpoint: string;
  chatDeployment: string;
  embeddingDeployment: string;
  /** A credential for the identity without any role. */
  rolelessCredential: TokenCredential;
}

/**
 * The local stack for one test file, as a user's process sees it: `DefaultAzureCredential` finds
 * `id-api`'s managed identity through IDENTITY_ENDPOINT (and, restricted to managed identity,
 * never tries a developer tool or the instance-metadata address).
 */
export function useStack(): () => CompatStack {
  let stack: LocalAzure | undefined;
  let compat: CompatStack | undefined;
  beforeAll(async () => {
    stack = await startLocalAzure({
      ports: 'free',
      storage: false,
      extraIdentities: [roleless],
    });
    const env = stack.envFor('id-api');
    for (const name of [
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'AZURE_CLIENT_ID',
      'AZURE_TOKEN_CREDENTIALS',
    ]) {
      process.env[name] = env[name];
    }
    compat = {
      endpoint: env['AZURE_OPENAI_ENDPOINT'] ?? '',
      chatDeployment: env['AZURE_OPENAI_CHAT_DEPLOYMENT'] ?? '',
      embeddingDeployment: env['AZURE_OPENAI_EMBEDDING_DEPLOYMENT'] ?? '',
      rolelessCredential: new ManagedIdentityCredential({ clientId: roleless.clientId }),
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!compat) throw new Error('The local stack is not running: use it inside tests or hooks.');
    return compat;
  };
}

export const responsesDataAction = 'Microsoft.CognitiveServices/accounts/OpenAI/responses/write';
export const chatDataAction =
  'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
