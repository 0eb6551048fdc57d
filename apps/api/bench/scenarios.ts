/** The api's benchmarks, one function each; run.ts runs them all and prints the table. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKeylessClients, loadConfig } from '@keyless/auth';
import { closedLoop, interleaved } from './load.ts';
import type { LoadResult } from './load.ts';
import { cpuMsOf, memoryOf, startApiProcess } from './processes.ts';
import type { StackProcess } from './processes.ts';

const messages = [{ role: 'user' as const, content: 'Hello there' }];
const chatBody = JSON.stringify({ messages });

function callApi(url: string): () => Promise<void> {
  return async () => {
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody,
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`status ${response.status}`);
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
 * POST /api/chat through the api vs the same chat call made directly with the openai SDK
 * (keyless, same token source), same stack, same run, same load generator.
 */
export async function throughput(
  stack: StackProcess,
  options: { modelLatencies: number[]; concurrency: number; durationMs: number },
): Promise<ThroughputResult[]> {
  // This process calls the emulator directly too: its credential must use the stack's endpoint.
  process.env.IDENTITY_ENDPOINT = stack.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = stack.env.IDENTITY_HEADER;
  const config = loadConfig({ ...stack.env, AZURE_OPENAI_MAX_RETRIES: '0' });
  const { openai } = createKeylessClients(config);
  const direct = async () => {
    await openai.chat.completions.create({ model: config.openai.chatDeployment, messages });
  };
  const api = await startApiProcess({ ...stack.env, AZURE_OPENAI_MAX_RETRIES: '0' });
  const viaApi = callApi(api.url);
  const results: ThroughputResult[] = [];
  try {
    for (const modelLatencyMs of options.modelLatencies) {
      await setLatency(stack, modelLatencyMs);
      const load = { concurrency: options.concurrency, durationMs: 1_000 };
      await closedLoop(direct, load);
      await closedLoop(viaApi, load);
      const cpuBefore = await cpuMsOf(api);
      const [directResult, apiResult] = await interleaved(direct, viaApi, {
        concurrency: options.concurrency,
        windowMs: 1_000,
        rounds: Math.max(1, Math.round(options.durationMs / 1_000)),
      });
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
export async function memory(stack: StackProcess, concurrency: number): Promise<MemoryResult> {
  const api = await startApiProcess(stack.env);
  try {
    const call = callApi(api.url);
    await closedLoop(call, { concurrency, count: 1_000 });
    const after1k = await memoryOf(api);
    await closedLoop(call, { concurrency, count: 9_000 });
    const after10k = await memoryOf(api);
    await closedLoop(call, { concurrency, count: 10_000 });
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
