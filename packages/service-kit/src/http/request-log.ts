/**
 * Request ids and request logging, in one middleware. Written here rather than taken from
 * pino-http because the profile of a proxied chat request showed pino-http's per-request child
 * logger and its redaction of every request's headers among the largest costs of the hop.
 * Here the request's logger is made only when something logs, and headers (redacted by
 * @keyless/logging) are logged at debug level and below.
 */
import type { Logger } from '@keyless/logging';
import type { Express, RequestHandler } from 'express';
import { requestIdFor } from './request-id.ts';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's sane `x-request-id`, or a new UUID. */
    id: string;
    /** The service's logger with `reqId` on every line. */
    log: Logger;
  }
}

const ownLogger = Symbol('request logger');

/**
 * Gives every request of `app` a lazily made `req.log` (a child of `logger` with `reqId`), then
 * returns the middleware that sets the id, echoes it and logs each completed request once.
 */
export function requestLogging(
  app: Express,
  logger: Logger,
  options: { quiet: ReadonlySet<string>; isDraining: () => boolean },
): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    get(this: { id: string; [ownLogger]?: Logger }): Logger {
      return (this[ownLogger] ??= logger.child({ reqId: this.id }));
    },
  });
  const withHeaders = logger.isLevelEnabled('debug');
  return (req, res, next) => {
    const id = requestIdFor(req.headers['x-request-id']);
    req.id = id;
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    if (options.isDraining()) res.setHeader('Connection', 'close');
    if (!options.quiet.has(req.url)) {
      const started = performance.now();
      const { method, url } = req;
      res.once('close', () => {
        const status = res.statusCode;
        const line = {
          req: withHeaders ? { method, url, headers: req.headers } : { method, url },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
        };
        if (!res.writableFinished) req.log.info(line, 'request aborted');
        else if (status >= 500) req.log.error(line, 'request completed');
        else if (status >= 400) req.log.warn(line, 'request completed');
        else req.log.info(line, 'request completed');
      });
    }
    next();
  };
}
