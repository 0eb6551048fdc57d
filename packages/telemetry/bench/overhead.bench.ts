/**
 * What telemetry costs an http service: requests/s and CPU per request of the same Express
 * service with telemetry on (spans and metrics exported to an OTLP receiver) and off
 * (OTEL_SDK_DISABLED=true), at 50 ms model latency. Each runs in its own process; the load
 * alternates between them in 1 s windows so both see the same machine.
 *   npm run bench -w packages/telemetry
 * Goal: throughput with telemetry on within 5 % of off.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startOtlpReceiver } from '../src/receiver/index.ts';

const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const durationMs = Number(process.env['BENCH_DURATION_MS'] ?? 8_000);
const receiver = await startOtlpReceiver();

/** A closed loop of `concurrency` callers for `ms`; counts answered and failed requests. */
async function load(port: number, ms: number): Promise<{ requests: number; errors: number }> {
  const until = performance.now() + ms;
  const counts = { requests: 0, errors: 0 };
  const caller = async (): Promise<void> => {
    while (performance.now() < until) {
      const response = await fetch(`http://127.0.0.1:${port}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.ok) counts.requests += 1;
      else counts.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return counts;
}

interface Service {
  child: ChildProcess;
  port: number;
  next: () => Promise<Record<string, number>>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, [new URL('./server.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      BENCH_MODEL_LATENCY_MS: '50',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () =>
    JSON.parse((await lines.next()).value as string) as Record<string, number>;
  return { child, port: (await next())['port']!, next };
}

const services = {
  off: await startService({ OTEL_SDK_DISABLED: 'true' }),
  on: await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
};
const totals = { off: { requests: 0, ms: 0, errors: 0 }, on: { requests: 0, ms: 0, errors: 0 } };
const cpuAtStart = {
  off: (services.off.child.stdin!.write('\n'), await services.off.next())['cpuMs']!,
  on: (services.on.child.stdin!.write('\n'), await services.on.next())['cpuMs']!,
};
for (let elapsed = 0; elapsed < durationMs; elapsed += 1000) {
  for (const mode of ['off', 'on'] as const) {
    const result = await load(services[mode].port, 1000);
    totals[mode].requests += result.requests;
    totals[mode].errors += result.errors;
    totals[mode].ms += 1000;
  }
}
const rows = [];
for (const mode of ['off', 'on'] as const) {
  services[mode].child.stdin!.write('\n');
  const cpuMs = (await services[mode].next())['cpuMs']! - cpuAtStart[mode];
  rows.push({
    telemetry: mode,
    'req/s': (totals[mode].requests / (totals[mode].ms / 1000)).toFixed(0),
    'CPU ms/request': (cpuMs / totals[mode].requests).toFixed(3),
    requests: totals[mode].requests,
    errors: totals[mode].errors,
  });
  services[mode].child.kill('SIGTERM');
}
console.log(
  `telemetry overhead: POST /api/chat at 50 ms model latency, concurrency ${concurrency}, ${durationMs} ms each in alternating 1 s windows`,
);
console.table(rows);
const ratio = totals.on.requests / totals.off.requests;
console.log(
  `throughput on/off: ${ratio.toFixed(3)} (goal ≥ 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'})`,
);
console.log(`spans received: ${receiver.spans.length}`);
await receiver.close();
process.exitCode = ratio >= 0.95 ? 0 : 1;
