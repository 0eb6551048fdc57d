/**
 * Express middleware for the http kind: names the server span after the matched route
 * (`http.route`, which also labels the request-duration metric) and answers with the trace id in
 * a `traceresponse` header (W3C Trace Context level 2), so a curl leads to its trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/** The parts of an Express request this reads: the matched route and the router's mount path. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** `app.use(telemetryMiddleware())` first, before the routers. */
export function telemetryMiddleware() {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const active = context.active();
    const span = trace.getSpan(active);
    const spanContext = span?.spanContext();
    if (spanContext && trace.isSpanContextValid(spanContext)) {
      const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
      response.setHeader(
        'traceresponse',
        `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
      );
    }
    const rpc = getRPCMetadata(active);
    if (rpc?.type === RPCType.HTTP) {
      // Express knows the route only once a handler runs; the headers go out after that, and
      // the http instrumentation reads the route when the response finishes.
      const writeHead = response.writeHead.bind(response);
      response.writeHead = ((...args: Parameters<typeof writeHead>) => {
        const path = request.route?.path;
        if (typeof path === 'string') rpc.route = `${request.baseUrl ?? ''}${path}`;
        return writeHead(...args);
      }) as typeof response.writeHead;
    }
    next();
  };
}
