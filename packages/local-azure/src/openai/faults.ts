import { z } from 'zod';

/** What tests inject: the next `count` data-plane requests fail with a status, hang, or have their connection reset. */
export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.union([z.literal(429), z.literal(500), z.literal(503)]),
    count: z.number().int().min(1),
    retryAfterMs: z.number().int().min(0).optional(),
  }),
  z.strictObject({ kind: z.literal('hang'), count: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('reset'), count: z.number().int().min(1) }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type ActiveFault =
  | { kind: 'status'; status: 429 | 500 | 503; retryAfterMs?: number }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** Injected faults, used in order: each request takes one from the oldest fault still pending. */
export function createFaultQueue() {
  const queue: Fault[] = [];

  function inject(fault: unknown): void {
    const parsed = faultSchema.safeParse(fault);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(fault)'}: ${issue.message}`)
        .join('; ');
      throw new TypeError(
        `Invalid fault (${problems}). Pass { kind: 'status', status: 429 | 500 | 503, count, retryAfterMs? }, { kind: 'hang', count } or { kind: 'reset', count }.`,
      );
    }
    queue.push({ ...parsed.data });
  }

  function take(): ActiveFault | undefined {
    const fault = queue[0];
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count === 0) queue.shift();
    if (fault.kind === 'status') {
      return {
        kind: 'status',
        status: fault.status,
        ...(fault.retryAfterMs === undefined ? {} : { retryAfterMs: fault.retryAfterMs }),
      };
    }
    return { kind: fault.kind };
  }

  function clear(): void {
    queue.length = 0;
  }

  function pending(): Fault[] {
    return queue.map((fault) => ({ ...fault }));
  }

  return { inject, take, clear, pending };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;
