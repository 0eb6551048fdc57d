import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIdentity } from '../src/index.ts';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
// services.json (api, the worker digest, and notyet without code), infra/models.json and apps/.
const fixtureWorkspace = join(import.meta.dirname, 'fixtures', 'workspace');
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'cli-test-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i += 1) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

interface StackPorts {
  identity: number;
  openai: number;
  blob: number;
  queue: number;
  api: number;
  digest: number;
}

/** Six free loopback ports, and the variables that move the stack and the services onto them. */
async function stackPorts(): Promise<{ ports: StackPorts; env: Record<string, string> }> {
  const [identity, openai, blob, queue, api, digest] = (await freePorts(6)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    ports: { identity, openai, blob, queue, api, digest },
    env: {
      LOCAL_AZURE_IDENTITY_PORT: String(identity),
      // The telemetry receiver: any free port (OTLP's 4318 may be taken on a shared machine).
      LOCAL_AZURE_OTLP_PORT: '0',
      LOCAL_AZURE_OPENAI_PORT: String(openai),
      LOCAL_AZURE_BLOB_PORT: String(blob),
      LOCAL_AZURE_QUEUE_PORT: String(queue),
      LOCAL_AZURE_API_PORT: String(api),
      LOCAL_AZURE_DIGEST_PORT: String(digest),
    },
  };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function startCli(
  extraEnv: Record<string, string>,
  options: { ownProcessGroup?: boolean } = {},
): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  let output = '';
  const child = spawn(process.execPath, [cli], {
    env: {
      PATH: process.env['PATH'],
      LOCAL_AZURE_DIR: stateDir,
      LOCAL_AZURE_WORKSPACE: fixtureWorkspace,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, as a terminal gives `npm start`, so a test can press Ctrl-C.
    detached: options.ownProcessGroup ?? false,
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** The processes started by `parent`, with their process groups (`ps`, so macOS too). */
function processesUnder(parent: number): { pid: number; pgid: number; args: string }[] {
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === parent)
    .map((match) => ({ pid: Number(match![1]), pgid: Number(match![3]), args: match![4]! }));
}

async function waitFor(check: () => boolean, what: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting; output so far:\n${what()}`);
}

describe('npm start (src/cli.ts)', () => {
  it('starts the stack and the services, prints the status, and leaves nothing behind on SIGTERM', async () => {
    const {
      ports: { identity, openai, blob, queue, api, digest },
      env: portEnv,
    } = await stackPorts();
    const { child, output, exit } = startCli({
      ...portEnv,
      // A credential in the developer's shell must not reach the services.
      AZURE_CLIENT_SECRET: randomUUID(),
    });
    await waitFor(() => output().includes('Ctrl-C stops everything.'), output);

    const text = output();
    expect(text).toContain(`http://127.0.0.1:${identity}/msi/token`);
    expect(text).toContain(`https://127.0.0.1:${queue}/devstoreaccount1`);
    const apiIdentity = localIdentity('id-api', 'ServicePrincipal');
    expect(text).toMatch(
      new RegExp(
        `api \\(api\\)\\s+http://127\\.0\\.0\\.1:${api}\\s+id-api \\(${apiIdentity.clientId}\\)`,
      ),
    );
    expect(text).toMatch(/notyet \(worker\)\s+skipped: no src\/main\.ts yet/);
    expect(text).toContain(`curl -s localhost:${api}/api/chat`);
    expect(text).toContain(`[api] fixture api listening on ${api}`);
    expect(text).toContain(join(stateDir, 'stack.env'));

    const service = (await (await fetch(`http://127.0.0.1:${api}/`)).json()) as {
      pid: number;
      env: Record<string, string>;
    };
    expect(service.env).toMatchObject({
      PORT: String(api),
      // Loopback only, like the rest of the stack.
      HOST: '127.0.0.1',
      AZURE_CLIENT_ID: apiIdentity.clientId,
      IDENTITY_ENDPOINT: `http://127.0.0.1:${identity}/msi/token`,
      AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${openai}`,
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
      // The fixture's infra/models.json, not the repository's.
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'fixture-chat',
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'fixture-embedding',
    });
    expect(service.env['AZURE_CLIENT_SECRET']).toBeUndefined();
    expect(service.env['WORKER_QUEUE']).toBeUndefined();

    // A worker gets its own queues and container from its entry in services.json.
    const worker = (await (await fetch(`http://127.0.0.1:${digest}/`)).json()) as {
      pid: number;
      env: Record<string, string>;
    };
    expect(text).toMatch(
      new RegExp(
        `digest \\(worker\\)\\s+http://127\\.0\\.0\\.1:${digest}\\s+id-digest \\(${localIdentity('id-digest', 'ServicePrincipal').clientId}\\)`,
      ),
    );
    expect(worker.env).toMatchObject({
      PORT: String(digest),
      AZURE_CLIENT_ID: localIdentity('id-digest', 'ServicePrincipal').clientId,
      WORKER_QUEUE: 'digest-jobs',
      WORKER_POISON_QUEUE: 'digest-poison',
      WORKER_RESULTS_CONTAINER: 'digest-results',
    });
    expect(existsSync(join(stateDir, 'stack.env'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    for (const port of [identity, openai, blob, queue, api, digest]) {
      expect(await isFree(port)).toBe(true);
    }
    expect(() => process.kill(service.pid, 0)).toThrow(/ESRCH/);
    expect(() => process.kill(worker.pid, 0)).toThrow(/ESRCH/);
    expect(existsSync(join(stateDir, 'stack.env'))).toBe(false);
  }, 60_000);

  it('stops everything quietly on Ctrl-C, which the terminal sends to every process of the group', async () => {
    const { ports, env } = await stackPorts();
    const { child, output, exit } = startCli(env, { ownProcessGroup: true });
    try {
      await waitFor(() => output().includes('Ctrl-C stops everything.'), output);
      // Azurite closes on SIGINT and again on the stack's SIGTERM, so the Ctrl-C must not reach it.
      const azurite = processesUnder(child.pid!).find(({ args }) =>
        args.includes('bin/azurite.ts'),
      );
      expect(azurite?.pgid).toBeDefined();
      expect(azurite?.pgid).not.toBe(child.pid);
      process.kill(-child.pid!, 'SIGINT');
      expect(await exit).toBe(0);
      expect(output()).not.toContain('Shutdown close failed');
      for (const port of Object.values(ports) as number[]) expect(await isFree(port)).toBe(true);
      expect(() => process.kill(azurite!.pid, 0)).toThrow(/ESRCH/);
    } finally {
      // Whatever failed above, take the whole group down (a no-op once it has exited).
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }, 60_000);

  it('exits non-zero with a clear message when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const {
      ports: { identity, blob, queue, api },
      env: portEnv,
    } = await stackPorts();
    try {
      const { output, exit } = startCli({ ...portEnv, LOCAL_AZURE_OPENAI_PORT: String(taken) });
      expect(await exit).toBe(1);
      expect(output()).toMatch(
        new RegExp(
          `Port ${taken} is already in use, so the Azure OpenAI emulator cannot listen on it\\..*LOCAL_AZURE_OPENAI_PORT=<port>`,
        ),
      );
      for (const port of [identity, blob, queue, api]) {
        expect(await isFree(port)).toBe(true);
      }
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('refuses a port variable that is not a number', async () => {
    const { output, exit } = startCli({ LOCAL_AZURE_OPENAI_PORT: 'eighty' });
    expect(await exit).toBe(1);
    expect(output()).toMatch(/LOCAL_AZURE_OPENAI_PORT=eighty is not a port/);
  });
});

describe('npm start killed without a chance to clean up', () => {
  it('takes Azurite and the services down with it', async () => {
    const {
      ports: { blob, queue, api },
      env: portEnv,
    } = await stackPorts();
    const { child, output, exit } = startCli(portEnv);
    await waitFor(() => output().includes('Ctrl-C stops everything.'), output);
    const service = (await (await fetch(`http://127.0.0.1:${api}/`)).json()) as { pid: number };
    child.kill('SIGKILL');
    await exit;
    await waitFor(
      () => {
        try {
          process.kill(service.pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      () => `service ${service.pid} still running`,
    );
    for (const port of [blob, queue, api]) {
      let free = false;
      for (let attempt = 0; attempt < 100 && !free; attempt += 1) {
        free = await isFree(port);
        if (!free) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(free).toBe(true);
    }
  }, 60_000);
});

describe('npm start whose parent shell is killed', () => {
  it('notices it was orphaned and stops the stack cleanly', async () => {
    // Ports are picked by binding and releasing them, so another process may take one before the
    // stack binds it; the CLI then exits saying so. That is the test's race, not the CLI's: pick again.
    for (let attempt = 1; ; attempt += 1) {
      const { ports, env: portEnv } = await stackPorts();
      let output = '';
      let exited = false;
      // `; true` keeps sh from exec-ing node, like the `sh -c` npm runs scripts under.
      const shell = spawn('sh', ['-c', `"${process.execPath}" "${cli}"; true`], {
        env: {
          PATH: process.env['PATH'],
          LOCAL_AZURE_DIR: stateDir,
          LOCAL_AZURE_WORKSPACE: fixtureWorkspace,
          ...portEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      shell.once('exit', () => (exited = true));
      await waitFor(
        () => output.includes('Ctrl-C stops everything.') || exited,
        () => output,
      );
      if (exited && /already in use/.test(output) && attempt < 3) continue;
      expect(output).toContain('Ctrl-C stops everything.');

      shell.kill('SIGKILL');
      let allFree = false;
      await waitFor(
        () => {
          void Promise.all(Object.values(ports).map(isFree)).then(
            (free) => (allFree = free.every(Boolean)),
          );
          return allFree;
        },
        () => 'the orphaned CLI did not stop the stack',
      );
      expect(existsSync(join(stateDir, 'stack.env'))).toBe(false);
      return;
    }
  }, 90_000);
});
