import { beforeAll, describe, expect, it } from 'vitest';
import type { PredictedResource, Snapshot } from '../src/cli/run.ts';
import { checkPolicy, type Finding } from '../src/policy/index.ts';
import { placeholderDeployer, type Verification } from '../src/verify.ts';
import { bicepPath, verified } from './fixture.ts';

// Each test breaks one rule in a copy of the real compiled template and its evaluation, then
// expects a finding that names the resource and the fix. Compiled once per run (global setup).
describe.runIf(bicepPath)('the keyless policy over the compiled template', () => {
  let base: Verification;
  beforeAll(() => {
    base = verified().verification;
  });

  interface Copy {
    template: Record<string, unknown>;
    snapshot: Snapshot & { predictedResources: PredictedResource[] };
  }
  const copy = (): Copy =>
    structuredClone({ template: base.template, snapshot: base.snapshot }) as Copy;
  const run = (broken: Copy): Finding[] =>
    checkPolicy({ ...broken, services: base.services, deployer: placeholderDeployer });
  const find = (broken: Copy, type: string, service?: string): PredictedResource => {
    const found = broken.snapshot.predictedResources.find(
      (resource) =>
        resource.type === type &&
        (service === undefined || resource.tags?.['azd-service-name'] === service),
    );
    if (found === undefined) throw new Error(`no ${type} in the snapshot`);
    return found;
  };
  // Loose on purpose: each test reaches into the evaluated JSON to break one setting.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const props = (resource: PredictedResource) => resource.properties as Record<string, any>;

  it('finds nothing in the template as committed', () => {
    expect(run(copy())).toEqual([]);
  });

  it.each([
    ['Microsoft.Storage/storageAccounts', 'allowSharedKeyAccess', true],
    ['Microsoft.Storage/storageAccounts', 'allowBlobPublicAccess', true],
    ['Microsoft.CognitiveServices/accounts', 'disableLocalAuth', false],
    ['Microsoft.ContainerRegistry/registries', 'adminUserEnabled', true],
    ['Microsoft.Insights/components', 'DisableLocalAuth', false],
  ])('names %s and the fix when %s is %s', (type, setting, value) => {
    const broken = copy();
    const resource = find(broken, type);
    props(resource)[setting] = value;
    expect(run(broken)).toEqual([
      expect.objectContaining({
        check: 'key-auth',
        resource: `${type} ${resource.name}`,
        fix: expect.stringContaining(`set ${setting}: ${JSON.stringify(!value)}`),
      }),
    ]);
  });

  it('refuses a Log Analytics workspace that accepts its shared key', () => {
    const broken = copy();
    props(find(broken, 'Microsoft.OperationalInsights/workspaces'))['features'] = {};
    expect(run(broken).map((f) => f.problem)).toEqual([
      expect.stringContaining('features.disableLocalAuth is undefined'),
    ]);
  });

  it('refuses a resource type nobody has classified', () => {
    const broken = copy();
    broken.snapshot.predictedResources.push({
      id: '/x',
      type: 'Microsoft.KeyVault/vaults',
      name: 'kv',
    });
    expect(run(broken)).toEqual([
      expect.objectContaining({ check: 'key-auth', resource: 'Microsoft.KeyVault/vaults kv' }),
    ]);
  });

  it('refuses a listKeys() call anywhere in the compiled template', () => {
    const broken = copy();
    (broken.template['resources'] as Record<string, unknown>)['leak'] = {
      type: 'Microsoft.Resources/deployments',
      properties: {
        template: {
          resources: [{ properties: { key: "[listKeys('st', '2025-06-01').keys[0].value]" } }],
        },
      },
    };
    expect(run(broken).map((f) => f.check)).toEqual(['no-secrets']);
  });

  it('refuses a secure parameter and a key-named output', () => {
    const broken = copy();
    (broken.template['parameters'] as Record<string, unknown>)['adminPassword'] = {
      type: 'securestring',
    };
    (broken.template['outputs'] as Record<string, unknown>)['STORAGE_KEY'] = {
      type: 'string',
      value: 'x',
    };
    expect(run(broken).map((f) => f.resource)).toEqual([
      'main.bicep parameter adminPassword',
      'main.bicep output STORAGE_KEY',
    ]);
  });

  it('refuses a container setting that looks like a secret', () => {
    const broken = copy();
    const env = props(find(broken, 'Microsoft.App/containerApps', 'api'))['template'].containers[0]
      .env as { name: string; value: string }[];
    env.push({ name: 'AZURE_OPENAI_API_KEY', value: 'x' });
    expect(run(broken)).toEqual([
      expect.objectContaining({
        check: 'no-secrets',
        problem: expect.stringContaining('AZURE_OPENAI_API_KEY'),
      }),
    ]);
  });

  it('refuses external ingress without Entra ID authentication, naming the app and the fix', () => {
    const broken = copy();
    broken.snapshot.predictedResources = broken.snapshot.predictedResources.filter(
      (resource) => resource.type !== 'Microsoft.App/containerApps/authConfigs',
    );
    const api = find(broken, 'Microsoft.App/containerApps', 'api');
    expect(run(broken)).toEqual([
      {
        check: 'ingress',
        resource: `Microsoft.App/containerApps ${api.name}`,
        problem: expect.stringContaining('no Entra ID authentication'),
        fix: expect.stringContaining('entraAppId'),
      },
    ]);
  });

  it('refuses built-in auth that lets anonymous calls through or holds a client secret', () => {
    const broken = copy();
    const auth = props(find(broken, 'Microsoft.App/containerApps/authConfigs'));
    auth['globalValidation'].unauthenticatedClientAction = 'AllowAnonymous';
    auth['identityProviders'].azureActiveDirectory.registration.clientSecretSettingName = 'secret';
    expect(run(broken).map((f) => f.problem)).toEqual([
      expect.stringContaining('Return401'),
      expect.stringContaining('client secret'),
    ]);
  });

  it('refuses a role assignment to an identity without principalType ServicePrincipal', () => {
    const broken = copy();
    const assignment = broken.snapshot.predictedResources.find(
      (resource) =>
        resource.type === 'Microsoft.Authorization/roleAssignments' &&
        String(resource.properties?.['principalId']).includes('id-worker-'),
    )!;
    props(assignment)['principalType'] = 'User';
    expect(run(broken)).toEqual([
      expect.objectContaining({
        check: 'role-assignments',
        resource: expect.stringContaining('id-worker'),
      }),
    ]);
  });

  it('refuses a grant at a broader scope than @keyless/roles names, and reports the one it replaced', () => {
    const broken = copy();
    const assignment = broken.snapshot.predictedResources.find(
      (resource) =>
        resource.type === 'Microsoft.Authorization/roleAssignments' &&
        resource.id.includes('/queues/worker-jobs/') &&
        String(resource.properties?.['principalId']).includes('id-worker-'),
    )!;
    (assignment as { id: string }).id = assignment.id.replace(
      /\/providers\/Microsoft\.Storage.*\/providers\/Microsoft\.Authorization/,
      '/providers/Microsoft.Authorization',
    );
    expect(run(broken).map((f) => f.problem)).toEqual([
      expect.stringContaining('is not one that @keyless/roles grants'),
      expect.stringContaining(
        'lacks the grant id-worker | 974c5e8b-45b9-4653-ba55-5f855dd0fb88 | storage-queue | worker-jobs',
      ),
    ]);
  });

  it('refuses a worker whose KEDA rule authenticates as another identity or watches another queue', () => {
    const broken = copy();
    const api = find(broken, 'Microsoft.App/containerApps', 'api');
    const rule = props(find(broken, 'Microsoft.App/containerApps', 'worker'))['template'].scale
      .rules[0];
    rule.azureQueue.identity = Object.keys(api.identity?.userAssignedIdentities ?? {})[0];
    rule.azureQueue.queueName = 'jobs';
    expect(run(broken).map((f) => f.problem)).toEqual([
      expect.stringContaining('scales on queue jobs, not its own worker-jobs'),
      expect.stringContaining("not the worker's own identity"),
    ]);
  });

  it('refuses a worker told another queue than its services.json entry', () => {
    const broken = copy();
    const env = props(find(broken, 'Microsoft.App/containerApps', 'worker'))['template']
      .containers[0].env as { name: string; value: string }[];
    env.find((variable) => variable.name === 'WORKER_QUEUE')!.value = 'jobs';
    expect(run(broken).map((f) => f.problem)).toEqual([
      'WORKER_QUEUE is "jobs", not worker-jobs from services.json',
    ]);
  });

  it('refuses two services sharing one identity', () => {
    const broken = copy();
    const api = find(broken, 'Microsoft.App/containerApps', 'api');
    const worker = find(broken, 'Microsoft.App/containerApps', 'worker');
    (worker as { identity?: unknown }).identity = structuredClone(api.identity);
    expect(run(broken).map((f) => f.check)).toContain('services');
    expect(run(broken).map((f) => f.problem)).toContainEqual(
      expect.stringContaining('shares identity'),
    );
  });
});
