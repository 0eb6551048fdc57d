import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer } from './issuer.ts';
import {
  chatUrl,
  hello,
  jsonRequest,
  principalOf,
  roleless,
  startHarness,
  tenantId,
  type Harness,
} from './fixture.ts';

const tokenRejected = {
  statusCode: 401,
  message:
    'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
};

describe('authentication of the Azure OpenAI emulator', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  async function chatWith(token: string | undefined, headers: Record<string, string> = {}) {
    const response = await fetch(chatUrl(harness.emulator), jsonRequest(token, hello, headers));
    return { status: response.status, body: await response.json() };
  }

  it('refuses an api-key header with 403 AuthenticationTypeDisabled, as a resource with key auth disabled does', async () => {
    const fakeKey = randomBytes(16).toString('hex');
    const result = await chatWith(undefined, { 'api-key': fakeKey });
    expect(result).toEqual({
      status: 403,
      body: {
        error: {
          code: 'AuthenticationTypeDisabled',
          message: 'Key based authentication is disabled for this resource.',
        },
      },
    });
  });

  it('refuses an api-key header even when a valid bearer token comes with it', async () => {
    const result = await chatWith(harness.token, { 'api-key': randomBytes(16).toString('hex') });
    expect(result.status).toBe(403);
  });

  it("answers a request without a token with 401 and Azure's gateway message", async () => {
    expect(await chatWith(undefined)).toEqual({ status: 401, body: tokenRejected });
  });

  it('answers a malformed bearer token with 401', async () => {
    expect(await chatWith('not-a-jwt')).toEqual({ status: 401, body: tokenRejected });
  });

  it("answers a token signed by a key outside the tenant's JWKS with 401", async () => {
    const stranger = await createTestIssuer(tenantId, 'test-key');
    const token = await stranger.mint({ oid: principalOf('id-api') });
    expect(await chatWith(token)).toEqual({ status: 401, body: tokenRejected });
  });

  it('answers an expired token with 401', async () => {
    const token = await harness.issuer.mint({ oid: principalOf('id-api'), expiresInSeconds: -30 });
    expect(await chatWith(token)).toEqual({ status: 401, body: tokenRejected });
  });

  it('answers a token for another audience (storage) with 401', async () => {
    const token = await harness.issuer.mint({
      oid: principalOf('id-api'),
      aud: 'https://storage.azure.com',
    });
    expect(await chatWith(token)).toEqual({ status: 401, body: tokenRejected });
  });

  it('answers a token issued by another tenant with 401', async () => {
    const token = await harness.issuer.mint({
      oid: principalOf('id-api'),
      iss: `https://sts.windows.net/${randomUUID()}/`,
    });
    expect(await chatWith(token)).toEqual({ status: 401, body: tokenRejected });
  });

  it('accepts a token for the https://ai.azure.com audience', async () => {
    const token = await harness.issuer.mint({
      oid: principalOf('id-api'),
      aud: 'https://ai.azure.com',
    });
    expect((await chatWith(token)).status).toBe(200);
  });

  it('answers a valid token whose principal holds no role with 401 PermissionDenied naming the principal and data action', async () => {
    const token = await harness.issuer.mint({ oid: roleless.principalId });
    expect(await chatWith(token)).toEqual({
      status: 401,
      body: {
        error: {
          code: 'PermissionDenied',
          message: `The principal \`${roleless.principalId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action\` to perform \`POST /openai/deployments/{deployment-id}/chat/completions\` operation.`,
        },
      },
    });
  });

  it('names the embeddings data action when a roleless principal asks for embeddings', async () => {
    const token = await harness.issuer.mint({ oid: roleless.principalId });
    const response = await fetch(
      `${harness.emulator.url}/openai/v1/embeddings`,
      jsonRequest(token, { model: 'text-embedding-3-small', input: 'hi' }),
    );
    const body = (await response.json()) as { error: { message: string } };
    expect(response.status).toBe(401);
    expect(body.error.message).toContain(
      '`Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action` to perform `POST /openai/v1/embeddings`',
    );
  });

  it('grants every identity the role-assignment file gives Cognitive Services OpenAI User', async () => {
    for (const name of ['id-api', 'id-worker', 'developer']) {
      const token = await harness.issuer.mint({ oid: principalOf(name) });
      expect((await chatWith(token)).status, name).toBe(200);
    }
  });

  it('checks the token before the deployment, as Azure does', async () => {
    const response = await fetch(
      chatUrl(harness.emulator, 'no-such-deployment'),
      jsonRequest(undefined, hello),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a role assignment naming a role outside the catalogue, naming the fix', async () => {
    await expect(
      startHarness({ roleAssignments: [{ principal: 'id-api', role: 'Owner', scope: 'openai' }] }),
    ).rejects.toThrow(
      /"Owner" to "id-api" names a role the catalogue in @keyless\/roles does not hold/,
    );
  });
});
