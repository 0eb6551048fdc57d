/** The api's benchmarks, one function each; run.ts runs them all and prints the table. */
import { existsSync, readFileSync } from 'node:fs';
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

/** One path measured by the throughput scenario. */
export interface PathResult extends LoadResult {
  path: string;
  /** CPU time of the process in front of the emulator per request; absent for the direct path. */
  cpuMsPerRequest?: number;
}

export interface ThroughputResult {
  modelLatencyMs: number;
  /** direct (emulator), floor proxy, SDK floor proxy, the api, the api with telemetry off. */
  paths: PathResult[];
  /** The api over direct: the issue-11 goal. */
  ratio: number;
  /** The floor proxy over direct: the most any Node proxy of the call reaches on this machine. */
  floorRatio: number;
  /** The api over the floor proxy: what the service kit, the SDK and telemetry cost. */
  ratioToFloor: number;
  /** The SDK floor's CPU per request: what the `openai` client costs with nothing around it. */
  sdkFloorCpuMsPerRequest: number;
  /** The api with telemetry over without: the issue-13 goal (within 5 % at 50 ms). */
  telemetryRatio: number;
  /** The api's own CPU time per request: what the hop costs, whatever the machine's load. */
  apiCpuMsPerRequest: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * POST /api/chat through the api against, in the same run and interleaved windows: the same
 * chat call straight to the emulator (same identity's token), two bare proxies of that call (the
 * floor: node:http + undici, nothing else; the SDK floor: node:http + the `openai` client as the
 * api wires it), and the api with telemetry off. Same stack, same load generator (autocannon, its
 * own process).
 */
export async function throughput(
  stack: StackProcess,
  load: LoadProcess,
  options: { modelLatencies: number[]; connections: number; durationS: number },
): Promise<ThroughputResult[]> {
  const direct = await directTarget(stack);
  const env = { ...stack.env, AZURE_OPENAI_MAX_RETRIES: '0' };
  const bareProxy = here('./bare-proxy.ts');
  const processes = [
    {
      path: 'floor proxy (node:http + undici)',
      process: await startApiProcess(env, { main: bareProxy, profileName: 'floor' }),
    },
    {
      path: 'SDK floor (node:http + openai)',
      process: await startApiProcess(
        { ...env, BENCH_PROXY_UPSTREAM: 'sdk' },
        { main: bareProxy, profileName: 'sdk-floor' },
      ),
    },
    {
      path: 'through the api',
      process: await startApiProcess(env, { profileName: 'api-telemetry-on' }),
    },
    {
      path: 'the api, telemetry off',
      process: await startApiProcess(env, { telemetryOff: true, profileName: 'api-telemetry-off' }),
    },
  ];
  const targets = [direct, ...processes.map(({ process }) => apiTarget(process.url))];
  const results: ThroughputResult[] = [];
  try {
    for (const modelLatencyMs of options.modelLatencies) {
      await setLatency(stack, modelLatencyMs);
      // Warm-up: JIT, connection pools, the token cache.
      for (const target of targets) {
        await load.run(target, { connections: options.connections, durationS: 1 });
      }
      for (const { process } of processes) profile(process, 'start');
      const cpuBefore = await Promise.all(processes.map(({ process }) => cpuMsOf(process)));
      const measured = await interleaved(load, targets, {
        connections: options.connections,
        windowS: 1,
        rounds: Math.max(1, options.durationS),
      });
      for (const { process } of processes) profile(process, 'stop');
      const cpuAfter = await Promise.all(processes.map(({ process }) => cpuMsOf(process)));
      const paths: PathResult[] = measured.map((result, index) => {
        if (index === 0) return { path: 'direct (emulator)', ...result };
        const cpu = cpuAfter[index - 1]! - cpuBefore[index - 1]!;
        return {
          path: processes[index - 1]!.path,
          ...result,
          cpuMsPerRequest: cpu / result.requests,
        };
      });
      const [directPath, floorPath, sdkFloorPath, apiPath, offPath] = paths as [
        PathResult,
        PathResult,
        PathResult,
        PathResult,
        PathResult,
      ];
      results.push({
        modelLatencyMs,
        paths,
        ratio: apiPath.perSecond / directPath.perSecond,
        floorRatio: floorPath.perSecond / directPath.perSecond,
        ratioToFloor: apiPath.perSecond / floorPath.perSecond,
        sdkFloorCpuMsPerRequest: sdkFloorPath.cpuMsPerRequest!,
        telemetryRatio: apiPath.perSecond / offPath.perSecond,
        apiCpuMsPerRequest: apiPath.cpuMsPerRequest!,
      });
    }
  } finally {
    await setLatency(stack, 0);
    await Promise.all(processes.map(({ process }) => process.stop()));
  }
  return results;
}

export interface ColdStartResult {
  entry: string;
  runs: number[];
  medianMs: number;
}

/** The Node flags of the image's `CMD ["node", ...flags, "main.mjs"]`, read from the Dockerfile. */
function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const cmd = dockerfile.split('\n').findLast((line) => line.startsWith('CMD '));
  if (!cmd) throw new Error('apps/api/Dockerfile has no CMD line to read the Node flags from.');
  return (JSON.parse(cmd.slice(4)) as string[]).slice(1, -1);
}

/**
 * Process start to the first /readyz 200 (token fetched, endpoint reached), several times:
 * `src/main.ts` as `npm start` runs it, `dist/main.mjs` with the flags the image runs it with.
 */
export async function coldStart(stack: StackProcess, runs: number): Promise<ColdStartResult[]> {
  const entries = [
    { entry: fileURLToPath(new URL('../src/main.ts', import.meta.url)), execArgv: [] },
    {
      entry: fileURLToPath(new URL('../dist/main.mjs', import.meta.url)),
      execArgv: imageNodeFlags(),
    },
  ].filter(({ entry }) => existsSync(entry));
  const results: ColdStartResult[] = [];
  for (const { entry, execArgv } of entries) {
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const api = await startApiProcess(stack.env, { entry, execArgv });
      times.push(api.readyAfterMs);
      await api.stop();
    }
    const sorted = [...times].sort((a, b) => a - b);
    results.push({
      entry: [...execArgv, entry.replace(/^.*apps\/api\//, '')].join(' '),
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
