import { randomBytes } from 'node:crypto';
import type { LocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeylessError } from '../src/index.ts';
import {
  createCredential,
  createKeylessClients,
  createOpenAIClient,
  loadConfig,
  toKeylessError,
  type KeylessClients,
} from '../src/index.ts';
import { joinIdentityEndpoint, rolelessIdentity, startStack } from './local-stack.ts';

let stack: LocalAzure;
// Every message produced in this file, checked at the end for tokens and headers.
const messages: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  joinIdentityEndpoint(stack);
});
afterAll(async () => {
  await stack.stop();
});

function clientsFor(identityName: string, overrides: Record<string, string> = {}): KeylessClients {
  return createKeylessClients(loadConfig({ ...stack.envFor(identityName), ...overrides }));
}

async function chatFailure(clients: KeylessClients): Promise<unknown> {
  try {
    await clients.openai.chat.completions.create({
      model: clients.config.openai.chatDeployment,
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 1,
    });
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

function explained(
  clients: KeylessClients,
  error: unknown,
  operation?: 'chat' | 'embeddings',
): KeylessError {
  const keyless = clients.explainError(error, operation);
  if (!keyless) throw new Error(`not mapped: ${String(error)}`);
  messages.push(keyless.message, keyless.fix, String(keyless));
  return keyless;
}

describe('toKeylessError on real responses from the local Azure OpenAI emulator', () => {
  it('explains 401 PermissionDenied with the principal, the role and the exact az command', async () => {
    const clients = clientsFor('id-roleless');
    const error = explained(clients, await chatFailure(clients));

    expect(error.code).toBe('KEYLESS_ERR_PERMISSION_DENIED');
    expect(error.message).toContain(rolelessIdentity.principalId);
    expect(error.message).toContain(
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
    );
    expect(error.fix).toContain(
      `az role assignment create --role "Cognitive Services OpenAI User" --assignee-object-id ${rolelessIdentity.principalId} --assignee-principal-type ServicePrincipal --scope /subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.CognitiveServices/accounts/<account>`,
    );
    expect(error.fix).toMatch(/5-10 minutes to propagate/);
  });

  it('explains a wrong-audience 401 with the scope in use and the one expected', async () => {
    const clients = clientsFor('id-api', {
      AZURE_OPENAI_SCOPE: 'https://storage.azure.com/.default',
    });
    const error = explained(clients, await chatFailure(clients));

    expect(error.code).toBe('KEYLESS_ERR_TOKEN_REJECTED');
    expect(error.message).toContain('Scope in use: https://storage.azure.com/.default');
    expect(error.message).toContain('expects: https://ai.azure.com/.default');
    expect(error.fix).toContain('AZURE_OPENAI_SCOPE');
  });

  it('explains 403 AuthenticationTypeDisabled when a key is sent', async () => {
    const config = loadConfig(stack.envFor('id-api'));
    const { credential } = createCredential(config.identity);
    // A made-up key, sent on purpose to show the refusal.
    const openai = createOpenAIClient(config, credential, {
      defaultHeaders: { 'api-key': randomBytes(16).toString('hex') },
    });
    const failure = await openai.chat.completions
      .create({ model: config.openai.chatDeployment, messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    const error = toKeylessError(failure, { config });

    expect(error?.code).toBe('KEYLESS_ERR_KEY_AUTH_DISABLED');
    expect(error?.fix).toContain('Remove the api-key');
  });

  it('explains 404 DeploymentNotFound with the deployment and the variable it came from', async () => {
    const clients = clientsFor('id-api', { AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-nope' });
    const error = explained(clients, await chatFailure(clients), 'chat');

    expect(error.code).toBe('KEYLESS_ERR_DEPLOYMENT_NOT_FOUND');
    expect(error.message).toContain('"gpt-nope" (from AZURE_OPENAI_CHAT_DEPLOYMENT)');
    expect(error.fix).toContain('az cognitiveservices account deployment list');
  });

  it('names both deployments when it cannot tell which call failed', async () => {
    const clients = clientsFor('id-api', { AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-nope' });
    const error = explained(clients, await chatFailure(clients));

    expect(error.message).toContain('AZURE_OPENAI_CHAT_DEPLOYMENT');
    expect(error.message).toContain('AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
  });

  it('works the same through AzureOpenAI on the dated API', async () => {
    const clients = clientsFor('id-roleless', { AZURE_OPENAI_API_VERSION: '2024-10-21' });
    const error = explained(clients, await chatFailure(clients));
    expect(error.code).toBe('KEYLESS_ERR_PERMISSION_DENIED');
    expect(error.message).toContain('POST /openai/deployments/');
  });

  it.each([429, 500, 503] as const)('leaves a %i to the caller (undefined)', async (status) => {
    const clients = createKeylessClients(
      loadConfig({ ...stack.envFor('id-api'), AZURE_OPENAI_MAX_RETRIES: '0' }),
    );
    stack.openai.faults.inject({ kind: 'status', status, count: 1, retryAfterMs: 1 });
    const failure = await chatFailure(clients);
    expect((failure as { status?: number }).status).toBe(status);
    expect(clients.explainError(failure)).toBeUndefined();
  });

  it('never puts a token or an Authorization header in a message', async () => {
    const { credential } = createCredential({
      managedIdentityEnvironment: true,
      clientId: stack.envFor('id-api')['AZURE_CLIENT_ID']!,
    });
    const tokens = await Promise.all(
      ['https://cognitiveservices.azure.com/.default', 'https://storage.azure.com/.default'].map(
        async (scope) => (await credential.getToken(scope))!.token,
      ),
    );
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) {
      for (const token of tokens) expect(message).not.toContain(token);
      expect(message).not.toMatch(/Bearer\s+ey|authorization:/i);
    }
  });
});
