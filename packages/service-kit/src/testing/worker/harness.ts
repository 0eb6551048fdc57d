import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { createCredential } from '@keyless/auth';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { trustCertificate } from '../../worker/cli-env.ts';
import { resultBlobName } from '../../worker/results.ts';
import type { ConformanceStack } from './stack.ts';
import { WorkerProcess } from './worker-process.ts';

/** Queue and container names of one test's worker, so tests never see each other's jobs. */
export interface WorkerNames {
  WORKER_QUEUE: string;
  WORKER_POISON_QUEUE: string;
  WORKER_RESULTS_CONTAINER: string;
}

/**
 * The test's side of the stack: storage as the `developer` identity (which may read every
 * worker's queues and containers), and the worker under test started as real processes with
 * its own identity's environment, exactly what Container Apps would give it.
 */
export class Harness {
  readonly stack: ConformanceStack;
  readonly queues: QueueServiceClient;
  readonly blobs: BlobServiceClient;
  private readonly entry: string;
  private readonly identity: string;
  private readonly running: WorkerProcess[] = [];

  constructor(stack: ConformanceStack, entry: string, identity: string) {
    this.stack = stack;
    this.entry = entry;
    this.identity = identity;
    const developer = stack.envFor('developer');
    // NODE_EXTRA_CA_CERTS is read only at start-up; trust Azurite's certificate in-process instead.
    if (developer.NODE_EXTRA_CA_CERTS) trustCertificate(developer.NODE_EXTRA_CA_CERTS);
    // @azure/identity reads the managed-identity endpoint from the process environment (and MSAL
    // fixes it per process); this test process joins the stack as the developer would.
    for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_TOKEN_CREDENTIALS']) {
      // eslint-disable-next-line no-restricted-syntax -- the test process's edge: it joins the stack
      process.env[name] = developer[name];
    }
    const { credential } = createCredential({
      clientId: developer.AZURE_CLIENT_ID!,
      managedIdentityEnvironment: true,
    });
    this.queues = new QueueServiceClient(developer.AZURE_STORAGE_QUEUE_ENDPOINT!, credential);
    this.blobs = new BlobServiceClient(developer.AZURE_STORAGE_BLOB_ENDPOINT!, credential);
  }

  /** Fresh queue and container names for one test. */
  names(): WorkerNames {
    const suffix = randomUUID().slice(0, 8);
    return {
      WORKER_QUEUE: `t-${suffix}-jobs`,
      WORKER_POISON_QUEUE: `t-${suffix}-poison`,
      WORKER_RESULTS_CONTAINER: `t-${suffix}-results`,
    };
  }

  /** The worker's environment: its identity's, quick retries, any port, then `overrides`. */
  env(
    names: WorkerNames | undefined,
    overrides: Record<string, string> = {},
  ): Record<string, string> {
    const base: Record<string, string> = {
      ...this.stack.envFor(this.identity),
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_RETRY_BASE_SECONDS: '1',
      WORKER_RETRY_MAX_SECONDS: '2',
      WORKER_POLL_INTERVAL_MS: '100',
      ...names,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(base).filter(([, value]) => value !== ''));
  }

  start(env: Record<string, string>): WorkerProcess {
    const worker = new WorkerProcess(this.entry, env);
    this.running.push(worker);
    return worker;
  }

  /** Kills every worker process this harness started (after each test). */
  killAll(): void {
    for (const worker of this.running.splice(0)) worker.kill('SIGKILL');
  }

  async enqueue(queueName: string, bodies: unknown[]): Promise<void> {
    const queue = this.queues.getQueueClient(queueName);
    await queue.createIfNotExists();
    for (let start = 0; start < bodies.length; start += 25) {
      await Promise.all(
        bodies
          .slice(start, start + 25)
          .map((body) => queue.sendMessage(typeof body === 'string' ? body : JSON.stringify(body))),
      );
    }
  }

  async resultIds(container: string): Promise<string[]> {
    const ids: string[] = [];
    const client = this.blobs.getContainerClient(container);
    if (!(await client.exists())) return ids;
    for await (const blob of client.listBlobsFlat()) ids.push(blob.name.replace(/\.json$/, ''));
    return ids.sort();
  }

  async result(container: string, id: string): Promise<Record<string, unknown>> {
    const buffer = await this.blobs
      .getContainerClient(container)
      .getBlockBlobClient(resultBlobName(id))
      .downloadToBuffer();
    return JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
  }

  /** Messages in a queue, visible or not (the service's approximate count). */
  async messageCount(queueName: string): Promise<number> {
    const queue = this.queues.getQueueClient(queueName);
    if (!(await queue.exists())) return 0;
    return (await queue.getProperties()).approximateMessagesCount ?? 0;
  }

  async poisonEntries(queueName: string): Promise<Array<Record<string, unknown>>> {
    const { peekedMessageItems } = await this.queues
      .getQueueClient(queueName)
      .peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems.map(
      (item) => JSON.parse(item.messageText) as Record<string, unknown>,
    );
  }
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
