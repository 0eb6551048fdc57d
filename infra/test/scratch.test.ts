import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storageNamesFor } from '@keyless/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFindings } from '../src/policy/index.ts';
import { verifyInfra, type Verification } from '../src/verify.ts';
import { bicepPath, scratchCopy } from './fixture.ts';

describe.runIf(bicepPath)('a scratch copy of infra/ and services.json', () => {
  const grown = scratchCopy();
  const broken = scratchCopy();
  let afterAdding: Verification;
  let afterBreaking: Verification;

  beforeAll(async () => {
    // What `npm run gen` adds: one more api and one more worker with its own storage names.
    const registryFile = join(grown.root, 'services.json');
    const registry = JSON.parse(readFileSync(registryFile, 'utf8')) as { services: unknown[] };
    registry.services.push(
      { name: 'summarize', kind: 'api', port: 3100, description: 'a second api' },
      {
        name: 'indexer',
        kind: 'worker',
        port: 3101,
        description: 'a second worker',
        ...storageNamesFor('indexer'),
      },
    );
    writeFileSync(registryFile, JSON.stringify(registry, null, 2));
    // Two keyless rules broken by hand: shared keys back on, an api opened without Entra.
    broken.edit(
      'infra/core/storage/storage.bicep',
      'allowSharedKeyAccess: false',
      'allowSharedKeyAccess: true',
    );
    broken.edit('infra/core/host/container-app.bicep', 'external: external', 'external: true');
    [afterAdding, afterBreaking] = await Promise.all([
      verifyInfra(bicepPath, { infraDir: grown.infraDir }),
      verifyInfra(bicepPath, { infraDir: broken.infraDir, apiAppIds: '', lint: false }),
    ]);
  });
  afterAll(() => {
    grown.remove();
    broken.remove();
  });

  it('still compiles, lints and passes the policy after an api and a worker are added', () => {
    expect([...afterAdding.buildDiagnostics, ...afterAdding.lintDiagnostics]).toEqual([]);
    expect(formatFindings(afterAdding.findings)).toBe('');
  });

  it('gives the added worker its own queues, container, KEDA rule and grants', () => {
    const resources = afterAdding.snapshot.predictedResources;
    const names = resources.map((resource) => resource.name);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/default\/indexer-jobs$/),
        expect.stringMatching(/\/default\/indexer-poison$/),
        expect.stringMatching(/\/default\/indexer-results$/),
        expect.stringMatching(/^ca-summarize-/),
        expect.stringMatching(/^ca-indexer-/),
      ]),
    );
    const queueGrants = resources.filter(
      (resource) =>
        resource.type === 'Microsoft.Authorization/roleAssignments' &&
        resource.id.includes('/queues/indexer-jobs/'),
    );
    // The indexer's own identity and the deployer; nobody else.
    expect(queueGrants.map((grant) => grant.properties?.['principalType']).sort()).toEqual([
      'ServicePrincipal',
      'User',
    ]);
  });

  it('names the storage account and the fix when shared keys are turned back on', () => {
    expect(afterBreaking.findings).toContainEqual(
      expect.objectContaining({
        check: 'key-auth',
        resource: expect.stringMatching(/^Microsoft\.Storage\/storageAccounts st/),
        fix: 'set allowSharedKeyAccess: false in infra/core/storage/storage.bicep',
      }),
    );
  });

  it('names the Container App and the fix when an api gets external ingress without Entra ID', () => {
    expect(afterBreaking.findings).toContainEqual(
      expect.objectContaining({
        check: 'ingress',
        resource: expect.stringMatching(/^Microsoft\.App\/containerApps ca-api-/),
        fix: expect.stringContaining('Entra ID authentication'),
      }),
    );
    expect(afterBreaking.findings).toHaveLength(2);
  });
});
