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

export async function closedLoop(
  call: () => Promise<void>,
  options: { concurrency: number; durationMs?: number; count?: number },
): Promise<LoadResult> {
  let begun = 0;
  const latencies: number[] = [];
  let errors = 0;
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
  const seconds = (performance.now() - started) / 1000;
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
