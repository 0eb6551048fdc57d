import { describe, expect, it } from 'vitest';
import { createReadiness } from './readiness.ts';
import type { ReadinessReport } from './readiness.ts';

const ready: ReadinessReport = { ok: true, checks: [{ name: 'token', ok: true }] };
const notReady: ReadinessReport = {
  ok: false,
  checks: [{ name: 'token', ok: false, reason: 'identity endpoint down' }],
};

function countingCheck(reports: ReadinessReport[]) {
  const calls: number[] = [];
  const check = (timeoutMs: number) => {
    calls.push(timeoutMs);
    return Promise.resolve(reports[Math.min(calls.length - 1, reports.length - 1)]!);
  };
  return { check, calls };
}

describe('createReadiness', () => {
  it('reuses a success until the cache time has passed', async () => {
    let now = 1_000;
    const { check, calls } = countingCheck([ready]);
    const readiness = createReadiness(check, { timeoutMs: 250, cacheMs: 5_000, now: () => now });
    await readiness.check();
    now += 4_999;
    await readiness.check();
    expect(calls).toEqual([250]);
    now += 1;
    await readiness.check();
    expect(calls).toEqual([250, 250]);
  });

  it('does not cache a failure, so the replica turns ready as soon as the cause is fixed', async () => {
    const { check, calls } = countingCheck([notReady, ready]);
    const readiness = createReadiness(check, { timeoutMs: 100, cacheMs: 5_000, now: () => 0 });
    expect((await readiness.check()).ok).toBe(false);
    expect((await readiness.check()).ok).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('shares one check between probes that arrive together', async () => {
    const { check, calls } = countingCheck([ready]);
    const readiness = createReadiness(check, { timeoutMs: 100, cacheMs: 0, now: () => 0 });
    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    expect(calls).toHaveLength(1);
  });

  it('reports a check that throws as not ready, with its message', async () => {
    const readiness = createReadiness(() => Promise.reject(new Error('boom')), {
      timeoutMs: 100,
      cacheMs: 0,
    });
    expect(await readiness.check()).toEqual({
      ok: false,
      checks: [{ name: 'readiness', ok: false, reason: 'boom' }],
    });
  });
});
