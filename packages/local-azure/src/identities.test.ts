import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry, readRegistry, storageNamesFor } from '@keyless/registry';
import { loadLocalIdentities, localIdentitiesFor } from './identities.ts';
import { loadRoleAssignments, localRoleAssignmentsFor } from './role-assignments.ts';
import { workspaceRoot } from './workspace.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'identities-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const identity = {
  name: 'id-api',
  clientId: 'b4a4294f-b966-5176-a3ea-ef54fda15e84',
  principalId: 'b211031f-89e8-523b-909e-8ac6157a24fd',
  principalType: 'ServicePrincipal',
};

const registry = parseRegistry({
  services: [
    { name: 'api', kind: 'api', port: 3000, description: 'a' },
    { name: 'worker', kind: 'worker', port: 3001, description: 'w', ...storageNamesFor('worker') },
    { name: 'digest', kind: 'worker', port: 3002, description: 'd', ...storageNamesFor('digest') },
  ],
});

describe('the local identities derived from services.json', () => {
  it('holds one identity per service in services.json and the developer', () => {
    // Services a user generated get their identities too, so services.json sets the list.
    const expected = [
      ...readRegistry(workspaceRoot).services.map((s) => `id-${s.name}`),
      'developer',
    ];
    expect(expected).toEqual(expect.arrayContaining(['id-api', 'id-worker']));
    const { identities } = loadLocalIdentities();
    expect(identities.map((i) => i.name).sort()).toEqual(expected.sort());
  });

  it('keeps the ids the samples have always had, derived from the name alone', () => {
    const { tenantId, identities } = localIdentitiesFor(registry);
    expect(tenantId).toBe('9bfd9174-48aa-529b-967c-de35e8916ecc');
    expect(identities.find((i) => i.name === 'id-api')).toEqual(identity);
    expect(identities.find((i) => i.name === 'id-worker')).toMatchObject({
      clientId: '63c3167b-9661-5860-9d20-49a14d184361',
      principalId: '6bbe28ba-9758-5811-a683-21c5f1b2bc1c',
    });
    expect(identities.find((i) => i.name === 'developer')).toEqual({
      name: 'developer',
      clientId: '237d9c65-bf64-547c-9980-f8a61dc9f3df',
      principalId: 'bc7f046c-9a28-5a56-a8f9-2476f669d4f0',
      principalType: 'User',
    });
  });

  it('gives a new service its own ids, the same on every start', () => {
    const digest = localIdentitiesFor(registry).identities.find((i) => i.name === 'id-digest')!;
    const again = localIdentitiesFor(registry).identities.find((i) => i.name === 'id-digest')!;
    expect(digest).toEqual(again);
    const all = localIdentitiesFor(registry).identities.flatMap((i) => [i.clientId, i.principalId]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('loadLocalIdentities from a file (a test’s override)', () => {
  it('names every bad field and where the format is described', async () => {
    const path = await file('bad.json', {
      tenantId: 'nope',
      identities: [{ ...identity, clientId: 'x', principalType: 'Robot' }],
    });
    expect(() => loadLocalIdentities(path)).toThrow(
      /tenantId: must be a GUID[\s\S]*identities\.0\.clientId[\s\S]*identities\.0\.principalType[\s\S]*ARCHITECTURE\.md/,
    );
  });

  it('refuses two identities with the same client id', async () => {
    const path = await file('dupe.json', {
      tenantId: '9bfd9174-48aa-529b-967c-de35e8916ecc',
      identities: [
        identity,
        { ...identity, name: 'id-other', principalId: '6bbe28ba-9758-5811-a683-21c5f1b2bc1c' },
      ],
    });
    expect(() => loadLocalIdentities(path)).toThrow(/share the clientId/);
  });

  it('explains a file that is not JSON', async () => {
    const path = await file('broken.json', '{ "tenantId": ');
    expect(() => loadLocalIdentities(path)).toThrow(/is not valid JSON/);
  });

  it('explains a missing file', () => {
    expect(() => loadLocalIdentities(join(directory, 'missing.json'))).toThrow(
      /cannot be read.*existing file/,
    );
  });
});

describe('the local grants derived from services.json and @keyless/roles', () => {
  const assignments = localRoleAssignmentsFor(registry);
  const of = (principal: string) =>
    assignments
      .filter((a) => a.principal === principal)
      .map((a) => [a.role, a.target ?? a.scope].join(' on '));

  it('gives an api the OpenAI data role and nothing on storage', () => {
    expect(of('id-api')).toEqual(['Cognitive Services OpenAI User on openai']);
  });

  it('gives each worker its kind’s grants on its own queues and container only', () => {
    expect(of('id-digest')).toEqual([
      'Cognitive Services OpenAI User on openai',
      'Storage Queue Data Contributor on digest-jobs',
      'Storage Queue Data Message Sender on digest-poison',
      'Storage Blob Data Contributor on digest-results',
    ]);
    expect(of('id-worker')).toContain('Storage Queue Data Contributor on worker-jobs');
    expect(of('id-worker').join()).not.toContain('digest');
  });

  it('gives the developer the data roles on every worker’s queues and container', () => {
    expect(of('developer')).toEqual([
      'Cognitive Services OpenAI User on openai',
      'Storage Queue Data Contributor on worker-jobs',
      'Storage Queue Data Contributor on digest-jobs',
      'Storage Queue Data Contributor on worker-poison',
      'Storage Queue Data Contributor on digest-poison',
      'Storage Blob Data Contributor on worker-results',
      'Storage Blob Data Contributor on digest-results',
    ]);
  });

  it('names only principals that are local identities', () => {
    const names = new Set(localIdentitiesFor(registry).identities.map((i) => i.name));
    for (const assignment of assignments) expect(names).toContain(assignment.principal);
  });

  it('derives the repository’s own grants by default', () => {
    expect(loadRoleAssignments()).toEqual(localRoleAssignmentsFor(readRegistry(workspaceRoot)));
  });
});

describe('loadRoleAssignments from a file (a test’s override)', () => {
  it('refuses a role outside the catalogue, a wrong scope and an unknown principal', async () => {
    const path = await file('roles.json', {
      roleAssignments: [
        { principal: 'id-api', role: 'Owner', scope: 'openai' },
        {
          principal: 'id-api',
          role: 'Cognitive Services OpenAI User',
          scope: 'storage-queue',
          target: 'jobs',
        },
        { principal: 'id-ghost', role: 'Cognitive Services OpenAI User', scope: 'openai' },
      ],
    });
    expect(() => loadRoleAssignments(path, loadLocalIdentities().identities)).toThrow(
      /"Owner" is not in the role catalogue[\s\S]*applies to scope "openai", not "storage-queue"[\s\S]*"id-ghost" is not a local identity/,
    );
  });

  it('asks for the target of a storage assignment', async () => {
    const path = await file('target.json', {
      roleAssignments: [
        { principal: 'id-api', role: 'Storage Queue Data Contributor', scope: 'storage-queue' },
      ],
    });
    expect(() => loadRoleAssignments(path)).toThrow(
      /target: storage-queue and storage-container assignments need a target/,
    );
  });
});
