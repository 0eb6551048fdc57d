/**
 * Worker throughput at concurrency 1 vs 16, with the emulator answering after a fixed 50 ms
 * (a stand-in for model latency), on the local stack with real Azurite.
 *   npm run bench -w apps/worker            (or: node apps/worker/bench/scaling.ts [jobs])
 * Goal: ≥ 10× the jobs/s at concurrency 16.
 */
import { performance } from 'node:perf_hooks';
import { startWorkerStack } from '../test/local-stack.ts';

const jobs = Number(process.argv[2] ?? 200);
const modelLatencyMs = 50;

const stack = await startWorkerStack();
stack.local.openai.setLatency({ fixedMs: modelLatencyMs });

async function measure(concurrency: number, count: number): Promise<number> {
  const env = stack.workerEnv({ WORKER_CONCURRENCY: String(concurrency), LOG_LEVEL: 'warn' });
  const bodies = Array.from({ length: count }, (_, index) => ({
    id: `bench-${concurrency}-${index}`,
    prompt: 'hello',
  }));
  // Enqueue first, so that only consumption is timed.
  for (let start = 0; start < bodies.length; start += 50) {
    await stack.enqueue(env.WORKER_QUEUE!, bodies.slice(start, start + 50));
  }
  const started = performance.now();
  const { worker } = await stack.startWorker(env);
  await worker.whenFinished(count);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop(5000);
  const { outcomes } = worker.stats();
  if (outcomes.completed !== count)
    throw new Error(`expected ${count} completed jobs, got ${JSON.stringify(outcomes)}`);
  return count / seconds;
}

try {
  // Warm-up: token, TLS, JIT.
  await measure(4, 20);
  const serial = await measure(1, Math.max(20, Math.round(jobs / 8)));
  const parallel = await measure(16, jobs);
  const rows = [
    { concurrency: 1, 'jobs/s': serial.toFixed(1) },
    { concurrency: 16, 'jobs/s': parallel.toFixed(1) },
  ];
  console.table(rows);
  const scaling = parallel / serial;
  console.log(
    `scaling ${scaling.toFixed(1)}× with ${modelLatencyMs} ms model latency (goal ≥ 10×): ${scaling >= 10 ? 'met' : 'NOT met'}`,
  );
  process.exitCode = scaling >= 10 ? 0 : 1;
} finally {
  await stack.stop();
}
