import { randomUUID } from 'node:crypto';
import { getBearerTokenProvider, ManagedIdentityCredential } from '@azure/identity';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../src/openai/emulator.ts';
import {
  loadLocalIdentities,
  loadRoleAssignments,
  startIdentityEndpoint,
} from '../../src/index.ts';
import type { IdentityEndpoint, LocalIdentity } from '../../src/index.ts';

// MSAL picks its managed-identity source once per process, so this file owns these variables.
const { tenantId, identities } = loadLocalIdentities();
const api = identities.find((identity) => identity.name === 'id-api')!;
const roleless: LocalIdentity = {
  name: 'id-roleless',
  clientId: randomUUID(),
  principalId: randomUUID(),
  principalType: 'ServicePrincipal',
};
const openAiScope = 'https://cognitiveservices.azure.com/.default';

let endpoint: IdentityEndpoint;
let emulator: OpenAIEmulator;

beforeAll(async () => {
  endpoint = await startIdentityEndpoint({ tenantId, identities: [...identities, roleless] });
  emulator = await startOpenAIEmulator({
    tenantId,
    jwks: () => endpoint.jwks(),
    identities: [...identities, roleless],
    roleAssignments: loadRoleAssignments(),
  });
  process.env['IDENTITY_ENDPOINT'] = endpoint.url;
  process.env['IDENTITY_HEADER'] = endpoint.header;
});
afterAll(async () => {
  await emulator.close();
  await endpoint.close();
});

function v1Client(clientId: string, scope = openAiScope): OpenAI {
  const credential = new ManagedIdentityCredential({ clientId });
  return new OpenAI({
    baseURL: `${emulator.url}/openai/v1/`,
    apiKey: getBearerTokenProvider(credential, scope),
    maxRetries: 0,
  });
}

describe('the emulator with tokens from the local managed-identity endpoint', () => {
  it('answers a service identity that holds Cognitive Services OpenAI User on the v1 API', async () => {
    const completion = await v1Client(api.clientId).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'keyless' }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: keyless');
  });

  it('answers the same identity on the dated API through AzureOpenAI', async () => {
    const credential = new ManagedIdentityCredential({ clientId: api.clientId });
    const client = new AzureOpenAI({
      endpoint: emulator.url,
      apiVersion: '2024-10-21',
      deployment: 'text-embedding-3-small',
      azureADTokenProvider: getBearerTokenProvider(credential, openAiScope),
    });
    const result = await client.embeddings.create({ model: '', input: 'keyless' });
    expect(result.data[0]!.embedding).toHaveLength(1536);
  });

  it('refuses an identity without an OpenAI role with PermissionDenied naming its principal id', async () => {
    const denied = v1Client(roleless.clientId).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'let me in' }],
    });
    await expect(denied).rejects.toMatchObject({
      status: 401,
      code: 'PermissionDenied',
      message: expect.stringContaining(
        `The principal \`${roleless.principalId}\` lacks the required data action`,
      ),
    });
  });

  it('refuses a storage token, whose audience is wrong for Azure OpenAI', async () => {
    const wrongAudience = v1Client(api.clientId, 'https://storage.azure.com/.default');
    await expect(
      wrongAudience.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
