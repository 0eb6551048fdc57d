// The http service kind: a service names itself and lists its route factories; the kit does the
// rest (configuration, keyless clients, body parsing, problems, request ids, logs, probes, drain).
export { startHttpService, createHttpService } from './service.ts';
export type { HttpService, HttpServiceOptions, StartHttpServiceOptions } from './service.ts';
export { createHttpApp } from './app.ts';
export type { HttpAppOptions } from './app.ts';
export { loadHttpServiceConfig, httpSettings, parseSize } from './config.ts';
export type { HttpServiceConfig, HttpConfigDefaults } from './config.ts';
export type { HttpServiceContext, HttpServiceClients, RouteFactory } from './context.ts';
export { chatRoutes } from './routes/chat.ts';
export { embeddingsRoutes } from './routes/embeddings.ts';
export { responsesRoutes } from './routes/responses.ts';
export type { ToolCallRecord, ResponsesUsage } from './routes/responses.ts';
export { calculatorTool } from './tools/calculator.ts';
export type { ServerTool } from './tools/server-tool.ts';
export { apiRoutes } from './routes/api.ts';
export { jsonBody, parseBody } from './body.ts';
export { methodNotAllowed } from './error-handler.ts';
export { ProblemError, problemTypes, problemContentType, sendProblem } from './problem.ts';
export type { Problem, ProblemErrorOptions } from './problem.ts';
export { upstreamCall } from './upstream-call.ts';
// A route of your own wraps its model call in this, for the GenAI span and metrics the kit's have.
export { traceModelCall, startModelCall } from '@keyless/telemetry';
export type { ModelCall, ModelCallOutcome } from '@keyless/telemetry';
export type { UpstreamCall } from './upstream-call.ts';
export { upstreamProblem } from './upstream-errors.ts';
export type { UpstreamContext } from './upstream-errors.ts';
export { sendEvent, startEventStream } from './sse.ts';
export { createReadiness, modelReadiness } from './readiness.ts';
export type { Readiness, ReadinessReport, ReadinessItem } from './readiness.ts';
