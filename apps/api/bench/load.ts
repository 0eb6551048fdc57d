/** The runner's handle on the load process (load-process.ts). */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadProcess {
  run(
    target: Target,
    options: { connections: number; durationS?: number; amount?: number },
  ): Promise<LoadResult>;
  stop(): Promise<void>;
}

export function startLoadProcess(): LoadProcess {
  const child = fork(fileURLToPath(new URL('./load-process.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    async run(target, options) {
      const reply = once(child, 'message') as Promise<[LoadResult]>;
      child.send({
        ...target,
        connections: options.connections,
        ...(options.amount === undefined
          ? { duration: options.durationS ?? 1 }
          : { amount: options.amount }),
      });
      return (await reply)[0];
    },
    async stop() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/**
 * Targets measured in alternating windows, so that a change in the machine's background load
 * hits all alike (the machine is shared); each result sums its own windows.
 */
export async function interleaved(
  load: LoadProcess,
  targets: readonly Target[],
  options: { connections: number; windowS: number; rounds: number },
): Promise<LoadResult[]> {
  const windows: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [index, target] of targets.entries()) {
      windows[index]!.push(
        await load.run(target, { connections: options.connections, durationS: options.windowS }),
      );
    }
  }
  return windows.map(sum);
}

function sum(results: LoadResult[]): LoadResult {
  const total = (pick: (result: LoadResult) => number) =>
    results.reduce((all, result) => all + pick(result), 0);
  const mean = (pick: (result: LoadResult) => number) => total(pick) / results.length;
  return {
    requests: total((result) => result.requests),
    errors: total((result) => result.errors),
    non2xx: total((result) => result.non2xx),
    perSecond: mean((result) => result.perSecond),
    p50Ms: mean((result) => result.p50Ms),
    p99Ms: mean((result) => result.p99Ms),
  };
}
