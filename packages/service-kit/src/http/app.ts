/**
 * The one place an http service's Express app is assembled: the trace, request ids and request logging,
 * security headers, the probes, the service's own routes, then 404 and the error handler.
 */
import { telemetryMiddleware } from '@keyless/telemetry';
import express from 'express';
import type { Express, Router } from 'express';
import helmet from 'helmet';
import { jsonBody } from './body.ts';
import type { HttpServiceContext, RouteFactory } from './context.ts';
import { errorHandler, notFound } from './error-handler.ts';
import type { Readiness } from './readiness.ts';
import { requestLogging } from './request-log.ts';
import { healthRouter, probePaths } from './routes/health.ts';

export interface HttpAppOptions {
  context: Omit<HttpServiceContext, 'jsonBody'>;
  routes: readonly RouteFactory[];
  readiness: Readiness;
  /** True once shutdown began; /readyz then fails and responses close their connection. */
  isDraining?: () => boolean;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const { readiness } = options;
  const context: HttpServiceContext = {
    ...options.context,
    jsonBody: jsonBody(options.context.config.bodyLimitBytes),
  };
  const isDraining = options.isDraining ?? (() => false);
  const routers = options.routes.map((route) => route(context));

  const app = express();
  app.disable('x-powered-by');
  // Every answer is new; hashing 60 kB of embeddings for an ETag buys nothing.
  app.set('etag', false);
  // Routes read no query strings; parsing them would be work for nothing.
  app.set('query parser', false);
  // First, so the server span is named after the route and every answer names its trace.
  app.use(telemetryMiddleware());
  app.use(requestLogging(app, context.logger, { quiet: probePaths, isDraining }));
  app.use(helmet());
  app.use(healthRouter({ readiness, isDraining }));
  for (const router of routers) app.use(router);
  app.use(notFound(['GET /healthz', 'GET /readyz', ...routers.flatMap(servedRoutes)]));
  app.use(errorHandler(context.upstream));
  return app;
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** `POST /api/chat` for each route a router declares, for the 404's list. */
function servedRoutes(router: Router): string[] {
  const layers = (router as unknown as { stack?: RouteLayer[] }).stack ?? [];
  return layers.flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string') return [];
    const path = route.path;
    return Object.keys(route.methods)
      .filter((method) => method !== '_all')
      .map((method) => `${method.toUpperCase()} ${path}`);
  });
}
