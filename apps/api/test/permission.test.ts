import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoleAssignments } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, postJson, startApi, startStack } from './harness.ts';
import type { ApiUnderTest } from './harness.ts';

// A tenant where id-api was never granted "Cognitive Services OpenAI User": what a fresh
// deployment looks like before the role assignment exists (or has propagated).
let stack: LocalAzure;
let api: ApiUnderTest;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-permission-'));
  const roleAssignmentsPath = join(dir, 'role-assignments.json');
  const withoutApi = loadRoleAssignments().filter(
    (assignment) => assignment.principal !== 'id-api',
  );
  await writeFile(roleAssignmentsPath, JSON.stringify({ roleAssignments: withoutApi }));
  stack = await startStack({ roleAssignmentsPath });
  api = await startApi(stack);
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('when the identity lacks the data role', () => {
  it('answers a safe 502 and logs KEYLESS_ERR_PERMISSION_DENIED naming the role to assign', async () => {
    const response = await postJson(`${api.url}/api/chat`, hello);
    expect(response.status).toBe(502);
    const problem = (await response.json()) as { detail: string };
    expect(problem.detail).toBe('The service could not authenticate to the model endpoint.');
    const requestId = response.headers.get('x-request-id');
    const line = api.logs.find((entry) => entry.reqId === requestId && entry.code);
    expect(line).toMatchObject({
      code: 'KEYLESS_ERR_PERMISSION_DENIED',
      fix: expect.stringContaining('Cognitive Services OpenAI User'),
    });
  });

  it('still reports ready: a token is acquirable, and the role is a grant, not a liveness problem', async () => {
    const response = await fetch(`${api.url}/readyz`);
    expect(response.status).toBe(200);
  });
});
