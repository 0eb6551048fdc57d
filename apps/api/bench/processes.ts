/** Starting the stack and the api as child processes for the benchmarks. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface StackProcess {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStackProcess(fixedMs: number): Promise<StackProcess> {
  const child = fork(here('./stack-process.ts'), [String(fixedMs)], { stdio: 'inherit' });
  const [message] = (await once(child, 'message')) as [{ env: Record<string, string> }];
  return {
    env: message.env,
    async stop() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  /** The process's entry: api-process.ts (IPC hooks, then the api) unless a cold start says. */
  entry?: string;
  execArgv?: string[];
  /** The module api-process.ts runs: the api's main.ts unless BENCH_API_MAIN or this says. */
  main?: string;
  /** Telemetry off in this process (OTEL_SDK_DISABLED=true). */
  telemetryOff?: boolean;
  /** Names its CPU profile in BENCH_CPU_PROF_DIR (`<name>-<time>.cpuprofile`). */
  profileName?: string;
}

/** Starts the api (or another main) and resolves once /readyz answers 200. */
export async function startApiProcess(
  env: Record<string, string>,
  options: ApiProcessOptions = {},
): Promise<ApiProcess & { readyAfterMs: number }> {
  const { entry = here('./api-process.ts'), execArgv = ['--expose-gc'] } = options;
  const port = await freePort();
  const started = performance.now();
  const { BENCH_CPU_PROF_DIR, OTEL_SDK_DISABLED } = process.env;
  const main = options.main ?? process.env.BENCH_API_MAIN;
  const telemetryOff = options.telemetryOff ? 'true' : OTEL_SDK_DISABLED;
  const child = fork(entry, [], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(main ? { BENCH_API_MAIN: main } : {}),
      ...(BENCH_CPU_PROF_DIR ? { BENCH_CPU_PROF_DIR } : {}),
      ...(options.profileName ? { BENCH_PROFILE_NAME: options.profileName } : {}),
      ...(telemetryOff ? { OTEL_SDK_DISABLED: telemetryOff } : {}),
    },
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the api exited before /readyz answered 200 (${entry})`);
    const status = await fetch(`${url}/readyz`)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyAfterMs = performance.now() - started;
  return {
    child,
    url,
    readyAfterMs,
    async stop() {
      if (exited) return;
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      await exit;
    },
  };
}

export async function memoryOf(api: ApiProcess): Promise<NodeJS.MemoryUsage> {
  const reply = once(api.child, 'message') as Promise<[{ memory: NodeJS.MemoryUsage }]>;
  api.child.send('memory');
  return (await reply)[0].memory;
}

/** CPU time (user + system) the api has used so far, in milliseconds. */
export async function cpuMsOf(api: ApiProcess): Promise<number> {
  const reply = once(api.child, 'message') as Promise<[{ cpu: NodeJS.CpuUsage }]>;
  api.child.send('cpu');
  const { cpu } = (await reply)[0];
  return (cpu.user + cpu.system) / 1000;
}

/** Starts or stops the api's CPU profile of the measured window (BENCH_CPU_PROF_DIR). */
export function profile(api: ApiProcess, action: 'start' | 'stop'): void {
  api.child.send(`profile-${action}`);
}
