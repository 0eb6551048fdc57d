/**
 * Spans for Azure SDK calls (Storage queues and blobs, Identity) through `@azure/core-tracing`'s
 * `useInstrumenter`. `@azure/opentelemetry-instrumentation-azure-sdk` installs the same kind of
 * instrumenter, but only from a module-load hook that never fires inside a bundle, and it does
 * not export the instrumenter itself; this is the same small adapter, set explicitly.
 */
import {
  context,
  createContextKey,
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

/**
 * The status an operation asks for and answers itself: `exists()` and `deleteIfExists()` turn a
 * 404 into `false`, `createIfNotExists()` a 409 into `succeeded: false`. The SDK runs each as a
 * span around the real call; that call's spans (the operation's and its `HTTP <method>`) would
 * otherwise be errors, as OpenTelemetry's HTTP conventions make a client span's 4xx. The expecting
 * span itself still becomes an error when the operation throws (a 404 it does not swallow, a 403
 * from a missing role, a 5xx), so a real failure stays visible.
 */
const expectingOperations: ReadonlyArray<readonly [suffix: string, status: number]> = [
  ['-exists', 404],
  ['-deleteIfExists', 404],
  ['-createIfNotExists', 409],
];

interface ExpectedStatus {
  status: number;
  /** The SDK package that expects it: calls of another (a token request) get no exemption. */
  packageName: string;
}

const expectedStatusKey = createContextKey('keyless.azure-sdk.expected-status');

/** The HTTP spans of every SDK's requests come from this package's tracing policy. */
const httpPolicyPackage = '@azure/core-rest-pipeline';

function expectedByOperation(name: string, packageName: string): ExpectedStatus | undefined {
  const match = expectingOperations.find(([suffix]) => name.endsWith(suffix));
  return match ? { status: match[1], packageName } : undefined;
}

function inheritedExpectation(ctx: Context, packageName: string): ExpectedStatus | undefined {
  const expected = ctx.getValue(expectedStatusKey) as ExpectedStatus | undefined;
  if (!expected) return undefined;
  return packageName === expected.packageName || packageName === httpPolicyPackage
    ? expected
    : undefined;
}

/** The context of the calls beneath a span: what they may answer without failing. */
function passDown(ctx: Context, expected: ExpectedStatus | undefined): Context {
  return expected ? ctx.setValue(expectedStatusKey, expected) : ctx.deleteValue(expectedStatusKey);
}

/** The HTTP policy's response status attribute, in the older and the current HTTP conventions. */
const statusAttributes = new Set(['http.status_code', 'http.response.status_code']);

function wrap(span: Span, expected: ExpectedStatus | undefined): TracingSpan {
  // The HTTP policy reports a response's status as an attribute, then an error with no cause.
  let responseStatus: number | undefined;
  return {
    setStatus(status: SpanStatus) {
      if (status.status !== 'error') return;
      const statusCode =
        (status.error as { statusCode?: number } | undefined)?.statusCode ?? responseStatus;
      // A 304 answers a conditional request; the status an operation expects is its answer.
      if (statusCode === 304 || (statusCode !== undefined && statusCode === expected?.status))
        return;
      span.setStatus({ code: SpanStatusCode.ERROR, message: status.error?.toString() });
      if (status.error) span.recordException(status.error);
    },
    setAttribute(name, value) {
      if (statusAttributes.has(name) && typeof value === 'number') responseStatus = value;
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
    const inherited = inheritedExpectation(ctx, options.packageName);
    const own = expectedByOperation(name, options.packageName);
    // Only the calls beneath an expecting operation are exempt, never the operation itself.
    ctx = passDown(ctx, own ?? inherited);
    // The SDK's own "HTTP <method>" span already describes the request; the http
    // instrumentation's span under it would say the same thing twice.
    if (name.toUpperCase().startsWith('HTTP')) ctx = suppressTracing(ctx);
    return { span: wrap(span, inherited), tracingContext: trace.setSpan(ctx, span) };
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
