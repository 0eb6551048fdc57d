import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { KeylessConfig, KeylessError } from '@keyless/auth';
import type { Logger } from '@keyless/logging';
import { recordJobOutcome, traceJob } from '@keyless/telemetry';
import type OpenAI from 'openai';
import { retryDelaySeconds } from './backoff.ts';
import { classifyFailure } from './failure.ts';
import { parseJob } from './handler.ts';
import type { JobHandler } from './handler.ts';
import { decodeMessage, guessJobId } from './message.ts';
import { holdMessage } from './lease.ts';
import type { MessageLease } from './lease.ts';
import { poisonEntry, sendToPoison } from './poison.ts';
import type { ResultStore } from './results.ts';

/** The parts of a received queue message the worker uses. */
export interface QueueMessage {
  messageId: string;
  popReceipt: string;
  messageText: string;
  dequeueCount: number;
  insertedOn?: Date;
}

export interface ProcessorDeps<Job extends { id: string }, Result extends object> {
  handler: JobHandler<Job, Result>;
  keyless: KeylessConfig;
  /** @keyless/auth's explanation of identity and configuration errors (`explainError`). */
  explainError: (error: unknown) => KeylessError | undefined;
  queue: QueueClient;
  poisonQueue: QueueClient;
  results: ResultStore;
  openai: OpenAI;
  logger: Logger;
  settings: {
    maxDequeue: number;
    visibilityTimeoutSeconds: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
    renewIntervalMs?: number;
  };
}

export type Outcome = 'completed' | 'duplicate' | 'poisoned' | 'retry' | 'abandoned';

/**
 * Runs one message to an outcome: the one place where a job is processed. It never throws: every
 * path ends with the message deleted, moved to the poison queue, or handed back to the queue to
 * try again later. `shutdown` aborts the attempt and hands the message straight back (visible
 * again at once).
 */
