import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout, one line per event. Anything that could carry a credential is redacted
 * even though the worker never logs headers on purpose: a logged SDK error can include them.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'worker' },
      redact: {
        paths: [
          'authorization',
          'cookie',
          'api-key',
          '*.authorization',
          '*.Authorization',
          '*.cookie',
          '*["api-key"]',
          '*.headers.authorization',
          '*.headers.cookie',
          '*.headers["api-key"]',
          '*.request.headers',
          'err.request',
          'err.response',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
