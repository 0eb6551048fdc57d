import { DefaultAzureCredential } from '@azure/identity';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIdentities, startIdentityEndpoint } from '../src/index.ts';
import type { IdentityEndpoint } from '../src/index.ts';

// Exactly what the stack gives a service; MSAL reads it once per process, hence one file.
const { tenantId, identities } = loadLocalIdentities();
const api = identities.find((identity) => identity.name === 'id-api')!;
let endpoint: IdentityEndpoint;

beforeAll(async () => {
  endpoint = await startIdentityEndpoint({ tenantId, identities });
  process.env['IDENTITY_ENDPOINT'] = endpoint.url;
  process.env['IDENTITY_HEADER'] = endpoint.header;
  process.env['AZURE_CLIENT_ID'] = api.clientId;
  process.env['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
});
afterAll(async () => {
  await endpoint.close();
});

describe('DefaultAzureCredential with the environment the stack gives a service', () => {
  it('gets a token for the service identity from the local endpoint', async () => {
    const credential = new DefaultAzureCredential();
    const token = await credential.getToken('https://cognitiveservices.azure.com/.default');
    const { payload } = await jwtVerify(token.token, createLocalJWKSet(endpoint.jwks()), {
      audience: 'https://cognitiveservices.azure.com',
      issuer: endpoint.issuer,
    });
    expect(payload).toMatchObject({ oid: api.principalId, appid: api.clientId, tid: tenantId });
  });
});
