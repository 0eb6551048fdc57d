/** The api's benchmarks, one function each; run.ts runs them all and prints the table. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKeylessClients, loadConfig } from '@keyless/auth';
import { interleaved } from './load.ts';
import type { LoadProcess, LoadResult, Target } from './load.ts';
import { cpuMsOf, memoryOf, profile, startApiProcess } from './processes.ts';
import type { StackProcess } from './processes.ts';

const messages = [{ role: 'user' as const, content: 'Hello there' }];

function apiTarget(url: string): Target {
  return {
    url: `${url}/api/chat`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  };
}

/** The same chat call straight to the emulator, with a token of the same identity. */
async function directTarget(stack: StackProcess): Promise<Target> {
  // This process asks for the token: its credential must use the stack's identity endpoint.
  process.env.IDENTITY_ENDPOINT = stack.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = stack.env.IDENTITY_HEADER;
  const config = loadConfig(stack.env);
  const { credential } = createKeylessClients(config);
  const token = await credential.getToken(config.openai.scope);
  if (!token) throw new Error('no token for the direct baseline');
  return {
    url: `${config.openai.endpoint}/openai/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
    body: JSON.stringify({ model: config.openai.chatDeployment, messages }),
  };
}

async function setLatency(stack: StackProcess, fixedMs: number): Promise<void> {
  const response = await fetch(`${stack.env.AZURE_OPENAI_ENDPOINT}/_emulator/latency`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fixedMs, perTokenMs: 0 }),
  });
  if (!response.ok) throw new Error(`setting the emulator latency failed: ${response.status}`);
}

export interface ThroughputResult {
  modelLatencyMs: number;
  direct: LoadResult;
  api: LoadResult;
  ratio: number;
  /** The api's own CPU time per request: what the hop costs, whatever the machine's load. */
  apiCpuMsPerRequest: number;
}

/**
 * POST /api/chat through the api vs the same chat call sent straight to the emulator (same
 * identity's token), same stack, same run, same load generator (autocannon, its own process).
 */
export async function throughput(
  stack: StackProcess,
  load: LoadProcess,
  options: { modelLatencies: number[]; connections: number; durationS: number },
): Promise<ThroughputResult[]> {
  const direct = await directTarget(stack);
  const api = await startApiProcess({ ...stack.env, AZURE_OPENAI_MAX_RETRIES: '0' });
  const viaApi = apiTarget(api.url);
  const results: ThroughputResult[] = [];
  try {
    for (const modelLatencyMs of options.modelLatencies) {
      await setLatency(stack, modelLatencyMs);
      // Warm-up: JIT, connection pools, the token cache.
      await load.run(direct, { connections: options.connections, durationS: 1 });
      await load.run(viaApi, { connections: options.connections, durationS: 1 });
      profile(api, 'start');
      const cpuBefore = await cpuMsOf(api);
      const [directResult, apiResult] = await interleaved(load, direct, viaApi, {
        connections: options.connections,
        windowS: 1,
        rounds: Math.max(1, options.durationS),
      });
      profile(api, 'stop');
      results.push({
        modelLatencyMs,
        direct: directResult,
        api: apiResult,
        ratio: apiResult.perSecond / directResult.perSecond,
        apiCpuMsPerRequest: ((await cpuMsOf(api)) - cpuBefore) / apiResult.requests,
      });
    }
  } finally {
    await setLatency(stack, 0);
    await api.stop();
  }
  return results;
}

export interface ColdStartResult {
  entry: string;
  runs: number[];
  medianMs: number;
}

/** Process start to the first /readyz 200 (token fetched, endpoint reached), several times. */
export async function coldStart(stack: StackProcess, runs: number): Promise<ColdStartResult[]> {
  const entries = [
    fileURLToPath(new URL('../src/main.ts', import.meta.url)),
    fileURLToPath(new URL('../dist/main.js', import.meta.url)),
  ].filter((entry) => existsSync(entry));
  const results: ColdStartResult[] = [];
  for (const entry of entries) {
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const api = await startApiProcess(stack.env, entry, []);
      times.push(api.readyAfterMs);
      await api.stop();
    }
    const sorted = [...times].sort((a, b) => a - b);
    results.push({
      entry: entry.replace(/^.*apps\/api\//, ''),
      runs: times,
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
    });
  }
  return results;
}

export interface MemoryResult {
  heapAfter1k: number;
  heapAfter10k: number;
  heapAfter20k: number;
  rssAfter1k: number;
  rssAfter10k: number;
  rssAfter20k: number;
  /** 10,000 vs 1,000 requests: the goal. */
  heapGrowth: number;
  /** 20,000 vs 10,000: whether growth continues (a leak) or has levelled off (warm-up). */
  heapGrowthAfter10k: number;
  rssGrowth: number;
}

/** Live heap (after a full GC) and RSS of the api after 1,000, 10,000 and 20,000 requests. */
export async function memory(
  stack: StackProcess,
  load: LoadProcess,
  connections: number,
): Promise<MemoryResult> {
  const api = await startApiProcess(stack.env);
  try {
    const target = apiTarget(api.url);
    await load.run(target, { connections, amount: 1_000 });
    const after1k = await memoryOf(api);
    await load.run(target, { connections, amount: 9_000 });
    const after10k = await memoryOf(api);
    await load.run(target, { connections, amount: 10_000 });
    const after20k = await memoryOf(api);
    return {
      heapAfter1k: after1k.heapUsed,
      heapAfter10k: after10k.heapUsed,
      heapAfter20k: after20k.heapUsed,
      rssAfter1k: after1k.rss,
      rssAfter10k: after10k.rss,
      rssAfter20k: after20k.rss,
      heapGrowth: after10k.heapUsed / after1k.heapUsed - 1,
      heapGrowthAfter10k: after20k.heapUsed / after10k.heapUsed - 1,
      rssGrowth: after10k.rss / after1k.rss - 1,
    };
  } finally {
    await api.stop();
  }
}
