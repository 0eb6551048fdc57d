/**
 * A span per job for queue workers, continuing the trace the message carries, and the job
 * metrics: `keyless.worker.jobs` by outcome (processed, failed, poisoned) and
 * `messaging.process.duration`.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { instrumentationScope, telemetryState } from './instruments.ts';
import { extractTraceContext } from './queue-context.ts';

export interface JobMessage {
  /** The queue the message came from. */
  queue: string;
  /** The parsed message body (its `traceparent` parents the job), or anything unparseable. */
  body: unknown;
  messageId?: string;
  dequeueCount?: number;
}

export type JobOutcome = 'processed' | 'failed' | 'poisoned';

function messagingAttributes(message: JobMessage): Attributes {
  return {
    'messaging.system': 'azure.storage.queue',
    'messaging.operation.type': 'process',
    'messaging.destination.name': message.queue,
    ...(message.messageId ? { 'messaging.message.id': message.messageId } : {}),
    ...(message.dequeueCount === undefined
      ? {}
      : { 'messaging.azure.storage.queue.dequeue_count': message.dequeueCount }),
  };
}

/** Counts a job's outcome; `poisoned` for a message moved to the poison queue. */
export function recordJobOutcome(queue: string, outcome: JobOutcome): void {
  telemetryState().instruments.jobs.add(1, {
    'messaging.destination.name': queue,
    'keyless.job.outcome': outcome,
  });
  if (outcome === 'poisoned') trace.getActiveSpan()?.addEvent('job poisoned');
}

/**
 * Runs one job in a `process <queue>` consumer span whose parent is the trace context in the
 * message (a new trace without one). A thrown error marks the span failed and counts the job as
 * failed; `recordJobOutcome(queue, 'poisoned')` counts a message given up on.
 */
export async function traceJob<T>(
  message: JobMessage,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  const state = telemetryState();
  const started = performance.now();
  const parent = extractTraceContext(message.body);
  return trace
    .getTracer(instrumentationScope)
    .startActiveSpan(
      `process ${message.queue}`,
      { kind: SpanKind.CONSUMER, attributes: messagingAttributes(message) },
      parent,
      async (span) => {
        let outcome: 'processed' | 'failed' = 'processed';
        try {
          return await run(span);
        } catch (error) {
          outcome = 'failed';
          const type = error instanceof Error ? error.name : 'Error';
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: type });
          throw error;
        } finally {
          span.end();
          recordJobOutcome(message.queue, outcome);
          state.instruments.jobDuration.record((performance.now() - started) / 1000, {
            'messaging.destination.name': message.queue,
            'messaging.operation.type': 'process',
            ...(outcome === 'failed' ? { 'error.type': 'failed' } : {}),
          });
        }
      },
    );
}
