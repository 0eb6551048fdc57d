/**
 * End to end, in a copy of the workspace: generate one service of each kind without a terminal,
 * then, before anything is committed, run on them what
 * `npm test` runs (nx sync:check, lint, typecheck, test, format), check the lockfile, copy the
 * uncommitted workspace again as the generator's own tests do, and run them under the local
 * stack, which derives their identities and grants from services.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localRoleAssignmentsFor, startLocalAzure } from '@keyless/local-azure';
import { parseRegistry } from '@keyless/registry';
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
let firstPort: number;

beforeAll(async () => {
  copy = await copyWorkspace();
  baseCommit = (await copy.run('git', ['rev-parse', 'HEAD'])).stdout.trim();
  docSearch = freeServiceName(copy.root, 'doc-search');
  summariser = freeServiceName(copy.root, 'summariser');
  firstPort = nextFreePort(copy.root);
  generated.api = await copy.gen([
    'service',
    docSearch,
    'api',
    '--description',
    'Answers questions about documents',
  ]);
  generated.worker = await copy.gen(['service', summariser, 'worker']);
}, 600_000);

afterAll(async () => {
  await copy?.remove();
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(copy.root, path), 'utf8')) as unknown;
}

const projects = () => [docSearch, summariser].map((name) => `@keyless/${name}`);

describe('generating a service non-interactively', () => {
  it('exits 0 and lists what it wrote', () => {
    for (const result of Object.values(generated)) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(generated.api!.stdout).toContain(`create  apps/${docSearch}/package.json`);
    expect(generated.worker!.stdout).toContain('modify  services.json');
    expect(generated.worker!.stdout).toContain('update  tsconfig.json (nx sync');
  });

  it('lists each service in services.json with the next free port, a worker with its own queues', () => {
    const { services } = parseRegistry(readJson('services.json'));
    expect(services.slice(-2)).toEqual([
      {
        name: docSearch,
        kind: 'api',
        port: firstPort,
        description: 'Answers questions about documents',
      },
      {
        name: summariser,
        kind: 'worker',
        port: firstPort + 1,
        description: 'A keyless worker service.',
        queue: `${summariser}-jobs`,
        poisonQueue: `${summariser}-poison`,
        resultsContainer: `${summariser}-results`,
      },
    ]);
    expect(readJson(`apps/${docSearch}/package.json`)).toMatchObject({
      name: `@keyless/${docSearch}`,
      nx: { tags: ['type:app'] },
    });
  });

  it('adds the services to azure.yaml and the README table, keeping what was there', () => {
    const azureYaml = readFileSync(join(copy.root, 'azure.yaml'), 'utf8');
    expect(azureYaml).toContain(`  ${summariser}:\n    project: ./apps/${summariser}\n`);
    expect(azureYaml).toContain('# The image bundles workspace packages');
    const readme = readFileSync(join(copy.root, 'README.md'), 'utf8');
    expect(readme).toMatch(
      new RegExp(
        `\\| \\[\`${summariser}\`\\]\\(apps/${summariser}\\) +\\| worker +\\| ${firstPort + 1} `,
      ),
    );
  });

  it('writes no copy of the list anywhere the local stack or the infra derive it', async () => {
    const changed = (await copy.run('git', ['status', '--porcelain'])).stdout
      .split('\n')
      .filter((line) => line.startsWith(' M'))
      .map((line) => line.slice(3))
      .sort();
    expect(changed).toEqual([
      'README.md',
      'azure.yaml',
      'infra/REFERENCE.md',
      'package-lock.json',
      'services.json',
      'tsconfig.json',
    ]);
  });

  it("writes each service the sample of its kind's files, no more and no fewer (its tests and benchmarks aside)", async () => {
    const own = (files: string[], folder: string) =>
      files
        .map((file) => file.slice(folder.length + 1))
        .filter((file) => !/^(test|bench)\//.test(file))
        .sort();
    for (const [name, sample] of [
      [docSearch, 'api'],
      [summariser, 'worker'],
    ] as const) {
      const written = (
        await copy.run('git', ['status', '--porcelain', '--untracked-files=all', `apps/${name}`])
      ).stdout
        .split('\n')
        .filter((line) => line.startsWith('?? '))
        .map((line) => line.slice(3));
      const sampleFiles = (await copy.run('git', ['ls-files', `apps/${sample}`])).stdout
        .split('\n')
        .filter(Boolean);
      expect(own(written, `apps/${name}`)).toEqual(own(sampleFiles, `apps/${sample}`));
    }
  });

  it("gives each service its sample's runtime dependencies, build target and the dev packages its tests use", () => {
    type Manifest = {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
      nx: unknown;
    };
    for (const [name, sample] of [
      [docSearch, 'api'],
      [summariser, 'worker'],
    ] as const) {
      const service = readJson(`apps/${name}/package.json`) as Manifest;
      const hand = readJson(`apps/${sample}/package.json`) as Manifest;
      expect(service.dependencies).toEqual(hand.dependencies);
      expect(service.nx).toEqual(hand.nx);
      expect(service.scripts).toEqual({ start: hand.scripts.start, build: hand.scripts.build });
      // The sample has more (its benchmarks'); the conformance suite's own must all be there.
      expect(Object.keys(service.devDependencies)).toEqual(
        expect.arrayContaining(['@keyless/build', '@keyless/local-azure']),
      );
      expect(hand.devDependencies).toMatchObject(service.devDependencies);
    }
  });

  it('leaves the workspace in sync: nx sync:check passes, uncommitted', async () => {
    const result = await copy.run('npx', ['nx', 'sync:check']);
    expect(result.stdout + result.stderr).not.toContain('out of sync');
    expect(result.code).toBe(0);
  }, 300_000);

  it('produces projects that pass lint, typecheck and their own tests, uncommitted', async () => {
    const result = await copy.run('npx', [
      'nx',
      'run-many',
      '-t',
      'lint',
      'typecheck',
      'test',
      '-p',
      projects().join(','),
      '--output-style=static',
    ]);
    expect(result.stdout + result.stderr).toMatch(/Successfully ran targets lint, typecheck, test/);
    expect(result.code).toBe(0);
  }, 900_000);

  it('formats every file it writes the way npm test checks them', async () => {
    const result = await copy.run('npx', [
      'prettier',
      '--check',
      `apps/${docSearch}`,
      `apps/${summariser}`,
      'services.json',
      'azure.yaml',
      'README.md',
      'infra/REFERENCE.md',
      'tsconfig.json',
    ]);
    expect(result.stdout + result.stderr).toContain('All matched files use Prettier code style');
    expect(result.code).toBe(0);
  }, 120_000);

  it('writes infra/REFERENCE.md exactly as infra compiles it with `npm run reference:sync`', async () => {
    const before = readFileSync(join(copy.root, 'infra/REFERENCE.md'), 'utf8');
    expect(before).toMatch(new RegExp(`\\| ${summariser} +\\| worker +\\| ${firstPort + 1} `));
    const result = await copy.run('npm', ['run', 'reference:sync', '-w', '@keyless/infra']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(copy.root, 'infra/REFERENCE.md'), 'utf8')).toBe(before);
  }, 120_000);

  it('records the packages in the lockfile exactly as npm does', async () => {
    const before = readFileSync(join(copy.root, 'package-lock.json'), 'utf8');
    expect(before).toContain(`"apps/${summariser}": {`);
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

  it('can be copied again uncommitted, as the generator’s own tests copy the workspace, and stays in sync', async () => {
    const again = await copyWorkspace(copy.root);
    try {
      for (const file of [`apps/${summariser}/package.json`, `apps/${docSearch}/src/main.ts`]) {
        expect(readFileSync(join(again.root, file), 'utf8')).toBe(
          readFileSync(join(copy.root, file), 'utf8'),
        );
      }
      expect(existsSync(join(again.root, `node_modules/@keyless/${summariser}/package.json`))).toBe(
        true,
      );
      const sync = await again.run('npx', ['nx', 'sync:check']);
      expect(sync.code).toBe(0);
      const typecheck = await again.run('npx', [
        'nx',
        'run-many',
        '-t',
        'typecheck',
        '-p',
        projects().join(','),
        '--output-style=static',
      ]);
      expect(typecheck.code).toBe(0);
    } finally {
      await again.remove();
    }
  }, 900_000);

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
    expect(result.stdout.split('\n')).toEqual(expect.arrayContaining(projects()));
  }, 120_000);
});

describe('the local stack and the generated identity', () => {
  async function chatAs(identityName: string, roleAssignmentsPath?: string): Promise<Response> {
    const stack = await startLocalAzure({
      ports: 'free',
      storage: false,
      workspaceRoot: copy.root,
      ...(roleAssignmentsPath && { roleAssignmentsPath }),
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
        body: JSON.stringify({
          model: env.AZURE_OPENAI_CHAT_DEPLOYMENT,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
      return new Response(await response.text(), { status: response.status });
    } finally {
      await stack.stop();
    }
  }

  it('authorises the new service identity with the grants of its kind, derived at start', async () => {
    const response = await chatAs(`id-${summariser}`);
    expect(response.status).toBe(200);
  }, 60_000);

  it('refuses the same identity with 401 PermissionDenied under the grants of the list before it', async () => {
    const before = parseRegistry(
      JSON.parse((await copy.run('git', ['show', `${baseCommit}:services.json`])).stdout),
    );
    const withoutGrants = join(copy.root, 'role-assignments.before.json');
    writeFileSync(
      withoutGrants,
      JSON.stringify({ roleAssignments: localRoleAssignmentsFor(before) }),
    );
    const response = await chatAs(`id-${summariser}`, withoutGrants);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('PermissionDenied');
  }, 60_000);

  it('runs both new services under the local stack, as npm start does, and they become ready', async () => {
    const stack = await startLocalAzure({
      ports: 'free',
      storage: true,
      services: [docSearch, summariser],
      workspaceRoot: copy.root,
    });
    try {
      expect(stack.services.map((service) => service.definition.name).sort()).toEqual(
        [docSearch, summariser].sort(),
      );
      expect(stack.envFor(`id-${summariser}`)['WORKER_QUEUE']).toBe(`${summariser}-jobs`);
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
