/**
 * The api's entry point for benchmarks: main.ts as is, plus an IPC hook that runs a full GC and
 * reports memory (so the memory benchmark measures live heap rather than garbage), and reports
 * its CPU time. Run with
 * `node --expose-gc bench/api-process.ts`.
 */
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ memory: process.memoryUsage() });
});

await import('../src/main.ts');
