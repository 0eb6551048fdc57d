/**
 * The one place an http service's Express app is assembled: request ids and request logging,
 * security headers, the probes, the service's own routes, then 404 and the error handler.
 */
import express from 'express';
import type { Express, Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { jsonBody } from './body.ts';
import type { HttpServiceContext, RouteFactory } from './context.ts';
import { errorHandler, notFound } from './error-handler.ts';
import type { Readiness } from './readiness.ts';
import { requestIdFor } from './request-id.ts';
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
  app.use(
    pinoHttp({
      logger: context.logger,
      genReqId: (req, res) => {
        const id = requestIdFor(req.headers['x-request-id']);
        res.setHeader('x-request-id', id);
        return id;
      },
      // Every line a request logs carries `reqId`, not the whole request.
      quietReqLogger: true,
      autoLogging: { ignore: (req) => probePaths.has(req.url ?? '') },
      // The request line with its (redacted) headers; the response line with its status only.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; headers: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          headers: req.headers,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use((req, res, next) => {
    res.locals.requestId = req.id;
    if (isDraining()) res.setHeader('Connection', 'close');
    next();
  });
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
