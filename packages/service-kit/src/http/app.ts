/**
 * The one place an http service's Express app is assembled: the trace, request ids and request logging,
 * security headers, the probes, the service's own routes, then 404 and the error handler.
 */
import { telemetryMiddleware } from '@keyless/telemetry';
import express from 'express';
import type { Express } from 'express';
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
  const served = routers.flatMap((router) => servedRoutes(router));
  app.use(notFound(['GET /healthz', 'GET /readyz', ...new Set(served)]));
  app.use(errorHandler(context.upstream));
  return app;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  /** The path a router was mounted on (`router.use('/admin', admin)`); router 2's own field. */
  rawPath?: unknown;
  handle?: unknown;
}

/**
 * `POST /api/chat` for each route a router declares, for the 404's list (and so for the http
 * conformance suite, which sends its hostile bodies to every route listed): a route declared on
 * several paths at once is listed on each, and a router mounted on a path inside another is listed
 * under that path. A path given as a RegExp has no name to list.
 */
export function servedRoutes(router: unknown, prefix = ''): string[] {
  const layers = (router as { stack?: RouterLayer[] } | undefined)?.stack ?? [];
  return layers.flatMap(({ route, rawPath, handle }) => {
    if (route) {
      const methods = Object.keys(route.methods)
        .filter((method) => method !== '_all')
        .map((method) => method.toUpperCase());
      return pathsOf(route.path).flatMap((path) =>
        methods.map((method) => `${method} ${prefix}${path}`),
      );
    }
    if (typeof handle !== 'function' || !('stack' in handle)) return [];
    return pathsOf(rawPath).flatMap((path) =>
      servedRoutes(handle, path === '/' ? prefix : `${prefix}${path.replace(/\/+$/, '')}`),
    );
  });
}

function pathsOf(path: unknown): string[] {
  const paths: unknown[] = Array.isArray(path) ? path.flat(Infinity) : [path];
  return paths.filter((item): item is string => typeof item === 'string');
}
