/**
 * The api's benchmarks on the local stack, each of the stack, the api and the load generator
 * (autocannon) in its own process:
 *   npm run bench -w @keyless/api     (build first for the bundle's cold start: npx nx build @keyless/api)
 * Goals (issue 11): api CPU ≤ 0.3 ms per proxied chat request; throughput ≥ 0.8 of calling the
 * emulator directly at 0 ms model latency and ≥ 0.95 at 50 ms; cold start to /readyz 200 under
 * 1 s; live heap after 10,000 requests within 10 % of after 1,000.
 * BENCH_CONNECTIONS, BENCH_DURATION_S, BENCH_SKIP (comma list: throughput, coldstart, memory),
 * BENCH_API_MAIN (another main.ts, for a baseline) and BENCH_CPU_PROF_DIR (profile the api).
 * The throughput rows, all in the same run: direct to the emulator; a bare node:http + undici proxy
 * (the floor any Node proxy pays); a bare node:http proxy through the `openai` client (the SDK
 * floor, what keeping the SDK costs by itself); the api exporting its telemetry to the stack's receiver, as
 * under `npm start`; the api with OTEL_SDK_DISABLED=true (issue 13: within 5 % at 50 ms).
 */
import { coldStart, memory, throughput } from './scenarios.ts';
import { startLoadProcess } from './load.ts';
import { startStackProcess } from './processes.ts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const durationS = Number(process.env.BENCH_DURATION_S ?? 8);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const ratioGoals: Record<number, number> = { 0: 0.8, 50: 0.95 };

const stack = await startStackProcess(0);
const load = startLoadProcess();
let failed = false;
try {
  if (!skip.has('throughput')) {
    console.log(
      `throughput: POST /api/chat through the api vs the same call straight to the emulator, through two bare proxies (the floor, and the SDK floor) and through the api with telemetry off; autocannon with ${connections} connections, ${durationS} s each in alternating 1 s windows`,
    );
    const throughputs = await throughput(stack, load, {
      modelLatencies: [0, 50],
      connections,
      durationS,
    });
    console.table(
      throughputs.flatMap(({ modelLatencyMs, paths }) =>
        paths.map((result) => ({
          'model latency': `${modelLatencyMs} ms`,
          path: result.path,
          'req/s': result.perSecond.toFixed(0),
          'p50 ms': result.p50Ms.toFixed(1),
          'p99 ms': result.p99Ms.toFixed(1),
          'CPU ms/req': result.cpuMsPerRequest?.toFixed(3) ?? '',
          requests: result.requests,
          'errors+non2xx': result.errors + result.non2xx,
        })),
      ),
    );
    for (const result of throughputs) {
      const { modelLatencyMs: latency, apiCpuMsPerRequest: cpu, ratio } = result;
      const goal = ratioGoals[latency] ?? 0.8;
      console.log(
        `at ${latency} ms model latency: api CPU per request ${cpu.toFixed(3)} ms (goal ≤ 0.3 ms: ${verdict(cpu <= 0.3)}; the SDK floor alone: ${result.sdkFloorCpuMsPerRequest.toFixed(3)} ms); api/direct ${ratio.toFixed(2)} (goal ≥ ${goal}: ${verdict(ratio >= goal)}; the floor proxy reaches ${result.floorRatio.toFixed(2)}); api/floor ${result.ratioToFloor.toFixed(2)}; telemetry on/off ${result.telemetryRatio.toFixed(2)}${latency === 50 ? ` (goal ≥ 0.95: ${verdict(result.telemetryRatio >= 0.95)})` : ''}`,
      );
      failed ||= cpu > 0.3 || ratio < goal || (latency === 50 && result.telemetryRatio < 0.95);
    }
  }

  if (!skip.has('coldstart')) {
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
  }

  if (!skip.has('memory')) {
    const m = await memory(stack, load, connections);
    console.log(
      `memory: live heap ${mb(m.heapAfter1k)} after 1,000 requests, ${mb(m.heapAfter10k)} after 10,000 (${pct(m.heapGrowth)}; goal < 10 %: ${verdict(m.heapGrowth < 0.1)}), ${mb(m.heapAfter20k)} after 20,000 (${pct(m.heapGrowthAfter10k)} over 10,000)`,
    );
    console.log(
      `memory: rss ${mb(m.rssAfter1k)} / ${mb(m.rssAfter10k)} / ${mb(m.rssAfter20k)} (V8 sizes its heap to the allocation rate; not live data)`,
    );
    failed ||= m.heapGrowth >= 0.1;
  }
} finally {
  await load.stop();
  await stack.stop();
}
// Reports the goals without failing: the numbers depend on the machine and its load.
console.log(failed ? 'some goals were not met (see above)' : 'all goals met');
