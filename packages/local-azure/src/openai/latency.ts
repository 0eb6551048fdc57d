import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Latency } from './options.ts';

export const latencySchema = z.strictObject({
  fixedMs: z.number().min(0).optional(),
  perTokenMs: z.number().min(0).optional(),
});

export function parseLatency(value: unknown): Required<Latency> {
  const parsed = latencySchema.safeParse(value);
  if (!parsed.success) {
    throw new TypeError(
      `Invalid latency (${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(latency)'}: ${issue.message}`).join('; ')}). Pass { fixedMs?: number >= 0, perTokenMs?: number >= 0 }.`,
    );
  }
  return { fixedMs: parsed.data.fixedMs ?? 0, perTokenMs: parsed.data.perTokenMs ?? 0 };
}

/**
 * Waits `ms` (no timer at all for 0, so a zero-latency emulator answers at full speed); a client
 * that hangs up ends the wait early, so no timer outlives its request.
 */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') throw error;
  });
}

/** Aborts when the client goes away before the answer is complete. */
export function hangUp(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
