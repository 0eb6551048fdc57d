import { ManagedIdentityCredential } from '@azure/identity';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIdentities, startIdentityEndpoint } from '../src/index.ts';
import type { IdentityEndpoint } from '../src/index.ts';

// MSAL picks its managed-identity source once per process, so this file owns these variables.
const { tenantId, identities } = loadLocalIdentities();
const worker = identities.find((identity) => identity.name === 'id-worker')!;
let endpoint: IdentityEndpoint;

beforeAll(async () => {
  endpoint = await startIdentityEndpoint({ tenantId, identities });
  process.env['IDENTITY_ENDPOINT'] = endpoint.url;
  process.env['IDENTITY_HEADER'] = endpoint.header;
});
afterAll(async () => {
  await endpoint.close();
});

describe('ManagedIdentityCredential against the local endpoint', () => {
  it('gets a token for a user-assigned identity by client id', async () => {
    const credential = new ManagedIdentityCredential({ clientId: worker.clientId });
    const token = await credential.getToken('https://storage.azure.com/.default');
    const { payload } = await jwtVerify(token.token, createLocalJWKSet(endpoint.jwks()), {
      audience: 'https://storage.azure.com',
      issuer: endpoint.issuer,
    });
    expect(payload['oid']).toBe(worker.principalId);
    // MSAL turns expires_on into expires_in against its clock and back again, so the second can tick over in between.
    expect(Math.abs(token.expiresOnTimestamp - payload.exp! * 1000)).toBeLessThanOrEqual(1000);
    expect(endpoint.requestLog.at(-1)).toMatchObject({
      clientId: worker.clientId,
      resource: 'https://storage.azure.com',
    });
  });

  it('serves a second call from its cache', async () => {
    const credential = new ManagedIdentityCredential({ clientId: worker.clientId });
    await credential.getToken('https://cognitiveservices.azure.com/.default');
    const before = endpoint.tokenRequests;
    await credential.getToken('https://cognitiveservices.azure.com/.default');
    expect(endpoint.tokenRequests).toBe(before);
  });

  it("asks again on every call while tokens live shorter than MSAL's five-minute renewal margin", async () => {
    const developer = identities.find((identity) => identity.name === 'developer')!;
    const credential = new ManagedIdentityCredential({ clientId: developer.clientId });
    endpoint.setTokenLifetime(120);
    try {
      const before = endpoint.tokenRequests;
      const first = await credential.getToken('https://ai.azure.com/.default');
      const second = await credential.getToken('https://ai.azure.com/.default');
      expect(endpoint.tokenRequests).toBe(before + 2);
      expect(second.token).not.toBe(first.token);
    } finally {
      endpoint.setTokenLifetime(3600);
    }
  });

  it('fails with the endpoint message for an identity the stack does not know', async () => {
    const credential = new ManagedIdentityCredential({
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    await expect(
      credential.getToken('https://cognitiveservices.azure.com/.default'),
    ).rejects.toThrow(/No User Assigned or Delegated Managed Identity found/);
  });
});
