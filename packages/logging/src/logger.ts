/**
 * JSON logs with pino, one shape for every service so one Container Apps log query reads them
 * all: ISO `time`, `service`, `level`, `msg`. No pid or hostname: Container Apps records the
 * replica with each line. A line written inside an OpenTelemetry span also carries `trace_id`,
 * `span_id` and `trace_flags`.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { censor, redactedPaths } from './redaction.ts';
import { traceFields } from './trace-fields.ts';

export interface LoggerOptions {
  /** The service name as it appears in Azure (`api`, `worker`, a generated service's name). */
  service: string;
  /** A pino level: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. */
  level: string;
}

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  if (!levels.includes(options.level)) {
    throw new Error(
      `Unknown log level "${options.level}"; set LOG_LEVEL to one of: ${levels.join(', ')}.`,
    );
  }
  if (options.service.trim() === '') {
    throw new Error(
      "The logger's service name is empty; pass the name the service has in Azure (for example `api`), so its lines can be found.",
    );
  }
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      redact: { paths: [...redactedPaths], censor },
      // ISO time reads better in Container Apps' log stream than epoch milliseconds.
      timestamp: pino.stdTimeFunctions.isoTime,
      // Inside a span, the line names its trace (OpenTelemetry's log field names).
      mixin: traceFields,
    },
    destination,
  );
}
