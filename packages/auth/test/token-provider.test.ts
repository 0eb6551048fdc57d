import { describe, expect, it } from 'vitest';
import { createKeylessClients, KeylessError, loadConfig } from '../src/index.ts';
import { useStack } from './local-stack.ts';

// One stack per file: MSAL fixes its managed-identity source (and caches tokens) per process,
// so each test uses an identity that has not fetched a token for its scope yet.
const stack = useStack();

function clientsFor(identityName: string) {
  return createKeylessClients(loadConfig(stack().envFor(identityName)));
}

function chat(clients: ReturnType<typeof clientsFor>) {
  return clients.openai.chat.completions.create({
    model: clients.config.openai.chatDeployment,
    messages: [{ role: 'user', content: 'hi' }],
    max_completion_tokens: 1,
  });
}

describe('the token provider behind the OpenAI client', () => {
  it('makes exactly one token request for 200 concurrent first calls', async () => {
    const clients = clientsFor('id-api');
    expect(clients.credentialSource).toBe('managed-identity');
    const before = stack().identity.tokenRequests;

    const responses = await Promise.all(Array.from({ length: 200 }, () => chat(clients)));

    expect(responses).toHaveLength(200);
    expect(responses.every((response) => response.choices.length === 1)).toBe(true);
    expect(stack().identity.tokenRequests - before).toBe(1);
  });

  it("sends the user-assigned identity's client id to the identity endpoint", async () => {
    const clients = clientsFor('id-worker');
    const clientId = stack().identities.find((identity) => identity.name === 'id-worker')?.clientId;

    await chat(clients);

    expect(stack().identity.requestLog.at(-1)).toMatchObject({
      clientId,
      resource: 'https://ai.azure.com',
    });
  });

  // MSAL retries a failing managed-identity endpoint a few times (about 6 s) before giving up.
  it(
    'fails one call with a KeylessError while the identity endpoint is down, and recovers after',
    { timeout: 30_000 },
    async () => {
      const clients = clientsFor('developer');
      stack().identity.setAvailable(false);
      let failure: unknown;
      try {
        await chat(clients);
      } catch (error) {
        failure = error;
      } finally {
        stack().identity.setAvailable(true);
      }

      const explained = clients.explainError(failure);
      expect(explained).toBeInstanceOf(KeylessError);
      expect(explained?.code).toBe('KEYLESS_ERR_NO_CREDENTIAL');
      expect(explained?.message).toContain('https://ai.azure.com/.default');
      expect(explained?.message).toContain('ManagedIdentityCredential');
      expect(explained?.fix).toContain('IDENTITY_ENDPOINT');

      const response = await chat(clients);
      expect(response.choices).toHaveLength(1);
    },
  );
});
