import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels, readRegistry } from '@keyless/registry';
import { startLocalAzure } from '../src/index.ts';
import type { LocalAzure } from '../src/index.ts';
import { workspaceRoot } from '../src/workspace.ts';

const run = promisify(execFile);
const models = readModels(workspaceRoot);
let directory: string;
let stack: LocalAzure;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stack-test-'));
  stack = await startLocalAzure({ ports: 'free', envFile: join(directory, 'stack.env') });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('startLocalAzure', () => {
  it('gives a service exactly the variables Container Apps would', () => {
    const api = stack.identities.find((identity) => identity.name === 'id-api')!;
    expect(stack.envFor('id-api')).toEqual({
      IDENTITY_ENDPOINT: stack.identity.url,
      IDENTITY_HEADER: stack.identity.header,
      AZURE_CLIENT_ID: api.clientId,
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
      AZURE_OPENAI_ENDPOINT: stack.openai.url,
      AZURE_OPENAI_CHAT_DEPLOYMENT: models.chat.deployment,
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: models.embedding.deployment,
      AZURE_STORAGE_QUEUE_ENDPOINT: stack.storage!.queueEndpoint,
      AZURE_STORAGE_BLOB_ENDPOINT: stack.storage!.blobEndpoint,
      NODE_EXTRA_CA_CERTS: stack.storage!.caCertPath,
    });
  });

  it('gives a worker its own queues and container from services.json', () => {
    expect(stack.envFor('id-worker')).toMatchObject({
      WORKER_QUEUE: 'worker-jobs',
      WORKER_POISON_QUEUE: 'worker-poison',
      WORKER_RESULTS_CONTAINER: 'worker-results',
    });
    expect(stack.envFor('id-api')).not.toHaveProperty('WORKER_QUEUE');
  });

  it('serves the deployments infra/models.json names, and only those', () => {
    expect(stack.openai.deployments.map((deployment) => deployment.name).sort()).toEqual(
      [models.chat.deployment, models.embedding.deployment].sort(),
    );
  });

  it('names the known identities when asked for an unknown one', () => {
    // One identity per service in services.json (samples and any a user generated) and the developer.
    const known = [...readRegistry(workspaceRoot).services.map((s) => `id-${s.name}`), 'developer'];
    expect(known).toEqual(expect.arrayContaining(['id-api', 'id-worker']));
    expect(() => stack.envFor('id-nope')).toThrow(
      /no local identity named "id-nope"\. Known: .*\. A service's identity is id-<name> for each service in services\.json/,
    );
    const message = (() => {
      try {
        stack.envFor('id-nope');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const listed = /Known: (.*?)\. A service/.exec(message)?.[1]?.split(', ') ?? [];
    expect(listed.sort()).toEqual(known.sort());
  });

  it('writes the developer environment to the env file', () => {
    const text = readFileSync(stack.envFile!, 'utf8');
    for (const [name, value] of Object.entries(stack.envFor('developer'))) {
      expect(text).toContain(`\n${name}='${value}'\n`);
    }
    expect(text).toMatch(/npx node --env-file=/);
  });

  it('lets a process join with --env-file and the trust-stack preload', async () => {
    const result = await joinWith(process.execPath, [
      `--env-file=${stack.envFile!}`,
      '--import',
      '@keyless/local-azure/trust-stack',
      joinScript,
    ]);
    expect(result).toEqual({ chat: expect.any(String), queued: true });
    const developer = stack.identities.find((identity) => identity.name === 'developer')!;
    const resources = stack.identity.requestLog
      .filter((entry) => entry.clientId === developer.clientId)
      .map((entry) => entry.resource);
    expect(new Set(resources)).toEqual(
      new Set(['https://cognitiveservices.azure.com', 'https://storage.azure.com']),
    );
  }, 30_000);

  it('lets a shell that sourced the env file run a process that joins', async () => {
    const result = await joinWith('sh', [
      '-c',
      `set -a; . "${stack.envFile!}"; set +a; exec "${process.execPath}" "${joinScript}"`,
    ]);
    expect(result).toEqual({ chat: expect.any(String), queued: true });
  }, 30_000);
});

const joinScript = join(import.meta.dirname, 'fixtures', 'join-stack.ts');

/** Runs the join script in a clean environment: only what the env file gives it. */
async function joinWith(command: string, args: string[]): Promise<unknown> {
  const { stdout } = await run(command, args, {
    cwd: import.meta.dirname,
    env: { PATH: process.env['PATH'] },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('startLocalAzure with extraIdentities', () => {
  it('mints tokens for an added identity, which holds no role and so gets 401 PermissionDenied', async () => {
    const roleless = {
      name: 'id-roleless',
      clientId: randomUUID(),
      principalId: randomUUID(),
      principalType: 'ServicePrincipal' as const,
    };
    const other = await startLocalAzure({
      ports: 'free',
      storage: false,
      extraIdentities: [roleless],
    });
    try {
      expect(other.identities.map((identity) => identity.name)).toEqual([
        ...stack.identities.map((identity) => identity.name),
        'id-roleless',
      ]);
      const env = other.envFor('id-roleless');
      expect(env['AZURE_CLIENT_ID']).toBe(roleless.clientId);
      const tokenUrl = new URL(env['IDENTITY_ENDPOINT']!);
      tokenUrl.search = new URLSearchParams({
        'api-version': '2019-08-01',
        resource: 'https://cognitiveservices.azure.com',
        client_id: roleless.clientId,
      }).toString();
      const token = await fetch(tokenUrl, {
        headers: { 'x-identity-header': env['IDENTITY_HEADER']! },
      });
      expect(token.status).toBe(200);
      const { access_token } = (await token.json()) as { access_token: string };
      const chat = await fetch(`${env['AZURE_OPENAI_ENDPOINT']}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: env['AZURE_OPENAI_CHAT_DEPLOYMENT'],
          messages: [{ role: 'user', content: 'let me in' }],
        }),
      });
      expect(chat.status).toBe(401);
      expect(await chat.json()).toMatchObject({ error: { code: 'PermissionDenied' } });
    } finally {
      await other.stop();
    }
  });
});

describe('startLocalAzure on a taken port', () => {
  it('names the port, the server and the variable that moves it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        startLocalAzure({
          ports: { identity: 0, openai: port, blob: 0, queue: 0 },
          storage: false,
        }),
      ).rejects.toThrow(
        new RegExp(
          `Port ${port} is already in use.*Azure OpenAI emulator.*LOCAL_AZURE_OPENAI_PORT=<port>`,
        ),
      );
    } finally {
      blocker.close();
    }
  });
});

describe('stopping the stack', () => {
  it('frees every port, ends Azurite and removes the env file', async () => {
    const envFile = join(directory, 'other.env');
    const other = await startLocalAzure({ envFile, certDir: join(directory, 'certs') });
    const urls = [
      other.identity.url,
      other.openai.url,
      other.storage!.blobEndpoint,
      other.storage!.queueEndpoint,
    ];
    const pids = other.storage!.pids;
    await other.stop();
    expect(existsSync(envFile)).toBe(false);
    expect(existsSync(other.storage!.caCertPath)).toBe(false);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    for (const url of urls) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(Number(new URL(url).port), '127.0.0.1', resolve);
      });
      await new Promise((resolve) => probe.close(resolve));
    }
  }, 60_000);
});
