/**
 * Spans for Azure SDK calls (Storage queues and blobs, Identity) through `@azure/core-tracing`'s
 * `useInstrumenter`. `@azure/opentelemetry-instrumentation-azure-sdk` installs the same kind of
 * instrumenter, but only from a module-load hook that never fires inside a bundle, and it does
 * not export the instrumenter itself; this is the same small adapter, set explicitly.
 */
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { isAttributeValue, suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import { useInstrumenter } from '@azure/core-tracing';
import type {
  Instrumenter,
  InstrumenterSpanOptions,
  TracingSpan,
  TracingSpanKind,
  SpanStatus,
} from '@azure/core-tracing';

const propagator = new W3CTraceContextPropagator();

const kinds: Record<TracingSpanKind, SpanKind> = {
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

function wrap(span: Span): TracingSpan {
  return {
    setStatus(status: SpanStatus) {
      if (status.status !== 'error') return;
      // A 304 answers a conditional request; it is not a failure.
      const statusCode = (status.error as { statusCode?: number } | undefined)?.statusCode;
      if (statusCode === 304) return;
      span.setStatus({ code: SpanStatusCode.ERROR, message: status.error?.toString() });
      if (status.error) span.recordException(status.error);
    },
    setAttribute(name, value) {
      if (value !== null && value !== undefined && isAttributeValue(value))
        span.setAttribute(name, value);
    },
    end: () => span.end(),
    recordException: (exception) => span.recordException(exception),
    isRecording: () => span.isRecording(),
  };
}

// The tracing context here is an OpenTelemetry Context: both are immutable key-value maps with
// getValue/setValue/deleteValue, which is why the Azure SDK's own adapter passes them through.
const otelInstrumenter: Instrumenter = {
  startSpan(name: string, options: InstrumenterSpanOptions) {
    let ctx: Context = options.tracingContext ?? context.active();
    const attributes = Object.fromEntries(
      Object.entries(options.spanAttributes ?? {}).filter(([, value]) => isAttributeValue(value)),
    ) as Record<string, never>;
    const span = trace
      .getTracer(options.packageName, options.packageVersion)
      .startSpan(name, { kind: kinds[options.spanKind ?? 'internal'], attributes }, ctx);
    // The SDK's own "HTTP <method>" span already describes the request; the http
    // instrumentation's span under it would say the same thing twice.
    if (name.toUpperCase().startsWith('HTTP')) ctx = suppressTracing(ctx);
    return { span: wrap(span), tracingContext: trace.setSpan(ctx, span) };
  },
  withContext(tracingContext, callback, ...callbackArgs) {
    return context.with(tracingContext, callback, undefined, ...callbackArgs);
  },
  parseTraceparentHeader(traceparent) {
    return propagator.extract(context.active(), { traceparent }, defaultTextMapGetter);
  },
  createRequestHeaders(tracingContext) {
    const headers: Record<string, string> = {};
    propagator.inject(tracingContext ?? context.active(), headers, defaultTextMapSetter);
    return headers;
  },
};

/** Routes the Azure SDK's spans into OpenTelemetry. */
export function instrumentAzureSdk(): void {
  useInstrumenter(otelInstrumenter);
}
