/**
 * JSON logs with pino. Credentials never reach a log line: the headers that can carry one are
 * redacted wherever a request or response is logged.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["api-key"]',
  'req.headers["x-api-key"]',
  'req.headers["ocp-apim-subscription-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["api-key"]',
];

export function createLogger(
  options: { level: string; name?: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'api',
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // ISO time reads better in Container Apps' log stream than epoch milliseconds.
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * stdout, written asynchronously: under load, lines written while a write is in flight go out
 * together in one syscall. main.ts flushes it before exiting.
 */
export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
