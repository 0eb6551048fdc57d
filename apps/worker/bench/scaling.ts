/**
 * Worker throughput at concurrency 1 vs 16, with the emulator answering after a fixed 50 ms
 * (a stand-in for model latency), on the local stack with real Azurite.
 *   npm run bench -w apps/worker -- [jobs at concurrency 16, default 320] [rounds, default 3]
 * Rounds alternate the two settings, so that a busy neighbour slows both alike; the medians
 * are compared. Goal: ≥ 10× the jobs/s at concurrency 16 (reported, not enforced: a loaded
 * machine is CPU-bound long before the worker is).
 */
import { QueueServiceClient } from '@azure/storage-queue';
import { createCredential, createKeylessClients } from '@keyless/auth';
import { createStorageClients } from '@keyless/auth/storage';
import { startLocalAzure, trustCertificate } from '@keyless/local-azure';
import { createLogger } from '@keyless/logging';
import { createWorker, loadWorkerConfig } from '@keyless/service-kit/worker';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { handler } from '../src/handler.ts';

const jobs = Number(process.argv[2] ?? 320);
const rounds = Number(process.argv[3] ?? 3);
const modelLatencyMs = 50;

const stack = await startLocalAzure({ ports: 'free', storage: true });
stack.openai.setLatency({ fixedMs: modelLatencyMs });
// The worker runs in this process (to read its counters), as id-worker, like a Container App.
const workerEnv = stack.envFor('id-worker');
for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_TOKEN_CREDENTIALS'] as const) {
  process.env[name] = workerEnv[name];
}
trustCertificate(stack.storage!.caCertPath);
const developer = stack.envFor('developer');
const queues = new QueueServiceClient(
  developer.AZURE_STORAGE_QUEUE_ENDPOINT!,
  createCredential({ clientId: developer.AZURE_CLIENT_ID!, managedIdentityEnvironment: true })
    .credential,
);
let round = 0;

async function measure(concurrency: number, count: number): Promise<number> {
  round += 1;
  const config = loadWorkerConfig(
    {
      ...workerEnv,
      WORKER_CONCURRENCY: String(concurrency),
      WORKER_QUEUE: `bench-${round}-jobs`,
      WORKER_POISON_QUEUE: `bench-${round}-poison`,
      WORKER_RESULTS_CONTAINER: `bench-${round}-results`,
      LOG_LEVEL: 'warn',
    },
    { name: 'worker' },
  );
  const queue = queues.getQueueClient(config.queueName);
  await queue.createIfNotExists();
  // Enqueue first, so that only consumption is timed.
  for (let start = 0; start < count; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, index) =>
        queue.sendMessage(JSON.stringify({ id: `bench-${start + index}`, prompt: 'hello' })),
      ),
    );
  }
  const started = performance.now();
  const clients = createKeylessClients(config.keyless);
  const worker = createWorker(
    config,
    { ...clients, ...createStorageClients(clients) },
    createLogger({ service: 'worker', level: 'warn' }),
    handler,
  );
  await worker.prepare();
  worker.start();
  await worker.whenFinished(count);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop(5000);
  const { outcomes } = worker.stats();
  if (outcomes.completed !== count) {
    throw new Error(`expected ${count} completed jobs, got ${JSON.stringify(outcomes)}`);
  }
  return count / seconds;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  console.log(
    `load average before: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
  await measure(4, 20); // warm-up: token, TLS sessions, JIT
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    serial.push(await measure(1, Math.max(20, Math.round(jobs / 10))));
    parallel.push(await measure(16, jobs));
  }
  console.table([
    {
      concurrency: 1,
      'jobs/s (median)': median(serial).toFixed(1),
      rounds: serial.map((v) => v.toFixed(1)).join(' '),
    },
    {
      concurrency: 16,
      'jobs/s (median)': median(parallel).toFixed(1),
      rounds: parallel.map((v) => v.toFixed(1)).join(' '),
    },
  ]);
  const scaling = median(parallel) / median(serial);
  console.log(
    `scaling ${scaling.toFixed(1)}× with ${modelLatencyMs} ms model latency (goal ≥ 10×): ${scaling >= 10 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `load average after: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await stack.stop();
}
