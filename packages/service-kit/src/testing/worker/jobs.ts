/**
 * The jobs the worker conformance suite sends. The kit's chat job is the default; a worker whose
 * handler is its own (`defineJobHandler`) passes its own, and the suite proves the worker kind's
 * behaviour (one result per job, poison with the reason, retries, leases, drain) with them.
 */

export interface WorkerConformanceJobs {
  /**
   * A job its handler accepts, with this id; `text` is free text that differs between jobs. The
   * handler is expected to call the chat deployment once per job (the suite's model faults,
   * latencies and call counts act on that call).
   */
  valid(id: string, text: string): Record<string, unknown>;
  /** Jobs its handler's schema refuses (at least one), each with its own `id` and part of its poison reason. */
  invalid: readonly [RefusedJob, ...RefusedJob[]];
}

export interface RefusedJob {
  job: Record<string, unknown> & { id: string };
  reason: string;
}

/** Throws when `jobs` could make a check of the suite vacuous, saying what to change. */
export function checkConformanceJobs(jobs: WorkerConformanceJobs): void {
  const text = 'conformance-text-7f3a';
  if (!JSON.stringify(jobs.valid('a-job', text)).includes(text)) {
    throw new Error(
      'jobs.valid(id, text) must put `text` in the job: the worker suite checks that it reaches the model and stays out of the traces.',
    );
  }
  if (jobs.invalid.length === 0 || jobs.invalid.some(({ reason }) => reason.trim() === '')) {
    throw new Error(
      "jobs.invalid needs at least one job the handler's schema refuses, each with part of its poison reason.",
    );
  }
}

/**
 * The kit's chat job (`chatJobHandler`): `{ id, prompt | messages, maxTokens? }`. The suite adds
 * the chat job's own checks when given this very object (the default), not a copy of it.
 */
export const chatJobs: WorkerConformanceJobs = {
  valid: (id, text) => ({ id, prompt: text }),
  invalid: [
    { job: { id: 'no-prompt' }, reason: 'exactly one of `messages` or `prompt`' },
    {
      job: { id: 'bad-role', messages: [{ role: 'robot', content: 'x' }] },
      reason: 'messages.0.role',
    },
  ],
};
