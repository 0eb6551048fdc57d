import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import {
  checkReadiness,
  createCredential,
  createKeylessClients,
  loadConfig,
} from '../src/index.ts';
import { useStack } from './local-stack.ts';

const stack = useStack();

const storageEndpoints = {
  AZURE_STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:1/devstoreaccount1',
  AZURE_STORAGE_BLOB_ENDPOINT: 'https://127.0.0.1:1/devstoreaccount1',
};

describe('checkReadiness', () => {
  it('acquires every scope the service needs: OpenAI and, when configured, storage', async () => {
    const clients = createKeylessClients(
      loadConfig({ ...stack().envFor('id-worker'), ...storageEndpoints }),
    );
    const result = await clients.checkReadiness(5000);
    expect(result).toEqual({
      ok: true,
      checks: [
        { scope: 'https://ai.azure.com/.default', ok: true },
        { scope: 'https://storage.azure.com/.default', ok: true },
      ],
    });
  });

  it('names the scope and the reason when the identity is unknown to the endpoint', async () => {
    const config = loadConfig({ ...stack().envFor('id-api'), AZURE_CLIENT_ID: randomUUID() });
    const { credential } = createCredential(config.identity);
    const result = await checkReadiness(credential, [config.openai.scope], { timeoutMs: 5000 });
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.scope).toBe(config.openai.scope);
    expect(result.checks[0]?.reason).toContain('KEYLESS_ERR_NO_CREDENTIAL');
    expect(result.checks[0]?.reason).toContain(
      'No User Assigned or Delegated Managed Identity found',
    );
  });

  it('fails a scope that takes longer than the timeout, and says so', async () => {
    // A credential that never answers, like an identity endpoint that accepts and hangs.
    const hanging: TokenCredential = { getToken: () => new Promise(() => undefined) };
    const clients = createKeylessClients(loadConfig(stack().envFor('id-api')), {
      credential: hanging,
    });
    const result = await clients.checkReadiness(50);
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.reason).toMatch(/timed out after 50 ms.*IDENTITY_ENDPOINT/);
  });
});