export function createProcessor<Job extends { id: string }, Result extends object>(
  deps: ProcessorDeps<Job, Result>,
) {
  const { settings } = deps;

  async function poison(
    lease: MessageLease,
    message: QueueMessage,
    reason: string,
    jobId?: string,
  ) {
    const entry = poisonEntry({
      reason,
      dequeueCount: message.dequeueCount,
      original: message.messageText,
      messageId: message.messageId,
      ...(jobId === undefined ? {} : { jobId }),
    });
    // Send first, delete second: a crash in between leaves a duplicate, never a loss.
    await sendToPoison(deps.poisonQueue, entry);
    await lease.complete();
  }

  /**
   * Each attempt in a `process <queue>` span that continues the trace the message carries (read
   * from the decoded JSON: the job schema drops `traceparent`). A completed or duplicate job
   * counts as processed, any other attempt as failed, and a message given up on also as poisoned.
   */
  return async function processMessage(
    message: QueueMessage,
    shutdown: AbortSignal,
  ): Promise<Outcome> {
    const decoded = decodeMessage(message.messageText);
    const queueName = deps.queue.name;
    let outcome: Outcome = 'retry';
    try {
      await traceJob(
        {
          queue: queueName,
          body: decoded.ok ? decoded.value : undefined,
          messageId: message.messageId,
          dequeueCount: message.dequeueCount,
        },
        async (span) => {
          outcome = await attempt(message, shutdown);
          span.setAttribute('keyless.job.outcome', outcome);
          if (outcome === 'poisoned') recordJobOutcome(queueName, 'poisoned');
          if (outcome !== 'completed' && outcome !== 'duplicate') throw new JobNotDone(outcome);
        },
      );
    } catch (error) {
      if (!(error instanceof JobNotDone)) throw error;
    }
    return outcome;
  };

  async function attempt(message: QueueMessage, shutdown: AbortSignal): Promise<Outcome> {
    const started = new Date();
    const attemptId = randomUUID();
    const parsed = parseJob(message.messageText, deps.handler.schema);
    const jobId = parsed.ok ? parsed.job.id : guessJobId(message.messageText);
    const log = deps.logger.child({
      jobId,
      messageId: message.messageId,
      dequeueCount: message.dequeueCount,
      attemptId,
    });
    const lease = holdMessage(deps.queue, message, {
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      ...(settings.renewIntervalMs === undefined
        ? {}
        : { renewIntervalMs: settings.renewIntervalMs }),
      onRenewError: (error) => log.warn({ err: error }, 'could not renew the message visibility'),
    });

    try {
      if (!parsed.ok) {
        await poison(lease, message, parsed.reason, jobId);
        log.warn({ reason: parsed.reason }, 'job poisoned');
        return 'poisoned';
      }
      const { job } = parsed;

      // Idempotence: a result means this id was done already (a redelivery after a crash between
      // writing and deleting, or the same job enqueued twice): don't pay for the model again.
      if (await deps.results.exists(job.id)) {
        await lease.complete();
        log.info('result already exists; message deleted');
        return 'duplicate';
      }

      if (message.dequeueCount > settings.maxDequeue) {
        const reason = `dequeued ${message.dequeueCount} times, more than WORKER_MAX_DEQUEUE (${settings.maxDequeue})`;
        await poison(lease, message, reason, job.id);
        log.warn({ reason }, 'job poisoned');
        return 'poisoned';
      }

      const signal = AbortSignal.any([shutdown, lease.lost]);
      const handlerStarted = performance.now();
      let result: Result;
      try {
        result = await deps.handler.handle(job, {
          signal,
          attemptId,
          openai: deps.openai,
          keyless: deps.keyless,
          logger: log,
        });
      } catch (error) {
        if (shutdown.aborted) {
          await lease.release(0);
          log.info('shutting down; job handed back to the queue');
          return 'abandoned';
        }
        if (lease.lost.aborted) {
          log.warn('lost the message to another worker; leaving the job to it');
          return 'abandoned';
        }
        const failure = classifyFailure(error, deps.explainError);
        if (failure.kind === 'permanent') {
          await poison(lease, message, failure.reason, job.id);
          log.warn({ reason: failure.reason }, 'job poisoned');
          return 'poisoned';
        }
        const delaySeconds = retryDelaySeconds({
          dequeueCount: message.dequeueCount,
          baseSeconds: settings.retryBaseSeconds,
          maxSeconds: settings.retryMaxSeconds,
          ...(failure.retryAfterSeconds === undefined
            ? {}
            : { retryAfterSeconds: failure.retryAfterSeconds }),
        });
        await lease.release(delaySeconds);
        log.warn(
          { reason: failure.reason, fix: failure.keyless?.fix, retryInSeconds: delaySeconds },
          'job failed; it will be retried',
        );
        return 'retry';
      }
      const handlerMs = Math.round(performance.now() - handlerStarted);

      const written = await deps.results.writeOnce({
        ...result,
        id: job.id,
        timings: {
          enqueuedAt: message.insertedOn?.toISOString() ?? null,
          startedAt: started.toISOString(),
          completedAt: new Date().toISOString(),
          queuedMs: message.insertedOn ? started.getTime() - message.insertedOn.getTime() : null,
          handlerMs,
        },
        attempt: message.dequeueCount,
        messageId: message.messageId,
      });
      try {
        await lease.complete();
      } catch (error) {
        // The result is safe; the next delivery finds it and only deletes the message.
        log.warn(
          { err: error, written },
          'result stored but the message could not be deleted; its next delivery will just delete it',
        );
        await lease.release(0).catch(() => undefined);
        return written ? 'completed' : 'duplicate';
      }
      log.info(
        { handlerMs, written },
        written ? 'job completed' : 'job completed by another attempt first; message deleted',
      );
      return written ? 'completed' : 'duplicate';
    } catch (error) {
      // Storage trouble (or a lost lease) while finishing: hand the message back if we still can.
      log.error({ err: error }, 'job attempt failed; the message will reappear');
      const delaySeconds = retryDelaySeconds({
        dequeueCount: message.dequeueCount,
        baseSeconds: settings.retryBaseSeconds,
        maxSeconds: settings.retryMaxSeconds,
      });
      await lease.release(delaySeconds).catch(() => undefined);
      return 'retry';
    } finally {
      lease.stop();
    }
  }
}

/** Marks a job span failed with the outcome as its `error.type` (`retry`, `poisoned`, ...). */
class JobNotDone extends Error {
  constructor(outcome: Outcome) {
    super(`job ${outcome}`);
    this.name = outcome;
  }
}
