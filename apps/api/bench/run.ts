/**
 * The api's benchmarks on the local stack (each of stack, api and load generator in its own
 * process):
 *   npm run bench -w apps/api          (build first for the bundle's cold start: npx nx build @keyless/api)
 * Goals: api throughput ≥ 0.8 of calling the emulator directly; cold start to /readyz 200
 * under 1 s; live heap after 10,000 requests within 10 % of after 1,000.
 */
import { coldStart, memory, throughput } from './scenarios.ts';
import { startStackProcess } from './processes.ts';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

const stack = await startStackProcess(0);
let failed = false;
try {
  console.log(
    `throughput: POST /api/chat vs openai SDK direct, concurrency ${concurrency}, ${durationMs} ms each in alternating 1 s windows`,
  );
  const throughputs = await throughput(stack, { modelLatencies: [0, 50], concurrency, durationMs });
  console.table(
    throughputs.flatMap(({ modelLatencyMs, direct, api }) =>
      [
        ['direct (openai SDK)', direct],
        ['through the api', api],
      ].map(([path, result]) => {
        const r = result as typeof direct;
        return {
          'model latency': `${modelLatencyMs} ms`,
          path,
          'req/s': r.perSecond.toFixed(0),
          'p50 ms': r.p50Ms.toFixed(1),
          'p99 ms': r.p99Ms.toFixed(1),
          errors: r.errors,
        };
      }),
    ),
  );
  for (const { modelLatencyMs, apiCpuMsPerRequest } of throughputs) {
    console.log(
      `api CPU per request at ${modelLatencyMs} ms model latency: ${apiCpuMsPerRequest.toFixed(2)} ms`,
    );
  }
  for (const { modelLatencyMs, ratio } of throughputs) {
    console.log(
      `ratio at ${modelLatencyMs} ms model latency: ${ratio.toFixed(2)} (goal ≥ 0.8: ${verdict(ratio >= 0.8)})`,
    );
  }
  failed ||= throughputs.some((result) => result.ratio < 0.8);

  const starts = await coldStart(stack, 5);
  console.table(
    starts.map((start) => ({
      entry: start.entry,
      'median ms': start.medianMs.toFixed(0),
      runs: start.runs.map((ms) => ms.toFixed(0)).join(' '),
    })),
  );
  for (const start of starts) {
    console.log(
      `cold start ${start.entry}: ${start.medianMs.toFixed(0)} ms (goal < 1000 ms: ${verdict(start.medianMs < 1000)})`,
    );
  }
  failed ||= starts.some((start) => start.medianMs >= 1000);

  const memoryResult = await memory(stack, concurrency);
  const m = memoryResult;
  console.log(
    `memory: live heap ${mb(m.heapAfter1k)} after 1,000 requests, ${mb(m.heapAfter10k)} after 10,000 (${pct(m.heapGrowth)}; goal < 10 %: ${verdict(m.heapGrowth < 0.1)}), ${mb(m.heapAfter20k)} after 20,000 (${pct(m.heapGrowthAfter10k)} over 10,000)`,
  );
  console.log(
    `memory: rss ${mb(m.rssAfter1k)} / ${mb(m.rssAfter10k)} / ${mb(m.rssAfter20k)} (V8 sizes its heap to the allocation rate; not live data)`,
  );
  failed ||= memoryResult.heapGrowth >= 0.1;
} finally {
  await stack.stop();
}
// Reports the goals without failing: the numbers depend on the machine and its load.
console.log(failed ? 'some goals were not met (see above)' : 'all goals met');
