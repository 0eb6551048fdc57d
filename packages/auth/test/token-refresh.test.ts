import type { LocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeylessClients, loadConfig } from '../src/index.ts';
import { joinIdentityEndpoint, startStack } from './local-stack.ts';

// Tokens that live 90 s fall inside the token cycler's 2-minute refresh window at once, so every
// call after the first starts a background refresh while still using the valid token it holds.
let stack: LocalAzure;

beforeAll(async () => {
  stack = await startStack({ tokenLifetimeSeconds: 90 });
  joinIdentityEndpoint(stack);
});
afterAll(async () => {
  await stack.stop();
});

describe('token refresh near expiry', () => {
  it('refreshes in the background without stalling callers, even when a refresh fails', async () => {
    const clients = createKeylessClients(loadConfig(stack.envFor('id-api')));
    const chat = () =>
      clients.openai.chat.completions.create({
        model: clients.config.openai.chatDeployment,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 1,
      });

    await chat();
    const afterFirst = stack.identity.tokenRequests;
    expect(afterFirst).toBe(1);

    // The endpoint is down while the refresh runs: callers still get answers with the old token.
    stack.identity.setAvailable(false);
    const whileDown = await Promise.all([chat(), chat(), chat()]);
    expect(whileDown.every((response) => response.choices.length === 1)).toBe(true);
    await vi.waitFor(() => expect(stack.identity.tokenRequests).toBeGreaterThan(afterFirst));

    // Back up: a later call starts a refresh that succeeds, and a new token is fetched.
    stack.identity.setAvailable(true);
    const before = stack.identity.requestLog.filter((entry) => entry.status === 200).length;
    await vi.waitFor(
      async () => {
        await chat();
        const succeeded = stack.identity.requestLog.filter((entry) => entry.status === 200).length;
        expect(succeeded).toBeGreaterThan(before);
      },
      { timeout: 15_000, interval: 200 },
    );
  });
});
