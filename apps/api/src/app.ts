/**
 * The Express application, built from its configuration and clients so tests can run it
 * in-process against the local stack. main.ts wires it to the real environment.
 */
import express from 'express';
import type { Express } from 'express';
import helmet from 'helmet';
import type OpenAI from 'openai';
import type { Logger } from '@keyless/logging';
import { pinoHttp } from 'pino-http';
import type { ApiConfig } from './config.ts';
import { errorHandler, notFound } from './error-handler.ts';
import type { Readiness } from './readiness.ts';
import { requestIdFor } from './request-id.ts';
import { chatRouter } from './routes/chat.ts';
import { embeddingsRouter } from './routes/embeddings.ts';
import { healthRouter } from './routes/health.ts';
import type { UpstreamContext } from './upstream-errors.ts';

export interface AppDependencies {
  config: ApiConfig;
  openai: OpenAI;
  readiness: Readiness;
  /** @keyless/auth's diagnosis of a refused model call (KeylessClients.explainError). */
  explainError: UpstreamContext['explain'];
  logger: Logger;
  /** True once shutdown began; /readyz then fails and responses close their connection. */
  isDraining?: () => boolean;
}

const probePaths = new Set(['/healthz', '/readyz']);

export function createApp(dependencies: AppDependencies): Express {
  const { config, openai, readiness, logger } = dependencies;
  const isDraining = dependencies.isDraining ?? (() => false);
  const upstream: UpstreamContext = {
    timeoutMs: config.keyless.openai.timeoutMs,
    explain: dependencies.explainError,
  };

  const app = express();
  app.disable('x-powered-by');
  // Every answer is new; hashing 60 kB of embeddings for an ETag buys nothing.
  app.set('etag', false);
  app.use(
    pinoHttp({
      logger,
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
  app.use(chatRouter({ config, openai, upstream }));
  app.use(embeddingsRouter({ config, openai }));
  app.use(notFound);
  app.use(errorHandler(upstream));
  return app;
}
