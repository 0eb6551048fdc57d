import { createRemoteJWKSet, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIdentities } from '../identities.ts';
import { startIdentityEndpoint } from './endpoint.ts';
import type { IdentityEndpoint } from './endpoint.ts';
import { identityNotFoundMessage } from './token-request.ts';

const { tenantId, identities } = loadLocalIdentities();
const api = identities.find((identity) => identity.name === 'id-api')!;
const developer = identities.find((identity) => identity.name === 'developer')!;
const cognitive = 'https://cognitiveservices.azure.com';

let endpoint: IdentityEndpoint;

beforeAll(async () => {
  endpoint = await startIdentityEndpoint({ tenantId, identities, tokenLifetimeSeconds: 600 });
});
afterAll(async () => {
  await endpoint.close();
});

function tokenUrl(params: Record<string, string>): string {
  const url = new URL(endpoint.url);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

async function requestToken(
  params: Record<string, string>,
  header: string | null = endpoint.header,
) {
  const response = await fetch(tokenUrl(params), {
    headers: header === null ? {} : { 'X-IDENTITY-HEADER': header },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the managed-identity endpoint', () => {
  it('listens on loopback at /msi/token with a random header secret', () => {
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
    expect(endpoint.header).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a valid request with the App Service token response', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      client_id: api.clientId,
    });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'client_id',
      'expires_on',
      'resource',
      'token_type',
    ]);
    expect(body).toMatchObject({
      resource: cognitive,
      token_type: 'Bearer',
      client_id: api.clientId,
    });
    expect(typeof body['expires_on']).toBe('string');
    expect(Number(body['expires_on'])).toBeGreaterThanOrEqual(before + 600);
  });

  it('issues an RS256 Entra v1 access token that verifies against the published JWKS', async () => {
    const { body } = await requestToken({
      'api-version': '2019-08-01',
      resource: `${cognitive}/.default`,
      client_id: api.clientId,
    });
    const token = body['access_token'] as string;
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(header.kid).toBe(endpoint.jwks().keys[0]!.kid);

    const remote = createRemoteJWKSet(new URL(endpoint.jwksUrl));
    const { payload } = await jwtVerify(token, remote, {
      issuer: `https://sts.windows.net/${tenantId}/`,
      audience: cognitive,
    });
    expect(payload).toMatchObject({
      aud: cognitive,
      oid: api.principalId,
      sub: api.principalId,
      tid: tenantId,
      appid: api.clientId,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('marks the local developer token as a user token', async () => {
    const { body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      client_id: developer.clientId,
    });
    const { payload } = await jwtVerify(
      body['access_token'] as string,
      createLocalJWKSet(endpoint.jwks()),
    );
    expect(payload).toMatchObject({ oid: developer.principalId, idtyp: 'user' });
  });

  it('finds an identity by its principal id or resource id too', async () => {
    const byObject = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      object_id: api.principalId,
    });
    const byResource = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      mi_res_id:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-local/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api',
    });
    expect(byObject.body['client_id']).toBe(api.clientId);
    expect(byResource.body['client_id']).toBe(api.clientId);
  });

  it('refuses a request without the X-IDENTITY-HEADER', async () => {
    const { status, body } = await requestToken(
      { 'api-version': '2019-08-01', resource: cognitive, client_id: api.clientId },
      null,
    );
    expect(status).toBe(401);
    expect(body['statusCode']).toBe(401);
    expect(body['message']).toMatch(/X-IDENTITY-HEADER header is missing.*IDENTITY_HEADER/);
  });

  it('refuses a request with the wrong X-IDENTITY-HEADER', async () => {
    const { status, body } = await requestToken(
      { 'api-version': '2019-08-01', resource: cognitive, client_id: api.clientId },
      'not-the-secret',
    );
    expect(status).toBe(401);
    expect(body['message']).toMatch(/header is wrong/);
  });

  it('refuses an unknown identity with Azure status and message', async () => {
    const { status, body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      client_id: '11111111-2222-3333-4444-555555555555',
    });
    expect(status).toBe(400);
    expect(body['statusCode']).toBe(400);
    expect(body['message']).toEqual(expect.stringContaining(identityNotFoundMessage));
    expect(body['message']).toContain('services.json');
    expect(typeof body['correlationId']).toBe('string');
  });

  it('refuses a request that names no identity, because the local stack has no system-assigned one', async () => {
    const { status, body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
    });
    expect(status).toBe(400);
    expect(body['message']).toEqual(expect.stringContaining(identityNotFoundMessage));
    expect(body['message']).toContain('AZURE_CLIENT_ID');
  });

  it('refuses a request that names two identities', async () => {
    const { status, body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      client_id: api.clientId,
      object_id: api.principalId,
    });
    expect(status).toBe(400);
    expect(body['message']).toMatch(/Only one of client_id/);
  });

  it('refuses a missing resource', async () => {
    const { status, body } = await requestToken({
      'api-version': '2019-08-01',
      client_id: api.clientId,
    });
    expect(status).toBe(400);
    expect(body['message']).toMatch(/resource query parameter is missing/);
  });

  it('refuses a missing or old api-version', async () => {
    const missing = await requestToken({ resource: cognitive, client_id: api.clientId });
    const old = await requestToken({
      'api-version': '2017-09-01',
      resource: cognitive,
      client_id: api.clientId,
    });
    expect(missing.status).toBe(400);
    expect(missing.body['message']).toMatch(/api-version query parameter is missing.*2019-08-01/);
    expect(old.status).toBe(400);
    expect(old.body['message']).toMatch(/'2017-09-01' is not supported/);
  });

  it('answers 500 while set unavailable, and recovers', async () => {
    const params = { 'api-version': '2019-08-01', resource: cognitive, client_id: api.clientId };
    endpoint.setAvailable(false);
    const down = await requestToken(params);
    endpoint.setAvailable(true);
    const up = await requestToken(params);
    expect(down.status).toBe(500);
    expect(down.body['statusCode']).toBe(500);
    expect(up.status).toBe(200);
  });

  it('applies a new token lifetime to the next token', async () => {
    endpoint.setTokenLifetime(5);
    const { body } = await requestToken({
      'api-version': '2019-08-01',
      resource: cognitive,
      client_id: api.clientId,
    });
    endpoint.setTokenLifetime(600);
    const { payload } = await jwtVerify(
      body['access_token'] as string,
      createLocalJWKSet(endpoint.jwks()),
    );
    expect(payload.exp! - payload.iat!).toBe(5);
    expect(() => endpoint.setTokenLifetime(0)).toThrow(/whole number of seconds/);
  });

  it('counts and logs token requests', async () => {
    const before = endpoint.tokenRequests;
    await requestToken({
      'api-version': '2019-08-01',
      resource: 'https://storage.azure.com',
      client_id: api.clientId,
    });
    expect(endpoint.tokenRequests).toBe(before + 1);
    expect(endpoint.requestLog.at(-1)).toEqual({
      resource: 'https://storage.azure.com',
      clientId: api.clientId,
      status: 200,
    });
  });

  it('uses a fresh signing key at every start', async () => {
    const other = await startIdentityEndpoint({ tenantId, identities });
    try {
      expect(other.jwks().keys[0]!.kid).not.toBe(endpoint.jwks().keys[0]!.kid);
      expect(other.header).not.toBe(endpoint.header);
    } finally {
      await other.close();
    }
  });

  it('explains a port that is already in use', async () => {
    await expect(
      startIdentityEndpoint({ port: endpoint.port, portEnvVar: 'LOCAL_AZURE_IDENTITY_PORT' }),
    ).rejects.toThrow(
      new RegExp(
        `Port ${endpoint.port} is already in use.*managed-identity endpoint.*LOCAL_AZURE_IDENTITY_PORT=<port>`,
      ),
    );
  });
});
