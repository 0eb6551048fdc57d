import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readModels } from '@keyless/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './fixture.ts';

const models = readModels(repoRoot);
const subscription = '00000000-0000-0000-0000-0000000000aa';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A stand-in `az` that answers from JSON files in $FAKE_DIR and logs every call; a stand-in `azd`
// that logs. Only these two are fake: the hook entry, Node and the preflight code run for real.
const fakeAz = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/az.log"
answer() { if [ -f "$FAKE_DIR/$1" ]; then cat "$FAKE_DIR/$1"; else echo "ERROR: $1 refused" >&2; exit 1; fi; }
case "$*" in
  "cognitiveservices model list"*) answer models.json ;;
  "cognitiveservices usage list"*) answer usage.json ;;
  "rest --method get"*) answer permissions.json ;;
  "rest --method patch"*) exit 0 ;;
  "ad app list"*) answer app-list.json ;;
  "ad app create"*) answer app-create.json ;;
  "ad sp show"*) exit 1 ;;
  "ad sp create"*) exit 0 ;;
  "account show"*) echo ${subscription} ;;
  *) echo "unexpected az $*" >&2; exit 2 ;;
esac
`;
const fakeAzd = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/azd.log"
`;

interface World {
  models?: unknown;
  usage?: unknown;
  permissions?: unknown;
  appCreate?: unknown;
  env?: Record<string, string>;
}

const offered = (entries: { name: string; version: string; sku: string }[]) =>
  entries.map((entry) => ({
    kind: 'OpenAI',
    model: {
      name: entry.name,
      version: entry.version,
      format: 'OpenAI',
      skus: [{ name: entry.sku }],
    },
  }));
const allModels = offered([
  { name: models.chat.model, version: models.chat.version, sku: models.chat.sku },
  { name: models.embedding.model, version: models.embedding.version, sku: models.embedding.sku },
]);
const usage = (chatFree: number) => [
  {
    name: { value: `OpenAI.${models.chat.sku}.${models.chat.model}` },
    currentValue: 100,
    limit: 100 + chatFree,
  },
  {
    name: { value: `OpenAI.${models.embedding.sku}.${models.embedding.model}` },
    currentValue: 0,
    limit: 1000,
  },
];
const owner = { value: [{ actions: ['*'], notActions: [] }] };

function runHook(world: World) {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-preprovision-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, body] of [
    ['az', fakeAz],
    ['azd', fakeAzd],
  ] as const) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  const files: Record<string, unknown> = {
    'models.json': world.models ?? allModels,
    'usage.json': world.usage ?? usage(1000),
    'permissions.json': world.permissions ?? owner,
    'app-list.json': [],
  };
  if (world.appCreate !== undefined) files['app-create.json'] = world.appCreate;
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), JSON.stringify(content));
  const run = spawnSync('sh', [join(repoRoot, 'infra/hooks/preprovision.sh')], {
    encoding: 'utf8',
    env: {
      PATH: [bin, '/usr/bin', '/bin'].join(delimiter),
      HOME: dir,
      FAKE_DIR: dir,
      AZURE_ENV_NAME: 'dev',
      AZURE_LOCATION: 'swedencentral',
      AZURE_SUBSCRIPTION_ID: subscription,
      ...world.env,
    },
  });
  const log = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    az: log('az.log'),
    azd: log('azd.log'),
  };
}

const createdApp = { appId: '11111111-2222-3333-4444-555555555555', id: 'object-id' };

describe.skipIf(process.platform === 'win32')('the azd preprovision hook', () => {
  it('lets provisioning start when models, quota and the right to assign roles are there, and registers the api', () => {
    const run = runHook({ appCreate: createdApp });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.az).toContain(
      'ad app create --display-name keyless-dev-api --sign-in-audience AzureADMyOrg',
    );
    expect(run.az).toContain('rest --method patch');
    expect(run.azd).toContain('env set AZURE_PRINCIPAL_TYPE User');
    expect(run.azd).toContain(`env set AZURE_API_APP_IDS api=${createdApp.appId}`);
  });

  it('stops when the region does not offer the chat model, naming the model, the region and the fix', () => {
    const run = runHook({ models: allModels.slice(1) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `MODEL_NOT_OFFERED: chat model ${models.chat.model} ${models.chat.version} (${models.chat.sku}) is not offered in swedencentral`,
    );
    expect(run.stderr).toContain('azd env set AZURE_LOCATION');
    expect(run.azd).toBe('');
  });

  it('stops when the quota is short, saying how much is free and the fix', () => {
    const run = runHook({ usage: usage(models.chat.capacity - 1) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `needs ${models.chat.capacity}K tokens/min in swedencentral, and ${models.chat.capacity - 1}K are free`,
    );
    expect(run.stderr).toContain('lower "capacity" of "chat" in infra/models.json');
  });

  it('counts the capacity its own earlier deployment holds when the environment is provisioned again', () => {
    const run = runHook({
      appCreate: createdApp,
      usage: usage(0),
      env: { AZURE_OPENAI_ENDPOINT: 'https://oai-x.openai.azure.com' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('stops when the deployer may not create role assignments, naming the role to ask for', () => {
    const run = runHook({
      permissions: { value: [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }] },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('NO_ROLE_ASSIGNMENT_RIGHT');
    expect(run.stderr).toContain('Role Based Access Control Administrator');
    expect(run.azd).toBe('');
  });

  it('keeps the api internal, and says why, when the deployer cannot create app registrations', () => {
    const run = runHook({});
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('stays internal to the Container Apps environment');
    expect(run.azd).not.toContain('AZURE_API_APP_IDS');
  });

  it('deploys as a ServicePrincipal in GitHub Actions and Azure Pipelines, unless AZURE_PRINCIPAL_TYPE says otherwise', () => {
    expect(runHook({ appCreate: createdApp, env: { GITHUB_ACTIONS: 'true' } }).azd).toContain(
      'env set AZURE_PRINCIPAL_TYPE ServicePrincipal',
    );
    expect(runHook({ appCreate: createdApp, env: { TF_BUILD: 'True' } }).azd).toContain(
      'env set AZURE_PRINCIPAL_TYPE ServicePrincipal',
    );
    const explicit = runHook({
      appCreate: createdApp,
      env: { GITHUB_ACTIONS: 'true', AZURE_PRINCIPAL_TYPE: 'User' },
    });
    expect(explicit.azd).not.toContain('AZURE_PRINCIPAL_TYPE');
    expect(explicit.stdout).toContain('principal type User: AZURE_PRINCIPAL_TYPE is set');
  });

  it('keeps images already deployed, so provisioning again does not reset a service to the placeholder', () => {
    const run = runHook({
      appCreate: createdApp,
      env: { SERVICE_WORKER_IMAGE_NAME: 'cr.example/worker:azd-1' },
    });
    expect(run.azd).toContain('env set AZURE_SERVICE_IMAGES worker=cr.example/worker:azd-1');
  });
});
