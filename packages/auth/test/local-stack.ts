import { randomUUID } from 'node:crypto';
import { startLocalAzure, type LocalAzure, type LocalAzureOptions } from '@keyless/local-azure';
import { afterAll, beforeAll } from 'vitest';

/** A service identity the stack knows but that holds no role at all. */
export const rolelessIdentity = {
  name: 'id-roleless',
  clientId: randomUUID(),
  principalId: randomUUID(),
  principalType: 'ServicePrincipal' as const,
};

/** The local stack on free loopback ports, with id-roleless added. */
export async function startStack(options: LocalAzureOptions = {}): Promise<LocalAzure> {
  return startLocalAzure({
    ports: 'free',
    storage: false,
    extraIdentities: [rolelessIdentity],
    ...options,
  });
}

/**
 * Points @azure/identity (which reads process.env itself) at the stack's identity endpoint.
 * MSAL fixes its managed-identity source once per process, so a test file calls this once.
 */
export function joinIdentityEndpoint(stack: LocalAzure): void {
  const env = stack.envFor('id-api');
  process.env['IDENTITY_ENDPOINT'] = env['IDENTITY_ENDPOINT'];
  process.env['IDENTITY_HEADER'] = env['IDENTITY_HEADER'];
  process.env['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
}

/**
 * The stack for one test file: started (and joined, before any test creates a credential) in
 * beforeAll, stopped in afterAll. Call it at the top of the file; the returned function gives the
 * running stack inside tests and hooks.
 */
export function useStack(options: LocalAzureOptions = {}): () => LocalAzure {
  let stack: LocalAzure | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    joinIdentityEndpoint(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('The local stack is not running: use it inside tests or hooks.');
    return stack;
  };
}
