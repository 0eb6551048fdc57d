/**
 * Work that must not be traced: a queue worker's receive poll, which an idle worker repeats every
 * second or so, and which would otherwise be a trace of its own each time (the Azure SDK's
 * `QueueClient-receiveMessages` and its HTTP request).
 */
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `run` with tracing suppressed, OpenTelemetry's own way (`suppressTracing`): nothing it
 * calls, directly or through its promises, starts a recording span (Azure SDK operations, their
 * HTTP requests, `node:http`/`node:https`) or sends a `traceparent`. Work started inside it under
 * a parent context of its own is traced as usual: `traceJob`'s span continues the message's trace
 * either way. With telemetry off it just runs `run`.
 */
export function untraced<T>(run: () => T): T {
  return context.with(suppressTracing(context.active()), run);
}
