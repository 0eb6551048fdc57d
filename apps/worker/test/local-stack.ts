import { QueueServiceClient } from '@azure/storage-queue';
import { BlobServiceClient } from '@azure/storage-blob';
import { createCredential, createKeylessClients } from '@keyless/auth';
import { startLocalAzure, trustCertificate } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { loadWorkerConfig } from '../src/config.ts';
import type { WorkerConfig } from '../src/config.ts';
import { createLogger } from '@keyless/logging';
import { createWorker } from '../src/worker.ts';
import type { Worker } from '../src/worker.ts';

/**
 * The local stack with real Azurite, joined the way a Container App joins Azure: the worker's
 * environment comes from `envFor('id-worker')`. The identity library reads IDENTITY_ENDPOINT
 * from process.env itself (and MSAL fixes it per process), so this sets them before any
 * credential exists; Vitest gives each test file its own process.
 */
export async function startWorkerStack(): Promise<WorkerStack> {
  const stack = await startLocalAzure({ ports: 'free', storage: true });
  const env = stack.envFor('id-worker');
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_TOKEN_CREDENTIALS'] as const) {
    process.env[name] = env[name];
  }
  // NODE_EXTRA_CA_CERTS is read only at start-up; trust Azurite's certificate in-process instead.
  trustCertificate(stack.storage!.caCertPath);
  // The test's own view of storage, as the developer identity (which may read everything).
  const developer = stack.envFor('developer');
  const { credential } = createCredential({
    clientId: developer.AZURE_CLIENT_ID!,
    managedIdentityEnvironment: true,
  });
  return new WorkerStack(
    stack,
    new QueueServiceClient(env.AZURE_STORAGE_QUEUE_ENDPOINT!, credential),
    new BlobServiceClient(env.AZURE_STORAGE_BLOB_ENDPOINT!, credential),
  );
}

/** Collects a worker's JSON log lines, to check what it said (and never said). */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

export class WorkerStack {
  readonly local: LocalAzure;
  readonly queues: QueueServiceClient;
  readonly blobs: BlobServiceClient;
  readonly workers: Worker[] = [];

  constructor(local: LocalAzure, queues: QueueServiceClient, blobs: BlobServiceClient) {
    this.local = local;
    this.queues = queues;
    this.blobs = blobs;
  }

  /** The worker's environment with its own names for queues and container, so tests don't collide. */
  workerEnv(overrides: Record<string, string> = {}): Record<string, string> {
    const suffix = randomUUID().slice(0, 8);
    return {
      ...this.local.envFor('id-worker'),
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_QUEUE: `jobs-${suffix}`,
      WORKER_POISON_QUEUE: `jobs-${suffix}-poison`,
      WORKER_RESULTS_CONTAINER: `results-${suffix}`,
      WORKER_RETRY_BASE_SECONDS: '1',
      WORKER_RETRY_MAX_SECONDS: '2',
      WORKER_POLL_INTERVAL_MS: '100',
      ...overrides,
    };
  }

  /** Builds and starts a worker in this process. */
  async startWorker(
    env: Record<string, string>,
    logs = new LogCapture(),
  ): Promise<{ worker: Worker; config: WorkerConfig; logs: LogCapture }> {
    const config = loadWorkerConfig(env);
    const clients = createKeylessClients(config.keyless);
    const worker = createWorker(
      config,
      clients,
      createLogger({ service: 'worker', level: 'debug' }, logs),
    );
    await worker.prepare();
    worker.start();
    this.workers.push(worker);
    return { worker, config, logs };
  }

  async enqueue(queueName: string, bodies: unknown[]): Promise<void> {
    const queue = this.queues.getQueueClient(queueName);
    await queue.createIfNotExists();
    await Promise.all(
      bodies.map((body) =>
        queue.sendMessage(typeof body === 'string' ? body : JSON.stringify(body)),
      ),
    );
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
      .getBlockBlobClient(`${id}.json`)
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

  async stop(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.stop(5000)));
    await this.local.stop();
  }
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
