/**
 * A closed-loop load generator: `concurrency` callers, each calling again as soon as it is
 * answered, for `durationMs` or until `count` calls have been made.
 */

export interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface LoadOptions {
  concurrency: number;
  durationMs?: number;
  count?: number;
}

interface LoadSample {
  latencies: number[];
  errors: number;
  seconds: number;
}

export async function closedLoop(
  call: () => Promise<void>,
  options: LoadOptions,
): Promise<LoadResult> {
  return summarize(await sample(call, options));
}

/**
 * Two calls measured in alternating windows, so that a change in the machine's background load
 * hits both alike (this machine is shared); each result sums its own windows.
 */
export async function interleaved(
  first: () => Promise<void>,
  second: () => Promise<void>,
  options: { concurrency: number; windowMs: number; rounds: number },
): Promise<[LoadResult, LoadResult]> {
  const totals: [LoadSample, LoadSample] = [
    { latencies: [], errors: 0, seconds: 0 },
    { latencies: [], errors: 0, seconds: 0 },
  ];
  const window = { concurrency: options.concurrency, durationMs: options.windowMs };
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [index, call] of [first, second].entries()) {
      const total = totals[index]!;
      const result = await sample(call, window);
      total.latencies.push(...result.latencies);
      total.errors += result.errors;
      total.seconds += result.seconds;
    }
  }
  return [summarize(totals[0]), summarize(totals[1])];
}

async function sample(call: () => Promise<void>, options: LoadOptions): Promise<LoadSample> {
  const latencies: number[] = [];
  let errors = 0;
  let begun = 0;
  const started = performance.now();
  const deadline = started + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const count = options.count ?? Number.POSITIVE_INFINITY;
  async function caller(): Promise<void> {
    while (performance.now() < deadline && begun < count) {
      begun += 1;
      const before = performance.now();
      try {
        await call();
        latencies.push(performance.now() - before);
      } catch {
        errors += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

function summarize({ latencies, errors, seconds }: LoadSample): LoadResult {
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * quantile))] ??
    Number.NaN;
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
