/**
 * End to end, in a copy of the workspace: generate one service of each kind without a terminal,
 * then check that each is green (lint, typecheck, test), wired (infra checks, lockfile, Nx) and
 * authorised by the emulator as its own identity.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeServiceName, nextFreePort } from './free-service.ts';
import { copyWorkspace } from './workspace-copy.ts';
import type { RunResult, WorkspaceCopy } from './workspace-copy.ts';

let copy: WorkspaceCopy;
let baseCommit: string;
const generated: Record<string, RunResult> = {};
// Names no existing service uses (the workspace may hold services a user generated), and the port
// the first one should get.
let docSearch: string;
let summariser: string;
let indexer: string;
let firstPort: number;

beforeAll(async () => {
  copy = await copyWorkspace();
  baseCommit = (await copy.run('git', ['rev-parse', 'HEAD'])).stdout.trim();
  docSearch = freeServiceName(copy.root, 'doc-search');
  summariser = freeServiceName(copy.root, 'summariser');
  indexer = freeServiceName(copy.root, 'indexer');
  firstPort = nextFreePort(copy.root);
  generated.api = await copy.gen([
    'service',
    docSearch,
    'api',
    '--description',
    'Answers questions about documents',
    '--embeddings',
  ]);
  generated.worker = await copy.gen(['service', summariser, 'worker']);
  generated.workerWithEmbeddings = await copy.gen(['service', indexer, 'worker', '--embeddings']);
}, 120_000);

afterAll(async () => {
  await copy?.remove();
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(copy.root, path), 'utf8')) as unknown;
}

describe('generating a service non-interactively', () => {
  it('exits 0 and lists what it wrote', () => {
    for (const result of Object.values(generated)) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(generated.api!.stdout).toContain(`create  apps/${docSearch}/src/routes/embeddings.ts`);
    expect(generated.worker!.stdout).toContain('modify  infra/main.bicep');
  });

  it('gives each service the next free port, its kind, tags and package name', () => {
    expect(readJson(`apps/${docSearch}/package.json`)).toMatchObject({
      name: `@keyless/${docSearch}`,
      description: 'Answers questions about documents',
      nx: { tags: ['type:app'] },
      keyless: { kind: 'api', port: firstPort },
    });
    expect(readJson(`apps/${summariser}/package.json`)).toMatchObject({
      name: `@keyless/${summariser}`,
      keyless: { kind: 'worker', port: firstPort + 1 },
    });
    expect(readJson(`apps/${indexer}/package.json`)).toMatchObject({
      keyless: { kind: 'worker', port: firstPort + 2 },
    });
  });

  it('logs through @keyless/logging rather than a logger of its own', () => {
    for (const name of [docSearch, summariser]) {
      expect(readJson(`apps/${name}/package.json`)).toMatchObject({
        dependencies: { '@keyless/logging': '*' },
      });
      expect(existsSync(join(copy.root, `apps/${name}/src/logger.ts`))).toBe(false);
      expect(readFileSync(join(copy.root, `apps/${name}/src/main.ts`), 'utf8')).toContain(
        `createLogger({ service: '${name}', level: config.logLevel })`,
      );
    }
  });

  it('produces projects that pass lint, typecheck, their own tests and build', async () => {
    const result = await copy.run('npx', [
      'nx',
      'run-many',
      '-t',
      'lint',
      'typecheck',
      'test',
      'build',
      '-p',
      `@keyless/${docSearch},@keyless/${summariser},@keyless/${indexer}`,
      '--output-style=static',
    ]);
    expect(result.stdout + result.stderr).toMatch(
      /Successfully ran targets lint, typecheck, test, build/,
    );
    expect(existsSync(join(copy.root, `apps/${docSearch}/dist/main.js`))).toBe(true);
    expect(result.code).toBe(0);
  }, 600_000);

  it('gives each new service a Dockerfile that passes the repository-wide Dockerfile checks', async () => {
    const result = await copy.run('npx', [
      'vitest',
      'run',
      '--root',
      'tools/repo-checks',
      'test/dockerfiles.test.ts',
      '--reporter=verbose',
    ]);
    const output = result.stdout + result.stderr;
    for (const name of [docSearch, summariser, indexer]) {
      expect(output).toContain(`the ${name} Dockerfile`);
    }
    expect(output).toMatch(/Tests +\d+ passed/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('formats every file it writes the way the repository checks them', async () => {
    const result = await copy.run('npx', [
      'prettier',
      '--check',
      `apps/${docSearch}`,
      `apps/${summariser}`,
      `apps/${indexer}`,
      'azure.yaml',
      'infra/main.parameters.json',
      'packages/local-azure/config',
      'tsconfig.json',
    ]);
    expect(result.stdout + result.stderr).toContain('All matched files use Prettier code style');
  }, 60_000);

  it('keeps the workspace in sync: nx sync:check passes', async () => {
    const result = await copy.run('npx', ['nx', 'sync:check']);
    expect(result.code).toBe(0);
  }, 120_000);

  it('records the packages in the lockfile exactly as npm would', async () => {
    const before = readFileSync(join(copy.root, 'package-lock.json'), 'utf8');
    const result = await copy.run('npm', [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--offline',
      '--no-audit',
      '--no-fund',
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(copy.root, 'package-lock.json'), 'utf8')).toBe(before);
  }, 120_000);

  it('passes the infra offline checks with the new services in azure.yaml, main.bicep and the local stack', async () => {
    const check = await copy.run(process.execPath, ['infra/src/bin/check.ts']);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('all offline checks pass');
    expect(check.code).toBe(0);
  }, 120_000);

  it('keeps infra’s generated reference current (its own checks and contract test pass)', async () => {
    // infra's other tests copy the repository and assume only the two sample services exist.
    const result = await copy.run('npx', [
      'vitest',
      'run',
      '--root',
      'infra',
      'test/checks.test.ts',
      'test/contract.test.ts',
    ]);
    expect(result.stdout + result.stderr).toMatch(/Tests +\d+ passed/);
    expect(result.code).toBe(0);
  }, 300_000);

  it('shows up in nx show projects --affected once committed', async () => {
    await copy.run('git', ['add', '-A']);
    await copy.run('git', ['commit', '-q', '-m', 'generated']);
    const result = await copy.run('npx', [
      'nx',
      'show',
      'projects',
      '--affected',
      `--base=${baseCommit}`,
      '--head=HEAD',
    ]);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `@keyless/${docSearch}`,
        `@keyless/${summariser}`,
        `@keyless/${indexer}`,
      ]),
    );
  }, 120_000);
});

describe('the emulator and the generated identity', () => {
  async function chatAs(identityName: string, roleAssignmentsPath: string): Promise<Response> {
    const stack = await startLocalAzure({
      ports: 'free',
      storage: false,
      identitiesPath: join(copy.root, 'packages/local-azure/config/identities.json'),
      roleAssignmentsPath,
    });
    try {
      const env = stack.envFor(identityName);
      const tokenUrl = new URL(env.IDENTITY_ENDPOINT!);
      tokenUrl.search = new URLSearchParams({
        'api-version': '2019-08-01',
        resource: 'https://cognitiveservices.azure.com',
        client_id: env.AZURE_CLIENT_ID!,
      }).toString();
      const token = (await (
        await fetch(tokenUrl, { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER! } })
      ).json()) as { access_token: string };
      const response = await fetch(`${env.AZURE_OPENAI_ENDPOINT}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      return new Response(await response.text(), { status: response.status });
    } finally {
      await stack.stop();
    }
  }

  it('authorises the new service identity with the grants of its kind', async () => {
    const response = await chatAs(
      `id-${summariser}`,
      join(copy.root, 'packages/local-azure/config/role-assignments.json'),
    );
    expect(response.status).toBe(200);
  }, 60_000);

  it('refuses the same identity with 401 PermissionDenied when its grants are missing', async () => {
    const original = (
      await copy.run('git', [
        'show',
        `${baseCommit}:packages/local-azure/config/role-assignments.json`,
      ])
    ).stdout;
    const withoutGrants = join(copy.root, 'role-assignments.before.json');
    writeFileSync(withoutGrants, original);
    const response = await chatAs(`id-${summariser}`, withoutGrants);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('PermissionDenied');
  }, 60_000);

  it('runs both new services under the local stack, as npm start does, and they become ready', async () => {
    const stack = await startLocalAzure({
      ports: 'free',
      storage: true,
      services: [docSearch, summariser],
      appsDir: join(copy.root, 'apps'),
      identitiesPath: join(copy.root, 'packages/local-azure/config/identities.json'),
      roleAssignmentsPath: join(copy.root, 'packages/local-azure/config/role-assignments.json'),
    });
    try {
      expect(stack.services.map((service) => service.definition.name).sort()).toEqual(
        [docSearch, summariser].sort(),
      );
      for (const service of stack.services) {
        expect(await service.ready).toBe(true);
        let status = 0;
        // Ready means the identity, the emulator and (for the worker) the queue answered.
        for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
          status = (await fetch(`http://127.0.0.1:${service.port}/readyz`)).status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect({ service: service.definition.name, status }).toEqual({
          service: service.definition.name,
          status: 200,
        });
      }
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
