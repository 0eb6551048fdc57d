import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIdentities } from './identities.ts';
import { loadRoleAssignments } from './role-assignments.ts';
import { discoverServices } from './services.ts';
import { defaultAppsDir } from './workspace.ts';

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

describe('loadLocalIdentities', () => {
  it('loads the shipped identities: one per service and the developer', () => {
    // Services a user generated get their identities too, so the services in apps/ set the list.
    const expected = [...discoverServices(defaultAppsDir).map((s) => s.identityName), 'developer'];
    expect(expected).toEqual(expect.arrayContaining(['id-api', 'id-worker']));
    const { identities } = loadLocalIdentities();
    expect(identities.map((i) => i.name).sort()).toEqual(expected.sort());
  });

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
      /cannot be read.*git checkout/,
    );
  });
});

describe('loadRoleAssignments', () => {
  it('loads the shipped assignments against the shipped identities', () => {
    const assignments = loadRoleAssignments(undefined, loadLocalIdentities().identities);
    expect(
      assignments.some(
        (a) => a.principal === 'id-api' && a.role === 'Cognitive Services OpenAI User',
      ),
    ).toBe(true);
  });

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
      /"Owner" is not in the role catalogue[\s\S]*applies to scope "openai", not "storage-queue"[\s\S]*"id-ghost" is not in identities\.json/,
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
