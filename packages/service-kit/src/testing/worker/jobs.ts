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
  /** Jobs its handler's schema refuses, each with its own `id` and a part of the poison reason. */
  invalid: readonly { job: Record<string, unknown> & { id: string }; reason: string }[];
}

/** The kit's chat job (`chatJobHandler`): `{ id, prompt | messages, maxTokens? }`. */
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
