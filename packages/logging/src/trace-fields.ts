/**
 * `trace_id` and `span_id` of the span a line is written in, so a log line leads to its trace
 * (and Application Insights links the two). Read from the OpenTelemetry API, which answers
 * "no span" when the SDK is not started (`OTEL_SDK_DISABLED=true`): such lines carry neither.
 */
import { trace } from '@opentelemetry/api';

export interface TraceFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

export function traceFields(): TraceFields {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}
