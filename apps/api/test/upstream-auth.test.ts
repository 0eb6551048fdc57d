import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

let stack: LocalAzure;
let wrongDeployment: ApiUnderTest;
let wrongAudience: ApiUnderTest;

beforeAll(async () => {
  stack = await startStack();
  wrongDeployment = await startApi(stack, {
    env: { AZURE_OPENAI_CHAT_DEPLOYMENT: 'no-such-deployment' },
  });
  wrongAudience = await startApi(stack, {
    env: { AZURE_OPENAI_SCOPE: 'https://storage.azure.com/.default' },
  });
});

afterAll(async () => {
  await wrongDeployment?.close();
  await wrongAudience?.close();
  await stack?.stop();
});

const safeDetail = 'The service could not authenticate to the model endpoint.';

async function expectSafe502(response: Response): Promise<void> {
  expect(response.status).toBe(502);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ type: 'urn:keyless:problem:upstream-auth', detail: safeDetail });
  // Nothing about our identity, deployment or the fix reaches the caller.
  expect(JSON.stringify(problem)).not.toMatch(/KEYLESS_ERR|deployment|principal|role|Fix/i);
}

function logLineFor(api: ApiUnderTest, requestId: string | null): Record<string, unknown> {
  const line = api.logs.find(
    (entry) => entry.reqId === requestId && typeof entry.code === 'string',
  );
  expect(line, 'a log line with the KeylessError code').toBeDefined();
  return line!;
}

describe('when the model endpoint refuses our identity', () => {
  it('answers a safe 502 and logs KEYLESS_ERR_DEPLOYMENT_NOT_FOUND with its fix', async () => {
    const response = await postJson(`${wrongDeployment.url}/api/chat`, hello);
    await expectSafe502(response);
    const line = logLineFor(wrongDeployment, response.headers.get('x-request-id'));
    expect(line.code).toBe('KEYLESS_ERR_DEPLOYMENT_NOT_FOUND');
    expect(line.fix).toContain('AZURE_OPENAI_CHAT_DEPLOYMENT');
  });

  it('answers a safe 502 and logs KEYLESS_ERR_TOKEN_REJECTED for a wrong-audience token', async () => {
    const response = await postJson(`${wrongAudience.url}/api/chat`, hello);
    await expectSafe502(response);
    const line = logLineFor(wrongAudience, response.headers.get('x-request-id'));
    expect(line.code).toBe('KEYLESS_ERR_TOKEN_REJECTED');
    expect(line.fix).toContain('AZURE_OPENAI_SCOPE');
  });

  it('answers a safe 502 on a stream too, before any event is sent', async () => {
    const response = await postJson(`${wrongDeployment.url}/api/chat`, { ...hello, stream: true });
    await expectSafe502(response);
  });
});
