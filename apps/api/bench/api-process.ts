/**
 * The api's entry point for benchmarks: main.ts as is, plus IPC hooks that report its CPU time,
 * run a full GC and report memory (so the memory benchmark measures live heap rather than
 * garbage), and profile the CPU over the measured window only (start-up left out) into
 * BENCH_CPU_PROF_DIR. Run with `node --expose-gc bench/api-process.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const profileDir = process.env.BENCH_CPU_PROF_DIR;
let session: Session | undefined;

process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'profile-start' && profileDir) void startProfile();
  if (message === 'profile-stop' && profileDir) void stopProfile(profileDir);
  if (message !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ memory: process.memoryUsage() });
});

async function startProfile(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}

async function stopProfile(dir: string): Promise<void> {
  if (!session) return;
  const { profile } = await session.post('Profiler.stop');
  const name = process.env.BENCH_PROFILE_NAME ?? 'api';
  // Made here rather than required beforehand: a missing folder would lose the run's profiles.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
  session = undefined;
}

// BENCH_API_MAIN measures another build of the api (a baseline) under the same harness.
await import(process.env.BENCH_API_MAIN ?? '../src/main.ts');
