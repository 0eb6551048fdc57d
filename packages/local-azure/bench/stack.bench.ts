// `npm run bench -w @keyless/local-azure`: start-up time and memory of the whole local stack,
// and the emulator's requests/s for non-streaming chat and non-streaming Responses (same run,
// same client, zero simulated latency), with their ratio.
// Prints numbers; not a test. Client and servers share this process (and the machine's cores).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getBearerTokenProvider, ManagedIdentityCredential } from '@azure/identity';
import OpenAI from 'openai';
import { startLocalAzure } from '../src/index.ts';

const startRuns = Number(process.env['BENCH_START_RUNS'] ?? 5);
const requests = Number(process.env['BENCH_REQUESTS'] ?? 3000);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(0)} ms`;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function startup(): Promise<void> {
  const times: number[] = [];
  let memory = { self: 0, azurite: 0, processes: 0 };
  for (let run = 0; run < startRuns; run += 1) {
    const started = performance.now();
    const stack = await startLocalAzure({ ports: 'free' });
    times.push(performance.now() - started);
    const azuritePids = stack.storage?.pids ?? [];
    memory = {
      self: process.memoryUsage.rss(),
      azurite: azuritePids.reduce((sum, pid) => sum + rssOf(pid), 0),
      processes: azuritePids.length,
    };
    await stack.stop();
  }
  const withoutStorage: number[] = [];
  for (let run = 0; run < startRuns; run += 1) {
    const started = performance.now();
    const stack = await startLocalAzure({ ports: 'free', storage: false });
    withoutStorage.push(performance.now() - started);
    await stack.stop();
  }
  withoutStorage.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  console.log(
    `load average before: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  console.log(
    `stack start-up (identity endpoint + OpenAI emulator + Azurite blob/queue, ${startRuns} runs):`,
  );
  console.log(
    `  median ${ms(percentile(times, 50))}, min ${ms(times[0] ?? 0)}, max ${ms(times.at(-1) ?? 0)}`,
  );
  console.log(
    `  without Azurite (identity + emulator only): median ${ms(percentile(withoutStorage, 50))}`,
  );
  console.log(
    `  memory (RSS): this process (identity + emulator) ${mb(memory.self)}, Azurite ${mb(memory.azurite)} (${memory.processes} process), total ${mb(memory.self + memory.azurite)}`,
  );
}

/** Requests/s and latency percentiles of `call` at the configured concurrency, after a warm-up. */
async function measure(
  call: () => Promise<unknown>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  for (let i = 0; i < 200; i += 1) await call(); // warm-up: JIT, token cache, keep-alive sockets
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const sent = performance.now();
        await call();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function throughput(): Promise<void> {
  const stack = await startLocalAzure({
    ports: 'free',
    storage: false,
    latency: { fixedMs: 0, perTokenMs: 0 },
  });
  try {
    process.env['IDENTITY_ENDPOINT'] = stack.identity.url;
    process.env['IDENTITY_HEADER'] = stack.identity.header;
    const developer = stack.envFor('developer');
    const credential = new ManagedIdentityCredential({ clientId: developer['AZURE_CLIENT_ID']! });
    const client = new OpenAI({
      baseURL: `${stack.openai.url}/openai/v1/`,
      apiKey: getBearerTokenProvider(credential, 'https://ai.azure.com/.default'),
      maxRetries: 0,
    });
    const model = developer['AZURE_OPENAI_CHAT_DEPLOYMENT']!;
    const prompt = 'Hello, how fast are you?';
    const chat = await measure(() =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] }),
    );
    const responses = await measure(() => client.responses.create({ model, input: prompt }));
    console.log(
      `emulator, non-streaming calls via the openai SDK (v1 API, bearer token), zero latency, ${requests} requests each, concurrency ${concurrency}:`,
    );
    for (const [name, result] of [
      ['chat completions', chat],
      ['Responses       ', responses],
    ] as const) {
      console.log(
        `  ${name}: ${result.perSecond.toFixed(0)} requests/s; latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
      );
    }
    console.log(
      `  Responses / chat completions: ${(responses.perSecond / chat.perSecond).toFixed(2)}x; token requests ${stack.identity.tokenRequests}`,
    );
  } finally {
    await stack.stop();
  }
}

await startup();
await throughput();
