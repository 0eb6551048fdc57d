/**
 * W3C trace context in queue messages, so that the worker's job continues the trace of whoever
 * enqueued it. The context travels as `traceparent` (and `tracestate`) fields of the message's
 * JSON, the names and formats of the W3C Trace Context headers.
 */
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { instrumentationScope } from './instruments.ts';

export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

// The W3C propagator itself, not the global one: it validates the format, and an invalid
// traceparent yields no parent, which is what a malformed message must get.
const propagator = new W3CTraceContextPropagator();

/** The message with the current trace context added; unchanged when no trace is active. */
export function injectTraceContext<T extends object>(
  message: T,
  from: Context = context.active(),
): T & TraceCarrier {
  const carrier: TraceCarrier = {};
  propagator.inject(from, carrier, defaultTextMapSetter);
  return { ...message, ...carrier };
}

/**
 * The trace context a message carries, to parent the job's span; a message without one, or with
 * a malformed one, gives the root context and so a new trace.
 */
export function extractTraceContext(message: unknown): Context {
  if (typeof message !== 'object' || message === null) return ROOT_CONTEXT;
  const { traceparent, tracestate } = message as Record<string, unknown>;
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent };
  if (typeof tracestate === 'string') carrier['tracestate'] = tracestate;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/**
 * Enqueues inside a `send <queue>` producer span and puts that span's context into the message:
 * `traceEnqueue('worker-jobs', job, (message) => queue.sendMessage(JSON.stringify(message)))`.
 */
export async function traceEnqueue<T extends object, R>(
  queue: string,
  message: T,
  send: (message: T & TraceCarrier) => Promise<R>,
): Promise<R> {
  return trace.getTracer(instrumentationScope).startActiveSpan(
    `send ${queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'azure.storage.queue',
        'messaging.operation.type': 'send',
        'messaging.destination.name': queue,
      },
    },
    async (span) => {
      try {
        return await send(injectTraceContext(message));
      } catch (error) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.name : 'send failed',
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
