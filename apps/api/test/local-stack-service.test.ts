import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAzure } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson } from './harness.ts';

// What `npm start` does: the stack discovers apps/api by its package.json `keyless` field and
// runs src/main.ts as id-api, with the environment Container Apps would give it.
let stack: LocalAzure;

beforeAll(async () => {
  stack = await startLocalAzure({ ports: 'free', storage: false, services: ['api'] });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the api under the local stack', () => {
  it('becomes ready and answers a chat as id-api', { timeout: 60_000 }, async () => {
    const service = stack.services.find((running) => running.definition.name === 'api');
    expect(await service?.ready).toBe(true);
    const url = `http://127.0.0.1:${service!.port}`;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const response = await postJson(`${url}/api/chat`, hello);
    expect(response.status).toBe(200);
    const apiIdentity = stack.identities.find((identity) => identity.name === 'id-api');
    expect(stack.identity.requestLog.map((entry) => entry.clientId)).toContain(
      apiIdentity?.clientId,
    );
  });
});
