import type { QueueClient } from '@azure/storage-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@keyless/logging';
import { untraced } from '@keyless/telemetry';
import type { Outcome, QueueMessage } from './processor.ts';

export interface WorkerLoopOptions {
  queue: QueueClient;
  processMessage: (message: QueueMessage, shutdown: AbortSignal) => Promise<Outcome>;
  logger: Logger;
  concurrency: number;
  visibilityTimeoutSeconds: number;
  pollIntervalMs: number;
}

export interface WorkerStats {
  inFlight: number;
  buffered: number;
  received: number;
  outcomes: Record<Outcome, number>;
}

export interface WorkerLoop {
  start(): void;
  /** Stops receiving, waits up to `timeoutMs` for in-flight jobs, then hands the rest back. */
  stop(timeoutMs: number): Promise<{ drained: boolean; handedBack: number }>;
  /** Why the worker is not ready, or undefined when it is. */
  notReadyReason(): string | undefined;
  stats(): WorkerStats;
  /** Resolves when the number of finished attempts reaches `count` (for tests and benchmarks). */
  whenFinished(count: number): Promise<void>;
}

// The Queue service hands out at most 32 messages per receive.
const maxBatch = 32;
// After the drain deadline, how long aborted jobs get to hand their messages back.
const handBackTimeoutMs = 5000;
interface Buffered extends QueueMessage {
  /** Local time by which the message must be started (our clock, not the server's: no skew). */
  startBy: number;
}

/**
 * Receives messages and runs at most `concurrency` jobs at a time. A small buffer (up to
 * `concurrency` more messages) is kept full ahead of the jobs, so a finished job's slot is
 * refilled at once instead of after a receive round trip.
 */
export function createWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const { queue, logger, concurrency } = options;
  const prefetch = Math.min(maxBatch, concurrency);
  const inFlight = new Set<Promise<void>>();
  const buffer: Buffered[] = [];
  const stopping = new AbortController();
  const shutdown = new AbortController();
  const outcomes: Record<Outcome, number> = {
    completed: 0,
    duplicate: 0,
    poisoned: 0,
    retry: 0,
    abandoned: 0,
  };
  let received = 0;
  let finished = 0;
  let loop: Promise<void> | undefined;
  let lastPollError: string | undefined = 'no receive from the queue has succeeded yet';
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  // Wakes the receive loop when a slot frees up.
  let wake: (() => void) | undefined;

  function settle(outcome: Outcome): void {
    outcomes[outcome] += 1;
    finished += 1;
    for (const waiter of waiters.filter((w) => finished >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  function startJobs(): void {
    while (inFlight.size < concurrency && !stopping.signal.aborted) {
      const message = buffer.shift();
      if (!message) break;
      if (Date.now() > message.startBy) {
        logger.debug(
          { messageId: message.messageId },
          'buffered message about to reappear; skipped',
        );
        continue;
      }
      const task = options
        .processMessage(message, shutdown.signal)
        .then(settle, (error: unknown) => {
          // processMessage handles its own failures; this is a bug, but must not kill the loop.
          logger.error(
            { err: error, messageId: message.messageId },
            'unexpected error processing a message',
          );
          settle('retry');
        })
        .finally(() => {
          inFlight.delete(task);
          startJobs();
          wake?.();
        });
      inFlight.add(task);
    }
  }

  function room(): number {
    return concurrency + prefetch - inFlight.size - buffer.length;
  }

  async function waitForRoom(): Promise<void> {
    await new Promise<void>((resolve) => {
      wake = resolve;
      stopping.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    wake = undefined;
  }

  async function pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  }

  async function run(): Promise<void> {
    let idlePolls = 0;
    let failedPolls = 0;
    while (!stopping.signal.aborted) {
      if (room() <= 0) {
        await waitForRoom();
        continue;
      }
      let messages: Buffered[];
      // A buffered message left for the last quarter of its invisibility is left for whoever
      // takes it next: it may reappear before our lease on it starts renewing.
      const startBy = Date.now() + options.visibilityTimeoutSeconds * 750;
      try {
        // The receive is never traced, whether or not it brings messages: an idle worker polls
        // about every second, and each poll would be a trace of its own (in Application Insights,
        // one paid for). A job's trace starts from its message instead (`process <queue>`,
        // continuing the message's `traceparent`), and everything the job does is in it. A failed
        // receive is still logged below and named by /readyz.
        const response = await untraced(() =>
          queue.receiveMessages({
            numberOfMessages: Math.min(maxBatch, room()),
            visibilityTimeout: options.visibilityTimeoutSeconds,
          }),
        );
        messages = response.receivedMessageItems.map((message) => ({ ...message, startBy }));
        lastPollError = undefined;
        failedPolls = 0;
      } catch (error) {
        failedPolls += 1;
        lastPollError = `cannot receive from the queue: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        logger.error({ err: error, failedPolls }, 'could not receive from the queue; retrying');
        await pause(Math.min(30_000, 250 * 2 ** Math.min(failedPolls, 7)));
        continue;
      }
      received += messages.length;
      buffer.push(...messages);
      if (stopping.signal.aborted) break;
      startJobs();
      if (messages.length === 0) {
        // An empty queue: back off towards the poll interval to keep idle cost down.
        idlePolls += 1;
        await pause(Math.min(options.pollIntervalMs, 25 * 2 ** Math.min(idlePolls, 10)));
      } else {
        idlePolls = 0;
      }
    }
  }

  /** Received but never started: make them visible again at once for another replica. */
  async function releaseBuffered(): Promise<void> {
    const unstarted = buffer.splice(0);
    await Promise.allSettled(
      unstarted.map((message) =>
        queue.updateMessage(message.messageId, message.popReceipt, undefined, 0),
      ),
    );
  }

  return {
    start() {
      if (loop) return;
      logger.info({ concurrency }, 'worker started');
      loop = run();
    },
    async stop(timeoutMs) {
      stopping.abort();
      await loop;
      await releaseBuffered();
      const pending = [...inFlight];
      logger.info({ inFlight: pending.length, timeoutMs }, 'draining in-flight jobs');
      const drained = await Promise.race([
        Promise.allSettled(pending).then(() => true),
        sleep(timeoutMs, false, { ref: false }),
      ]);
      const handedBack = drained ? 0 : inFlight.size;
      if (!drained) {
        // Out of time: abort what is left; each job hands its message back, visible at once.
        shutdown.abort();
        // Aborted jobs hand back their messages in a round trip; don't wait on a hung one forever.
        await Promise.race([
          Promise.allSettled([...inFlight]),
          sleep(handBackTimeoutMs, undefined, { ref: false }),
        ]);
      }
      logger.info({ drained, handedBack, ...outcomes }, 'worker stopped');
      return { drained, handedBack };
    },
    notReadyReason() {
      if (stopping.signal.aborted) return 'shutting down';
      if (!loop) return 'not started';
      return lastPollError;
    },
    stats: () => ({
      inFlight: inFlight.size,
      buffered: buffer.length,
      received,
      outcomes: { ...outcomes },
    }),
    whenFinished(count) {
      if (finished >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}
